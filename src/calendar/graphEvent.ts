// A meeting as a Microsoft Graph event (POST /users/{organiser}/events), typed with @microsoft/microsoft-graph-types.
// Pure, so every recurrence kind's body is checked without a network. The transactionId is derived from our meeting
// id: Exchange recognises a retried POST with the same transactionId and does not create a second event.
import type { Event, PatternedRecurrence, WeekIndex } from '@microsoft/microsoft-graph-types';
import { wallClock, type Recurrence } from '../domain/meetings.js';
import type { CalendarMeeting } from './port.js';

/** Exchange's name for the Amsterdam/Brussels zone (Graph takes Windows zone names everywhere). */
export const GRAPH_TIME_ZONE = 'W. Europe Standard Time';

const WEEK_INDEX: Record<1 | 2 | 3 | 4 | 'last', WeekIndex> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', last: 'last' };

/** Graph's local dateTime: no offset, the zone named beside it. */
const localDateTime = (date: string, time: string, plusMinutes = 0) => wallClock(date, time, plusMinutes).toISOString().slice(0, 19);

export function graphRecurrence(r: Recurrence, startDate: string): PatternedRecurrence | null {
  if (r.kind === 'none') return null;
  const range = r.until ? { type: 'endDate' as const, startDate, endDate: r.until } : { type: 'noEnd' as const, startDate };
  if (r.kind === 'weekly') return { pattern: { type: 'weekly', interval: r.everyWeeks, daysOfWeek: [r.weekday], firstDayOfWeek: 'monday' }, range };
  return { pattern: { type: 'relativeMonthly', interval: r.everyMonths, daysOfWeek: [r.weekday], index: WEEK_INDEX[r.week] }, range };
}

/** A stable transactionId per meeting: at most 40 characters, so the meeting id without its dashes, prefixed. */
export const transactionIdOf = (meetingId: string) => `wb-${meetingId.replace(/-/g, '')}`.slice(0, 40);

export function graphEventOf(c: CalendarMeeting, body?: string): Event {
  const m = c.meeting;
  return {
    transactionId: transactionIdOf(c.id),
    subject: m.title,
    body: { contentType: 'text', content: body ?? '' },
    start: { dateTime: localDateTime(m.startDate, m.startTime), timeZone: GRAPH_TIME_ZONE },
    end: { dateTime: localDateTime(m.startDate, m.startTime, m.durationMinutes), timeZone: GRAPH_TIME_ZONE },
    recurrence: graphRecurrence(m.recurrence, m.startDate),
    attendees: c.attendees.filter((a): a is { name: string; email: string } => a.email !== null)
      .map((a) => ({ type: 'required', emailAddress: { address: a.email, name: a.name } })),
    ...(m.online
      ? { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' as const }
      : { isOnlineMeeting: false, location: { displayName: m.location ?? '' } }),
    allowNewTimeProposals: true,
    responseRequested: true,
  };
}
