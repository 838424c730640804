// Builds the Caller of an activity. A channel or chat we have not seen registers itself and fetches its roster;
// a caller not on the roster triggers at most one roster refresh a minute per scope.
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { ConnectorClient, ConversationsGetConversationPagedMembersOptionalParams } from 'botframework-connector';
import type { Caller } from '../domain/caller.js';
import { resolveCaller } from '../services/callers.js';
import type { ServiceDeps } from '../services/context.js';
import { registerPlace, rosterIsStale, syncRoster } from '../services/scopes.js';
import type { RosterEntry } from '../store/scopes.js';
import { identityOf, placeOf, rosterConversationOf } from './activity.js';

const PAGE_SIZE = 500;

/** The roster, paged. A private or shared channel has its own members: those are asked of the channel itself. */
export async function fetchRoster(context: TurnContext, rosterConversationId: string): Promise<RosterEntry[]> {
  const entries: RosterEntry[] = [];
  const ownRoster = rosterConversationId !== (context.activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
  const connector = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
  let continuationToken: string | undefined;
  do {
    const page = ownRoster && connector
      // The typings demand a token even for the first page, which has none (TeamsInfo omits it the same way).
      ? await connector.conversations.getConversationPagedMembers(rosterConversationId, { pageSize: PAGE_SIZE, ...(continuationToken ? { continuationToken } : {}) } as ConversationsGetConversationPagedMembersOptionalParams)
      : await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken);
    for (const m of page.members) {
      // The connector's own paging types the members as plain ChannelAccounts; Teams sends the e-mail and UPN too.
      const { email: mail, userPrincipalName: upn } = m as { email?: string; userPrincipalName?: string };
      const email = mail ?? upn;
      if (m.aadObjectId) entries.push({ aadObjectId: m.aadObjectId, teamsUserId: m.id, name: m.name ?? '', ...(email ? { email } : {}) });
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
  await syncRoster(deps, scope.scopeId, await fetchRoster(context, rosterConversationId));
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
