// The local calendar's invitation parses with an independent iCalendar parser (ical.js) and round-trips its
// recurrence: every occurrence at the same Dutch wall-clock hour, summer and winter.
import ICAL from 'ical.js';
import { meetingIcs } from '../../src/calendar/ics';
import type { Recurrence, ValidMeeting } from '../../src/domain/meetings';

const base: ValidMeeting = {
  kind: 'signalenoverleg', title: 'Signalenoverleg Heidebroek', startDate: '2026-12-01', startTime: '14:00', durationMinutes: 90,
  recurrence: { kind: 'none' }, attendeeIds: ['a'], externalAttendees: ['j.politie@politie.example'], organiser: 'overleg@heidebroek.example', online: false, location: 'Stadhuis, kamer 3',
};
const people = { organiserName: 'Overleg Heidebroek', attendees: [{ name: 'Fatima El Amrani', email: 'f.elamrani@heidebroek.example' }, { name: 'j.politie@politie.example', email: 'j.politie@politie.example' }] };

function eventOf(ics: string) {
  const component = new ICAL.Component(ICAL.parse(ics));
  const vevent = component.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  // The zone's rules travel in the file; register them as a calendar program would.
  const vtimezone = component.getFirstSubcomponent('vtimezone');
  if (vtimezone) ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
  return { component, vevent, event: new ICAL.Event(vevent) };
}

/** The first n occurrences as local "YYYY-MM-DD HH:MM" in Amsterdam. */
function occurrences(ics: string, n: number): string[] {
  const { event } = eventOf(ics);
  const it = event.iterator();
  const out: string[] = [];
  for (let next = it.next(); next && out.length < n; next = it.next()) {
    const utc = next.toJSDate();
    out.push(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' }).format(utc));
  }
  return out;
}

const withRecurrence = (recurrence: Recurrence) => meetingIcs({ ...base, recurrence }, people, { uid: 'meeting-1@weerbaar', sequence: 0 });

describe('the iCalendar invitation', () => {
  it('holds the meeting, its organiser, its attendees and the time zone', () => {
    const ics = meetingIcs(base, people, { uid: 'meeting-1@weerbaar', sequence: 2 });
    const { component, vevent, event } = eventOf(ics);
    expect(component.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(event.summary).toBe('Signalenoverleg Heidebroek');
    expect(event.location).toBe('Stadhuis, kamer 3');
    expect(event.uid).toBe('meeting-1@weerbaar');
    expect(vevent.getFirstPropertyValue('sequence')).toBe(2);
    expect(String(vevent.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:overleg@heidebroek.example');
    expect(vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase())).toEqual(['mailto:f.elamrani@heidebroek.example', 'mailto:j.politie@politie.example']);
    expect(event.startDate.zone?.tzid).toBe('Europe/Amsterdam');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-01T14:30:00.000Z');
    expect(event.isRecurring()).toBe(false);
  });

  it('repeats every three weeks on Tuesday at 14:00, also after the clocks go forward', () => {
    const ics = withRecurrence({ kind: 'weekly', everyWeeks: 3, weekday: 'tuesday', until: '2027-04-30' });
    expect(eventOf(ics).vevent.getFirstPropertyValue('rrule')?.toString()).toMatch(/^FREQ=WEEKLY;.*INTERVAL=3/);
    const all = occurrences(ics, 20);
    expect(all.slice(0, 3)).toEqual(['2026-12-01 14:00', '2026-12-22 14:00', '2027-01-12 14:00']);
    // 6 April 2027 is after the change to summer time (28 March): still 14:00 in Heidebroek. The series ends in April.
    expect(all).toContain('2027-04-06 14:00');
    expect(all[all.length - 1]).toBe('2027-04-27 14:00');
  });

  it('repeats monthly on the first Tuesday, quarterly on the last Tuesday', () => {
    expect(occurrences(withRecurrence({ kind: 'monthly', everyMonths: 1, week: 1, weekday: 'tuesday', until: null }), 4))
      .toEqual(['2026-12-01 14:00', '2027-01-05 14:00', '2027-02-02 14:00', '2027-03-02 14:00']);
    const quarterly = meetingIcs({ ...base, startDate: '2026-12-29', recurrence: { kind: 'monthly', everyMonths: 3, week: 'last', weekday: 'tuesday', until: null } }, people,
      { uid: 'meeting-2@weerbaar', sequence: 0 });
    expect(occurrences(quarterly, 3)).toEqual(['2026-12-29 14:00', '2027-03-30 14:00', '2027-06-29 14:00']);
  });

  it('cancels with the same uid and a higher sequence', () => {
    const ics = meetingIcs(base, people, { uid: 'meeting-1@weerbaar', sequence: 3, cancelled: true });
    const { component, vevent } = eventOf(ics);
    expect(component.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(vevent.getFirstPropertyValue('sequence')).toBe(3);
  });
});
