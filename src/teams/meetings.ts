// The overleg at the edge: `overleg plannen` (the form, inline with Action.Execute), the meeting card posted in the
// channel, `overleggen`, opening and cancelling a meeting.
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { CalendarPort } from '../calendar/port.js';
import type { Caller } from '../domain/caller.js';
import { MEETING_FIELDS, type MeetingDraft } from '../domain/meetings.js';
import { localDate } from '../domain/signalIntake.js';
import type { ServiceDeps } from '../services/context.js';
import { cancelMeeting, meetingDraftFor, openMeeting, prepareMeetingForm, scheduleMeeting, upcomingMeetings } from '../services/meetings.js';
import { answerAsCaller, asCard, replyWith, type Answer } from './answers.js';
import { asAttachment } from './cards.js';
import { requestOf } from './context.js';
import { onExecute } from './execute.js';
import { renderMeetingCard, renderMeetingForm, renderMeetingList } from './meetingCards.js';
import { refusalText } from './signals.js';
import { t } from './strings.js';
import { readFields } from './submits.js';

export function registerMeetingRoutes(app: Application<TurnState>, deps: ServiceDeps, calendar: CalendarPort, publicBaseUrl: () => string): void {
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
        // The channel gets the meeting card as a message of its own, the same for everyone and so without buttons
        // (the chair and coordinator change it from overleggen); the planner's form turns into it, with buttons.
        const notice = t(locale, result.kind === 'scheduled' ? 'meeting.scheduled' : 'meeting.rescheduled');
        await context.sendActivity({ attachments: [asAttachment(renderMeetingCard(locale, { ...result.view, mayChange: false }, result.kind === 'scheduled' ? {} : { notice }))] });
        return renderMeetingCard(locale, result.view, { notice });
      }
      case 'notFound': return t(locale, 'meeting.notFound');
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

  onExecute(app, 'meeting.edit', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { meetingId } = readFields(data, ['meetingId'] as const);
    const form = await meetingDraftFor(deps, caller, meetingId);
    switch (form.kind) {
      case 'draft': return renderMeetingForm(caller.locale, { members: form.members, today: today(), draft: form.draft, meetingId });
      case 'notFound': return t(caller.locale, 'meeting.notFound');
      case 'channelOnly': return t(caller.locale, 'meeting.channelOnly');
      case 'refused': return refusalText(caller.locale, form.reason);
    }
  })));

  onExecute(app, 'meeting.cancel', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { meetingId } = readFields(data, ['meetingId'] as const);
    const result = await cancelMeeting(deps, calendar, requestOf(context), caller, meetingId, publicBaseUrl());
    switch (result.kind) {
      case 'cancelled': return renderMeetingCard(caller.locale, result.view, { notice: t(caller.locale, 'meeting.cancelled'), tone: 'attention' });
      case 'notFound': return t(caller.locale, 'meeting.notFound');
      case 'refused': return refusalText(caller.locale, result.reason);
    }
  })));
}
