// What the overleg posts by itself, as turns of our own: the agenda before the meeting (the channel's card, and a
// sober one in the meeting chat, where partners read along), the minutes after Teams' meetingEnd, and the action
// items' reminders in their channel, mentioning the owner.
import type { ServiceDeps } from '../services/context.js';
import { claimActionReminders, releaseActionReminder } from '../services/actionItems.js';
import { recordOverlegCard } from '../services/decisions.js';
import { claimAgendaPosts, releaseAgendaPost } from '../services/overlegPosts.js';
import type { Bot } from './app.js';
import { asAttachment } from './cards.js';
import { sharedOverlegCard, type OverlegSender } from './overleg.js';
import { renderMinutesCard } from './overlegCards.js';
import { inConversation } from './proactive.js';
import { CHANNEL_LOCALE, formatDate, t } from './strings.js';

/** The message is Teams' XML text: what officers typed must not become markup there. */
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function overlegSender(bot: Pick<Bot, 'adapter'>, botAppId: string, deps: ServiceDeps): OverlegSender {
  return {
    async postAgenda(post) {
      const card = await sharedOverlegCard(deps, post.occ, { sober: post.where === 'chat' });
      let activityId: string | undefined;
      const failure = await inConversation(bot, botAppId, post.at, async (context) => { activityId = (await context.sendActivity({ attachments: [asAttachment(card)] }))?.id; });
      if (failure === undefined) {
        // The channel's agenda is the occurrence's card: starting and editing from it update it in place.
        if (post.where === 'channel' && activityId) await recordOverlegCard(deps, post.occ.id, post.at, activityId);
        return true;
      }
      deps.log.warn({ err: failure, occurrenceId: post.occ.id, where: post.where }, 'agenda not delivered; tried again at the next run');
      await releaseAgendaPost(deps, post);
      return false;
    },
    async postMinutes(minutes, at) {
      const failure = await inConversation(bot, botAppId, at, async (context) => {
        await context.sendActivity({ attachments: [asAttachment(renderMinutesCard(CHANNEL_LOCALE, minutes))] });
      });
      if (failure !== undefined) deps.log.warn({ err: failure, occurrenceId: minutes.occurrenceId }, 'minutes not delivered');
    },
  };
}

export interface PostSummary { sent: number; failed: number }

/** The agendas due now (what the periodic job does). */
export async function postDueAgendas(sender: OverlegSender, deps: ServiceDeps, leadMinutes: number): Promise<PostSummary> {
  const summary: PostSummary = { sent: 0, failed: 0 };
  for (const post of await claimAgendaPosts(deps, leadMinutes)) {
    if (await sender.postAgenda(post)) summary.sent++; else summary.failed++;
  }
  return summary;
}

/** Today's action item reminders: in the item's channel, mentioning its owner. */
export async function sendActionReminders(bot: Pick<Bot, 'adapter'>, botAppId: string, deps: ServiceDeps, workingDaysBefore: number): Promise<PostSummary> {
  const summary: PostSummary = { sent: 0, failed: 0 };
  for (const r of await claimActionReminders(deps, workingDaysBefore)) {
    const mention = r.owner.teamsUserId ? `<at>${escapeXml(r.owner.name)}</at>` : escapeXml(r.owner.name);
    // About a record the channel may not see: only whose it is and when it is due.
    const text = r.text === null
      ? t(CHANNEL_LOCALE, r.kind === 'before' ? 'actions.reminder.beforeHidden' : 'actions.reminder.overdueHidden', { name: mention, date: formatDate(CHANNEL_LOCALE, r.dueOn) })
      : t(CHANNEL_LOCALE, r.kind === 'before' ? 'actions.reminder.before' : 'actions.reminder.overdue',
        { name: mention, text: escapeXml(r.text), reference: r.reference ? ` (${r.reference})` : '', date: formatDate(CHANNEL_LOCALE, r.dueOn) });
    const failure = await inConversation(bot, botAppId, r.channel, async (context) => {
      await context.sendActivity({
        type: 'message', text, textFormat: 'xml',
        entities: r.owner.teamsUserId ? [{ type: 'mention', text: mention, mentioned: { id: r.owner.teamsUserId, name: r.owner.name } }] : [],
      });
    });
    if (failure === undefined) summary.sent++;
    else {
      summary.failed++;
      deps.log.warn({ err: failure, actionId: r.actionId }, 'action reminder not delivered; tried again at the next run');
      await releaseActionReminder(deps, r);
    }
  }
  return summary;
}
