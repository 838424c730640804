import fc from 'fast-check';
import { addWorkingDays, deadlineState, isWorkingDay, publicHolidays, workingDaysBetween } from '../../src/domain/workingDays';

const sorted = (s: ReadonlySet<string>) => [...s].sort();

describe('holidays per the law, not per the library default', () => {
  it('NL 2026: the Algemene termijnenwet days (plus Easter and Whit Sunday), without Goede Vrijdag', () => {
    expect(sorted(publicHolidays('NL', 2026))).toEqual([
      '2026-01-01', '2026-04-05', '2026-04-06', '2026-04-27', '2026-05-05', '2026-05-14', '2026-05-24', '2026-05-25', '2026-12-25', '2026-12-26',
    ]);
  });
  it('NL 2025: Koningsdag moves to Saturday 26 April because the 27th is a Sunday; 5 May counts every year', () => {
    expect(sorted(publicHolidays('NL', 2025))).toEqual([
      '2025-01-01', '2025-04-20', '2025-04-21', '2025-04-26', '2025-05-05', '2025-05-29', '2025-06-08', '2025-06-09', '2025-12-25', '2025-12-26',
    ]);
    expect(isWorkingDay('2025-04-28', 'NL')).toBe(true); // not moved to the Monday
    expect(isWorkingDay('2025-05-05', 'NL')).toBe(false);
  });
  it('BE 2026 and 2025: the ten legal holidays', () => {
    expect(sorted(publicHolidays('BE', 2026))).toEqual([
      '2026-01-01', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-07-21', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25',
    ]);
    expect(sorted(publicHolidays('BE', 2025))).toEqual([
      '2025-01-01', '2025-04-21', '2025-05-01', '2025-05-29', '2025-06-09', '2025-07-21', '2025-08-15', '2025-11-01', '2025-11-11', '2025-12-25',
    ]);
  });
  it('caches per country and year', () => {
    expect(publicHolidays('NL', 2027)).toBe(publicHolidays('NL', 2027));
    expect(publicHolidays('NL', 2027)).not.toBe(publicHolidays('BE', 2027));
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-04-03', 'NL', true], // Goede Vrijdag: not in the Algemene termijnenwet
    ['2026-04-03', 'BE', true],
    ['2026-04-06', 'NL', false], ['2026-04-06', 'BE', false], // Easter Monday
    ['2026-04-27', 'NL', false], ['2026-04-27', 'BE', true], // Koningsdag
    ['2026-05-01', 'NL', true], ['2026-05-01', 'BE', false], // Dag van de Arbeid
    ['2026-05-05', 'NL', false], ['2026-05-05', 'BE', true], // Bevrijdingsdag
    ['2026-07-21', 'BE', false], ['2026-07-21', 'NL', true], // Belgian national day
    ['2026-11-11', 'BE', false], ['2026-11-11', 'NL', true],
    ['2025-12-26', 'NL', false], ['2025-12-26', 'BE', true], // Tweede Kerstdag is not Belgian
    ['2026-11-21', 'NL', false], ['2026-11-22', 'BE', false], // Saturday, Sunday
    ['2026-11-23', 'NL', true],
  ] as const)('%s in %s: %s', (date, country, working) => expect(isWorkingDay(date, country)).toBe(working));

  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', '', 'gisteren'])('refuses the non-date %j', (d) =>
    expect(() => isWorkingDay(d, 'NL')).toThrow(RangeError));
});

describe('addWorkingDays', () => {
  it.each([
    ['2026-04-02', 1, 'NL', '2026-04-03'], // into Goede Vrijdag, a working day
    ['2026-04-03', 1, 'NL', '2026-04-07'], // over the Easter weekend and Monday
    ['2026-05-13', 1, 'NL', '2026-05-15'], // over Ascension
    ['2026-05-22', 1, 'NL', '2026-05-26'], // over Whit Monday
    ['2026-05-22', 1, 'BE', '2026-05-26'],
    ['2026-05-04', 1, 'NL', '2026-05-06'], // over Bevrijdingsdag
    ['2026-04-30', 1, 'BE', '2026-05-04'], // over 1 May (a Friday) and the weekend
    ['2026-04-30', 1, 'NL', '2026-05-01'],
    ['2025-12-24', 1, 'NL', '2025-12-29'], // Christmas Thursday and Friday
    ['2025-12-24', 1, 'BE', '2025-12-26'],
    ['2025-12-31', 1, 'NL', '2026-01-02'], // across the year, over New Year's Day
    ['2025-12-24', 5, 'NL', '2026-01-05'], // 29, 30, 31 Dec, 2 and 5 Jan
    ['2026-07-20', 1, 'BE', '2026-07-22'],
    ['2026-11-20', 1, 'NL', '2026-11-23'], // Friday to Monday
    ['2026-11-21', 1, 'NL', '2026-11-23'], // from a Saturday
    ['2026-11-21', 0, 'NL', '2026-11-21'], // 0 days: the start itself, even on a weekend
    ['2026-11-23', 10, 'NL', '2026-12-07'],
  ] as const)('%s + %i working days in %s = %s', (start, n, country, out) => expect(addWorkingDays(start, n, country)).toBe(out));

  it.each([-1, 1.5, Number.NaN])('refuses %p days', (n) => expect(() => addWorkingDays('2026-11-23', n, 'NL')).toThrow(RangeError));
});

describe('workingDaysBetween', () => {
  it.each([
    ['2026-11-20', '2026-11-23', 'NL', 1], // Saturday and Sunday do not count, Monday does
    ['2026-11-23', '2026-11-23', 'NL', 0],
    ['2026-11-24', '2026-11-23', 'NL', 0], // backwards
    ['2026-04-02', '2026-04-07', 'NL', 2], // Goede Vrijdag and the Tuesday
    ['2026-04-02', '2026-04-07', 'BE', 2],
    ['2025-12-24', '2026-01-02', 'NL', 4], // 29, 30, 31 Dec and 2 Jan; 25, 26 Dec and 1 Jan are off
    ['2025-12-24', '2026-01-02', 'BE', 5], // plus 26 Dec and 2 Jan
    ['2026-01-01', '2026-12-31', 'NL', 254], // 260 weekdays after 1 Jan, minus 6 holidays on a weekday
  ] as const)('%s .. %s in %s: %i', (from, to, country, n) => expect(workingDaysBetween(from, to, country)).toBe(n));
});

describe('deadlineState', () => {
  // Filed Wednesday 1 April 2026, term 5: 2, 3 (Goede Vrijdag), 7, 8, 9 April.
  const filed = '2026-04-01';
  it('is on time up to and including the due date', () => {
    expect(deadlineState(filed, 5, '2026-04-01', 'NL')).toEqual({ dueOn: '2026-04-09', state: 'onTime', workingDaysLate: 0 });
    expect(deadlineState(filed, 5, '2026-04-09', 'NL')).toEqual({ dueOn: '2026-04-09', state: 'onTime', workingDaysLate: 0 });
    expect(deadlineState(filed, 5, '2026-03-30', 'NL')).toEqual({ dueOn: '2026-04-09', state: 'onTime', workingDaysLate: 0 });
  });
  it('is overdue the day after, counting working days late', () => {
    expect(deadlineState(filed, 5, '2026-04-10', 'NL')).toEqual({ dueOn: '2026-04-09', state: 'overdue', workingDaysLate: 1 });
    expect(deadlineState(filed, 5, '2026-04-11', 'NL')).toEqual({ dueOn: '2026-04-09', state: 'overdue', workingDaysLate: 1 }); // Saturday
    expect(deadlineState(filed, 5, '2026-04-13', 'NL')).toEqual({ dueOn: '2026-04-09', state: 'overdue', workingDaysLate: 2 });
  });
  it('is overdue3x once more than three times the term has passed', () => {
    // The 15th working day after filing is 23 April, the 16th is 24 April.
    expect(deadlineState(filed, 5, '2026-04-23', 'NL')).toEqual({ dueOn: '2026-04-09', state: 'overdue', workingDaysLate: 10 });
    expect(deadlineState(filed, 5, '2026-04-24', 'NL')).toEqual({ dueOn: '2026-04-09', state: 'overdue3x', workingDaysLate: 11 });
  });
  it('with a term of 0 is due on the day of filing', () => {
    expect(deadlineState('2026-11-23', 0, '2026-11-23', 'NL')).toEqual({ dueOn: '2026-11-23', state: 'onTime', workingDaysLate: 0 });
    expect(deadlineState('2026-11-23', 0, '2026-11-24', 'NL')).toEqual({ dueOn: '2026-11-23', state: 'overdue3x', workingDaysLate: 1 });
  });
});

describe('properties', () => {
  const DAY = 86_400_000;
  const date = fc.integer({ min: Date.UTC(2000, 0, 1) / DAY, max: Date.UTC(2040, 11, 31) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10));
  const country = fc.constantFrom('NL' as const, 'BE' as const);
  const n = fc.integer({ min: 0, max: 60 });

  it('lands on a working day for n > 0', () => {
    fc.assert(fc.property(date, n, country, (d, k, c) => {
      fc.pre(k > 0);
      expect(isWorkingDay(addWorkingDays(d, k, c), c)).toBe(true);
    }));
  });
  it('counts back what it added', () => {
    fc.assert(fc.property(date, n, country, (d, k, c) => expect(workingDaysBetween(d, addWorkingDays(d, k, c), c)).toBe(k)));
  });
  it('is strictly increasing in n', () => {
    fc.assert(fc.property(date, n, country, (d, k, c) => expect(addWorkingDays(d, k, c) < addWorkingDays(d, k + 1, c)).toBe(true)));
  });
  it('adds up: a then b days is a + b days', () => {
    fc.assert(fc.property(date, n, n, country, (d, a, b, c) =>
      expect(addWorkingDays(addWorkingDays(d, a, c), b, c)).toBe(addWorkingDays(d, a + b, c))));
  });
  it('is never late before the due date, and late exactly after it', () => {
    fc.assert(fc.property(date, n, fc.integer({ min: -30, max: 200 }), country, (filed, term, offset, c) => {
      const today = new Date(Date.parse(filed) + offset * DAY).toISOString().slice(0, 10);
      const s = deadlineState(filed, term, today, c);
      expect(s.dueOn).toBe(addWorkingDays(filed, term, c));
      expect(s.state === 'onTime').toBe(today <= s.dueOn);
      expect(s.workingDaysLate).toBe(workingDaysBetween(s.dueOn, today, c));
    }));
  });
});
