// Who is calling: the memberships behind an identity, and which of them the current conversation is.
import type { Caller, ConversationPlace, Identity } from '../domain/caller.js';
import { scopeKeyOf } from '../domain/caller.js';
import { isAllowed, type Action } from '../domain/access.js';
import { membershipsOf } from '../store/scopes.js';
import type { ServiceDeps } from './context.js';

export async function resolveCaller(deps: ServiceDeps, identity: Identity, place: ConversationPlace): Promise<Caller> {
  const memberships = await membershipsOf(deps.prisma, identity.tenantId, identity.aadObjectId);
  const key = scopeKeyOf(identity.tenantId, place);
  let currentScope;
  if (key !== undefined) {
    const scope = await deps.prisma.scope.findUnique({ where: { key }, select: { id: true } });
    currentScope = scope ? memberships.find((m) => m.scopeId === scope.id) : undefined;
  }
  return { ...identity, place, memberships, currentScope };
}

/**
 * The scopes this caller may use for an action from where they are: in a channel or group chat only that
 * scope (never another channel's data in this one), in personal chat every scope they belong to.
 */
export function scopesFor(caller: Caller, action: Action): string[] {
  if (caller.place.kind !== 'personal') {
    return caller.currentScope && isAllowed(caller.currentScope.role, action) ? [caller.currentScope.scopeId] : [];
  }
  return caller.memberships.filter((m) => isAllowed(m.role, action)).map((m) => m.scopeId);
}
