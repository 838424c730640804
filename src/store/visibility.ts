// Turns "which scopes, at which confidentiality levels" into a where-clause. Every read of signals and cases
// goes through one of these: no scope, no rows.
import type { Prisma } from '../generated/prisma/client.js';

export interface ScopeGrant {
  scopeId: string;
  levels: readonly string[];
  /** Only cases shared with the mayor. */
  sharedOnly: boolean;
  /** The answer reaches the caller alone: their own signals and cases count whatever their level. */
  involved: boolean;
}

const NOTHING = { id: { in: [] as string[] } };

export function signalVisibility(grants: readonly ScopeGrant[], aadObjectId: string): Prisma.SignalWhereInput {
  // No role sees signals through a case shared with the mayor.
  const usable = grants.filter((g) => !g.sharedOnly);
  if (usable.length === 0) return NOTHING;
  return {
    OR: usable.flatMap((g) => [
      { scopeId: g.scopeId, confidentiality: { in: [...g.levels] } },
      // Reporter and assignee keep sight of their own signal whatever its level.
      ...(g.involved ? [{ scopeId: g.scopeId, OR: [{ reporterAadId: aadObjectId }, { assigneeAadId: aadObjectId }] }] : []),
    ]),
  };
}

export function caseVisibility(grants: readonly ScopeGrant[], aadObjectId: string): Prisma.CaseWhereInput {
  if (grants.length === 0) return NOTHING;
  return {
    OR: grants.flatMap((g) => [
      { scopeId: g.scopeId, confidentiality: { in: [...g.levels] }, ...(g.sharedOnly ? { sharedWithMayorAt: { not: null } } : {}) },
      ...(g.involved && !g.sharedOnly ? [{ scopeId: g.scopeId, leadAadId: aadObjectId }] : []),
    ]),
  };
}
