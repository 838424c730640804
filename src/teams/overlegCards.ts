// The overleg's cards: the agenda and the running overleg (one card, refreshed per viewer: the chair and coordinator
// get the buttons), the decision form, the minutes and `mijn acties`.
import { randomUUID } from 'node:crypto';
import type { Locale } from '../domain/caller.js';
import { CASE_PHASE_LABELS, type CasePhase } from '../domain/caseWorkflow.js';
import { ACTION_LIMITS, type DecisionDraft, type DecisionError, type DecisionKind } from '../domain/overleg.js';
import { PARTNER_LABELS, PARTNERS, type Partner } from '../domain/signalWorkflow.js';
import type { MyAction } from '../services/actionItems.js';
import type { AgendaItemView, DecisionView, OverlegView } from '../services/agenda.js';
import type { DecisionFormData, MinutesView } from '../services/decisions.js';
import { compile, escapeMarkdown, type AdaptiveCard, type Choice } from './cards.js';
import actionListJson from './cards/actionList.json';
import decisionFormJson from './cards/decisionForm.json';
import minutesJson from './cards/minutes.json';
import overlegJson from './cards/overleg.json';
import { formatDate, formatTime, t, type StringKey } from './strings.js';

const weekday = (locale: Locale, date: string) => new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
const kindLabel = (locale: Locale, kind: DecisionKind) => t(locale, `decision.kind.${kind}`);
const partnerLabel = (locale: Locale, p: Partner | null) => (p ? ` (${PARTNER_LABELS[p][locale]})` : '');

interface OverlegCardData {
  notice: string; noticeColor: string; title: string; subtitle: string; state: string; empty: string; removed: string;
  items: { id: string; heading: string; facts: string; decisions: { text: string; color: string }[]; decidable: boolean; decideTitle: string }[];
  hasFigures: boolean;
  figures: { title: string; totals: Fact[]; byPhenomenonTitle: string; byPhenomenon: Fact[]; byAreaTitle: string; byArea: Fact[]; casesTitle: string; cases: Fact[] };
  mayEdit: boolean; mayDecide: boolean; mayStart: boolean; closed: boolean; sober: boolean; occurrenceId: string;
  labels: Record<'up' | 'down' | 'remove' | 'addLabel' | 'add' | 'start' | 'finish' | 'finishQuestion' | 'finishConfirm' | 'minutes' | 'refresh', string>;
}
interface Fact { title: string; value: string }
const overlegTemplate = compile<OverlegCardData>(overlegJson);

function decisionLines(locale: Locale, decisions: readonly DecisionView[]): { text: string; color: string }[] {
  return decisions.map((d) => {
    if (d.correctedById !== null) return { text: t(locale, 'overleg.decision.corrected', { kind: kindLabel(locale, d.kind), by: d.by, time: formatTime(locale, d.at) }), color: 'Default' };
    const actions = d.actions.length > 0 ? ` ${t(locale, 'overleg.decision.actions', { actions: d.actions.map((a) => `${a.text} (${a.owner}, ${formatDate(locale, a.dueOn)})`).join('; ') })}` : '';
    return { text: t(locale, 'overleg.decision', { kind: kindLabel(locale, d.kind), partner: partnerLabel(locale, d.partner), by: d.by, time: formatTime(locale, d.at),
      text: d.text ? ` ${d.text}` : '' }) + actions, color: 'Good' };
  });
}

/** Our own numbered heading (its TextBlock is marked as our markdown); the titles in it are what people typed. */
function itemHeading(locale: Locale, item: AgendaItemView, sober: boolean): string {
  if (!item.visible) return t(locale, 'overleg.masked', { number: item.number });
  if (item.kind === 'action') return t(locale, 'overleg.item.action', { number: item.number, title: escapeMarkdown(sober ? item.summary[locale] : item.title[locale]) });
  if (sober) return t(locale, 'overleg.item.chat', { number: item.number, reference: item.reference, summary: escapeMarkdown(item.summary[locale]) });
  return t(locale, 'overleg.item', { number: item.number, reference: item.reference, title: escapeMarkdown(item.title[locale]) });
}

function itemFacts(locale: Locale, item: AgendaItemView): string {
  if (!item.visible) return '';
  const facts = item.facts.map((f) => t(locale, `overleg.fact.${f.label}` as StringKey, { value: /^\d{4}-\d{2}-\d{2}$/.test(f.value) ? formatDate(locale, f.value) : f.value }));
  return [item.state[locale], ...facts].filter(Boolean).join(' · ');
}

export interface OverlegCardOptions {
  notice?: string;
  tone?: 'good' | 'attention';
  /** For a meeting chat, where partners read along: per item only its reference and a summary (no facts, no decisions). */
  sober?: boolean;
  /** Teams user ids whose clients refresh the card into their own (Universal Actions; at most 60). */
  refreshUserIds?: readonly string[];
}

/** The agenda before the overleg, the overleg while it runs, and afterwards: one card, its state decides what it offers. */
export function renderOverlegCard(locale: Locale, v: OverlegView, opts: OverlegCardOptions = {}): AdaptiveCard {
  const sober = opts.sober ?? false;
  const meetingKind = t(locale, `meeting.kind.${v.kind}`);
  const f = v.figures;
  const card = overlegTemplate({
    notice: opts.notice ?? '', noticeColor: opts.tone === 'attention' ? 'Attention' : 'Good',
    title: t(locale, v.started ? 'overleg.title' : 'overleg.agendaTitle', { kind: meetingKind, title: v.title }),
    subtitle: t(locale, 'overleg.subtitle', { scope: v.scopeName, when: `${weekday(locale, v.date)} ${formatDate(locale, v.date)}, ${v.startTime}` }),
    state: t(locale, v.closed ? 'overleg.state.closed' : v.started ? 'overleg.state.running' : 'overleg.state.planned'),
    empty: v.operational && v.items.length === 0 ? t(locale, 'overleg.empty') : '',
    removed: v.removed > 0 && v.mayEdit ? t(locale, 'overleg.removed', { count: v.removed }) : '',
    items: v.items.map((item) => {
      const standing = item.decisions.some((d) => d.correctedById === null);
      return { id: item.id, heading: itemHeading(locale, item, sober), facts: sober ? '' : itemFacts(locale, item), decisions: sober ? [] : decisionLines(locale, item.decisions),
        decidable: item.visible, decideTitle: t(locale, standing ? 'overleg.correct' : 'overleg.decide') };
    }),
    hasFigures: f !== null,
    figures: {
      title: f ? t(locale, 'overleg.figures.title', { from: formatDate(locale, f.period.from), to: formatDate(locale, f.period.to), prevFrom: formatDate(locale, f.previous.from),
        prevTo: formatDate(locale, f.previous.to) }) : '',
      totals: f ? [{ title: t(locale, 'overleg.figures.total'), value: t(locale, 'overleg.figures.row', { current: f.total.current, previous: f.total.previous }) }] : [],
      byPhenomenonTitle: t(locale, 'overleg.figures.byPhenomenon'),
      byPhenomenon: f ? f.byPhenomenon.map((p) => ({ title: p.label, value: t(locale, 'overleg.figures.row', { current: p.current, previous: p.previous }) })) : [],
      byAreaTitle: t(locale, 'overleg.figures.byArea'),
      byArea: f ? f.byArea.map((a) => ({ title: a.area, value: String(a.count) })) : [],
      casesTitle: t(locale, 'overleg.figures.cases'),
      cases: f ? f.casesByPhase.map((c) => ({ title: CASE_PHASE_LABELS[c.phase as CasePhase]?.[locale] ?? c.phase, value: String(c.count) })) : [],
    },
    mayEdit: v.mayEdit && !sober, mayDecide: v.mayDecide && !sober, mayStart: v.mayStart && !sober, closed: v.closed && !sober, sober,
    occurrenceId: v.occurrenceId,
    labels: {
      up: t(locale, 'overleg.up'), down: t(locale, 'overleg.down'), remove: t(locale, 'overleg.remove'), addLabel: t(locale, 'overleg.addLabel'), add: t(locale, 'overleg.add'),
      start: t(locale, 'overleg.start'), finish: t(locale, 'overleg.finish'), finishQuestion: t(locale, 'overleg.finishQuestion'), finishConfirm: t(locale, 'overleg.finishConfirm'),
      minutes: t(locale, 'minutes.export'),
      // Where a client does not refresh by itself (or the channel has over 60 members): your own view, by hand.
      refresh: t(locale, 'overleg.refreshButton'),
    },
  });
  const userIds = (opts.refreshUserIds ?? []).slice(0, 60);
  if (userIds.length > 0 && !sober) card.refresh = { action: { type: 'Action.Execute', verb: 'overleg.refresh', data: { occurrenceId: v.occurrenceId } }, userIds };
  return card;
}

// ---------------------------------------------------------------------------------------------------------------

interface DecisionFormCard {
  title: string; heading: string; facts: string; correcting: string; hasErrors: boolean; errorSummary: string; requiredText: string; today: string;
  kinds: Choice[]; partners: Choice[]; members: Choice[]; showDue: boolean;
  values: { kind: string; partner: string; text: string; newDueOn: string };
  errors: Record<'kind' | 'partner' | 'text' | 'newDueOn', string>;
  actions: { textId: string; ownerId: string; dueId: string; text: string; owner: string; due: string; error: string }[];
  labels: Record<'kind' | 'partner' | 'text' | 'newDueOn' | 'actions' | 'actionText' | 'actionOwner' | 'actionDue' | 'submit' | 'back', string>;
  itemId: string; version: string; correctsId: string; nonce: string; occurrenceId: string;
}
const decisionFormTemplate = compile<DecisionFormCard>(decisionFormJson);

export function emptyDecisionDraft(): DecisionDraft {
  return { kind: '', partner: '', text: '', newDueOn: '', actions: [1, 2, 3].map(() => ({ text: '', ownerAadId: '', dueOn: '' })) };
}

function decisionErrorText(locale: Locale, e: DecisionError): string {
  if (['reasonRequired', 'reasonTooLong', 'incomplete', 'unknownMember', 'inThePast'].includes(e.code)) return t(locale, `decision.error.${e.code}` as StringKey);
  // Only an action item's text has a length to keep to.
  return t(locale, `error.${e.code}` as StringKey, { limit: e.code === 'tooShort' ? ACTION_LIMITS.text.min : ACTION_LIMITS.text.max });
}

export function renderDecisionForm(locale: Locale, form: DecisionFormData, opts: { today: string; draft?: DecisionDraft; errors?: readonly DecisionError[]; nonce?: string }): AdaptiveCard {
  const item = form.view.items.find((i) => i.id === form.itemId) as AgendaItemView;
  const draft = opts.draft ?? emptyDecisionDraft();
  const errorOf = (field: string) => { const e = opts.errors?.find((x) => x.field === field); return e ? decisionErrorText(locale, e) : ''; };
  return decisionFormTemplate({
    title: t(locale, 'decision.form.title', { number: item.number }), heading: itemHeading(locale, item, false), facts: itemFacts(locale, item),
    correcting: form.correcting ? t(locale, 'decision.form.correcting', { kind: kindLabel(locale, form.correcting.kind), by: form.correcting.by }) : '',
    hasErrors: (opts.errors?.length ?? 0) > 0, errorSummary: t(locale, 'decision.form.hasErrors'), requiredText: t(locale, 'error.required'), today: opts.today,
    kinds: item.choices.map((k) => ({ title: kindLabel(locale, k), value: k })),
    partners: PARTNERS.map((p) => ({ title: PARTNER_LABELS[p][locale], value: p })),
    members: form.members.map((m) => ({ title: m.name, value: m.aadObjectId })),
    showDue: item.choices.includes('verlengen'),
    values: { kind: draft.kind, partner: draft.partner, text: draft.text, newDueOn: draft.newDueOn },
    errors: { kind: errorOf('kind'), partner: errorOf('partner'), text: errorOf('text'), newDueOn: errorOf('newDueOn') },
    actions: [0, 1, 2].map((i) => ({ textId: `action${i + 1}Text`, ownerId: `action${i + 1}Owner`, dueId: `action${i + 1}Due`,
      text: draft.actions[i]?.text ?? '', owner: draft.actions[i]?.ownerAadId ?? '', due: draft.actions[i]?.dueOn ?? '', error: errorOf(`action${i + 1}`) })),
    labels: {
      kind: t(locale, 'decision.label.kind'), partner: t(locale, 'decision.label.partner'), text: t(locale, 'decision.label.text'), newDueOn: t(locale, 'decision.label.newDueOn'),
      actions: t(locale, 'decision.label.actions'), actionText: t(locale, 'decision.label.actionText'), actionOwner: t(locale, 'decision.label.actionOwner'),
      actionDue: t(locale, 'decision.label.actionDue'), submit: t(locale, 'decision.submit'), back: t(locale, 'decision.back'),
    },
    itemId: item.id, version: String(item.version), correctsId: form.correcting?.id ?? '', nonce: opts.nonce ?? randomUUID(), occurrenceId: form.view.occurrenceId,
  });
}

/** The form's fields back into a draft (what Teams sends with the submit). */
export function decisionDraftOf(fields: Record<string, string>): DecisionDraft {
  return {
    kind: fields.kind ?? '', partner: fields.partner ?? '', text: fields.text ?? '', newDueOn: fields.newDueOn ?? '',
    actions: [1, 2, 3].map((i) => ({ text: fields[`action${i}Text`] ?? '', ownerAadId: fields[`action${i}Owner`] ?? '', dueOn: fields[`action${i}Due`] ?? '' })),
  };
}
export const DECISION_FORM_FIELDS = ['kind', 'partner', 'text', 'newDueOn', ...[1, 2, 3].flatMap((i) => [`action${i}Text`, `action${i}Owner`, `action${i}Due`])] as const;

// ---------------------------------------------------------------------------------------------------------------

interface MinutesCard {
  notice: string; title: string; subtitle: string; decisionsTitle: string; noDecisions: string; actionsTitle: string; noActions: string; exportTitle: string; occurrenceId: string;
  decisions: { heading: string; text: string; color: string }[];
  actions: { text: string }[];
}
const minutesTemplate = compile<MinutesCard>(minutesJson);

export function renderMinutesCard(locale: Locale, m: MinutesView, notice = ''): AdaptiveCard {
  return minutesTemplate({
    notice, title: t(locale, 'minutes.title', { kind: t(locale, `meeting.kind.${m.kind}` as StringKey), title: m.title }),
    subtitle: `${m.scopeName} · ${weekday(locale, m.date)} ${formatDate(locale, m.date)}`,
    decisionsTitle: t(locale, 'minutes.decisions'), noDecisions: t(locale, 'minutes.none'), actionsTitle: t(locale, 'minutes.actions'), noActions: t(locale, 'minutes.noActions'),
    exportTitle: t(locale, 'minutes.export'), occurrenceId: m.occurrenceId,
    decisions: m.decisions.map((d) => ({
      heading: `${d.number}. ${d.reference ? `${d.reference} · ` : ''}${kindLabel(locale, d.kind)}${partnerLabel(locale, d.partner as Partner | null)}`
        + `${d.correction ? t(locale, 'minutes.correction') : ''}${d.corrected ? t(locale, 'minutes.corrected') : ''}`,
      text: [d.title[locale], d.text ?? '', `${d.by}, ${formatTime(locale, d.at)}`].filter(Boolean).join(' · '),
      color: d.corrected ? 'Default' : 'Good',
    })),
    actions: m.actions.map((a) => ({ text: t(locale, 'minutes.action', { text: a.text, owner: a.owner, date: formatDate(locale, a.dueOn), reference: a.reference ? ` · ${a.reference}` : '' }) })),
  });
}

// ---------------------------------------------------------------------------------------------------------------

interface ActionListCard {
  notice: string; noticeColor: string; title: string; empty: string; completeTitle: string; noteLabel: string; confirmTitle: string;
  rows: { id: string; noteId: string; text: string; detail: string; color: string }[];
}
const actionListTemplate = compile<ActionListCard>(actionListJson);

export const noteFieldOf = (actionId: string) => `note_${actionId}`;

export function renderActionList(locale: Locale, actions: readonly MyAction[], notice?: { text: string; tone: 'good' | 'attention' }): AdaptiveCard {
  return actionListTemplate({
    notice: notice?.text ?? '', noticeColor: notice?.tone === 'attention' ? 'Attention' : 'Good', title: t(locale, 'actions.title'), empty: t(locale, 'actions.empty'),
    completeTitle: t(locale, 'actions.complete'), noteLabel: t(locale, 'actions.note'), confirmTitle: t(locale, 'actions.confirm'),
    rows: actions.map((a) => ({
      id: a.id, noteId: noteFieldOf(a.id), text: a.text,
      detail: [t(locale, a.overdue ? 'actions.overdue' : 'actions.due', { date: formatDate(locale, a.dueOn) }), a.reference ?? '', a.scopeName].filter(Boolean).join(' · '),
      color: a.overdue ? 'Attention' : 'Default',
    })),
  });
}
