// Posts the day-before reminders into the meetings' channels (a proactive message: a continued conversation).
import type { ServiceDeps } from '../services/context.js';
import { claimDueReminders, markReminderSent } from '../services/meetingReminders.js';
import type { Bot } from './app.js';
import { asAttachment } from './cards.js';
import { CHANNEL_LOCALE, formatDate, t } from './strings.js';
import { renderMeetingCard } from './meetingCards.js';
import { inConversation } from './proactive.js';

export interface ReminderSummary { sent: number; failed: number }

export async function sendMeetingReminders(bot: Bot, botAppId: string, deps: ServiceDeps, workingDaysBefore: number, publicBaseUrl: string): Promise<ReminderSummary> {
  const summary: ReminderSummary = { sent: 0, failed: 0 };
  for (const due of await claimDueReminders(deps, workingDaysBefore, publicBaseUrl)) {
    const card = renderMeetingCard(CHANNEL_LOCALE, due.view, { notice: t(CHANNEL_LOCALE, 'meeting.reminder', { date: formatDate(CHANNEL_LOCALE, due.occurrence), time: due.view.meeting.startTime }) });
    const failure = await inConversation(bot, botAppId, due.channel, async (context) => {
      await context.sendActivity({ attachments: [asAttachment(card)] });
    });
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
