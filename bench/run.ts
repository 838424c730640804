// `npm run bench`: the HTTP benchmark. Each bot runs as its own process, started from the compiled output (so the
// RSS measured is its own); this process is the load generator and the loopback Bot Connector that receives the
// replies. Measures an echo baseline, then Weerbaar on PGlite and on PostgreSQL: cold start, idle RSS, and per
// scenario and connection count throughput, latency percentiles and peak RSS. See bench/README.md.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { DEMO_TEAM_ID, DEMO_TENANT_ID, DEMO_USERS } from '../src/store/demoData.js';
import { startConnector, type BenchConnector } from './connector.js';
import { percentile, rssMb, runCell, type CellResult, type Target } from './load.js';
import { scenarios, type Scenario, type ScenarioName } from './scenarios.js';

const ROOT = path.resolve(__dirname, '../..');
const RESULTS_DIR = path.resolve(ROOT, process.env.BENCH_RESULTS_DIR ?? 'bench/results');

type Db = 'pglite' | 'postgres';

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, not "${raw}"`);
  return value;
}

const SETTINGS = {
  seconds: numberFromEnv('BENCH_SECONDS', 6),
  warmupSeconds: numberFromEnv('BENCH_WARMUP_SECONDS', 2),
  connections: (process.env.BENCH_CONNECTIONS ?? '1,10,50').split(',').map((c) => Number(c.trim())).filter((c) => Number.isInteger(c) && c > 0),
  dbs: (process.env.BENCH_DBS ?? 'pglite,postgres').split(',').map((d) => d.trim()).filter((d): d is Db => d === 'pglite' || d === 'postgres'),
  // Signals filed (over HTTP, not measured) before the list and search scenarios, so that they have rows to show.
  prefill: numberFromEnv('BENCH_PREFILL', 200),
  coldStarts: Math.max(1, numberFromEnv('BENCH_STARTS', 3)),
  settleSeconds: numberFromEnv('BENCH_SETTLE_SECONDS', 5),
  postgresUrl: process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/weerbaar_bench_http',
};

// The order per database: reads before the submit scenario, so list and search see the same rows on both engines.
// BENCH_SCENARIOS narrows it (e.g. "submit" while working on filing); the echo baseline always runs.
const BOT_SCENARIOS: readonly ScenarioName[] = (['help', 'form', 'list', 'search', 'submit'] as const)
  .filter((s) => (process.env.BENCH_SCENARIOS ?? '').trim() === '' || process.env.BENCH_SCENARIOS?.split(',').map((x) => x.trim()).includes(s));

export interface Row {
  scenario: ScenarioName;
  db: Db | 'none';
  connections: number;
  rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  rss_mb: number;
  ratio_to_echo: number;
}

interface Cell { row: Row; errors: number; firstError: string | undefined; requests: number; botCpuPct: number; loadCpuPct: number }

/** One kind of start: the echo bot, or Weerbaar on an engine with or without the demo seed at start. */
interface StartupFigures { process: 'echo' | 'weerbaar'; db: Db | 'none'; demo_data: boolean | null; cold_start_ms: number[]; cold_start_median_ms: number; idle_rss_mb: number }

const round = (n: number, digits: number) => Number(n.toFixed(digits));
const log = (line: string) => process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Processes

interface BotProcess { child: ChildProcess; port: number; errorLines: string[]; jsonLines: string[]; exited: Promise<number | null> }

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Only what the bot needs: an inherited DATABASE_URL or BOT_ID would change what is measured. */
function botEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR']) if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, ...extra };
}

// Extra node arguments for the bots (not for prepare), e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where a
// scenario's time goes (a profile is written when the bot stops). NODE_OPTIONS does not allow --cpu-prof.
const BOT_NODE_ARGS = (process.env.BENCH_BOT_NODE_ARGS ?? '').split(' ').filter(Boolean);

function spawnNode(script: string, env: NodeJS.ProcessEnv, port: number, args: string[] = [], keepJson = false): BotProcess {
  const nodeArgs = keepJson ? [] : BOT_NODE_ARGS;
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, script), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const errorLines: string[] = [];
  const jsonLines: string[] = [];
  // pino writes JSON lines; keep errors (level 50+) and anything that is not JSON (a crash) to show after the run.
  const keep = (line: string) => {
    if (line.trim() === '') return;
    try {
      const level = (JSON.parse(line) as { level?: number }).level ?? 0;
      if (level >= 50) errorLines.push(line);
      if (keepJson) jsonLines.push(line);
    } catch {
      // Not JSON: a crash or a warning of Node's. restify 11 reads process.binding('http_parser'), which Node flags.
      if (!/DeprecationWarning|--trace-deprecation/.test(line)) errorLines.push(line);
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(keep);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, errorLines, jsonLines, exited };
}

function getStatus(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Polls /readyz until it answers 200; returns the milliseconds since `since`. */
async function waitReady(bot: BotProcess, since: number): Promise<number> {
  let exitCode: number | null | undefined;
  void bot.exited.then((code) => { exitCode = code; });
  for (;;) {
    if (await getStatus(bot.port, '/readyz') === 200) return performance.now() - since;
    if (exitCode !== undefined) throw new Error(`the bot exited (code ${exitCode}) before it was ready:\n${bot.errorLines.join('\n')}`);
    if (performance.now() - since > 120_000) throw new Error('the bot was not ready after 120 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function stopProcess(bot: BotProcess): Promise<void> {
  if (bot.child.exitCode !== null) return;
  bot.child.kill('SIGTERM');
  const timer = setTimeout(() => bot.child.kill('SIGKILL'), 20_000);
  await bot.exited;
  clearTimeout(timer);
}

/** Runs a script to its end; returns the JSON lines it printed. */
async function runToEnd(script: string, args: string[]): Promise<string[]> {
  const proc = spawnNode(script, botEnv({}), 0, args, true);
  const code = await proc.exited;
  if (code !== 0) throw new Error(`${script} ${args.join(' ')} failed (${code}):\n${proc.errorLines.join('\n')}`);
  return proc.jsonLines;
}

const weerbaarEnv = (db: Db, where: string, port: number, demoData: boolean) => botEnv({
  NODE_ENV: 'test', PORT: String(port), ALLOWED_TENANT_IDS: DEMO_TENANT_ID, DEMO_DATA: String(demoData), LOG_LEVEL: 'warn',
  ...(db === 'postgres' ? { DATABASE_URL: where } : { PGLITE_DIR: where }),
});

// ---------------------------------------------------------------------------------------------------------------
// Databases

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

async function withAdmin(url: string, run: (admin: Client) => Promise<void>): Promise<void> {
  const admin = new Client({ connectionString: adminUrl(url) });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL at ${new URL(url).host} does not answer (${err instanceof Error ? err.message : String(err)}). `
      + 'Start it (e.g. pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), set BENCH_PG_URL, or run with BENCH_DBS=pglite.');
  }
  try {
    await run(admin);
  } finally {
    await admin.end();
  }
}

const dbName = (url: string) => {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_PG_URL must name a plain database (a-z, 0-9, _), not "${name}"`);
  return name;
};

interface PreparedDb { flag: '--pglite' | '--url'; where: string; remove: () => Promise<void> }

/** A migrated, seeded database for one engine; returns where it is (a directory or a URL) and how to remove it. */
async function prepareDatabase(db: Db): Promise<PreparedDb> {
  if (db === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-bench-'));
    const where = path.join(dir, 'pglite');
    const remove = async () => fs.rmSync(dir, { recursive: true, force: true });
    await runToEnd('lib/bench/prepare.js', ['prepare', '--pglite', where]).catch(async (err: unknown) => { await remove(); throw err; });
    return { flag: '--pglite', where, remove };
  }
  const url = SETTINGS.postgresUrl;
  const name = dbName(url);
  await withAdmin(url, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  });
  await runToEnd('lib/bench/prepare.js', ['prepare', '--url', url]);
  return { flag: '--url', where: url, remove: () => withAdmin(url, async (admin) => { await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); }) };
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

const startLabel = (k: Pick<StartupFigures, 'process' | 'db' | 'demo_data'>) =>
  k.process === 'echo' ? 'echo' : `weerbaar/${k.db}${k.demo_data ? ' DEMO_DATA=true' : ' DEMO_DATA=false'}`;

/**
 * Starts the bot `coldStarts` times (each to /readyz 200); the last one settles and is measured idle, then stays up
 * for the load (`keep`) or is stopped.
 */
async function startMeasured(kind: Omit<StartupFigures, 'cold_start_ms' | 'cold_start_median_ms' | 'idle_rss_mb'>, start: (port: number) => BotProcess, keep: boolean):
  Promise<{ bot: BotProcess | undefined; figures: StartupFigures }> {
  const times: number[] = [];
  for (let i = 0; ; i++) {
    const port = await freePort();
    const t0 = performance.now();
    const bot = start(port);
    try {
      times.push(await waitReady(bot, t0));
    } catch (err) {
      await stopProcess(bot);
      throw err;
    }
    if (i + 1 >= SETTINGS.coldStarts) {
      await new Promise((r) => setTimeout(r, SETTINGS.settleSeconds * 1000));
      const idle = await rssMb(bot.child.pid ?? 0);
      const sorted = [...times].sort((a, b) => a - b);
      log(`  ${startLabel(kind)}: cold start ${times.map((t) => `${Math.round(t)} ms`).join(', ')}; idle RSS ${idle.toFixed(1)} MB`);
      if (!keep) await stopProcess(bot);
      return { bot: keep ? bot : undefined,
        figures: { ...kind, cold_start_ms: times.map((t) => Math.round(t)), cold_start_median_ms: Math.round(percentile(sorted, 50)), idle_rss_mb: round(idle, 1) } };
    }
    await stopProcess(bot);
  }
}

async function measureScenario(target: Target, scenario: Scenario, db: Db | 'none', echoRps: Map<number, number>): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const connections of SETTINGS.connections) {
    const r: CellResult = await runCell(target, scenario, connections, SETTINGS.warmupSeconds * 1000, SETTINGS.seconds * 1000);
    if (scenario.name === 'echo') echoRps.set(connections, r.rps);
    const echo = echoRps.get(connections);
    const row: Row = {
      scenario: scenario.name, db, connections,
      rps: round(r.rps, 1), p50_ms: round(r.p50, 2), p95_ms: round(r.p95, 2), p99_ms: round(r.p99, 2), rss_mb: round(r.rssMb, 1),
      ratio_to_echo: scenario.name === 'echo' ? 1 : echo ? round(r.rps / echo, 3) : Number.NaN,
    };
    cells.push({ row, errors: r.errors, firstError: r.firstError, requests: r.requests, botCpuPct: r.botCpuPct, loadCpuPct: r.loadCpuPct });
    log(`  ${scenario.name.padEnd(6)} ${db.padEnd(8)} c=${String(connections).padStart(2)}  ${row.rps.toFixed(1).padStart(7)} rps  p50 ${row.p50_ms.toFixed(2)}  p95 ${row.p95_ms.toFixed(2)}`
      + `  p99 ${row.p99_ms.toFixed(2)} ms  RSS ${row.rss_mb.toFixed(1)} MB${r.errors > 0 ? `  ERRORS ${r.errors}: ${r.firstError}` : ''}`);
  }
  return cells;
}

/** Files `count` signals over HTTP (not measured), four at a time, so list and search have rows to show. */
async function prefill(target: Target, submit: Scenario, count: number): Promise<void> {
  let left = count;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const worker = async (client: number) => {
    while (left > 0) {
      left--;
      const activity = submit.next(client);
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const body = JSON.stringify(activity);
        const req = http.request({ agent, host: '127.0.0.1', port: target.port, path: '/api/messages', method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end(body);
      });
      const problem = submit.check({ ...res, replies: target.connector.takeReplies(activity.id) });
      if (problem !== undefined) throw new Error(`prefill: a signal was not filed: ${problem}`);
    }
  };
  try {
    await Promise.all([0, 1, 2, 3].map(worker));
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function table(rows: readonly (readonly string[])[], rightAligned: (col: number) => boolean): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  const line = (r: readonly string[]) => r.map((cell, col) => rightAligned(col) ? cell.padStart(widths[col]) : cell.padEnd(widths[col])).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

interface TargetCheck { target: string; db: Db; value: string; met: boolean }

function targetChecks(cells: readonly Cell[], startups: readonly StartupFigures[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const maxConnections = Math.max(...SETTINGS.connections);
  for (const db of SETTINGS.dbs) {
    const submit = cells.find((c) => c.row.scenario === 'submit' && c.row.db === db && c.row.connections === maxConnections)?.row;
    if (submit) {
      checks.push({ target: `submit >= 50% of echo throughput at ${maxConnections} connections`, db, value: `${(submit.ratio_to_echo * 100).toFixed(1)}% (${submit.rps} rps)`, met: submit.ratio_to_echo >= 0.5 });
      checks.push({ target: `submit p99 < 100 ms at ${maxConnections} connections`, db, value: `${submit.p99_ms} ms`, met: submit.p99_ms < 100 });
    }
    for (const s of startups.filter((x) => x.db === db)) {
      const how = s.demo_data ? 'DEMO_DATA=true: the demo seed runs at start' : 'DEMO_DATA=false: as in production';
      checks.push({ target: `cold start to /readyz 200 < 3 s (median; ${how})`, db, value: `${s.cold_start_median_ms} ms`, met: s.cold_start_median_ms < 3000 });
      if (db === 'postgres') checks.push({ target: `idle RSS < 200 MB (${how})`, db, value: `${s.idle_rss_mb} MB`, met: s.idle_rss_mb < 200 });
    }
  }
  return checks;
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const began = performance.now();
  // Other work on the machine shows in every figure: the load average before and after goes into startup.json.
  const loadAtStart = os.loadavg().map((l) => round(l, 2));
  for (const file of ['lib/src/index.js', 'lib/bench/echoBot.js', 'lib/bench/prepare.js']) {
    if (!fs.existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run npm run bench (it builds first)`);
  }
  if (SETTINGS.connections.length === 0) throw new Error('BENCH_CONNECTIONS names no connection count');
  log(`Weerbaar HTTP benchmark: ${SETTINGS.seconds} s per cell after ${SETTINGS.warmupSeconds} s warm-up; connections ${SETTINGS.connections.join(', ')}; `
    + `databases ${SETTINGS.dbs.join(', ')}; ${os.cpus().length} CPUs, Node ${process.version}; load average ${loadAtStart.join(' ')}`);

  const rosters = new Map([[DEMO_TEAM_ID, DEMO_USERS.map((u) => ({ id: u.teamsUserId, name: u.name, aadObjectId: u.aadObjectId }))]]);
  const connector: BenchConnector = await startConnector(rosters);
  const all = scenarios(connector.url);
  const cells: Cell[] = [];
  const startups: StartupFigures[] = [];
  const echoRps = new Map<number, number>();
  const botErrors: string[] = [];
  const integrity: { db: Db; confirmed_submits: number; signals: number; filing_audits: number }[] = [];

  try {
    log('\nEcho baseline (bench/echoBot.ts)');
    {
      const { bot, figures } = await startMeasured({ process: 'echo', db: 'none', demo_data: null },
        (port) => spawnNode('lib/bench/echoBot.js', botEnv({ PORT: String(port) }), port), true);
      startups.push(figures);
      if (!bot) throw new Error('the echo bot was not kept running');
      try {
        cells.push(...await measureScenario({ port: bot.port, pid: bot.child.pid ?? 0, connector }, all.echo, 'none', echoRps));
      } finally {
        await stopProcess(bot);
        botErrors.push(...bot.errorLines.map((l) => `[echo] ${l}`));
      }
    }

    for (const db of SETTINGS.dbs) {
      log(`\nWeerbaar on ${db}`);
      const t0 = performance.now();
      const database = await prepareDatabase(db);
      log(`  database migrated and seeded in ${Math.round(performance.now() - t0)} ms`);
      try {
        // As in production first (the database exists, nothing to seed), then as the load runs it (DEMO_DATA=true, like the tests).
        startups.push((await startMeasured({ process: 'weerbaar', db, demo_data: false },
          (port) => spawnNode('lib/src/index.js', weerbaarEnv(db, database.where, port, false), port), false)).figures);
        const { bot, figures } = await startMeasured({ process: 'weerbaar', db, demo_data: true },
          (port) => spawnNode('lib/src/index.js', weerbaarEnv(db, database.where, port, true), port), true);
        startups.push(figures);
        if (!bot) throw new Error('the bot was not kept running');
        const filedBefore = all.submit.passed;
        try {
          const target: Target = { port: bot.port, pid: bot.child.pid ?? 0, connector };
          const t1 = performance.now();
          await prefill(target, all.submit, SETTINGS.prefill);
          log(`  ${SETTINGS.prefill} signals filed beforehand in ${Math.round(performance.now() - t1)} ms`);
          for (const name of BOT_SCENARIOS) cells.push(...await measureScenario(target, all[name], db, echoRps));
        } finally {
          await stopProcess(bot);
          botErrors.push(...bot.errorLines.map((l) => `[${db}] ${l}`));
        }
        // Every submit the bot confirmed is one signal with one filing audit, no more, no less.
        const stored = JSON.parse((await runToEnd('lib/bench/prepare.js', ['count', database.flag, database.where])).at(-1) ?? '{}') as { signals?: number; audits?: number };
        const confirmed = all.submit.passed - filedBefore;
        integrity.push({ db, confirmed_submits: confirmed, signals: stored.signals ?? -1, filing_audits: stored.audits ?? -1 });
        log(`  ${confirmed} submits confirmed; the database holds ${stored.signals} signals and ${stored.audits} filing audits`);
      } finally {
        await database.remove();
      }
    }
  } finally {
    await connector.close();
  }

  // Output: the table, the startup figures, the targets; then the files.
  const header = ['scenario', 'db', 'conns', 'rps', 'p50 ms', 'p95 ms', 'p99 ms', 'RSS MB', 'x echo', 'errors', 'bot CPU%', 'gen CPU%'];
  const body = cells.map(({ row: r, errors, botCpuPct, loadCpuPct }) => [r.scenario, r.db, String(r.connections), r.rps.toFixed(1), r.p50_ms.toFixed(2), r.p95_ms.toFixed(2),
    r.p99_ms.toFixed(2), r.rss_mb.toFixed(1), r.ratio_to_echo.toFixed(3), String(errors), botCpuPct.toFixed(0), loadCpuPct.toFixed(0)]);
  log(`\n${table([header, ...body], (col) => col >= 2)}`);

  log(`\n${table([['process', 'cold start to /readyz (ms, each run)', 'median ms', `idle RSS MB (after ${SETTINGS.settleSeconds} s)`],
    ...startups.map((s) => [startLabel(s), s.cold_start_ms.join(', '), String(s.cold_start_median_ms), s.idle_rss_mb.toFixed(1)])],
  (col) => col >= 2)}`);

  const checks = targetChecks(cells, startups);
  log(`\n${table([['target', 'db', 'measured', 'met'], ...checks.map((c) => [c.target, c.db, c.value, c.met ? 'yes' : 'NO'])], () => false)}`);

  const failedCells = cells.filter((c) => c.errors > 0);
  const mismatches = integrity.filter((i) => i.signals !== i.confirmed_submits || i.filing_audits !== i.confirmed_submits);
  for (const m of mismatches) log(`\nINTEGRITY ${m.db}: ${m.confirmed_submits} submits confirmed, but ${m.signals} signals and ${m.filing_audits} filing audits stored.`);
  if (botErrors.length > 0) log(`\nThe bots logged ${botErrors.length} error line(s); the first:\n${botErrors.slice(0, 5).map((l) => l.slice(0, 600)).join('\n')}`);

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(cells.map((c) => c.row), null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, 'startup.json'), `${JSON.stringify({
    generated_at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? '', node: process.version, platform: `${os.platform()} ${os.release()}`,
      load_average_1_5_15_min: { at_start: loadAtStart, at_end: os.loadavg().map((l) => round(l, 2)) } },
    settings: { seconds_per_cell: SETTINGS.seconds, warmup_seconds: SETTINGS.warmupSeconds, connections: SETTINGS.connections, prefill_signals: SETTINGS.prefill,
      cold_starts: SETTINGS.coldStarts, settle_seconds: SETTINGS.settleSeconds },
    startup: startups,
    targets: checks,
    integrity,
    requests_measured: cells.reduce((n, c) => n + c.requests, 0),
    // Per cell, % of one core over the measured window: the bot process, and this process (load generator and connector).
    cpu: cells.map((c) => ({ scenario: c.row.scenario, db: c.row.db, connections: c.row.connections, bot_cpu_pct: Math.round(c.botCpuPct), generator_cpu_pct: Math.round(c.loadCpuPct) })),
    errors: failedCells.map((c) => ({ scenario: c.row.scenario, db: c.row.db, connections: c.row.connections, errors: c.errors, first: c.firstError })),
    bot_error_lines: botErrors.length,
  }, null, 2)}\n`);
  log(`\nLoad average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min; at the start ${loadAtStart.join(' ')}).`);
  log(`\nWrote ${path.relative(ROOT, path.join(RESULTS_DIR, 'latest.json'))} and startup.json in ${Math.round((performance.now() - began) / 1000)} s.`);
  if (failedCells.length > 0) log(`\n${failedCells.length} cell(s) had failed requests: their numbers count only the good answers. See the errors column.`);
  if (failedCells.length > 0 || mismatches.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
