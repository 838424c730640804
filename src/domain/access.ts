// The one access policy: "may a caller with this role in a scope do this action there, on a record of this
// confidentiality?". Services ask it; handlers never check roles themselves.
import type { Role } from './roles.js';
import type { Confidentiality } from './signalIntake.js';

export type Action =
  | 'signal.file' | 'signal.list' | 'signal.view' | 'signal.assign'
  | 'case.create' | 'case.view' | 'case.update'
  | 'journal.write' | 'dossier.export' | 'journal.verify'
  | 'role.manage' | 'audit.read';

// The mayor gets aggregates, never the personal data in individual records (DOMAIN.md); admin administers.
const ALLOWED: Record<Action, readonly Role[]> = {
  'signal.file': ['member', 'coordinator', 'chair', 'admin'],
  'signal.list': ['member', 'coordinator', 'chair', 'admin'],
  'signal.view': ['member', 'coordinator', 'chair', 'admin'],
  'signal.assign': ['coordinator', 'chair'],
  'case.create': ['coordinator', 'chair'],
  'case.view': ['member', 'coordinator', 'chair'],
  'case.update': ['coordinator', 'chair'],
  'journal.write': ['member', 'coordinator', 'chair'],
  // A dossier leaving the system (hand-over, inzageverzoek) is the process owner's decision.
  'dossier.export': ['coordinator', 'chair'],
  'journal.verify': ['coordinator', 'admin'],
  'role.manage': ['admin'],
  'audit.read': ['admin'],
};

export function isAllowed(role: Role, action: Action): boolean {
  return ALLOWED[action].includes(role);
}

// Need to know: "geheim" is for the coordinator and chair (and the officers directly involved, see below).
const LEVELS_BY_ROLE: Record<Role, readonly Confidentiality[]> = {
  member: ['intern', 'vertrouwelijk'],
  coordinator: ['intern', 'vertrouwelijk', 'geheim'],
  chair: ['intern', 'vertrouwelijk', 'geheim'],
  mayor: [],
  admin: ['intern'],
};

export function visibleLevels(role: Role): readonly Confidentiality[] {
  return LEVELS_BY_ROLE[role];
}
