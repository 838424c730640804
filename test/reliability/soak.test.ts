// Soak (issue 10, part 8): simulated officers work against one bot (real HTTP, a real database) for a sustained period:
// help, filing signals, lists, search, opening signals, journal entries (added and read), transitions and opening
// forms, each officer in its own loop with a think time. Expected: 0 errors (no 5xx, no internal-error answer in an
// HTTP body or a message sent, no error line in the log) and a flat memory: the bot runs in this jest process, so the
// JS heap is sampled after a full GC (and RSS beside it) every few seconds; after a warm-up, the mean of the last third
// of the samples may exceed the first third's by at most the stated bounds. The database is an in-memory PGlite, whose
// data lives in this process too: RSS grows with the rows written, so RSS is bounded after subtracting the database's
// own growth (pg_database_size), and the heap (which holds no table data) has the tight bound.
// Short profile (npm test): 20 officers for 30 s. Full profile (RELIABILITY_PROFILE=full): 200 officers for 10 minutes.
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { DEMO_TEAM_ID } from '../../src/store/demoData';
import {
  DEMO_USERS, SIGNALEN_HDB, acceptDeclarations, executeAction, invoke, message, startTestBot, taskFetch, validSignalInput,
  type TeamsActivity, type TestBot,
} from '../support/harness';
import type { DemoUser } from '../../src/store/demoData';
import { FULL_PROFILE, sized } from '../support/profile';
import { seeded } from '../support/random';

const OFFICERS = sized(20, 200);
const DURATION_MS = sized(30_000, 10 * 60_000);
const THINK_MS: [number, number] = FULL_PROFILE ? [1_000, 4_000] : [100, 800];
const SAMPLE_EVERY_MS = sized(2_000, 5_000);
/** Samples before this point are the warm-up (code paths compiled, caches and pools filled). */
const WARM_UP_FRACTION = 0.2;
/** The bounds, from the first third to the last third of the samples after the warm-up. */
const HEAP_GROWTH_LIMIT_MB = 32;
const RSS_GROWTH_LIMIT_MB = sized(96, 128);

const HDB = { channel: SIGNALEN_HDB };
const APOLOGY = /Er ging iets mis aan onze kant|Something went wrong on our side/;

// v8's gc() without --expose-gc on the command line: a full collection before each sample.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Sample { at: number; heapMb: number; rssMb: number; dbMb: number }
interface Stats { requests: number; byOp: Record<string, number>; errors: string[]; latencies: number[]; opLatencies: Record<string, number[]> }

let bot: TestBot;
const officers: DemoUser[] = [];

beforeAll(async () => {
  bot = await startTestBot();
  const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } });
  for (let i = 0; i < OFFICERS; i++) {
    const n = String(i).padStart(4, '0');
    officers.push({ teamsUserId: `soak-user-${n}`, aadObjectId: `00000000-0000-0000-0001-00000000${n}`, name: `Rechercheur ${n}`, email: `r${n}@heidebroek.example`,
      roles: { [SIGNALEN_HDB.id]: 'coordinator' } });
  }
  // Coordinators of the Heidebroek signals channel, on its roster as Teams would list them, with the declaration accepted.
  await bot.db.prisma.member.createMany({ data: officers.map((o) => ({ scopeId: scope.id, aadObjectId: o.aadObjectId, teamsUserId: o.teamsUserId, name: o.name, email: o.email, role: 'coordinator' as const })) });
  bot.stub.rosters.set(DEMO_TEAM_ID, [...DEMO_USERS, ...officers].map((u) => ({ id: u.teamsUserId, name: u.name, aadObjectId: u.aadObjectId })));
  await acceptDeclarations(bot.db, officers.map((o) => o.aadObjectId));
}, 120_000);

afterAll(async () => { await bot.stop(); });

interface OwnSignal { reference: string; id: string; status: 'nieuw' | 'verrijking' | 'afgesloten' }

/** One officer's session: a loop of operations with a think time, until the deadline. */
async function officer(user: DemoUser, index: number, deadline: number, stats: Stats): Promise<void> {
  const random = seeded(1000 + index);
  const own: OwnSignal[] = [];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const say = (text: string) => message(text, user, HDB);
  const act = (verb: string, data: Record<string, unknown>) => executeAction(verb, data, user, HDB);

  const call = async (op: string, activity: TeamsActivity): Promise<{ status: number; body: unknown; text: string } | undefined> => {
    const started = performance.now();
    try {
      const res = await bot.send(activity);
      stats.latencies.push(performance.now() - started);
      stats.requests += 1;
      stats.byOp[op] = (stats.byOp[op] ?? 0) + 1;
      (stats.opLatencies[op] ??= []).push(performance.now() - started);
      if (res.status !== 200) stats.errors.push(`${op}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      else if (APOLOGY.test(res.text)) stats.errors.push(`${op}: internal error answered ${res.text.slice(0, 200)}`);
      return res;
    } catch (err) {
      stats.errors.push(`${op}: ${String(err)}`);
      return undefined;
    }
  };

  const file = async () => {
    const nonce = randomUUID();
    const res = await call('file', act('signal.submit', { nonce, ...validSignalInput({ description: `Soak ${index}: busje laadt 's nachts dozen in bij de loods, ${nonce.slice(0, 8)}.` }) }));
    const reference = /SIG-\d{4}-\d{4,}/.exec(res?.text ?? '')?.[0];
    if (!reference) { if (res?.status === 200) stats.errors.push(`file: no reference in ${res.text.slice(0, 200)}`); return; }
    const submission = await bot.db.prisma.cardSubmission.findUnique({ where: { nonce_aadObjectId: { nonce, aadObjectId: user.aadObjectId } } });
    if (submission) own.push({ reference, id: submission.recordId, status: 'nieuw' });
  };

  const operations: [number, () => Promise<unknown>][] = [
    [8, () => call('help', say(pick(['help', 'hulp', '?'])))],
    [10, file],
    [12, () => call('list', say(pick(['signalen', 'werklijst', 'overzicht'])))],
    [10, () => call('search', say(pick(['zoek Industrieweg', 'zoek hennep', 'zoek 1234 AB', 'zoek loods'])))],
    [5, () => call('search', invoke('composeExtension/query', { commandId: 'findRecord', parameters: [{ name: 'query', value: 'hennep' }], queryOptions: { skip: 0, count: 10 } }, user, HDB))],
    [8, async () => { const s = own.length > 0 ? pick(own) : undefined; return s ? call('open', say(`signaal ${s.reference}`)) : file(); }],
    [10, async () => {
      const s = own.length > 0 ? pick(own) : undefined;
      if (!s || s.status === 'afgesloten') return file();
      return call('journal.add', act('journal.add', { reference: s.reference, nonce: randomUUID(), kind: 'waarneming', text: `Waarneming ${index}: twee mannen laden dozen uit.`,
        occurredOn: '2026-01-05', occurredTime: '23:10', source: '', sourceReliability: '', informationReliability: '', legalBasis: '', links: '' }));
    }],
    [5, async () => { const s = own.length > 0 ? pick(own) : undefined; return s ? call('journal.read', say(`journaal ${s.reference}`)) : file(); }],
    [8, async () => {
      const s = own.find((o) => o.status !== 'afgesloten');
      if (!s) return file();
      if (s.status === 'nieuw') {
        const res = await call('transition', act('signal.transition', { signalId: s.id, transition: 'verrijken' }));
        if (res?.status === 200) s.status = 'verrijking';
        return res;
      }
      const res = await call('transition', act('signal.transition', { signalId: s.id, transition: 'afsluiten', reason_afsluiten: 'Geen aanwijzingen na verrijking.' }));
      if (res?.status === 200) s.status = 'afgesloten';
      return res;
    }],
    [5, () => call('form', taskFetch({}, user, HDB))],
    [4, () => call('form', say(pick(['nieuw signaal', 'new signal'])))],
    [3, async () => { const s = own.length > 0 ? pick(own) : undefined; return s ? call('form', invoke('task/fetch', { data: { verb: 'journal.form', reference: s.reference } }, user, HDB)) : file(); }],
  ];
  const total = operations.reduce((sum, [w]) => sum + w, 0);
  const choose = () => {
    let r = random() * total;
    for (const [w, op] of operations) { if ((r -= w) < 0) return op; }
    return operations[0][1];
  };
  // Officers start spread over the first think time, not all at once.
  await new Promise((r) => setTimeout(r, random() * THINK_MS[1]));
  while (Date.now() < deadline) {
    await choose()();
    await new Promise((r) => setTimeout(r, THINK_MS[0] + random() * (THINK_MS[1] - THINK_MS[0])));
  }
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0; };

describe('soak', () => {
  it(`${OFFICERS} officers for ${DURATION_MS / 1000} s: no errors, memory flat`, async () => {
    const stats: Stats = { requests: 0, byOp: {}, errors: [], latencies: [], opLatencies: {} };
    const samples: Sample[] = [];
    const logErrors: string[] = [];
    let connectorSent = 0;
    // What the bot sent and logged, checked and let go as the run goes (the harness keeps both in arrays).
    const drain = () => {
      for (const s of bot.stub.sent) if (APOLOGY.test(s.activity.text ?? '') || APOLOGY.test(JSON.stringify(s.activity.attachments ?? []))) stats.errors.push(`connector: internal error sent ${String(s.activity.text).slice(0, 200)}`);
      connectorSent += bot.stub.sent.length;
      bot.stub.clear();
      for (const line of bot.logs) if (/"level":"(error|fatal)"/.test(line)) logErrors.push(line.slice(0, 400));
      bot.logs.length = 0;
    };
    const sample = async () => {
      drain();
      gc();
      const m = process.memoryUsage();
      const [{ size }] = await bot.db.prisma.$queryRawUnsafe<{ size: bigint }[]>('SELECT pg_database_size(current_database()) AS size');
      samples.push({ at: Date.now(), heapMb: mb(m.heapUsed), rssMb: mb(m.rss), dbMb: mb(Number(size)) });
    };

    const started = Date.now();
    const deadline = started + DURATION_MS;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        await sample();
        await new Promise((r) => setTimeout(r, SAMPLE_EVERY_MS));
      }
    })();
    await Promise.all(officers.map((o, i) => officer(o, i, deadline, stats)));
    const elapsedS = (Date.now() - started) / 1000;
    sampling = false;
    await sampler;
    await sample();

    const settled = samples.filter((s) => s.at >= started + WARM_UP_FRACTION * DURATION_MS);
    const third = Math.max(1, Math.floor(settled.length / 3));
    const first = settled.slice(0, third);
    const last = settled.slice(-third);
    const heapGrowth = mean(last.map((s) => s.heapMb)) - mean(first.map((s) => s.heapMb));
    const rssGrowth = mean(last.map((s) => s.rssMb)) - mean(first.map((s) => s.rssMb));
    const dbGrowth = mean(last.map((s) => s.dbMb)) - mean(first.map((s) => s.dbMb));
    const f = (x: number) => x.toFixed(1);
    console.log([
      `soak (${FULL_PROFILE ? 'full' : 'short'} profile): ${OFFICERS} officers, ${f(elapsedS)} s, ${stats.requests} requests (${f(stats.requests / elapsedS)} rps), ` +
        `${stats.errors.length} errors, ${logErrors.length} error log lines, ${connectorSent} activities sent to the connector`,
      `  by operation (count, p50 ms): ${Object.entries(stats.byOp).map(([k, v]) => `${k} ${v} (${percentile(stats.opLatencies[k] ?? [], 0.5).toFixed(0)})`).join(', ')}`,
      `  latency: p50 ${f(percentile(stats.latencies, 0.5))} ms, p99 ${f(percentile(stats.latencies, 0.99))} ms, max ${f(percentile(stats.latencies, 1))} ms`,
      `  memory (after GC; ${samples.length} samples, ${settled.length} after the warm-up): heap ${f(samples[0].heapMb)} -> ${f(samples.at(-1)?.heapMb ?? 0)} MB, ` +
        `RSS ${f(samples[0].rssMb)} -> ${f(samples.at(-1)?.rssMb ?? 0)} MB, database ${f(samples[0].dbMb)} -> ${f(samples.at(-1)?.dbMb ?? 0)} MB`,
      `  first third to last third: heap ${heapGrowth >= 0 ? '+' : ''}${f(heapGrowth)} MB (limit ${HEAP_GROWTH_LIMIT_MB}), RSS ${rssGrowth >= 0 ? '+' : ''}${f(rssGrowth)} MB, ` +
        `of which the database ${f(dbGrowth)} MB; RSS less the database ${f(rssGrowth - dbGrowth)} MB (limit ${RSS_GROWTH_LIMIT_MB})`,
    ].join('\n'));

    expect(stats.errors.slice(0, 20)).toEqual([]);
    expect(logErrors.slice(0, 5)).toEqual([]);
    // Every officer got work done (how much depends on the machine: these cores are shared).
    expect(stats.requests).toBeGreaterThan(OFFICERS * 2);
    expect(settled.length).toBeGreaterThanOrEqual(6);
    expect(heapGrowth).toBeLessThan(HEAP_GROWTH_LIMIT_MB);
    expect(rssGrowth - dbGrowth).toBeLessThan(RSS_GROWTH_LIMIT_MB);
  }, DURATION_MS + 180_000);
});
