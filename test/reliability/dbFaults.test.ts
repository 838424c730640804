// Database faults. PostgreSQL: a loopback TCP proxy between the bot and the server cuts every connection at a random
// moment during writes (filing a signal with subjects, a status transition with its journal entry, a journal entry),
// then lets connections through again. PGlite: the bot in its own process is killed (SIGKILL) in the middle of a
// stream of writes and started again on the same data directory. Either way: no partial record (each use case is one
// transaction), no journal or audit chain gap, no gap in the reference numbers, the user told to try again in their
// language (never exception text or SQL) or the write done in full, a retry with the same nonce never doubling a
// write whose answer was lost, and the bot working again without a restart (PostgreSQL) or after one (PGlite).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { createLogger } from '../../src/logger';
import { verifyJournals } from '../../src/services/journal';
import { verifyAuditChains } from '../../src/store/audit';
import { openPglite, openPostgres, type Database } from '../../src/store/db';
import { seedDemoData } from '../../src/store/seed';
import { buildLib, startBotProcess, type BotProcess } from '../support/botProcess';
import { startConnectorStub, type ConnectorStub } from '../support/connectorStub';
import {
  DEMO_TENANT_ID, DEMO_USERS, FATIMA, SIGNALEN_HDB, acceptDeclarations, executeAction, filedReferenceIn, startTestBot, texts, validSignalInput,
  type CardJson, type TeamsActivity, type TestBot,
} from '../support/harness';
import { sized } from '../support/profile';
import { seeded } from '../support/random';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy';
import { PROJECT_ROOT, TEMPLATE_FILE_ENV, openTestDb, type TestDatabase } from '../support/testDb';

const onPostgres = loadConfig({ ...process.env, NODE_ENV: 'test' }).database.kind === 'postgres';
const HDB = { channel: SIGNALEN_HDB };
const MARKER = 'Storingsproef';
const APOLOGY = /^Er ging iets mis aan onze kant\. Probeer het zo nog eens\. Noem bij een melding deze code: [0-9a-f]{8}\.$/;
const LEAKS = [/prisma/i, /\b(SELECT|INSERT|UPDATE|DELETE|COMMIT|ROLLBACK|BEGIN)\b/, /Connection (terminated|closed)/i, /ECONN|EPIPE|ETIMEDOUT/,
  /Error\b/, /\bat .*\.(ts|js):\d+/, /postgres|pglite/i, /DriverAdapter|ConnectionClosed/, /\bP\d{4}\b/];

// ---------------------------------------------------------------------------------------------------------------
// Writes, as a user's card actions.

type Transition = 'verrijken' | 'afsluiten';
type Write =
  | { kind: 'file'; nonce: string }
  | { kind: 'journal'; nonce: string; signalId: string; reference: string }
  | { kind: 'transition'; signalId: string; transition: Transition };

interface Answer { status: number; text: string; card?: CardJson }
type Outcome = 'done' | 'apology';

const fileWrite = (): Write => ({ kind: 'file', nonce: randomUUID() });

function activityOf(w: Write): TeamsActivity {
  switch (w.kind) {
    case 'file':
      // A person and a company besides the address: three subject links, all in the filing's transaction.
      return executeAction('signal.submit', { nonce: w.nonce, ...validSignalInput({
        description: `${MARKER} ${w.nonce}: sterke hennepgeur en dichtgeplakte ramen bij een loods.`,
        person1Name: 'Jan de Storing', person1BirthDate: '1980-05-01', company1Name: 'Storing Logistiek BV',
      }) }, FATIMA, HDB);
    case 'journal':
      return executeAction('journal.add', { reference: w.reference, dossierId: w.signalId, nonce: w.nonce, kind: 'waarneming', text: `Aantekening ${w.nonce}.`, occurredOn: '2026-11-20',
        occurredTime: '23:10', source: '', sourceReliability: '', informationReliability: '', legalBasis: '', links: '' }, FATIMA, HDB);
    case 'transition':
      return executeAction('signal.transition', { signalId: w.signalId, transition: w.transition,
        ...(w.transition === 'afsluiten' ? { reason_afsluiten: 'Geen aanwijzingen na verrijking.' } : {}) }, FATIMA, HDB);
  }
}

async function post(url: string, activity: TeamsActivity, serviceUrl: string): Promise<Answer> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...activity, serviceUrl }), signal: AbortSignal.timeout(45_000) });
  const text = await res.text();
  let card: CardJson | undefined;
  try {
    const body = JSON.parse(text) as { type?: string; value?: CardJson };
    if (body.type === 'application/vnd.microsoft.card.adaptive') card = body.value;
  } catch { /* not JSON: failed below */ }
  return { status: res.status, text, card };
}

/** A 200 with a card, no exception text in it: the apology, or the use case's own answer. */
function outcomeOf(a: Answer, w: Write): Outcome {
  if (a.status !== 200 || !a.card) throw new Error(`${w.kind}: answered ${a.status} ${a.text.slice(0, 300)}`);
  for (const leak of LEAKS) if (leak.test(a.text)) throw new Error(`${w.kind}: the answer leaks ${leak}: ${a.text.slice(0, 500)}`);
  return texts(a.card).some((t) => APOLOGY.test(t)) ? 'apology' : 'done';
}

/** How many times the write is in the database (0 or 1; more is a doubled write). */
async function timesWritten(prisma: PrismaClient, w: Write): Promise<number> {
  switch (w.kind) {
    case 'file': return prisma.signal.count({ where: { description: { contains: w.nonce } } });
    case 'journal': return prisma.journalEntry.count({ where: { signalId: w.signalId, text: { contains: w.nonce } } });
    case 'transition': return prisma.statusChange.count({ where: { signalId: w.signalId, transition: w.transition } });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// What must hold after any fault.

interface Integrity { signals: number; problems: string[] }

/** Every test signal whole (submission, first journal entry, audit, subject links; transitions and entries each with their journal entry and audit), nothing orphaned, every chain intact, reference numbers without gaps. */
async function integrity(prisma: PrismaClient): Promise<Integrity> {
  const problems: string[] = [];
  const signals = await prisma.signal.findMany({ where: { description: { startsWith: MARKER } },
    select: { id: true, reference: true, status: true, municipalityId: true, description: true } });
  const ids = signals.map((s) => s.id);
  const [entries, audits, submissions, links, changes] = await Promise.all([
    prisma.journalEntry.findMany({ where: { signalId: { in: ids } }, select: { signalId: true, sequence: true, kind: true, text: true }, orderBy: { sequence: 'asc' } }),
    prisma.auditEvent.findMany({ where: { recordId: { in: ids }, result: 'ok', action: { in: ['signal.file', 'signal.transition', 'journal.add'] } }, select: { recordId: true, action: true } }),
    prisma.cardSubmission.findMany({ where: { recordId: { in: ids } }, select: { recordId: true, kind: true } }),
    prisma.subjectLink.findMany({ where: { signalId: { in: ids } }, select: { signalId: true } }),
    prisma.statusChange.findMany({ where: { signalId: { in: ids } }, select: { signalId: true, toState: true }, orderBy: { id: 'asc' } }),
  ]);
  const count = <T>(rows: T[], pick: (r: T) => boolean) => rows.filter(pick).length;
  const nonces = new Map<string, number>();
  for (const s of signals) {
    const nonce = /^Storingsproef ([0-9a-f-]{36}):/.exec(s.description)?.[1] ?? s.description;
    nonces.set(nonce, (nonces.get(nonce) ?? 0) + 1);
    const own = entries.filter((e) => e.signalId === s.id);
    const bad = (what: string) => problems.push(`${s.reference}: ${what}`);
    if (count(submissions, (x) => x.recordId === s.id && x.kind === 'signal') !== 1) bad('no submission');
    if (count(audits, (x) => x.recordId === s.id && x.action === 'signal.file') !== 1) bad('no signal.file audit event');
    if (count(links, (x) => x.signalId === s.id) !== 3) bad(`${count(links, (x) => x.signalId === s.id)} subject links, not 3`);
    if (!own[0] || own[0].sequence !== 1 || !own[0].text.startsWith(`Signaal ${s.reference} vastgelegd`)) bad('no first journal entry');
    if (own.some((e, i) => e.sequence !== i + 1)) bad(`journal sequences ${own.map((e) => e.sequence).join(',')}`);
    const moves = changes.filter((c) => c.signalId === s.id);
    const moveEntries = count(own, (e) => e.text.startsWith('Status: '));
    const moveAudits = count(audits, (x) => x.recordId === s.id && x.action === 'signal.transition');
    if (moves.length !== moveEntries || moves.length !== moveAudits) bad(`${moves.length} status changes, ${moveEntries} journal entries, ${moveAudits} audit events`);
    if ((moves.at(-1)?.toState ?? 'nieuw') !== s.status) bad(`status ${s.status} after moving to ${moves.at(-1)?.toState}`);
    const notes = count(own, (e) => e.kind === 'waarneming');
    const noteSubmissions = count(submissions, (x) => x.recordId === s.id && x.kind === 'journal');
    const noteAudits = count(audits, (x) => x.recordId === s.id && x.action === 'journal.add');
    if (notes !== noteSubmissions || notes !== noteAudits) bad(`${notes} entries, ${noteSubmissions} submissions, ${noteAudits} audit events`);
  }
  for (const [nonce, n] of nonces) if (n > 1) problems.push(`nonce ${nonce} filed ${n} times`);

  // Nothing points at a signal that is not there.
  const allIds = new Set((await prisma.signal.findMany({ select: { id: true } })).map((s) => s.id));
  for (const s of await prisma.cardSubmission.findMany({ where: { kind: { in: ['signal', 'journal'] } }, select: { recordId: true, nonce: true } })) {
    if (!allIds.has(s.recordId)) problems.push(`submission ${s.nonce} without its record`);
  }
  for (const a of await prisma.auditEvent.findMany({ where: { action: 'signal.file', result: 'ok' }, select: { recordId: true } })) {
    if (!allIds.has(a.recordId ?? '')) problems.push(`signal.file audit event without its signal ${a.recordId}`);
  }
  // Reference numbers: a rolled back filing gives its number back.
  for (const municipalityId of new Set(signals.map((s) => s.municipalityId))) {
    const counters = await prisma.referenceCounter.findMany({ where: { municipalityId, kind: 'SIG' } });
    for (const c of counters) {
      const numbers = (await prisma.signal.findMany({ where: { municipalityId, reference: { startsWith: `SIG-${c.year}-` } }, select: { reference: true } }))
        .map((s) => Number(s.reference.split('-')[2])).sort((a, b) => a - b);
      if (numbers.length !== c.last || numbers.some((n, i) => n !== i + 1)) problems.push(`SIG-${c.year}: counter at ${c.last}, numbers ${numbers.length} (gap or double)`);
    }
  }
  const journals = await verifyJournals({ prisma, log: createLogger('silent'), now: () => new Date() });
  for (const b of journals.broken) problems.push(`journal chain of ${b.reference} broken: ${JSON.stringify(b.break)}`);
  const audit = await verifyAuditChains(prisma);
  for (const b of audit.broken) problems.push(`audit chain ${b.chain} broken: ${JSON.stringify(b.break)}`);
  return { signals: signals.length, problems };
}

/** The test signals that can still move (and take notes): id and status. */
type OpenSignals = Map<string, { status: 'nieuw' | 'in_verrijking'; reference: string }>;
async function openSignals(prisma: PrismaClient): Promise<OpenSignals> {
  const rows = await prisma.signal.findMany({ where: { description: { startsWith: MARKER }, status: { in: ['nieuw', 'in_verrijking'] } },
    select: { id: true, status: true, reference: true } });
  return new Map(rows.map((r) => [r.id, { status: r.status as 'nieuw' | 'in_verrijking', reference: r.reference }]));
}

/** 1-3 writes on distinct signals: filings, journal entries and transitions of the open signals. */
function pickWrites(random: () => number, open: OpenSignals, max = 3): Write[] {
  const available = [...open.keys()];
  const writes: Write[] = [];
  const n = 1 + Math.floor(random() * max);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.4 || available.length === 0) { writes.push(fileWrite()); continue; }
    const signalId = available.splice(Math.floor(random() * available.length), 1)[0];
    const signal = open.get(signalId);
    if (!signal) continue;
    if (r < 0.7) writes.push({ kind: 'journal', nonce: randomUUID(), signalId, reference: signal.reference });
    else writes.push({ kind: 'transition', signalId, transition: signal.status === 'nieuw' ? 'verrijken' : 'afsluiten' });
  }
  return writes;
}

const summary: string[] = [];
afterAll(() => { if (summary.length > 0) process.stdout.write(`\n${summary.join('\n')}\n`); });

// ---------------------------------------------------------------------------------------------------------------

(onPostgres ? describe : describe.skip)('PostgreSQL connections cut during writes', () => {
  let direct: TestDatabase;
  let proxied: Database;
  let proxy: TcpProxy;
  let bot: TestBot;
  const TRIALS = sized(25, 100);
  const random = seeded(20261127);

  beforeAll(async () => {
    direct = await openTestDb();
    const url = new URL(direct.url ?? '');
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    proxied = await openPostgres(url.toString(), PROJECT_ROOT);
    // The bot reaches its database only through the proxy; the assertions below read it directly.
    bot = await startTestBot({ db: proxied, env: { OUTBOX_POLL_MS: '600000' } });
  }, 60_000);

  afterAll(async () => {
    await bot?.stop();
    await proxied?.close();
    await proxy?.close();
    await direct?.close();
  });

  const send = (w: Write) => post(bot.url, activityOf(w), bot.stub.url);

  it(`keeps every write whole, tells the user to retry and recovers by itself (${TRIALS} trials)`, async () => {
    const started = Date.now();
    // Calibration without faults: how many bytes and how long each kind of write takes through the proxy.
    const budget = { file: 0, journal: 0, transition: 0 };
    let longestMs = 0;
    for (let i = 0; i < 3; i++) {
      for (const kind of ['file', 'journal', 'transition'] as const) {
        const open = await openSignals(direct.prisma);
        const w = kind === 'file' ? fileWrite() : pickWrites(() => (kind === 'journal' ? 0.5 : 0.9), open, 1)[0];
        const before = proxy.bytes;
        const t0 = Date.now();
        const outcome = outcomeOf(await send(w), w);
        longestMs = Math.max(longestMs, Date.now() - t0);
        expect(outcome).toBe('done');
        expect(await timesWritten(direct.prisma, w)).toBe(1);
        budget[w.kind] = Math.max(budget[w.kind], proxy.bytes - before);
      }
    }

    const tally = { trials: 0, cuts: 0, writes: 0, done: 0, apologyNotWritten: 0, apologyButWritten: 0, retries: 0, retriesDuplicate: 0 };
    for (let trial = 0; trial < TRIALS; trial++) {
      const open = await openSignals(direct.prisma);
      const writes = pickWrites(random, open);
      const cutsBefore = proxy.cuts;
      // Mostly at a byte inside the writes' traffic (mid-message too), sometimes after a delay within their duration.
      if (random() < 0.75) proxy.cutAfterBytes(Math.floor(random() * writes.reduce((sum, w) => sum + budget[w.kind], 0)));
      else proxy.cutAfterMs(Math.floor(random() * longestMs));
      const answers = await Promise.all(writes.map(send));
      proxy.disarm();
      proxy.heal();
      tally.trials++;
      if (proxy.cuts > cutsBefore) tally.cuts++;

      for (const [i, w] of writes.entries()) {
        tally.writes++;
        const outcome = outcomeOf(answers[i], w);
        const written = await timesWritten(direct.prisma, w);
        if (outcome === 'done') {
          tally.done++;
          if (written !== 1) throw new Error(`trial ${trial}: ${w.kind} answered as done but written ${written} times`);
          if (w.kind === 'file' && answers[i].card && filedReferenceIn(answers[i].card as CardJson) === '') throw new Error(`trial ${trial}: filing answered without a reference`);
          continue;
        }
        if (written > 1) throw new Error(`trial ${trial}: ${w.kind} written ${written} times`);
        // The backend may still be committing what it received: that is "written, answer lost" too.
        if (written === 1) tally.apologyButWritten++; else tally.apologyNotWritten++;
        // The user tries again (the same card: the same nonce): the bot, healed, answers, and the write is there once.
        tally.retries++;
        const again = outcomeOf(await send(w), w);
        if (again !== 'done') throw new Error(`trial ${trial}: the retry of a ${w.kind} was not answered: the bot did not recover`);
        const after = await timesWritten(direct.prisma, w);
        if (after !== 1) throw new Error(`trial ${trial}: ${w.kind} written ${after} times after its retry`);
        if (written === 1) tally.retriesDuplicate++;
      }
      if (trial % 25 === 24) {
        const check = await integrity(direct.prisma);
        expect(check.problems).toEqual([]);
      }
    }

    // Recovered without a restart: ready, and a plain write goes through at once.
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
    const last = fileWrite();
    expect(outcomeOf(await send(last), last)).toBe('done');
    const check = await integrity(direct.prisma);
    expect(check.problems).toEqual([]);
    const failedTurns = bot.logs.filter((l) => l.includes('"turn failed"')).length;
    expect(failedTurns).toBeGreaterThanOrEqual(tally.apologyNotWritten + tally.apologyButWritten);
    // Most trials must really have cut a write, or this tested little.
    expect(tally.cuts).toBeGreaterThanOrEqual(Math.floor(TRIALS * 0.6));
    expect(tally.apologyNotWritten).toBeGreaterThan(0);
    summary.push(`dbFaults PostgreSQL: ${JSON.stringify({ ...tally, signals: check.signals, connections: proxy.connections, budget, longestMs, seconds: Math.round((Date.now() - started) / 1000) })}`);
  }, 240_000);
});

// ---------------------------------------------------------------------------------------------------------------

(onPostgres ? describe.skip : describe)('PGlite: the bot process killed during writes', () => {
  const ROUNDS = sized(2, 6);
  const random = seeded(20261128);
  let dir: string;
  let dataDir: string;
  let connector: ConnectorStub;
  let bot: BotProcess | undefined;
  const env = () => ({ PGLITE_DIR: dataDir, ALLOWED_TENANT_IDS: DEMO_TENANT_ID, DEMO_DATA: 'false', OUTBOX_POLL_MS: '600000' });

  beforeAll(async () => {
    buildLib();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-dbfaults-'));
    dataDir = path.join(dir, 'pglite');
    connector = await startConnectorStub();
    // The directory starts as the suite's migrated template (migrations cannot run inside jest), with the demo data
    // and the users' accepted declarations.
    const template = process.env[TEMPLATE_FILE_ENV];
    if (!template) throw new Error('globalSetup did not create the template data directory');
    const db = await openPglite({ dataDir, template: new Blob([fs.readFileSync(template)]), projectRoot: PROJECT_ROOT, migrate: false });
    await seedDemoData(db.prisma);
    await acceptDeclarations(db, DEMO_USERS.map((u) => u.aadObjectId));
    await db.close();
  }, 180_000);

  afterAll(async () => {
    await bot?.kill();
    await connector?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the data directory in this process (after a kill: over the dead process's lock) and checks it whole. */
  async function verify(answered: Write[]): Promise<{ check: Integrity; open: OpenSignals }> {
    const db = await openPglite({ dataDir, projectRoot: PROJECT_ROOT, migrate: false });
    try {
      expect(await db.ready()).toBe(true);
      const check = await integrity(db.prisma);
      expect(check.problems).toEqual([]);
      for (const w of answered) {
        const n = await timesWritten(db.prisma, w);
        if (n !== 1) throw new Error(`a ${w.kind} answered as done is there ${n} times after the kill: ${JSON.stringify(w)}`);
      }
      return { check, open: await openSignals(db.prisma) };
    } finally {
      await db.close();
    }
  }

  const lockFile = () => `${dataDir}.lock`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it(`keeps the data whole through SIGKILL and restarts on the same directory (${ROUNDS} rounds)`, async () => {
    const started = Date.now();
    const tally = { rounds: 0, answered: 0, inFlightAtKill: 0, retriedAfterRestart: 0, verifications: 0, staleLockAtRestart: 0, staleLockAtOpen: 0 };
    const startMs: number[] = [];
    let open: OpenSignals = new Map();
    let answered: Write[] = [];
    let retry: Write[] = [];
    /** Signals whose transition was in flight at a kill: left alone until the next verification says where they are. */
    const unsure = new Set<string>();

    const start = async () => {
      const t0 = Date.now();
      bot = await startBotProcess(env());
      startMs.push(Date.now() - t0);
      const running = bot;
      // What was in flight when the last process died, sent again as the user would (the same card, the same nonce).
      for (const w of retry) {
        expect(outcomeOf(await post(running.url, activityOf(w), connector.url), w)).toBe('done');
        answered.push(w);
        tally.retriedAfterRestart++;
      }
      retry = [];
      return running;
    };

    for (let round = 0; round < ROUNDS; round++) {
      if (fs.existsSync(lockFile())) tally.staleLockAtRestart++;
      const running = await start();
      tally.rounds++;
      const inFlight = new Set<Write>();
      const busy = new Set<string>();
      let killed = false;
      let firstAnswer: () => void = () => undefined;
      const answeredOnce = new Promise<void>((resolve) => { firstAnswer = resolve; });
      const worker = async () => {
        while (!killed) {
          const available: OpenSignals = new Map([...open].filter(([id]) => !busy.has(id) && !unsure.has(id)));
          const [w] = pickWrites(random, available, 1);
          if (w.kind !== 'file') busy.add(w.signalId);
          inFlight.add(w);
          let answer: Answer;
          try {
            answer = await post(running.url, activityOf(w), connector.url);
          } catch {
            return; // killed: the write stays in flight
          }
          inFlight.delete(w);
          if (outcomeOf(answer, w) !== 'done') throw new Error(`round ${round}: a ${w.kind} was not answered as done: ${answer.text.slice(0, 300)}`);
          answered.push(w);
          tally.answered++;
          firstAnswer();
          if (w.kind === 'transition') {
            const signal = open.get(w.signalId);
            if (signal && w.transition === 'verrijken') signal.status = 'in_verrijking'; else open.delete(w.signalId);
          }
          if (w.kind !== 'file') busy.delete(w.signalId);
        }
      };
      const workers = [worker(), worker(), worker()];
      await Promise.race([answeredOnce, Promise.allSettled(workers)]);
      await sleep(100 + Math.floor(random() * 2500));
      const pid = running.child.pid;
      killed = true;
      await running.kill();
      bot = undefined;
      for (const r of await Promise.allSettled(workers)) if (r.status === 'rejected') throw r.reason;
      // The dead process's lock file is left behind.
      expect(fs.readFileSync(lockFile(), 'utf8')).toBe(String(pid));
      tally.inFlightAtKill += inFlight.size;
      for (const w of inFlight) {
        if (w.kind === 'transition') unsure.add(w.signalId); else retry.push(w);
      }
      // Every other round the next bot process starts over the stale lock; in the others (and after the last) this
      // process opens the directory over it and checks it.
      if (round % 2 === 1 || round === ROUNDS - 1) {
        tally.staleLockAtOpen++;
        const verified = await verify(answered);
        tally.verifications++;
        open = verified.open;
        unsure.clear();
        answered = [];
      }
    }

    // Started once more: the writes lost in flight are sent again, a new one goes through, and a clean stop gives the lock back.
    const running = await start();
    const last = fileWrite();
    expect(outcomeOf(await post(running.url, activityOf(last), connector.url), last)).toBe('done');
    answered.push(last);
    await running.stop();
    bot = undefined;
    expect(fs.existsSync(lockFile())).toBe(false);
    const { check } = await verify(answered);
    expect(check.signals).toBeGreaterThan(ROUNDS);
    summary.push(`dbFaults PGlite: ${JSON.stringify({ ...tally, signals: check.signals, startMs, seconds: Math.round((Date.now() - started) / 1000) })}`);
  }, 600_000);
});
