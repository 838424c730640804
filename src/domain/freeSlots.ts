// Proposing times for an overleg: the first slots on working days, within office hours, when none of the attendees
// is busy. Pure: the busy intervals come from the calendar (Graph getSchedule) and our own meetings.
import { zonedInstant } from './meetings.js';

export interface Interval { start: Date; end: Date }

export interface SlotSearch {
  /** The days to look on, in order (working days, holidays already left out). */
  days: readonly string[];
  durationMinutes: number;
  busy: readonly Interval[];
  /** No slot starts before this instant (now). */
  notBefore: Date;
  dayStart?: string;
  dayEnd?: string;
  stepMinutes?: number;
  max?: number;
  /** Spread the proposals: at most this many on one day. */
  perDay?: number;
}

export interface Slot { date: string; time: string; start: Date; end: Date }

export const OFFICE_HOURS = { start: '09:00', end: '17:00' } as const;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const timeOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

export function freeSlots(s: SlotSearch): Slot[] {
  const step = s.stepMinutes ?? 30;
  const max = s.max ?? 5;
  const perDay = s.perDay ?? 2;
  const first = minutesOf(s.dayStart ?? OFFICE_HOURS.start);
  const last = minutesOf(s.dayEnd ?? OFFICE_HOURS.end) - s.durationMinutes;
  const out: Slot[] = [];
  for (const date of s.days) {
    let onThisDay = 0;
    for (let m = first; m <= last && out.length < max && onThisDay < perDay; m += step) {
      const time = timeOf(m);
      const start = zonedInstant(date, time);
      const slot = { date, time, start, end: new Date(start.getTime() + s.durationMinutes * 60_000) };
      if (start < s.notBefore || s.busy.some((b) => overlaps(slot, b))) continue;
      out.push(slot);
      onThisDay++;
      // The next proposal starts after this one: two overlapping proposals are one choice.
      m += Math.ceil(s.durationMinutes / step) * step - step;
    }
    if (out.length >= max) break;
  }
  return out;
}
