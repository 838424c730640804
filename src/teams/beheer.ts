// `beheer` / `admin` in a channel or group chat (its admins only): the beheer card, and its role changes.
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Caller } from '../domain/caller.js';
import { beheerOverview, changeRoles } from '../services/beheer.js';
import type { ServiceDeps } from '../services/context.js';
import { answerAsCaller, asCard, replyWith, type Answer } from './answers.js';
import { renderBeheerCard, roleInputId, roleName } from './beheerCards.js';
import { requestOf } from './context.js';
import { onExecute } from './execute.js';
import { refusalText } from './signals.js';
import { t } from './strings.js';

export function registerBeheerRoutes(app: Application<TurnState>, deps: ServiceDeps): void {
  const withCaller = (context: TurnContext, run: (caller: Caller) => Promise<Answer>) => answerAsCaller(deps, context, run);

  const overview = async (context: TurnContext, caller: Caller): Promise<Answer> => {
    if (caller.place.kind === 'personal') return t(caller.locale, 'beheer.personal');
    const result = await beheerOverview(deps, requestOf(context), caller);
    return result.kind === 'view' ? renderBeheerCard(caller.locale, result.view) : refusalText(caller.locale, result.reason);
  };

  app.message(/^\s*(beheer|admin)\s*$/i, async (context) => {
    await replyWith(context, await withCaller(context, (caller) => overview(context, caller)));
  });

  onExecute(app, 'beheer.show', async (context) => asCard(await withCaller(context, (caller) => overview(context, caller))));

  onExecute(app, 'beheer.roles', async (context, data) => asCard(await withCaller(context, async (caller) => {
    if (caller.place.kind === 'personal') return t(caller.locale, 'beheer.personal');
    const source = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
    // Only the role inputs; a value that is not text (a crafted request) counts as unknown.
    const chosen: Record<string, string> = {};
    for (const [key, value] of Object.entries(source)) {
      if (!key.startsWith(roleInputId(''))) continue;
      chosen[key.slice(roleInputId('').length)] = typeof value === 'string' ? value.trim().slice(0, 40) : '?';
    }
    const locale = caller.locale;
    const result = await changeRoles(deps, requestOf(context), caller, chosen);
    switch (result.kind) {
      case 'refused': return refusalText(locale, result.reason);
      case 'invalid': return renderBeheerCard(locale, result.view, { notice: t(locale, 'beheer.hasErrors'), tone: 'attention', chosen, errors: result.errors });
      case 'done': return renderBeheerCard(locale, result.view, {
        notice: result.changed.length === 0 ? t(locale, 'beheer.noChanges')
          : t(locale, 'beheer.saved', { changes: result.changed.map((c) => t(locale, 'beheer.change', { name: c.name, role: roleName(locale, c.to) })).join('; ') }),
      });
    }
  })));
}
