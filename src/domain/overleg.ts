// Running the overleg: what can be decided on an agenda item, what that does to the record (a path through the
// signal workflow or the case phases, so every step is one the tables allow), the form's checks, and the strategic
// agenda's figures (counts only: no personal data).
import { CASE_PHASE_MOVES, type CasePhase } from './caseWorkflow.js';
import type { Role } from './roles.js';
import { isCalendarDate } from './signalIntake.js';
import { checkReason, isPartner, SIGNAL_TRANSITIONS, type Partner, type SignalStatus, type SignalTransitionName } from './signalWorkflow.js';

export const AGENDA_ITEM_KINDS = ['signal', 'case', 'action'] as const;
export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];

export const DECISION_KINDS = ['verrijken', 'casus', 'overdragen', 'afsluiten', 'verlengen', 'vervallen'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** What may be decided on each kind of item, in the order the chair's card offers it. */
export const DECISIONS_FOR: Record<AgendaItemKind, readonly DecisionKind[]> = {
  signal: ['verrijken', 'casus', 'overdragen', 'afsluiten'],
  case: ['verrijken', 'overdragen', 'afsluiten'],
  action: ['verlengen', 'vervallen'],
};

/** The chair runs the overleg, the coordinator prepares it: they decide. Everyone in the channel reads along. */
export const OVERLEG_DECIDERS: readonly Role[] = ['chair', 'coordinator'];
export const mayDecide = (role: Role | undefined): boolean => role !== undefined && OVERLEG_DECIDERS.includes(role);

/** Where each decision takes a signal. */
const SIGNAL_TARGET: Partial<Record<DecisionKind, SignalStatus>> = { verrijken: 'in_verrijking', casus: 'besproken', overdragen: 'overgedragen', afsluiten: 'afgesloten' };

/**
 * The transitions that take a signal from its status to where the decision puts it, shortest first, through the
 * workflow table only (so a correction reopens before it closes again, and every step is journalled). Only a hand-over
 * decision hands over (it carries the partner); a signal handed over to another partner is reopened and handed over
 * again. For `casus` the path ends at besproken: promotion then makes the case. Undefined: no way there (a signal in a
 * case).
 */
export function signalDecisionPath(from: SignalStatus, kind: DecisionKind, handOver: { current: string | null; wanted: string | null } = { current: null, wanted: null }):
  SignalTransitionName[] | undefined {
  const target = SIGNAL_TARGET[kind];
  if (target === undefined) return undefined;
  const steps = SIGNAL_TRANSITIONS.filter((t) => t.name !== 'promoveren' && OVERLEG_DECIDERS.every((r) => t.roles.includes(r))
    && (!t.requiresPartner || kind === 'overdragen'));
  if (from === 'overgedragen' && kind === 'overdragen' && handOver.current !== handOver.wanted) {
    const again = signalDecisionPath('in_verrijking', kind);
    return again && ['heropenen', ...again];
  }
  return shortestPath(from, target, steps.flatMap((t) => t.from.map((f) => ({ from: f, to: t.to, label: t.name }))));
}

/** Breadth first through a table of moves: the labels along the shortest way (empty: already there; undefined: none). */
function shortestPath<S, L>(from: S, to: S, moves: readonly { from: S; to: S; label: L }[]): L[] | undefined {
  const seen = new Map<S, L[]>([[from, []]]);
  const queue: S[] = [from];
  while (queue.length > 0) {
    const at = queue.shift() as S;
    const path = seen.get(at) as L[];
    if (at === to) return path;
    for (const m of moves) {
      if (m.from !== at || seen.has(m.to)) continue;
      seen.set(m.to, [...path, m.label]);
      queue.push(m.to);
    }
  }
  return undefined;
}

/** Where each decision takes a case: back to enrichment, or closed (a hand-over closes it here, naming the partner). */
const CASE_TARGET: Partial<Record<DecisionKind, CasePhase>> = { verrijken: 'verrijking', overdragen: 'afgesloten', afsluiten: 'afgesloten' };

/** The phases a case passes through to where the decision puts it (empty: already there). */
export function caseDecisionPath(from: CasePhase, kind: DecisionKind): CasePhase[] | undefined {
  const target = CASE_TARGET[kind];
  if (target === undefined) return undefined;
  return shortestPath(from, target, CASE_PHASE_MOVES.map((m) => ({ from: m.from, to: m.to, label: m.to })));
}

/**
 * Whether the way to where the decision points passes a step that asks for a reason (a signal sent back to
 * enrichment or reopened, a case moved back): the journal must then say why, as it does for the same step by hand.
 */
export function decisionPathNeedsReason(path: { signal: readonly SignalTransitionName[] } | { casePhase: { from: CasePhase; to: readonly CasePhase[] } }): boolean {
  if ('signal' in path) return path.signal.some((name) => SIGNAL_TRANSITIONS.find((t) => t.name === name)?.requiresReason === true);
  let at = path.casePhase.from;
  for (const to of path.casePhase.to) {
    if (CASE_PHASE_MOVES.find((m) => m.from === at && m.to === to)?.requiresReason === true) return true;
    at = to;
  }
  return false;
}

export const ACTION_LIMITS = { text: { min: 3, max: 300 }, perDecision: 3 } as const;

export interface ActionDraft { text: string; ownerAadId: string; dueOn: string }
export interface DecisionDraft { kind: string; partner: string; text: string; newDueOn: string; actions: ActionDraft[] }

export type DecisionField = 'kind' | 'partner' | 'text' | 'newDueOn' | `action${1 | 2 | 3}`;
export type DecisionErrorCode = 'required' | 'unknownChoice' | 'reasonRequired' | 'reasonTooLong' | 'invalidDate' | 'inThePast' | 'unknownMember'
  | 'tooShort' | 'tooLong' | 'incomplete';
export interface DecisionError { field: DecisionField; code: DecisionErrorCode }

export interface ValidDecision { kind: DecisionKind; partner: Partner | null; text: string | null; newDueOn: string | null; actions: ActionDraft[] }

/**
 * The chair's decision form, checked before anything is written. A reason is needed where the record leaves the
 * process (closing, handing over, dropping an action) and for every correction: the journal must say why.
 */
export function validateDecision(d: DecisionDraft, ctx: { itemKind: AgendaItemKind; correcting: boolean; today: string; memberIds: ReadonlySet<string> }):
  { ok: true; value: ValidDecision } | { ok: false; errors: DecisionError[] } {
  const errors: DecisionError[] = [];
  const kind = d.kind.trim();
  if (kind === '') errors.push({ field: 'kind', code: 'required' });
  else if (!DECISIONS_FOR[ctx.itemKind].includes(kind as DecisionKind)) errors.push({ field: 'kind', code: 'unknownChoice' });

  const partnerText = d.partner.trim();
  let partner: Partner | null = null;
  if (kind === 'overdragen') {
    if (partnerText === '') errors.push({ field: 'partner', code: 'required' });
    else if (!isPartner(partnerText)) errors.push({ field: 'partner', code: 'unknownChoice' });
    else partner = partnerText;
  }

  const needsReason = ['afsluiten', 'overdragen', 'vervallen'].includes(kind) || ctx.correcting;
  const reason = checkReason(d.text, needsReason);
  let text: string | null = null;
  if (!reason.ok) errors.push({ field: 'text', code: reason.code });
  else text = reason.reason;

  let newDueOn: string | null = null;
  if (kind === 'verlengen') {
    const due = d.newDueOn.trim();
    if (due === '') errors.push({ field: 'newDueOn', code: 'required' });
    else if (!isCalendarDate(due)) errors.push({ field: 'newDueOn', code: 'invalidDate' });
    else if (due < ctx.today) errors.push({ field: 'newDueOn', code: 'inThePast' });
    else newDueOn = due;
  }

  const actions: ActionDraft[] = [];
  d.actions.slice(0, ACTION_LIMITS.perDecision).forEach((a, i) => {
    const field = `action${i + 1}` as DecisionField;
    const t = a.text.trim().replace(/\s+/g, ' ');
    const filled = [t, a.ownerAadId.trim(), a.dueOn.trim()].filter((x) => x !== '').length;
    if (filled === 0) return;
    if (filled < 3) errors.push({ field, code: 'incomplete' });
    else if (t.length < ACTION_LIMITS.text.min) errors.push({ field, code: 'tooShort' });
    else if (t.length > ACTION_LIMITS.text.max) errors.push({ field, code: 'tooLong' });
    else if (!ctx.memberIds.has(a.ownerAadId.trim())) errors.push({ field, code: 'unknownMember' });
    else if (!isCalendarDate(a.dueOn.trim())) errors.push({ field, code: 'invalidDate' });
    else if (a.dueOn.trim() < ctx.today) errors.push({ field, code: 'inThePast' });
    else actions.push({ text: t, ownerAadId: a.ownerAadId.trim(), dueOn: a.dueOn.trim() });
  });

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { kind: kind as DecisionKind, partner, text, newDueOn, actions } };
}

// ---------------------------------------------------------------------------------------------------------------
// The strategic agenda: figures per phenomenon and area, the trend, cases by phase. Counts only.

export interface SignalFact { phenomenon: string; postcode: string; filedOn: string }
export interface PhenomenonTrend { phenomenon: string; current: number; previous: number }
export interface AreaCount { area: string; count: number }
export interface StrategicFigures {
  period: { from: string; to: string };
  previous: { from: string; to: string };
  byPhenomenon: PhenomenonTrend[];
  byArea: AreaCount[];
  casesByPhase: { phase: string; count: number }[];
  total: { current: number; previous: number };
}

/** The quarter a date is in, and the one before: what a kerngroep or driehoek looks back on. */
export function quarterOf(date: string): { from: string; to: string; previous: { from: string; to: string } } {
  const y = Number(date.slice(0, 4));
  const q = Math.floor((Number(date.slice(5, 7)) - 1) / 3);
  const start = (yy: number, qq: number) => `${yy}-${String(qq * 3 + 1).padStart(2, '0')}-01`;
  const end = (yy: number, qq: number) => new Date(Date.UTC(yy, qq * 3 + 3, 0)).toISOString().slice(0, 10);
  const [py, pq] = q === 0 ? [y - 1, 3] : [y, q - 1];
  return { from: start(y, q), to: end(y, q), previous: { from: start(py, pq), to: end(py, pq) } };
}

/**
 * Figures for the strategic overleg over the last full quarter before `date` against the one before it. An area is
 * the four digits of a postcode: small enough to steer by, too large to point at anyone. Areas with fewer than
 * `minAreaCount` signals are left out, so a count never narrows down to a household.
 */
export function strategicFigures(signals: readonly SignalFact[], casePhases: readonly string[], date: string, opts: { minAreaCount?: number; topAreas?: number } = {}):
  StrategicFigures {
  const { previous: period } = quarterOf(date);
  const before = quarterOf(period.from).previous;
  const inRange = (s: SignalFact, r: { from: string; to: string }) => s.filedOn >= r.from && s.filedOn <= r.to;
  const current = signals.filter((s) => inRange(s, period));
  const earlier = signals.filter((s) => inRange(s, before));
  const count = <T>(xs: readonly T[], key: (x: T) => string) => xs.reduce((m, x) => m.set(key(x), (m.get(key(x)) ?? 0) + 1), new Map<string, number>());
  const now = count(current, (s) => s.phenomenon);
  const then = count(earlier, (s) => s.phenomenon);
  const byPhenomenon = [...new Set([...now.keys(), ...then.keys()])].map((phenomenon) => ({ phenomenon, current: now.get(phenomenon) ?? 0, previous: then.get(phenomenon) ?? 0 }))
    .sort((a, b) => b.current - a.current || b.previous - a.previous || a.phenomenon.localeCompare(b.phenomenon));
  const areas = count(current.filter((s) => /^\d{4}/.test(s.postcode)), (s) => s.postcode.slice(0, 4));
  const byArea = [...areas].map(([area, c]) => ({ area, count: c })).filter((a) => a.count >= (opts.minAreaCount ?? 3))
    .sort((a, b) => b.count - a.count || a.area.localeCompare(b.area)).slice(0, opts.topAreas ?? 5);
  const phases = count(casePhases, (p) => p);
  return {
    period, previous: before, byPhenomenon, byArea,
    casesByPhase: [...phases].map(([phase, c]) => ({ phase, count: c })).sort((a, b) => a.phase.localeCompare(b.phase)),
    total: { current: current.length, previous: earlier.length },
  };
}
