// The journal card (latest entries, corrections beside what they correct, paging, export) and the entry form
// (inside the card, on its own after errors, and as a dialog).
import { randomUUID } from 'node:crypto';
import type { Locale } from '../domain/caller.js';
import { USER_ENTRY_KINDS, type EntryDraft, type EntryError, type EntryField } from '../domain/journal.js';
import type { JournalPage } from '../services/journal.js';
import { compile, label, optionChoices, type AdaptiveCard, type Choice } from './cards.js';
import journalJson from './cards/journal.json';
import journalEntryFormJson from './cards/journalEntryForm.json';
import { formatDateTime, t, type StringKey } from './strings.js';

const ENTRY_FIELDS: readonly EntryField[] = ['kind', 'text', 'occurredOn', 'occurredTime', 'source', 'sourceReliability', 'informationReliability', 'legalBasis', 'links'];

interface EntryFormData {
  mode: 'inline' | 'dialog' | 'embedded';
  showTitle: boolean; title: string; hasErrors: boolean; errorSummary: string;
  kinds: Choice[]; sourceReliabilities: Choice[]; informationReliabilities: Choice[]; legalBases: Choice[];
  labels: Record<string, string>; placeholders: { links: string };
  values: EntryDraft; errors: Record<EntryField, string>;
  today: string; reference: string; dossierId: string; nonce: string;
}
const entryFormTemplate = compile<EntryFormData>(journalEntryFormJson);

export function entryErrorText(locale: Locale, e: EntryError): string {
  if (e.code === 'invalidLink') return t(locale, 'journal.error.invalidLink');
  return t(locale, `error.${e.code}` as StringKey, e.limit === undefined ? {} : { limit: e.limit });
}

export function renderEntryForm(locale: Locale, page: JournalPage, opts: { mode: 'inline' | 'dialog' | 'embedded'; today: string; draft?: EntryDraft; errors?: readonly EntryError[]; nonce?: string }): AdaptiveCard {
  const errors = Object.fromEntries(ENTRY_FIELDS.map((f) => [f, ''])) as Record<EntryField, string>;
  for (const e of opts.errors ?? []) if (errors[e.field] === '') errors[e.field] = entryErrorText(locale, e);
  const labels: Record<string, string> = Object.fromEntries(ENTRY_FIELDS.map((f) => [f, label(locale, `journal.${f}`)]));
  return entryFormTemplate({
    mode: opts.mode,
    showTitle: opts.mode !== 'embedded',
    title: t(locale, 'journal.formTitle', { reference: page.dossier.reference }),
    hasErrors: (opts.errors?.length ?? 0) > 0,
    errorSummary: t(locale, 'form.hasErrors'),
    kinds: USER_ENTRY_KINDS.map((k) => ({ title: label(locale, `kind.${k}`), value: k })),
    sourceReliabilities: optionChoices(locale, 'sourceReliability', ['A', 'B', 'C', 'D']),
    informationReliabilities: optionChoices(locale, 'informationReliability', ['1', '2', '3', '4']),
    legalBases: page.legalBases.map((b) => ({ title: b[locale], value: b.code })),
    labels: { ...labels, submit: t(locale, 'journal.add'), openDialog: t(locale, 'form.openDialog') },
    placeholders: { links: t(locale, 'journal.links.placeholder') },
    values: opts.draft ?? { kind: 'handeling', text: '', occurredOn: opts.today, occurredTime: '', source: '', sourceReliability: '', informationReliability: '', legalBasis: '', links: '' },
    errors,
    today: opts.today,
    reference: page.dossier.reference,
    dossierId: page.dossier.id,
    nonce: opts.nonce ?? randomUUID(),
  });
}

interface JournalCardData {
  notice: string; noticeColor: string; title: string; subtitle: string; empty: string; footer: string; reference: string; dossierId: string;
  entries: { sequence: number; heading: string; corrects: string; text: string; meta: string; corrections: string[]; mayCorrect: boolean;
    correctTitle: string; correctLabel: string; correctError: string; correctConfirm: string; reference: string; dossierId: string; nonce: string; draft: string }[];
  hasOlder: boolean; olderTitle: string; olderPage: number; hasNewer: boolean; newerTitle: string; newerPage: number;
  export: { enabled: boolean; title: string; intro: string; recipientLabel: string; recipientError: string; legalBasisLabel: string; confirm: string; legalBases: Choice[] };
}
const journalTemplate = compile<JournalCardData>(journalJson);

/** `correction`: a refused correction's text, shown again in its entry's form. */
export function renderJournalCard(locale: Locale, page: JournalPage, opts: { today: string; notice?: string; tone?: 'good' | 'attention'; correction?: { sequence: number; text: string } }): AdaptiveCard {
  const from = (page.page - 1) * page.pageSize + 1;
  const card = journalTemplate({
    notice: opts.notice ?? '',
    noticeColor: opts.tone === 'attention' ? 'Attention' : 'Good',
    title: t(locale, 'journal.title', { reference: page.dossier.reference }),
    subtitle: page.dossier.title,
    empty: t(locale, 'journal.empty'),
    footer: t(locale, 'journal.footer', { from, to: from + page.entries.length - 1, total: page.total }),
    reference: page.dossier.reference,
    dossierId: page.dossier.id,
    entries: page.entries.map((e) => ({
      sequence: e.sequence,
      heading: `#${e.sequence} · ${label(locale, `kind.${e.kind}`)} · ${formatDateTime(locale, e.occurredAt)} · ${t(locale, 'journal.by', { author: e.authorName })}`,
      corrects: e.correctsSequence ? t(locale, 'journal.corrects', { sequence: e.correctsSequence }) : '',
      text: e.text,
      meta: [
        e.source ? t(locale, 'journal.meta.source', { source: e.source }) : '',
        e.reliability ? t(locale, 'journal.meta.reliability', { value: e.reliability }) : '',
        e.legalBasis ? t(locale, 'journal.meta.basis', { basis: page.legalBases.find((b) => b.code === e.legalBasis)?.[locale] ?? e.legalBasis }) : '',
        e.links.length > 0 ? t(locale, 'journal.meta.links', { links: e.links.join(', ') }) : '',
        t(locale, 'journal.recorded', { date: formatDateTime(locale, e.recordedAt) }),
      ].filter(Boolean).join(' · '),
      corrections: e.corrections.map((c) => t(locale, 'journal.correction', { sequence: c.sequence, author: c.authorName, date: formatDateTime(locale, c.recordedAt), text: c.text })),
      mayCorrect: page.mayWrite && e.kind !== 'statuswijziging',
      correctTitle: t(locale, 'journal.correct'), correctLabel: t(locale, 'journal.correctLabel'), correctError: t(locale, 'journal.correctError'),
      correctConfirm: t(locale, 'action.confirm'), reference: page.dossier.reference, dossierId: page.dossier.id, nonce: randomUUID(),
      draft: opts.correction?.sequence === e.sequence ? opts.correction.text : '',
    })),
    hasOlder: page.page * page.pageSize < page.total, olderTitle: t(locale, 'journal.older'), olderPage: page.page + 1,
    hasNewer: page.page > 1, newerTitle: t(locale, 'journal.newer'), newerPage: page.page - 1,
    export: {
      enabled: page.mayExport, title: t(locale, 'export.title'), intro: t(locale, 'export.intro'), recipientLabel: t(locale, 'export.recipient'),
      recipientError: t(locale, 'export.recipientError'), legalBasisLabel: t(locale, 'export.legalBasis'), confirm: t(locale, 'export.confirm'),
      legalBases: page.legalBases.map((b) => ({ title: b[locale], value: b.code })),
    },
  });
  // The add form is the same template as the stand-alone and dialog form, embedded as a ShowCard.
  if (page.mayWrite) {
    const form = renderEntryForm(locale, page, { mode: 'embedded', today: opts.today });
    card.actions = [{ type: 'Action.ShowCard', title: t(locale, 'journal.add'), card: form }, ...(card.actions ?? [])];
  }
  return card;
}
