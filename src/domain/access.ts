// The one access policy: "may a caller with this role in a scope do this action there?". Services ask it;
// handlers never check roles themselves. Confidentiality levels and shared cases join here later.
import type { Role } from './roles.js';

export type Action = 'signal.file' | 'signal.list' | 'signal.view';

// The mayor gets aggregates, never the personal data in individual signals (DOMAIN.md).
const ALLOWED: Record<Action, readonly Role[]> = {
  'signal.file': ['member', 'coordinator', 'chair', 'admin'],
  'signal.list': ['member', 'coordinator', 'chair', 'admin'],
  'signal.view': ['member', 'coordinator', 'chair', 'admin'],
};

export function isAllowed(role: Role, action: Action): boolean {
  return ALLOWED[action].includes(role);
}
