// The one access policy: "may a caller with this role in a scope do this action there, on a record of this
// confidentiality?". Services ask it; handlers never check roles themselves.
import type { Role } from './roles.js';
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from './signalIntake.js';

export type Action =
  | 'signal.file' | 'signal.list' | 'signal.view' | 'signal.assign'
  | 'case.create' | 'case.view' | 'case.update' | 'case.share'
  | 'journal.read' | 'journal.write' | 'dossier.export' | 'journal.verify'
  | 'role.manage' | 'audit.read'
  | 'signal.aggregate'
  | 'meeting.schedule' | 'meeting.view'
  | 'briefing.send';

// The mayor gets aggregates, never the personal data in individual records (DOMAIN.md); admin administers.
const ALLOWED: Record<Action, readonly Role[]> = {
  'signal.file': ['member', 'coordinator', 'chair', 'admin'],
  'signal.list': ['member', 'coordinator', 'chair', 'admin'],
  'signal.view': ['member', 'coordinator', 'chair', 'admin'],
  'signal.assign': ['coordinator', 'chair'],
  'case.create': ['coordinator', 'chair'],
  // The mayor: only the cases a coordinator shared explicitly (see sightOf).
  'case.view': ['member', 'coordinator', 'chair', 'mayor'],
  'case.share': ['coordinator'],
  'case.update': ['coordinator', 'chair'],
  // The journal is the officers' working record and names signals: the mayor gets a shared case's card, not this.
  'journal.read': ['member', 'coordinator', 'chair', 'admin'],
  'journal.write': ['member', 'coordinator', 'chair'],
  // A dossier leaving the system (hand-over, inzageverzoek) is the process owner's decision.
  'dossier.export': ['coordinator', 'chair'],
  'journal.verify': ['coordinator', 'admin'],
  'role.manage': ['admin'],
  'audit.read': ['admin'],
  // Counts without personal data: the mayor's informatiepositie (DOMAIN.md).
  'signal.aggregate': ['mayor'],
  // The chair runs the overleg and the coordinator prepares it; everyone working in the channel sees the planning.
  'meeting.schedule': ['coordinator', 'chair'],
  'meeting.view': ['member', 'coordinator', 'chair', 'admin'],
  // The coordinator keeps the mayor's informatiepositie: an ad-hoc briefing besides the scheduled one.
  'briefing.send': ['coordinator'],
};

export function isAllowed(role: Role, action: Action): boolean {
  return ALLOWED[action].includes(role);
}

// Need to know: "geheim" is for the coordinator and chair (and, in personal chat, the officers directly involved:
// store/visibility).
const LEVELS_BY_ROLE: Record<Role, readonly Confidentiality[]> = {
  member: ['intern', 'vertrouwelijk'],
  coordinator: ['intern', 'vertrouwelijk', 'geheim'],
  chair: ['intern', 'vertrouwelijk', 'geheim'],
  mayor: [],
  admin: ['intern'],
};

/**
 * What a reader may see of the records an action reaches: these levels, and with `sharedOnly` only the cases a
 * coordinator shared with the mayor (whatever their level).
 */
export interface Sight { levels: readonly Confidentiality[]; sharedOnly: boolean }

export function sightOf(role: Role, action: Action): Sight | null {
  if (!isAllowed(role, action)) return null;
  // Counts cover every level; individual records only what was shared with her.
  if (role === 'mayor') return { levels: CONFIDENTIALITY_LEVELS, sharedOnly: action !== 'signal.aggregate' };
  return { levels: LEVELS_BY_ROLE[role], sharedOnly: false };
}

/**
 * What may be posted where all these roles read along (a channel, a group chat): only what every one of them may
 * see. A reader who may not do the action at all leaves nothing to show.
 */
export function sharedSight(roles: readonly Role[], action: Action): Sight | null {
  let shared: Sight = { levels: CONFIDENTIALITY_LEVELS, sharedOnly: false };
  for (const role of new Set(roles)) {
    const own = sightOf(role, action);
    if (own === null) return null;
    shared = { levels: shared.levels.filter((l) => own.levels.includes(l)), sharedOnly: shared.sharedOnly || own.sharedOnly };
  }
  return shared;
}
