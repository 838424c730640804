import fc from 'fast-check';
import { retryAfterHeaderMs } from '../../src/http/retryAfter';
import { backoffMs } from '../../src/jobs/outbox';

// The defaults of loadConfig: OUTBOX_RETRY_BASE_MS 5 s, a cap of 10 minutes.
const opts = { backoffBaseMs: 5_000, backoffMaxMs: 600_000 };
const middle = () => 0.5; // jitter factor 0.8 + 0.4 * 0.5 = 1
const lowest = () => 0; // factor 0.8
const highest = () => 0.999; // factor 1.1996

describe('backoffMs', () => {
  it('doubles from the base per attempt (without jitter)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffMs(a, opts, 0, middle))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000]);
  });

  it('is capped at backoffMaxMs', () => {
    expect(backoffMs(8, opts, 0, middle)).toBe(600_000); // 640 000 uncapped
    expect(backoffMs(30, opts, 0, middle)).toBe(600_000);
    expect(backoffMs(1_000, opts, 0, middle)).toBe(600_000); // 2^999 is still finite; min() caps it
    expect(backoffMs(3, { backoffBaseMs: 100, backoffMaxMs: 250 }, 0, middle)).toBe(250);
  });

  it('treats attempt 0 (and below) like the first attempt', () => {
    expect(backoffMs(0, opts, 0, middle)).toBe(5_000);
    expect(backoffMs(-3, opts, 0, middle)).toBe(5_000);
  });

  it('jitters within ±20 %', () => {
    expect(backoffMs(1, opts, 0, lowest)).toBe(4_000);
    expect(backoffMs(1, opts, 0, highest)).toBe(5_998); // 5000 * 1.1996
    expect(backoffMs(3, opts, 0, lowest)).toBe(16_000);
    expect(backoffMs(3, opts, 0, highest)).toBe(23_992);
    // The cap is jittered too, so callers that all reached it still spread out.
    expect(backoffMs(20, opts, 0, lowest)).toBe(480_000);
    expect(backoffMs(20, opts, 0, highest)).toBe(719_760);
  });

  it('uses Math.random by default, within the jitter band', () => {
    for (let i = 0; i < 50; i++) {
      const ms = backoffMs(2, opts);
      expect(ms).toBeGreaterThanOrEqual(8_000);
      expect(ms).toBeLessThanOrEqual(12_000);
    }
  });

  it('never goes below Retry-After, and adds at most 20 % on top', () => {
    expect(backoffMs(1, opts, 60_000, lowest)).toBe(60_000);
    expect(backoffMs(1, opts, 60_000, middle)).toBe(66_000);
    expect(backoffMs(1, opts, 60_000, highest)).toBe(71_988);
    for (const random of [lowest, middle, highest]) {
      const ms = backoffMs(1, opts, 60_000, random);
      expect(ms).toBeGreaterThanOrEqual(60_000);
      expect(ms).toBeLessThanOrEqual(72_000);
    }
  });

  it('follows Retry-After rather than its own exponential delay: the service said when', () => {
    expect(backoffMs(5, opts, 1_000, middle)).toBe(1_100);
    expect(backoffMs(5, opts, 1_000, lowest)).toBe(1_000);
  });

  it('Retry-After may exceed the cap', () => {
    expect(backoffMs(30, opts, 3_600_000, lowest)).toBe(3_600_000);
  });

  it('a Retry-After of 0 means none', () => {
    expect(backoffMs(2, opts, 0, lowest)).toBe(backoffMs(2, opts, undefined, lowest));
  });

  it('property: with Retry-After, between it and 20 % above it; without, within ±20 % of the capped exponential', () => {
    const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 600_000 }), random, random,
      fc.integer({ min: 10, max: 600_000 }), fc.integer({ min: 10, max: 3_600_000 }),
      (attempt, retryAfter, r1, r2, base, cap) => {
        const draws = [r1, r2];
        let i = 0;
        const rnd = () => draws[i++ % 2];
        for (const o of [opts, { backoffBaseMs: base, backoffMaxMs: cap }]) {
          i = 0;
          const ms = backoffMs(attempt, o, retryAfter, rnd);
          const exponential = Math.min(o.backoffMaxMs, o.backoffBaseMs * 2 ** (attempt - 1));
          expect(Number.isInteger(ms)).toBe(true);
          expect(ms).toBeGreaterThanOrEqual(retryAfter);
          if (retryAfter > 0) {
            expect(ms).toBeLessThanOrEqual(1.2 * retryAfter + 1);
          } else {
            expect(ms).toBeGreaterThanOrEqual(0.8 * exponential - 1);
            expect(ms).toBeLessThanOrEqual(1.2 * exponential + 1);
          }
        }
      },
    ), { numRuns: 500 });
  });

  it('property: never decreases with the attempt for a fixed random draw', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 29 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
      expect(backoffMs(attempt + 1, opts, 0, () => r)).toBeGreaterThanOrEqual(backoffMs(attempt, opts, 0, () => r));
    }), { numRuns: 300 });
  });
});

describe('retryAfterHeaderMs', () => {
  const now = Date.parse('2026-11-30T08:00:00Z');

  it('reads seconds and HTTP dates, never below zero', () => {
    expect(retryAfterHeaderMs('3', now)).toBe(3_000);
    expect(retryAfterHeaderMs('0.5', now)).toBe(500);
    expect(retryAfterHeaderMs('Mon, 30 Nov 2026 08:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterHeaderMs('Mon, 30 Nov 2026 07:59:00 GMT', now)).toBe(0);
    expect(retryAfterHeaderMs('-4', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    for (const value of [null, undefined, '', 'soon']) expect(retryAfterHeaderMs(value, now)).toBeUndefined();
  });
});
