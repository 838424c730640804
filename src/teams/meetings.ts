// The overleg at the edge: `overleg plannen` (the form, inline with Action.Execute, with free times proposed), the
// meeting card posted in the channel and refreshed per planner, `overleggen`, opening, changing and cancelling a meeting.
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Caller } from '../domain/caller.js';
import { MEETING_FIELDS, type MeetingDraft } from '../domain/meetings.js';
import { localDate } from '../domain/signalIntake.js';
import type { ServiceDeps } from '../services/context.js';
import { plannersOf, proposeSlots } from '../services/meetingCalendar.js';
import { cancelMeeting, meetingDraftFor, openMeeting, prepareMeetingForm, scheduleMeeting, upcomingMeetings, type MeetingCalendar } from '../services/meetings.js';
import { answerAsCaller, asCard, replyWith, type Answer } from './answers.js';
import { requestOf } from './context.js';
import { onExecute } from './execute.js';
import { postMeetingCard, type MeetingCardUpdater } from './meetingChannel.js';
import { renderChannelMeetingCard, renderMeetingCard, renderMeetingForm, renderMeetingList, slotTitle } from './meetingCards.js';
import { refusalText } from './signals.js';
import { t } from './strings.js';
import { readFields } from './submits.js';

/**
 * How long free/busy may take: Teams waits about 5 s for an invoke's answer, so a slow or busy Graph is answered as
 * unavailable (the form and its input kept) rather than with Teams' own error.
 */
const SLOTS_TIMEOUT_MS = 3_000;

export function registerMeetingRoutes(app: Application<TurnState>, deps: ServiceDeps, calendar: MeetingCalendar, updateChannelCard: MeetingCardUpdater,
  publicBaseUrl: () => string): void {
  const today = () => localDate(deps.now());

  const withCaller = (context: TurnContext, run: (caller: Caller) => Promise<Answer>) => answerAsCaller(deps, context, run);

  app.message(/^\s*(overleg\s+plannen|schedule\s+(a\s+)?meeting)\s*$/i, async (context) => {
    await replyWith(context, await withCaller(context, async (caller) => {
      const form = await prepareMeetingForm(deps, caller);
      if (form.kind === 'channelOnly') return t(caller.locale, 'meeting.channelOnly');
      if (form.kind === 'refused') return refusalText(caller.locale, form.reason);
      return renderMeetingForm(caller.locale, { members: form.members, today: today() });
    }));
  });

  onExecute(app, 'meeting.submit', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const locale = caller.locale;
    const draft = readFields(data, MEETING_FIELDS) as MeetingDraft;
    const { nonce: given, meetingId } = readFields(data, ['nonce', 'meetingId'] as const);
    const nonce = given || requestOf(context).correlationId;
    const result = await scheduleMeeting(deps, calendar, requestOf(context), caller, draft, nonce, publicBaseUrl(), meetingId === '' ? undefined : meetingId);
    switch (result.kind) {
      case 'scheduled':
      case 'rescheduled': {
        // The channel's card is one message for everyone: posted once, then updated in place (a change, the calendar's
        // answer). The planner's form turns into the card with the buttons.
        if (result.kind === 'scheduled' || !result.view.cardPosted) await postMeetingCard(context, deps, result.view);
        await updateChannelCard(result.view.id);
        return renderMeetingCard(locale, result.view, { notice: t(locale, result.kind === 'scheduled' ? 'meeting.scheduled' : 'meeting.rescheduled') });
      }
      case 'notFound': return t(locale, 'meeting.notFound');
      case 'otherCalendar': return t(locale, 'meeting.otherCalendar');
      case 'duplicate': return renderMeetingCard(locale, result.view, { notice: t(locale, 'meeting.duplicate') });
      case 'invalid': return renderMeetingForm(locale, { members: result.members, today: today(), draft, errors: result.errors, nonce, meetingId: meetingId || undefined });
      case 'channelOnly': return t(locale, 'meeting.channelOnly');
      case 'refused': return refusalText(locale, result.reason);
    }
  })));

  app.message(/^\s*(overleggen|meetings)\s*$/i, async (context) => {
    await replyWith(context, await withCaller(context, async (caller) => {
      const result = await upcomingMeetings(deps, requestOf(context), caller, publicBaseUrl());
      return result.kind === 'refused' ? refusalText(caller.locale, result.reason) : renderMeetingList(caller.locale, result.views);
    }));
  });

  onExecute(app, 'meeting.open', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { meetingId } = readFields(data, ['meetingId'] as const);
    const view = await openMeeting(deps, requestOf(context), caller, meetingId, publicBaseUrl());
    return view ? renderMeetingCard(caller.locale, view) : t(caller.locale, 'meeting.notFound');
  })));

  // Universal Actions: a chair's or coordinator's client asks for its own version of the channel's card, with buttons.
  onExecute(app, 'meeting.refresh', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { meetingId } = readFields(data, ['meetingId'] as const);
    const view = await openMeeting(deps, requestOf(context), caller, meetingId, publicBaseUrl());
    return view ? renderChannelMeetingCard(caller.locale, view, await plannersOf(deps, view.scopeId)) : t(caller.locale, 'meeting.notFound');
  })), { updatesMessage: false });

  // Free times for the attendees, or (with `pick`) one of them taken into the form.
  onExecute(app, 'meeting.slots', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const locale = caller.locale;
    const draft = readFields(data, MEETING_FIELDS) as MeetingDraft;
    const { nonce, meetingId, pick } = readFields(data, ['nonce', 'meetingId', 'pick'] as const);
    const keep = { today: today(), nonce: nonce || undefined, meetingId: meetingId || undefined };
    const picked = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):([0-5]\d)$/.exec(pick);
    if (picked) {
      const form = await prepareMeetingForm(deps, caller);
      if (form.kind === 'channelOnly') return t(locale, 'meeting.channelOnly');
      if (form.kind === 'refused') return refusalText(locale, form.reason);
      const chosen = { date: picked[1], time: `${picked[2]}:${picked[3]}` };
      return renderMeetingForm(locale, { ...keep, members: form.members, draft: { ...draft, startDate: chosen.date, startTime: chosen.time },
        proposals: { notice: t(locale, 'meeting.slots.picked', { when: slotTitle(locale, chosen) }), slots: [] } });
    }
    const result = await proposeSlots(deps, calendar, requestOf(context), caller, draft, keep.meetingId, AbortSignal.timeout(SLOTS_TIMEOUT_MS));
    switch (result.kind) {
      case 'slots': {
        // What the proposals could not take into account comes first.
        const unread = result.unread > 0 ? `${t(locale, 'meeting.slots.unread', { count: result.unread })} ` : '';
        const notice = unread + (result.slots.length === 0 ? t(locale, 'meeting.slots.none')
          : result.calendar === 'graph' ? t(locale, 'meeting.slots.found', { count: result.read }) : t(locale, 'meeting.slots.local'));
        return renderMeetingForm(locale, { ...keep, members: result.members, draft, proposals: { notice, slots: result.slots } });
      }
      case 'invalid': return renderMeetingForm(locale, { ...keep, members: result.members, draft, errors: result.errors });
      case 'unavailable': return renderMeetingForm(locale, { ...keep, members: result.members, draft, proposals: { notice: t(locale, 'meeting.slots.unavailable'), slots: [] } });
      case 'channelOnly': return t(locale, 'meeting.channelOnly');
      case 'refused': return refusalText(locale, result.reason);
    }
  })));

  onExecute(app, 'meeting.edit', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { meetingId } = readFields(data, ['meetingId'] as const);
    const form = await meetingDraftFor(deps, calendar.port, caller, meetingId);
    switch (form.kind) {
      case 'draft': return renderMeetingForm(caller.locale, { members: form.members, today: today(), draft: form.draft, meetingId });
      case 'notFound': return t(caller.locale, 'meeting.notFound');
      case 'otherCalendar': return t(caller.locale, 'meeting.otherCalendar');
      case 'channelOnly': return t(caller.locale, 'meeting.channelOnly');
      case 'refused': return refusalText(caller.locale, form.reason);
    }
  })));

  onExecute(app, 'meeting.cancel', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { meetingId } = readFields(data, ['meetingId'] as const);
    const result = await cancelMeeting(deps, calendar, requestOf(context), caller, meetingId, publicBaseUrl());
    switch (result.kind) {
      case 'cancelled':
        await updateChannelCard(result.view.id);
        return renderMeetingCard(caller.locale, result.view, { notice: t(caller.locale, 'meeting.cancelled'), tone: 'attention' });
      case 'notFound': return t(caller.locale, 'meeting.notFound');
      case 'refused': return refusalText(caller.locale, result.reason);
    }
  })));
}
