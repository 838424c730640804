// Who is calling: the memberships behind an identity, and which of them the current conversation is.
import type { Caller, ConversationPlace, Identity, Membership } from '../domain/caller.js';
import { scopeKeyOf } from '../domain/caller.js';
import { isAllowed, visibleLevels, type Action } from '../domain/access.js';
import { membershipsOf } from '../store/scopes.js';
import type { ScopeGrant } from '../store/visibility.js';
import type { ServiceDeps } from './context.js';

export async function resolveCaller(deps: ServiceDeps, identity: Identity, place: ConversationPlace): Promise<Caller> {
  const memberships = await membershipsOf(deps.prisma, identity.tenantId, identity.aadObjectId);
  const key = scopeKeyOf(identity.tenantId, place);
  let currentScope;
  let placeDisabled = false;
  if (key !== undefined) {
    const scope = await deps.prisma.scope.findUnique({ where: { key }, select: { id: true, enabled: true } });
    currentScope = scope ? memberships.find((m) => m.scopeId === scope.id) : undefined;
    placeDisabled = scope !== null && !scope.enabled;
  }
  return { ...identity, place, memberships, currentScope, placeDisabled };
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

/** Scopes with the confidentiality levels the caller's role there may see. */
export function grantsFor(caller: Caller, action: Action): ScopeGrant[] {
  return membershipsFor(caller, action).map((m) => ({ scopeId: m.scopeId, levels: visibleLevels(m.role) }));
}

export function roleIn(caller: Caller, scopeId: string) {
  return caller.memberships.find((m) => m.scopeId === scopeId)?.role;
}
