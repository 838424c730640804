// A turn of our own in a conversation (no activity from Teams): the periodic roster refresh and the meeting reminders.
import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Bot } from './app.js';

export interface ConversationAddress { serviceUrl: string; conversationId: string; tenantId: string; kind: 'channel' | 'groupChat' }

/**
 * Runs `work` in the conversation and returns what went wrong, or undefined. Errors are caught inside the turn too:
 * the adapter would otherwise hand them to the turn error handler, which answers a user there is none of.
 */
export async function inConversation(bot: Pick<Bot, 'adapter'>, botAppId: string, at: ConversationAddress, work: (context: TurnContext) => Promise<void>): Promise<unknown> {
  const reference: Partial<ConversationReference> = {
    channelId: 'msteams', serviceUrl: at.serviceUrl,
    conversation: { id: at.conversationId, isGroup: true, conversationType: at.kind, tenantId: at.tenantId, name: '' },
  };
  let failure: unknown;
  try {
    await bot.adapter.continueConversationAsync(botAppId, reference, async (context) => {
      try {
        await work(context);
      } catch (err) {
        failure = err;
      }
    });
  } catch (err) {
    failure = err;
  }
  return failure;
}
