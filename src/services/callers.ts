// Who is calling: the memberships behind an identity, and which of them the current conversation is.
import type { Caller, ConversationPlace, Identity, Membership } from '../domain/caller.js';
import { scopeKeyOf } from '../domain/caller.js';
import { isAllowed, sharedSight, sightOf, type Action } from '../domain/access.js';
import type { Role } from '../domain/roles.js';
import { membershipsOf, rolesPresent, scopesOfMunicipalities } from '../store/scopes.js';
import type { ScopeGrant } from '../store/visibility.js';
import type { ServiceDeps } from './context.js';

export async function resolveCaller(deps: ServiceDeps, identity: Identity, place: ConversationPlace): Promise<Caller> {
  const memberships = await membershipsOf(deps.prisma, identity.tenantId, identity.aadObjectId);
  const key = scopeKeyOf(identity.tenantId, place);
  let currentScope;
  let placeDisabled = false;
  let readers: Role[] = [];
  if (key !== undefined) {
    const scope = await deps.prisma.scope.findUnique({ where: { key }, select: { id: true, enabled: true } });
    currentScope = scope ? memberships.find((m) => m.scopeId === scope.id) : undefined;
    placeDisabled = scope !== null && !scope.enabled;
    if (currentScope) readers = await rolesPresent(deps.prisma, currentScope.scopeId);
  }
  // The mayor is the mayor of the whole municipality: a case of any of its channels can be shared with her.
  const mayoralties = memberships.filter((m) => m.role === 'mayor' && m.municipalityId !== null).map((m) => m.municipalityId as string);
  const mayorOf = mayoralties.length === 0 ? [] : await scopesOfMunicipalities(deps.prisma, identity.tenantId, mayoralties);
  return { ...identity, place, memberships, currentScope, placeDisabled, readers, mayorOf };
}

/**
 * The memberships this caller may use for an action from where they are: in a channel or group chat only that
 * scope (never another channel's data in this one), in personal chat every scope they belong to.
 */
export function membershipsFor(caller: Caller, action: Action): Membership[] {
  if (caller.place.kind !== 'personal') {
    return caller.currentScope && isAllowed(caller.currentScope.role, action) ? [caller.currentScope] : [];
  }
  return caller.memberships.filter((m) => isAllowed(m.role, action));
}

export function scopesFor(caller: Caller, action: Action): string[] {
  return membershipsFor(caller, action).map((m) => m.scopeId);
}

/**
 * The records an answer may show from where the caller is. In personal chat the answer reaches the caller alone:
 * what their role sees, plus what they filed, were assigned or lead. In a channel or group chat everyone there
 * reads it: only what every reader's role may see, and no one's own exceptions.
 */
export function grantsFor(caller: Caller, action: Action): ScopeGrant[] {
  if (caller.place.kind === 'personal') return ownGrantsFor(caller, action);
  const sight = sharedSight(caller.readers, action);
  return sight === null ? [] : membershipsFor(caller, action).map((m) => ({ scopeId: m.scopeId, ...sight, involved: false }));
}

/** The caller's own view, wherever they are: to tell "not here, but in your personal chat" from "not at all". */
export function ownGrantsFor(caller: Caller, action: Action): ScopeGrant[] {
  const grants: ScopeGrant[] = membershipsFor(caller, action).flatMap((m) => {
    const sight = sightOf(m.role, action);
    return sight === null ? [] : [{ scopeId: m.scopeId, ...sight, involved: true }];
  });
  const asMayor = sightOf('mayor', action);
  if (caller.place.kind === 'personal' && asMayor !== null) {
    for (const scopeId of caller.mayorOf) if (!grants.some((g) => g.scopeId === scopeId)) grants.push({ scopeId, ...asMayor, involved: false });
  }
  return grants;
}

export function roleIn(caller: Caller, scopeId: string) {
  return caller.memberships.find((m) => m.scopeId === scopeId)?.role;
}

/** In a channel: the caller's own role sees more than is shown to everyone here (lists then say so). */
export function seesMoreAlone(caller: Caller, action: Action): boolean {
  if (caller.place.kind === 'personal' || caller.currentScope === undefined) return false;
  const own = sightOf(caller.currentScope.role, action);
  const shared = sharedSight(caller.readers, action);
  if (own === null) return false;
  if (shared === null) return true;
  return own.levels.some((l) => !shared.levels.includes(l)) || (shared.sharedOnly && !own.sharedOnly);
}

export type Refusal = 'noScope' | 'notEnabled' | 'notLinked' | 'forbidden' | 'audience';

/** Why the caller gets nothing here; `audience` when their own role could, but others read along. */
export function refusalFor(caller: Caller, action?: Action): Refusal {
  if (caller.place.kind !== 'personal' && caller.placeDisabled) return 'notEnabled';
  if (caller.place.kind !== 'personal' && caller.currentScope === undefined) return 'noScope';
  if (caller.place.kind === 'personal' && caller.memberships.length === 0) return 'noScope';
  if (action !== undefined && caller.place.kind !== 'personal' && caller.currentScope && isAllowed(caller.currentScope.role, action)) return 'audience';
  return 'forbidden';
}
