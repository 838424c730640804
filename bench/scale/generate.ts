// Loads a million signals (with their journals, subjects, status history and cases) into a PostgreSQL database of
// its own, for the measurements in measure.ts. See docs/performance.md, "A million signals".
//
//   npm run bench:scale -- generate [--reset]
//
// The database (SCALE_DATABASE_URL, default weerbaar_scale on 127.0.0.1) is created and migrated with the project's
// own deploy (lib/src/store/cli.js deploy --url ...). The rows are written with COPY in the order they would have
// arrived (by filing time, municipalities interleaved), so the table's physical order is as in production. Secondary
// indexes are dropped for the load and rebuilt from their own definitions afterwards, then VACUUM ANALYZE.
//
// Journals are real hash chains, sealed with the project's own sealOf(); verify-journal accepts them.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { CASE_PHASE_LABELS, MEASURE_LABELS, type CasePhase, type Measure } from '../../src/domain/caseWorkflow.js';
import { GENESIS_HASH, sealOf, type SealedContent } from '../../src/domain/journal.js';
import { zonedInstant } from '../../src/domain/meetings.js';
import { defaultPhenomena, termDaysOf } from '../../src/domain/phenomena.js';
import { formatReference } from '../../src/domain/reference.js';
import { CONFIDENTIALITY_LEVELS } from '../../src/domain/signalIntake.js';
import { displayNameOf, matchKeyOf, type SubjectInput } from '../../src/domain/subjects.js';
import { PARTNER_LABELS, SIGNAL_STATUS_LABELS, type Partner, type SignalStatus } from '../../src/domain/signalWorkflow.js';
import { addWorkingDays } from '../../src/domain/workingDays.js';
import { dossierName } from '../../src/store/journal.js';
import { Serial, TableWriter, copyRows, line } from './copy.js';
import { databaseOf, mergeJson, projectRoot, resultsDir, scaleConfig, type ScaleConfig } from './config.js';
import { Rng, Weighted, WeightedItems } from './random.js';
import {
  CASE_TITLES, CHANNEL_NAMES, CLOSING_REASONS, FREE_TEXT_QUERIES, HANDOVER_REASONS, USER_ENTRY_KINDS, bsn, companyName, description, entryText,
  municipalityNames, personName, streetNames,
} from './vocabulary.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---------------------------------------------------------------------------------------------------------
// Distributions

const NL_PHENOMENA = new WeightedItems<string>([['hennepteelt', 17], ['drugslab', 3], ['drugshandel', 15], ['mensenhandel', 6], ['witwassen', 8],
  ['vastgoed', 7], ['horeca', 9], ['zorgfraude', 5], ['woonfraude', 13], ['malafide_bedrijvigheid', 10], ['overig', 7]]);
const BE_PHENOMENA = new WeightedItems<string>([['drugsproductie', 12], ['drugshandel', 18], ['mensenhandel', 8], ['witwassen', 9], ['vastgoed', 10],
  ['horeca', 12], ['domiciliefraude', 12], ['malafide_bedrijvigheid', 11], ['overig', 8]]);
const NL_BASES = new WeightedItems<string>([['avg_6_1_e', 40], ['gemw_172', 25], ['opiumwet_13b', 15], ['wet_bibob', 10], ['convenant_riec', 10]]);
const BE_BASES = new WeightedItems<string>([['avg_6_1_e', 45], ['wet_bestuurlijke_handhaving', 30], ['ngw_134quater', 15], ['protocol_ariec', 10]]);
const SOURCE_TYPES = new WeightedItems<string>([['eigen_waarneming', 30], ['collega', 20], ['burger', 20], ['partner', 20], ['registratie', 10]]);
const RELIABILITY = new WeightedItems<string>([['A', 10], ['B', 35], ['C', 40], ['D', 15]]);
const INFORMATION = new WeightedItems<number>([[1, 10], [2, 35], [3, 40], [4, 15]]);
const URGENCY = new WeightedItems<string>([['normaal', 75], ['hoog', 20], ['acuut', 5]]);
const PROBLEM = new WeightedItems<string>([['standaard', 85], ['complex', 14], ['crisis', 1]]);
const CONFIDENTIALITY = new WeightedItems<string>([['intern', 55], ['vertrouwelijk', 38], ['geheim', 7]]);
const PARTNER = new WeightedItems<Partner>([['politie', 35], ['riec', 25], ['belastingdienst', 15], ['om', 15], ['anders', 10]]);
const MEASURE = new WeightedItems<Measure>([['integrale_controle', 35], ['bibob', 20], ['last_onder_dwangsom', 20], ['sluiting_13b', 20], ['anders', 5]]);
const ENTRY_KIND = new WeightedItems<(typeof USER_ENTRY_KINDS)[number]>([['waarneming', 35], ['handeling', 30], ['verkregen_informatie', 20], ['contact_partner', 15]]);

// ---------------------------------------------------------------------------------------------------------
// The world: municipalities, their team's channels (scopes), the people in them, streets and addresses.

interface Person { aadObjectId: string; teamsUserId: string; name: string; email: string }
interface Street { name: string; prefix: number; maxNr: number }
interface Address { street: string; houseNumber: string; postcode: string; place: string; bagId: string | null; key: number }

interface Municipality {
  idx: number;
  id: string;
  code: string;
  name: string;
  country: 'NL' | 'BE';
  tenantId: string;
  teamId: string;
  teamAadGroupId: string;
  allowBsn: boolean;
  weight: number;
  scopes: number[];
  scopeDraw: Weighted | undefined;
  streets: Street[];
  hot: Address[];
  postBase: number;
  gemCode: string;
  mayor: Person;
  deputy: string;
  officers: Person[];
}

interface Subject { id: string }

interface Scope {
  idx: number;
  id: string;
  muni: number;
  name: string;
  kerngroep: boolean;
  channelId: string;
  key: string;
  /** Members, coordinators and chairs: who files and is assigned. */
  officers: Person[];
  /** Coordinators and chairs: who decides. */
  deciders: Person[];
  members: { person: Person; role: 'member' | 'coordinator' | 'chair' | 'mayor' }[];
  signals: number;
  persons: (Subject | undefined)[];
  companies: (Subject | undefined)[];
  addresses: Map<number, Subject>;
  byKey: Map<string, Subject>;
  overlegOffset: number;
}

interface CaseBuild {
  id: string;
  scope: number;
  muni: number;
  createdAt: number;
  signals: { id: string; reference: string; createdAt: number }[];
  confidentiality: string;
  title: string;
  subjects: Set<string>;
  lead: Person;
}

function person(rng: Rng, domain: string): Person {
  const name = `${rng.pick(['Fatima', 'Sanne', 'Daan', 'Pieter', 'Lotte', 'Ingrid', 'Youssef', 'Kim', 'Joost', 'Esther', 'Mark', 'Nina', 'Rob', 'Saskia',
    'Ahmed', 'Linda', 'Erik', 'Femke', 'Hakan', 'Marloes', 'Jasper', 'Naima', 'Tom', 'Karin'])} ${rng.pick(['de Vries', 'Jansen', 'Bakker', 'El Amrani',
    'Hoekstra', 'Peeters', 'Visser', 'Smit', 'Mulder', 'Yilmaz', 'van Dijk', 'Bos', 'Claes', 'Wouters', 'Kaya', 'de Graaf', 'Verhoeven', 'Maas'])}`;
  const aadObjectId = rng.uuid();
  return { aadObjectId, teamsUserId: `29:${aadObjectId.replace(/-/g, '').slice(0, 24)}`, name,
    email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@${domain}.example` };
}

function buildWorld(rng: Rng, cfg: ScaleConfig) {
  const names = municipalityNames(rng, cfg.municipalities);
  const raw = names.map((_, i) => (i + 1) ** -0.75);
  const totalWeight = raw.reduce((a, b) => a + b, 0);
  const codes = new Set<string>();
  const beIndexes = new Set<number>();
  while (beIndexes.size < Math.round(cfg.municipalities * 0.15)) beIndexes.add(rng.int(1, cfg.municipalities - 1));

  const municipalities: Municipality[] = names.map((name, idx) => {
    let code = name.slice(0, 3).toUpperCase();
    for (let n = 2; codes.has(code); n++) code = `${name.slice(0, 2).toUpperCase()}${n}`;
    codes.add(code);
    const country = beIndexes.has(idx) ? 'BE' : 'NL';
    const domain = name.toLowerCase();
    return {
      idx, id: rng.uuid(), code, name: `${country === 'NL' ? 'Gemeente' : 'Stad'} ${name}`, country, tenantId: rng.uuid(),
      teamId: `19:${code.toLowerCase()}-general@thread.tacv2`, teamAadGroupId: rng.uuid(), allowBsn: country === 'NL' && rng.chance(0.3),
      weight: raw[idx] / totalWeight, scopes: [], scopeDraw: undefined, streets: [], hot: [],
      postBase: country === 'NL' ? 1000 + Math.floor((idx * 8900) / cfg.municipalities) : 1000 + Math.floor((idx * 8900) / cfg.municipalities) + rng.int(0, 50),
      gemCode: String(100 + idx * 7).padStart(4, '0'), mayor: person(rng, domain), deputy: rng.uuid(), officers: [],
    };
  });

  // Every municipality has its main "Signalen" channel and a "Kerngroep" (with the mayor); the rest by size.
  const extra = cfg.scopes - 2 * cfg.municipalities;
  const extras = municipalities.map((m) => Math.floor(extra * m.weight));
  for (let left = extra - extras.reduce((a, b) => a + b, 0), i = 0; left > 0; left--, i++) extras[i % extras.length]++;

  const scopes: Scope[] = [];
  for (const m of municipalities) {
    const domain = m.name.split(' ')[1].toLowerCase();
    const channelCount = 2 + extras[m.idx];
    m.officers = Array.from({ length: 3 + 2 * channelCount }, () => person(rng, domain));
    const coordinators = m.officers.slice(0, 1 + Math.floor(channelCount / 12));
    const chair = m.officers[coordinators.length];
    const regular = m.officers.slice(coordinators.length + 1);
    const channelNames = ['Signalen', 'Kerngroep', ...Array.from({ length: extras[m.idx] }, (_, i) =>
      `${CHANNEL_NAMES[i % CHANNEL_NAMES.length]}${i >= CHANNEL_NAMES.length ? ` ${1 + Math.floor(i / CHANNEL_NAMES.length)}` : ''}`)];
    const weights: number[] = [];
    channelNames.forEach((channel, i) => {
      const kerngroep = channel === 'Kerngroep';
      const slug = channel.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      const channelId = `19:${m.code.toLowerCase()}-${slug}@thread.tacv2`;
      const members: Scope['members'] = [...coordinators.map((p) => ({ person: p, role: 'coordinator' as const })), { person: chair, role: 'chair' as const }];
      if (kerngroep) members.push({ person: m.mayor, role: 'mayor' });
      const memberCount = kerngroep ? 1 : rng.int(3, 12);
      const chosen = new Set<Person>();
      while (chosen.size < Math.min(memberCount, regular.length)) chosen.add(rng.pick(regular));
      for (const p of chosen) members.push({ person: p, role: 'member' });
      const s: Scope = {
        idx: scopes.length, id: rng.uuid(), muni: m.idx, name: `${channel} ${m.name.split(' ')[1]}`, kerngroep, channelId,
        key: `channel:${m.tenantId}:${m.teamId}:${channelId}`,
        officers: members.filter((x) => x.role !== 'mayor').map((x) => x.person),
        deciders: members.filter((x) => x.role === 'coordinator' || x.role === 'chair').map((x) => x.person),
        members, signals: 0, persons: [], companies: [], addresses: new Map(), byKey: new Map(), overlegOffset: rng.int(0, 13),
      };
      scopes.push(s);
      m.scopes.push(s.idx);
      weights.push(kerngroep ? 0 : i === 0 ? 0 : Math.exp(rng.normal(0, 0.6)));
    });
    // The main channel gets half as much as all others together (or everything when it is alone); the kerngroep 2%.
    const others = weights.reduce((a, b) => a + b, 0);
    weights[0] = others === 0 ? 1 : others / 2;
    weights[1] = 0.02 * weights.reduce((a, b) => a + b, 0);
    m.scopeDraw = new Weighted(weights);
  }
  return { municipalities, scopes };
}

function streetsOf(rng: Rng, m: Municipality, signals: number): void {
  const names = streetNames(rng, Math.min(1000, 40 + Math.floor(signals / 150)));
  const ranges = Math.max(2, Math.min(60, Math.floor(signals / 2500)));
  m.streets = names.map((name) => ({ name, prefix: m.country === 'NL' ? m.postBase + rng.int(0, ranges - 1) : m.postBase + rng.int(0, 2) * 10,
    maxNr: 10 + rng.skewed(240, 1.5) }));
}

const LETTERS = 'ABCDEFGHJKLMNPRTVWXZ';

function addressOf(m: Municipality, streetIdx: number, nr: number, suffix: number): Address {
  const street = m.streets[streetIdx];
  const block = Math.floor(nr / 25);
  const postcode = m.country === 'NL'
    ? `${street.prefix} ${LETTERS[(streetIdx * 7 + block) % LETTERS.length]}${LETTERS[(streetIdx * 13 + block * 3) % LETTERS.length]}`
    : String(street.prefix);
  const houseNumber = `${nr}${suffix === 0 ? '' : String.fromCharCode(64 + suffix)}`;
  const bagId = m.country === 'NL' && (streetIdx + nr) % 5 < 3 ? `${m.gemCode}01${String(streetIdx * 10_000 + nr * 4 + suffix).padStart(10, '0')}` : null;
  return { street: street.name, houseNumber, postcode, place: m.name.split(' ')[1], bagId, key: streetIdx * 10_000 + nr * 4 + suffix };
}

function drawAddress(rng: Rng, m: Municipality): Address {
  // A fifth of the signals land on a "hot" address that keeps coming back; the rest spread over the streets.
  if (m.hot.length > 0 && rng.chance(0.2)) return m.hot[rng.skewed(m.hot.length, 1.5)];
  const s = rng.skewed(m.streets.length, 1.6);
  const nr = 1 + rng.skewed(m.streets[s].maxNr, 1.2);
  return addressOf(m, s, nr, rng.chance(0.06) ? rng.int(1, 3) : 0);
}

// ---------------------------------------------------------------------------------------------------------
// Filing times: three years, more signals as the tool is adopted, few in weekends, mostly office hours.

interface Calendar { first: number; days: number; dayStarts: Float64Array; dayNames: string[]; offsets: Float64Array; draw: Weighted }

function calendar(rng: Rng, years: number, now: number): Calendar {
  const today = new Date(now).toISOString().slice(0, 10);
  const first = Math.round(Date.parse(`${today}T00:00:00Z`) / DAY) - Math.round(365.25 * years) + 1;
  const days = Math.round(Date.parse(`${today}T00:00:00Z`) / DAY) - first + 1;
  const dayNames: string[] = [];
  const dayStarts = new Float64Array(days + 1);
  const offsets = new Float64Array(days);
  const weights: number[] = [];
  for (let d = 0; d <= days; d++) {
    const name = new Date((first + d) * DAY).toISOString().slice(0, 10);
    dayStarts[d] = zonedInstant(name, '00:00').getTime();
    if (d === days) break;
    dayNames.push(name);
    // Offset of local time at noon: exact for every time after the night of a DST change.
    offsets[d] = zonedInstant(name, '12:00').getTime() - Date.parse(`${name}T12:00:00Z`);
    const weekday = new Date((first + d) * DAY).getUTCDay();
    weights.push((0.35 + 0.65 * (d / days)) * (weekday === 0 ? 0.12 : weekday === 6 ? 0.22 : 1) * (0.9 + 0.2 * rng.next()));
  }
  return { first, days, dayStarts, dayNames, offsets, draw: new Weighted(weights) };
}

function filingTime(rng: Rng, cal: Calendar, now: number): number {
  const d = cal.draw.draw(rng);
  const minutes = Math.max(7 * 60, Math.min(22 * 60 - 1, rng.normal(11.5 * 60, 2.6 * 60)));
  const t = (cal.first + d) * DAY + minutes * 60_000 + rng.int(0, 59_999) + cal.offsets[d];
  return t <= now ? t : cal.dayStarts[d] + rng.next() * (now - cal.dayStarts[d]);
}

/** The local day index of an instant (binary search over the local midnights). */
function dayIndex(cal: Calendar, t: number): number {
  let lo = 0;
  let hi = cal.days - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cal.dayStarts[mid] <= t) lo = mid; else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------------
// Loading

const BIG_TABLES = ['Signal', 'JournalEntry', 'StatusChange', 'Subject', 'SubjectLink', 'Case'];

async function connect(url: string): Promise<Client> {
  const c = new Client({ connectionString: url });
  await c.connect();
  // Bulk load: no commit flush per statement; foreign keys are not checked (the generator writes consistent rows, and
  // the rebuilt unique indexes check the keys that matter).
  await c.query("SET synchronous_commit = off; SET session_replication_role = replica; SET maintenance_work_mem = '512MB'");
  return c;
}

async function prepareDatabase(cfg: ScaleConfig, reset: boolean): Promise<void> {
  const { name, adminUrl } = databaseOf(cfg.url);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    if (reset) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  // The project's own deploy, exactly as `npm run db:deploy` runs it.
  const root = projectRoot();
  const run = spawnSync(process.execPath, [path.join(root, 'lib', 'src', 'store', 'cli.js'), 'deploy', '--url', cfg.url], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`Migrations failed (exit ${run.status})`);
}

interface IndexDef { name: string; table: string; def: string }

async function dropSecondaryIndexes(c: Client): Promise<IndexDef[]> {
  const { rows } = await c.query<IndexDef>(`
    SELECT i.indexrelid::regclass::text AS name, t.relname AS "table", pg_get_indexdef(i.indexrelid) AS def
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND t.relname = ANY($1) AND NOT i.indisprimary`, [BIG_TABLES]);
  for (const r of rows) await c.query(`DROP INDEX ${r.name}`);
  return rows;
}

async function rebuildIndexes(clients: Client[], defs: IndexDef[]): Promise<void> {
  const order = ['JournalEntry', 'Signal', 'StatusChange', 'SubjectLink', 'Subject', 'Case'];
  const queue = [...defs].sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table));
  await Promise.all(clients.map(async (c) => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const t0 = Date.now();
      await c.query(d.def);
      process.stdout.write(`  index ${d.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    }
  }));
}

// ---------------------------------------------------------------------------------------------------------

const COLUMNS = {
  Signal: ['id', 'scopeId', 'municipalityId', 'reference', 'phenomenon', 'description', 'street', 'houseNumber', 'postcode', 'place', 'bagId', 'observedOn',
    'observedTime', 'sourceType', 'sourceNature', 'sourceReliability', 'informationReliability', 'urgency', 'problemType', 'confidentiality', 'legalBasis',
    'status', 'statusReason', 'handedOverTo', 'statusChangedAt', 'assigneeAadId', 'assigneeName', 'dueOn', 'caseId', 'sourceMessageUrl',
    'sourceMessageAuthor', 'reporterAadId', 'reporterName', 'createdAt', 'updatedAt', 'journalHead', 'journalLength'],
  Case: ['id', 'scopeId', 'municipalityId', 'reference', 'title', 'phase', 'phaseReason', 'measures', 'leadAadId', 'leadName', 'targetDate',
    'confidentiality', 'createdByAadId', 'sharedWithMayorAt', 'crisisAt', 'createdAt', 'updatedAt', 'journalHead', 'journalLength'],
  JournalEntry: ['scopeId', 'signalId', 'caseId', 'dossier', 'sequence', 'kind', 'text', 'occurredAt', 'source', 'sourceReliability', 'informationReliability',
    'legalBasis', 'authorAadId', 'authorName', 'links', 'correctsSequence', 'recordedAt', 'prevHash', 'hash'],
  StatusChange: ['signalId', 'caseId', 'transition', 'fromState', 'toState', 'reason', 'partner', 'actorAadId', 'actorName', 'at'],
  Subject: ['id', 'scopeId', 'kind', 'matchKey', 'displayName', 'name', 'birthDate', 'bsn', 'kvk', 'street', 'houseNumber', 'postcode', 'place', 'bagId',
    'createdAt'],
  SubjectLink: ['id', 'subjectId', 'signalId', 'caseId', 'createdAt'],
} as const;

interface Draft { kind: string; text: string; at: number; occurredAt: number; author: Person; source: string | null; sr: string | null; ir: string | null; legalBasis: string | null }

/** Seals a dossier's entries (sorted by recording time) into a chain and writes them; returns the head. */
async function writeJournal(w: TableWriter, scopeId: string, ref: { signalId: string } | { caseId: string }, drafts: Draft[]): Promise<{ head: string; length: number }> {
  drafts.sort((a, b) => a.at - b.at);
  const dossier = dossierName(ref);
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    const content: SealedContent = {
      dossier, sequence: i + 1, kind: d.kind, text: d.text, occurredAt: new Date(d.occurredAt).toISOString(), source: d.source, sourceReliability: d.sr,
      informationReliability: d.ir, legalBasis: d.legalBasis, authorAadId: d.author.aadObjectId, authorName: d.author.name, links: [], correctsSequence: null,
      recordedAt: new Date(d.at).toISOString(), prevHash,
    };
    const hash = sealOf(content);
    await w.add([scopeId, 'signalId' in ref ? ref.signalId : null, 'caseId' in ref ? ref.caseId : null, dossier, content.sequence, content.kind, content.text,
      content.occurredAt, content.source, content.sourceReliability, content.informationReliability, content.legalBasis, content.authorAadId,
      content.authorName, [], null, content.recordedAt, prevHash, hash]);
    prevHash = hash;
  }
  return { head: prevHash, length: drafts.length };
}

const levelRank = (level: string) => (CONFIDENTIALITY_LEVELS as readonly string[]).indexOf(level);
const iso = (t: number) => new Date(Math.round(t)).toISOString();

export async function generate(argv: string[]): Promise<void> {
  const cfg = scaleConfig();
  const reset = argv.includes('--reset');
  const started = Date.now();
  const now = started;
  const rng = new Rng(cfg.seed);
  process.stdout.write(`Generating ${cfg.signals.toLocaleString('en')} signals over ${cfg.scopes} scopes in ${cfg.municipalities} municipalities into ${databaseOf(cfg.url).name}\n`);

  await prepareDatabase(cfg, reset);
  const main = await connect(cfg.url);
  const existing = await main.query<{ n: string }>('SELECT count(*)::text AS n FROM "Signal"');
  if (existing.rows[0].n !== '0') {
    await main.end();
    throw new Error(`${databaseOf(cfg.url).name} already holds ${existing.rows[0].n} signals: use --reset to start over`);
  }
  const journalClient = await connect(cfg.url);
  const otherClient = await connect(cfg.url);
  const dropped = await dropSecondaryIndexes(main);

  // The world, and which municipality and scope each signal (in filing order) belongs to.
  const { municipalities, scopes } = buildWorld(rng, cfg);
  const cal = calendar(rng, cfg.years, now);
  const times = new Float64Array(cfg.signals);
  for (let i = 0; i < cfg.signals; i++) times[i] = filingTime(rng, cal, now);
  times.sort();
  const muniDraw = new Weighted(municipalities.map((m) => m.weight));
  const scopeOf = new Uint16Array(cfg.signals);
  const perMuni = new Array<number>(municipalities.length).fill(0);
  for (let i = 0; i < cfg.signals; i++) {
    const m = municipalities[muniDraw.draw(rng)];
    const s = m.scopes[(m.scopeDraw as Weighted).draw(rng)];
    scopeOf[i] = s;
    scopes[s].signals++;
    perMuni[m.idx]++;
  }
  for (const m of municipalities) {
    streetsOf(rng, m, perMuni[m.idx]);
    m.hot = Array.from({ length: Math.max(20, Math.floor(perMuni[m.idx] / 40)) }, () => {
      const s = rng.int(0, m.streets.length - 1);
      return addressOf(m, s, rng.int(1, m.streets[s].maxNr), 0);
    });
  }
  for (const s of scopes) {
    s.persons = new Array<Subject | undefined>(Math.max(30, Math.round(s.signals * 0.5)));
    s.companies = new Array<Subject | undefined>(Math.max(10, Math.round(s.signals * 0.2)));
  }

  // Municipalities, scopes, members.
  await copyRows(main, 'Municipality', ['id', 'code', 'name', 'country', 'phenomena', 'legalBases', 'allowBsn', 'retention', 'deputyAadIds', 'createdAt'],
    municipalities.map((m) => line([m.id, m.code, m.name, m.country, '[]', '[]', m.allowBsn, '[]', [m.deputy], iso(cal.dayStarts[0] - 30 * DAY)])));
  await copyRows(main, 'Scope', ['id', 'key', 'kind', 'tenantId', 'teamId', 'teamAadGroupId', 'channelId', 'name', 'serviceUrl', 'rosterConversationId',
    'municipalityId', 'membershipType', 'enabled', 'rosterSyncedAt', 'createdAt'],
  scopes.map((s) => {
    const m = municipalities[s.muni];
    return line([s.id, s.key, 'channel', m.tenantId, m.teamId, m.teamAadGroupId, s.channelId, s.name, 'https://smba.trafficmanager.net/emea/', m.teamId,
      m.id, 'standard', true, iso(now - 2 * HOUR), iso(cal.dayStarts[0] - 20 * DAY)]);
  }));
  await copyRows(main, 'Member', ['id', 'scopeId', 'aadObjectId', 'teamsUserId', 'name', 'email', 'role', 'active', 'createdAt', 'updatedAt'],
    scopes.flatMap((s) => s.members.map((x) => line([rng.uuid(), s.id, x.person.aadObjectId, x.person.teamsUserId, x.person.name, x.person.email, x.role,
      true, iso(cal.dayStarts[0] - 20 * DAY), iso(now - 2 * HOUR)]))));

  const onMain = new Serial(main);
  const onOther = new Serial(otherClient);
  const w = {
    signal: new TableWriter(onMain, 'Signal', COLUMNS.Signal, 10_000),
    journal: new TableWriter(new Serial(journalClient), 'JournalEntry', COLUMNS.JournalEntry, 20_000),
    status: new TableWriter(onOther, 'StatusChange', COLUMNS.StatusChange, 20_000),
    subject: new TableWriter(onOther, 'Subject', COLUMNS.Subject, 20_000),
    link: new TableWriter(onOther, 'SubjectLink', COLUMNS.SubjectLink, 20_000),
  };

  const counters = new Map<string, number>();
  const dueCache = new Map<string, string>();
  const cases: CaseBuild[] = [];
  const caseAtOverleg = new Map<string, CaseBuild>();

  async function subjectFor(s: Scope, input: SubjectInput, createdAt: number): Promise<Subject> {
    // Two mentions with the same match key are the same subject (as linkSubjects' upsert makes them).
    const matchKey = matchKeyOf(input);
    const known = s.byKey.get(matchKey);
    if (known) return known;
    const id = rng.uuid();
    s.byKey.set(matchKey, { id });
    const p = input.kind === 'person' ? input : null;
    const c = input.kind === 'company' ? input : null;
    const a = input.kind === 'address' ? input : null;
    await w.subject.add([id, s.id, input.kind, matchKey, displayNameOf(input), p?.name ?? c?.name ?? null, p?.birthDate ?? null, p?.bsn ?? null,
      c?.kvk ?? null, a?.street ?? null, a?.houseNumber ?? null, a?.postcode ?? null, a?.place ?? null, a?.bagId ?? null, iso(createdAt)]);
    return { id };
  }

  for (let i = 0; i < cfg.signals; i++) {
    const s = scopes[scopeOf[i]];
    const m = municipalities[s.muni];
    const t0 = Math.round(times[i]);
    const day = dayIndex(cal, t0);
    const filedOn = cal.dayNames[day];
    const year = Number(filedOn.slice(0, 4));
    const counterKey = `${m.idx}:SIG:${year}`;
    const seq = (counters.get(counterKey) ?? 0) + 1;
    counters.set(counterKey, seq);
    const reference = formatReference('SIG', year, seq);
    const id = rng.uuid();
    const phenomenon = (m.country === 'NL' ? NL_PHENOMENA : BE_PHENOMENA).draw(rng);
    const address = drawAddress(rng, m);
    const reporter = rng.pick(s.officers);
    const sourceType = SOURCE_TYPES.draw(rng);
    const hardSource = sourceType === 'registratie' || sourceType === 'partner';
    const confidentiality = CONFIDENTIALITY.draw(rng);
    const termDays = termDaysOf(defaultPhenomena(m.country), phenomenon);
    const dueKey = `${filedOn}:${termDays}:${m.country}`;
    let dueOn = dueCache.get(dueKey);
    if (dueOn === undefined) {
      dueOn = addWorkingDays(filedOn, termDays, m.country);
      dueCache.set(dueKey, dueOn);
    }
    const observedBack = rng.skewed(15, 2);
    const observedOn = cal.dayNames[Math.max(0, day - observedBack)];
    const localMinutes = Math.floor((t0 - cal.dayStarts[day]) / 60_000);
    const observedMinutes = observedBack === 0 ? rng.int(0, Math.max(0, localMinutes)) : rng.int(0, 24 * 60 - 1);
    const observedTime = rng.chance(0.55) ? `${String(Math.floor(observedMinutes / 60)).padStart(2, '0')}:${String(observedMinutes % 60).padStart(2, '0')}` : null;
    const fromMessage = rng.chance(0.06);

    // The journal's first entry, as fileSignal writes it.
    const drafts: Draft[] = [{ kind: 'statuswijziging', text: `Signaal ${reference} vastgelegd${fromMessage ? ' uit een Teams-bericht' : ''}; status: nieuw.`, at: t0,
      occurredAt: t0, author: reporter, source: null, sr: null, ir: null, legalBasis: null }];

    // The workflow so far: each step happens at its time if that time has come.
    const st: { status: SignalStatus; changedAt: number; reason: string | null; handedOverTo: string | null } = { status: 'nieuw', changedAt: t0, reason: null, handedOverTo: null };
    let assignee: Person | null = null;
    let caseBuild: CaseBuild | undefined;
    let enrichingSince: number | null = null;
    let enrichingUntil = now;
    const step = async (at: number, transition: string, to: SignalStatus, actor: Person, extra: { reason?: string; partner?: Partner } = {}): Promise<boolean> => {
      if (at > now) return false;
      await w.status.add([id, null, transition, st.status, to, extra.reason ?? null, extra.partner ?? null, actor.aadObjectId, actor.name, iso(at)]);
      drafts.push({ kind: 'statuswijziging', author: actor, at, occurredAt: at, source: null, sr: null, ir: null, legalBasis: null,
        text: `Status: ${SIGNAL_STATUS_LABELS[st.status].nl} → ${SIGNAL_STATUS_LABELS[to].nl}.`
          + (extra.partner ? ` Overgedragen aan: ${PARTNER_LABELS[extra.partner].nl}.` : '') + (extra.reason ? ` Reden: ${extra.reason}` : '') });
      st.status = to;
      st.changedAt = at;
      st.reason = extra.reason ?? null;
      if (to === 'overgedragen') st.handedOverTo = extra.partner ?? null;
      return true;
    };
    const stuck = rng.chance(0.04);
    let t = t0 + (0.2 + rng.exp(4)) * DAY;
    if (!stuck || rng.chance(0.6)) {
      const enricher = rng.chance(0.7) ? rng.pick(s.officers) : reporter;
      if (await step(t, 'verrijken', 'in_verrijking', enricher)) {
        enrichingSince = t;
        if (rng.chance(0.7)) assignee = enricher;
      }
    }
    if (!stuck && st.status === 'in_verrijking') {
      if (rng.chance(0.38)) {
        t += (1 + rng.exp(25)) * DAY;
        if (await step(t, 'afsluiten', 'afgesloten', rng.pick(s.deciders), { reason: rng.pick(CLOSING_REASONS) })) enrichingUntil = t;
      } else {
        t += (2 + rng.exp(18)) * DAY;
        if (await step(t, 'klaarVoorOverleg', 'klaar_voor_overleg', rng.pick(s.deciders))) {
          enrichingUntil = t;
          // The next signalenoverleg of this channel (every two weeks), about 10:00.
          const dayNumber = Math.floor(t / DAY) + 1;
          const overlegDay = dayNumber + ((((s.overlegOffset - dayNumber) % 14) + 14) % 14);
          const overleg = overlegDay * DAY + 9 * HOUR + rng.int(0, 90) * 60_000;
          const chair = s.deciders[s.deciders.length - 1];
          if (await step(overleg, 'bespreken', 'besproken', chair)) {
            const r = rng.next();
            const decidedAt = overleg + 60_000;
            if (r < 0.07) {
              if (decidedAt <= now) {
                const key = `${s.idx}:${overlegDay}`;
                let c = caseAtOverleg.get(key);
                if (!c || c.signals.length >= 4 || rng.chance(0.5)) {
                  c = { id: rng.uuid(), scope: s.idx, muni: m.idx, createdAt: decidedAt, signals: [], confidentiality: 'intern',
                    title: rng.pick(CASE_TITLES).replace('{street}', address.street), subjects: new Set(), lead: rng.pick(s.deciders) };
                  cases.push(c);
                  caseAtOverleg.set(key, c);
                }
                caseBuild = c;
                c.signals.push({ id, reference, createdAt: t0 });
                if (levelRank(confidentiality) > levelRank(c.confidentiality)) c.confidentiality = confidentiality;
                await w.status.add([id, null, 'promoveren', st.status, 'casus', null, null, chair.aadObjectId, chair.name, iso(c.createdAt)]);
                drafts.push({ kind: 'besluit', text: 'Opgenomen in een casus; status: casus.', at: c.createdAt, occurredAt: c.createdAt, author: chair,
                  source: null, sr: null, ir: null, legalBasis: null });
                st.status = 'casus';
                st.changedAt = c.createdAt;
                st.reason = null;
              }
            } else if (r < 0.37) {
              await step(decidedAt, 'overdragen', 'overgedragen', chair, { reason: rng.pick(HANDOVER_REASONS), partner: PARTNER.draw(rng) });
            } else if (r < 0.90) {
              await step(decidedAt, 'afsluiten', 'afgesloten', chair, { reason: rng.pick(CLOSING_REASONS) });
            } else {
              // Decided at a later overleg.
              await step(decidedAt + rng.int(14, 28) * DAY, 'afsluiten', 'afgesloten', chair, { reason: rng.pick(CLOSING_REASONS) });
            }
          }
        }
      }
    }

    // What officers wrote while enriching.
    if (enrichingSince !== null) {
      const until = Math.min(enrichingUntil, now);
      const n = rng.chance(0.4) ? 0 : rng.chance(0.58) ? 1 : rng.chance(0.68) ? 2 : 3;
      for (let k = 0; k < n; k++) {
        const at = enrichingSince + rng.next() * Math.max(0, until - enrichingSince);
        const kind = ENTRY_KIND.draw(rng);
        const obtained = kind === 'verkregen_informatie';
        drafts.push({ kind, text: entryText(rng, kind), at: Math.round(at), occurredAt: Math.round(at - rng.next() * 48 * HOUR), author: rng.pick(s.officers),
          source: obtained ? rng.pick(['Politie', 'Netbeheerder', 'Woningcorporatie', 'Belastingdienst', 'RIEC', 'Buurtbewoner']) : null,
          sr: obtained ? RELIABILITY.draw(rng) : null, ir: obtained ? String(INFORMATION.draw(rng)) : null,
          legalBasis: rng.chance(0.3) ? (m.country === 'NL' ? NL_BASES : BE_BASES).draw(rng) : null });
      }
    }

    // Subjects: the signal's own address always (as the intake adds it), persons and companies from the channel's pool.
    const subjectIds = new Set<string>();
    let addressSubject = s.addresses.get(address.key);
    if (!addressSubject) {
      addressSubject = await subjectFor(s, { kind: 'address', street: address.street, houseNumber: address.houseNumber, postcode: address.postcode,
        place: address.place, bagId: address.bagId }, t0);
      s.addresses.set(address.key, addressSubject);
    }
    subjectIds.add(addressSubject.id);
    const personCount = rng.chance(0.45) ? 0 : rng.chance(0.73) ? 1 : 2;
    for (let k = 0; k < personCount; k++) {
      const p = rng.skewed(s.persons.length, 1.8);
      let subject = s.persons[p];
      if (!subject) {
        const birth = new Date(Date.UTC(rng.int(1950, 2006), rng.int(0, 11), rng.int(1, 28))).toISOString().slice(0, 10);
        subject = await subjectFor(s, { kind: 'person', name: personName(rng), birthDate: rng.chance(0.7) ? birth : null,
          bsn: m.allowBsn && rng.chance(0.4) ? bsn(rng) : null }, t0);
        s.persons[p] = subject;
      }
      subjectIds.add(subject.id);
    }
    if (rng.chance(0.35)) {
      const c = rng.skewed(s.companies.length, 1.8);
      let subject = s.companies[c];
      if (!subject) {
        subject = await subjectFor(s, { kind: 'company', name: companyName(rng), kvk: rng.chance(0.9) ? String(rng.int(10_000_000, 99_999_999)) : null }, t0);
        s.companies[c] = subject;
      }
      subjectIds.add(subject.id);
    }
    for (const subjectId of subjectIds) {
      await w.link.add([rng.uuid(), subjectId, id, null, iso(t0)]);
      caseBuild?.subjects.add(subjectId);
    }

    const journal = await writeJournal(w.journal, s.id, { signalId: id }, drafts);
    await w.signal.add([id, s.id, m.id, reference, phenomenon, description(rng, phenomenon), address.street, address.houseNumber, address.postcode,
      address.place, address.bagId, observedOn, observedTime, sourceType, hardSource ? (rng.chance(0.7) ? 'hard' : 'zacht') : (rng.chance(0.75) ? 'zacht' : 'hard'),
      RELIABILITY.draw(rng), INFORMATION.draw(rng), URGENCY.draw(rng), PROBLEM.draw(rng), confidentiality, (m.country === 'NL' ? NL_BASES : BE_BASES).draw(rng),
      st.status, st.reason, st.handedOverTo, iso(st.changedAt), assignee?.aadObjectId ?? null, assignee?.name ?? null, dueOn, caseBuild?.id ?? null,
      fromMessage ? `https://teams.microsoft.com/l/message/${s.channelId}/${t0}?tenantId=${m.tenantId}` : null, fromMessage ? rng.pick(s.officers).name : null,
      reporter.aadObjectId, reporter.name, iso(t0), iso(st.changedAt), journal.head, journal.length]);

    if ((i + 1) % 100_000 === 0) process.stdout.write(`  ${(i + 1).toLocaleString('en')} signals (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }

  // Cases: numbered per municipality and year in the order they were made, with their phases, measures and journal.
  cases.sort((a, b) => a.createdAt - b.createdAt);
  const caseWriter = new TableWriter(onMain, 'Case', COLUMNS.Case, 10_000);
  for (const c of cases) {
    const s = scopes[c.scope];
    const m = municipalities[c.muni];
    const year = Number(cal.dayNames[dayIndex(cal, c.createdAt)].slice(0, 4));
    const counterKey = `${m.idx}:CASE:${year}`;
    const seq = (counters.get(counterKey) ?? 0) + 1;
    counters.set(counterKey, seq);
    const reference = formatReference('CASE', year, seq);
    const drafts: Draft[] = [{ kind: 'besluit', text: `Casus ${reference} aangemaakt uit ${c.signals.map((x) => x.reference).join(', ')}; fase: signalering.`,
      at: c.createdAt, occurredAt: c.createdAt, author: c.lead, source: null, sr: null, ir: null, legalBasis: null }];
    await w.status.add([null, c.id, 'aanmaken', '', 'signalering', null, null, c.lead.aadObjectId, c.lead.name, iso(c.createdAt)]);
    let phase: CasePhase = 'signalering';
    let changedAt = c.createdAt;
    let t = c.createdAt;
    const measures: Measure[] = [];
    const next: [CasePhase, number][] = [['verrijking', 1 + rng.exp(10)], ['interventie', rng.exp(45)], ['evaluatie', 7 + rng.exp(60)], ['afgesloten', 7 + rng.exp(40)]];
    let phaseReason: string | null = null;
    for (const [to, days] of next) {
      t += days * DAY;
      if (t > now) break;
      const actor = rng.pick(s.deciders);
      const reason = to === 'afgesloten' ? 'Maatregelen uitgevoerd; situatie is genormaliseerd.' : null;
      await w.status.add([null, c.id, to === 'afgesloten' ? 'close' : 'forward', phase, to, reason, null, actor.aadObjectId, actor.name, iso(t)]);
      drafts.push({ kind: 'statuswijziging', text: `Fase: ${CASE_PHASE_LABELS[phase].nl} → ${CASE_PHASE_LABELS[to].nl}.${reason ? ` Reden: ${reason}` : ''}`,
        at: t, occurredAt: t, author: actor, source: null, sr: null, ir: null, legalBasis: null });
      phase = to;
      phaseReason = reason;
      changedAt = t;
      if (to === 'interventie') {
        const count = rng.chance(0.6) ? 1 : 2;
        for (let k = 0; k < count; k++) {
          const measure = MEASURE.draw(rng);
          const at = t + rng.exp(7) * DAY;
          if (at > now || measures.includes(measure)) continue;
          measures.push(measure);
          await w.status.add([null, c.id, 'maatregel', '', measure, null, null, c.lead.aadObjectId, c.lead.name, iso(at)]);
          drafts.push({ kind: 'besluit', text: `Casusgegevens: maatregelen ${measures.map((x) => MEASURE_LABELS[x].nl).join(', ')}; regisseur ${c.lead.name}; streefdatum geen.`,
            at, occurredAt: at, author: c.lead, source: null, sr: null, ir: null, legalBasis: null });
        }
      }
    }
    const open = phase !== 'afgesloten';
    const shared = open && (phase === 'interventie' || phase === 'evaluatie') && rng.chance(0.15) ? changedAt + rng.next() * Math.max(0, now - changedAt) : null;
    const crisis = rng.chance(0.01) ? c.createdAt : null;
    for (const subjectId of c.subjects) await w.link.add([rng.uuid(), subjectId, null, c.id, iso(c.createdAt)]);
    const journal = await writeJournal(w.journal, s.id, { caseId: c.id }, drafts);
    await caseWriter.add([c.id, s.id, m.id, reference, c.title, phase, phaseReason, measures, c.lead.aadObjectId, c.lead.name, null, c.confidentiality,
      c.lead.aadObjectId, shared === null ? null : iso(shared), crisis === null ? null : iso(crisis), iso(c.createdAt), iso(changedAt), journal.head,
      journal.length]);
  }

  await Promise.all([w.signal.finish(), caseWriter.finish(), w.journal.finish(), w.status.finish(), w.subject.finish(), w.link.finish()]);
  await copyRows(main, 'ReferenceCounter', ['municipalityId', 'kind', 'year', 'last'], [...counters].map(([key, last]) => {
    const [idx, kind, year] = key.split(':');
    return line([municipalities[Number(idx)].id, kind, Number(year), last]);
  }));
  const loadedAt = Date.now();
  const cpu = process.cpuUsage();
  process.stdout.write(`Rows written in ${((loadedAt - started) / 1000).toFixed(0)} s (this process: ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU); `
    + `rebuilding ${dropped.length} indexes\n`);

  await rebuildIndexes([main, journalClient], dropped);
  const indexedAt = Date.now();
  process.stdout.write(`Indexes rebuilt in ${((indexedAt - loadedAt) / 1000).toFixed(0)} s; VACUUM ANALYZE\n`);
  const vacuumQueue = [...BIG_TABLES, 'Municipality', 'Scope', 'Member', 'ReferenceCounter'];
  await Promise.all([main, journalClient].map(async (c) => {
    for (let table = vacuumQueue.shift(); table; table = vacuumQueue.shift()) await c.query(`VACUUM (ANALYZE) "${table}"`);
  }));
  const done = Date.now();

  const counts: Record<string, number> = {};
  for (const table of ['Municipality', 'Scope', 'Member', 'Signal', 'JournalEntry', 'Subject', 'SubjectLink', 'StatusChange', 'Case']) {
    const r = await main.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${table}"`);
    counts[table] = Number(r.rows[0].n);
  }
  const sizes = await main.query<{ table: string; size: string }>(`
    SELECT c.relname AS "table", pg_size_pretty(pg_total_relation_size(c.oid)) AS size FROM pg_class c
    WHERE c.relname = ANY($1) AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC`, [BIG_TABLES]);
  const database = await main.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS size');
  const scopeSizes = scopes.filter((s) => !s.kerngroep).map((s) => s.signals).sort((a, b) => a - b);
  const summary = {
    at: new Date(started).toISOString(), config: { ...cfg, url: undefined, database: databaseOf(cfg.url).name },
    seconds: { load: Math.round((loadedAt - started) / 1000), indexes: Math.round((indexedAt - loadedAt) / 1000), vacuum: Math.round((done - indexedAt) / 1000),
      total: Math.round((done - started) / 1000) },
    counts, tableSizes: Object.fromEntries(sizes.rows.map((r) => [r.table, r.size])), databaseSize: database.rows[0].size,
    shape: {
      signalsPerMunicipality: { min: Math.min(...perMuni), median: [...perMuni].sort((a, b) => a - b)[perMuni.length >> 1], max: Math.max(...perMuni) },
      signalsPerChannel: { min: scopeSizes[0], median: scopeSizes[scopeSizes.length >> 1], p90: scopeSizes[Math.floor(scopeSizes.length * 0.9)],
        max: scopeSizes[scopeSizes.length - 1] },
      firstDay: cal.dayNames[0], lastDay: cal.dayNames[cal.days - 1],
      freeTextQueries: FREE_TEXT_QUERIES,
    },
  };
  mergeJson(path.join(resultsDir(), 'scale.json'), 'generation', summary);
  process.stdout.write(`${JSON.stringify({ seconds: summary.seconds, counts, databaseSize: summary.databaseSize }, null, 2)}\n`);
  await Promise.all([main.end(), journalClient.end(), otherClient.end()]);
}
