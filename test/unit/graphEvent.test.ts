// The Graph event body of each kind of meeting, as POST /users/{organiser}/events expects it.
import { graphEventOf, transactionIdOf } from '../../src/calendar/graphEvent';
import type { CalendarMeeting } from '../../src/calendar/port';
import type { ValidMeeting } from '../../src/domain/meetings';

const ID = '3f2c8a4e-1b7d-4c2a-9e5f-0a1b2c3d4e5f';
const base: ValidMeeting = {
  kind: 'casusoverleg', title: 'Casusoverleg Heidebroek', startDate: '2026-12-01', startTime: '14:00', durationMinutes: 90, recurrence: { kind: 'none' },
  attendeeIds: ['x'], externalAttendees: ['riec@riec.example'], organiser: 'overleg@heidebroek.example', online: true, location: null,
};
const meeting = (o: Partial<ValidMeeting> = {}): CalendarMeeting => ({
  id: ID, sequence: 0, meeting: { ...base, ...o },
  attendees: [{ name: 'Fatima El Amrani', email: 'f.elamrani@heidebroek.example' }, { name: 'Zonder Adres', email: null }, { name: 'riec@riec.example', email: 'riec@riec.example' }],
});

describe('the Graph event of a meeting', () => {
  it('is an online Teams meeting in Dutch wall-clock time, with a transactionId of our own', () => {
    const e = graphEventOf(meeting());
    expect(e).toMatchObject({
      subject: 'Casusoverleg Heidebroek', isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness',
      start: { dateTime: '2026-12-01T14:00:00', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2026-12-01T15:30:00', timeZone: 'W. Europe Standard Time' },
      recurrence: null, transactionId: transactionIdOf(ID),
    });
    // Whoever has no e-mail address in the roster cannot be invited by Exchange.
    expect(e.attendees).toEqual([
      { type: 'required', emailAddress: { address: 'f.elamrani@heidebroek.example', name: 'Fatima El Amrani' } },
      { type: 'required', emailAddress: { address: 'riec@riec.example', name: 'riec@riec.example' } },
    ]);
    expect(transactionIdOf(ID)).toBe('wb-3f2c8a4e1b7d4c2a9e5f0a1b2c3d4e5f');
    expect(transactionIdOf(ID).length).toBeLessThanOrEqual(40);
  });

  it('has a location and no join link when it is in person', () => {
    expect(graphEventOf(meeting({ online: false, location: 'Stadhuis, kamer 3' }))).toMatchObject({ isOnlineMeeting: false, location: { displayName: 'Stadhuis, kamer 3' } });
  });

  it.each([
    ['every three weeks until June', { kind: 'weekly', everyWeeks: 3, weekday: 'tuesday', until: '2027-06-30' },
      { pattern: { type: 'weekly', interval: 3, daysOfWeek: ['tuesday'], firstDayOfWeek: 'monday' }, range: { type: 'endDate', startDate: '2026-12-01', endDate: '2027-06-30' } }],
    ['monthly on the first Tuesday, no end', { kind: 'monthly', everyMonths: 1, week: 1, weekday: 'tuesday', until: null },
      { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'first' }, range: { type: 'noEnd', startDate: '2026-12-01' } }],
    ['quarterly on the last Tuesday', { kind: 'monthly', everyMonths: 3, week: 'last', weekday: 'tuesday', until: null },
      { pattern: { type: 'relativeMonthly', interval: 3, daysOfWeek: ['tuesday'], index: 'last' }, range: { type: 'noEnd', startDate: '2026-12-01' } }],
  ] as const)('repeats %s', (_what, recurrence, expected) => {
    expect(graphEventOf(meeting({ recurrence })).recurrence).toEqual(expected);
  });
});
