import fc from 'fast-check';
import {
  BRIEFING_PERIODS, briefingContent, briefingDueOn, briefingPeriods, briefingSpan, periodOf,
  type BriefingFacts, type BriefingPeriod, type DateRange,
} from '../../src/domain/briefing';
import { CASE_PHASES, MEASURES } from '../../src/domain/caseWorkflow';
import { PROBLEM_TYPES } from '../../src/domain/signalIntake';

// ---------------------------------------------------------------------------------------------------------------
// An independent model of the periods, on day numbers (days since 1970-01-01, a Thursday). A period is found by
// counting whole periods back from the one that holds the date; "last year" is that many periods further back
// (52 weeks, 12 months, 4 quarters), which for weeks is exactly 364 days.

const DAY = 86_400_000;
const dayOf = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;
const isoOf = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const weekday = (iso: string) => new Date(`${iso}T12:00:00Z`).getUTCDay(); // 0 = Sunday, 1 = Monday
const PER_YEAR: Record<BriefingPeriod, number> = { week: 52, month: 12, quarter: 4 };

interface DayRange { from: number; to: number }

function refPeriod(kind: BriefingPeriod, day: number, back: number): DayRange {
  if (kind === 'week') {
    const sinceMonday = (((day + 3) % 7) + 7) % 7; // day 0 (Thursday) is 3 days after a Monday
    const from = day - sinceMonday - 7 * back;
    return { from, to: from + 6 };
  }
  const length = kind === 'month' ? 1 : 3;
  const d = new Date(day * DAY);
  const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth(); // months since year 0
  const start = monthIndex - (d.getUTCMonth() % length) - back * length;
  const startOf = (index: number) => Date.UTC(Math.floor(index / 12), index % 12, 1) / DAY;
  return { from: startOf(start), to: startOf(start + length) - 1 };
}

const asIso = (r: DayRange): DateRange => ({ from: isoOf(r.from), to: isoOf(r.to) });

function refPeriods(kind: BriefingPeriod, day: number) {
  return {
    current: refPeriod(kind, day, 1),
    previous: refPeriod(kind, day, 2),
    lastYear: refPeriod(kind, day, 1 + PER_YEAR[kind]),
    trend: [6, 5, 4, 3, 2, 1].map((back) => refPeriod(kind, day, back)),
  };
}

const inRange = (iso: string, r: DayRange) => dayOf(iso) >= r.from && dayOf(iso) <= r.to;

const dayArb = (from: string, to: string) => fc.integer({ min: dayOf(from), max: dayOf(to) });
const kindArb = fc.constantFrom(...BRIEFING_PERIODS);
const briefingDayArb = dayArb('2020-01-01', '2030-12-31');

describe('the test model itself', () => {
  it('dayOf and isoOf agree and 1970-01-01 is a Thursday', () => {
    expect(dayOf('1970-01-01')).toBe(0);
    expect(weekday('1970-01-01')).toBe(4);
    fc.assert(fc.property(dayArb('2019-01-01', '2030-12-31'), (n) => dayOf(isoOf(n)) === n));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// periodOf

describe('periodOf', () => {
  it.each([
    // Weeks run Monday to Sunday.
    ['week', '2026-11-30', 0, '2026-11-30', '2026-12-06'], // a Monday starts its own week
    ['week', '2026-11-29', 0, '2026-11-23', '2026-11-29'], // a Sunday belongs to the week that started the Monday before
    ['week', '2026-11-25', 0, '2026-11-23', '2026-11-29'],
    ['week', '2026-11-29', 1, '2026-11-16', '2026-11-22'],
    ['week', '2027-01-01', 0, '2026-12-28', '2027-01-03'], // across the year end
    ['week', '2027-01-01', 1, '2026-12-21', '2026-12-27'],
    ['week', '2027-01-04', 1, '2026-12-28', '2027-01-03'],
    ['week', '2024-03-01', 0, '2024-02-26', '2024-03-03'], // over a leap day
    // Months by calendar.
    ['month', '2026-03-15', 0, '2026-03-01', '2026-03-31'],
    ['month', '2026-03-31', 1, '2026-02-01', '2026-02-28'],
    ['month', '2028-03-31', 1, '2028-02-01', '2028-02-29'], // leap February
    ['month', '2024-02-29', 0, '2024-02-01', '2024-02-29'],
    ['month', '2026-03-15', 3, '2025-12-01', '2025-12-31'], // back across the year end
    ['month', '2026-01-01', 1, '2025-12-01', '2025-12-31'],
    ['month', '2026-01-31', 13, '2024-12-01', '2024-12-31'],
    ['month', '2026-04-30', 0, '2026-04-01', '2026-04-30'],
    // Quarters by calendar.
    ['quarter', '2027-01-15', 1, '2026-10-01', '2026-12-31'],
    ['quarter', '2026-05-20', 0, '2026-04-01', '2026-06-30'],
    ['quarter', '2026-05-20', 5, '2025-01-01', '2025-03-31'],
    ['quarter', '2026-12-31', 0, '2026-10-01', '2026-12-31'],
    ['quarter', '2026-07-01', 0, '2026-07-01', '2026-09-30'],
    ['quarter', '2024-03-31', 4, '2023-01-01', '2023-03-31'],
    ['quarter', '2026-02-14', 8, '2024-01-01', '2024-03-31'],
  ] as const)('%s of %s, %i back: %s..%s', (kind, date, back, from, to) => {
    expect(periodOf(kind, date, back)).toEqual({ from, to });
  });

  it('back defaults to 0', () => {
    expect(periodOf('week', '2026-11-29')).toEqual(periodOf('week', '2026-11-29', 0));
    expect(periodOf('quarter', '2026-11-29')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  });

  it('property: agrees with the day-number model; back 0 holds the date; weeks are Monday..Sunday', () => {
    fc.assert(fc.property(kindArb, briefingDayArb, fc.integer({ min: 0, max: 60 }), (kind, day, back) => {
      const date = isoOf(day);
      const got = periodOf(kind, date, back);
      expect(got).toEqual(asIso(refPeriod(kind, day, back)));
      if (back === 0) expect(inRange(date, { from: dayOf(got.from), to: dayOf(got.to) })).toBe(true);
      if (kind === 'week') {
        expect(weekday(got.from)).toBe(1);
        expect(weekday(got.to)).toBe(0);
        expect(dayOf(got.to) - dayOf(got.from)).toBe(6);
      } else {
        expect(got.from.slice(8)).toBe('01');
        expect(isoOf(dayOf(got.to) + 1).slice(8)).toBe('01'); // ends on the last day of a month
        expect(Number(got.from.slice(5, 7)) % (kind === 'quarter' ? 3 : 1)).toBe(kind === 'quarter' ? 1 : 0);
      }
      // One period back ends the day before this one starts.
      expect(dayOf(periodOf(kind, date, back + 1).to) + 1).toBe(dayOf(got.from));
    }), { numRuns: 300 });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// briefingPeriods

const r = (from: string, to: string): DateRange => ({ from, to });

describe('briefingPeriods', () => {
  it('week, on Monday 2026-11-30: the week just ended, the one before, 364 days earlier, six weeks of trend', () => {
    expect(briefingPeriods('week', '2026-11-30')).toEqual({
      kind: 'week',
      current: r('2026-11-23', '2026-11-29'),
      previous: r('2026-11-16', '2026-11-22'),
      lastYear: r('2025-11-24', '2025-11-30'),
      trend: [
        r('2026-10-19', '2026-10-25'), r('2026-10-26', '2026-11-01'), r('2026-11-02', '2026-11-08'),
        r('2026-11-09', '2026-11-15'), r('2026-11-16', '2026-11-22'), r('2026-11-23', '2026-11-29'),
      ],
    });
    expect(weekday('2025-11-24')).toBe(1);
  });

  it('week, on Sunday 2026-11-29: that week is not yet full, so the current week is the one before', () => {
    const p = briefingPeriods('week', '2026-11-29');
    expect(p.current).toEqual(r('2026-11-16', '2026-11-22'));
    expect(p.previous).toEqual(r('2026-11-09', '2026-11-15'));
    expect(p.lastYear).toEqual(r('2025-11-17', '2025-11-23'));
  });

  it('week, across the year end (Wednesday 2027-01-06)', () => {
    const p = briefingPeriods('week', '2027-01-06');
    expect(p.current).toEqual(r('2026-12-28', '2027-01-03'));
    expect(p.previous).toEqual(r('2026-12-21', '2026-12-27'));
    expect(p.lastYear).toEqual(r('2025-12-29', '2026-01-04'));
    expect(weekday(p.lastYear.from)).toBe(1);
  });

  it('month, on 2026-11-30', () => {
    expect(briefingPeriods('month', '2026-11-30')).toEqual({
      kind: 'month',
      current: r('2026-10-01', '2026-10-31'),
      previous: r('2026-09-01', '2026-09-30'),
      lastYear: r('2025-10-01', '2025-10-31'),
      trend: [
        r('2026-05-01', '2026-05-31'), r('2026-06-01', '2026-06-30'), r('2026-07-01', '2026-07-31'),
        r('2026-08-01', '2026-08-31'), r('2026-09-01', '2026-09-30'), r('2026-10-01', '2026-10-31'),
      ],
    });
  });

  it('month, in January: December of the year before, and its trend reaches back into July', () => {
    const p = briefingPeriods('month', '2026-01-10');
    expect(p.current).toEqual(r('2025-12-01', '2025-12-31'));
    expect(p.previous).toEqual(r('2025-11-01', '2025-11-30'));
    expect(p.lastYear).toEqual(r('2024-12-01', '2024-12-31'));
    expect(p.trend[0]).toEqual(r('2025-07-01', '2025-07-31'));
  });

  it('month, leap February as current and as last year', () => {
    expect(briefingPeriods('month', '2024-03-01')).toMatchObject({
      current: r('2024-02-01', '2024-02-29'), previous: r('2024-01-01', '2024-01-31'), lastYear: r('2023-02-01', '2023-02-28'),
    });
    expect(briefingPeriods('month', '2025-03-05')).toMatchObject({
      current: r('2025-02-01', '2025-02-28'), lastYear: r('2024-02-01', '2024-02-29'),
    });
  });

  it('quarter, on 2027-01-15', () => {
    expect(briefingPeriods('quarter', '2027-01-15')).toEqual({
      kind: 'quarter',
      current: r('2026-10-01', '2026-12-31'),
      previous: r('2026-07-01', '2026-09-30'),
      lastYear: r('2025-10-01', '2025-12-31'),
      trend: [
        r('2025-07-01', '2025-09-30'), r('2025-10-01', '2025-12-31'), r('2026-01-01', '2026-03-31'),
        r('2026-04-01', '2026-06-30'), r('2026-07-01', '2026-09-30'), r('2026-10-01', '2026-12-31'),
      ],
    });
  });

  it('quarter, on 2026-11-30 and on the first day of a quarter', () => {
    expect(briefingPeriods('quarter', '2026-11-30')).toMatchObject({
      current: r('2026-07-01', '2026-09-30'), previous: r('2026-04-01', '2026-06-30'), lastYear: r('2025-07-01', '2025-09-30'),
    });
    expect(briefingPeriods('quarter', '2026-04-01')).toMatchObject({
      current: r('2026-01-01', '2026-03-31'), previous: r('2025-10-01', '2025-12-31'), lastYear: r('2025-01-01', '2025-03-31'),
    });
  });

  it('property (dates 2020-2030): contiguous trend ending with current; previous before it; last year a year back', () => {
    fc.assert(fc.property(kindArb, briefingDayArb, (kind, day) => {
      const date = isoOf(day);
      const p = briefingPeriods(kind, date);
      expect(p.kind).toBe(kind);
      expect(p.trend).toHaveLength(6);
      for (let i = 1; i < 6; i++) expect(dayOf(p.trend[i].from)).toBe(dayOf(p.trend[i - 1].to) + 1);
      for (const t of p.trend) expect(dayOf(t.from)).toBeLessThanOrEqual(dayOf(t.to));
      expect(p.current).toEqual(p.trend[5]);
      expect(p.previous).toEqual(p.trend[4]);
      // current is the last full period: it ends the day before the period holding the date starts.
      const holding = periodOf(kind, date, 0);
      expect(dayOf(p.current.to) + 1).toBe(dayOf(holding.from));
      expect(date >= holding.from && date <= holding.to).toBe(true);
      expect(dayOf(p.current.to)).toBeLessThan(day);
      if (kind === 'week') {
        expect(dayOf(p.current.from) - dayOf(p.lastYear.from)).toBe(364);
        expect(dayOf(p.current.to) - dayOf(p.lastYear.to)).toBe(364);
        expect(weekday(p.lastYear.from)).toBe(1);
        expect(weekday(p.current.from)).toBe(1);
      } else {
        expect(p.lastYear.from).toBe(`${Number(p.current.from.slice(0, 4)) - 1}${p.current.from.slice(4)}`);
        expect(p.lastYear.to.slice(0, 4)).toBe(String(Number(p.current.to.slice(0, 4)) - 1));
        expect(p.lastYear.to.slice(5, 7)).toBe(p.current.to.slice(5, 7));
      }
      // And all of it agrees with the day-number model.
      const ref = refPeriods(kind, day);
      expect(p.current).toEqual(asIso(ref.current));
      expect(p.previous).toEqual(asIso(ref.previous));
      expect(p.lastYear).toEqual(asIso(ref.lastYear));
      expect(p.trend).toEqual(ref.trend.map(asIso));
    }), { numRuns: 500 });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// briefingContent

describe('briefingContent', () => {
  it('a hand-computed month briefing on 2026-11-30 (current Oct 2026, previous Sep 2026, last year Oct 2025)', () => {
    const s = (filedOn: string, phenomenon: string, problemType: string) => ({ filedOn, phenomenon, problemType });
    const facts: BriefingFacts = {
      signals: [
        s('2026-10-01', 'drugs', 'standaard'), // current
        s('2026-10-31', 'drugs', 'complex'), // current
        s('2026-09-30', 'drugs', 'standaard'), // previous
        s('2025-10-15', 'vastgoed', 'crisis'), // last year
        s('2026-10-15', 'witwassen', 'standaard'), // current
        s('2026-09-01', 'witwassen', 'standaard'), // previous
        s('2026-11-01', 'drugs', 'standaard'), // the month still running: nowhere
        s('2026-05-01', 'mensenhandel', 'complex'), // only in the trend's first month
        s('2025-09-30', 'vastgoed', 'standaard'), // nowhere
        s('2026-04-30', 'mensenhandel', 'standaard'), // nowhere
        s('2026-10-10', 'zorgfraude', 'crisis'), // current
        s('2026-09-15', 'zorgfraude', 'complex'), // previous
        s('2026-10-05', 'arbeidsuitbuiting', 'complex'), // current
      ],
      casePhases: ['interventie', 'signalering', 'interventie', 'evaluatie', 'afgesloten'],
      measures: [
        { measure: 'bibob', on: '2026-10-03' },
        { measure: 'bibob', on: '2026-09-30' },
        { measure: 'sluiting_13b', on: '2026-10-31' },
        { measure: 'sluiting_13b', on: '2025-10-10' }, // last year: measures compare current and previous only
        { measure: 'anders', on: '2026-11-01' },
      ],
      overdue: 4,
      shared: [
        { reference: 'ZAAK-2026-0012', title: 'Loods Kade 4', phase: 'interventie' },
        { reference: 'ZAAK-2026-0003', title: 'Nagelstudio', phase: 'verrijking' },
      ],
    };
    const c = briefingContent('month', '2026-11-30', facts);
    expect(c.periods).toEqual(briefingPeriods('month', '2026-11-30'));
    expect(c.total).toEqual({ current: 5, previous: 3, lastYear: 1 });
    expect(c.byPhenomenon).toEqual([
      { phenomenon: 'drugs', current: 2, previous: 1, lastYear: 0 },
      { phenomenon: 'witwassen', current: 1, previous: 1, lastYear: 0 }, // tie with zorgfraude: by name
      { phenomenon: 'zorgfraude', current: 1, previous: 1, lastYear: 0 },
      { phenomenon: 'arbeidsuitbuiting', current: 1, previous: 0, lastYear: 0 },
      { phenomenon: 'vastgoed', current: 0, previous: 0, lastYear: 1 },
      // mensenhandel: 0, 0, 0 — left out
    ]);
    expect(c.byProblemType).toEqual([
      { problemType: 'standaard', current: 2, previous: 2, lastYear: 0 },
      { problemType: 'complex', current: 2, previous: 1, lastYear: 0 },
      { problemType: 'crisis', current: 1, previous: 0, lastYear: 1 },
    ]);
    expect(c.casesByPhase).toEqual([
      { phase: 'signalering', count: 1 }, { phase: 'verrijking', count: 0 }, { phase: 'interventie', count: 2 }, { phase: 'evaluatie', count: 1 },
    ]);
    expect(c.measures).toEqual([
      { measure: 'sluiting_13b', current: 1, previous: 0 },
      { measure: 'bibob', current: 1, previous: 1 },
      { measure: 'last_onder_dwangsom', current: 0, previous: 0 },
      { measure: 'integrale_controle', current: 0, previous: 0 },
      { measure: 'anders', current: 0, previous: 0 },
    ]);
    expect(c.trend.map((t) => t.count)).toEqual([1, 0, 0, 0, 3, 5]);
    expect(c.trend.map((t) => t.range)).toEqual(c.periods.trend);
    expect(c.overdue).toBe(4);
    expect(c.awaiting.map((a) => a.reference)).toEqual(['ZAAK-2026-0003', 'ZAAK-2026-0012']);
    expect(facts.shared[0].reference).toBe('ZAAK-2026-0012'); // the input is not sorted in place
  });

  it('no facts at all: zeros everywhere, every problem type, measure and open phase still listed', () => {
    const c = briefingContent('quarter', '2026-07-01', { signals: [], casePhases: [], measures: [], overdue: 0, shared: [] });
    expect(c.total).toEqual({ current: 0, previous: 0, lastYear: 0 });
    expect(c.byPhenomenon).toEqual([]);
    expect(c.byProblemType.map((p) => p.problemType)).toEqual([...PROBLEM_TYPES]);
    expect(c.casesByPhase.map((p) => p.phase)).toEqual(CASE_PHASES.filter((p) => p !== 'afgesloten'));
    expect(c.measures.map((m) => m.measure)).toEqual([...MEASURES]);
    expect(c.trend.map((t) => t.count)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(c.awaiting).toEqual([]);
  });

  // The independent computation: day numbers, the model's periods, plain loops.
  const PHENOMENA = ['drugs', 'mensenhandel', 'vastgoed', 'witwassen', 'zorgfraude'] as const;
  const OPEN_PHASES = CASE_PHASES.filter((p) => p !== 'afgesloten');
  const MIN_DAY = dayOf('2019-01-01');
  const MAX_DAY = dayOf('2030-12-31');

  function expected(kind: BriefingPeriod, day: number, facts: BriefingFacts) {
    const p = refPeriods(kind, day);
    const count = (dates: string[], range: DayRange) => {
      let n = 0;
      for (const d of dates) if (inRange(d, range)) n++;
      return n;
    };
    const compare = (dates: string[]) => ({ current: count(dates, p.current), previous: count(dates, p.previous), lastYear: count(dates, p.lastYear) });
    const datesWhere = (pred: (s: BriefingFacts['signals'][number]) => boolean) => facts.signals.filter(pred).map((s) => s.filedOn);
    const byPhenomenon = PHENOMENA.map((phenomenon) => ({ phenomenon, ...compare(datesWhere((s) => s.phenomenon === phenomenon)) }))
      .filter((x) => x.current > 0 || x.previous > 0 || x.lastYear > 0)
      .sort((a, b) => (a.current !== b.current ? b.current - a.current : a.previous !== b.previous ? b.previous - a.previous : a.phenomenon < b.phenomenon ? -1 : 1));
    const phaseCounts = new Map<string, number>();
    for (const ph of facts.casePhases) phaseCounts.set(ph, (phaseCounts.get(ph) ?? 0) + 1);
    return {
      total: compare(facts.signals.map((s) => s.filedOn)),
      byPhenomenon,
      byProblemType: PROBLEM_TYPES.map((problemType) => ({ problemType, ...compare(datesWhere((s) => s.problemType === problemType)) })),
      casesByPhase: OPEN_PHASES.map((phase) => ({ phase, count: phaseCounts.get(phase) ?? 0 })),
      measures: MEASURES.map((measure) => {
        const dates = facts.measures.filter((m) => m.measure === measure).map((m) => m.on);
        return { measure, current: count(dates, p.current), previous: count(dates, p.previous) };
      }),
      trend: p.trend.map((range) => ({ range: asIso(range), count: count(facts.signals.map((s) => s.filedOn), range) })),
      overdue: facts.overdue,
      awaiting: [...facts.shared].sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0)),
    };
  }

  // Dates anywhere in 2019-2030, or (more often) in the 15 months before the briefing date, where the counts are.
  const factsArb = (day: number) => {
    const nearArb = fc.integer({ min: Math.max(MIN_DAY, day - 460), max: Math.min(MAX_DAY, day + 10) });
    const dateArb = fc.oneof({ arbitrary: fc.integer({ min: MIN_DAY, max: MAX_DAY }), weight: 1 }, { arbitrary: nearArb, weight: 3 }).map(isoOf);
    return fc.record({
      signals: fc.array(fc.record({ filedOn: dateArb, phenomenon: fc.constantFrom(...PHENOMENA), problemType: fc.constantFrom(...PROBLEM_TYPES) }), { maxLength: 80 }),
      casePhases: fc.array(fc.constantFrom(...CASE_PHASES), { maxLength: 20 }),
      measures: fc.array(fc.record({ measure: fc.constantFrom(...MEASURES), on: dateArb }), { maxLength: 30 }),
      overdue: fc.nat({ max: 50 }),
      shared: fc.uniqueArray(
        fc.record({
          reference: fc.integer({ min: 1, max: 9999 }).map((n) => `ZAAK-2026-${String(n).padStart(4, '0')}`),
          title: fc.string({ maxLength: 12 }),
          phase: fc.constantFrom(...OPEN_PHASES),
        }),
        { selector: (x) => x.reference, maxLength: 8 },
      ),
    });
  };
  const caseArb = fc.tuple(kindArb, briefingDayArb).chain(([kind, day]) => fc.tuple(fc.constant(kind), fc.constant(day), factsArb(day)));

  it('property: every count equals an independent computation', () => {
    fc.assert(fc.property(caseArb, ([kind, day, facts]) => {
      const c = briefingContent(kind, isoOf(day), facts);
      const want = expected(kind, day, facts);
      expect(c.total).toEqual(want.total);
      expect(c.byPhenomenon).toEqual(want.byPhenomenon);
      expect(c.byProblemType).toEqual(want.byProblemType);
      expect(c.casesByPhase).toEqual(want.casesByPhase);
      expect(c.measures).toEqual(want.measures);
      expect(c.trend).toEqual(want.trend);
      expect(c.overdue).toBe(want.overdue);
      expect(c.awaiting).toEqual(want.awaiting);
    }), { numRuns: 200 });
  });

  it('property: the shape rules on their own (phenomena without counts left out, sort orders, fixed lists)', () => {
    fc.assert(fc.property(caseArb, ([kind, day, facts]) => {
      const c = briefingContent(kind, isoOf(day), facts);
      const listed = new Set(c.byPhenomenon.map((p) => p.phenomenon));
      expect(listed.size).toBe(c.byPhenomenon.length);
      for (const p of c.byPhenomenon) expect(p.current + p.previous + p.lastYear).toBeGreaterThan(0);
      for (let i = 1; i < c.byPhenomenon.length; i++) {
        const [a, b] = [c.byPhenomenon[i - 1], c.byPhenomenon[i]];
        const inOrder = a.current > b.current || (a.current === b.current && (a.previous > b.previous || (a.previous === b.previous && a.phenomenon < b.phenomenon)));
        expect(inOrder).toBe(true);
      }
      // Phenomena that are not listed have nothing in any of the three periods.
      const p = refPeriods(kind, day);
      for (const s of facts.signals) {
        if (!listed.has(s.phenomenon)) expect([p.current, p.previous, p.lastYear].some((range) => inRange(s.filedOn, range))).toBe(false);
      }
      // The per-type and per-phenomenon counts add up to the total (every signal has a known type).
      for (const k of ['current', 'previous', 'lastYear'] as const) {
        expect(c.byProblemType.reduce((n, t) => n + t[k], 0)).toBe(c.total[k]);
        expect(c.byPhenomenon.reduce((n, t) => n + t[k], 0)).toBe(c.total[k]);
      }
      expect(c.byProblemType.map((t) => t.problemType)).toEqual([...PROBLEM_TYPES]);
      expect(c.casesByPhase.map((t) => t.phase)).toEqual(OPEN_PHASES);
      expect(c.measures.map((m) => m.measure)).toEqual([...MEASURES]);
      expect(c.trend[5].count).toBe(c.total.current);
      expect(c.trend[4].count).toBe(c.total.previous);
      for (let i = 1; i < c.awaiting.length; i++) expect(c.awaiting[i - 1].reference < c.awaiting[i].reference).toBe(true);
      expect([...c.awaiting].sort((a, b) => (a.reference < b.reference ? -1 : 1))).toEqual([...facts.shared].sort((a, b) => (a.reference < b.reference ? -1 : 1)));
    }), { numRuns: 200 });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// briefingSpan

describe('briefingSpan', () => {
  const covered = (span: DateRange[], range: DateRange) => span.some((s) => s.from <= range.from && range.to <= s.to);

  it('week on 2026-11-30: the six trend weeks, and last year\'s week', () => {
    expect(briefingSpan('week', '2026-11-30')).toEqual([r('2026-10-19', '2026-11-29'), r('2025-11-24', '2025-11-30')]);
    expect(briefingSpan('quarter', '2027-01-15')).toEqual([r('2025-07-01', '2026-12-31'), r('2025-10-01', '2025-12-31')]);
  });

  it('property: every range any count uses (trend, current, previous, last year) lies inside a returned range', () => {
    fc.assert(fc.property(kindArb, briefingDayArb, (kind, day) => {
      const date = isoOf(day);
      const span = briefingSpan(kind, date);
      for (const s of span) expect(s.from <= s.to).toBe(true);
      const p = briefingPeriods(kind, date);
      for (const range of [...p.trend, p.current, p.previous, p.lastYear]) expect(covered(span, range)).toBe(true);
      // Also against the model, so a wrong briefingPeriods cannot hide a wrong span.
      const ref = refPeriods(kind, day);
      for (const range of [...ref.trend, ref.current, ref.previous, ref.lastYear]) expect(covered(span, asIso(range))).toBe(true);
    }), { numRuns: 500 });
  });

  it('property: leaving out the signals and measures outside the span changes nothing in the content', () => {
    const signalArb = fc.record({
      filedOn: dayArb('2019-01-01', '2030-12-31').map(isoOf), phenomenon: fc.constantFrom('drugs', 'vastgoed'), problemType: fc.constantFrom(...PROBLEM_TYPES),
    });
    const measureArb = fc.record({ measure: fc.constantFrom(...MEASURES), on: dayArb('2019-01-01', '2030-12-31').map(isoOf) });
    fc.assert(fc.property(kindArb, briefingDayArb, fc.array(signalArb, { maxLength: 300 }), fc.array(measureArb, { maxLength: 100 }), (kind, day, signals, measures) => {
      const date = isoOf(day);
      const span = briefingSpan(kind, date);
      const inSpan = (d: string) => span.some((s) => d >= s.from && d <= s.to);
      const base = { casePhases: [], overdue: 0, shared: [] };
      const all = briefingContent(kind, date, { ...base, signals, measures });
      const spanned = briefingContent(kind, date, { ...base, signals: signals.filter((s) => inSpan(s.filedOn)), measures: measures.filter((m) => inSpan(m.on)) });
      expect(spanned).toEqual(all);
    }), { numRuns: 200 });
  });
});

describe('briefingDueOn', () => {
  it('a week\'s briefing goes out on the configured weekday of the week after it', () => {
    // Monday 30 November 2026 and the days after: the briefing about week 48 is due that Monday (1), or that Wednesday (3).
    expect(briefingDueOn('week', 1, '2026-11-30')).toBe('2026-11-30');
    expect(briefingDueOn('week', 1, '2026-12-04')).toBe('2026-11-30');
    expect(briefingDueOn('week', 3, '2026-11-30')).toBe('2026-12-02');
    // Sunday (0) is the last day of the ISO week.
    expect(briefingDueOn('week', 0, '2026-12-06')).toBe('2026-12-06');
  });

  it('a month\'s or a quarter\'s goes out on the first day of the next one, across a year\'s end too', () => {
    expect(briefingDueOn('month', 1, '2026-11-30')).toBe('2026-11-01');
    expect(briefingDueOn('month', 1, '2027-01-15')).toBe('2027-01-01');
    expect(briefingDueOn('quarter', 1, '2026-11-30')).toBe('2026-10-01');
    expect(briefingDueOn('quarter', 1, '2027-01-01')).toBe('2027-01-01');
  });
});
