// Crisis: a signal filed as a crisis, or a case a coordinator marks as one, alerts the mayor(s) of its municipality at
// once (the alert and its deliveries in the transaction of the filing or the marking). The mayor answers Gelezen or
// Bel mij; the coordinators see that in the record's channel. Unanswered, the alert is sent again after a while and
// escalated to the municipality's deputy.
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { isUuid } from '../domain/identifiers.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import { isUniqueViolation } from '../store/errors.js';
import { appendSystemEntry } from '../store/journal.js';
import { addressOfScope, type ScopeAddress } from '../store/scopes.js';
import { caseVisibility } from '../store/visibility.js';
import { alertRecipientsOf } from './briefings.js';
import { grantsFor, refusalFor, roleIn, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { enqueueDeliveries, reachableAmong, type DeliveryRequest, type DeliveryRow } from './deliveries.js';
import { municipalityConfigs, phenomenonNames } from './municipalities.js';

/** What the mayor is told: enough to act, nothing that names anyone. */
export interface CrisisSummary { reference: string; phenomenon: string; place: string; scopeName: string; kind: 'signal' | 'case' }

export const CRISIS_ACKS = ['read', 'call'] as const;
export type CrisisAckKind = (typeof CRISIS_ACKS)[number];

/** Round 0 is the alert itself; later rounds repeat it; 'deputy' escalates it. */
const deliveryKey = (alertId: string, aadObjectId: string, round: number | 'deputy') => `crisis:${alertId}:${aadObjectId}:${round}`;

/** Who is alerted (the deputies only, when Weerbaar knows no mayor), and how many the bot can reach in a personal chat now. */
export interface Alerted { alertId: string; recipients: number; reachable: number; deputiesOnly: boolean }

/**
 * Inside the caller's transaction: the alert, and a delivery to each mayor of the municipality. Without a mayor in
 * Weerbaar the deputies are alerted at once rather than after the first unanswered round.
 */
export async function raiseCrisis(tx: Prisma.TransactionClient, at: { municipalityId: string; scopeId: string; signalId?: string; caseId?: string }, summary: CrisisSummary,
  now: Date): Promise<Alerted> {
  const alert = await tx.crisisAlert.create({ data: { ...at, summary: summary as unknown as Prisma.InputJsonValue, createdAt: now, lastSentAt: now } });
  const { tenantId, mayors, deputies } = await alertRecipientsOf(tx, at.municipalityId);
  let requests: DeliveryRequest[] = mayors.map((m) => ({ key: deliveryKey(alert.id, m.aadObjectId, 0), tenantId: m.tenantId, recipientAadId: m.aadObjectId, kind: 'crisis', alertId: alert.id }));
  if (mayors.length === 0) {
    requests = deputies.map((d) => ({ key: deliveryKey(alert.id, d, 'deputy'), tenantId: tenantId ?? '', recipientAadId: d, kind: 'crisis', alertId: alert.id }));
    if (requests.length > 0) await tx.crisisAlert.update({ where: { id: alert.id }, data: { escalatedAt: now } });
  }
  await enqueueDeliveries(tx, requests, now);
  return { alertId: alert.id, recipients: requests.length, reachable: await reachableAmong(tx, requests), deputiesOnly: mayors.length === 0 };
}

/**
 * A repeat of an alert someone already answered is not sent (it was queued before the answer came); the first round
 * still goes to every mayor, since each must know.
 */
export async function crisisDeliveryAnswered(deps: ServiceDeps, d: DeliveryRow): Promise<boolean> {
  if (d.kind !== 'crisis' || !d.alertId || d.key === deliveryKey(d.alertId, d.recipientAadId, 0)) return false;
  return await deps.prisma.crisisAck.count({ where: { alertId: d.alertId } }) > 0;
}

export type MarkResult = ({ kind: 'marked' } & Alerted) | { kind: 'already' } | { kind: 'closed' } | { kind: 'notFound' } | { kind: 'refused'; reason: Refusal };

/** A coordinator (or chair) marks a case as a crisis: the mayor is alerted at once; once per case. */
export async function markCaseCrisis(deps: ServiceDeps, req: RequestContext, caller: Caller, caseId: string): Promise<MarkResult> {
  const grants = grantsFor(caller, 'case.view');
  const row = isUuid(caseId) && grants.length > 0
    ? await deps.prisma.case.findFirst({ where: { AND: [caseVisibility(grants, caller.aadObjectId), { id: caseId }] }, include: { scope: { select: { name: true } },
      signals: { select: { phenomenon: true, place: true }, orderBy: { createdAt: 'asc' }, take: 1 } } })
    : null;
  if (!row) return grants.length === 0 ? { kind: 'refused', reason: refusalFor(caller, 'case.view') } : { kind: 'notFound' };
  const role = roleIn(caller, row.scopeId);
  if (!role || !isAllowed(role, 'case.update')) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'crisis.raise', recordType: 'Case',
      recordId: row.id, result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: 'forbidden' };
  }
  // A closed case is history: its crisis is over, and an anonymised one has nothing left to tell.
  if (row.phase === 'afgesloten' || row.anonymisedAt !== null) return { kind: 'closed' };
  const now = deps.now();
  const alerted = await deps.prisma.$transaction(async (tx) => {
    const marked = await tx.case.updateMany({ where: { id: row.id, crisisAt: null }, data: { crisisAt: now } });
    if (marked.count !== 1) return null;
    const raised = await raiseCrisis(tx, { municipalityId: row.municipalityId, scopeId: row.scopeId, caseId: row.id },
      { reference: row.reference, phenomenon: row.signals[0]?.phenomenon ?? '', place: row.signals[0]?.place ?? '', scopeName: row.scope.name, kind: 'case' }, now);
    await appendSystemEntry(tx, { caseId: row.id }, row.scopeId, caller, now, 'besluit', raised.recipients > 0
      ? `Gemeld als crisis: een melding is naar ${raised.recipients} ${raised.recipients === 1 ? 'ontvanger' : 'ontvangers'} gestuurd.`
      : 'Gemeld als crisis; er is geen burgemeester of vervanger bekend om te alarmeren.');
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'crisis.raise', recordType: 'Case', recordId: row.id,
      result: 'ok', correlationId: req.correlationId, details: { alert: raised.alertId, recipients: raised.recipients, reachable: raised.reachable } });
    return raised;
  });
  if (alerted === null) return { kind: 'already' };
  deps.outbox?.kick();
  return { kind: 'marked', ...alerted };
}

export interface AlertView {
  id: string;
  summary: CrisisSummary;
  createdAt: Date;
  acks: { name: string; kind: CrisisAckKind; at: Date }[];
  /** Phenomenon codes to their names. */
  phenomena: Record<string, { nl: string; en: string }>;
}

async function alertView(deps: ServiceDeps, alertId: string): Promise<AlertView | undefined> {
  const a = await deps.prisma.crisisAlert.findUnique({ where: { id: alertId }, include: { acks: { orderBy: { at: 'asc' } } } });
  if (!a) return undefined;
  const config = (await municipalityConfigs(deps, [a.municipalityId])).get(a.municipalityId);
  return { id: a.id, summary: a.summary as unknown as CrisisSummary, createdAt: a.createdAt, acks: a.acks.map((k) => ({ name: k.name, kind: k.kind as CrisisAckKind, at: k.at })),
    phenomena: phenomenonNames(config) };
}

/** The alert a delivery carries. */
export const alertForDelivery = alertView;

export type AckResult =
  | { kind: 'acknowledged'; alert: AlertView; first: boolean; byDeputy: boolean; channel: ScopeAddress | null }
  | { kind: 'notFound' };

/** The mayor (or a deputy it was escalated to) answers an alert: stored once per kind; the coordinators are told. */
export async function acknowledgeCrisis(deps: ServiceDeps, req: RequestContext, caller: Caller, alertId: string, kind: string): Promise<AckResult> {
  // Only someone the alert was delivered to may answer it.
  const delivered = isUuid(alertId) && (CRISIS_ACKS as readonly string[]).includes(kind)
    ? await deps.prisma.delivery.findFirst({ where: { alertId, recipientAadId: caller.aadObjectId, tenantId: caller.tenantId } }) : null;
  if (!delivered) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: null, action: 'crisis.ack', result: 'denied', correlationId: req.correlationId });
    return { kind: 'notFound' };
  }
  const now = deps.now();
  let first = false;
  try {
    await deps.prisma.$transaction(async (tx) => {
      const existing = await tx.crisisAck.findUnique({ where: { alertId_aadObjectId_kind: { alertId, aadObjectId: caller.aadObjectId, kind } } });
      if (existing) return;
      await tx.crisisAck.create({ data: { alertId, aadObjectId: caller.aadObjectId, name: caller.name, kind, at: now } });
      const alert = await tx.crisisAlert.findUniqueOrThrow({ where: { id: alertId } });
      await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: alert.scopeId, action: 'crisis.ack', recordType: 'CrisisAlert', recordId: alertId,
        result: 'ok', correlationId: req.correlationId, details: { kind } });
      first = true;
    });
  } catch (err) {
    // The same answer from a second click or device at the same moment: the first one counts.
    if (!isUniqueViolation(err)) throw err;
    first = false;
  }
  const row = await deps.prisma.crisisAlert.findUniqueOrThrow({ where: { id: alertId }, select: { scopeId: true } });
  const scope = await deps.prisma.scope.findUnique({ where: { id: row.scopeId }, select: { tenantId: true, serviceUrl: true, channelId: true, chatId: true, kind: true } });
  return { kind: 'acknowledged', alert: await alertView(deps, alertId) as AlertView, first,
    byDeputy: delivered.key === deliveryKey(alertId, caller.aadObjectId, 'deputy'), channel: (scope && addressOfScope(scope)) ?? null };
}

/**
 * Alerts nobody answered within `afterMinutes` of their last send: sent again to the mayors (at most `maxRepeats`
 * times), and at the first repeat also to the deputies. Each repeat is claimed on the row, so it happens once.
 */
export async function repeatUnanswered(deps: ServiceDeps, afterMinutes: number, maxRepeats: number): Promise<number> {
  const now = deps.now();
  const due = await deps.prisma.crisisAlert.findMany({
    where: { acks: { none: {} }, repeats: { lt: maxRepeats }, lastSentAt: { lte: new Date(now.getTime() - afterMinutes * 60_000) } },
    select: { id: true, repeats: true, municipalityId: true, lastSentAt: true },
  });
  let repeated = 0;
  for (const a of due) {
    const sent = await deps.prisma.$transaction(async (tx) => {
      const claimed = await tx.crisisAlert.updateMany({ where: { id: a.id, repeats: a.repeats, acks: { none: {} } }, data: { repeats: { increment: 1 }, lastSentAt: now } });
      if (claimed.count !== 1) return false;
      const round = a.repeats + 1;
      const recipients = await alertRecipientsOf(tx, a.municipalityId);
      const { mayors } = recipients;
      const deputies = a.repeats === 0 ? recipients.deputies.filter((d) => !mayors.some((m) => m.aadObjectId === d)) : [];
      if (deputies.length > 0) await tx.crisisAlert.update({ where: { id: a.id }, data: { escalatedAt: now } });
      await enqueueDeliveries(tx, [
        ...mayors.map((m) => ({ key: deliveryKey(a.id, m.aadObjectId, round), tenantId: m.tenantId, recipientAadId: m.aadObjectId, kind: 'crisis' as const, alertId: a.id })),
        ...deputies.map((d) => ({ key: deliveryKey(a.id, d, 'deputy'), tenantId: recipients.tenantId ?? '', recipientAadId: d, kind: 'crisis' as const, alertId: a.id })),
      ], now);
      return true;
    });
    if (sent) repeated++;
  }
  if (repeated > 0) deps.outbox?.kick();
  return repeated;
}
