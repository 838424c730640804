// The mayor's briefing: a period (week, month, quarter), the one before it and the same one a year earlier, and the
// figures over them. Counts only; the only records are the cases a coordinator shared with the mayor. Pure.
import { CASE_PHASES, MEASURES } from './caseWorkflow.js';
import { PROBLEM_TYPES } from './signalIntake.js';
import { addDays } from './workingDays.js';

export const BRIEFING_PERIODS = ['week', 'month', 'quarter'] as const;
export type BriefingPeriod = (typeof BRIEFING_PERIODS)[number];

export interface DateRange { from: string; to: string }
export interface BriefingPeriods { kind: BriefingPeriod; current: DateRange; previous: DateRange; lastYear: DateRange; trend: DateRange[] }

const monthStart = (y: number, m: number) => new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
const monthEnd = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10);

/** The period `back` periods before the one that contains `date` (back 0: that one itself). */
export function periodOf(kind: BriefingPeriod, date: string, back = 0): DateRange {
  if (kind === 'week') {
    // Monday to Sunday.
    const monday = addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
    const from = addDays(monday, -7 * back);
    return { from, to: addDays(from, 6) };
  }
  const months = kind === 'month' ? 1 : 3;
  const y = Number(date.slice(0, 4));
  const m0 = Number(date.slice(5, 7)) - 1;
  const first = Math.floor(m0 / months) * months - back * months;
  return { from: monthStart(y, first), to: monthEnd(y, first + months - 1) };
}

/**
 * The periods a briefing made on `date` looks at: the last full period before it, the one before that, the same period
 * a year earlier (for a week: 52 weeks back, so weekdays line up), and the last six periods for the trend line.
 */
export function briefingPeriods(kind: BriefingPeriod, date: string): BriefingPeriods {
  const current = periodOf(kind, date, 1);
  const lastYear = kind === 'week' ? { from: addDays(current.from, -364), to: addDays(current.to, -364) }
    : periodOf(kind, `${Number(current.from.slice(0, 4)) - 1}${current.from.slice(4)}`);
  return { kind, current, previous: periodOf(kind, date, 2), lastYear, trend: [6, 5, 4, 3, 2, 1].map((back) => periodOf(kind, date, back)) };
}

/**
 * The day the briefing about the last full period before `today` goes out: the first day of the period in progress
 * (for a week, its `weekday`: 0 Sunday .. 6 Saturday).
 */
export function briefingDueOn(kind: BriefingPeriod, weekday: number, today: string): string {
  const started = addDays(briefingPeriods(kind, today).current.to, 1);
  return kind === 'week' ? addDays(started, (weekday + 6) % 7) : started;
}

export interface BriefingFacts {
  /** The municipality's signals filed in any of the periods: their filing date, phenomenon and problem type. */
  signals: readonly { filedOn: string; phenomenon: string; problemType: string }[];
  /** The phases of the municipality's open cases, now. */
  casePhases: readonly string[];
  /** Measures recorded on cases, and when. */
  measures: readonly { measure: string; on: string }[];
  /** Undecided signals past their decision date, now. */
  overdue: number;
  /** The open cases a coordinator shared with the mayor: what waits for her own decision. */
  shared: readonly { reference: string; title: string; phase: string }[];
}

export interface Comparison { current: number; previous: number; lastYear: number }

export interface BriefingContent {
  periods: BriefingPeriods;
  total: Comparison;
  byPhenomenon: ({ phenomenon: string } & Comparison)[];
  byProblemType: ({ problemType: string } & Comparison)[];
  casesByPhase: { phase: string; count: number }[];
  measures: { measure: string; current: number; previous: number }[];
  trend: { range: DateRange; count: number }[];
  overdue: number;
  awaiting: { reference: string; title: string; phase: string }[];
}

const within = (date: string, r: DateRange) => date >= r.from && date <= r.to;

export type SharedCase = BriefingFacts['shared'][number];

/** The cases awaiting the mayor's decision, in the order the card lists them. */
export const awaitingOf = (shared: readonly SharedCase[]): SharedCase[] => [...shared].sort((a, b) => a.reference.localeCompare(b.reference));

export function briefingContent(kind: BriefingPeriod, date: string, facts: BriefingFacts): BriefingContent {
  const periods = briefingPeriods(kind, date);
  const compare = <T>(items: readonly T[], on: (t: T) => string): Comparison => ({
    current: items.filter((t) => within(on(t), periods.current)).length,
    previous: items.filter((t) => within(on(t), periods.previous)).length,
    lastYear: items.filter((t) => within(on(t), periods.lastYear)).length,
  });
  const onFiled = (s: { filedOn: string }) => s.filedOn;
  const phenomena = [...new Set(facts.signals.map((s) => s.phenomenon))];
  const byPhenomenon = phenomena.map((phenomenon) => ({ phenomenon, ...compare(facts.signals.filter((s) => s.phenomenon === phenomenon), onFiled) }))
    .filter((p) => p.current + p.previous + p.lastYear > 0)
    .sort((a, b) => b.current - a.current || b.previous - a.previous || a.phenomenon.localeCompare(b.phenomenon));
  return {
    periods,
    total: compare(facts.signals, onFiled),
    byPhenomenon,
    byProblemType: PROBLEM_TYPES.map((problemType) => ({ problemType, ...compare(facts.signals.filter((s) => s.problemType === problemType), onFiled) })),
    casesByPhase: CASE_PHASES.filter((p) => p !== 'afgesloten').map((phase) => ({ phase, count: facts.casePhases.filter((p) => p === phase).length })),
    measures: MEASURES.map((measure) => {
      const of = facts.measures.filter((m) => m.measure === measure);
      return { measure, current: of.filter((m) => within(m.on, periods.current)).length, previous: of.filter((m) => within(m.on, periods.previous)).length };
    }),
    trend: periods.trend.map((range) => ({ range, count: facts.signals.filter((s) => within(s.filedOn, range)).length })),
    overdue: facts.overdue,
    awaiting: awaitingOf(facts.shared),
  };
}

/** The days whose signals a briefing on `date` needs: the trend's six periods and last year's one. */
export function briefingSpan(kind: BriefingPeriod, date: string): DateRange[] {
  const p = briefingPeriods(kind, date);
  return [{ from: p.trend[0].from, to: p.current.to }, p.lastYear];
}
