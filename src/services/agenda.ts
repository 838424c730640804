// The agenda of an overleg: one per occurrence of a meeting, built from the rules (signals ready for the overleg,
// cases that need a decision, overdue action items) and curated by the coordinator before the meeting. What the
// channel reads is only what every member of the channel may see; a strategic overleg gets figures, no records.
import type { Caller, Locale } from '../domain/caller.js';
import { isAllowed, sharedSight, type Action } from '../domain/access.js';
import { CASE_PHASE_LABELS, type CasePhase } from '../domain/caseWorkflow.js';
import { isUuid } from '../domain/identifiers.js';
import { MEETING_LEVEL, occurrencesBetween, zonedInstant, type MeetingKind, type Recurrence } from '../domain/meetings.js';
import { DECISIONS_FOR, mayDecide, quarterOf, strategicFigures, type AgendaItemKind, type DecisionKind, type StrategicFigures } from '../domain/overleg.js';
import { normaliseReference } from '../domain/reference.js';
import { localDate } from '../domain/signalIntake.js';
import { SIGNAL_STATUS_LABELS, type Partner, type SignalStatus } from '../domain/signalWorkflow.js';
import { addDays } from '../domain/workingDays.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import { rolesPresent } from '../store/scopes.js';
import { caseVisibility, signalVisibility, type ScopeGrant } from '../store/visibility.js';
import { refusalFor, roleIn, scopesFor, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { meetingsGoingOnFrom } from './meetings.js';
import { municipalityConfigs } from './municipalities.js';

export type OccurrenceRow = Prisma.MeetingOccurrenceGetPayload<{ include: { meeting: { include: { scope: { select: { name: true; municipalityId: true } } } } } }>;
const withMeeting = { meeting: { include: { scope: { select: { name: true, municipalityId: true } } } } } as const;

/** The day a meeting takes place next, from `today` on (400 days ahead at most: a quarterly series past a year's end too). */
export function nextDateOf(m: { startDate: string; recurrence: unknown }, today: string): string | undefined {
  return occurrencesBetween({ startDate: m.startDate, recurrence: m.recurrence as Recurrence }, today, addDays(today, 400))[0];
}

/** The occurrence row of a meeting on a date, made when first needed. */
export async function occurrenceOf(deps: ServiceDeps, meeting: { id: string; scopeId: string }, date: string): Promise<OccurrenceRow> {
  return deps.prisma.meetingOccurrence.upsert({
    where: { meetingId_date: { meetingId: meeting.id, date } }, create: { meetingId: meeting.id, scopeId: meeting.scopeId, date }, update: {}, include: withMeeting,
  });
}

export const findOccurrence = (deps: ServiceDeps, where: Prisma.MeetingOccurrenceWhereInput) => deps.prisma.meetingOccurrence.findFirst({ where, include: withMeeting });

export const isOperational = (kind: string) => MEETING_LEVEL[kind as MeetingKind] !== 'strategisch';

/** What everyone reading the scope's channel may see of signals and cases: the agenda holds no more than that. */
async function channelGrants(deps: ServiceDeps, scopeId: string): Promise<{ signals: ScopeGrant[]; cases: ScopeGrant[] }> {
  const readers = await rolesPresent(deps.prisma, scopeId);
  const grant = (action: Action): ScopeGrant[] => {
    const sight = sharedSight(readers, action);
    return sight === null ? [] : [{ scopeId, ...sight, involved: false }];
  };
  return { signals: grant('signal.view'), cases: grant('case.view') };
}

/**
 * An action item is as visible as the record it is about, through the same grants: every signal or case it names must
 * be one the channel may see (an item about no record, e.g. one whose record was deleted, names no one).
 */
function actionVisibility(grants: { signals: ScopeGrant[]; cases: ScopeGrant[] }): Prisma.ActionItemWhereInput {
  return { AND: [{ OR: [{ signalId: null }, { signal: signalVisibility(grants.signals, '') }] }, { OR: [{ caseId: null }, { case: caseVisibility(grants.cases, '') }] }] };
}

/** Of these action items of a scope, the ones everyone reading its channel may see. */
export async function channelVisibleActions(deps: ServiceDeps, scopeId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const grants = await channelGrants(deps, scopeId);
  const rows = await deps.prisma.actionItem.findMany({ where: { AND: [{ id: { in: [...ids] }, scopeId }, actionVisibility(grants)] }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

const recordKeyOf = (kind: AgendaItemKind, id: string) => `${kind}:${id}`;

/**
 * Puts on the agenda what the rules say belongs there and is not on it yet (an item the coordinator removed stays
 * off). Frozen once the overleg has started.
 */
export async function refreshAgenda(deps: ServiceDeps, occ: OccurrenceRow): Promise<void> {
  if (occ.startedAt !== null || !isOperational(occ.meeting.kind)) return;
  const grants = await channelGrants(deps, occ.scopeId);
  const signals = await deps.prisma.signal.findMany({ where: { AND: [signalVisibility(grants.signals, ''), { status: 'klaar_voor_overleg' }] },
    select: { id: true }, orderBy: [{ dueOn: 'asc' }, { reference: 'asc' }] });
  const cases = await deps.prisma.case.findMany({
    where: { AND: [caseVisibility(grants.cases, ''), { phase: { not: 'afgesloten' } },
      { OR: [{ phase: 'evaluatie' }, { targetDate: { lte: new Date(`${occ.date}T00:00:00Z`) } }] }] },
    select: { id: true }, orderBy: [{ targetDate: 'asc' }, { reference: 'asc' }] });
  const actions = await deps.prisma.actionItem.findMany({ where: { AND: [{ scopeId: occ.scopeId, status: 'open', dueOn: { lt: occ.date } }, actionVisibility(grants)] }, select: { id: true },
    orderBy: [{ dueOn: 'asc' }, { createdAt: 'asc' }] });
  const wanted: { kind: AgendaItemKind; id: string }[] = [
    ...signals.map((s) => ({ kind: 'signal' as const, id: s.id })), ...cases.map((c) => ({ kind: 'case' as const, id: c.id })),
    ...actions.map((a) => ({ kind: 'action' as const, id: a.id })),
  ];
  const existing = await deps.prisma.agendaItem.findMany({ where: { occurrenceId: occ.id }, select: { recordKey: true, position: true } });
  const known = new Set(existing.map((e) => e.recordKey));
  let position = existing.reduce((max, e) => Math.max(max, e.position), 0);
  const fresh = wanted.filter((w) => !known.has(recordKeyOf(w.kind, w.id)));
  if (fresh.length === 0) return;
  // Two refreshes at once: the unique key keeps each record on the agenda once.
  await deps.prisma.agendaItem.createMany({ skipDuplicates: true, data: fresh.map((w) => ({
    occurrenceId: occ.id, kind: w.kind, recordKey: recordKeyOf(w.kind, w.id), position: ++position, addedBy: 'rules',
    ...(w.kind === 'signal' ? { signalId: w.id } : w.kind === 'case' ? { caseId: w.id } : { actionItemId: w.id }),
  })) });
}

// ---------------------------------------------------------------------------------------------------------------
// What the agenda and the overleg card show.

export interface ActionItemView { id: string; text: string; owner: string; dueOn: string; status: string; reference: string | null }

export interface DecisionView {
  id: string;
  kind: DecisionKind;
  partner: Partner | null;
  text: string | null;
  by: string;
  at: Date;
  /** What it did to the record, in words (Dutch, as the journal says it). */
  effect: string;
  correctsId: string | null;
  correctedById: string | null;
  actions: ActionItemView[];
}

type Localised = Record<Locale, string>;
const both = (text: (locale: Locale) => string): Localised => ({ nl: text('nl'), en: text('en') });

export interface AgendaItemView {
  id: string;
  kind: AgendaItemKind;
  number: number;
  /** Raised by every decision: a decision form carries the version it was made on. */
  version: number;
  /** False: the record is no longer one everyone in the channel may see; the card shows nothing of it. */
  visible: boolean;
  reference: string;
  /** In both languages: the card is the viewer's language (the channel's shared card Dutch). */
  title: Localised;
  /** What the item is about without any detail, for where partners read along (a meeting chat). */
  summary: Localised;
  state: Localised;
  facts: { label: 'due' | 'assignee' | 'lead' | 'owner' | 'target' | 'phenomenon' | 'place'; value: string }[];
  /** The decisions on this item, oldest first; the last one not corrected is the one that stands. */
  decisions: DecisionView[];
  choices: readonly DecisionKind[];
}

export interface OverlegView {
  occurrenceId: string;
  meetingId: string;
  scopeId: string;
  scopeName: string;
  kind: MeetingKind;
  title: string;
  date: string;
  startTime: string;
  operational: boolean;
  started: boolean;
  closed: boolean;
  items: AgendaItemView[];
  removed: number;
  figures: Figures | null;
  /** The viewer prepares the agenda (coordinator, chair) and the overleg has not started. */
  mayEdit: boolean;
  /** The viewer decides (chair, coordinator) and the overleg is running. */
  mayDecide: boolean;
  /** The viewer may start it: a decider, an operational overleg not started yet. */
  mayStart: boolean;
}

export type Figures = Omit<StrategicFigures, 'byPhenomenon'> & { byPhenomenon: (StrategicFigures['byPhenomenon'][number] & { label: string })[] };

const itemsInclude = {
  signal: { select: { id: true, reference: true, phenomenon: true, street: true, houseNumber: true, place: true, status: true, dueOn: true, assigneeName: true,
    municipalityId: true } },
  case: { select: { id: true, reference: true, title: true, phase: true, targetDate: true, leadName: true } },
  actionItem: { select: { id: true, text: true, ownerName: true, dueOn: true, status: true, signal: { select: { reference: true } }, case: { select: { reference: true } } } },
  decisions: { orderBy: { decidedAt: 'asc' as const }, include: { actionItems: { orderBy: { createdAt: 'asc' as const } }, correctedBy: { select: { id: true } } } },
} as const;
type ItemRow = Prisma.AgendaItemGetPayload<{ include: typeof itemsInclude }>;

const actionView = (a: { id: string; text: string; ownerName: string; dueOn: string; status: string }, reference: string | null): ActionItemView =>
  ({ id: a.id, text: a.text, owner: a.ownerName, dueOn: a.dueOn, status: a.status, reference });

/** The agenda and its decisions, as the viewer may see and use them (no viewer: the channel's shared message). */
export async function overlegView(deps: ServiceDeps, viewer: Caller | null, occ: OccurrenceRow): Promise<OverlegView> {
  const m = occ.meeting;
  const operational = isOperational(m.kind);
  const role = viewer ? roleIn(viewer, occ.scopeId) : undefined;
  const base = {
    occurrenceId: occ.id, meetingId: m.id, scopeId: occ.scopeId, scopeName: m.scope.name, kind: m.kind as MeetingKind, title: m.title, date: occ.date, startTime: m.startTime,
    operational, started: occ.startedAt !== null, closed: occ.closedAt !== null,
    mayEdit: role !== undefined && isAllowed(role, 'meeting.schedule') && occ.startedAt === null && operational,
    mayDecide: mayDecide(role) && occ.startedAt !== null && occ.closedAt === null,
    mayStart: mayDecide(role) && occ.startedAt === null && operational,
  };
  if (!operational) return { ...base, items: [], removed: 0, figures: await figuresFor(deps, occ), mayDecide: false, mayStart: false };
  const rows = await deps.prisma.agendaItem.findMany({ where: { occurrenceId: occ.id }, include: itemsInclude, orderBy: [{ position: 'asc' }, { createdAt: 'asc' }] });
  const grants = await channelGrants(deps, occ.scopeId);
  const visibleSignals = new Set((await deps.prisma.signal.findMany({ where: { AND: [signalVisibility(grants.signals, ''),
    { id: { in: rows.flatMap((r) => (r.signalId ? [r.signalId] : [])) } }] }, select: { id: true } })).map((s) => s.id));
  const visibleCases = new Set((await deps.prisma.case.findMany({ where: { AND: [caseVisibility(grants.cases, ''),
    { id: { in: rows.flatMap((r) => (r.caseId ? [r.caseId] : [])) } }] }, select: { id: true } })).map((c) => c.id));
  const visibleActions = await channelVisibleActions(deps, occ.scopeId,
    rows.flatMap((r) => [...(r.actionItemId ? [r.actionItemId] : []), ...r.decisions.flatMap((d) => d.actionItems.map((a) => a.id))]));
  const configs = await municipalityConfigs(deps, [...new Set(rows.flatMap((r) => (r.signal ? [r.signal.municipalityId] : [])))]);
  const shown = rows.filter((r) => r.removedAt === null);
  const visibleItem = (r: ItemRow) => (r.signalId ? visibleSignals.has(r.signalId) : r.caseId ? visibleCases.has(r.caseId)
    : r.actionItemId ? visibleActions.has(r.actionItemId) : false);
  return {
    ...base, removed: rows.length - shown.length, figures: null,
    items: shown.map((r, i) => itemView(r, i + 1, visibleItem(r), visibleActions, configs)),
  };
}

function itemView(r: ItemRow, number: number, visible: boolean, visibleActions: ReadonlySet<string>, configs: Awaited<ReturnType<typeof municipalityConfigs>>):
  AgendaItemView {
  const kind = r.kind as AgendaItemKind;
  // Of a hidden item only that it was decided, by whom and when: its explanation, effect and action items stay out.
  const decisions: DecisionView[] = r.decisions.map((d) => ({
    id: d.id, kind: d.kind as DecisionKind, partner: d.partner as Partner | null, text: visible ? d.text : null, by: d.decidedByName, at: d.decidedAt,
    effect: visible ? (d.effect as { text?: string } | null)?.text ?? '' : '', correctsId: d.correctsId, correctedById: d.correctedBy?.id ?? null,
    actions: visible ? d.actionItems.filter((a) => visibleActions.has(a.id)).map((a) => actionView(a, null)) : [],
  }));
  const common = { id: r.id, kind, number, version: r.decisionVersion, decisions, choices: DECISIONS_FOR[kind] };
  const none: Localised = { nl: '', en: '' };
  if (!visible) return { ...common, visible: false, reference: '', title: none, summary: none, state: none, facts: [] };
  if (r.signal) {
    const s = r.signal;
    const known = configs.get(s.municipalityId)?.phenomena.find((p) => p.code === s.phenomenon);
    const phenomenon: Localised = { nl: known?.nl ?? s.phenomenon, en: known?.en ?? s.phenomenon };
    const where = `${s.street} ${s.houseNumber}, ${s.place}`;
    return { ...common, visible: true, reference: s.reference, title: both((l) => `${phenomenon[l]}: ${where}`), summary: both((l) => `${phenomenon[l]}, ${s.place}`),
      state: SIGNAL_STATUS_LABELS[s.status as SignalStatus],
      facts: [{ label: 'due', value: s.dueOn.toISOString().slice(0, 10) }, ...(s.assigneeName ? [{ label: 'assignee' as const, value: s.assigneeName }] : [])] };
  }
  if (r.case) {
    const c = r.case;
    const phase: Localised = CASE_PHASE_LABELS[c.phase as CasePhase] ?? { nl: c.phase, en: c.phase };
    return { ...common, visible: true, reference: c.reference, title: { nl: c.title, en: c.title },
      summary: { nl: `casus, fase ${phase.nl.toLowerCase()}`, en: `case, phase ${phase.en.toLowerCase()}` }, state: phase,
      facts: [...(c.targetDate ? [{ label: 'target' as const, value: c.targetDate.toISOString().slice(0, 10) }] : []), ...(c.leadName ? [{ label: 'lead' as const, value: c.leadName }] : [])] };
  }
  const a = r.actionItem;
  if (!a) return { ...common, visible: false, reference: '', title: none, summary: none, state: none, facts: [] };
  return { ...common, visible: true, reference: a.signal?.reference ?? a.case?.reference ?? '', title: { nl: a.text, en: a.text },
    summary: { nl: `actiepunt, uiterlijk ${a.dueOn}`, en: `action item, due ${a.dueOn}` }, state: none,
    facts: [{ label: 'owner', value: a.ownerName }, { label: 'due', value: a.dueOn }] };
}

/** The strategic overleg's figures: the municipality's signals and cases, counted; nothing that names anyone. */
async function figuresFor(deps: ServiceDeps, occ: OccurrenceRow): Promise<Figures> {
  const municipalityId = occ.meeting.scope.municipalityId;
  const where = municipalityId ? { municipalityId } : { scopeId: occ.scopeId };
  // From the start of the quarter before the last full one: the two periods the figures compare.
  const since = new Date(`${quarterOf(quarterOf(occ.date).previous.from).previous.from}T00:00:00Z`);
  const signals = await deps.prisma.signal.findMany({ where: { ...where, createdAt: { gte: since } }, select: { phenomenon: true, postcode: true, createdAt: true } });
  const cases = await deps.prisma.case.findMany({ where: { ...where, phase: { not: 'afgesloten' } }, select: { phase: true } });
  const figures = strategicFigures(signals.map((s) => ({ phenomenon: s.phenomenon, postcode: s.postcode.replace(/\s+/g, ''), filedOn: localDate(s.createdAt) })),
    cases.map((c) => c.phase), occ.date);
  const phenomena = municipalityId ? (await municipalityConfigs(deps, [municipalityId])).get(municipalityId)?.phenomena ?? [] : [];
  return { ...figures, byPhenomenon: figures.byPhenomenon.map((p) => ({ ...p, label: phenomena.find((x) => x.code === p.phenomenon)?.nl ?? p.phenomenon })) };
}

// ---------------------------------------------------------------------------------------------------------------
// The coordinator's edits before the meeting.

export const AGENDA_ITEM_EDITS = ['remove', 'up', 'down'] as const;
export type AgendaEdit = { op: 'add'; reference: string } | { op: (typeof AGENDA_ITEM_EDITS)[number]; itemId: string };
export type AgendaEditResult =
  | { kind: 'done'; occ: OccurrenceRow }
  | { kind: 'started'; occ: OccurrenceRow }
  | { kind: 'unknownReference'; occ: OccurrenceRow }
  | { kind: 'notFound' }
  | { kind: 'refused'; reason: Refusal };

export async function editAgenda(deps: ServiceDeps, req: RequestContext, caller: Caller, occurrenceId: string, edit: AgendaEdit): Promise<AgendaEditResult> {
  const occ = isUuid(occurrenceId) ? await findOccurrence(deps, { id: occurrenceId, scopeId: { in: scopesFor(caller, 'meeting.view') } }) : null;
  if (!occ) return { kind: 'notFound' };
  const role = roleIn(caller, occ.scopeId);
  const audit = (result: 'ok' | 'denied' | 'invalid') => recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: occ.scopeId,
    action: 'overleg.agenda', recordType: 'MeetingOccurrence', recordId: occ.id, result, correlationId: req.correlationId, details: { op: edit.op } });
  if (!role || !isAllowed(role, 'meeting.schedule')) {
    await audit('denied');
    return { kind: 'refused', reason: refusalFor(caller) };
  }
  if (occ.startedAt !== null) return { kind: 'started', occ };
  if (edit.op === 'add') {
    const reference = normaliseReference(edit.reference);
    const grants = await channelGrants(deps, occ.scopeId);
    const signal = reference ? await deps.prisma.signal.findFirst({ where: { AND: [signalVisibility(grants.signals, ''), { reference }] }, select: { id: true } }) : null;
    const found = signal ? null : reference ? await deps.prisma.case.findFirst({ where: { AND: [caseVisibility(grants.cases, ''), { reference }] }, select: { id: true } }) : null;
    if (!signal && !found) {
      await audit('invalid');
      return { kind: 'unknownReference', occ };
    }
    const kind: AgendaItemKind = signal ? 'signal' : 'case';
    const id = (signal ?? found) as { id: string };
    const last = await deps.prisma.agendaItem.aggregate({ where: { occurrenceId: occ.id }, _max: { position: true } });
    await deps.prisma.agendaItem.upsert({
      where: { occurrenceId_recordKey: { occurrenceId: occ.id, recordKey: recordKeyOf(kind, id.id) } },
      create: { occurrenceId: occ.id, kind, recordKey: recordKeyOf(kind, id.id), position: (last._max.position ?? 0) + 1, addedBy: caller.aadObjectId,
        ...(kind === 'signal' ? { signalId: id.id } : { caseId: id.id }) },
      update: { removedAt: null },
    });
  } else {
    const item = isUuid(edit.itemId) ? await deps.prisma.agendaItem.findFirst({ where: { id: edit.itemId, occurrenceId: occ.id } }) : null;
    if (!item) return { kind: 'notFound' };
    if (edit.op === 'remove') {
      await deps.prisma.agendaItem.update({ where: { id: item.id }, data: { removedAt: deps.now() } });
    } else {
      const neighbour = await deps.prisma.agendaItem.findFirst({
        where: { occurrenceId: occ.id, removedAt: null, position: edit.op === 'up' ? { lt: item.position } : { gt: item.position } },
        orderBy: { position: edit.op === 'up' ? 'desc' : 'asc' },
      });
      if (neighbour) {
        await deps.prisma.$transaction([
          deps.prisma.agendaItem.update({ where: { id: item.id }, data: { position: neighbour.position } }),
          deps.prisma.agendaItem.update({ where: { id: neighbour.id }, data: { position: item.position } }),
        ]);
      }
    }
  }
  await audit('ok');
  return { kind: 'done', occ };
}

/** The agenda of a meeting's next occurrence, as `agenda` shows it in the channel. */
export async function agendaFor(deps: ServiceDeps, req: RequestContext, caller: Caller, meetingId?: string): Promise<{ kind: 'agenda'; occ: OccurrenceRow } | { kind: 'none' }
  | { kind: 'refused'; reason: Refusal }> {
  const scopeIds = caller.place.kind === 'personal' ? [] : scopesFor(caller, 'meeting.view');
  if (scopeIds.length === 0) return { kind: 'refused', reason: caller.place.kind === 'personal' ? 'noScope' : refusalFor(caller, 'meeting.view') };
  const today = localDate(deps.now());
  const meetings = await deps.prisma.meeting.findMany({
    where: { scopeId: { in: scopeIds }, ...meetingsGoingOnFrom(today), ...(meetingId && isUuid(meetingId) ? { id: meetingId } : {}) },
    select: { id: true, scopeId: true, startDate: true, startTime: true, recurrence: true },
  });
  const next = meetings.flatMap((m) => {
    const date = nextDateOf(m, today);
    return date ? [{ m, date, at: zonedInstant(date, m.startTime).getTime() }] : [];
  }).sort((a, b) => a.at - b.at)[0];
  if (!next) return { kind: 'none' };
  const occ = await occurrenceOf(deps, next.m, next.date);
  await refreshAgenda(deps, occ);
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: occ.scopeId, action: 'overleg.agenda.view',
    recordType: 'MeetingOccurrence', recordId: occ.id, result: 'ok', correlationId: req.correlationId });
  return { kind: 'agenda', occ };
}
