// Planning the overleg: the form's choices, scheduling (validated; the row, the submission key, the audit and the
// calendar job in one transaction), the channel's upcoming meetings, cancelling, and the .ics invitation. The
// calendar itself is called by the outbox job (services/meetingCalendar), never inside the transaction.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { isUuid } from '../domain/identifiers.js';
import { validateMeeting, zonedInstant, type MeetingDraft, type MeetingError, type Recurrence, type ValidMeeting } from '../domain/meetings.js';
import { meetingIcs } from '../calendar/ics.js';
import { calendarFor } from '../calendar/local.js';
import { calendarFailureOf, type CalendarFailure, type CalendarMeeting, type CalendarPort } from '../calendar/port.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { JobRunner } from '../jobs/outbox.js';
import { recordAudit } from '../store/audit.js';
import { isUniqueViolation } from '../store/errors.js';
import { enqueueJob } from '../store/outbox.js';
import { findSubmission, insertSubmission } from '../store/submissions.js';
import { refusalFor, roleIn, scopesFor, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { origin } from './signals.js';

export interface MeetingPerson { aadObjectId: string; name: string }

/** The calendar a meeting goes into, and the outbox that puts it there. */
export interface MeetingCalendar { port: CalendarPort; jobs: JobRunner }

export const MEETING_SYNC_JOB = 'meeting.sync';
export const meetingJobKey = (meetingId: string) => `meeting:${meetingId}`;
/** How long a submit waits for the calendar's first answer: an invoke must be answered within 5 s. */
const CALENDAR_WAIT_MS = 2_500;

export interface MeetingView {
  id: string;
  scopeId: string;
  scopeName: string;
  meeting: ValidMeeting;
  attendees: MeetingPerson[];
  status: 'scheduling' | 'scheduled' | 'failed' | 'cancelled';
  calendar: string;
  joinUrl: string | null;
  icsUrl: string;
  /** Why the calendar did not take the last change (after its retries), if it did not. */
  failure: CalendarFailure | null;
  /** An event exists in the calendar (a failed change left the previous version there). */
  inCalendar: boolean;
  /** The channel has a card of this meeting that is kept up to date. */
  cardPosted: boolean;
  /** The chair or coordinator viewing it may change and cancel it. */
  mayChange: boolean;
}

export type MeetingFormResult = { kind: 'form'; scopeId: string; members: MeetingPerson[] } | { kind: 'channelOnly' } | { kind: 'refused'; reason: Refusal };

export type ScheduleResult =
  | { kind: 'scheduled'; view: MeetingView }
  | { kind: 'rescheduled'; view: MeetingView }
  | { kind: 'notFound' }
  /** A Microsoft 365 meeting while Graph is not configured: a change would not reach the event the attendees have. */
  | { kind: 'otherCalendar' }
  | { kind: 'duplicate'; view: MeetingView }
  | { kind: 'invalid'; errors: MeetingError[]; members: MeetingPerson[]; scopeId: string }
  | { kind: 'channelOnly' }
  | { kind: 'refused'; reason: Refusal };

/** The members who may be invited to a scope's meetings: the form's choices, validation and free/busy all use these. */
export async function membersOf(deps: ServiceDeps, scopeId: string): Promise<(MeetingPerson & { email: string | null })[]> {
  return deps.prisma.member.findMany({ where: { scopeId, active: true }, select: { aadObjectId: true, name: true, email: true }, orderBy: { name: 'asc' }, take: 200 });
}

/** A meeting belongs to a channel: it is planned from that channel, for its members. */
export async function prepareMeetingForm(deps: ServiceDeps, caller: Caller): Promise<MeetingFormResult> {
  if (caller.place.kind === 'personal') return { kind: 'channelOnly' };
  const scope = caller.currentScope;
  if (!scope || !isAllowed(scope.role, 'meeting.schedule')) return { kind: 'refused', reason: refusalFor(caller) };
  return { kind: 'form', scopeId: scope.scopeId, members: (await membersOf(deps, scope.scopeId)).map(({ aadObjectId, name }) => ({ aadObjectId, name })) };
}

const lastDayOf = (m: ValidMeeting): string | null => (m.recurrence.kind === 'none' ? m.startDate : m.recurrence.until);

export type MeetingRow = Prisma.MeetingGetPayload<{ include: { scope: { select: { name: true } } } }>;

function validOf(row: MeetingRow): ValidMeeting {
  return { kind: row.kind as ValidMeeting['kind'], title: row.title, startDate: row.startDate, startTime: row.startTime, durationMinutes: row.durationMinutes,
    recurrence: row.recurrence as unknown as Recurrence, attendeeIds: row.attendeeIds, externalAttendees: row.externalAttendees, organiser: row.organiser,
    online: row.online, location: row.location };
}

/** The meeting as someone sees it: `caller` decides the buttons; without one (a reminder for the channel) there are none. */
export async function viewOf(deps: ServiceDeps, caller: Caller | null, row: MeetingRow, publicBaseUrl: string): Promise<MeetingView> {
  const people = await deps.prisma.member.findMany({ where: { scopeId: row.scopeId, aadObjectId: { in: row.attendeeIds } }, select: { aadObjectId: true, name: true } });
  const role = caller ? roleIn(caller, row.scopeId) : undefined;
  return {
    id: row.id, scopeId: row.scopeId, scopeName: row.scope.name, meeting: validOf(row),
    attendees: row.attendeeIds.map((id) => people.find((p) => p.aadObjectId === id) ?? { aadObjectId: id, name: id }),
    status: row.status as MeetingView['status'], calendar: row.calendar, joinUrl: row.joinUrl, icsUrl: `${publicBaseUrl}/meetings/${row.icsToken}.ics`,
    failure: calendarFailureOf(row.failure), inCalendar: row.externalId !== null, cardPosted: row.cardActivityId !== null,
    mayChange: role !== undefined && isAllowed(role, 'meeting.schedule') && row.status !== 'cancelled',
  };
}

export async function calendarMeeting(deps: ServiceDeps, row: MeetingRow): Promise<CalendarMeeting> {
  const people = await membersOf(deps, row.scopeId);
  const valid = validOf(row);
  return {
    id: row.id, meeting: valid, sequence: row.sequence,
    attendees: [
      ...valid.attendeeIds.map((id) => { const p = people.find((x) => x.aadObjectId === id); return { name: p?.name ?? id, email: p?.email ?? null }; }),
      ...valid.externalAttendees.map((email) => ({ name: email, email })),
    ],
  };
}

export const findRow = (deps: ServiceDeps, where: Prisma.MeetingWhereInput) => deps.prisma.meeting.findFirst({ where, include: { scope: { select: { name: true } } } });

const fieldsOf = (m: ValidMeeting) => ({
  kind: m.kind, title: m.title, startDate: m.startDate, startTime: m.startTime, startAt: zonedInstant(m.startDate, m.startTime), durationMinutes: m.durationMinutes,
  recurrence: m.recurrence as unknown as Prisma.InputJsonValue, lastDay: lastDayOf(m), attendeeIds: m.attendeeIds, externalAttendees: m.externalAttendees,
  organiser: m.organiser, online: m.online, location: m.location,
});

/** The form of an existing meeting, for changing it from its card. */
export async function meetingDraftFor(deps: ServiceDeps, port: CalendarPort, caller: Caller, meetingId: string):
  Promise<{ kind: 'draft'; draft: MeetingDraft; members: MeetingPerson[] } | { kind: 'notFound' } | { kind: 'otherCalendar' } | Exclude<MeetingFormResult, { kind: 'form' }>> {
  const form = await prepareMeetingForm(deps, caller);
  if (form.kind !== 'form') return form;
  const row = isUuid(meetingId) ? await findRow(deps, { id: meetingId, scopeId: form.scopeId, status: { not: 'cancelled' } }) : null;
  if (!row) return { kind: 'notFound' };
  // Said before the form is filled in, rather than after.
  if (!calendarFor(row.calendar, port)) return { kind: 'otherCalendar' };
  const m = validOf(row);
  const r = m.recurrence;
  return { kind: 'draft', members: form.members, draft: {
    scopeId: '', kind: m.kind, title: m.title, startDate: m.startDate, startTime: m.startTime, durationMinutes: String(m.durationMinutes),
    recurrence: r.kind === 'monthly' ? (r.everyMonths === 3 ? 'quarterly' : 'monthly') : r.kind, everyWeeks: r.kind === 'weekly' ? String(r.everyWeeks) : '',
    until: r.kind === 'none' ? '' : r.until ?? '', attendeeIds: m.attendeeIds.join(','), externalAttendees: m.externalAttendees.join(', '),
    organiser: m.organiser, online: String(m.online), location: m.location ?? '',
  } };
}

/** A new meeting, or (with `existingId`, from its card) the same meeting changed: one path, one validation. */
export async function scheduleMeeting(deps: ServiceDeps, calendar: MeetingCalendar, req: RequestContext, caller: Caller, draft: MeetingDraft, nonce: string,
  publicBaseUrl: string, existingId?: string): Promise<ScheduleResult> {
  const previous = await findSubmission(deps.prisma, { nonce, aadObjectId: caller.aadObjectId });
  if (previous) {
    const row = await findRow(deps, { id: previous.recordId, scopeId: { in: scopesFor(caller, 'meeting.view') } });
    if (row) return { kind: 'duplicate', view: await viewOf(deps, caller, row, publicBaseUrl) };
  }
  const form = await prepareMeetingForm(deps, caller);
  if (form.kind !== 'form') {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'meeting.schedule',
      result: 'denied', correlationId: req.correlationId });
    return form;
  }
  const members = await membersOf(deps, form.scopeId);
  const { today, nowTime } = origin(deps);
  const existing = existingId === undefined ? null
    : isUuid(existingId) ? await findRow(deps, { id: existingId, scopeId: form.scopeId, status: { not: 'cancelled' } }) : null;
  if (existingId !== undefined && !existing) return { kind: 'notFound' };
  // A meeting stays in the calendar it was planned in. A Microsoft 365 event cannot be changed without Graph, and
  // changing only Weerbaar's copy would leave the attendees with the old time in Outlook: refused, with the way out
  // (cancel and plan anew). A locally planned meeting stays local after Graph is configured: its .ics link serves the change.
  if (existing && !calendarFor(existing.calendar, calendar.port)) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: form.scopeId, action: 'meeting.update', recordType: 'Meeting',
      recordId: existing.id, result: 'denied', correlationId: req.correlationId, details: { reason: 'otherCalendar' } });
    return { kind: 'otherCalendar' };
  }
  const checked = validateMeeting(draft, { memberIds: new Set(members.map((m) => m.aadObjectId)), today, nowTime, organiser: existing?.organiser });
  if (!checked.ok) return { kind: 'invalid', errors: checked.errors, members: form.members, scopeId: form.scopeId };
  const m = checked.value;
  const id = existing?.id ?? randomUUID();
  try {
    await deps.prisma.$transaction(async (tx) => {
      await insertSubmission(tx, { nonce, aadObjectId: caller.aadObjectId }, existing ? 'meeting.update' : 'meeting', form.scopeId, id);
      if (existing) {
        await tx.meeting.update({ where: { id }, data: { ...fieldsOf(m), status: 'scheduling', failure: null, sequence: { increment: 1 } } });
      } else {
        await tx.meeting.create({ data: { id, scopeId: form.scopeId, ...fieldsOf(m), calendar: calendar.port.kind, icsToken: randomBytes(24).toString('base64url'),
          createdByAadId: caller.aadObjectId } });
      }
      await enqueueJob(tx, MEETING_SYNC_JOB, meetingJobKey(id), deps.now());
      await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: form.scopeId, action: existing ? 'meeting.update' : 'meeting.schedule',
        recordType: 'Meeting', recordId: id, result: 'ok', correlationId: req.correlationId,
        details: { kind: m.kind, recurrence: m.recurrence.kind, attendees: m.attendeeIds.length + m.externalAttendees.length } });
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const again = await findSubmission(deps.prisma, { nonce, aadObjectId: caller.aadObjectId });
    const row = again ? await findRow(deps, { id: again.recordId, scopeId: form.scopeId }) : null;
    if (row) return { kind: 'duplicate', view: await viewOf(deps, caller, row, publicBaseUrl) };
    throw err;
  }
  // The outbox job calls the calendar; the answer shows its outcome when the first attempt is quick.
  await calendar.jobs.runSoon(meetingJobKey(id), CALENDAR_WAIT_MS);
  const view = await viewOf(deps, caller, await findRow(deps, { id, scopeId: form.scopeId }) as MeetingRow, publicBaseUrl);
  return existing ? { kind: 'rescheduled', view } : { kind: 'scheduled', view };
}

/** Meetings that still take place on or after `date`: not cancelled, and a series not ended before it. */
export const meetingsGoingOnFrom = (date: string) => ({ status: { not: 'cancelled' }, OR: [{ lastDay: null }, { lastDay: { gte: date } }] }) satisfies Prisma.MeetingWhereInput;

/** `overleggen`: the upcoming meetings of this channel (in personal chat: of every channel of the caller). */
export async function upcomingMeetings(deps: ServiceDeps, req: RequestContext, caller: Caller, publicBaseUrl: string): Promise<{ kind: 'list'; views: MeetingView[] } | { kind: 'refused'; reason: Refusal }> {
  const scopeIds = scopesFor(caller, 'meeting.view');
  if (scopeIds.length === 0) return { kind: 'refused', reason: refusalFor(caller, 'meeting.view') };
  const { today } = origin(deps);
  const rows = await deps.prisma.meeting.findMany({
    where: { scopeId: { in: scopeIds }, ...meetingsGoingOnFrom(today) },
    include: { scope: { select: { name: true } } }, orderBy: [{ startAt: 'asc' }, { id: 'asc' }], take: 10,
  });
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'meeting.list',
    result: 'ok', correlationId: req.correlationId, details: { count: rows.length } });
  return { kind: 'list', views: await Promise.all(rows.map((r) => viewOf(deps, caller, r, publicBaseUrl))) };
}

export async function openMeeting(deps: ServiceDeps, req: RequestContext, caller: Caller, meetingId: string, publicBaseUrl: string): Promise<MeetingView | undefined> {
  const row = isUuid(meetingId) ? await findRow(deps, { id: meetingId, scopeId: { in: scopesFor(caller, 'meeting.view') } }) : null;
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row?.scopeId ?? caller.currentScope?.scopeId ?? null,
    action: 'meeting.view', recordType: 'Meeting', recordId: row?.id, result: row ? 'ok' : 'denied', correlationId: req.correlationId });
  return row ? viewOf(deps, caller, row, publicBaseUrl) : undefined;
}

export type CancelResult = { kind: 'cancelled'; view: MeetingView } | { kind: 'notFound' } | { kind: 'refused'; reason: Refusal };

export async function cancelMeeting(deps: ServiceDeps, calendar: MeetingCalendar, req: RequestContext, caller: Caller, meetingId: string, publicBaseUrl: string): Promise<CancelResult> {
  const row = isUuid(meetingId) ? await findRow(deps, { id: meetingId, scopeId: { in: scopesFor(caller, 'meeting.view') } }) : null;
  if (!row) return { kind: 'notFound' };
  const role = roleIn(caller, row.scopeId);
  if (!role || !isAllowed(role, 'meeting.schedule')) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'meeting.cancel', recordType: 'Meeting',
      recordId: row.id, result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: 'forbidden' };
  }
  if (row.status !== 'cancelled') {
    const changed = await deps.prisma.$transaction(async (tx) => {
      const r = await tx.meeting.updateMany({ where: { id: row.id, status: { not: 'cancelled' } }, data: { status: 'cancelled', sequence: { increment: 1 } } });
      if (r.count === 1) {
        await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'meeting.cancel', recordType: 'Meeting',
          recordId: row.id, result: 'ok', correlationId: req.correlationId });
        await enqueueJob(tx, MEETING_SYNC_JOB, meetingJobKey(row.id), deps.now());
      }
      return r.count === 1;
    });
    if (changed) await calendar.jobs.runSoon(meetingJobKey(row.id), CALENDAR_WAIT_MS);
  }
  return { kind: 'cancelled', view: await viewOf(deps, caller, await findRow(deps, { id: row.id, scopeId: row.scopeId }) as MeetingRow, publicBaseUrl) };
}

/** The invitation behind a card's download link: the current state, a cancellation once cancelled. */
export async function meetingInvitation(deps: ServiceDeps, token: string): Promise<{ ics: string; filename: string } | undefined> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
  const row = await deps.prisma.meeting.findUnique({ where: { icsToken: token }, include: { scope: { select: { name: true } } } });
  if (!row) return undefined;
  const cm = await calendarMeeting(deps, row);
  const ics = meetingIcs(cm.meeting, { organiserName: row.scope.name, attendees: cm.attendees },
    { uid: `${row.id}@weerbaar`, sequence: row.sequence, cancelled: row.status === 'cancelled', joinUrl: row.joinUrl });
  return { ics, filename: `overleg-${row.startDate}.ics` };
}
