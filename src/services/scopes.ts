// Registering scopes and keeping their rosters current (install, membership events, unknown callers).
import type { ConversationPlace } from '../domain/caller.js';
import { scopeKeyOf } from '../domain/caller.js';
import { addMembers, deactivateMembers, findScopeByKey, registerScope, replaceRoster, scopeIdsOfTeam, type RosterEntry } from '../store/scopes.js';
import { applyConfiguredLink } from './configuration.js';
import type { ServiceDeps } from './context.js';

export interface PlaceRegistration {
  tenantId: string;
  place: Exclude<ConversationPlace, { kind: 'personal' }>;
  serviceUrl: string | undefined;
  /** The conversation whose members are the roster: the team (its General channel id) or the chat. */
  rosterConversationId: string;
}

export async function registerPlace(deps: ServiceDeps, reg: PlaceRegistration): Promise<{ scopeId: string; rosterSyncedAt: Date | null }> {
  const key = scopeKeyOf(reg.tenantId, reg.place);
  if (key === undefined) throw new Error('personal chats are not scopes');
  const scope = await registerScope(deps.prisma, reg.place.kind === 'channel'
    ? { key, kind: 'channel', tenantId: reg.tenantId, teamId: reg.place.teamId, teamAadGroupId: reg.place.teamAadGroupId, channelId: reg.place.channelId, membershipType: reg.place.membershipType,
      name: reg.place.channelName, serviceUrl: reg.serviceUrl, rosterConversationId: reg.rosterConversationId }
    : { key, kind: 'groupChat', tenantId: reg.tenantId, chatId: reg.place.chatId, name: reg.place.chatName,
      serviceUrl: reg.serviceUrl, rosterConversationId: reg.rosterConversationId });
  // Seen for the first time (never linked): the configuration file may already say which municipalities it serves.
  if (scope.municipalityId === null && !scope.enabled) {
    const ref = reg.place.kind === 'channel' ? reg.place.channelId : reg.place.chatId;
    await deps.prisma.$transaction((tx) => applyConfiguredLink(tx, scope.id, ref));
  }
  return { scopeId: scope.id, rosterSyncedAt: scope.rosterSyncedAt };
}

export async function syncRoster(deps: ServiceDeps, scopeId: string, roster: readonly RosterEntry[]): Promise<void> {
  const r = await replaceRoster(deps.prisma, scopeId, roster, deps.now());
  deps.log.info({ scopeId, size: roster.length, added: r.added, removed: r.removed }, 'roster synchronised');
  // She is not enrolled here, so the channel rule does not count her as a reader; yet Teams shows her this channel.
  if (r.mayorsNotEnrolled > 0) deps.log.warn({ scopeId, mayors: r.mayorsNotEnrolled }, 'a mayor can read this channel: keep mayors out of working channels');
}

export async function membersJoined(deps: ServiceDeps, tenantId: string, place: ConversationPlace, entries: readonly RosterEntry[]): Promise<void> {
  const key = scopeKeyOf(tenantId, place);
  const scope = key === undefined ? null : await findScopeByKey(deps.prisma, key);
  if (scope) await addMembers(deps.prisma, scope.id, entries);
}

/** A member who leaves a team leaves every channel scope of that team at once. */
export async function membersLeft(deps: ServiceDeps, tenantId: string, place: ConversationPlace, aadObjectIds: readonly string[]): Promise<void> {
  let scopeIds: string[] = [];
  if (place.kind === 'channel') scopeIds = await scopeIdsOfTeam(deps.prisma, tenantId, place.teamId);
  else {
    const key = scopeKeyOf(tenantId, place);
    const scope = key === undefined ? null : await findScopeByKey(deps.prisma, key);
    if (scope) scopeIds = [scope.id];
  }
  const n = await deactivateMembers(deps.prisma, scopeIds, aadObjectIds);
  deps.log.info({ scopes: scopeIds.length, deactivated: n }, 'members removed');
}

/** Roster refresh for a caller we do not know yet, at most once a minute per scope. */
export function rosterIsStale(rosterSyncedAt: Date | null, now: Date): boolean {
  return rosterSyncedAt === null || now.getTime() - rosterSyncedAt.getTime() > 60_000;
}

/** Teams user ids of a scope's active members: who gets a per-user refresh of a card posted there. */
export async function cardAudience(deps: ServiceDeps, scopeId: string, limit: number): Promise<string[]> {
  const rows = await deps.prisma.member.findMany({ where: { scopeId, active: true, teamsUserId: { not: null } }, select: { teamsUserId: true }, orderBy: { createdAt: 'asc' }, take: limit });
  return rows.flatMap((r) => (r.teamsUserId ? [r.teamsUserId] : []));
}

/** One roster to read again, and the scopes it is the roster of (a team's standard channels share one). */
export interface RosterToRefresh { tenantId: string; serviceUrl: string; rosterConversationId: string; kind: string; scopeIds: string[] }

/** Enabled scopes whose roster was last read before `before` (or never), grouped by the roster they share. */
export async function rostersToRefresh(deps: ServiceDeps, before: Date): Promise<RosterToRefresh[]> {
  const scopes = await deps.prisma.scope.findMany({
    where: { enabled: true, serviceUrl: { not: null }, rosterConversationId: { not: null }, OR: [{ rosterSyncedAt: null }, { rosterSyncedAt: { lt: before } }] },
    select: { id: true, tenantId: true, serviceUrl: true, rosterConversationId: true, kind: true },
    orderBy: { rosterSyncedAt: { sort: 'asc', nulls: 'first' } },
  });
  const groups = new Map<string, RosterToRefresh>();
  for (const s of scopes) {
    if (!s.serviceUrl || !s.rosterConversationId) continue;
    const key = `${s.tenantId}|${s.serviceUrl}|${s.rosterConversationId}`;
    const group = groups.get(key) ?? { tenantId: s.tenantId, serviceUrl: s.serviceUrl, rosterConversationId: s.rosterConversationId, kind: s.kind, scopeIds: [] };
    group.scopeIds.push(s.id);
    groups.set(key, group);
  }
  return [...groups.values()];
}
