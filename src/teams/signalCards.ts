// The signal form and the signal card (Universal Actions: refreshed per viewer, buttons by role).
import { randomUUID } from 'node:crypto';
import type { Locale } from '../domain/caller.js';
import {
  CONFIDENTIALITY_LEVELS, INFORMATION_RELIABILITIES, LIMITS, PROBLEM_TYPES, SIGNAL_FIELDS, SOURCE_NATURES, SOURCE_RELIABILITIES, SOURCE_TYPES,
  URGENCIES, emptyDraft, type FieldError, type SignalDraft, type SignalField,
} from '../domain/signalIntake.js';
import { PARTNERS, PARTNER_LABELS, SIGNAL_STATUS_LABELS } from '../domain/signalWorkflow.js';
import type { FormScope, SignalDetail } from '../services/signals.js';
import { compile, escapeMarkdown, label, markdownUrl, optionChoices, type AdaptiveCard, type Choice } from './cards.js';
import signalJson from './cards/signal.json';
import signalFormJson from './cards/signalForm.json';
import { formatDate, formatDateTime, t, type StringKey } from './strings.js';

type FormMode = 'inline' | 'dialog' | 'extension';

interface SignalFormData {
  mode: FormMode;
  title: string; intro: string; source: string; confidential: string;
  hasErrors: boolean; errorSummary: string;
  showScopeChoice: boolean; showSubjects: boolean; allowBsn: boolean;
  choices: Record<string, Choice[]>;
  labels: Record<string, string>;
  placeholders: Record<string, string>;
  headings: Record<string, string>;
  subjectsHint: string;
  values: SignalDraft;
  errors: Record<SignalField, string>;
  limits: { description: number; street: number; place: number; name: number };
  today: string;
  nonce: string;
  sourceUrl: string; sourceAuthor: string;
}
const signalFormTemplate = compile<SignalFormData>(signalFormJson);

export interface SignalFormInput {
  mode: FormMode;
  scopes: readonly FormScope[];
  fixedScopeId: string | undefined;
  today: string;
  draft?: Partial<SignalDraft>;
  errors?: readonly FieldError[];
  /** Kept across a re-render with errors so that a later repeat is still recognised as the same submit. */
  nonce?: string;
  fromMessage?: { url: string; author: string };
}

const POSTCODE_EXAMPLE = { NL: '1234 AB', BE: '1000' } as const;

export function fieldErrorText(locale: Locale, e: FieldError): string {
  const params: Record<string, string | number> = e.limit === undefined ? {} : { limit: e.limit };
  if (e.code === 'invalidPostcode') params.example = POSTCODE_EXAMPLE[e.limit === 'BE' ? 'BE' : 'NL'];
  return t(locale, `error.${e.code}` as StringKey, params);
}

const FIELD_LABEL_KEYS: Partial<Record<SignalField, string>> = {
  scopeId: 'form.scope', person1BirthDate: 'form.personBirthDate', person2BirthDate: 'form.personBirthDate', person1Bsn: 'form.personBsn',
  person2Bsn: 'form.personBsn', company1Kvk: 'form.companyKvk', company2Kvk: 'form.companyKvk', address2Street: 'form.street',
  address2HouseNumber: 'form.houseNumber', address2Postcode: 'form.postcode', address2Place: 'form.place',
};

function fieldLabels(locale: Locale): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const f of SIGNAL_FIELDS) labels[f] = label(locale, FIELD_LABEL_KEYS[f] ?? `form.${f}`);
  return { ...labels, submit: t(locale, 'form.submit'), openDialog: t(locale, 'form.openDialog'), toggleSubjects: t(locale, 'form.toggleSubjects') };
}

const SUBJECT_FIELDS: readonly SignalField[] = SIGNAL_FIELDS.filter((f) => /^(person|company|address2)/.test(f));

export function renderSignalForm(locale: Locale, input: SignalFormInput): AdaptiveCard {
  const errors = Object.fromEntries(SIGNAL_FIELDS.map((f) => [f, ''])) as Record<SignalField, string>;
  for (const e of input.errors ?? []) if (errors[e.field] === '') errors[e.field] = fieldErrorText(locale, e);
  const chosen = input.scopes.find((s) => s.choice === (input.fixedScopeId ?? input.draft?.scopeId)) ?? (input.scopes.length === 1 ? input.scopes[0] : undefined);
  // In personal chat before a scope is chosen, offer every phenomenon and basis of the caller's municipalities.
  const municipalities = chosen ? [chosen.municipality] : input.scopes.map((s) => s.municipality);
  const unique = <T extends { code: string }>(lists: (readonly T[])[]) => [...new Map(lists.flat().map((p) => [p.code, p])).values()];
  const legalBases = unique(municipalities.map((m) => m.legalBases));
  // The levels the privacy protocol of the chosen municipality (or any of the caller's) uses.
  const levels = CONFIDENTIALITY_LEVELS.filter((l) => municipalities.some((m) => m.confidentialityLevels.includes(l)));
  const values: SignalDraft = {
    ...emptyDraft(),
    scopeId: chosen?.choice ?? '', observedOn: input.today, sourceType: 'eigen_waarneming', sourceNature: 'zacht', urgency: 'normaal',
    problemType: 'standaard', confidentiality: levels.includes('vertrouwelijk') || levels.length === 0 ? 'vertrouwelijk' : levels[0], legalBasis: legalBases.length === 1 ? legalBases[0].code : '',
    ...input.draft,
  };
  // Every input gets a placeholder (empty for most), so no template field is left unfilled.
  const placeholders: Record<string, string> = Object.fromEntries(SIGNAL_FIELDS.map((f) => [f, '']));
  for (const f of ['sourceType', 'sourceReliability', 'informationReliability', 'urgency', 'problemType', 'confidentiality', 'legalBasis'] as const) placeholders[f] = t(locale, 'form.choose');
  placeholders.scopeId = t(locale, 'form.scope.placeholder');
  placeholders.phenomenon = t(locale, 'form.phenomenon.placeholder');
  for (const f of ['description', 'street', 'houseNumber', 'postcode', 'place', 'bagId'] as const) placeholders[f] = label(locale, `form.${f}.placeholder`);
  return signalFormTemplate({
    mode: input.mode,
    title: t(locale, 'form.title'),
    intro: t(locale, 'form.intro'),
    source: input.fromMessage ? t(locale, 'form.fromMessage', { author: input.fromMessage.author }) : '',
    confidential: t(locale, input.fixedScopeId === undefined ? 'form.confidential' : 'form.confidential.channel'),
    hasErrors: (input.errors?.length ?? 0) > 0,
    errorSummary: t(locale, 'form.hasErrors'),
    showScopeChoice: input.fixedScopeId === undefined,
    showSubjects: SUBJECT_FIELDS.some((f) => values[f] !== '' || errors[f] !== ''),
    // Also shown when a BSN came in anyway (an old form, another client), so its error is visible beside it.
    allowBsn: municipalities.some((m) => m.allowBsn) || (['person1Bsn', 'person2Bsn'] as const).some((f) => values[f] !== '' || errors[f] !== ''),
    choices: {
      scopes: input.scopes.map((s) => ({ title: s.name, value: s.choice })),
      phenomena: unique(municipalities.map((m) => m.phenomena)).map((p) => ({ title: p[locale], value: p.code })),
      legalBases: legalBases.map((b) => ({ title: b[locale], value: b.code })),
      sourceTypes: optionChoices(locale, 'sourceType', SOURCE_TYPES),
      sourceNatures: optionChoices(locale, 'sourceNature', SOURCE_NATURES),
      sourceReliabilities: optionChoices(locale, 'sourceReliability', SOURCE_RELIABILITIES),
      informationReliabilities: optionChoices(locale, 'informationReliability', INFORMATION_RELIABILITIES),
      urgencies: optionChoices(locale, 'urgency', URGENCIES),
      problemTypes: optionChoices(locale, 'problemType', PROBLEM_TYPES),
      confidentialityLevels: optionChoices(locale, 'confidentiality', levels),
    },
    labels: fieldLabels(locale),
    placeholders,
    headings: Object.fromEntries(['location', 'source', 'assessment', 'subjects', 'address2'].map((h) => [h, label(locale, `form.heading.${h}`)])),
    subjectsHint: t(locale, 'form.subjectsHint'),
    values,
    errors,
    limits: { description: LIMITS.description.max, street: LIMITS.street.max, place: LIMITS.place.max, name: LIMITS.name.max },
    today: input.today,
    nonce: input.nonce ?? randomUUID(),
    sourceUrl: input.fromMessage?.url ?? '',
    sourceAuthor: input.fromMessage?.author ?? '',
  });
}

interface SignalButton {
  title: string; verb: string; transition: string; needsInput: boolean; needsReason: boolean; needsPartner: boolean;
  reasonLabel: string; reasonError: string; partnerLabel: string; partners: Choice[]; confirm: string; signalId: string;
}
interface SignalCardData {
  notice: string; noticeColor: string; title: string; subtitle: string; status: string; statusDetail: string; deadline: string; deadlineColor: string;
  description: string; facts: { title: string; value: string }[]; subjectsTitle: string; subjects: string[]; related: string; sourceLink: string;
  footer: string; signalId: string; reference: string; journalTitle: string; buttons: SignalButton[];
  assign: { enabled: boolean; title: string; label: string; confirm: string; current: string; choices: Choice[] };
}
const signalTemplate = compile<SignalCardData>(signalJson);

export interface SignalCardOptions {
  notice?: string;
  tone?: 'good' | 'attention';
  /** Teams user ids that get a per-user refresh (Universal Actions; Teams allows at most 60). */
  refreshUserIds?: readonly string[];
}

const MAX_REFRESH_USERS = 60;

export function renderSignalCard(locale: Locale, d: SignalDetail, opts: SignalCardOptions = {}): AdaptiveCard {
  const s = d.signal;
  const partnerLabel = (p: string | null) => (p && p in PARTNER_LABELS ? PARTNER_LABELS[p as keyof typeof PARTNER_LABELS][locale] : p ?? '');
  let statusDetail = '';
  if (s.status === 'overgedragen') statusDetail = t(locale, 'signal.handedOver', { partner: partnerLabel(s.handedOverTo), reason: s.statusReason ?? '' });
  else if (s.statusReason) statusDetail = t(locale, 'signal.statusReason', { reason: s.statusReason });
  const deadline = s.deadline === null ? ''
    : t(locale, s.deadline.state === 'onTime' ? 'signal.due' : s.deadline.state === 'overdue' ? 'signal.overdue' : 'signal.overdue3x', { date: formatDate(locale, s.deadline.dueOn) });
  const related = [...d.related.signals, ...d.related.cases];
  const card = signalTemplate({
    notice: opts.notice ?? '',
    noticeColor: opts.tone === 'attention' ? 'Attention' : 'Good',
    title: t(locale, 'signal.title', { reference: s.reference }),
    subtitle: `${s.phenomenon[locale]} · ${s.address}`,
    status: SIGNAL_STATUS_LABELS[s.status][locale],
    statusDetail,
    deadline,
    deadlineColor: s.deadline?.state === 'onTime' ? 'Default' : 'Attention',
    description: s.description,
    facts: [
      { title: t(locale, 'signal.observedOn'), value: `${formatDate(locale, s.observedOn)}${s.observedTime ? ` ${s.observedTime}` : ''}` },
      { title: t(locale, 'signal.source'), value: `${t(locale, `option.sourceType.${s.sourceType}` as StringKey)} · ${t(locale, `option.sourceNature.${s.sourceNature}` as StringKey)} · ${s.sourceReliability}${s.informationReliability}` },
      { title: t(locale, 'signal.assessment'), value: [`option.urgency.${s.urgency}`, `option.problemType.${s.problemType}`, `option.confidentiality.${s.confidentiality}`].map((k) => t(locale, k as StringKey)).join(' · ') },
      { title: t(locale, 'signal.legalBasis'), value: s.legalBasis[locale] },
      { title: t(locale, 'signal.assignee'), value: s.assignee?.name ?? t(locale, 'signal.unassigned') },
      ...(s.caseReference ? [{ title: t(locale, 'signal.case'), value: s.caseReference }] : []),
      { title: t(locale, 'signal.reporter'), value: s.reporterName },
      { title: t(locale, 'signal.scope'), value: s.scopeName },
    ],
    subjectsTitle: t(locale, 'signal.subjects'),
    // The signal's own address is in the subtitle already.
    subjects: d.subjects.filter((x) => !(x.kind === 'address' && s.address === x.displayName)).map((x) => escapeMarkdown(x.displayName)),
    related: related.length > 0 ? t(locale, 'signal.related', { references: related.join(', ') }) : '',
    sourceLink: s.sourceMessageUrl && /^https:\/\//.test(s.sourceMessageUrl) ? t(locale, 'signal.fromMessage', { url: markdownUrl(s.sourceMessageUrl) }) : '',
    footer: `${t(locale, 'signal.recorded', { date: formatDateTime(locale, s.createdAt) })} ${t(locale, 'form.confidential.channel')}`,
    signalId: s.id,
    reference: s.reference,
    journalTitle: t(locale, 'journal.button'),
    buttons: d.transitions.map((r) => ({
      title: t(locale, `action.${r.name}` as StringKey),
      verb: r.name === 'promoveren' ? 'case.promote' : 'signal.transition',
      transition: r.name,
      needsInput: r.requiresReason || r.requiresPartner,
      needsReason: r.requiresReason,
      needsPartner: r.requiresPartner,
      reasonLabel: t(locale, 'action.reason'),
      reasonError: t(locale, 'action.reasonError'),
      partnerLabel: t(locale, 'action.partner'),
      partners: PARTNERS.map((p) => ({ title: PARTNER_LABELS[p][locale], value: p })),
      confirm: t(locale, 'action.confirm'),
      signalId: s.id,
    })),
    assign: {
      enabled: d.mayAssign,
      title: t(locale, 'action.assign'),
      label: t(locale, 'action.assignLabel'),
      confirm: t(locale, 'action.confirm'),
      current: s.assignee?.aadObjectId ?? '',
      choices: d.assignees.map((a) => ({ title: a.name, value: a.aadObjectId })),
    },
  });
  const userIds = (opts.refreshUserIds ?? []).slice(0, MAX_REFRESH_USERS);
  if (userIds.length > 0) card.refresh = { action: { type: 'Action.Execute', verb: 'signal.refresh', data: { signalId: s.id } }, userIds };
  return card;
}
