/// <reference lib="dom" />
// The world of the browser tests: the compiled bot (local mode, its own embedded database, demo data), the
// Microsoft 365 Agents Playground started as one demo user at a time, and Debian's Chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

interface Persona { as?: string; channel?: { id: string; name: string } }
interface PlaygroundScripts {
  root: string;
  localBotEnv(o: { port: number; pgliteDir: string; logLevel: string }): NodeJS.ProcessEnv;
  personaSlug(persona: Persona): string;
  writePersonaConfig(dir: string, persona: Persona): string;
  playgroundCommand(o: { botPort: number; port: number; configPath: string; logFile: string }): { command: string; args: string[]; env: NodeJS.ProcessEnv };
  waitForOk(url: string, timeoutMs: number): Promise<void>;
}
// The same module `npm run dev` uses, so the tests run the world a developer sees.
const scripts = createRequire(__filename)('../../../scripts/playground.js') as PlaygroundScripts;

export const PROJECT_ROOT = scripts.root;
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'docs', 'screenshots');

/** Debian's Chromium (STACK.md): playwright-core never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startLogged(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
  await exited;
  clearTimeout(timer);
}

/** The last lines a process wrote: what a failing step shows besides its own message. */
function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export class World {
  private bot?: ChildProcess;
  private playground?: ChildProcess;
  private browser?: Browser;
  botPort = 0;
  playgroundPort = 0;

  constructor(readonly dir: string) {}

  get botLog(): string { return path.join(this.dir, 'bot.log'); }

  /** The compiled bot (`npm run build` ran first) on a fresh embedded database with the demo data. */
  async startBot(): Promise<void> {
    this.botPort = await freePort();
    const env = scripts.localBotEnv({ port: this.botPort, pgliteDir: path.join(this.dir, 'pglite'), logLevel: 'warn' });
    this.bot = startLogged(process.execPath, [path.join(PROJECT_ROOT, 'lib', 'src', 'index.js')], env, PROJECT_ROOT, this.botLog);
    try {
      await scripts.waitForOk(`http://127.0.0.1:${this.botPort}/readyz`, 90_000);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${tail(this.botLog)}`);
    }
  }

  async launchBrowser(): Promise<void> {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`);
    }
    // playwright-core gives it a new, empty profile of its own.
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  }

  /**
   * The Playground as one demo user (a fresh Playground: its chats start empty, the bot's database does not), and a
   * new browser page on it. The previous persona's Playground is stopped first.
   */
  async as(persona: Persona): Promise<Page> {
    await stopProcess(this.playground);
    if (!this.browser) throw new Error('launchBrowser() first');
    this.playgroundPort = await freePort();
    const slug = scripts.personaSlug(persona);
    const configPath = scripts.writePersonaConfig(this.dir, persona);
    const logFile = path.join(this.dir, `playground-${slug}.log`);
    const cmd = scripts.playgroundCommand({ botPort: this.botPort, port: this.playgroundPort, configPath, logFile });
    this.playground = startLogged(cmd.command, cmd.args, cmd.env, this.dir, path.join(this.dir, `playground-${slug}.out`));
    await scripts.waitForOk(`http://localhost:${this.playgroundPort}/`, 60_000);
    // Dutch users: dates in the pickers are the Netherlands' (the Playground itself always sends en-US).
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Europe/Amsterdam' });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(`http://localhost:${this.playgroundPort}/`);
    // The log panel lists every activity; the screenshots show the conversation instead.
    await page.getByTitle('Hide log panel').click();
    return page;
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await stopProcess(this.playground);
    await stopProcess(this.bot);
  }
}
