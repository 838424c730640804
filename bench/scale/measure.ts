// Times the project's own services on the generated data set (generate.ts): the scoped signal list, the search
// (street, postcode, subject name, free text), the worklist and the mayor's briefing, each called the way the Teams
// handlers call them (a caller resolved by resolveCaller for a member of a channel, the mayor in her personal chat).
//
//   npm run bench:scale -- measure [--label <name>] [--iterations <n>] [--only <kind,...>]
//
// Three ways to pick where a request comes from: "uniform" (every channel or municipality equally likely), "weighted"
// (in proportion to its signals: busy channels ask more) and "largest" (the biggest channel and municipality).
// Prints p50/p95/p99 per kind and writes them to bench/results/scale.json under runs.<label>, with EXPLAIN (ANALYZE,
// BUFFERS) of the slowest SQL statement of each kind's slowest call (taken from Prisma's query log).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import type { Caller, ConversationPlace, Identity } from '../../src/domain/caller.js';
import { PrismaClient } from '../../src/generated/prisma/client.js';
import { createLogger } from '../../src/logger.js';
import { briefingOnDemand } from '../../src/services/briefings.js';
import { resolveCaller } from '../../src/services/callers.js';
import type { RequestContext, ServiceDeps } from '../../src/services/context.js';
import { listSignals, search, worklist } from '../../src/services/signals.js';
import { mergeJson, resultsDir, scaleConfig } from './config.js';
import { Rng, Weighted } from './random.js';
import { FREE_TEXT_QUERIES } from './vocabulary.js';

/** The targets of issue 9: a list or a search answers within 50 ms (p95), a briefing within 500 ms. */
const TARGETS: Record<string, number> = { list: 50, search: 50, briefing: 500 };
const targetOf = (kind: string): number | undefined => TARGETS[kind.split('.')[0]];

interface ScopeRow { id: string; name: string; tenantId: string; teamId: string; teamAadGroupId: string | null; channelId: string; municipalityId: string; signals: number }
interface MemberRow { scopeId: string; aadObjectId: string; name: string; role: string }
interface QueryLog { sql: string; params: string; ms: number }
interface Sample { ms: number; queries: QueryLog[] }
interface Terms { streets: string[]; postcodes: string[]; subjects: string[] }

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

const round = (x: number) => Math.round(x * 10) / 10;

function summarise(samples: readonly Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const sqlPerCall = samples.reduce((a, s) => a + s.queries.length, 0) / Math.max(1, samples.length);
  // The time the statements themselves took (Prisma's query log): the rest is the service's own work and the driver.
  const db = samples.map((s) => s.queries.reduce((a, q) => a + q.ms, 0)).sort((a, b) => a - b);
  const slowest = samples.reduce<Sample | undefined>((a, s) => (a === undefined || s.ms > a.ms ? s : a), undefined);
  const top = slowest?.queries.reduce<QueryLog | undefined>((a, q) => (a === undefined || q.ms > a.ms ? q : a), undefined);
  return {
    n: ms.length, p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), p99: round(percentile(ms, 99)), max: round(ms[ms.length - 1] ?? NaN),
    mean: round(ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length)), sqlPerCall: round(sqlPerCall),
    sqlMs: { p50: round(percentile(db, 50)), p95: round(percentile(db, 95)) },
    slowestSql: top ? { ms: top.ms, sql: top.sql.length > 400 ? `${top.sql.slice(0, 400)}...` : top.sql } : null,
  };
}

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : undefined;
}

export async function measure(argv: string[]): Promise<void> {
  const cfg = scaleConfig();
  const label = flag(argv, '--label') ?? 'latest';
  const iterations = Number(flag(argv, '--iterations') ?? '200');
  const only = flag(argv, '--only')?.split(',');
  const wanted = (kind: string) => only === undefined || only.some((o) => kind.startsWith(o));
  const rng = new Rng(cfg.seed + 1);

  // The same adapter and pool as openPostgres (src/store/db.ts), plus Prisma's query log.
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: cfg.url, max: 10 }), transactionOptions: { maxWait: 10_000, timeout: 15_000 },
    log: [{ emit: 'event', level: 'query' }] });
  let capture: QueryLog[] | undefined;
  prisma.$on('query', (e) => { capture?.push({ sql: e.query, params: e.params, ms: Number(e.duration) }); });
  const deps: ServiceDeps = { prisma: prisma as unknown as PrismaClient, log: createLogger('silent'), now: () => new Date() };
  const pg = new Client({ connectionString: cfg.url });
  await pg.connect();

  const scopes = (await pg.query<ScopeRow>(`
    SELECT s."id", s."name", s."tenantId", s."teamId", s."teamAadGroupId", s."channelId", s."municipalityId", count(g."id")::int AS signals
    FROM "Scope" s LEFT JOIN "Signal" g ON g."scopeId" = s."id" GROUP BY s."id" ORDER BY signals DESC`)).rows;
  const members = (await pg.query<MemberRow>('SELECT "scopeId", "aadObjectId", "name", "role"::text AS role FROM "Member" WHERE "active"')).rows;
  const counts = Object.fromEntries((await pg.query<{ table: string; n: string }>(`
    SELECT relname AS "table", reltuples::bigint::text AS n FROM pg_class WHERE relname IN ('Signal', 'JournalEntry', 'Subject', 'SubjectLink', 'StatusChange', 'Case')`))
    .rows.map((r) => [r.table, Number(r.n)]));
  const pgVersion = (await pg.query<{ v: string }>('SHOW server_version')).rows[0].v;
  const settings = Object.fromEntries((await pg.query<{ name: string; setting: string; unit: string | null }>(`
    SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'max_parallel_workers_per_gather')`))
    .rows.map((r) => [r.name, r.unit ? `${r.setting} x ${r.unit}` : r.setting]));

  // Channels where the officers read (the Kerngroep has the mayor reading along: no signal lists there).
  const working = scopes.filter((s) => !s.name.startsWith('Kerngroep') && s.signals > 0);
  const scopeDraw = new Weighted(working.map((s) => s.signals));
  const largestScope = working[0];
  const municipalities = [...new Set(scopes.map((s) => s.municipalityId))].map((id) => ({ id, signals: scopes.filter((s) => s.municipalityId === id).reduce((a, s) => a + s.signals, 0) }))
    .sort((a, b) => b.signals - a.signals);
  const muniDraw = new Weighted(municipalities.map((m) => m.signals));
  const officersOf = (scopeId: string) => members.filter((m) => m.scopeId === scopeId && m.role !== 'mayor');
  const mayorOf = (municipalityId: string) => {
    const ids = new Set(scopes.filter((s) => s.municipalityId === municipalityId).map((s) => s.id));
    return members.find((m) => m.role === 'mayor' && ids.has(m.scopeId));
  };
  const tenantOf = (scopeId: string) => (scopes.find((s) => s.id === scopeId) as ScopeRow).tenantId;

  const termCache = new Map<string, Terms>();
  async function termsOf(scopeId: string): Promise<Terms> {
    const known = termCache.get(scopeId);
    if (known) return known;
    const addresses = (await pg.query<{ street: string; postcode: string }>(
      'SELECT "street", "postcode" FROM "Signal" WHERE "scopeId" = $1 ORDER BY random() LIMIT 30', [scopeId])).rows;
    const subjects = (await pg.query<{ name: string; kind: string }>(
      `SELECT "name", "kind" FROM "Subject" WHERE "scopeId" = $1 AND "kind" IN ('person', 'company') AND "name" IS NOT NULL ORDER BY random() LIMIT 30`, [scopeId])).rows;
    const terms: Terms = {
      streets: addresses.map((a) => a.street),
      postcodes: addresses.map((a) => (rng.chance(0.5) ? a.postcode : a.postcode.replace(/\s/g, '').toLowerCase())),
      // A person by full name or by surname (what someone remembers); a company by its name.
      subjects: subjects.map((s) => (s.kind === 'person' && rng.chance(0.5) ? s.name.split(' ').slice(1).join(' ') : s.name)),
    };
    termCache.set(scopeId, terms);
    return terms;
  }

  const channelPlace = (s: ScopeRow): ConversationPlace => ({ kind: 'channel', teamId: s.teamId, teamAadGroupId: s.teamAadGroupId ?? undefined,
    channelId: s.channelId, channelName: s.name, membershipType: 'standard' });
  const identityOf = (m: MemberRow): Identity => ({ tenantId: tenantOf(m.scopeId), aadObjectId: m.aadObjectId, name: m.name, locale: 'nl' });

  let seq = 0;
  const req = (): RequestContext => ({ correlationId: `scale-${label}-${++seq}` });
  const samples = new Map<string, Sample[]>();
  async function timed<T>(kind: string, group: string, record: boolean, run: () => Promise<T>): Promise<T> {
    capture = [];
    const t0 = process.hrtime.bigint();
    const out = await run();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const queries = capture;
    capture = undefined;
    if (record) {
      const key = `${group}:${kind}`;
      const list = samples.get(key) ?? [];
      list.push({ ms, queries });
      samples.set(key, list);
    }
    return out;
  }

  function expectList(kind: string, r: { kind: string }): void {
    if (r.kind !== 'list' && r.kind !== 'worklist' && r.kind !== 'briefings') throw new Error(`${kind}: the service answered ${JSON.stringify(r).slice(0, 200)}`);
  }

  async function channelRound(scope: ScopeRow, group: string, record: boolean): Promise<void> {
    const officers = officersOf(scope.id);
    const member = officers[Math.floor(rng.next() * officers.length)];
    const caller: Caller = await timed('caller', group, record, () => resolveCaller(deps, identityOf(member), channelPlace(scope)));
    if (!caller.currentScope) throw new Error(`${member.name} is not a member of ${scope.name}`);
    const terms = await termsOf(scope.id);
    const tasks: [string, () => Promise<{ kind: string }>][] = [
      ['list.recent', () => listSignals(deps, req(), caller, { kind: 'recent' })],
      ['list.open', () => listSignals(deps, req(), caller, { kind: 'open' })],
      ['list.overdue', () => listSignals(deps, req(), caller, { kind: 'overdue' })],
      ['search.street', () => search(deps, req(), caller, rng.pick(terms.streets))],
      ['search.postcode', () => search(deps, req(), caller, rng.pick(terms.postcodes))],
      ['search.subject', () => search(deps, req(), caller, rng.pick(terms.subjects))],
      ['search.freetext', () => search(deps, req(), caller, rng.pick(FREE_TEXT_QUERIES))],
      ['worklist', () => worklist(deps, req(), caller)],
    ];
    // A different order every round, so no kind always runs on a cache the one before it warmed.
    for (let i = tasks.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [tasks[i], tasks[j]] = [tasks[j], tasks[i]];
    }
    for (const [kind, run] of tasks) {
      if (!wanted(kind)) continue;
      expectList(kind, await timed(kind, group, record, run));
    }
  }

  async function briefingRound(municipalityId: string, group: string, record: boolean): Promise<void> {
    const mayor = mayorOf(municipalityId);
    if (!mayor) return;
    const caller = await resolveCaller(deps, identityOf(mayor), { kind: 'personal' });
    for (const period of ['week', 'month', 'quarter'] as const) {
      const kind = `briefing.${period}`;
      if (!wanted(kind)) continue;
      expectList(kind, await timed(kind, group, record, () => briefingOnDemand(deps, req(), caller, period)));
    }
  }

  const started = Date.now();
  const load = os.loadavg();
  const briefingEvery = 2;
  const largestEvery = 4;
  process.stdout.write(`Measuring "${label}": ${iterations} rounds on a channel drawn uniformly and one drawn by its number of signals; once in `
    + `${largestEvery} rounds the largest channel (${largestScope.name}, ${largestScope.signals} signals); briefings once in ${briefingEvery} rounds; `
    + `load average ${load.map((x) => x.toFixed(1)).join(' ')}\n`);
  for (let i = 0; i < 3; i++) await channelRound(working[Math.floor(rng.next() * working.length)], 'warmup', false);
  for (let i = 0; i < iterations; i++) {
    await channelRound(working[Math.floor(rng.next() * working.length)], 'uniform', true);
    await channelRound(working[scopeDraw.draw(rng)], 'weighted', true);
    if (i % briefingEvery === 0) {
      await briefingRound(municipalities[Math.floor(rng.next() * municipalities.length)].id, 'uniform', true);
      await briefingRound(municipalities[muniDraw.draw(rng)].id, 'weighted', true);
    }
    if (i % largestEvery === 0) {
      await channelRound(largestScope, 'largest', true);
      await briefingRound(municipalities[0].id, 'largest', true);
    }
    if ((i + 1) % 25 === 0) process.stdout.write(`  ${i + 1} rounds (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  const loadAfter = os.loadavg();

  // EXPLAIN (ANALYZE, BUFFERS) of the slowest SELECT in each kind's slowest call.
  const explains: Record<string, { ms: number; sql: string; params: string; plan: string[] }> = {};
  for (const [key, list] of samples) {
    const slowest = list.reduce((a, s) => (s.ms > a.ms ? s : a));
    const q = slowest.queries.filter((x) => /^\s*(SELECT|WITH)\b/i.test(x.sql)).reduce<QueryLog | undefined>((a, x) => (a === undefined || x.ms > a.ms ? x : a), undefined);
    if (!q) continue;
    try {
      const params = JSON.parse(q.params) as unknown[];
      const plan = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, params);
      explains[key] = { ms: q.ms, sql: q.sql, params: q.params, plan: plan.rows.map((r) => r['QUERY PLAN']) };
    } catch (err) {
      explains[key] = { ms: q.ms, sql: q.sql, params: q.params, plan: [`EXPLAIN failed: ${err instanceof Error ? err.message : String(err)}`] };
    }
  }

  const results = Object.fromEntries([...samples].sort(([a], [b]) => a.localeCompare(b)).map(([key, list]) => [key, summarise(list)]));
  const lines = [`${'kind'.padEnd(26)} ${'n'.padStart(4)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}  sql/call  sql p95  target`];
  for (const [key, r] of Object.entries(results)) {
    const target = targetOf(key.split(':')[1]);
    const verdict = target === undefined ? '' : r.p95 < target ? `< ${target} ok` : `< ${target} MISSED`;
    lines.push(`${key.padEnd(26)} ${String(r.n).padStart(4)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} `
      + `${r.max.toFixed(1).padStart(8)}  ${r.sqlPerCall.toFixed(1).padStart(8)} ${r.sqlMs.p95.toFixed(1).padStart(8)}  ${verdict}`);
  }
  process.stdout.write(`${lines.join('\n')}\n(ms; load average after: ${loadAfter.map((x) => x.toFixed(1)).join(' ')})\n`);

  const file = path.join(resultsDir(), 'scale.json');
  const run = {
    at: new Date(started).toISOString(), seconds: Math.round((Date.now() - started) / 1000), iterations,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: pgVersion,
      loadAverageBefore: load.map(round), loadAverageAfter: loadAfter.map(round), settings },
    data: { rows: counts, largestChannel: { name: largestScope.name, signals: largestScope.signals }, largestMunicipalitySignals: municipalities[0].signals },
    results, explains,
  };
  const existing = (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {}) as { runs?: Record<string, unknown> };
  mergeJson(file, 'runs', { ...(existing.runs ?? {}), [label]: run });
  process.stdout.write(`Written to ${path.relative(process.cwd(), file)} (runs.${label})\n`);
  await pg.end();
  await prisma.$disconnect();
}
