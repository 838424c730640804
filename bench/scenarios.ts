// What each scenario sends (Teams-shaped activities, as test/support/harness.ts builds them) and how an answer is
// checked, so that a fast wrong answer (an error card, a refusal) never counts as throughput.
import { randomUUID } from 'node:crypto';
import { DEMO_CHANNELS, DEMO_TEAM_ID, DEMO_TENANT_ID, DEMO_USERS, type DemoChannel, type DemoUser } from '../src/store/demoData.js';

export type ScenarioName = 'echo' | 'help' | 'form' | 'submit' | 'list' | 'search';

export interface Answer { status: number; body: string; replies: string[] }

export interface Scenario {
  name: ScenarioName;
  /** One line for the README and the table's legend. */
  description: string;
  /** The next activity of client `client` (0-based); each call makes a new one (fresh id, for submit a new signal). */
  next(client: number): Activity;
  /** undefined when the answer is what the scenario expects, else why not. */
  check(answer: Answer): string | undefined;
  /** Answers that passed the check so far, warm-up included (for submit: the signals the bot said it filed). */
  passed: number;
}

export type Activity = Record<string, unknown> & { id: string };

const [FATIMA, SANNE, DAAN, PIETER] = DEMO_USERS;
export const SIGNALEN_HDB: DemoChannel = DEMO_CHANNELS[0];
// Everyone here works in Signalen Heidebroek (coordinator, members, chair): each client speaks as one of them.
const HDB_USERS: readonly DemoUser[] = [SANNE, DAAN, FATIMA, PIETER];
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

function base(user: DemoUser, channel: DemoChannel, thread: number, serviceUrl: string) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: user.teamsUserId, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { id: '28:weerbaar-bot', name: 'Weerbaar' },
    locale: 'nl-NL',
    // A thread per client: teams-ai keeps turn state per conversation id, which in a channel is per thread.
    conversation: { id: `${channel.id};messageid=${1700000000000 + thread}`, conversationType: 'channel', isGroup: true, tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID }, team: { id: DEMO_TEAM_ID }, channel: { id: channel.id, name: channel.name } },
  };
}

const userOf = (client: number): DemoUser => HDB_USERS[client % HDB_USERS.length];

export function message(text: string, client: number, serviceUrl: string): Activity {
  return { ...base(userOf(client), SIGNALEN_HDB, client, serviceUrl), type: 'message', text, textFormat: 'plain' };
}

export function invoke(name: string, value: unknown, client: number, serviceUrl: string): Activity {
  return { ...base(userOf(client), SIGNALEN_HDB, client, serviceUrl), type: 'invoke', name, value };
}

/** A local calendar date `daysAgo` days before today (the form refuses dates in the future). */
function dateDaysAgo(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

const STREETS = ['Industrieweg', 'Kerkpad', 'Havenstraat', 'Molenweg', 'Stationsplein', 'Dorpsstraat'] as const;
const POSTCODE_LETTERS = ['AB', 'CD', 'EF', 'GH', 'JK'] as const;
const PHENOMENA = ['hennepteelt', 'drugslab', 'overig'] as const;
const DESCRIPTIONS = [
  'Sterke hennepgeur en dichtgeplakte ramen bij een loods; veel verkeer in de avond.',
  'Chemische lucht en blauwe vaten in de schuur achter de woning.',
  'Vermoedelijk een hennepkwekerij op zolder: warmte op het dak en een brommend geluid.',
  'Bestelbus laadt \'s nachts zakken bij een leegstaand bedrijfspand.',
  'Buurman meldt stroomkabels over de stoep naar een afgesloten garage.',
] as const;

let filed = 0;
const runTag = randomUUID().slice(0, 8);

/** A valid, distinct signal: a fresh nonce (so never a repeated submit) and its own description and address. */
export function signalInput(): Record<string, string> {
  const n = filed++;
  return {
    verb: 'signal.form',
    nonce: randomUUID(),
    phenomenon: PHENOMENA[n % PHENOMENA.length],
    description: `${DESCRIPTIONS[n % DESCRIPTIONS.length]} (benchmelding ${runTag}-${n})`,
    street: STREETS[n % STREETS.length],
    houseNumber: String(1 + (n % 250)),
    postcode: `${1000 + (n % 97) * 37} ${POSTCODE_LETTERS[n % POSTCODE_LETTERS.length]}`,
    place: 'Heidebroek',
    observedOn: dateDaysAgo(1 + (n % 60)),
    sourceType: 'eigen_waarneming',
    sourceNature: 'zacht',
    sourceReliability: 'B',
    informationReliability: '2',
    urgency: 'normaal',
    problemType: 'standaard',
    confidentiality: 'vertrouwelijk',
    legalBasis: 'avg_6_1_e',
  };
}

// Searches that find some of the signals filed before: a street, a postcode, a stemmed word, a word.
const SEARCHES = ['Industrieweg', '1000 AB', 'hennepkwekerijen', 'loods'] as const;

function parse(body: string): unknown {
  try { return JSON.parse(body); } catch { return undefined; }
}

function cardReply(answer: Answer, mustContain?: string): string | undefined {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
  if (answer.replies.length !== 1) return `${answer.replies.length} replies: ${answer.replies.map((r) => r.slice(0, 300)).join(' | ')}`;
  const reply = answer.replies[0];
  if (!reply.includes(ADAPTIVE)) return `reply without a card: ${reply.slice(0, 200)}`;
  if (mustContain !== undefined && !reply.includes(mustContain)) return `reply without "${mustContain}": ${reply.slice(0, 200)}`;
  return undefined;
}

interface TaskAnswer { task?: { type?: string; value?: unknown } }

type Definition = Omit<Scenario, 'passed'>;

export function scenarios(serviceUrl: string): Record<ScenarioName, Scenario> {
  let searchCount = 0;
  const definitions: Record<ScenarioName, Definition> = {
    echo: {
      name: 'echo', description: 'message "hallo" to the echo bot (bench/echoBot.ts); one text reply',
      next: (client) => message('hallo', client, serviceUrl),
      check: (a) => a.status !== 200 ? `HTTP ${a.status}` : a.replies.length === 1 && a.replies[0].includes('hallo') ? undefined : `${a.replies.length} replies`,
    },
    help: {
      name: 'help', description: 'message "help" in Signalen Heidebroek; the help card as reply',
      next: (client) => message('help', client, serviceUrl),
      check: (a) => cardReply(a, 'Opdrachten'),
    },
    form: {
      name: 'form', description: 'invoke task/fetch (verb signal.form): the signal form as a dialog in the invoke response',
      next: (client) => invoke('task/fetch', { data: { verb: 'signal.form' }, context: { theme: 'default' } }, client, serviceUrl),
      check: (a) => {
        const task = (parse(a.body) as TaskAnswer | undefined)?.task;
        return a.status === 200 && task?.type === 'continue' ? undefined : `HTTP ${a.status}: ${a.body.slice(0, 200)}`;
      },
    },
    submit: {
      name: 'submit', description: 'invoke task/submit with a new valid signal: validate, one transaction with audit, '
        + 'the signal card posted to the channel, "… is vastgelegd." in the invoke response',
      next: (client) => invoke('task/submit', { data: signalInput(), context: { theme: 'default' } }, client, serviceUrl),
      check: (a) => {
        const task = (parse(a.body) as TaskAnswer | undefined)?.task;
        if (a.status !== 200 || task?.type !== 'message' || !/^Signaal SIG-\d{4}-\d{4,} is vastgelegd\.$/.test(String(task.value))) {
          return `HTTP ${a.status}: ${a.body.slice(0, 200)}`;
        }
        return cardReply(a, 'SIG-');
      },
    },
    list: {
      name: 'list', description: 'message "signalen": the newest signals of the channel, one page, as a card',
      next: (client) => message('signalen', client, serviceUrl),
      check: (a) => cardReply(a, 'SIG-'),
    },
    search: {
      name: 'search', description: `message "zoek <q>", q in turn ${SEARCHES.map((s) => `"${s}"`).join(', ')}: the results card`,
      next: (client) => message(`zoek ${SEARCHES[searchCount++ % SEARCHES.length]}`, client, serviceUrl),
      check: (a) => cardReply(a, 'Zoekresultaten'),
    },
  };
  const counted = (d: Definition): Scenario => {
    const scenario: Scenario = {
      ...d, passed: 0,
      check(answer) {
        const problem = d.check(answer);
        if (problem === undefined) scenario.passed++;
        return problem;
      },
    };
    return scenario;
  };
  return {
    echo: counted(definitions.echo), help: counted(definitions.help), form: counted(definitions.form),
    submit: counted(definitions.submit), list: counted(definitions.list), search: counted(definitions.search),
  };
}
