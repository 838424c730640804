// Installation and roster events keep scopes and members current.
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { ServiceDeps } from '../services/context.js';
import { membersJoined, membersLeft } from '../services/scopes.js';
import { placeOf, tenantIdOf } from './activity.js';
import { registerAndSync } from './callers.js';

export function registerMembershipRoutes(app: Application<TurnState>, deps: ServiceDeps): void {
  const botId = (context: TurnContext) => context.activity.recipient?.id;

  app.activity('installationUpdate', async (context) => {
    if (context.activity.action === 'add' || context.activity.action === 'add-upgrade') await registerAndSync(deps, context, true);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const added = context.activity.membersAdded ?? [];
    const tenantId = tenantIdOf(context.activity);
    if (!tenantId) return;
    if (added.some((m) => m.id === botId(context))) {
      // The bot itself joined: take the whole roster (unless the installationUpdate beside it just did).
      await registerAndSync(deps, context, false);
      return;
    }
    await membersJoined(deps, tenantId, placeOf(context.activity), added.filter((m) => m.aadObjectId)
      .map((m) => ({ aadObjectId: m.aadObjectId as string, teamsUserId: m.id, name: m.name ?? '' })));
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    const removed = context.activity.membersRemoved ?? [];
    const tenantId = tenantIdOf(context.activity);
    if (!tenantId) return;
    const ids = removed.map((m) => m.aadObjectId).filter((id): id is string => typeof id === 'string');
    if (ids.length > 0) await membersLeft(deps, tenantId, placeOf(context.activity), ids);
  });
}
