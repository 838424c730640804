// Use cases of signals: prepare the form, file (validated; one transaction with reference, submission key,
// subjects and audit), open, list, search. Every read goes through the caller's grants.
import { randomUUID } from 'node:crypto';
import type { Caller, Membership } from '../domain/caller.js';
import { isAllowed, sightOf } from '../domain/access.js';
import type { Phenomenon } from '../domain/phenomena.js';
import { termDaysOf } from '../domain/phenomena.js';
import { formatReference, normaliseReference } from '../domain/reference.js';
import { localDate, localTime, validateSignal, type FieldError, type SignalDraft } from '../domain/signalIntake.js';
import { availableTransitions, SIGNAL_STATUSES, type SignalStatus, type TransitionRule } from '../domain/signalWorkflow.js';
import { addWorkingDays, deadlineState, type DeadlineState } from '../domain/workingDays.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import { raiseCrisis } from './crisis.js';
import { isUniqueViolation } from '../store/errors.js';
import { appendSystemEntry } from '../store/journal.js';
import { findSignal, findSignals, insertSignal, listSignals as listSignalRows, takeNextNumber, UNDECIDED_STATUSES, worklistCounts, type SignalFilter, type SignalRow } from '../store/signals.js';
import { searchIds } from '../store/search.js';
import { officersOf } from '../store/scopes.js';
import { linkSubjects, relatedRecords, subjectsOf } from '../store/subjects.js';
import { findSubmission, insertSubmission } from '../store/submissions.js';
import { caseVisibility, signalVisibility } from '../store/visibility.js';
import { grantsFor, membershipsFor, ownGrantsFor, refusalFor, roleIn, seesMoreAlone, type Refusal } from './callers.js';
import { visibleOnlyInPersonalChat } from './audience.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { municipalitiesOfScopes } from './accessReview.js';
import { municipalityConfigs, type MunicipalityConfig } from './municipalities.js';

export interface SubjectView { kind: string; displayName: string }

export interface SignalView {
  id: string;
  scopeId: string;
  reference: string;
  phenomenon: Phenomenon;
  description: string;
  address: string;
  postcode: string;
  observedOn: string;
  observedTime: string | null;
  sourceType: string;
  sourceNature: string;
  sourceReliability: string;
  informationReliability: number;
  urgency: string;
  problemType: string;
  confidentiality: string;
  legalBasis: { code: string; nl: string; en: string };
  status: SignalStatus;
  statusReason: string | null;
  handedOverTo: string | null;
  assignee: { aadObjectId: string; name: string } | null;
  reporterName: string;
  scopeName: string;
  caseReference: string | null;
  sourceMessageUrl: string | null;
  createdAt: Date;
  deadline: { dueOn: string; state: DeadlineState; workingDaysLate: number } | null;
}

/** A signal as one viewer may act on it: the card's buttons depend on this. */
export interface SignalDetail {
  signal: SignalView;
  subjects: SubjectView[];
  related: { signals: string[]; cases: string[] };
  transitions: TransitionRule[];
  mayAssign: boolean;
  assignees: { aadObjectId: string; name: string }[];
}

export interface FormScope {
  scopeId: string;
  /** The form's value for this choice: the scope id, or "<scope id>:<municipality code>" in a scope serving several. */
  choice: string;
  name: string;
  municipality: MunicipalityConfig;
}

export type FormResult =
  /** fixedScopeId: the one choice there is (a channel serving one municipality); undefined: the form asks. */
  | { kind: 'form'; scopes: FormScope[]; fixedScopeId: string | undefined }
  | { kind: 'refused'; reason: Refusal };

export type FileResult =
  | { kind: 'created'; detail: SignalDetail }
  | { kind: 'duplicate'; detail: SignalDetail }
  // Filed, but more confidential than everyone reading here may see: only the filer is told, with its reference.
  | { kind: 'filedOutOfSight'; reference: string }
  | { kind: 'invalid'; errors: FieldError[]; form: Extract<FormResult, { kind: 'form' }> }
  | { kind: 'refused'; reason: Refusal };

/** ambiguous: references are numbered per municipality, so in personal chat one reference can name two signals. */
export type OpenResult = { kind: 'found'; detail: SignalDetail } | { kind: 'ambiguous' } | { kind: 'notFound' } | { kind: 'refused'; reason: Refusal };

export type ListQuery =
  | { kind: 'recent' } | { kind: 'mine' } | { kind: 'open' } | { kind: 'overdue' }
  | { kind: 'status'; status: string } | { kind: 'phenomenon'; phenomenon: string } | { kind: 'assignee'; aadObjectId: string | null };

/** title: the phenomenon in both languages for a signal; a case's title is its own text. */
export interface ListItem { kind: 'signal' | 'case'; id: string; reference: string; title: { nl: string; en: string }; status: string; subtitle: string; deadline: DeadlineState | null }
/** notAllHere: in a channel, the caller would see more in personal chat. */
export type ListResult = { kind: 'list'; items: ListItem[]; total: number; page: number; pageSize: number; notAllHere: boolean } | { kind: 'refused'; reason: Refusal };

export const PAGE_SIZE = 10;
const SIGNAL_KIND = 'SIG';

export function origin(deps: ServiceDeps) {
  const now = deps.now();
  return { now, today: localDate(now), nowTime: localTime(now) };
}

function signalView(row: SignalRow, m: MunicipalityConfig | undefined, today: string): SignalView {
  const phenomena = m?.phenomena ?? [];
  const undecided = (UNDECIDED_STATUSES as readonly string[]).includes(row.status);
  const filedOn = localDate(row.createdAt);
  return {
    id: row.id,
    scopeId: row.scopeId,
    reference: row.reference,
    phenomenon: phenomena.find((p) => p.code === row.phenomenon) ?? { code: row.phenomenon, nl: row.phenomenon, en: row.phenomenon },
    description: row.description,
    address: `${row.street} ${row.houseNumber}, ${row.postcode} ${row.place}`,
    postcode: row.postcode,
    observedOn: row.observedOn.toISOString().slice(0, 10),
    observedTime: row.observedTime,
    sourceType: row.sourceType,
    sourceNature: row.sourceNature,
    sourceReliability: row.sourceReliability,
    informationReliability: row.informationReliability,
    urgency: row.urgency,
    problemType: row.problemType,
    confidentiality: row.confidentiality,
    legalBasis: m?.legalBases.find((b) => b.code === row.legalBasis) ?? { code: row.legalBasis, nl: row.legalBasis, en: row.legalBasis },
    status: row.status,
    statusReason: row.statusReason,
    handedOverTo: row.handedOverTo,
    assignee: row.assigneeAadId ? { aadObjectId: row.assigneeAadId, name: row.assigneeName ?? '' } : null,
    reporterName: row.reporterName,
    scopeName: row.scope.name,
    caseReference: row.case?.reference ?? null,
    sourceMessageUrl: row.sourceMessageUrl,
    createdAt: row.createdAt,
    deadline: undecided && m ? deadlineState(filedOn, termDaysOf(phenomena, row.phenomenon), today, m.country) : null,
  };
}

async function viewsOf(deps: ServiceDeps, rows: readonly SignalRow[]): Promise<SignalView[]> {
  const configs = await municipalityConfigs(deps, rows.map((r) => r.municipalityId));
  const { today } = origin(deps);
  return rows.map((r) => signalView(r, configs.get(r.municipalityId), today));
}

/** Everything one viewer needs to see and act on a signal. */
export async function detailOf(deps: ServiceDeps, caller: Caller, row: SignalRow): Promise<SignalDetail> {
  const [viewed] = await viewsOf(deps, [row]);
  const caseVisible = row.caseId !== null && await deps.prisma.case.count({ where: { AND: [caseVisibility(grantsFor(caller, 'case.view'), caller.aadObjectId), { id: row.caseId }] } }) > 0;
  const signal = { ...viewed, caseReference: caseVisible ? viewed.caseReference : null };
  const role = roleIn(caller, row.scopeId);
  const subjects = await subjectsOf(deps.prisma, { signalId: row.id });
  const related = await relatedRecords(deps.prisma, subjects.map((s) => s.id), { signalId: row.id },
    signalVisibility(grantsFor(caller, 'signal.view'), caller.aadObjectId), caseVisibility(grantsFor(caller, 'case.view'), caller.aadObjectId));
  const mayAssign = role !== undefined && isAllowed(role, 'signal.assign');
  const assignees = mayAssign ? await officersOf(deps.prisma, row.scopeId) : [];
  return {
    signal,
    subjects: subjects.map((s) => ({ kind: s.kind, displayName: s.displayName })),
    related,
    transitions: role ? availableTransitions(row.status, role) : [],
    mayAssign,
    assignees,
  };
}

/** The scopes the caller can file in from here, each with its municipality's configuration. */
export async function prepareSignalForm(deps: ServiceDeps, caller: Caller): Promise<FormResult> {
  const candidates = membershipsFor(caller, 'signal.file');
  if (candidates.length === 0) return { kind: 'refused', reason: refusalFor(caller) };
  const linked = candidates.filter((m): m is Membership & { municipalityId: string } => m.municipalityId !== null);
  if (linked.length === 0) return { kind: 'refused', reason: 'notLinked' };
  // A shared programme team serves several municipalities: the signal names its municipality, one choice per pair.
  const served = await municipalitiesOfScopes(deps, linked.map((m) => m.scopeId));
  const configs = await municipalityConfigs(deps, [...linked.map((m) => m.municipalityId), ...[...served.values()].flat().map((x) => x.id)]);
  const scopes = linked.flatMap((m): FormScope[] => {
    const own = served.get(m.scopeId) ?? [];
    if (own.length <= 1) {
      const municipality = configs.get(m.municipalityId);
      return municipality ? [{ scopeId: m.scopeId, choice: m.scopeId, name: m.scopeName, municipality }] : [];
    }
    return own.flatMap((x) => {
      const municipality = configs.get(x.id);
      return municipality ? [{ scopeId: m.scopeId, choice: `${m.scopeId}:${x.code}`, name: `${m.scopeName} · ${x.name}`, municipality }] : [];
    });
  });
  return { kind: 'form', scopes, fixedScopeId: caller.place.kind === 'personal' || scopes.length !== 1 ? undefined : scopes[0].choice };
}

/** The answer to a signal just filed (or filed before with this nonce), as far as the readers here may see it. */
async function answerFor(deps: ServiceDeps, caller: Caller, signalId: string, kind: 'created' | 'duplicate'): Promise<FileResult | undefined> {
  // Through the caller's grants: someone removed from the channel since does not get the signal back this way.
  const row = await findSignal(deps.prisma, signalVisibility(grantsFor(caller, 'signal.view'), caller.aadObjectId), { id: signalId });
  if (row) return { kind, detail: await detailOf(deps, caller, row) };
  const own = await deps.prisma.signal.findFirst({ where: { AND: [signalVisibility(ownGrantsFor(caller, 'signal.view'), caller.aadObjectId), { id: signalId }] }, select: { reference: true } });
  return own ? { kind: 'filedOutOfSight', reference: own.reference } : undefined;
}

async function answerFromSubmission(deps: ServiceDeps, caller: Caller, nonce: string): Promise<FileResult | undefined> {
  const done = await findSubmission(deps.prisma, { nonce, aadObjectId: caller.aadObjectId });
  return done ? answerFor(deps, caller, done.recordId, 'duplicate') : undefined;
}

export interface SignalOrigin { messageUrl?: string; messageAuthor?: string }

export async function fileSignal(deps: ServiceDeps, req: RequestContext, caller: Caller, draft: SignalDraft, nonce: string, from: SignalOrigin = {}): Promise<FileResult> {
  const previous = await answerFromSubmission(deps, caller, nonce);
  if (previous) return previous;

  const form = await prepareSignalForm(deps, caller);
  if (form.kind === 'refused') {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null,
      action: 'signal.file', result: 'denied', correlationId: req.correlationId, details: { reason: form.reason } });
    return form;
  }
  const target = form.scopes.find((s) => s.choice === (form.fixedScopeId ?? draft.scopeId));
  const { now, today, nowTime } = origin(deps);
  // Until a scope is chosen, validate against the first scope's municipality; the scope error says what is missing.
  const municipality = (target ?? form.scopes[0]).municipality;
  const checked = validateSignal(draft, { phenomena: municipality.phenomena, legalBases: municipality.legalBases, allowBsn: municipality.allowBsn,
    country: municipality.country, confidentialityLevels: municipality.confidentialityLevels, today, nowTime });
  const errors: FieldError[] = target ? [] : [{ field: 'scopeId', code: draft.scopeId === '' ? 'required' : 'unknownChoice' }];
  if (!checked.ok) errors.push(...checked.errors);
  if (!checked.ok || !target) return { kind: 'invalid', errors, form };

  const v = checked.value;
  const year = Number(today.slice(0, 4));
  const signalId = randomUUID();
  try {
    const row = await deps.prisma.$transaction(async (tx) => {
      // First, so a concurrent repeat of this submit fails here before taking a number.
      await insertSubmission(tx, { nonce, aadObjectId: caller.aadObjectId }, 'signal', target.scopeId, signalId);
      const sequence = await takeNextNumber(tx, municipality.id, SIGNAL_KIND, year);
      const created = await insertSignal(tx, {
        id: signalId, scopeId: target.scopeId, municipalityId: municipality.id, reference: formatReference(SIGNAL_KIND, year, sequence),
        phenomenon: v.phenomenon, description: v.description, ...v.address, observedOn: v.observedOn, observedTime: v.observedTime,
        sourceType: v.sourceType, sourceNature: v.sourceNature, sourceReliability: v.sourceReliability, informationReliability: v.informationReliability,
        urgency: v.urgency, problemType: v.problemType, confidentiality: v.confidentiality, legalBasis: v.legalBasis,
        dueOn: addWorkingDays(today, termDaysOf(municipality.phenomena, v.phenomenon), municipality.country),
        sourceMessageUrl: from.messageUrl ?? null, sourceMessageAuthor: from.messageAuthor ?? null,
        reporterAadId: caller.aadObjectId, reporterName: caller.name, statusChangedAt: now, createdAt: now,
      });
      await linkSubjects(tx, target.scopeId, v.subjects, { signalId });
      // A crisis goes to the mayor at once, in this same transaction: filed means alerted.
      if (v.problemType === 'crisis') {
        await raiseCrisis(tx, { municipalityId: municipality.id, scopeId: target.scopeId, signalId },
          { reference: created.reference, phenomenon: v.phenomenon, place: v.address.place, scopeName: target.name, kind: 'signal' }, now);
      }
      await appendSystemEntry(tx, { signalId }, target.scopeId, { aadObjectId: caller.aadObjectId, name: caller.name }, now, 'statuswijziging',
        `Signaal ${created.reference} vastgelegd${from.messageUrl ? ' uit een Teams-bericht' : ''}; status: nieuw.`);
      await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: target.scopeId, action: 'signal.file',
        recordType: 'Signal', recordId: created.id, result: 'ok', correlationId: req.correlationId,
        details: { subjects: v.subjects.length, fromMessage: from.messageUrl !== undefined } });
      return created;
    });
    deps.log.info({ correlationId: req.correlationId, signalId: row.id, scopeId: row.scopeId }, 'signal filed');
    if (row.problemType === 'crisis') deps.outbox?.kick();
    return await answerFor(deps, caller, row.id, 'created') ?? { kind: 'filedOutOfSight', reference: row.reference };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const again = await answerFromSubmission(deps, caller, nonce);
    if (again) return again;
    throw err;
  }
}

async function auditRead(deps: ServiceDeps, req: RequestContext, caller: Caller, action: string, result: 'ok' | 'denied',
  record?: { type: string; id: string; scopeId: string }, details?: Record<string, string | number | boolean | null | readonly string[]>): Promise<void> {
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: record?.scopeId ?? caller.currentScope?.scopeId ?? null,
    action, recordType: record?.type, recordId: record?.id, result, correlationId: req.correlationId, details });
}

export async function openSignal(deps: ServiceDeps, req: RequestContext, caller: Caller, by: { reference: string } | { id: string }): Promise<OpenResult> {
  const grants = grantsFor(caller, 'signal.view');
  if (grants.length === 0) {
    await auditRead(deps, req, caller, 'signal.view', 'denied');
    return { kind: 'refused', reason: refusalFor(caller, 'signal.view') };
  }
  const key = 'reference' in by ? normaliseReference(by.reference) : by.id;
  const visible = signalVisibility(grants, caller.aadObjectId);
  if ('reference' in by && key !== undefined && await deps.prisma.signal.count({ where: { AND: [visible, { reference: key }] } }) > 1) return { kind: 'ambiguous' };
  const row = key === undefined ? null : await findSignal(deps.prisma, visible, 'reference' in by ? { reference: key } : { id: key });
  if (!row) {
    const elsewhere = key !== undefined && await visibleOnlyInPersonalChat(deps, caller, { signal: 'reference' in by ? { reference: key } : { id: key } });
    await auditRead(deps, req, caller, 'signal.view', 'denied', undefined, elsewhere ? { reason: 'audience' } : { found: false });
    return elsewhere ? { kind: 'refused', reason: 'audience' } : { kind: 'notFound' };
  }
  await auditRead(deps, req, caller, 'signal.view', 'ok', { type: 'Signal', id: row.id, scopeId: row.scopeId });
  return { kind: 'found', detail: await detailOf(deps, caller, row) };
}

function filterOf(q: ListQuery, caller: Caller, today: string): SignalFilter {
  switch (q.kind) {
    case 'recent': return {};
    case 'mine': return { involvedAadId: caller.aadObjectId };
    case 'open': return { statuses: [...UNDECIDED_STATUSES, 'besproken'] };
    case 'overdue': return { overdueOn: today };
    // A status from card data that does not exist lists nothing (the database would refuse the unknown value).
    case 'status': return { statuses: (SIGNAL_STATUSES as readonly string[]).includes(q.status) ? [q.status] : [] };
    case 'phenomenon': return { phenomenon: q.phenomenon };
    case 'assignee': return { assigneeAadId: q.aadObjectId, statuses: [...UNDECIDED_STATUSES, 'besproken'] };
  }
}

function listItem(s: SignalView): ListItem {
  return { kind: 'signal', id: s.id, reference: s.reference, title: { nl: s.phenomenon.nl, en: s.phenomenon.en }, status: s.status, subtitle: s.address, deadline: s.deadline?.state ?? null };
}

export async function listSignals(deps: ServiceDeps, req: RequestContext, caller: Caller, query: ListQuery, page = 1): Promise<ListResult> {
  const grants = grantsFor(caller, 'signal.list');
  if (grants.length === 0) {
    await auditRead(deps, req, caller, 'signal.list', 'denied');
    return { kind: 'refused', reason: refusalFor(caller, 'signal.list') };
  }
  const safePage = Math.max(1, Math.min(page, 1000));
  const { rows, total } = await listSignalRows(deps.prisma, signalVisibility(grants, caller.aadObjectId), filterOf(query, caller, origin(deps).today),
    (safePage - 1) * PAGE_SIZE, PAGE_SIZE);
  await auditRead(deps, req, caller, 'signal.list', 'ok', undefined, { query: query.kind, page: safePage, count: rows.length, scopes: grants.map((g) => g.scopeId) });
  const views = await viewsOf(deps, rows);
  return { kind: 'list', items: views.map(listItem), total, page: safePage, pageSize: PAGE_SIZE, notAllHere: seesMoreAlone(caller, 'signal.list') };
}

export interface Worklist {
  /** The mayor's overview: counts over her municipality, no names, nothing to open. */
  aggregateOnly: boolean;
  byStatus: { status: string; count: number }[];
  byPhenomenon: { phenomenon: Phenomenon; count: number }[];
  byAssignee: { aadObjectId: string | null; name: string | null; count: number }[];
  overdue: number;
}

export async function worklist(deps: ServiceDeps, req: RequestContext, caller: Caller): Promise<{ kind: 'worklist'; worklist: Worklist } | { kind: 'refused'; reason: Refusal }> {
  let grants = grantsFor(caller, 'signal.list');
  // The mayor: her municipality's counts, in her personal chat (a channel may hold people who may not see them all).
  const mayorSight = sightOf('mayor', 'signal.aggregate');
  const aggregateOnly = grants.length === 0 && caller.place.kind === 'personal' && caller.mayorOf.length > 0 && mayorSight !== null;
  if (aggregateOnly) grants = caller.mayorOf.map((scopeId) => ({ scopeId, ...mayorSight, involved: false }));
  if (grants.length === 0) {
    await auditRead(deps, req, caller, 'signal.worklist', 'denied');
    return { kind: 'refused', reason: refusalFor(caller, 'signal.list') };
  }
  const visible = signalVisibility(grants, caller.aadObjectId);
  const counts = await worklistCounts(deps.prisma, visible);
  const { total: overdue } = await listSignalRows(deps.prisma, visible, { overdueOn: origin(deps).today }, 0, 1);
  const municipalityIds = aggregateOnly
    ? (await deps.prisma.scope.findMany({ where: { id: { in: grants.map((g) => g.scopeId) } }, select: { municipalityId: true } })).flatMap((s) => (s.municipalityId ? [s.municipalityId] : []))
    : membershipsFor(caller, 'signal.list').flatMap((m) => (m.municipalityId ? [m.municipalityId] : []));
  const configs = await municipalityConfigs(deps, municipalityIds);
  const phenomena = [...configs.values()].flatMap((c) => c.phenomena);
  await auditRead(deps, req, caller, 'signal.worklist', 'ok', undefined, { scopes: grants.map((g) => g.scopeId), aggregateOnly });
  return {
    kind: 'worklist',
    worklist: {
      aggregateOnly,
      byStatus: counts.byStatus.map((r) => ({ status: r.status, count: r._count._all })),
      byPhenomenon: counts.byPhenomenon.map((r) => ({ phenomenon: phenomena.find((p) => p.code === r.phenomenon) ?? { code: r.phenomenon, nl: r.phenomenon, en: r.phenomenon }, count: r._count._all })),
      byAssignee: aggregateOnly ? [] : counts.byAssignee.map((r) => ({ aadObjectId: r.assigneeAadId, name: r.assigneeName, count: r._count._all })),
      overdue,
    },
  };
}

/** `zoek <tekst>`: signals and cases by reference, address, postcode, subject name, KvK or free text. */
export async function search(deps: ServiceDeps, req: RequestContext, caller: Caller, text: string, page = 1): Promise<ListResult> {
  const signalGrants = grantsFor(caller, 'signal.list');
  const caseGrants = grantsFor(caller, 'case.view');
  // Whoever may see signals or cases here searches what they may see (the mayor: the cases shared with her).
  if (signalGrants.length === 0 && caseGrants.length === 0) {
    await auditRead(deps, req, caller, 'search', 'denied');
    return { kind: 'refused', reason: refusalFor(caller, 'signal.list') };
  }
  const query = text.trim().slice(0, 200);
  const hits = await searchIds(deps.prisma, [...new Set([...signalGrants, ...caseGrants].map((g) => g.scopeId))], query);
  // Text matching ranks; visibility decides: filter the hits through the normal where-clauses.
  const signalIds = hits.filter((h) => h.kind === 'signal').map((h) => h.id);
  const caseIds = hits.filter((h) => h.kind === 'case').map((h) => h.id);
  const [signals, cases] = await Promise.all([
    deps.prisma.signal.findMany({ where: { AND: [signalVisibility(signalGrants, caller.aadObjectId), { id: { in: signalIds } }] }, select: { id: true } }),
    deps.prisma.case.findMany({ where: { AND: [caseVisibility(caseGrants, caller.aadObjectId), { id: { in: caseIds } }] }, select: { id: true } }),
  ]);
  const visible = new Set([...signals, ...cases].map((r) => r.id));
  const ordered = hits.filter((h) => visible.has(h.id));
  const safePage = Math.max(1, Math.min(page, 1000));
  const slice = ordered.slice((safePage - 1) * PAGE_SIZE, safePage * PAGE_SIZE);
  const items = await listItemsOf(deps, slice, signalVisibility(signalGrants, caller.aadObjectId), caseVisibility(caseGrants, caller.aadObjectId));
  await auditRead(deps, req, caller, 'search', 'ok', undefined, { page: safePage, count: items.length, total: ordered.length,
    scopes: [...new Set([...signalGrants, ...caseGrants].map((g) => g.scopeId))] });
  return { kind: 'list', items, total: ordered.length, page: safePage, pageSize: PAGE_SIZE,
    notAllHere: seesMoreAlone(caller, 'signal.list') || seesMoreAlone(caller, 'case.view') };
}

async function listItemsOf(deps: ServiceDeps, hits: readonly { kind: 'signal' | 'case'; id: string }[],
  signalsVisible: Prisma.SignalWhereInput, casesVisible: Prisma.CaseWhereInput): Promise<ListItem[]> {
  const signalRows = await findSignals(deps.prisma, signalsVisible, hits.filter((h) => h.kind === 'signal').map((h) => h.id));
  const caseRows = await deps.prisma.case.findMany({ where: { AND: [casesVisible, { id: { in: hits.filter((h) => h.kind === 'case').map((h) => h.id) } }] } });
  const views = new Map((await viewsOf(deps, signalRows)).map((v) => [v.id, v]));
  const cases = new Map(caseRows.map((c) => [c.id, c]));
  return hits.flatMap((h): ListItem[] => {
    if (h.kind === 'signal') {
      const v = views.get(h.id);
      return v ? [listItem(v)] : [];
    }
    const c = cases.get(h.id);
    return c ? [{ kind: 'case', id: c.id, reference: c.reference, title: { nl: c.title, en: c.title }, status: c.phase, subtitle: '', deadline: null }] : [];
  });
}

