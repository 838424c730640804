// Deadlines of action items and handovers count in working days: weekends and public holidays do not count.
// Dates are calendar dates 'YYYY-MM-DD' in the municipality's own time zone; no clock time enters here.
//
// Which holidays: the statutory ones, not what employers or schools give off.
// - NL follows the Algemene termijnenwet (art. 3): Nieuwjaarsdag, Tweede Paasdag, Hemelvaartsdag, Tweede
//   Pinksterdag, Koningsdag (27 April, 26 April when the 27th is a Sunday), 5 May (Bevrijdingsdag, every year),
//   Eerste and Tweede Kerstdag. date-holidays types these 'public' except Bevrijdingsdag, which it types 'school'
//   (a day off only every fifth year under most collective agreements), so 5 May is added here. Goede Vrijdag is
//   also 'school' there and not in the law, so it stays a working day. Easter and Whit Sunday come along as
//   'public' and fall on a Sunday anyway.
// - BE: the ten legal holidays (Nieuwjaar, Paasmaandag, 1 mei, Hemelvaart, Pinkstermaandag, 21 juli, 15 augustus,
//   1 november, 11 november, Kerstmis): exactly date-holidays' 'public' set for BE.
// Tests pin these sets per year, so a change in the library's data shows up there and not in someone's deadline.
import Holidays from 'date-holidays';

export type HolidayCountry = 'NL' | 'BE';

/** Holidays the law names that date-holidays does not type 'public', as MM-DD. */
const STATUTORY_ADDITIONS: Record<HolidayCountry, readonly string[]> = {
  NL: ['05-05'],
  BE: [],
};

const calendars = new Map<HolidayCountry, Holidays>();
const holidayCache = new Map<string, ReadonlySet<string>>();

/** The public holidays of a country in a year, as 'YYYY-MM-DD'. Cached: deadlines are computed for whole lists. */
export function publicHolidays(country: HolidayCountry, year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  const cached = holidayCache.get(key);
  if (cached) return cached;
  let calendar = calendars.get(country);
  if (!calendar) {
    calendar = new Holidays(country);
    calendars.set(country, calendar);
  }
  const yyyy = String(year).padStart(4, '0');
  const days = new Set<string>([
    // 'date' is the local calendar date followed by a clock time: "2026-04-27 00:00:00".
    ...calendar.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)),
    ...STATUTORY_ADDITIONS[country].map((mmdd) => `${yyyy}-${mmdd}`),
  ]);
  holidayCache.set(key, days);
  return days;
}

// Calendar arithmetic on day numbers (days since 1970-01-01), through UTC so no time zone or DST shifts a day.
const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDayNumber(date: string): number {
  const m = ISO_DATE.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
    const t = new Date(0);
    t.setUTCFullYear(y, mo, d); // not Date.UTC: that maps years 0-99 to 1900-1999
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo && t.getUTCDate() === d) return Math.round(t.getTime() / MS_PER_DAY);
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
}

function fromDayNumber(day: number): string {
  const t = new Date(day * MS_PER_DAY);
  const y = String(t.getUTCFullYear()).padStart(4, '0');
  return `${y}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

function isWorkingDayNumber(day: number, country: HolidayCountry): boolean {
  const weekday = new Date(day * MS_PER_DAY).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const date = fromDayNumber(day);
  return !publicHolidays(country, Number(date.slice(0, 4))).has(date);
}

/** Monday to Friday and not a public holiday of the country. */
export function isWorkingDay(date: string, country: HolidayCountry): boolean {
  return isWorkingDayNumber(toDayNumber(date), country);
}

/** The date `days` calendar days after `start` (before it when negative): weekends and holidays count. */
export function addDays(start: string, days: number): string {
  return fromDayNumber(toDayNumber(start) + days);
}

/** The date `days` working days after `start`; start itself does not count, so 0 returns start unchanged. */
export function addWorkingDays(start: string, days: number, country: HolidayCountry): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`Working days must be a whole number >= 0: ${days}`);
  let day = toDayNumber(start);
  for (let left = days; left > 0; ) {
    day += 1;
    if (isWorkingDayNumber(day, country)) left -= 1;
  }
  return fromDayNumber(day);
}

/** The date `days` working days before `start` (a reminder on the last working day before a meeting: 1). */
export function subtractWorkingDays(start: string, days: number, country: HolidayCountry): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`Working days must be a whole number >= 0: ${days}`);
  let day = toDayNumber(start);
  for (let left = days; left > 0; ) {
    day -= 1;
    if (isWorkingDayNumber(day, country)) left -= 1;
  }
  return fromDayNumber(day);
}

/** Working days after `from` up to and including `to`; 0 when `to` is not after `from`. */
export function workingDaysBetween(from: string, to: string, country: HolidayCountry): number {
  const last = toDayNumber(to);
  let count = 0;
  for (let day = toDayNumber(from) + 1; day <= last; day += 1) {
    if (isWorkingDayNumber(day, country)) count += 1;
  }
  return count;
}

export type DeadlineState = 'onTime' | 'overdue' | 'overdue3x';

/**
 * Where an item filed on `filedOn` with a term of `termDays` working days stands today. Overdue from the first day
 * after dueOn (also a weekend day, with 0 working days late); overdue3x once the working days since filing exceed
 * three times the term: the signal that something is stuck, for the chair and the mayor's briefing.
 */
export function deadlineState(
  filedOn: string,
  termDays: number,
  today: string,
  country: HolidayCountry,
): { dueOn: string; state: DeadlineState; workingDaysLate: number } {
  const dueOn = addWorkingDays(filedOn, termDays, country);
  if (toDayNumber(today) <= toDayNumber(dueOn)) return { dueOn, state: 'onTime', workingDaysLate: 0 };
  const workingDaysLate = workingDaysBetween(dueOn, today, country);
  const state = workingDaysBetween(filedOn, today, country) > 3 * termDays ? 'overdue3x' : 'overdue';
  return { dueOn, state, workingDaysLate };
}
