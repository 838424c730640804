// A bot in a process of its own (test/support/botProcess.child.js over the compiled lib/), for what one process cannot
// show: several instances on one database, and an instance killed in the middle of its work.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './dbNames';
import type { TeamsActivity } from './harness';

/** Compiles src/ to lib/ (what `npm run build` does after generating the Prisma client, which `npm test` did). */
export function buildLib(): void {
  const tsc = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
}

export type PeriodicWork = 'briefings' | 'meetingReminders' | 'actionReminders' | 'agendas' | 'crisisRepeats' | 'retention';

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote (its structured log lines). */
  output: string[];
  send(activity: TeamsActivity, serviceUrl: string): Promise<{ status: number; body: unknown }>;
  /** Runs the periodic work now in this process; resolves with what it returned. */
  run(work: PeriodicWork): Promise<unknown>;
  /** SIGKILL: no shutdown, no lease given back. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

interface ChildMessage { ready?: boolean; url?: string; id?: number; result?: unknown; error?: string }

export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child = fork(path.join(__dirname, 'botProcess.child.js'), [], {
    cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot process did not start: ${output.join('')}`)), 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the bot process exited (${code}): ${output.join('')}`)); });
    child.on('message', (m: ChildMessage) => {
      if (m.ready && m.url) { clearTimeout(timer); resolve(m.url); return; }
      const waiting = m.id === undefined ? undefined : pending.get(m.id);
      if (!waiting || m.id === undefined) return;
      pending.delete(m.id);
      if (m.error) waiting.reject(new Error(m.error)); else waiting.resolve(m.result);
    });
  });
  return {
    url, child, output,
    async send(activity, serviceUrl) {
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...activity, serviceUrl }) });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) as unknown };
    },
    run(work) {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, run: work });
      });
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
