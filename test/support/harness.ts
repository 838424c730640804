// Starts the real bot (restify on a random loopback port, a real database) next to a loopback Bot Connector,
// and sends it Teams-shaped activities over HTTP.
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startBot, type RunningBot } from '../../src/main';
import type { Database } from '../../src/store/db';
import { DEMO_CHANNELS, DEMO_TEAM_ID, DEMO_TENANT_ID, DEMO_USERS, type DemoChannel, type DemoUser } from '../../src/store/demoData';
import { startConnectorStub, type ConnectorStub, type RecordedActivity } from './connectorStub';
import { openTestDb } from './testDb';

export { DEMO_CHANNELS, DEMO_TENANT_ID, DEMO_USERS };
export const [FATIMA, SANNE, DAAN, PIETER, INGRID, LOTTE] = DEMO_USERS;
export const [SIGNALEN_HDB, KERNGROEP_HDB, SIGNALEN_ZTL] = DEMO_CHANNELS;

export type Place = { channel: DemoChannel } | { personal: true } | { groupChat: string };
export interface ActivityOptions { locale?: string; tenantId?: string; threadId?: string }
export type TeamsActivity = Record<string, unknown> & { id: string; conversation: { id: string } };

export interface TestBot {
  url: string;
  stub: ConnectorStub;
  db: Database;
  running: RunningBot;
  logs: string[];
  send(activity: TeamsActivity): Promise<{ status: number; body: unknown; text: string }>;
  stop(): Promise<void>;
}

export interface TestBotOptions {
  env?: Record<string, string>;
  now?: () => Date;
  seed?: boolean;
  /** 'accepted' (default): the demo users have accepted their municipalities' confidentiality declaration. */
  declarations?: 'accepted' | 'pending';
  /** Another bot's database (a restart): left open when this bot stops. */
  db?: Database;
}

/** Records that a user accepted the current declaration of every municipality (as the accept button would). */
export async function acceptDeclarations(db: Database, aadObjectIds: readonly string[]): Promise<void> {
  const declarations = await db.prisma.confidentialityDeclaration.findMany();
  for (const d of declarations) {
    for (const aadObjectId of aadObjectIds) {
      await db.prisma.declarationAcceptance.upsert({
        where: { municipalityId_version_aadObjectId: { municipalityId: d.municipalityId, version: d.version, aadObjectId } },
        create: { municipalityId: d.municipalityId, version: d.version, aadObjectId, tenantId: DEMO_TENANT_ID, acceptedAt: new Date() }, update: {},
      });
    }
  }
}

export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const db = opts.db ?? await openTestDb();
  const stub = await startConnectorStub();
  stub.rosters.set(DEMO_TEAM_ID, DEMO_USERS.map((u) => ({ id: u.teamsUserId, name: u.name, aadObjectId: u.aadObjectId })));
  const logs: string[] = [];
  const log = createLogger('debug', { write: (line: string) => { logs.push(line); } });
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', ALLOWED_TENANT_IDS: DEMO_TENANT_ID, DEMO_DATA: opts.seed === false ? 'false' : 'true', ...opts.env });
  const running = await startBot(config, log, { db, now: opts.now }).catch(async (err: unknown) => {
    // A refused start (e.g. a configuration file in conflict) leaves nothing listening behind.
    await stub.close();
    if (!opts.db) await db.close();
    throw err;
  });
  if (opts.declarations !== 'pending') await acceptDeclarations(db, DEMO_USERS.map((u) => u.aadObjectId));
  return {
    url: running.url, stub, db, running, logs,
    async send(activity) {
      const res = await fetch(`${running.url}/api/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...activity, serviceUrl: stub.url }),
      });
      const text = await res.text();
      let body: unknown = text;
      try { body = text === '' ? undefined : JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, body, text };
    },
    async stop() {
      await running.stop();
      await stub.close();
      if (!opts.db) await db.close();
    },
  };
}

function conversationOf(user: DemoUser, place: Place, opts: ActivityOptions): { conversation: Record<string, unknown> & { id: string }; channelData: Record<string, unknown> } {
  const tenantId = opts.tenantId ?? DEMO_TENANT_ID;
  if ('channel' in place) {
    return {
      conversation: { id: `${place.channel.id};messageid=${opts.threadId ?? '1700000000000'}`, conversationType: 'channel', isGroup: true, tenantId },
      // Like Teams, channel messages carry the team's thread id but not its AAD group id.
      channelData: { tenant: { id: tenantId }, team: { id: DEMO_TEAM_ID },
        channel: { id: place.channel.id, name: place.channel.name } },
    };
  }
  if ('groupChat' in place) {
    return { conversation: { id: place.groupChat, conversationType: 'groupChat', isGroup: true, tenantId }, channelData: { tenant: { id: tenantId } } };
  }
  return { conversation: { id: `a:personal-${user.teamsUserId}`, conversationType: 'personal', tenantId }, channelData: { tenant: { id: tenantId } } };
}

function base(user: DemoUser, place: Place, opts: ActivityOptions) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    from: { id: user.teamsUserId, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: '28:weerbaar-bot', name: 'Weerbaar' },
    locale: opts.locale ?? 'nl-NL',
    ...conversationOf(user, place, opts),
  };
}

export function message(text: string, user: DemoUser, place: Place, opts: ActivityOptions = {}): TeamsActivity {
  return { ...base(user, place, opts), type: 'message', text, textFormat: 'plain' } as TeamsActivity;
}

export function invoke(name: string, value: unknown, user: DemoUser, place: Place, opts: ActivityOptions = {}): TeamsActivity {
  return { ...base(user, place, opts), type: 'invoke', name, value } as TeamsActivity;
}

/** Teams installs the bot where `user` is: the scope learns its Bot Connector address (for posts of the bot's own). */
export async function install(bot: TestBot, user: DemoUser, place: Place): Promise<void> {
  const { text: _text, textFormat: _format, ...rest } = message('', user, place);
  void _text; void _format;
  const res = await bot.send({ ...rest, type: 'installationUpdate', action: 'add' } as TeamsActivity);
  if (res.status !== 200) throw new Error(`installationUpdate answered ${res.status}`);
}

/** An Action.Execute on a card; like Teams, it names the message that holds the card (replyToId). */
export const executeAction = (verb: string, data: Record<string, unknown>, user: DemoUser, place: Place, opts: ActivityOptions & { cardMessageId?: string; trigger?: 'manual' | 'automatic' } = {}) =>
  ({ ...invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: opts.trigger ?? 'manual' }, user, place, opts),
    replyToId: opts.cardMessageId ?? 'card-message-1' }) as TeamsActivity;

export const taskFetch = (data: Record<string, unknown>, user: DemoUser, place: Place, opts: ActivityOptions = {}) =>
  invoke('task/fetch', { data: { verb: 'signal.form', ...data }, context: { theme: 'default' } }, user, place, opts);

export const taskSubmit = (data: Record<string, unknown>, user: DemoUser, place: Place, opts: ActivityOptions = {}) =>
  invoke('task/submit', { data: { verb: 'signal.form', ...data }, context: { theme: 'default' } }, user, place, opts);

export interface CardJson { type: string; body: CardElement[]; actions?: CardElement[] }
export interface CardElement { type: string; id?: string; text?: string; value?: unknown; data?: Record<string, unknown>; verb?: string; title?: string;
  items?: CardElement[]; columns?: CardElement[]; facts?: { title: string; value: string }[]; choices?: { title: string; value: string }[] }

export function cardOf(sent: RecordedActivity): CardJson {
  const attachment = sent.activity.attachments?.[0];
  if (!attachment || attachment.contentType !== 'application/vnd.microsoft.card.adaptive') throw new Error(`no adaptive card in ${JSON.stringify(sent.activity)}`);
  return attachment.content as CardJson;
}

/** Every element of a card, depth first. */
export function elements(card: CardJson): CardElement[] {
  const out: CardElement[] = [];
  const walk = (list: CardElement[] | undefined) => {
    for (const e of list ?? []) { out.push(e); walk(e.items); walk(e.columns); }
  };
  walk(card.body);
  return out;
}

export const texts = (card: CardJson): string[] =>
  elements(card).flatMap((e) => [e.text ?? '', ...(e.facts ?? []).flatMap((f) => [f.title, f.value])]).filter(Boolean);

export const input = (card: CardJson, id: string): CardElement | undefined => elements(card).find((e) => e.id === id);

export function action(card: CardJson, predicate: (a: CardElement) => boolean): CardElement {
  const found = (card.actions ?? []).find(predicate);
  if (!found) throw new Error(`no such action in ${JSON.stringify(card.actions)}`);
  return found;
}

/** What the bot sent in answer to this activity (replies carry its id), in order. */
export const repliesTo = (stub: ConnectorStub, activity: TeamsActivity): RecordedActivity[] =>
  stub.sent.filter((s) => s.activity.replyToId === activity.id);

/** The reference shown in a signal card's title. */
export const referenceIn = (card: CardJson): string =>
  /^Signaal (SIG-\d{4}-\d{4,})$/.exec(texts(card).find((t) => /^Signaal SIG-\d{4}-\d{4,}$/.test(t)) ?? '')?.[1] ?? '';

export function validSignalInput(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    phenomenon: 'hennepteelt',
    description: 'Sterke hennepgeur en dichtgeplakte ramen bij een loods; veel verkeer in de avond.',
    street: 'Industrieweg',
    houseNumber: '12',
    postcode: '1234 AB',
    place: 'Heidebroek',
    observedOn: '2026-11-20',
    sourceType: 'eigen_waarneming',
    sourceNature: 'zacht',
    sourceReliability: 'B',
    informationReliability: '2',
    urgency: 'normaal',
    problemType: 'standaard',
    confidentiality: 'vertrouwelijk',
    legalBasis: 'avg_6_1_e',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers for the workflow, cases, subjects, search, message-action and bad-input tests (appended).

/** The body of an invoke answer: an Action.Execute card, a dialog, or a message extension result. */
export interface InvokeAnswer {
  statusCode?: number; type?: string; value?: unknown;
  task?: { type: string; value: unknown };
  composeExtension?: { type: string; attachmentLayout?: string; text?: string;
    attachments?: { contentType: string; content: unknown; preview?: { contentType: string; content: { title?: string; text?: string } } }[] };
}

export type RefreshableCard = CardJson & { refresh?: { action: { type: string; verb: string; data: Record<string, unknown> }; userIds: string[] } };

/** The adaptive card an Action.Execute invoke answered with (fails the test if it is not one). */
export function cardAnswer(res: { status: number; body: unknown }): RefreshableCard {
  const body = res.body as InvokeAnswer | undefined;
  if (res.status !== 200 || body?.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`not a card answer: ${res.status} ${JSON.stringify(body)}`);
  return body.value as RefreshableCard;
}

/** The card of a dialog answer ('continue'). */
export function dialogCard(res: { status: number; body: unknown }): CardJson {
  const task = (res.body as InvokeAnswer | undefined)?.task;
  if (res.status !== 200 || task?.type !== 'continue') throw new Error(`not a dialog answer: ${res.status} ${JSON.stringify(res.body)}`);
  return (task.value as { card: { content: CardJson } }).card.content;
}

/** Every action on a card, the actions inside Action.ShowCard cards included, depth first. */
export function allActions(card: CardJson): CardElement[] {
  const out: CardElement[] = [];
  const walk = (list: CardElement[] | undefined) => {
    for (const a of list ?? []) {
      out.push(a);
      walk((a as CardElement & { card?: CardJson }).card?.actions);
    }
  };
  walk(card.actions);
  return out;
}

/** The top-level button titles of a card, in order. */
export const buttonTitles = (card: CardJson): string[] => (card.actions ?? []).map((a) => a.title ?? '');

/** The reference in the answer to a filing: on the signal card, or in the notice of one filed out of the channel's sight. */
export const filedReferenceIn = (card: CardJson): string =>
  referenceIn(card) || (/(SIG-\d{4}-\d{4,}) is (vastgelegd|has been recorded)/.exec(texts(card).join(' '))?.[1] ?? '');

/**
 * Files a valid signal inline (Action.Execute 'signal.submit') and returns its card, reference and id. A signal
 * more confidential than everyone in the channel may see is answered with a notice naming only its reference:
 * then `shown` is false.
 */
export async function fileTestSignal(bot: TestBot, user: DemoUser, place: Place, overrides: Record<string, string> = {}, opts: ActivityOptions = {}):
  Promise<{ card: RefreshableCard; reference: string; id: string; shown: boolean }> {
  const nonce = randomUUID();
  const res = await bot.send(executeAction('signal.submit', { nonce, ...validSignalInput(overrides) }, user, place, opts));
  const card = cardAnswer(res);
  const shownReference = referenceIn(card);
  const reference = filedReferenceIn(card);
  if (reference === '') throw new Error(`signal not filed: ${texts(card).join(' | ')}`);
  const submission = await bot.db.prisma.cardSubmission.findUniqueOrThrow({ where: { nonce_aadObjectId: { nonce, aadObjectId: user.aadObjectId } } });
  return { card, reference, id: submission.recordId, shown: shownReference !== '' };
}

/** What the bot sent to the connector for one message id: updates (PUT) of that message, e.g. a card replaced for all. */
export const updatesOf = (stub: ConnectorStub, messageId: string): RecordedActivity[] => stub.sent.filter((s) => s.replyToId === messageId);

/** Sends a message and returns the bot's replies to it. */
export async function say(bot: TestBot, text: string, user: DemoUser, place: Place, opts: ActivityOptions = {}): Promise<RecordedActivity[]> {
  const activity = message(text, user, place, opts);
  const res = await bot.send(activity);
  if (res.status !== 200) throw new Error(`message "${text}" answered ${res.status}`);
  return repliesTo(bot.stub, activity);
}

/** Titles of the top-level buttons whose Action.Execute (direct, or inside their Action.ShowCard) has one of these verbs. */
export function buttonsWithVerbs(card: CardJson, verbs: readonly string[]): string[] {
  return (card.actions ?? []).filter((a) => {
    const inner = (a as CardElement & { card?: CardJson }).card?.actions ?? [];
    return [a, ...inner].some((x) => x.type === 'Action.Execute' && verbs.includes(x.verb ?? ''));
  }).map((a) => a.title ?? '');
}
export const SIGNAL_WORKFLOW_VERBS = ['signal.transition', 'case.promote', 'signal.assign'] as const;
export const CASE_WORKFLOW_VERBS = ['case.phase', 'case.update'] as const;
