import fc from 'fast-check';
import { MEETING_FIELDS, occurrencesBetween, validateMeeting, weekOfMonthOf, weekdayOf, zonedInstant, type MeetingContext, type MeetingDraft } from '../../src/domain/meetings';

const FATIMA = '00000000-0000-0000-0000-0000000000020';
const ctx: MeetingContext = { memberIds: new Set([FATIMA]), today: '2026-11-23', nowTime: '10:00' };
const draft = (o: Partial<MeetingDraft> = {}): MeetingDraft => ({
  scopeId: '', kind: 'signalenoverleg', title: 'Signalenoverleg Heidebroek', startDate: '2026-12-01', startTime: '14:00', durationMinutes: '90',
  recurrence: 'none', everyWeeks: '', until: '', attendeeIds: FATIMA, externalAttendees: 'j.politie@politie.example', organiser: 'overleg@heidebroek.example',
  online: 'true', location: '', ...o,
});

describe('the meeting form', () => {
  it('accepts a complete form', () => {
    const r = validateMeeting(draft(), ctx);
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ kind: 'signalenoverleg', durationMinutes: 90, attendeeIds: [FATIMA],
      externalAttendees: ['j.politie@politie.example'], online: true, location: null, recurrence: { kind: 'none' } }) });
  });

  it.each([
    ['a start in the past', { startDate: '2026-11-23', startTime: '09:59' }, 'startDate', 'inThePast'],
    ['a start at this very minute', { startDate: '2026-11-23', startTime: '10:00' }, 'startDate', 'inThePast'],
    ['no date', { startDate: '' }, 'startDate', 'required'],
    ['an impossible date', { startDate: '2026-02-30' }, 'startDate', 'invalidDate'],
    ['an impossible time', { startTime: '24:00' }, 'startTime', 'invalidTime'],
    ['a duration of ten minutes', { durationMinutes: '10' }, 'durationMinutes', 'outOfRange'],
    ['a duration of nine hours', { durationMinutes: '540' }, 'durationMinutes', 'outOfRange'],
    ['no attendees at all', { attendeeIds: '', externalAttendees: '' }, 'attendeeIds', 'noAttendees'],
    ['someone not of this channel', { attendeeIds: 'not-a-member' }, 'attendeeIds', 'unknownMember'],
    ['a partner address without a domain', { externalAttendees: 'politie@' }, 'externalAttendees', 'invalidEmail'],
    ['no organiser mailbox', { organiser: '' }, 'organiser', 'required'],
    ['an organiser that is no address', { organiser: 'overleg' }, 'organiser', 'invalidEmail'],
    ['in person without a location', { online: 'false', location: '' }, 'location', 'required'],
    ['an end of the series before its start', { recurrence: 'weekly', until: '2026-11-30' }, 'until', 'untilBeforeStart'],
    ['every 13 weeks', { recurrence: 'weekly', everyWeeks: '13' }, 'everyWeeks', 'outOfRange'],
    ['an unknown kind', { kind: 'borrel' }, 'kind', 'unknownChoice'],
    ['a title of two letters', { title: 'ab' }, 'title', 'tooShort'],
  ])('says what is wrong with %s', (_what, o, field, code) => {
    const r = validateMeeting(draft(o as Partial<MeetingDraft>), ctx);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toContainEqual(expect.objectContaining({ field, code }));
  });

  it('derives the recurrence from the first date: every N weeks on its weekday, monthly and quarterly on its Nth weekday', () => {
    // 1 December 2026 is the first Tuesday of the month.
    expect(validateMeeting(draft({ recurrence: 'weekly', everyWeeks: '3', until: '2027-06-30' }), ctx)).toMatchObject({ ok: true,
      value: { recurrence: { kind: 'weekly', everyWeeks: 3, weekday: 'tuesday', until: '2027-06-30' } } });
    expect(validateMeeting(draft({ recurrence: 'monthly', startDate: '2026-12-08' }), ctx)).toMatchObject({ ok: true,
      value: { recurrence: { kind: 'monthly', everyMonths: 1, week: 2, weekday: 'tuesday', until: null } } });
    expect(validateMeeting(draft({ recurrence: 'quarterly', startDate: '2026-12-29' }), ctx)).toMatchObject({ ok: true,
      value: { recurrence: { kind: 'monthly', everyMonths: 3, week: 'last', weekday: 'tuesday' } } });
  });

  it('never throws and only names its own fields, whatever is typed', () => {
    const text = fc.string({ maxLength: 40 });
    fc.assert(fc.property(fc.record(Object.fromEntries(MEETING_FIELDS.map((f) => [f, text])) as Record<(typeof MEETING_FIELDS)[number], fc.Arbitrary<string>>), (d) => {
      const r = validateMeeting(d as MeetingDraft, ctx);
      if (!r.ok) for (const e of r.errors) expect(MEETING_FIELDS).toContain(e.field);
    }), { numRuns: 500 });
  });
});

describe('dates and times', () => {
  it('knows weekdays and the week of the month', () => {
    expect(weekdayOf('2026-11-23')).toBe('monday');
    expect([weekOfMonthOf('2026-12-01'), weekOfMonthOf('2026-12-08'), weekOfMonthOf('2026-12-28'), weekOfMonthOf('2026-12-29')]).toEqual([1, 2, 4, 'last']);
  });

  it('turns Dutch wall-clock time into the right instant, summer and winter', () => {
    expect(zonedInstant('2026-12-01', '14:00').toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(zonedInstant('2027-06-01', '14:00').toISOString()).toBe('2027-06-01T12:00:00.000Z');
    // The morning the clocks go forward (29 March 2026, 02:00 → 03:00).
    expect(zonedInstant('2026-03-29', '10:00').toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });
});

describe('occurrences', () => {
  it('lists the dates of a single meeting and of each kind of series', () => {
    expect(occurrencesBetween({ startDate: '2026-12-01', recurrence: { kind: 'none' } }, '2026-11-23', '2026-12-31')).toEqual(['2026-12-01']);
    expect(occurrencesBetween({ startDate: '2026-12-01', recurrence: { kind: 'none' } }, '2026-12-02', '2026-12-31')).toEqual([]);
    expect(occurrencesBetween({ startDate: '2026-12-01', recurrence: { kind: 'weekly', everyWeeks: 3, weekday: 'tuesday', until: '2027-02-01' } }, '2026-12-10', '2027-12-31'))
      .toEqual(['2026-12-22', '2027-01-12']);
    expect(occurrencesBetween({ startDate: '2026-12-08', recurrence: { kind: 'monthly', everyMonths: 1, week: 2, weekday: 'tuesday', until: null } }, '2026-11-01', '2027-03-31'))
      .toEqual(['2026-12-08', '2027-01-12', '2027-02-09', '2027-03-09']);
    expect(occurrencesBetween({ startDate: '2026-12-29', recurrence: { kind: 'monthly', everyMonths: 3, week: 'last', weekday: 'tuesday', until: null } }, '2026-12-01', '2027-12-31'))
      .toEqual(['2026-12-29', '2027-03-30', '2027-06-29', '2027-09-28', '2027-12-28']);
  });

  it('agrees with the iCalendar expansion of the same series', () => {
    // The unit test of the invitation expands these with ical.js; the dates are the same.
    expect(occurrencesBetween({ startDate: '2026-12-01', recurrence: { kind: 'monthly', everyMonths: 1, week: 1, weekday: 'tuesday', until: null } }, '2026-12-01', '2027-03-02'))
      .toEqual(['2026-12-01', '2027-01-05', '2027-02-02', '2027-03-02']);
  });
});
