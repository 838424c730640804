// The periodic roster refresh: every enabled scope's members are read again from Teams, so that someone removed
// while no event reached us (the bot was down, an event was lost) loses access within the interval. The Bot
// Connector is asked outside any turn, through a continued conversation; one failing scope does not stop the rest.
import type { ServiceDeps } from '../services/context.js';
import { rostersToRefresh, syncRoster } from '../services/scopes.js';
import type { Bot } from './app.js';
import { fetchRoster } from './callers.js';
import { inConversation } from './proactive.js';

export interface RosterRefreshSummary { rosters: number; scopes: number; failed: number }

export async function refreshRosters(bot: Bot, botAppId: string, deps: ServiceDeps, olderThanMs: number): Promise<RosterRefreshSummary> {
  const due = await rostersToRefresh(deps, new Date(deps.now().getTime() - olderThanMs));
  const summary: RosterRefreshSummary = { rosters: due.length, scopes: 0, failed: 0 };
  for (const roster of due) {
    const at = { serviceUrl: roster.serviceUrl, conversationId: roster.rosterConversationId, tenantId: roster.tenantId,
      kind: roster.kind === 'channel' ? 'channel' as const : 'groupChat' as const };
    const failure = await inConversation(bot, botAppId, at, async (context) => {
      const members = await fetchRoster(context, roster.rosterConversationId);
      for (const scopeId of roster.scopeIds) await syncRoster(deps, scopeId, members);
    });
    if (failure === undefined) {
      summary.scopes += roster.scopeIds.length;
    } else {
      // Most often the bot was removed from the team: its scopes keep their last roster until someone acts.
      summary.failed++;
      deps.log.warn({ err: failure, scopes: roster.scopeIds.length }, 'roster refresh failed');
    }
  }
  return summary;
}
