// Card templates (Adaptive Cards 1.5, JSON files next to this module) and one typed render function each.
// Each Template is built once: building costs ~50x more than expanding.
import { randomUUID } from 'node:crypto';
import { CardFactory, type Attachment } from 'botbuilder';
import * as ACData from 'adaptivecards-templating';
import type { Locale } from '../domain/caller.js';
import type { FieldError, SignalDraft, SignalField } from '../domain/signalIntake.js';
import { LIMITS, SIGNAL_FIELDS } from '../domain/signalIntake.js';
import type { FormScope, SignalView } from '../services/signals.js';
import helpJson from './cards/help.json';
import noticeJson from './cards/notice.json';
import signalJson from './cards/signal.json';
import signalFormJson from './cards/signalForm.json';
import signalListJson from './cards/signalList.json';
import { formatDate, formatDateTime, t, type StringKey } from './strings.js';

// A field the data forgot must render empty, never as a literal "${field}".
ACData.GlobalSettings.getUndefinedFieldValueSubstitutionString = () => '';

export interface AdaptiveCard { type: 'AdaptiveCard'; version: string; body: unknown[]; actions?: unknown[] }

function compile<TData extends object>(payload: object): (data: TData) => AdaptiveCard {
  const template = new ACData.Template(payload);
  return (data) => template.expand({ $root: data }) as AdaptiveCard;
}

export const asAttachment = (card: AdaptiveCard): Attachment => CardFactory.adaptiveCard(card);

interface HelpData {
  title: string; lead: string; intro: string; commandsTitle: string;
  commands: { command: string; description: string }[];
  confidential: string; newSignalTitle: string;
}
const helpTemplate = compile<HelpData>(helpJson);

export function renderHelpCard(locale: Locale, unknownCommand: boolean): AdaptiveCard {
  const en = locale === 'en';
  return helpTemplate({
    title: t(locale, 'help.title'),
    lead: unknownCommand ? t(locale, 'help.unknown') : '',
    intro: t(locale, 'help.intro'),
    commandsTitle: t(locale, 'help.commands'),
    commands: [
      { command: en ? 'new signal' : 'nieuw signaal', description: t(locale, 'help.cmd.newSignal') },
      { command: en ? 'signals' : 'signalen', description: t(locale, 'help.cmd.signals') },
      { command: en ? 'signal ‹reference›' : 'signaal ‹referentie›', description: t(locale, 'help.cmd.signal') },
      { command: 'help', description: t(locale, 'help.cmd.help') },
    ],
    confidential: t(locale, 'help.confidential'),
    newSignalTitle: t(locale, 'help.button.newSignal'),
  });
}

type Choice = { title: string; value: string };
interface SignalFormData {
  mode: 'inline' | 'dialog';
  title: string; intro: string; confidential: string;
  hasErrors: boolean; errorSummary: string;
  showScopeChoice: boolean; scopeChoices: Choice[]; phenomenonChoices: Choice[];
  labels: Record<'scope' | 'phenomenon' | 'description' | 'location' | 'observedOn' | 'submit' | 'openDialog', string>;
  placeholders: Record<'scope' | 'phenomenon' | 'description' | 'location', string>;
  values: SignalDraft;
  errors: Record<SignalField, string>;
  limits: { descriptionMax: number; locationMax: number; today: string };
  nonce: string;
}
const signalFormTemplate = compile<SignalFormData>(signalFormJson);

export interface SignalFormInput {
  mode: 'inline' | 'dialog';
  scopes: readonly FormScope[];
  fixedScopeId: string | undefined;
  today: string;
  draft?: SignalDraft;
  errors?: readonly FieldError[];
  /** Kept across a re-render with errors so that a later repeat is still recognised as the same submit. */
  nonce?: string;
}

export function fieldErrorText(locale: Locale, e: FieldError): string {
  return t(locale, `error.${e.code}` as StringKey, e.limit === undefined ? {} : { limit: e.limit });
}

export function renderSignalForm(locale: Locale, input: SignalFormInput): AdaptiveCard {
  const errors = Object.fromEntries(SIGNAL_FIELDS.map((f) => [f, ''])) as Record<SignalField, string>;
  for (const e of input.errors ?? []) if (errors[e.field] === '') errors[e.field] = fieldErrorText(locale, e);
  const chosen = input.scopes.find((s) => s.scopeId === (input.fixedScopeId ?? input.draft?.scopeId));
  // In personal chat before a scope is chosen, offer every phenomenon of the caller's municipalities.
  const phenomena = chosen?.phenomena ?? [...new Map(input.scopes.flatMap((s) => s.phenomena).map((p) => [p.code, p])).values()];
  const draft = input.draft ?? { scopeId: input.scopes.length === 1 ? input.scopes[0].scopeId : '', phenomenon: '', description: '', location: '', observedOn: input.today };
  return signalFormTemplate({
    mode: input.mode,
    title: t(locale, 'form.title'),
    intro: t(locale, 'form.intro'),
    confidential: t(locale, input.fixedScopeId === undefined ? 'form.confidential' : 'form.confidential.channel'),
    hasErrors: (input.errors?.length ?? 0) > 0,
    errorSummary: t(locale, 'form.hasErrors'),
    showScopeChoice: input.fixedScopeId === undefined,
    scopeChoices: input.scopes.map((s) => ({ title: s.name, value: s.scopeId })),
    phenomenonChoices: phenomena.map((p) => ({ title: p[locale], value: p.code })),
    labels: {
      scope: t(locale, 'form.scope'), phenomenon: t(locale, 'form.phenomenon'), description: t(locale, 'form.description'),
      location: t(locale, 'form.location'), observedOn: t(locale, 'form.observedOn'), submit: t(locale, 'form.submit'),
      openDialog: t(locale, 'form.openDialog'),
    },
    placeholders: {
      scope: t(locale, 'form.scope.placeholder'), phenomenon: t(locale, 'form.phenomenon.placeholder'),
      description: t(locale, 'form.description.placeholder'), location: t(locale, 'form.location.placeholder'),
    },
    values: draft,
    errors,
    limits: { descriptionMax: LIMITS.description.max, locationMax: LIMITS.location.max, today: input.today },
    nonce: input.nonce ?? randomUUID(),
  });
}

interface SignalCardData { notice: string; title: string; status: string; description: string; facts: { title: string; value: string }[]; footer: string }
const signalTemplate = compile<SignalCardData>(signalJson);

export function renderSignalCard(locale: Locale, s: SignalView, notice = ''): AdaptiveCard {
  return signalTemplate({
    notice,
    title: t(locale, 'signal.title', { reference: s.reference }),
    status: t(locale, `status.${s.status}` as StringKey),
    description: s.description,
    facts: [
      { title: t(locale, 'signal.phenomenon'), value: s.phenomenon[locale] },
      { title: t(locale, 'signal.location'), value: s.location },
      { title: t(locale, 'signal.observedOn'), value: formatDate(locale, s.observedOn) },
      { title: t(locale, 'signal.reporter'), value: s.reporterName },
      { title: t(locale, 'signal.scope'), value: s.scopeName },
    ],
    footer: `${t(locale, 'signal.recorded', { date: formatDateTime(locale, s.createdAt) })} ${t(locale, 'form.confidential.channel')}`,
  });
}

interface SignalListData { title: string; empty: string; footer: string; items: { reference: string; phenomenon: string; status: string; location: string; observedOn: string }[] }
const signalListTemplate = compile<SignalListData>(signalListJson);

export function renderSignalList(locale: Locale, signals: readonly SignalView[], total: number): AdaptiveCard {
  return signalListTemplate({
    title: t(locale, 'list.title'),
    empty: t(locale, 'list.empty'),
    footer: t(locale, 'list.count', { shown: signals.length, total }),
    items: signals.map((s) => ({
      reference: s.reference, phenomenon: s.phenomenon[locale], status: t(locale, `status.${s.status}` as StringKey),
      location: s.location, observedOn: formatDate(locale, s.observedOn),
    })),
  });
}

const noticeTemplate = compile<{ text: string; color: string }>(noticeJson);

export function renderNotice(text: string, tone: 'default' | 'attention' = 'default'): AdaptiveCard {
  return noticeTemplate({ text, color: tone === 'attention' ? 'Attention' : 'Default' });
}
