// The audit trail in Teams (`audit <SIG-…|CASE-…|naam>`, admins): who saw or did what to a record, or what one
// person saw and did, within the admin's own scopes; the latest events on a card and the whole trail as a one-time
// CSV link. Reading the trail and downloading it are audited too.
import type { Caller } from '../domain/caller.js';
import { normaliseReference } from '../domain/reference.js';
import { recordAudit } from '../store/audit.js';
import { membersNamed } from '../store/scopes.js';
import { toCsv, type AuditRow } from './administration.js';
import { grantsFor, refusalFor, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { hashLinkToken, isLinkToken, newLink } from './oneTimeLinks.js';

const SHOWN = 25;
const MAX_ROWS = 100_000;

export interface TrailEvent { at: Date; actor: string; action: string; record: string; result: string }

export type TrailResult =
  | { kind: 'trail'; label: string; events: TrailEvent[]; total: number; csvUrl: string; expiresAt: Date }
  | { kind: 'notFound' }
  | { kind: 'noMatch' }
  | { kind: 'ambiguous'; names: string[] }
  | { kind: 'refused'; reason: Refusal };

interface TrailFilter { scopeIds: string[]; recordIds: string[]; actorAadId: string | null }

const whereOf = (f: TrailFilter) => ({ scopeId: { in: f.scopeIds }, ...(f.actorAadId ? { actorAadId: f.actorAadId } : { recordId: { in: f.recordIds } }) });

/** Names for the ids in a trail: members of these scopes by AAD id, records by reference. */
async function namesFor(deps: ServiceDeps, scopeIds: readonly string[], actorIds: readonly string[], recordIds: readonly string[]) {
  const [members, signals, cases] = await Promise.all([
    deps.prisma.member.findMany({ where: { scopeId: { in: [...scopeIds] }, aadObjectId: { in: [...actorIds] } }, select: { aadObjectId: true, name: true } }),
    deps.prisma.signal.findMany({ where: { scopeId: { in: [...scopeIds] }, id: { in: [...recordIds] } }, select: { id: true, reference: true } }),
    deps.prisma.case.findMany({ where: { scopeId: { in: [...scopeIds] }, id: { in: [...recordIds] } }, select: { id: true, reference: true } }),
  ]);
  const people = new Map(members.map((m) => [m.aadObjectId, m.name]));
  const records = new Map([...signals, ...cases].map((r) => [r.id, r.reference]));
  return { person: (id: string) => people.get(id) ?? id, record: (id: string | null) => (id ? records.get(id) ?? id : '') };
}

export async function readAuditTrail(deps: ServiceDeps, req: RequestContext, caller: Caller, query: string, publicBaseUrl: string): Promise<TrailResult> {
  // Through grantsFor: in a channel only when everyone reading there may read audit trails.
  const scopeIds = grantsFor(caller, 'audit.read').map((g) => g.scopeId);
  const audit = (result: 'ok' | 'denied', details: Record<string, string | number>) => recordAudit(deps.prisma, { tenantId: caller.tenantId,
    actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'audit.read', result, correlationId: req.correlationId, details });
  if (scopeIds.length === 0) {
    await audit('denied', {});
    return { kind: 'refused', reason: refusalFor(caller, 'audit.read') };
  }
  const reference = normaliseReference(query);
  let filter: TrailFilter;
  let label: string;
  if (reference) {
    const [signals, cases] = await Promise.all([
      deps.prisma.signal.findMany({ where: { scopeId: { in: scopeIds }, reference }, select: { id: true } }),
      deps.prisma.case.findMany({ where: { scopeId: { in: scopeIds }, reference }, select: { id: true } }),
    ]);
    if (signals.length + cases.length === 0) {
      await audit('denied', { found: 0 });
      return { kind: 'notFound' };
    }
    filter = { scopeIds, recordIds: [...signals, ...cases].map((r) => r.id), actorAadId: null };
    label = reference;
  } else {
    const name = query.trim().replace(/^@/, '');
    // Including people who have left: what they saw is exactly what an audit asks.
    const matches = name === '' ? [] : await membersNamed(deps.prisma, scopeIds, name, { activeOnly: false });
    if (matches.length === 0) return { kind: 'noMatch' };
    if (matches.length > 1) return { kind: 'ambiguous', names: matches.map((m) => m.name) };
    filter = { scopeIds, recordIds: [], actorAadId: matches[0].aadObjectId };
    label = matches[0].name;
  }
  const [rows, total] = await Promise.all([
    deps.prisma.auditEvent.findMany({ where: whereOf(filter), orderBy: { id: 'desc' }, take: SHOWN }),
    deps.prisma.auditEvent.count({ where: whereOf(filter) }),
  ]);
  const names = await namesFor(deps, scopeIds, rows.map((r) => r.actorAadId), rows.flatMap((r) => (r.recordId ? [r.recordId] : [])));
  const now = deps.now();
  const { token, tokenHash, expiresAt } = newLink(now);
  await deps.prisma.auditExport.create({ data: { tokenHash, tenantId: caller.tenantId, ...filter, label, requestedByAadId: caller.aadObjectId,
    createdAt: now, expiresAt } });
  await audit('ok', { shown: rows.length, total, ...(reference ? { reference } : { user: filter.actorAadId ?? '' }) });
  return {
    kind: 'trail', label, total, expiresAt, csvUrl: `${publicBaseUrl}/exports/${token}`,
    events: rows.map((r) => ({ at: r.at, actor: names.person(r.actorAadId), action: r.action, record: names.record(r.recordId), result: r.result })),
  };
}

/** The CSV behind a valid, unused, unexpired link; the link is used up. */
export async function downloadAuditCsv(deps: ServiceDeps, token: string, correlationId: string): Promise<{ csv: Buffer; filename: string } | undefined> {
  if (!isLinkToken(token)) return undefined;
  const now = deps.now();
  const claimed = await deps.prisma.auditExport.updateMany({ where: { tokenHash: hashLinkToken(token), downloadedAt: null, expiresAt: { gt: now } }, data: { downloadedAt: now } });
  if (claimed.count !== 1) return undefined;
  const exp = await deps.prisma.auditExport.findUniqueOrThrow({ where: { tokenHash: hashLinkToken(token) } });
  const filter: TrailFilter = { scopeIds: exp.scopeIds, recordIds: exp.recordIds, actorAadId: exp.actorAadId };
  const rows = await deps.prisma.auditEvent.findMany({ where: whereOf(filter), orderBy: { id: 'asc' }, take: MAX_ROWS });
  const csvRows: AuditRow[] = rows.map((r) => ({ at: r.at.toISOString(), actor: r.actorAadId, action: r.action, recordType: r.recordType ?? '',
    recordId: r.recordId ?? '', scopeId: r.scopeId ?? '', result: r.result, correlationId: r.correlationId }));
  await recordAudit(deps.prisma, { tenantId: exp.tenantId, actorAadId: exp.requestedByAadId, scopeId: null, action: 'audit.export', result: 'ok', correlationId,
    details: { rows: rows.length, ...(exp.actorAadId ? { user: exp.actorAadId } : { records: exp.recordIds.length }) } });
  const safeLabel = exp.label.replace(/[^A-Za-z0-9-]+/g, '_').slice(0, 60);
  return { csv: Buffer.from(toCsv(csvRows), 'utf8'), filename: `audit-${safeLabel}.csv` };
}
