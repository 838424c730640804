// The meeting's card in its channel: one message for everyone, without buttons (the chairs and coordinators get
// theirs through a per-user refresh), posted when the meeting is planned and updated in place when the calendar
// answers, when it is changed and when it is cancelled.
import type { TurnContext } from 'botbuilder';
import type { ServiceDeps } from '../services/context.js';
import { channelCardBehind, markChannelCardShown, plannersOf, recordChannelCard } from '../services/meetingCalendar.js';
import type { MeetingView } from '../services/meetings.js';
import type { Bot } from './app.js';
import { asAttachment } from './cards.js';
import { renderChannelMeetingCard } from './meetingCards.js';
import { inConversation } from './proactive.js';
import { CHANNEL_LOCALE } from './strings.js';

/** Posts the meeting's card as a message of its own in this conversation and remembers it for later updates. */
export async function postMeetingCard(context: TurnContext, deps: ServiceDeps, view: MeetingView): Promise<void> {
  const card = renderChannelMeetingCard(CHANNEL_LOCALE, { ...view, mayChange: false }, await plannersOf(deps, view.scopeId));
  const sent = await context.sendActivity({ attachments: [asAttachment(card)] });
  if (sent?.id) await recordChannelCard(deps, view, { serviceUrl: context.activity.serviceUrl, conversationId: context.activity.conversation.id }, sent.id);
}

export type MeetingCardUpdater = (meetingId: string) => Promise<void>;

/** Brings the channel's card of a meeting up to date when it shows an older state; a failed update is tried at the next change. */
export function meetingCardUpdater(bot: Pick<Bot, 'adapter'>, botAppId: string, deps: ServiceDeps, publicBaseUrl: () => string): MeetingCardUpdater {
  return async (meetingId) => {
    const behind = await channelCardBehind(deps, meetingId, publicBaseUrl());
    if (!behind) return;
    const card = renderChannelMeetingCard(CHANNEL_LOCALE, { ...behind.view, mayChange: false }, behind.planners);
    const failure = await inConversation(bot, botAppId, behind.at, async (context) => {
      await context.updateActivity({ id: behind.activityId, type: 'message', attachments: [asAttachment(card)] });
    });
    if (failure === undefined) await markChannelCardShown(deps, meetingId, behind);
    else deps.log.warn({ err: failure, meetingId }, 'meeting card in the channel not updated');
  };
}
