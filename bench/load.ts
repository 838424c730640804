// The load generator: N keep-alive clients (one socket each), each sending its next request as soon as the
// previous one is answered (a closed loop). Node built-ins only: http.Agent and performance.now() are all this needs.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { BenchConnector } from './connector.js';
import type { Answer, Scenario } from './scenarios.js';

export interface CellResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Peak RSS of the bot process sampled during the measured window, MB. */
  rssMb: number;
  errors: number;
  firstError: string | undefined;
  /** CPU time of the bot process and of this one (load generator and connector) over the measured window, % of one core. */
  botCpuPct: number;
  loadCpuPct: number;
}

export interface Target { port: number; pid: number; connector: BenchConnector }

function post(agent: http.Agent, port: number, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      agent, host: '127.0.0.1', port, path: '/api/messages', method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      // Teams gives up on an invoke after 5 s; anything near 30 s is a hang, not a slow answer.
      timeout: 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout after 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** RSS of a process in MB, from /proc (Linux), else from ps. */
export async function rssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    if (Number.isFinite(kb)) return kb / 1024;
  } catch { /* not Linux: ask ps */ }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; NaN elsewhere). */
async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence after the last ')'): utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

const ownCpuSeconds = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Runs one cell: `warmupMs` of load that is not counted (sockets opened, code paths hot, caches filled), then
 * `measureMs` in which every request that completes is counted. Requests still in flight at the end finish but
 * are not counted.
 */
export async function runCell(target: Target, scenario: Scenario, connections: number, warmupMs: number, measureMs: number): Promise<CellResult> {
  const started = performance.now();
  const measureFrom = started + warmupMs;
  const measureTo = measureFrom + measureMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let peakRss = 0;

  // CPU use over exactly the measured window: from its start to its end, both on a timer.
  let cpuAtStart = { bot: Number.NaN, own: Number.NaN };
  let cpuAtEnd = { bot: Number.NaN, own: Number.NaN };
  const cpuStart = setTimeout(() => { const own = ownCpuSeconds(); void cpuSeconds(target.pid).then((bot) => { cpuAtStart = { bot, own }; }); }, warmupMs);
  const cpuEnd = setTimeout(() => { const own = ownCpuSeconds(); void cpuSeconds(target.pid).then((bot) => { cpuAtEnd = { bot, own }; }); }, warmupMs + measureMs);

  const sampler = setInterval(() => {
    if (performance.now() < measureFrom) return;
    rssMb(target.pid).then((mb) => { peakRss = Math.max(peakRss, mb); }, () => undefined);
  }, 250);

  const client = async (index: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (performance.now() < measureTo) {
        const activity = scenario.next(index);
        const t0 = performance.now();
        let problem: string | undefined;
        try {
          const res = await post(agent, target.port, JSON.stringify(activity));
          const answer: Answer = { ...res, replies: target.connector.takeReplies(activity.id) };
          problem = scenario.check(answer);
        } catch (err) {
          problem = err instanceof Error ? err.message : String(err);
        }
        const t1 = performance.now();
        if (t1 < measureFrom || t1 > measureTo) continue;
        if (problem !== undefined) {
          errors++;
          firstError ??= problem;
        } else {
          latencies.push(t1 - t0);
        }
      }
    } finally {
      agent.destroy();
    }
  };

  await Promise.all(Array.from({ length: connections }, (_, i) => client(i)));
  clearInterval(sampler);
  clearTimeout(cpuStart);
  clearTimeout(cpuEnd);
  peakRss = Math.max(peakRss, await rssMb(target.pid));
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / (measureMs / 1000),
    p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99),
    rssMb: peakRss, errors, firstError,
    botCpuPct: ((cpuAtEnd.bot - cpuAtStart.bot) / (measureMs / 1000)) * 100,
    loadCpuPct: ((cpuAtEnd.own - cpuAtStart.own) / (measureMs / 1000)) * 100,
  };
}
