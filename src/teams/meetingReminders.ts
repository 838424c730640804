// Posts the day-before reminders into the meetings' channels (a proactive message: a continued conversation).
import type { ConversationReference } from 'botbuilder';
import type { ServiceDeps } from '../services/context.js';
import { claimDueReminders, markReminderSent } from '../services/meetingReminders.js';
import type { Bot } from './app.js';
import { asAttachment } from './cards.js';
import { formatDate, t } from './strings.js';
import { renderMeetingCard } from './meetingCards.js';

export interface ReminderSummary { sent: number; failed: number }

export async function sendMeetingReminders(bot: Bot, botAppId: string, deps: ServiceDeps, workingDaysBefore: number, publicBaseUrl: string): Promise<ReminderSummary> {
  const summary: ReminderSummary = { sent: 0, failed: 0 };
  for (const due of await claimDueReminders(deps, workingDaysBefore, publicBaseUrl)) {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams', serviceUrl: due.channel.serviceUrl,
      conversation: { id: due.channel.conversationId, isGroup: true, conversationType: 'channel', tenantId: due.channel.tenantId, name: '' },
    };
    // The channel's language is not known outside a turn: Dutch, the working language of the overleg.
    const card = renderMeetingCard('nl', due.view, { notice: t('nl', 'meeting.reminder', { date: formatDate('nl', due.occurrence), time: due.view.meeting.startTime }) });
    let failure: unknown;
    try {
      await bot.adapter.continueConversationAsync(botAppId, reference, async (context) => {
        try {
          await context.sendActivity({ attachments: [asAttachment(card)] });
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure = err;
    }
    if (failure === undefined) {
      await markReminderSent(deps, due.reminderId);
      summary.sent++;
    } else {
      summary.failed++;
      deps.log.warn({ err: failure, meetingId: due.view.id }, 'meeting reminder not delivered; tried again at the next run');
    }
  }
  return summary;
}
