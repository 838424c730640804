// The mayor's cards: the briefing (native Adaptive Card charts, each with a table as its fallback for clients without
// charts; Dutch number and date formats) and the crisis alert with Gelezen and Bel mij.
import type { Locale } from '../domain/caller.js';
import { CASE_PHASE_LABELS, MEASURE_LABELS, type CasePhase, type Measure } from '../domain/caseWorkflow.js';
import type { DateRange } from '../domain/briefing.js';
import type { BriefingView } from '../services/briefings.js';
import type { AlertView } from '../services/crisis.js';
import { compile, type AdaptiveCard } from './cards.js';
import briefingJson from './cards/briefing.json';
import crisisJson from './cards/crisis.json';
import { formatDate, formatDateTime, formatTime, t, type StringKey } from './strings.js';

const numberFormat = (locale: Locale) => new Intl.NumberFormat(locale === 'nl' ? 'nl-NL' : 'en-GB');
/** ISO week number of a date: the week holding its Thursday, counted from the week holding 4 January. */
function isoWeek(date: string): number {
  const d = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * 86_400_000);
  const fourthOfJanuary = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  return 1 + Math.round(((thursday.getTime() - fourthOfJanuary.getTime()) / 86_400_000 - 3 + ((fourthOfJanuary.getUTCDay() + 6) % 7)) / 7);
}

/** A period as a label: "wk 47", "nov 2026", "K4 2026". */
function periodLabel(locale: Locale, kind: string, r: DateRange): string {
  if (kind === 'week') return `wk ${isoWeek(r.from)}`;
  if (kind === 'month') return new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${r.from}T00:00:00Z`));
  return `${locale === 'nl' ? 'K' : 'Q'}${Math.floor(Number(r.from.slice(5, 7)) / 3) + 1} ${r.from.slice(0, 4)}`;
}

interface Fact { title: string; value: string }
interface Row { label: string; current: string; previous: string; lastYear: string }
interface BriefingCard {
  notice: string; title: string; subtitle: string; headline: Fact[];
  phenomenonBars: { x: string; y: number }[]; phenomenonRows: Row[]; problemRows: Row[];
  trendLines: { legend: string; values: { x: string; y: number }[] }[]; trendRows: { label: string; count: string }[];
  phaseSlices: { legend: string; value: number }[]; phaseRows: { label: string; count: string }[];
  measureFacts: Fact[]; awaiting: { text: string }[]; noneAwaiting: string; footer: string;
  labels: Record<'byPhenomenon' | 'phenomenon' | 'signals' | 'current' | 'previous' | 'lastYear' | 'byProblemType' | 'problemType' | 'trend' | 'period' | 'cases' | 'phase'
    | 'count' | 'measures' | 'awaiting' | 'noSignals' | 'noCases', string>;
}
const briefingTemplate = compile<BriefingCard>(briefingJson);

export function renderBriefingCard(locale: Locale, v: BriefingView, notice = ''): AdaptiveCard {
  const c = v.content;
  const p = c.periods;
  const n = (x: number) => numberFormat(locale).format(x);
  const compare = (x: { current: number; previous: number; lastYear: number }) => t(locale, 'briefing.compare', { current: n(x.current), previous: n(x.previous), lastYear: n(x.lastYear) });
  const title = p.kind === 'week'
    ? t(locale, 'briefing.title.week', { municipality: v.municipality, week: isoWeek(p.current.from), from: formatDate(locale, p.current.from), to: formatDate(locale, p.current.to) })
    : p.kind === 'month'
      ? t(locale, 'briefing.title.month', { municipality: v.municipality,
        month: new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${p.current.from}T00:00:00Z`)) })
      : t(locale, 'briefing.title.quarter', { municipality: v.municipality, quarter: Math.floor(Number(p.current.from.slice(5, 7)) / 3) + 1, year: p.current.from.slice(0, 4) });
  const phenomenon = (code: string) => v.phenomena[code]?.[locale] ?? code;
  const phaseLabel = (phase: string) => CASE_PHASE_LABELS[phase as CasePhase]?.[locale] ?? phase;
  return briefingTemplate({
    notice, title, subtitle: t(locale, 'briefing.subtitle'),
    headline: [{ title: t(locale, 'briefing.headline.total'), value: compare(c.total) }, { title: t(locale, 'briefing.headline.overdue'), value: n(c.overdue) }],
    // A chart of nothing but zeros reads as data (a full ring, a flat bar): it says so in words instead.
    phenomenonBars: c.byPhenomenon.some((x) => x.current > 0) ? c.byPhenomenon.map((x) => ({ x: phenomenon(x.phenomenon), y: x.current })) : [],
    phenomenonRows: c.byPhenomenon.map((x) => ({ label: phenomenon(x.phenomenon), current: n(x.current), previous: n(x.previous), lastYear: n(x.lastYear) })),
    problemRows: c.byProblemType.map((x) => ({ label: t(locale, `briefing.problem.${x.problemType}` as StringKey), current: n(x.current), previous: n(x.previous), lastYear: n(x.lastYear) })),
    trendLines: [{ legend: t(locale, 'briefing.label.signals'), values: c.trend.map((x) => ({ x: periodLabel(locale, p.kind, x.range), y: x.count })) }],
    trendRows: c.trend.map((x) => ({ label: periodLabel(locale, p.kind, x.range), count: n(x.count) })),
    phaseSlices: c.casesByPhase.some((x) => x.count > 0) ? c.casesByPhase.map((x) => ({ legend: phaseLabel(x.phase), value: x.count })) : [],
    phaseRows: c.casesByPhase.map((x) => ({ label: phaseLabel(x.phase), count: n(x.count) })),
    measureFacts: c.measures.filter((m) => m.measure !== 'anders').map((m) => ({ title: MEASURE_LABELS[m.measure as Measure]?.[locale] ?? m.measure, value: n(m.current) })),
    awaiting: c.awaiting.map((a) => ({ text: `${a.reference} · ${a.title} · ${phaseLabel(a.phase)}` })),
    noneAwaiting: t(locale, 'briefing.noneAwaiting'),
    footer: t(locale, 'briefing.footer', { at: formatDateTime(locale, v.madeAt) }),
    labels: {
      byPhenomenon: t(locale, 'briefing.label.byPhenomenon'), phenomenon: t(locale, 'briefing.label.phenomenon'), signals: t(locale, 'briefing.label.signals'),
      current: t(locale, 'briefing.label.current'), previous: t(locale, 'briefing.label.previous'), lastYear: t(locale, 'briefing.label.lastYear'),
      byProblemType: t(locale, 'briefing.label.byProblemType'), problemType: t(locale, 'briefing.label.problemType'), trend: t(locale, 'briefing.label.trend'),
      period: t(locale, 'briefing.label.period'), cases: t(locale, 'briefing.label.cases'), phase: t(locale, 'briefing.label.phase'), count: t(locale, 'briefing.label.count'),
      measures: t(locale, 'briefing.label.measures'), awaiting: t(locale, 'briefing.label.awaiting'),
      noSignals: t(locale, 'briefing.noSignals'), noCases: t(locale, 'briefing.noCases'),
    },
  });
}

interface CrisisCard {
  notice: string; banner: string; title: string; facts: Fact[]; acks: string; explain: string; readTitle: string; callTitle: string; alertId: string;
}
const crisisTemplate = compile<CrisisCard>(crisisJson);

export function renderCrisisCard(locale: Locale, a: AlertView, notice = ''): AdaptiveCard {
  const s = a.summary;
  return crisisTemplate({
    notice, banner: t(locale, 'crisis.banner'),
    title: t(locale, 'crisis.title', { phenomenon: a.phenomena[s.phenomenon]?.[locale] ?? s.phenomenon, place: s.place }),
    facts: [
      { title: t(locale, 'crisis.fact.reference'), value: s.reference }, { title: t(locale, 'crisis.fact.channel'), value: s.scopeName },
      { title: t(locale, 'crisis.fact.at'), value: formatDateTime(locale, a.createdAt) },
    ],
    acks: a.acks.map((k) => t(locale, k.kind === 'read' ? 'crisis.ack.read' : 'crisis.ack.call', { name: k.name, time: formatTime(locale, k.at) })).join(' · '),
    explain: t(locale, 'crisis.explain'), readTitle: t(locale, 'crisis.read'), callTitle: t(locale, 'crisis.call'), alertId: a.id,
  });
}
