import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { asAttachment, renderHelpCard } from './cards.js';
import { localeOf } from './strings.js';

/** `help` shows the help card; any text no other route took gets it too, with a line saying so. Register last. */
export function registerHelpRoutes(app: Application<TurnState>): void {
  app.message(/^\s*(help|hulp|\?)\s*$/i, async (context) => {
    await context.sendActivity({ attachments: [asAttachment(renderHelpCard(localeOf(context.activity.locale), false))] });
  });
  app.activity(ActivityTypes.Message, async (context) => {
    // Card submits (Action.Submit with imBack) arrive as text; an empty message is not an unknown command.
    const unknown = (context.activity.text ?? '').trim() !== '';
    await context.sendActivity({ attachments: [asAttachment(renderHelpCard(localeOf(context.activity.locale), unknown))] });
  });
}
