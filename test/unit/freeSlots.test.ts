import fc from 'fast-check';
import { freeSlots, type Interval, type Slot } from '../../src/domain/freeSlots';
import { zonedInstant } from '../../src/domain/meetings';

const at = zonedInstant; // Amsterdam wall clock -> instant
const busy = (date: string, from: string, to: string): Interval => ({ start: at(date, from), end: at(date, to) });
const times = (slots: readonly Slot[]) => slots.map((s) => `${s.date} ${s.time}`);
const LONG_AGO = new Date('2020-01-01T00:00:00Z');

// Tuesdays to Fridays, far from a DST change.
const WINTER = '2026-12-01';
const SUMMER = '2027-06-15';

describe('freeSlots: examples', () => {
  it('proposes 09:00 and the next free start after it on an empty day, at most two per day by default', () => {
    const slots = freeSlots({ days: [WINTER], durationMinutes: 60, busy: [], notBefore: LONG_AGO });
    expect(times(slots)).toEqual([`${WINTER} 09:00`, `${WINTER} 10:00`]);
    expect(slots[0].end.getTime() - slots[0].start.getTime()).toBe(60 * 60_000);
  });

  it('aligns the second proposal to the 30-minute step after the first one ends', () => {
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 45, busy: [], notBefore: LONG_AGO }))).toEqual([`${WINTER} 09:00`, `${WINTER} 10:00`]);
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 30, busy: [], notBefore: LONG_AGO }))).toEqual([`${WINTER} 09:00`, `${WINTER} 09:30`]);
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 90, busy: [], notBefore: LONG_AGO }))).toEqual([`${WINTER} 09:00`, `${WINTER} 10:30`]);
  });

  it('honours perDay and max, spreading over the days in order', () => {
    const days = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'];
    expect(times(freeSlots({ days, durationMinutes: 60, busy: [], notBefore: LONG_AGO }))).toEqual([
      '2026-11-30 09:00', '2026-11-30 10:00', '2026-12-01 09:00', '2026-12-01 10:00', '2026-12-02 09:00',
    ]);
    expect(times(freeSlots({ days, durationMinutes: 60, busy: [], notBefore: LONG_AGO, perDay: 1, max: 3 }))).toEqual([
      '2026-11-30 09:00', '2026-12-01 09:00', '2026-12-02 09:00',
    ]);
    expect(freeSlots({ days, durationMinutes: 60, busy: [], notBefore: LONG_AGO, perDay: 3, max: 20 })).toHaveLength(12);
  });

  it('follows the order of the days it is given', () => {
    const slots = freeSlots({ days: ['2026-12-03', '2026-12-01'], durationMinutes: 60, busy: [], notBefore: LONG_AGO, perDay: 1 });
    expect(slots.map((s) => s.date)).toEqual(['2026-12-03', '2026-12-01']);
  });

  it('a busy interval 09:00-10:30 pushes the first proposal to 10:30', () => {
    const slots = freeSlots({ days: [WINTER], durationMinutes: 60, busy: [busy(WINTER, '09:00', '10:30')], notBefore: LONG_AGO });
    expect(times(slots)).toEqual([`${WINTER} 10:30`, `${WINTER} 11:30`]);
  });

  it('busy time on another day does not matter', () => {
    const slots = freeSlots({ days: [WINTER], durationMinutes: 60, busy: [busy('2026-12-02', '09:00', '17:00')], notBefore: LONG_AGO });
    expect(times(slots)).toEqual([`${WINTER} 09:00`, `${WINTER} 10:00`]);
  });

  it('a fully busy day gives nothing on that day, and the next day is used', () => {
    const slots = freeSlots({ days: [WINTER, '2026-12-02'], durationMinutes: 60, busy: [busy(WINTER, '08:00', '18:00')], notBefore: LONG_AGO });
    expect(times(slots)).toEqual(['2026-12-02 09:00', '2026-12-02 10:00']);
  });

  it('skips starts before notBefore, but a start exactly at notBefore is fine', () => {
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 60, busy: [], notBefore: at(WINTER, '09:01') })))
      .toEqual([`${WINTER} 09:30`, `${WINTER} 10:30`]);
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 60, busy: [], notBefore: at(WINTER, '09:30') })))
      .toEqual([`${WINTER} 09:30`, `${WINTER} 10:30`]);
    expect(times(freeSlots({ days: [WINTER, '2026-12-02'], durationMinutes: 60, busy: [], notBefore: at(WINTER, '16:01') })))
      .toEqual(['2026-12-02 09:00', '2026-12-02 10:00']);
  });

  it('a meeting longer than the office day gives no proposals at all', () => {
    expect(freeSlots({ days: [WINTER, '2026-12-02'], durationMinutes: 8 * 60 + 15, busy: [], notBefore: LONG_AGO })).toEqual([]);
    expect(freeSlots({ days: [WINTER, '2026-12-02'], durationMinutes: 8 * 60 + 1, busy: [], notBefore: LONG_AGO })).toEqual([]);
  });

  it('a slot may end exactly at 17:00, not after', () => {
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 8 * 60, busy: [], notBefore: LONG_AGO }))).toEqual([`${WINTER} 09:00`]);
    const late = freeSlots({ days: [WINTER], durationMinutes: 60, busy: [busy(WINTER, '09:00', '16:00')], notBefore: LONG_AGO });
    expect(times(late)).toEqual([`${WINTER} 16:00`]);
    expect(late[0].end).toEqual(at(WINTER, '17:00'));
    // 16:30 would end at 17:30.
    expect(freeSlots({ days: [WINTER], durationMinutes: 60, busy: [busy(WINTER, '09:00', '16:01')], notBefore: LONG_AGO })).toEqual([]);
  });

  it('busy time that only touches a slot does not block it (half-open intervals)', () => {
    // Ends exactly when the slot starts.
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 60, busy: [busy(WINTER, '08:00', '09:00')], notBefore: LONG_AGO, perDay: 1 })))
      .toEqual([`${WINTER} 09:00`]);
    // Starts exactly when the slot ends; the next start (10:00) is blocked, 11:00 is free.
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 60, busy: [busy(WINTER, '10:00', '11:00')], notBefore: LONG_AGO })))
      .toEqual([`${WINTER} 09:00`, `${WINTER} 11:00`]);
    // One minute more does block.
    expect(times(freeSlots({ days: [WINTER], durationMinutes: 60, busy: [busy(WINTER, '08:00', '09:01')], notBefore: LONG_AGO, perDay: 1 })))
      .toEqual([`${WINTER} 09:30`]);
  });

  it('gives 09:00 Amsterdam time in summer (UTC+2) and in winter (UTC+1)', () => {
    const [summer] = freeSlots({ days: [SUMMER], durationMinutes: 60, busy: [], notBefore: LONG_AGO });
    expect(summer.time).toBe('09:00');
    expect(summer.start.toISOString()).toBe('2027-06-15T07:00:00.000Z');
    expect(summer.end.toISOString()).toBe('2027-06-15T08:00:00.000Z');
    const [winter] = freeSlots({ days: [WINTER], durationMinutes: 60, busy: [], notBefore: LONG_AGO });
    expect(winter.time).toBe('09:00');
    expect(winter.start.toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });

  it('uses local office hours on the days the clocks change', () => {
    // 2026-03-29: summer time starts at 02:00; 2026-10-25: it ends at 03:00.
    const spring = freeSlots({ days: ['2026-03-29'], durationMinutes: 8 * 60, busy: [], notBefore: LONG_AGO });
    expect(spring.map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([['2026-03-29T07:00:00.000Z', '2026-03-29T15:00:00.000Z']]);
    const autumn = freeSlots({ days: ['2026-10-25'], durationMinutes: 8 * 60, busy: [], notBefore: LONG_AGO });
    expect(autumn.map((s) => [s.start.toISOString(), s.end.toISOString()])).toEqual([['2026-10-25T08:00:00.000Z', '2026-10-25T16:00:00.000Z']]);
  });

  it('gives nothing without days', () => {
    expect(freeSlots({ days: [], durationMinutes: 60, busy: [], notBefore: LONG_AGO })).toEqual([]);
  });
});

describe('freeSlots: properties', () => {
  const DAY = 86_400_000;
  const MINUTE = 60_000;
  const STEP = 30;
  const dateOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
  const timeOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

  // 2026-01-01 .. 2027-12-31, which includes both DST changes of both years.
  const firstDay = fc.integer({ min: Date.UTC(2026, 0, 1) / DAY, max: Date.UTC(2027, 11, 28) / DAY });
  const search = firstDay.chain((day0) => fc.record({
    days: fc.integer({ min: 1, max: 4 }).map((n) => Array.from({ length: n }, (_, i) => dateOf(day0 + i))),
    durationMinutes: fc.integer({ min: 1, max: 32 }).map((k) => k * 15),
    // Busy intervals from 06:00Z on the first day over the next four days; starts and lengths often on a quarter hour,
    // so they touch slot boundaries, sometimes on any minute.
    busy: fc.array(fc.record({
      start: fc.oneof(fc.integer({ min: 0, max: 4 * 96 }).map((q) => q * 15), fc.integer({ min: 0, max: 4 * 1440 })),
      length: fc.oneof(fc.integer({ min: 1, max: 24 }).map((q) => q * 15), fc.integer({ min: 1, max: 600 })),
    }).map(({ start, length }) => {
      const s = day0 * DAY + 6 * 60 * MINUTE + start * MINUTE;
      return { start: new Date(s), end: new Date(s + length * MINUTE) };
    }), { maxLength: 12 }),
    notBefore: fc.integer({ min: -1440, max: 4 * 1440 }).map((m) => new Date(day0 * DAY + m * MINUTE)),
    perDay: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    max: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  }));

  it('every proposal is free, within office hours, after notBefore, ordered, capped and complete', () => {
    fc.assert(fc.property(search, (s) => {
      const slots = freeSlots(s);
      const perDay = s.perDay ?? 2;
      const max = s.max ?? 5;
      const duration = s.durationMinutes * MINUTE;

      slots.forEach((slot, i) => {
        // (a) free of busy time, half-open
        for (const b of s.busy) expect(overlaps(slot, b)).toBe(false);
        // (b) within the office hours of its own date, which is one of the days asked for
        expect(s.days).toContain(slot.date);
        expect(slot.start.getTime()).toBeGreaterThanOrEqual(at(slot.date, '09:00').getTime());
        expect(slot.end.getTime()).toBeLessThanOrEqual(at(slot.date, '17:00').getTime());
        expect(slot.start).toEqual(at(slot.date, slot.time));
        // (c) not before notBefore
        expect(slot.start.getTime()).toBeGreaterThanOrEqual(s.notBefore.getTime());
        // (d) ordered and not overlapping each other
        if (i > 0) {
          expect(slot.start.getTime()).toBeGreaterThanOrEqual(slots[i - 1].end.getTime());
        }
        // (f) exactly the duration asked for
        expect(slot.end.getTime() - slot.start.getTime()).toBe(duration);
      });

      // (e) caps
      expect(slots.length).toBeLessThanOrEqual(max);
      const count = new Map<string, number>();
      for (const slot of slots) count.set(slot.date, (count.get(slot.date) ?? 0) + 1);
      for (const n of count.values()) expect(n).toBeLessThanOrEqual(perDay);

      // (g) completeness. Each day is scanned from 09:00 in 30-minute steps; a free start is taken unless it overlaps a
      // proposal taken earlier that day (the scan jumps over those). The scan of a day stops only when its perDay or the
      // overall max is reached, so every free start before that point must be taken or overlap an earlier proposal.
      const last = 17 * 60 - s.durationMinutes;
      for (const date of s.days) {
        const chosen = slots.filter((slot) => slot.date === date);
        // In particular (the case where no cap was hit): with fewer than max proposals, a day with fewer than perDay
        // proposals was scanned to 17:00 and has no free start left that does not overlap one of its proposals.
        const cutOff = chosen.length >= perDay || (slots.length >= max && s.days.indexOf(date) >= s.days.indexOf(slots[slots.length - 1].date));
        // Starts after the last proposal of a day cut off by a cap were never looked at; starts before it were.
        const scannedUntil = cutOff ? (chosen.length > 0 ? chosen[chosen.length - 1].start.getTime() : -Infinity) : Infinity;
        for (let m = 9 * 60; m <= last; m += STEP) {
          const start = at(date, timeOf(m));
          if (start.getTime() > scannedUntil) break;
          const candidate = { start, end: new Date(start.getTime() + duration) };
          if (start < s.notBefore || s.busy.some((b) => overlaps(candidate, b))) continue;
          const taken = chosen.some((c) => c.start.getTime() === start.getTime());
          const shadowed = chosen.some((c) => c.start < start && overlaps(c, candidate));
          if (!taken && !shadowed) {
            throw new Error(`free start ${date} ${timeOf(m)} was skipped; proposals: ${times(slots).join(', ')}`);
          }
        }
      }
    }), { numRuns: 300 });
  });

  it('is deterministic and does not depend on the order of the busy intervals', () => {
    fc.assert(fc.property(search, (s) => {
      const reversed = freeSlots({ ...s, busy: [...s.busy].reverse() });
      expect(times(reversed)).toEqual(times(freeSlots(s)));
    }), { numRuns: 100 });
  });
});
