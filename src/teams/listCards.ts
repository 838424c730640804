// Paged lists (10 per card, "meer"), search results and the shared worklist.
import type { Locale } from '../domain/caller.js';
import { CASE_PHASE_LABELS, type CasePhase } from '../domain/caseWorkflow.js';
import { SIGNAL_STATUS_LABELS, type SignalStatus } from '../domain/signalWorkflow.js';
import type { ListItem, Worklist } from '../services/signals.js';
import { compile, escapeMarkdown, type AdaptiveCard } from './cards.js';
import signalListJson from './cards/signalList.json';
import worklistJson from './cards/worklist.json';
import { t } from './strings.js';

/** What a "meer" button asks for again: the same query, the next page. */
export type ListRequest =
  | { list: 'recent' | 'mine' | 'open' | 'overdue' | 'cases'; page: number }
  | { list: 'status' | 'phenomenon' | 'assignee' | 'search'; value: string; label?: string; page: number };

interface ListData {
  title: string; empty: string; footer: string; notAllHere: string; hasMore: boolean; moreTitle: string; more: ListRequest; hasPrevious: boolean; previousTitle: string; previous: ListRequest;
  items: { id: string; kind: string; reference: string; title: string; status: string; subtitle: string; marker: string; markerColor: string }[];
}
const listTemplate = compile<ListData>(signalListJson);

function statusLabel(locale: Locale, item: ListItem): string {
  if (item.kind === 'case') return CASE_PHASE_LABELS[item.status as CasePhase]?.[locale] ?? item.status;
  return SIGNAL_STATUS_LABELS[item.status as SignalStatus]?.[locale] ?? item.status;
}

export function renderList(locale: Locale, request: ListRequest, result: { items: ListItem[]; total: number; page: number; pageSize: number; notAllHere: boolean }): AdaptiveCard {
  const value = 'value' in request ? request.label ?? request.value : '';
  const from = (result.page - 1) * result.pageSize + 1;
  return listTemplate({
    title: t(locale, `list.title.${request.list}`, { value }),
    empty: t(locale, request.list === 'search' ? 'list.noResults' : 'list.empty'),
    footer: t(locale, 'list.page', { from, to: from + result.items.length - 1, total: result.total }),
    notAllHere: result.notAllHere ? t(locale, 'list.notAllHere') : '',
    hasMore: result.page * result.pageSize < result.total,
    moreTitle: t(locale, 'list.more'),
    more: { ...request, page: result.page + 1 },
    hasPrevious: result.page > 1,
    previousTitle: t(locale, 'list.previous'),
    previous: { ...request, page: Math.max(1, result.page - 1) },
    items: result.items.map((i) => ({
      id: i.id, kind: i.kind, reference: i.reference, title: escapeMarkdown(i.title[locale]), status: statusLabel(locale, i), subtitle: i.subtitle,
      marker: i.deadline === 'overdue' ? t(locale, 'list.marker.overdue') : i.deadline === 'overdue3x' ? t(locale, 'list.marker.overdue3x') : '',
      markerColor: i.deadline === 'overdue3x' ? 'Attention' : 'Warning',
    })),
  });
}

interface WorklistData {
  title: string; intro: string;
  /** Rows open their list; not in the mayor's overview, which has nothing to open. */
  drill: boolean;
  groups: { title: string; rows: { label: string; count: string; query: ListRequest }[] }[];
}
const worklistTemplate = compile<WorklistData>(worklistJson);

type WorklistGroup = WorklistData['groups'][number];

export function renderWorklist(locale: Locale, w: Worklist): AdaptiveCard {
  const groups: WorklistGroup[] = [
      { title: t(locale, 'worklist.overdue'), rows: [{ label: t(locale, 'worklist.overdueRow'), count: String(w.overdue), query: { list: 'overdue', page: 1 } }] },
      { title: t(locale, 'worklist.byStatus'), rows: w.byStatus.map((r) => ({ label: SIGNAL_STATUS_LABELS[r.status as SignalStatus]?.[locale] ?? r.status, count: String(r.count),
        query: { list: 'status', value: r.status, label: SIGNAL_STATUS_LABELS[r.status as SignalStatus]?.[locale], page: 1 } })) },
      { title: t(locale, 'worklist.byPhenomenon'), rows: w.byPhenomenon.map((r) => ({ label: r.phenomenon[locale], count: String(r.count),
        query: { list: 'phenomenon', value: r.phenomenon.code, label: r.phenomenon[locale], page: 1 } })) },
      { title: t(locale, 'worklist.byAssignee'), rows: w.byAssignee.map((r) => ({ label: r.name ?? t(locale, 'signal.unassigned'), count: String(r.count),
        query: { list: 'assignee', value: r.aadObjectId ?? '', label: r.name ?? t(locale, 'signal.unassigned'), page: 1 } })) },
  ];
  return worklistTemplate({
    title: t(locale, w.aggregateOnly ? 'worklist.mayorTitle' : 'worklist.title'), intro: t(locale, w.aggregateOnly ? 'worklist.mayorIntro' : 'worklist.intro'),
    drill: !w.aggregateOnly, groups: groups.filter((g) => g.rows.length > 0),
  });
}
