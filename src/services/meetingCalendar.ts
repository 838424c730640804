// Between a meeting and its calendar: the outbox job that makes the calendar match the row (create, update or
// cancel, each idempotent), the failure after the last retry, the channel's meeting card that follows both, and
// free slots proposed from the attendees' free/busy.
import { calendarFor } from '../calendar/local.js';
import { CalendarError, calendarFailureOf, type CalendarFailure, type CalendarPort, type FreeBusy } from '../calendar/port.js';
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { isUuid } from '../domain/identifiers.js';
import { freeSlots, type Interval, type Slot } from '../domain/freeSlots.js';
import { occurrencesBetween, validateParticipants, zonedInstant, type MeetingDraft, type MeetingError, type Recurrence } from '../domain/meetings.js';
import { ROLES } from '../domain/roles.js';
import { addWorkingDays, isWorkingDay } from '../domain/workingDays.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { JobHandler, JobResult } from '../jobs/outbox.js';
import { recordAudit } from '../store/audit.js';
import type { ServiceDeps, RequestContext } from './context.js';
import { calendarMeeting, findRow, meetingJobKey, meetingsGoingOnFrom, membersOf, prepareMeetingForm, viewOf, type MeetingCalendar, type MeetingFormResult, type MeetingPerson, type MeetingRow, type MeetingView } from './meetings.js';
import { origin } from './signals.js';

/** Makes the calendar hold what the meeting row says. Safe to repeat: a retried create returns the first event. */
export async function syncMeetingToCalendar(deps: ServiceDeps, configured: CalendarPort, meetingId: string, signal: AbortSignal): Promise<JobResult> {
  const row = await findRow(deps, { id: meetingId });
  if (!row) return { kind: 'done' };
  if (row.syncedSequence === row.sequence && (row.externalId !== null || row.status === 'cancelled')) return { kind: 'done' };
  const port = calendarFor(row.calendar, configured);
  if (!port) {
    // A Microsoft 365 meeting after Graph was switched off (changes to it are refused). Its cancellation is Weerbaar's
    // own (the .ics link serves it); the card says the Outlook event, if one was made, could not be cancelled.
    if (row.status === 'cancelled' && row.externalId === null && row.createSentAt === null) {
      await deps.prisma.meeting.updateMany({ where: { id: row.id, sequence: row.sequence }, data: { syncedSequence: row.sequence, failure: null } });
      return { kind: 'done' };
    }
    return { kind: 'failed', reason: 'otherCalendar', version: row.sequence };
  }
  const cm = await calendarMeeting(deps, row);
  try {
    if (row.status === 'cancelled') {
      let externalId = row.externalId;
      if (externalId === null && row.createSentAt !== null) {
        // A create whose answer was lost may have made an event: the same create finds it, so it can be cancelled.
        // Its id is kept at once, so a cancel that fails is retried without another create.
        externalId = (await port.create(cm, signal)).externalId;
        await deps.prisma.meeting.updateMany({ where: { id: row.id, externalId: null }, data: { externalId } });
      }
      if (externalId !== null) await port.cancel(cm, externalId, signal);
      await deps.prisma.meeting.updateMany({ where: { id: row.id, sequence: row.sequence }, data: { syncedSequence: row.sequence, failure: null } });
      return { kind: 'done' };
    }
    let joinUrl = row.joinUrl;
    if (row.externalId === null) {
      // A create sent by an earlier run may have made the event: the same transactionId then returns that event
      // unchanged, so whatever changed since reaches it only as an update.
      const sentBefore = row.createSentAt !== null;
      if (!sentBefore) await deps.prisma.meeting.update({ where: { id: row.id }, data: { createSentAt: deps.now() } });
      const placed = await port.create(cm, signal).catch(async (err: unknown) => {
        // Nothing reached Exchange (no connection, no token, turned away): no event can exist, so a cancel need not
        // create one to cancel it (which would send the attendees an invitation and its cancellation).
        if (!sentBefore && err instanceof CalendarError && err.notApplied) {
          await deps.prisma.meeting.updateMany({ where: { id: row.id, externalId: null }, data: { createSentAt: null } });
        }
        throw err;
      });
      joinUrl = placed.joinUrl;
      // The event exists whatever happened to the row meanwhile: keep its id, so a later change or cancel finds it.
      await deps.prisma.meeting.update({ where: { id: row.id }, data: { externalId: placed.externalId, joinUrl } });
      if (sentBefore) joinUrl = (await port.update(cm, placed.externalId, signal)).joinUrl ?? joinUrl;
    } else {
      joinUrl = (await port.update(cm, row.externalId, signal)).joinUrl ?? joinUrl;
    }
    // Only the version this run sent: a change made meanwhile re-armed the job, which sends that one next.
    await deps.prisma.meeting.updateMany({ where: { id: row.id, sequence: row.sequence, status: { not: 'cancelled' } },
      data: { status: 'scheduled', syncedSequence: row.sequence, joinUrl, failure: null } });
    return { kind: 'done' };
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err;
    return err.retryable ? { kind: 'retry', reason: err.failure, retryAfterMs: err.retryAfterMs, version: row.sequence } : { kind: 'failed', reason: err.failure, version: row.sequence };
  }
}

/** The outbox job of a meeting; `settled` runs when the calendar took it, or after the last retry. */
export function meetingSyncJob(deps: ServiceDeps, port: CalendarPort, settled: (meetingId: string) => Promise<void>): JobHandler {
  const idOf = (key: string) => key.slice(meetingJobKey('').length);
  return {
    run: async (key, signal) => {
      const result = await syncMeetingToCalendar(deps, port, idOf(key), signal);
      if (result.kind === 'done') await settled(idOf(key));
      return result;
    },
    giveUp: async (key, reason, sequence) => {
      await recordCalendarFailure(deps, idOf(key), reason, sequence);
      await settled(idOf(key));
    },
  };
}

/** Who the audit trail names for what the calendar job did on its own. */
const CALENDAR_ACTOR = 'system:calendar';

/**
 * After the last retry: the meeting says why it is not (or not as changed) in the calendar. `sequence`: the version
 * that was tried (unknown when the job itself failed: then the current one); a change made since has its own attempts,
 * so its row is left alone. The worker's own reason when the job itself failed ('internal') is said as such, not as
 * Microsoft 365 being unreachable, which the local calendar never is.
 */
export async function recordCalendarFailure(deps: ServiceDeps, meetingId: string, reason: string, sequence?: number): Promise<void> {
  const failure: CalendarFailure = calendarFailureOf(reason) ?? 'internal';
  await deps.prisma.$transaction(async (tx) => {
    const row = await tx.meeting.findUnique({ where: { id: meetingId }, select: { status: true, sequence: true, scopeId: true, scope: { select: { tenantId: true } } } });
    if (!row) return;
    const updated = await tx.meeting.updateMany({ where: { id: meetingId, sequence: sequence ?? row.sequence },
      data: { failure, ...(row.status === 'cancelled' ? {} : { status: 'failed' }) } });
    if (updated.count === 0) return;
    await recordAudit(tx, { tenantId: row.scope.tenantId, actorAadId: CALENDAR_ACTOR, scopeId: row.scopeId, action: 'meeting.calendar', recordType: 'Meeting',
      recordId: meetingId, result: 'denied', correlationId: `job:${meetingId.slice(0, 8)}`, details: { failure } });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The meeting card in the channel: one message for everyone, kept up to date as the calendar answers.

/** What a posted card shows: when this changes, the message is updated. */
const cardStateOf = (row: MeetingRow) => [row.status, row.sequence, calendarFailureOf(row.failure) ?? '', row.joinUrl ?? ''].join('|');

/** The chairs and coordinators of a scope (Teams user ids, at most 60): their clients refresh the card with buttons. */
export async function plannersOf(deps: ServiceDeps, scopeId: string): Promise<string[]> {
  const roles = ROLES.filter((r) => isAllowed(r, 'meeting.schedule'));
  const rows = await deps.prisma.member.findMany({ where: { scopeId, active: true, role: { in: roles }, teamsUserId: { not: null } }, select: { teamsUserId: true },
    orderBy: { createdAt: 'asc' }, take: 60 });
  return rows.flatMap((r) => (r.teamsUserId ? [r.teamsUserId] : []));
}

export interface ChannelCard {
  view: MeetingView;
  planners: string[];
  at: { serviceUrl: string; conversationId: string; tenantId: string; kind: 'channel' | 'groupChat' };
  activityId: string;
  state: string;
}

/** The channel's card of this meeting when it shows an older state than the row, with what it should show now. */
export async function channelCardBehind(deps: ServiceDeps, meetingId: string, publicBaseUrl: string): Promise<ChannelCard | undefined> {
  const row = await findRow(deps, { id: meetingId });
  if (!row?.cardActivityId || !row.cardConversationId || !row.cardServiceUrl || row.cardState === cardStateOf(row)) return undefined;
  const scope = await deps.prisma.scope.findUniqueOrThrow({ where: { id: row.scopeId }, select: { tenantId: true, kind: true } });
  return {
    view: await viewOf(deps, null, row, publicBaseUrl), planners: await plannersOf(deps, row.scopeId),
    at: { serviceUrl: row.cardServiceUrl, conversationId: row.cardConversationId, tenantId: scope.tenantId, kind: scope.kind === 'channel' ? 'channel' : 'groupChat' },
    activityId: row.cardActivityId, state: cardStateOf(row),
  };
}

/** The message that now shows the meeting in its channel (where it lives), and the state it was posted with. */
export async function recordChannelCard(deps: ServiceDeps, view: MeetingView, at: { serviceUrl: string; conversationId: string }, activityId: string): Promise<void> {
  const row = await findRow(deps, { id: view.id });
  if (!row) return;
  // The state the posted view was made from; if the row moved on since, channelCardBehind sees the difference.
  const shown = [view.status, row.sequence, view.failure ?? '', view.joinUrl ?? ''].join('|');
  await deps.prisma.meeting.update({ where: { id: view.id },
    data: { cardServiceUrl: at.serviceUrl, cardConversationId: at.conversationId, cardActivityId: activityId, cardState: shown } });
}

export async function markChannelCardShown(deps: ServiceDeps, meetingId: string, card: ChannelCard): Promise<void> {
  await deps.prisma.meeting.updateMany({ where: { id: meetingId, cardActivityId: card.activityId }, data: { cardState: card.state } });
}

// ---------------------------------------------------------------------------------------------------------------
// Free slots: the attendees' free/busy (Graph getSchedule; the local calendar knows none) and the channel's own meetings.

/** Working days searched from the first possible day. */
const SEARCH_WORKING_DAYS = 10;

export type SlotResult =
  /** read: the mailboxes whose free/busy was read (none with the local calendar); unread: asked, but not readable. */
  | { kind: 'slots'; slots: Slot[]; members: MeetingPerson[]; read: number; unread: number; calendar: 'local' | 'graph' }
  | { kind: 'invalid'; errors: MeetingError[]; members: MeetingPerson[] }
  | { kind: 'unavailable'; failure: CalendarFailure; members: MeetingPerson[] }
  | Exclude<MeetingFormResult, { kind: 'form' }>;

export async function proposeSlots(deps: ServiceDeps, calendar: MeetingCalendar, req: RequestContext, caller: Caller, draft: MeetingDraft, meetingId: string | undefined,
  signal?: AbortSignal): Promise<SlotResult> {
  const form = await prepareMeetingForm(deps, caller);
  if (form.kind !== 'form') return form;
  const scope = await deps.prisma.scope.findUniqueOrThrow({ where: { id: form.scopeId }, select: { municipality: { select: { country: true } } } });
  const members = await membersOf(deps, form.scopeId);
  // Changing a planned meeting: its organiser is fixed (its event lives in that mailbox), as the submit will hold.
  const existing = meetingId !== undefined && isUuid(meetingId)
    ? await deps.prisma.meeting.findFirst({ where: { id: meetingId, scopeId: form.scopeId, status: { not: 'cancelled' } }, select: { organiser: true } }) : null;
  const { now, today, nowTime } = origin(deps);
  const checked = validateParticipants(draft, { memberIds: new Set(members.map((m) => m.aadObjectId)), today, nowTime, organiser: existing?.organiser });
  if (!checked.ok) return { kind: 'invalid', errors: checked.errors, members: form.members };
  const m = checked.value;

  const country = scope.municipality?.country === 'BE' ? 'BE' : 'NL';
  const wanted = draft.startDate.trim();
  let day = /^\d{4}-\d{2}-\d{2}$/.test(wanted) && wanted > today ? wanted : today;
  const days: string[] = [];
  while (days.length < SEARCH_WORKING_DAYS) {
    if (isWorkingDay(day, country)) days.push(day);
    day = addWorkingDays(day, 1, country);
  }
  const from = zonedInstant(days[0], '00:00');
  const to = zonedInstant(addWorkingDays(days[days.length - 1], 1, country), '00:00');

  // Free/busy of the people of this channel who are invited, and the organiser mailbox; partners' mailboxes are not ours to read.
  const emails = [...new Set([m.organiser, ...m.attendeeIds.flatMap((id) => {
    const email = members.find((p) => p.aadObjectId === id)?.email;
    return email ? [email.toLowerCase()] : [];
  })])];
  const audit = (result: 'ok' | 'denied', details: Prisma.InputJsonObject) => recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId,
    scopeId: form.scopeId, action: 'meeting.slots', result, correlationId: req.correlationId, details: { mailboxes: emails.length, ...details } });
  let freeBusy: FreeBusy;
  try {
    freeBusy = await calendar.port.busy(m.organiser, emails, from, to, signal);
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err;
    deps.log.warn({ correlationId: req.correlationId, failure: err.failure }, 'free/busy not available');
    // As the calendar job records its failures: nothing was read.
    await audit('denied', { read: 0, failure: err.failure });
    return { kind: 'unavailable', failure: err.failure, members: form.members };
  }
  await audit('ok', { read: freeBusy.read });
  const busy: Interval[] = [...freeBusy.busy, ...await ownMeetings(deps, form.scopeId, days[0], days[days.length - 1], meetingId)];
  return { kind: 'slots', slots: freeSlots({ days, durationMinutes: m.durationMinutes, busy, notBefore: now }), members: form.members, read: freeBusy.read,
    unread: calendar.port.kind === 'graph' ? emails.length - freeBusy.read : 0, calendar: calendar.port.kind };
}

/** The channel's own planned meetings in a period, as busy time (the one being changed left out). */
async function ownMeetings(deps: ServiceDeps, scopeId: string, first: string, last: string, except: string | undefined): Promise<Interval[]> {
  const rows = await deps.prisma.meeting.findMany({
    where: { scopeId, ...meetingsGoingOnFrom(first), startDate: { lte: last },
      ...(except !== undefined && isUuid(except) ? { id: { not: except } } : {}) },
    select: { startDate: true, startTime: true, durationMinutes: true, recurrence: true },
  });
  return rows.flatMap((r) => occurrencesBetween({ startDate: r.startDate, recurrence: r.recurrence as unknown as Recurrence }, first, last).map((date) => {
    const start = zonedInstant(date, r.startTime);
    return { start, end: new Date(start.getTime() + r.durationMinutes * 60_000) };
  }));
}
