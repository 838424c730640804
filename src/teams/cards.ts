// Shared card plumbing: each template is built once (building costs ~50x more than expanding) and rendered by
// one typed function. Feature cards live in signalCards.ts, caseCards.ts and listCards.ts.
import { CardFactory, type Attachment } from 'botbuilder';
import * as ACData from 'adaptivecards-templating';
import type { Locale } from '../domain/caller.js';
import helpJson from './cards/help.json';
import noticeJson from './cards/notice.json';
import { t, type StringKey } from './strings.js';

// A field the data forgot must render empty, never as a literal "${field}".
ACData.GlobalSettings.getUndefinedFieldValueSubstitutionString = () => '';

export interface AdaptiveCard { type: 'AdaptiveCard'; version: string; body: unknown[]; actions?: unknown[]; refresh?: unknown }

/** On a TextBlock of a template: its text is our own markdown (a link we made), not text to show as typed. */
export const OWN_MARKDOWN = 'x-weerbaar-markdown';

/**
 * Text shown as typed: Teams reads a TextBlock's text and a fact's title and value as markdown, so a name or a
 * description could carry a link or change its look. Its markdown characters are escaped with backslashes, which
 * Teams shows as the characters themselves.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]~<>]/g, '\\$&')
    // A list item or a heading starts a line and is followed by a space.
    .replace(/^(\s*)([-+#])(?=\s|$)/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, '$1\\$2');
}

/** A URL inside a markdown link: characters that would end the link (or start another) are percent-encoded. */
export const markdownUrl = (url: string): string => url.replace(/[()[\]<>\s\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

type CardNode = { [key: string]: unknown };
const isNode = (v: unknown): v is CardNode => typeof v === 'object' && v !== null;

function showAsTyped(node: unknown): void {
  if (Array.isArray(node)) { for (const item of node) showAsTyped(item); return; }
  if (!isNode(node)) return;
  if (node.type === 'TextBlock' && typeof node.text === 'string') {
    if (node[OWN_MARKDOWN] === true) delete node[OWN_MARKDOWN];
    else node.text = escapeMarkdown(node.text);
  }
  if (node.type === 'FactSet' && Array.isArray(node.facts)) {
    for (const fact of node.facts) {
      if (!isNode(fact)) continue;
      if (typeof fact.title === 'string') fact.title = escapeMarkdown(fact.title);
      if (typeof fact.value === 'string') fact.value = escapeMarkdown(fact.value);
    }
  }
  for (const [key, value] of Object.entries(node)) if (key !== 'facts' && key !== 'data') showAsTyped(value);
}

export function compile<TData extends object>(payload: object): (data: TData) => AdaptiveCard {
  const template = new ACData.Template(payload);
  return (data) => {
    const card = template.expand({ $root: data }) as AdaptiveCard;
    showAsTyped(card);
    return card;
  };
}

export const asAttachment = (card: AdaptiveCard): Attachment => CardFactory.adaptiveCard(card);

export interface Choice { title: string; value: string }

/** Choices for a fixed option list, labelled from the string table (option.<group>.<value>). */
export function optionChoices(locale: Locale, group: string, values: readonly string[]): Choice[] {
  return values.map((value) => ({ title: t(locale, `option.${group}.${value}` as StringKey), value }));
}

export const label = (locale: Locale, key: string): string => t(locale, key as StringKey);

interface HelpData {
  title: string; lead: string; leadColor: 'Good' | 'Attention'; intro: string; commandsTitle: string;
  commands: { command: string; description: string }[];
  confidential: string; newSignalTitle: string;
}
const helpTemplate = compile<HelpData>(helpJson);

/** lead: a line above the help, e.g. after an unknown command or an accepted declaration. */
/** `lead`: a line above the help saying what just went well (the unknown command's line is a warning). */
export function renderHelpCard(locale: Locale, unknownCommand: boolean, lead?: string): AdaptiveCard {
  const en = locale === 'en';
  return helpTemplate({
    title: t(locale, 'help.title'),
    lead: lead ?? (unknownCommand ? t(locale, 'help.unknown') : ''),
    leadColor: lead === undefined ? 'Attention' : 'Good',
    intro: t(locale, 'help.intro'),
    commandsTitle: t(locale, 'help.commands'),
    commands: [
      { command: en ? 'new signal' : 'nieuw signaal', description: t(locale, 'help.cmd.newSignal') },
      { command: en ? 'signals' : 'signalen', description: t(locale, 'help.cmd.signals') },
      { command: en ? 'my signals' : 'mijn signalen', description: t(locale, 'help.cmd.mine') },
      { command: en ? 'open signals' : 'open signalen', description: t(locale, 'help.cmd.open') },
      { command: en ? 'worklist' : 'werklijst', description: t(locale, 'help.cmd.worklist') },
      { command: en ? 'search ‹text›' : 'zoek ‹tekst›', description: t(locale, 'help.cmd.search') },
      { command: en ? 'signal ‹reference›' : 'signaal ‹referentie›', description: t(locale, 'help.cmd.signal') },
      { command: en ? 'cases' : 'casussen', description: t(locale, 'help.cmd.cases') },
      { command: en ? 'schedule meeting · meetings' : 'overleg plannen · overleggen', description: t(locale, 'help.cmd.meetings') },
      { command: en ? 'agenda · start meeting · finish meeting · my actions' : 'agenda · overleg starten · overleg afronden · mijn acties', description: t(locale, 'help.cmd.overleg') },
      { command: 'help', description: t(locale, 'help.cmd.help') },
    ],
    confidential: t(locale, 'help.confidential'),
    newSignalTitle: t(locale, 'help.button.newSignal'),
  });
}

const noticeTemplate = compile<{ text: string; color: string }>(noticeJson);
const linkNoticeTemplate = compile<{ text: string; color: string }>({ ...noticeJson, body: noticeJson.body.map((b) => ({ ...b, [OWN_MARKDOWN]: true })) });

/** `ownMarkdown`: the text is ours and holds a link we made (its other parts escaped by the caller). */
export function renderNotice(text: string, tone: 'default' | 'attention' = 'default', ownMarkdown = false): AdaptiveCard {
  return (ownMarkdown ? linkNoticeTemplate : noticeTemplate)({ text, color: tone === 'attention' ? 'Attention' : 'Default' });
}
