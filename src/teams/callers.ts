// Builds the Caller of an activity. A channel or chat we have not seen registers itself and fetches its roster;
// a caller not on the roster triggers at most one roster refresh a minute per scope.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Caller } from '../domain/caller.js';
import { resolveCaller } from '../services/callers.js';
import type { ServiceDeps } from '../services/context.js';
import { registerPlace, rosterIsStale, syncRoster } from '../services/scopes.js';
import type { RosterEntry } from '../store/scopes.js';
import { identityOf, placeOf, rosterConversationOf } from './activity.js';

const PAGE_SIZE = 500;

export async function fetchRoster(context: TurnContext): Promise<RosterEntry[]> {
  const entries: RosterEntry[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken);
    for (const m of page.members) {
      if (m.aadObjectId) entries.push({ aadObjectId: m.aadObjectId, teamsUserId: m.id, name: m.name ?? '' });
    }
    continuationToken = page.continuationToken ?? undefined;
  } while (continuationToken);
  return entries;
}

/** Registers the place of this activity as a scope and refreshes its roster when that is stale (or forced). */
export async function registerAndSync(deps: ServiceDeps, context: TurnContext, force: boolean): Promise<void> {
  const identityTenant = identityOf(context.activity)?.tenantId ?? context.activity.conversation?.tenantId;
  const place = placeOf(context.activity);
  const rosterConversationId = rosterConversationOf(context.activity);
  if (place.kind === 'personal' || !identityTenant || !rosterConversationId) return;
  const scope = await registerPlace(deps, { tenantId: identityTenant, place, serviceUrl: context.activity.serviceUrl, rosterConversationId });
  if (!force && !rosterIsStale(scope.rosterSyncedAt, deps.now())) return;
  await syncRoster(deps, scope.scopeId, await fetchRoster(context));
}

const CALLER = Symbol('weerbaar.caller');

/** The caller of this turn, resolved once per turn (the gate and the handler both ask). */
export async function callerOf(deps: ServiceDeps, context: TurnContext): Promise<Caller | undefined> {
  if (context.turnState.has(CALLER)) return context.turnState.get(CALLER) as Caller | undefined;
  const caller = await resolveCallerOf(deps, context);
  context.turnState.set(CALLER, caller);
  return caller;
}

async function resolveCallerOf(deps: ServiceDeps, context: TurnContext): Promise<Caller | undefined> {
  const identity = identityOf(context.activity);
  if (!identity) return undefined;
  const place = placeOf(context.activity);
  const caller = await resolveCaller(deps, identity, place);
  if (place.kind === 'personal' || caller.currentScope) return caller;
  try {
    await registerAndSync(deps, context, false);
  } catch (err) {
    deps.log.warn({ err }, 'roster refresh failed');
    return caller;
  }
  return resolveCaller(deps, identity, place);
}
