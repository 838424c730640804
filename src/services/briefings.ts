// The mayor's briefing: built from the municipality's records (counts at every confidentiality level, which only the
// mayor's aggregate view allows; no names, no addresses), kept as a snapshot, and delivered to the mayor(s) through
// the outbox: on schedule (once per period, whichever process is first), on demand (`briefing`), or ad hoc by a
// coordinator.
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { awaitingOf, briefingContent, briefingDueOn, briefingPeriods, briefingSpan, type BriefingContent, type BriefingPeriod, type SharedCase } from '../domain/briefing.js';
import { zonedInstant } from '../domain/meetings.js';
import { localDate } from '../domain/signalIntake.js';
import { addDays } from '../domain/workingDays.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import { isUniqueViolation } from '../store/errors.js';
import { UNDECIDED_STATUSES } from '../store/signals.js';
import { refusalFor, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { enqueueDeliveries, reachableAmong, withdrawDeliveries, type DeliveryChannel } from './deliveries.js';
import { municipalityConfigs, phenomenonNames } from './municipalities.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface BriefingView {
  id: string | null;
  municipality: string;
  content: BriefingContent;
  /** Phenomenon codes to their names, in both languages. */
  phenomena: Record<string, { nl: string; en: string }>;
  /** When its figures were taken (a stored briefing may be delivered later). */
  madeAt: Date;
}

/** The figures of a municipality for the period before `date`, with the cases shared with the mayor that it lists. */
async function buildBriefing(deps: ServiceDeps, municipalityId: string, kind: BriefingPeriod, date: string, shared: readonly SharedCase[]): Promise<BriefingContent> {
  const spans = briefingSpan(kind, date);
  // Counted by the database per filing day (in localDate's time zone), phenomenon and problem type, on an index-only
  // scan: a few thousand groups rather than every signal of up to a year and a half (and a date conversion for each).
  const ranges = spans.map((r) => Prisma.sql`("createdAt" >= ${zonedInstant(r.from, '00:00')} AND "createdAt" < ${zonedInstant(addDays(r.to, 1), '00:00')})`);
  const groups = await deps.prisma.$queryRaw<{ filedOn: string; phenomenon: string; problemType: string; count: number }[]>`
    SELECT to_char(("createdAt" AT TIME ZONE 'Europe/Amsterdam')::date, 'YYYY-MM-DD') AS "filedOn", "phenomenon", "problemType", count(*)::int AS count
    FROM "Signal" WHERE "municipalityId" = ${municipalityId}::uuid AND (${Prisma.join(ranges, ' OR ')})
    GROUP BY 1, 2, 3`;
  const cases = await deps.prisma.case.findMany({ where: { municipalityId, phase: { not: 'afgesloten' } }, select: { phase: true } });
  // The same for the measures taken on the municipality's cases (StatusChange_measure_idx).
  const measures = await deps.prisma.$queryRaw<{ measure: string; on: string; count: number }[]>`
    SELECT m."toState" AS measure, to_char((m."at" AT TIME ZONE 'Europe/Amsterdam')::date, 'YYYY-MM-DD') AS "on", count(*)::int AS count
    FROM "StatusChange" m JOIN "Case" c ON c."id" = m."caseId"
    WHERE m."transition" = 'maatregel' AND c."municipalityId" = ${municipalityId}::uuid AND m."at" >= ${zonedInstant(spans[0].from, '00:00')}
    GROUP BY 1, 2`;
  const overdue = await deps.prisma.signal.count({ where: { municipalityId, status: { in: [...UNDECIDED_STATUSES] }, dueOn: { lt: new Date(`${date}T00:00:00Z`) } } });
  return briefingContent(kind, date, {
    signals: groups.flatMap((g) => Array.from({ length: g.count }, () => ({ filedOn: g.filedOn, phenomenon: g.phenomenon, problemType: g.problemType }))),
    casePhases: cases.map((c) => c.phase), measures: measures.flatMap((g) => Array.from({ length: g.count }, () => ({ measure: g.measure, on: g.on }))), overdue, shared,
  });
}

/** The open cases a coordinator shares with the mayor now (not one unshared or anonymised since). */
function sharedCases(deps: ServiceDeps, municipalityId: string): Promise<SharedCase[]> {
  return deps.prisma.case.findMany({ where: { municipalityId, sharedWithMayorAt: { not: null }, phase: { not: 'afgesloten' }, anonymisedAt: null },
    select: { reference: true, title: true, phase: true } });
}

async function viewOfBriefing(deps: ServiceDeps, id: string | null, municipalityId: string, content: BriefingContent, madeAt: Date): Promise<BriefingView> {
  const config = (await municipalityConfigs(deps, [municipalityId])).get(municipalityId);
  return { id, municipality: config?.name ?? '', content, phenomena: phenomenonNames(config), madeAt };
}

export interface Mayor { tenantId: string; aadObjectId: string; name: string }

/** The people a municipality's briefings and alerts go to: its mayor(s), from the scopes linked to it. */
export async function mayorsOf(db: Db, municipalityId: string): Promise<Mayor[]> {
  const rows = await db.member.findMany({ where: { role: 'mayor', active: true, scope: { municipalityId } }, select: { aadObjectId: true, name: true, scope: { select: { tenantId: true } } },
    orderBy: { name: 'asc' } });
  const seen = new Set<string>();
  const members = rows.filter((r) => !seen.has(r.aadObjectId) && seen.add(r.aadObjectId)).map((r) => ({ tenantId: r.scope.tenantId, aadObjectId: r.aadObjectId, name: r.name }));
  // The mayors the configuration file names receive them too, in the tenant of the municipality's scopes.
  const configured = configuredMayors((await db.municipality.findUnique({ where: { id: municipalityId }, select: { mayors: true } }))?.mayors)
    .filter((m) => !seen.has(m.aadObjectId));
  if (configured.length === 0) return members;
  const tenantId = members[0]?.tenantId ?? (await db.scope.findFirst({ where: { municipalityId }, select: { tenantId: true } }))?.tenantId;
  return tenantId === undefined ? members : [...members, ...configured.map((m) => ({ tenantId, ...m }))];
}

/** The mayors stored from the configuration file ([{ aadObjectId, name }]); anything else reads as none. */
export function configuredMayors(value: unknown): { aadObjectId: string; name: string }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v: unknown) => (typeof v === 'object' && v !== null && typeof (v as { aadObjectId?: unknown }).aadObjectId === 'string'
    && typeof (v as { name?: unknown }).name === 'string' ? [{ aadObjectId: (v as { aadObjectId: string }).aadObjectId, name: (v as { name: string }).name }] : []));
}

/** Everyone a municipality's crisis alerts may reach: its mayors, its deputies, and the tenant (its mayors', else a linked scope's). */
export async function alertRecipientsOf(db: Db, municipalityId: string): Promise<{ tenantId: string | undefined; mayors: Mayor[]; deputies: string[] }> {
  const mayors = await mayorsOf(db, municipalityId);
  const { deputyAadIds } = await db.municipality.findUniqueOrThrow({ where: { id: municipalityId }, select: { deputyAadIds: true } });
  const tenantId = mayors[0]?.tenantId ?? (await db.scope.findFirst({ where: { municipalityId }, select: { tenantId: true } }))?.tenantId;
  return { tenantId, mayors, deputies: deputyAadIds };
}

/**
 * Stores a briefing and its deliveries to these mayors in one transaction. The stored figures hold no case: the shared
 * cases are read when the card is rendered, so a case unshared or anonymised since never reaches the mayor, and no
 * case title outlives its retention in a snapshot.
 */
async function issueBriefing(deps: ServiceDeps, municipalityId: string, mayors: readonly Mayor[], kind: BriefingPeriod, date: string,
  how: { scheduleKey?: string; createdByAadId?: string }): Promise<{ id: string; recipients: number; reachable: number } | null> {
  const content = await buildBriefing(deps, municipalityId, kind, date, []);
  return deps.prisma.$transaction(async (tx) => {
    if (how.scheduleKey && await tx.briefing.findUnique({ where: { scheduleKey: how.scheduleKey }, select: { id: true } })) return null;
    const b = await tx.briefing.create({ data: {
      municipalityId, period: kind, periodStart: content.periods.current.from, periodEnd: content.periods.current.to, kind: how.scheduleKey ? 'scheduled' : 'adhoc',
      scheduleKey: how.scheduleKey ?? null, content: content as unknown as Prisma.InputJsonValue, createdByAadId: how.createdByAadId ?? null,
      createdAt: deps.now(),
    } });
    const requests = mayors.map((m) => ({ key: `briefing:${b.id}:${m.aadObjectId}`, tenantId: m.tenantId, recipientAadId: m.aadObjectId, kind: 'briefing' as const, briefingId: b.id }));
    await enqueueDeliveries(tx, requests, deps.now());
    return { id: b.id, recipients: mayors.length, reachable: await reachableAmong(tx, requests) };
  });
}

export interface BriefingSchedule { period: BriefingPeriod; weekday: number; time: string }

/**
 * The scheduled briefings due now: for every municipality with a mayor, once per period, from the scheduled moment of
 * its first day (a week: the configured weekday; a month or quarter: its first day) on. The unique schedule key makes
 * a second process (or a second run) find it done.
 */
export async function issueScheduledBriefings(deps: ServiceDeps, schedule: BriefingSchedule): Promise<number> {
  const now = deps.now();
  const today = localDate(now);
  const periods = briefingPeriods(schedule.period, today);
  const due = briefingDueOn(schedule.period, schedule.weekday, today);
  if (today < due || now < zonedInstant(due, schedule.time)) return 0;
  const municipalities = await deps.prisma.municipality.findMany({ where: { scopes: { some: { members: { some: { role: 'mayor', active: true } } } } }, select: { id: true } });
  const keyOf = (municipalityId: string) => `${municipalityId}:${schedule.period}:${periods.current.from}`;
  // Checked before the figures are built: every run after the due moment finds most of them issued.
  const issuedBefore = new Set((await deps.prisma.briefing.findMany({ where: { scheduleKey: { in: municipalities.map((m) => keyOf(m.id)) } }, select: { scheduleKey: true } }))
    .map((b) => b.scheduleKey));
  let issued = 0;
  for (const m of municipalities.filter((x) => !issuedBefore.has(keyOf(x.id)))) {
    try {
      if (await issueBriefing(deps, m.id, await mayorsOf(deps.prisma, m.id), schedule.period, today, { scheduleKey: keyOf(m.id) })) issued++;
    } catch (err) {
      // Another process issued it between the check and the insert: the unique key said so. Anything else stays with
      // this municipality; the others still get theirs, and the next run tries it again.
      if (!isUniqueViolation(err)) deps.log.error({ err, municipalityId: m.id }, 'scheduled briefing not issued');
    }
  }
  if (issued > 0) deps.outbox?.kick();
  return issued;
}

export type OnDemandResult = { kind: 'briefings'; views: BriefingView[] } | { kind: 'refused'; reason: Refusal | 'mayorOnly' | 'personalOnly' };

/** `briefing` in the mayor's personal chat: the current figures of each municipality she is mayor of. */
export async function briefingOnDemand(deps: ServiceDeps, req: RequestContext, caller: Caller, period: BriefingPeriod): Promise<OnDemandResult> {
  if (caller.place.kind !== 'personal' || caller.mayorOf.length === 0) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'briefing.view',
      result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: caller.mayorOf.length === 0 ? 'mayorOnly' : 'personalOnly' };
  }
  const municipalityIds = [...new Set(caller.memberships.filter((m) => m.role === 'mayor' && m.municipalityId).map((m) => m.municipalityId as string))];
  const today = localDate(deps.now());
  const views: BriefingView[] = [];
  for (const id of municipalityIds) views.push(await viewOfBriefing(deps, null, id, await buildBriefing(deps, id, period, today, await sharedCases(deps, id)), deps.now()));
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: null, action: 'briefing.view', result: 'ok',
    correlationId: req.correlationId, details: { municipalities: municipalityIds.length, period } });
  return { kind: 'briefings', views };
}

/** `unreachable`: recipients without a personal chat with the bot (yet), whose card waits for an installation or is given up. */
export type AdHocResult = { kind: 'sent'; recipients: number; unreachable: number; municipality: string } | { kind: 'noMayor' } | { kind: 'refused'; reason: Refusal };

/** A coordinator sends the briefing of their channel's municipality to its mayor(s) now. */
export async function sendAdHocBriefing(deps: ServiceDeps, req: RequestContext, caller: Caller, period: BriefingPeriod): Promise<AdHocResult> {
  const scope = caller.currentScope;
  if (caller.place.kind === 'personal' || !scope || !scope.municipalityId || !isAllowed(scope.role, 'briefing.send')) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: scope?.scopeId ?? null, action: 'briefing.send', result: 'denied',
      correlationId: req.correlationId });
    return { kind: 'refused', reason: scope ? 'forbidden' : refusalFor(caller) };
  }
  const mayors = await mayorsOf(deps.prisma, scope.municipalityId);
  // Nothing is stored for no one.
  const issued = mayors.length === 0 ? null : await issueBriefing(deps, scope.municipalityId, mayors, period, localDate(deps.now()), { createdByAadId: caller.aadObjectId });
  if (!issued) return { kind: 'noMayor' };
  deps.outbox?.kick();
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: scope.scopeId, action: 'briefing.send', recordType: 'Briefing',
    recordId: issued.id, result: 'ok', correlationId: req.correlationId, details: { recipients: issued.recipients, period } });
  const config = (await municipalityConfigs(deps, [scope.municipalityId])).get(scope.municipalityId);
  return { kind: 'sent', recipients: issued.recipients, unreachable: issued.recipients - issued.reachable, municipality: config?.name ?? '' };
}

/** The stored briefing a delivery carries, with the cases shared with the mayor now; 'withdrawn' when taken back. */
export async function briefingForDelivery(deps: ServiceDeps, briefingId: string): Promise<BriefingView | 'withdrawn' | undefined> {
  const b = await deps.prisma.briefing.findUnique({ where: { id: briefingId } });
  if (!b) return undefined;
  if (b.withdrawnAt) return 'withdrawn';
  const content = { ...(b.content as unknown as BriefingContent), awaiting: awaitingOf(await sharedCases(deps, b.municipalityId)) };
  return viewOfBriefing(deps, b.id, b.municipalityId, content, b.createdAt);
}

/** Takes a briefing back: removed from the chats it reached, not sent where it had not gone yet. */
export async function withdrawBriefing(deps: ServiceDeps, channel: DeliveryChannel, briefingId: string): Promise<{ removed: number; failed: number }> {
  await deps.prisma.briefing.updateMany({ where: { id: briefingId, withdrawnAt: null }, data: { withdrawnAt: deps.now() } });
  return withdrawDeliveries(deps, channel, { briefingId });
}
