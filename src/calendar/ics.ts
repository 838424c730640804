// The iCalendar (RFC 5545) invitation of a meeting: what the local calendar offers as a download, and what any
// calendar program imports, with its recurrence. Times are Dutch/Belgian wall-clock time with the zone's rules
// written out, so a series keeps its hour across the change to and from summer time.
import ical, { ICalAttendeeRole, ICalCalendarMethod, ICalEventRepeatingFreq, ICalEventStatus, ICalWeekday, type ICalRepeatingOptions } from 'ical-generator';
import { wallClock, zonedInstant, type Recurrence, type ValidMeeting, type Weekday } from '../domain/meetings.js';

export const TIME_ZONE = 'Europe/Amsterdam';

// Amsterdam and Brussels keep the EU rules: summer time from the last Sunday of March to the last of October.
const VTIMEZONE = (tz: string) => [
  'BEGIN:VTIMEZONE', `TZID:${tz}`,
  'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT',
  'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

const WEEKDAY: Record<Weekday, ICalWeekday> = {
  sunday: ICalWeekday.SU, monday: ICalWeekday.MO, tuesday: ICalWeekday.TU, wednesday: ICalWeekday.WE,
  thursday: ICalWeekday.TH, friday: ICalWeekday.FR, saturday: ICalWeekday.SA,
};

function repeating(r: Recurrence): ICalRepeatingOptions | null {
  // The series runs through its last day: until the end of that day, local time.
  const until = (day: string | null) => (day ? { until: zonedInstant(day, '23:59') } : {});
  switch (r.kind) {
    case 'none': return null;
    case 'weekly': return { freq: ICalEventRepeatingFreq.WEEKLY, interval: r.everyWeeks, byDay: [WEEKDAY[r.weekday]], ...until(r.until) };
    case 'monthly': return { freq: ICalEventRepeatingFreq.MONTHLY, interval: r.everyMonths, byDay: [WEEKDAY[r.weekday]], bySetPos: [r.week === 'last' ? -1 : r.week], ...until(r.until) };
  }
}

export interface InvitationPeople { organiserName: string; attendees: { name: string; email: string | null }[] }

/** uid: stable per meeting; sequence: raised by every change, so calendar programs update instead of duplicating. */
export function meetingIcs(m: ValidMeeting, people: InvitationPeople, opts: { uid: string; sequence: number; cancelled?: boolean; description?: string; joinUrl?: string | null }): string {
  // Without a date library the generator writes a Date's UTC fields after the TZID: so give it the wall clock.
  const start = wallClock(m.startDate, m.startTime);
  const calendar = ical({
    prodId: { company: 'Weerbaar', product: 'Weerbaar', language: 'NL' },
    method: opts.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: TIME_ZONE, generator: VTIMEZONE },
  });
  calendar.createEvent({
    id: opts.uid,
    sequence: opts.sequence,
    start,
    end: new Date(start.getTime() + m.durationMinutes * 60_000),
    timezone: TIME_ZONE,
    summary: m.title,
    location: m.online ? (opts.joinUrl ?? 'Online') : m.location,
    description: opts.description ?? null,
    url: opts.joinUrl ?? null,
    status: opts.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: people.organiserName, email: m.organiser },
    attendees: people.attendees.filter((a): a is { name: string; email: string } => a.email !== null)
      .map((a) => ({ name: a.name, email: a.email, rsvp: true, role: ICalAttendeeRole.REQ })),
    repeating: repeating(m.recurrence),
  });
  return calendar.toString();
}
