// Cards the bot sends a person by itself (a briefing, a crisis alert): one Delivery row per card and person, its key
// unique, written with an outbox job in the transaction that decides to send it. The job sends it once: a repeated run
// finds it sent; a refused or unanswered send is retried by the outbox (honouring Retry-After); the activity id is kept
// so the card can be withdrawn. Conversation references come from the bot's installation for the person.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { JobHandler } from '../jobs/outbox.js';
import { enqueueJob } from '../store/outbox.js';
import type { ServiceDeps } from './context.js';

type Db = PrismaClient | Prisma.TransactionClient;

export const DELIVERY_JOB = 'delivery';
const jobKeyOf = (deliveryKey: string) => `delivery:${deliveryKey}`;

export interface PersonalAddress { tenantId: string; serviceUrl: string; conversationId: string }

export type SendOutcome =
  | { kind: 'sent'; activityId: string }
  /** 429 or 5xx, or no answer: try again later (not before retryAfterMs when Teams said so). */
  | { kind: 'retry'; reason: 'throttled' | 'unavailable' | 'network'; retryAfterMs?: number }
  /** 403/404: the bot was removed from this conversation, or it never existed. */
  | { kind: 'gone' }
  | { kind: 'rejected' }
  /** Not sent because it is no longer wanted (a repeat of an answered alert, a withdrawn briefing). */
  | { kind: 'unneeded' };

export type DeliveryRow = Prisma.DeliveryGetPayload<object>;

/** The edge that renders a delivery's card and sends it (teams/); the rules of sending are here. */
export interface DeliveryChannel {
  /** `signal`: the job's lease is running out (or the process stops); the send must not go after it. */
  send(delivery: DeliveryRow, at: PersonalAddress, signal?: AbortSignal): Promise<SendOutcome>;
  remove(at: PersonalAddress, activityId: string): Promise<SendOutcome>;
}

/** Whether the app is (now) installed for the person, cannot be (Graph refused: the admin must), or Graph did not answer. */
export type InstallOutcome = { kind: 'installed' } | { kind: 'refused' } | { kind: 'unavailable'; retryAfterMs?: number };

/** Installs the app for someone who does not have it yet (Microsoft Graph), so a conversation comes to exist. */
export interface AppInstaller { install(tenantId: string, aadObjectId: string, signal?: AbortSignal): Promise<InstallOutcome> }

/** How long a card waits for the installation event before trying again (its arrival starts the card at once). */
const INSTALL_WAIT_MS = 60_000;

export interface DeliveryRequest { key: string; tenantId: string; recipientAadId: string; kind: 'briefing' | 'crisis'; briefingId?: string; alertId?: string }

/** Inside the caller's transaction: the deliveries not made before (by key), each with its job. Returns how many are new. */
export async function enqueueDeliveries(tx: Prisma.TransactionClient, requests: readonly DeliveryRequest[], now: Date): Promise<number> {
  const existing = new Set((await tx.delivery.findMany({ where: { key: { in: requests.map((r) => r.key) } }, select: { key: true } })).map((d) => d.key));
  const fresh = requests.filter((r, i) => !existing.has(r.key) && requests.findIndex((x) => x.key === r.key) === i);
  for (const r of fresh) {
    await tx.delivery.create({ data: { key: r.key, tenantId: r.tenantId, recipientAadId: r.recipientAadId, kind: r.kind, briefingId: r.briefingId, alertId: r.alertId } });
    await enqueueJob(tx, DELIVERY_JOB, jobKeyOf(r.key), now);
  }
  return fresh.length;
}

/** How many of these recipients the bot can reach in a personal chat now. */
export async function reachableAmong(db: Db, recipients: readonly { tenantId: string; recipientAadId: string }[]): Promise<number> {
  if (recipients.length === 0) return 0;
  return db.conversationRef.count({ where: { goneAt: null, OR: recipients.map((r) => ({ tenantId: r.tenantId, aadObjectId: r.recipientAadId })) } });
}

/** Where the bot can reach this person (their personal chat with it), unless it was removed there. */
export async function addressOf(db: Db, tenantId: string, aadObjectId: string): Promise<PersonalAddress | undefined> {
  const ref = await db.conversationRef.findUnique({ where: { tenantId_aadObjectId: { tenantId, aadObjectId } } });
  return ref && ref.goneAt === null ? { tenantId, serviceUrl: ref.serviceUrl, conversationId: ref.conversationId } : undefined;
}

/** Remembers a person's personal chat with the bot (its installation, or any message there); written only when it changed. */
export async function rememberConversation(deps: ServiceDeps, ref: { tenantId: string; aadObjectId: string; teamsUserId: string; serviceUrl: string; conversationId: string }): Promise<void> {
  const key = { tenantId_aadObjectId: { tenantId: ref.tenantId, aadObjectId: ref.aadObjectId } };
  const known = await deps.prisma.conversationRef.findUnique({ where: key });
  if (known && known.goneAt === null && known.serviceUrl === ref.serviceUrl && known.conversationId === ref.conversationId && known.teamsUserId === ref.teamsUserId) return;
  const data = { teamsUserId: ref.teamsUserId, serviceUrl: ref.serviceUrl, conversationId: ref.conversationId, goneAt: null };
  const now = deps.now();
  const released = await deps.prisma.$transaction(async (tx) => {
    await tx.conversationRef.upsert({ where: key, create: { ...ref, goneAt: null }, update: data });
    // Cards waiting for this chat (an installation through Graph) go now rather than at their next try.
    const waiting = await tx.delivery.findMany({ where: { tenantId: ref.tenantId, recipientAadId: ref.aadObjectId, status: 'pending' }, select: { key: true } });
    for (const d of waiting) await enqueueJob(tx, DELIVERY_JOB, jobKeyOf(d.key), now);
    return waiting.length;
  });
  if (released > 0) deps.outbox?.kick();
}

export function deliveryJob(deps: ServiceDeps, channel: DeliveryChannel, installer?: AppInstaller): JobHandler {
  const deliveryKeyOf = (jobKey: string) => jobKey.slice(jobKeyOf('').length);
  return {
    // Pacing keeps the sends within Teams' limits; this only bounds what waits for it.
    concurrency: 8,
    run: async (jobKey, signal) => {
      const d = await deps.prisma.delivery.findUnique({ where: { key: deliveryKeyOf(jobKey) } });
      if (!d || d.status !== 'pending') return { kind: 'done' };
      const at = await addressOf(deps.prisma, d.tenantId, d.recipientAadId);
      if (!at) {
        // With Graph the app can be installed for the person; its installation event then brings the conversation.
        const installed = installer ? await installer.install(d.tenantId, d.recipientAadId, signal) : { kind: 'refused' as const };
        if (installed.kind === 'installed') return { kind: 'retry', reason: 'installing', retryAfterMs: INSTALL_WAIT_MS };
        if (installed.kind === 'unavailable') return { kind: 'retry', reason: 'unavailable', retryAfterMs: installed.retryAfterMs };
        return { kind: 'failed', reason: 'noConversation' };
      }
      const sent = await channel.send(d, at, signal);
      switch (sent.kind) {
        case 'sent': {
          const recorded = await deps.prisma.delivery.updateMany({ where: { id: d.id, status: 'pending' }, data: { status: 'sent', activityId: sent.activityId,
            serviceUrl: at.serviceUrl, conversationId: at.conversationId, sentAt: deps.now(), failure: null } });
          if (recorded.count === 0) {
            // Withdrawn while it was on its way: take it back out of the chat, as the withdrawal did with the others;
            // if that fails the row says where the card still is.
            const removed = (await channel.remove(at, sent.activityId)).kind === 'sent';
            await deps.prisma.delivery.update({ where: { id: d.id }, data: { status: removed ? 'withdrawn' : 'sent', activityId: sent.activityId,
              serviceUrl: at.serviceUrl, conversationId: at.conversationId, sentAt: deps.now() } });
            if (!removed) deps.log.warn({ delivery: d.kind }, 'a card withdrawn while it was being sent could not be removed');
          }
          return { kind: 'done' };
        }
        case 'unneeded':
          await deps.prisma.delivery.updateMany({ where: { id: d.id, status: 'pending' }, data: { status: 'withdrawn' } });
          return { kind: 'done' };
        case 'retry': return { kind: 'retry', reason: sent.reason, retryAfterMs: sent.retryAfterMs };
        case 'gone':
          await deps.prisma.conversationRef.updateMany({ where: { tenantId: d.tenantId, aadObjectId: d.recipientAadId }, data: { goneAt: deps.now() } });
          return { kind: 'failed', reason: 'gone' };
        case 'rejected': return { kind: 'failed', reason: 'rejected' };
      }
    },
    giveUp: async (jobKey, reason) => {
      await deps.prisma.delivery.updateMany({ where: { key: deliveryKeyOf(jobKey), status: 'pending' }, data: { status: 'failed', failure: reason } });
      deps.log.warn({ delivery: deliveryKeyOf(jobKey).split(':')[0], reason }, 'a card could not be delivered');
    },
  };
}

/** Takes sent cards back (a withdrawn briefing): each removed from its chat; what was not sent yet is not sent. */
export async function withdrawDeliveries(deps: ServiceDeps, channel: DeliveryChannel, where: Prisma.DeliveryWhereInput): Promise<{ removed: number; failed: number }> {
  await deps.prisma.delivery.updateMany({ where: { ...where, status: 'pending' }, data: { status: 'withdrawn' } });
  const sent = await deps.prisma.delivery.findMany({ where: { ...where, status: 'sent' } });
  let removed = 0;
  for (const d of sent) {
    if (!d.activityId || !d.serviceUrl || !d.conversationId) continue;
    const out = await channel.remove({ tenantId: d.tenantId, serviceUrl: d.serviceUrl, conversationId: d.conversationId }, d.activityId);
    if (out.kind === 'sent' || out.kind === 'gone') {
      await deps.prisma.delivery.update({ where: { id: d.id }, data: { status: 'withdrawn' } });
      removed++;
    }
  }
  return { removed, failed: sent.length - removed };
}
