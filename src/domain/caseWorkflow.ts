// The phases of a casus and the mayor's measures. A case moves one phase at a time so the journal shows every
// step; going back, closing and reopening are decisions that need a recorded reason.
import type { Role } from './roles.js';
import { checkReason } from './signalWorkflow.js';

export const CASE_PHASES = ['signalering', 'verrijking', 'interventie', 'evaluatie', 'afgesloten'] as const;
export type CasePhase = (typeof CASE_PHASES)[number];

/** The bestuurlijke instruments a case can use (DOMAIN.md). */
export const MEASURES = ['sluiting_13b', 'bibob', 'last_onder_dwangsom', 'integrale_controle', 'anders'] as const;
export type Measure = (typeof MEASURES)[number];

export const MEASURE_LABELS: Record<Measure, { nl: string; en: string }> = {
  sluiting_13b: { nl: 'Sluiting (art. 13b Opiumwet)', en: 'Closure (art. 13b Opium Act)' },
  bibob: { nl: 'Bibob-toets', en: 'Bibob integrity screening' },
  last_onder_dwangsom: { nl: 'Last onder dwangsom', en: 'Order subject to a penalty' },
  integrale_controle: { nl: 'Integrale controle', en: 'Integrated inspection' },
  anders: { nl: 'Anders', en: 'Other' },
};

export const CASE_PHASE_LABELS: Record<CasePhase, { nl: string; en: string }> = {
  signalering: { nl: 'Signalering', en: 'Signalling' },
  verrijking: { nl: 'Verrijking/analyse', en: 'Enrichment/analysis' },
  interventie: { nl: 'Interventie', en: 'Intervention' },
  evaluatie: { nl: 'Evaluatie', en: 'Evaluation' },
  afgesloten: { nl: 'Afgesloten', en: 'Closed' },
};

export type PhaseChangeKind = 'forward' | 'back' | 'close' | 'reopen';

export interface PhaseMove {
  from: CasePhase;
  to: CasePhase;
  kind: PhaseChangeKind;
  requiresReason: boolean;
}

/** Who may move a case: the coordinator and the chair, as for signals. */
export const CASE_PHASE_ROLES: readonly Role[] = ['coordinator', 'chair'];

// Every allowed move, written out. Forward needs no reason (the work itself is the account); closing from any
// open phase, stepping back and reopening do. Reopening lands in evaluatie: a closed case is looked at again
// before new measures.
export const CASE_PHASE_MOVES: readonly PhaseMove[] = [
  { from: 'signalering', to: 'verrijking', kind: 'forward', requiresReason: false },
  { from: 'verrijking', to: 'interventie', kind: 'forward', requiresReason: false },
  { from: 'interventie', to: 'evaluatie', kind: 'forward', requiresReason: false },
  { from: 'verrijking', to: 'signalering', kind: 'back', requiresReason: true },
  { from: 'interventie', to: 'verrijking', kind: 'back', requiresReason: true },
  { from: 'evaluatie', to: 'interventie', kind: 'back', requiresReason: true },
  { from: 'signalering', to: 'afgesloten', kind: 'close', requiresReason: true },
  { from: 'verrijking', to: 'afgesloten', kind: 'close', requiresReason: true },
  { from: 'interventie', to: 'afgesloten', kind: 'close', requiresReason: true },
  { from: 'evaluatie', to: 'afgesloten', kind: 'close', requiresReason: true },
  { from: 'afgesloten', to: 'evaluatie', kind: 'reopen', requiresReason: true },
];

export type PhaseChangeRefusal = 'samePhase' | 'notAdjacent' | 'forbiddenForRole' | 'reasonRequired' | 'reasonTooLong';

export type PhaseChangeCheck =
  | { ok: true; move: PhaseMove; to: CasePhase; reason: string | null }
  | { ok: false; code: PhaseChangeRefusal };

/** May this role move a case from one phase to another with this reason? Reasons follow checkReason. */
export function checkPhaseChange(from: CasePhase, to: CasePhase, reason: string | undefined, role: Role): PhaseChangeCheck {
  if (from === to) return { ok: false, code: 'samePhase' };
  const move = CASE_PHASE_MOVES.find((m) => m.from === from && m.to === to);
  if (!move) return { ok: false, code: 'notAdjacent' };
  if (!CASE_PHASE_ROLES.includes(role)) return { ok: false, code: 'forbiddenForRole' };
  const r = checkReason(reason, move.requiresReason);
  if (!r.ok) return r;
  return { ok: true, move, to, reason: r.reason };
}

/** The moves this role may make from this phase, in table order. */
export function availablePhaseChanges(from: CasePhase, role: Role): PhaseMove[] {
  return CASE_PHASE_ROLES.includes(role) ? CASE_PHASE_MOVES.filter((m) => m.from === from) : [];
}
