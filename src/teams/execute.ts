// Action.Execute routing. teams-ai's own actionExecute switches a verb to "replace the message for everyone" for
// good once one answer carried a refresh, after which one person's refusal or half-filled form would replace the
// shared card for all. Here the rule holds per answer: a card with a per-user refresh is the shared state and
// replaces the message for everyone; any other card answers the one who clicked.
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { asAttachment, type AdaptiveCard } from './cards.js';

interface ExecuteValue { action?: { type?: string; verb?: string; data?: unknown }; trigger?: string }

export function executeValue(context: TurnContext): ExecuteValue | undefined {
  const a = context.activity;
  return a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action' ? (a.value as ExecuteValue | undefined) : undefined;
}

export async function answerExecute(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } } });
}

/**
 * Registers an Action.Execute verb. `updatesMessage: false` for verbs that only show something to the viewer
 * (the automatic refresh), so that even a card with a refresh never replaces the message for others.
 */
export function onExecute(app: Application<TurnState>, verb: string, handler: (context: TurnContext, data: unknown) => Promise<AdaptiveCard>,
  opts: { updatesMessage?: boolean } = {}): void {
  app.addRoute(async (context) => executeValue(context)?.action?.verb === verb, async (context) => {
    const card = await handler(context, executeValue(context)?.action?.data);
    const messageId = context.activity.replyToId;
    if ((opts.updatesMessage ?? true) && card.refresh !== undefined && messageId) {
      await context.updateActivity({ id: messageId, type: ActivityTypes.Message, attachments: [asAttachment(card)] });
    }
    await answerExecute(context, card);
  }, true);
}
