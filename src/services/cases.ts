// Cases (casus): promote discussed signals to a case, move it through its phases, record measures, lead and
// target date. Each write is one transaction with its history and audit.
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { availablePhaseChanges, CASE_PHASE_LABELS, checkPhaseChange, MEASURE_LABELS, MEASURES, type CasePhase, type Measure, type PhaseChangeKind, type PhaseChangeRefusal,
  type PhaseMove } from '../domain/caseWorkflow.js';
import type { Prisma } from '../generated/prisma/client.js';
import { formatReference, normaliseReference } from '../domain/reference.js';
import { CONFIDENTIALITY_LEVELS, isCalendarDate, LIMITS } from '../domain/signalIntake.js';
import { checkTransition } from '../domain/signalWorkflow.js';
import { recordAudit } from '../store/audit.js';
import { appendSystemEntry } from '../store/journal.js';
import { attachSignals, changeCasePhase, findCase, insertCase, listCases as listCaseRows, updateCase as writeCase, type CaseRow } from '../store/cases.js';
import { changeSignalStatus, findSignals, recordStatusChange, takeNextNumber, type SignalRow } from '../store/signals.js';
import { findOfficer, officersOf } from '../store/scopes.js';
import { relatedRecords, subjectsOf } from '../store/subjects.js';
import { caseVisibility, signalVisibility } from '../store/visibility.js';
import { grantsFor, refusalFor, roleIn, seesMoreAlone, type Refusal } from './callers.js';
import { visibleOnlyInPersonalChat } from './audience.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { municipalityConfigs } from './municipalities.js';
import { origin, type ListResult, type SubjectView } from './signals.js';

export interface CaseView {
  id: string;
  reference: string;
  title: string;
  phase: CasePhase;
  phaseReason: string | null;
  measures: Measure[];
  lead: { aadObjectId: string; name: string } | null;
  targetDate: string | null;
  confidentiality: string;
  scopeName: string;
  signals: string[];
  sharedWithMayorAt: Date | null;
  /** Reported to the mayor as a crisis. */
  crisisAt: Date | null;
  createdAt: Date;
}

export interface CaseDetail {
  case: CaseView;
  subjects: SubjectView[];
  related: { signals: string[]; cases: string[] };
  phaseChanges: PhaseMove[];
  mayUpdate: boolean;
  /** May share the case with the mayor or take that back. */
  mayShare: boolean;
  members: { aadObjectId: string; name: string }[];
}

export type PromoteRefusal = 'notDiscussed' | 'differentScopes' | 'alreadyInCase' | 'forbiddenForRole' | 'noSignals' | 'changedMeanwhile';

export type CaseResult =
  | { kind: 'done'; detail: CaseDetail }
  | { kind: 'rejected'; code: PhaseChangeRefusal | PromoteRefusal | 'invalidInput' | 'unknownMember'; detail?: CaseDetail; field?: string }
  | { kind: 'notFound'; missing?: string[] }
  | { kind: 'refused'; reason: Refusal };

const CASE_KIND = 'CASE';
const MAX_SIGNALS_PER_PROMOTION = 20;

const levelRank = (level: string) => (CONFIDENTIALITY_LEVELS as readonly string[]).indexOf(level);

function caseView(row: CaseRow): CaseView {
  return {
    id: row.id, reference: row.reference, title: row.title, phase: row.phase as CasePhase, phaseReason: row.phaseReason,
    measures: row.measures.filter((m): m is Measure => (MEASURES as readonly string[]).includes(m)),
    lead: row.leadAadId ? { aadObjectId: row.leadAadId, name: row.leadName ?? '' } : null,
    targetDate: row.targetDate ? row.targetDate.toISOString().slice(0, 10) : null,
    confidentiality: row.confidentiality, scopeName: row.scope.name, signals: row.signals.map((s) => s.reference),
    sharedWithMayorAt: row.sharedWithMayorAt, crisisAt: row.crisisAt, createdAt: row.createdAt,
  };
}

/**
 * The references of these cases' signals as far as this viewer may see them (one query for all): the mayor sees a
 * shared case, not its signals.
 */
async function signalsSeen(deps: ServiceDeps, caller: Caller, cases: readonly CaseRow[]): Promise<(c: CaseRow) => string[]> {
  const seen = new Set((await deps.prisma.signal.findMany({ where: { AND: [signalVisibility(grantsFor(caller, 'signal.view'), caller.aadObjectId),
    { caseId: { in: cases.map((c) => c.id) } }] }, select: { id: true } })).map((s) => s.id));
  return (c) => c.signals.filter((s) => seen.has(s.id)).map((s) => s.reference);
}

export async function caseDetailOf(deps: ServiceDeps, caller: Caller, row: CaseRow): Promise<CaseDetail> {
  const role = roleIn(caller, row.scopeId);
  const subjects = await subjectsOf(deps.prisma, { caseId: row.id });
  const related = await relatedRecords(deps.prisma, subjects.map((s) => s.id), { caseId: row.id },
    // The case's own signals are listed as its signals, not as "also in".
    { AND: [signalVisibility(grantsFor(caller, 'signal.view'), caller.aadObjectId), { OR: [{ caseId: null }, { caseId: { not: row.id } }] }] },
    caseVisibility(grantsFor(caller, 'case.view'), caller.aadObjectId));
  const mayUpdate = role !== undefined && isAllowed(role, 'case.update');
  const members = mayUpdate ? await officersOf(deps.prisma, row.scopeId) : [];
  const signalsOf = await signalsSeen(deps, caller, [row]);
  return {
    case: { ...caseView(row), signals: signalsOf(row) },
    subjects: subjects.map((s) => ({ kind: s.kind, displayName: s.displayName })),
    related,
    phaseChanges: role ? availablePhaseChanges(row.phase as CasePhase, role) : [],
    mayUpdate,
    mayShare: role !== undefined && isAllowed(role, 'case.share'),
    members,
  };
}

async function visibleCase(deps: ServiceDeps, caller: Caller, by: { id: string } | { reference: string }) {
  const grants = grantsFor(caller, 'case.view');
  return grants.length === 0 ? null : findCase(deps.prisma, caseVisibility(grants, caller.aadObjectId), by);
}

/**
 * Promote one or more discussed signals of one scope to a new case, led by the caller. Typed references, or the id
 * of the card's signal (a reference can name a signal in each municipality the caller works for).
 */
export async function promoteToCase(deps: ServiceDeps, req: RequestContext, caller: Caller, which: { references: readonly string[] } | { signalId: string },
  title?: string): Promise<CaseResult> {
  const grants = grantsFor(caller, 'signal.view');
  if (grants.length === 0) return { kind: 'refused', reason: refusalFor(caller, 'signal.view') };
  const visible = signalVisibility(grants, caller.aadObjectId);
  let signals: SignalRow[];
  let wanted: string[];
  if ('signalId' in which) {
    signals = await findSignals(deps.prisma, visible, [which.signalId]);
    if (signals.length === 0) return { kind: 'notFound' };
    wanted = signals.map((s) => s.reference);
  } else {
    wanted = [...new Set(which.references.map((r) => normaliseReference(r)).filter((r): r is string => r !== undefined))].slice(0, MAX_SIGNALS_PER_PROMOTION);
    if (wanted.length === 0) return { kind: 'rejected', code: 'noSignals' };
    const rows = await deps.prisma.signal.findMany({ where: { AND: [visible, { reference: { in: wanted } }] }, select: { id: true } });
    signals = await findSignals(deps.prisma, visible, rows.map((r) => r.id));
    const missing = wanted.filter((w) => !signals.some((s) => s.reference === w));
    if (missing.length > 0) return { kind: 'notFound', missing };
  }
  const scopeId = signals[0].scopeId;
  if (signals.some((s) => s.scopeId !== scopeId)) return { kind: 'rejected', code: 'differentScopes' };
  const role = roleIn(caller, scopeId);
  const deny = async (code: PromoteRefusal): Promise<CaseResult> => {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId, action: 'case.create', result: 'denied',
      correlationId: req.correlationId, details: { code, signals: wanted } });
    return { kind: 'rejected', code };
  };
  if (!role || !isAllowed(role, 'case.create')) return deny('forbiddenForRole');
  // All of them in one case already: the same request again (a double-click, Teams' retry), nothing to record twice.
  if (signals.every((s) => s.caseId !== null && s.caseId === signals[0].caseId)) return { kind: 'rejected', code: 'alreadyInCase' };
  if (signals.some((s) => s.caseId !== null)) return deny('alreadyInCase');
  if (signals.some((s) => !checkTransition(s.status, 'promoveren', {}, role).ok)) return deny('notDiscussed');

  const caseTitle = await caseTitleFor(deps, signals, title);
  const created = await deps.prisma.$transaction(async (tx) => {
    const made = await createCaseFrom(deps, tx, signals, caller, caseTitle);
    if (made === null) return null;
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId, action: 'case.create', recordType: 'Case', recordId: made.id,
      result: 'ok', correlationId: req.correlationId, details: { signals: signals.map((s) => s.reference) } });
    return made.id;
  });
  // Someone (or the same request, delivered twice at once) made it meanwhile: not a refusal to record.
  if (created === null) return { kind: 'rejected', code: 'changedMeanwhile' };
  const row = await visibleCase(deps, caller, { id: created });
  return row ? { kind: 'done', detail: await caseDetailOf(deps, caller, row) } : { kind: 'notFound' };
}

/** The title a new case gets: the one given, or the phenomenon and address of its first signal. Read before the transaction. */
export async function caseTitleFor(deps: ServiceDeps, signals: readonly SignalRow[], title?: string): Promise<string> {
  const first = signals[0];
  const municipality = (await municipalityConfigs(deps, [first.municipalityId])).get(first.municipalityId);
  const phenomenon = municipality?.phenomena.find((p) => p.code === first.phenomenon)?.nl ?? first.phenomenon;
  return (title?.trim() || `${phenomenon}: ${first.street} ${first.houseNumber}, ${first.place}`).slice(0, LIMITS.name.max);
}

/**
 * A new case from discussed signals of one scope, inside the caller's transaction (which must use `tx` only): its
 * reference, the signals moved to status casus, their subjects linked, the history and both journals. Null when a
 * signal moved meanwhile (the caller rolls back).
 */
export async function createCaseFrom(deps: ServiceDeps, tx: Prisma.TransactionClient, signals: readonly SignalRow[], actor: { aadObjectId: string; name: string },
  caseTitle: string): Promise<{ id: string; reference: string } | null> {
  const first = signals[0];
  const scopeId = first.scopeId;
  // The case is as confidential as its most confidential signal.
  const confidentiality = signals.map((s) => s.confidentiality).reduce((a, b) => (levelRank(b) > levelRank(a) ? b : a));
  const { now, today } = origin(deps);
  const who = { aadObjectId: actor.aadObjectId, name: actor.name };
  const sequence = await takeNextNumber(tx, first.municipalityId, CASE_KIND, Number(today.slice(0, 4)));
  const row = await insertCase(tx, {
    scopeId, municipalityId: first.municipalityId, reference: formatReference(CASE_KIND, Number(today.slice(0, 4)), sequence), title: caseTitle,
    confidentiality, leadAadId: actor.aadObjectId, leadName: actor.name, createdByAadId: actor.aadObjectId, createdAt: now,
  });
  for (const s of signals) {
    if (!await changeSignalStatus(tx, s.id, s.status, { status: 'casus', statusReason: null, statusChangedAt: now })) return null;
    await recordStatusChange(tx, { signalId: s.id, transition: 'promoveren', fromState: s.status, toState: 'casus', actorAadId: actor.aadObjectId, actorName: actor.name, at: now });
    // The case's own journal names its signals; the signal's journal does not name the case, which may be more confidential.
    await appendSystemEntry(tx, { signalId: s.id }, scopeId, who, now, 'besluit', 'Opgenomen in een casus; status: casus.');
  }
  await attachSignals(tx, row.id, signals.map((s) => s.id));
  const links = await tx.subjectLink.findMany({ where: { signalId: { in: signals.map((s) => s.id) } }, include: { subject: true } });
  for (const l of links) await tx.subjectLink.upsert({ where: { subjectId_caseId: { subjectId: l.subjectId, caseId: row.id } }, create: { subjectId: l.subjectId, caseId: row.id }, update: {} });
  await recordStatusChange(tx, { caseId: row.id, transition: 'aanmaken', fromState: '', toState: 'signalering', actorAadId: actor.aadObjectId, actorName: actor.name, at: now });
  await appendSystemEntry(tx, { caseId: row.id }, scopeId, who, now, 'besluit',
    `Casus ${row.reference} aangemaakt uit ${signals.map((s) => s.reference).join(', ')}; fase: signalering.`);
  return { id: row.id, reference: row.reference };
}

export async function openCase(deps: ServiceDeps, req: RequestContext, caller: Caller, by: { id: string } | { reference: string }): Promise<CaseResult> {
  if (grantsFor(caller, 'case.view').length === 0) return { kind: 'refused', reason: refusalFor(caller, 'case.view') };
  const key = 'reference' in by ? normaliseReference(by.reference) : by.id;
  const where = key === undefined ? undefined : 'reference' in by ? { reference: key } : { id: key };
  const row = where === undefined ? null : await visibleCase(deps, caller, where);
  const elsewhere = !row && where !== undefined && await visibleOnlyInPersonalChat(deps, caller, { case: where });
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row?.scopeId ?? caller.currentScope?.scopeId ?? null,
    action: 'case.view', recordType: 'Case', recordId: row?.id, result: row ? 'ok' : 'denied', correlationId: req.correlationId,
    details: elsewhere ? { reason: 'audience' } : undefined });
  if (row) return { kind: 'done', detail: await caseDetailOf(deps, caller, row) };
  return elsewhere ? { kind: 'refused', reason: 'audience' } : { kind: 'notFound' };
}

/** One phase move inside the caller's transaction: the phase (only from `phase`), its history and the journal's entry. */
export async function applyPhaseStep(tx: Prisma.TransactionClient, c: { id: string; scopeId: string; phase: string }, step: { kind: PhaseChangeKind; to: CasePhase; reason: string | null },
  actor: { aadObjectId: string; name: string }, now: Date): Promise<boolean> {
  if (!await changeCasePhase(tx, c.id, c.phase, { phase: step.to, phaseReason: step.reason })) return false;
  await recordStatusChange(tx, { caseId: c.id, transition: step.kind, fromState: c.phase, toState: step.to, reason: step.reason,
    actorAadId: actor.aadObjectId, actorName: actor.name, at: now });
  await appendSystemEntry(tx, { caseId: c.id }, c.scopeId, { aadObjectId: actor.aadObjectId, name: actor.name }, now, 'statuswijziging',
    `Fase: ${CASE_PHASE_LABELS[c.phase as CasePhase]?.nl ?? c.phase} → ${CASE_PHASE_LABELS[step.to].nl}.${step.reason ? ` Reden: ${step.reason}` : ''}`);
  return true;
}

export async function changePhase(deps: ServiceDeps, req: RequestContext, caller: Caller, caseId: string, to: string, reason: string | undefined): Promise<CaseResult> {
  const row = await visibleCase(deps, caller, { id: caseId });
  if (!row) return grantsFor(caller, 'case.view').length === 0 ? { kind: 'refused', reason: refusalFor(caller, 'case.view') } : { kind: 'notFound' };
  const role = roleIn(caller, row.scopeId);
  const target = to as CasePhase;
  const check = role ? checkPhaseChange(row.phase as CasePhase, target, reason, role) : { ok: false as const, code: 'forbiddenForRole' as const };
  // The same phase again (a double-click, Teams' retry): nothing was attempted, nothing to record a second time.
  if (!check.ok && check.code === 'samePhase') return { kind: 'rejected', code: check.code, detail: await caseDetailOf(deps, caller, row) };
  if (!check.ok) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'case.phase', recordType: 'Case',
      recordId: row.id, result: 'denied', correlationId: req.correlationId, details: { code: check.code } });
    return { kind: 'rejected', code: check.code, detail: await caseDetailOf(deps, caller, row) };
  }
  const now = deps.now();
  const moved = await deps.prisma.$transaction(async (tx) => {
    if (!await applyPhaseStep(tx, row, { kind: check.move.kind, to: check.to, reason: check.reason }, caller, now)) return false;
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'case.phase', recordType: 'Case',
      recordId: row.id, result: 'ok', correlationId: req.correlationId, details: { from: row.phase, to: check.to } });
    return true;
  });
  const fresh = await visibleCase(deps, caller, { id: caseId }) ?? row;
  return moved ? { kind: 'done', detail: await caseDetailOf(deps, caller, fresh) }
    : { kind: 'rejected', code: 'changedMeanwhile', detail: await caseDetailOf(deps, caller, fresh) };
}

/**
 * A coordinator shares a case with the mayor (who otherwise sees aggregates only), or takes that back. The
 * journal says so, because what the mayor saw is part of the account.
 */
export async function shareWithMayor(deps: ServiceDeps, req: RequestContext, caller: Caller, caseId: string, share: boolean): Promise<CaseResult> {
  const row = await visibleCase(deps, caller, { id: caseId });
  if (!row) return grantsFor(caller, 'case.view').length === 0 ? { kind: 'refused', reason: refusalFor(caller, 'case.view') } : { kind: 'notFound' };
  const role = roleIn(caller, row.scopeId);
  const action = share ? 'case.share' : 'case.unshare';
  if (!role || !isAllowed(role, 'case.share')) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action, recordType: 'Case',
      recordId: row.id, result: 'denied', correlationId: req.correlationId });
    return { kind: 'rejected', code: 'forbiddenForRole', detail: await caseDetailOf(deps, caller, row) };
  }
  // Pressing the button twice (or two coordinators at once) changes nothing the second time.
  if ((row.sharedWithMayorAt !== null) === share) return { kind: 'done', detail: await caseDetailOf(deps, caller, row) };
  const now = deps.now();
  await deps.prisma.$transaction(async (tx) => {
    const changed = await tx.case.updateMany({ where: { id: row.id, sharedWithMayorAt: share ? null : { not: null } }, data: { sharedWithMayorAt: share ? now : null } });
    if (changed.count === 0) return;
    await appendSystemEntry(tx, { caseId: row.id }, row.scopeId, { aadObjectId: caller.aadObjectId, name: caller.name }, now, 'besluit',
      share ? 'Casus gedeeld met de burgemeester.' : 'Delen met de burgemeester ingetrokken.');
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action, recordType: 'Case',
      recordId: row.id, result: 'ok', correlationId: req.correlationId });
  });
  const fresh = await visibleCase(deps, caller, { id: caseId }) ?? row;
  return { kind: 'done', detail: await caseDetailOf(deps, caller, fresh) };
}

export interface CaseUpdate { measures: string[]; leadAadId: string; targetDate: string; title: string }

export async function updateCase(deps: ServiceDeps, req: RequestContext, caller: Caller, caseId: string, input: CaseUpdate): Promise<CaseResult> {
  const row = await visibleCase(deps, caller, { id: caseId });
  if (!row) return grantsFor(caller, 'case.view').length === 0 ? { kind: 'refused', reason: refusalFor(caller, 'case.view') } : { kind: 'notFound' };
  const role = roleIn(caller, row.scopeId);
  if (!role || !isAllowed(role, 'case.update')) return { kind: 'rejected', code: 'forbiddenForRole', detail: await caseDetailOf(deps, caller, row) };
  const reject = async (field: string, code: 'invalidInput' | 'unknownMember' = 'invalidInput'): Promise<CaseResult> =>
    ({ kind: 'rejected', code, field, detail: await caseDetailOf(deps, caller, row) });
  const measures = input.measures.map((m) => m.trim()).filter(Boolean);
  if (measures.some((m) => !(MEASURES as readonly string[]).includes(m))) return reject('measures');
  const title = input.title.trim().replace(/\s+/g, ' ');
  if (title.length < LIMITS.name.min || title.length > LIMITS.name.max) return reject('title');
  const targetDate = input.targetDate.trim();
  if (targetDate !== '' && !isCalendarDate(targetDate)) return reject('targetDate');
  const lead = input.leadAadId.trim() === '' ? null
    : await findOfficer(deps.prisma, row.scopeId, input.leadAadId.trim());
  if (input.leadAadId.trim() !== '' && !lead) return reject('leadAadId', 'unknownMember');
  await deps.prisma.$transaction(async (tx) => {
    // A repeated submit (a double-click, Teams' retry) asks for what is already so: nothing to record a second time.
    await tx.$executeRaw`SELECT 1 FROM "Case" WHERE id = ${row.id}::uuid FOR UPDATE`;
    const current = await tx.case.findUnique({ where: { id: row.id }, select: { measures: true, title: true, targetDate: true, leadAadId: true } });
    const wanted = [...new Set(measures)];
    if (current && current.title === title && (current.leadAadId ?? null) === (lead?.aadObjectId ?? null)
      && (current.targetDate?.toISOString().slice(0, 10) ?? '') === targetDate
      && current.measures.length === wanted.length && wanted.every((m) => current.measures.includes(m))) return;
    await writeCase(tx, row.id, { measures: [...new Set(measures)], title, targetDate: targetDate === '' ? null : new Date(`${targetDate}T00:00:00Z`),
      leadAadId: lead?.aadObjectId ?? null, leadName: lead?.name ?? null });
    // Each measure taken is dated (the mayor's briefing counts them per period).
    const now = deps.now();
    for (const measure of [...new Set(measures)].filter((m) => !row.measures.includes(m))) {
      await recordStatusChange(tx, { caseId: row.id, transition: 'maatregel', fromState: '', toState: measure, actorAadId: caller.aadObjectId, actorName: caller.name, at: now });
    }
    const labels = [...new Set(measures)].map((m) => MEASURE_LABELS[m as Measure].nl);
    await appendSystemEntry(tx, { caseId: row.id }, row.scopeId, { aadObjectId: caller.aadObjectId, name: caller.name }, now, 'besluit',
      `Casusgegevens: maatregelen ${labels.length > 0 ? labels.join(', ') : 'geen'}; regisseur ${lead?.name ?? 'geen'}; streefdatum ${targetDate || 'geen'}.`);
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'case.update', recordType: 'Case',
      recordId: row.id, result: 'ok', correlationId: req.correlationId, details: { measures: [...new Set(measures)] } });
  });
  const fresh = await visibleCase(deps, caller, { id: caseId }) ?? row;
  return { kind: 'done', detail: await caseDetailOf(deps, caller, fresh) };
}

export async function listCases(deps: ServiceDeps, req: RequestContext, caller: Caller, page = 1): Promise<ListResult> {
  const grants = grantsFor(caller, 'case.view');
  if (grants.length === 0) return { kind: 'refused', reason: refusalFor(caller, 'case.view') };
  const safePage = Math.max(1, Math.min(page, 1000));
  const { rows, total } = await listCaseRows(deps.prisma, caseVisibility(grants, caller.aadObjectId), true, (safePage - 1) * 10, 10);
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'case.list',
    result: 'ok', correlationId: req.correlationId, details: { page: safePage, count: rows.length } });
  const signalsOf = await signalsSeen(deps, caller, rows);
  return { kind: 'list', items: rows.map((c) => ({ kind: 'case', id: c.id, reference: c.reference, title: { nl: c.title, en: c.title }, status: c.phase,
    subtitle: signalsOf(c).join(', '), deadline: null })),
    total, page: safePage, pageSize: 10, notAllHere: seesMoreAlone(caller, 'case.view') };
}
