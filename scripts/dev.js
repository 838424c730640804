#!/usr/bin/env node
// `npm run dev`: the bot (local mode, embedded database, demo data) and the Microsoft 365 Agents Playground,
// side by side, fully offline. Ctrl-C stops both.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const BOT_PORT = 3978;
const PLAYGROUND_PORT = 56150;

// The same runtime settings m365agents.playground.yml writes to .localConfigs.playground.
const botEnv = {
  ...process.env,
  NODE_ENV: 'development',
  HOST: '127.0.0.1',
  PORT: String(BOT_PORT),
  ALLOWED_TENANT_IDS: '00000000-0000-0000-0000-0000000000001',
  PGLITE_DIR: process.env.PGLITE_DIR || '.data/pglite-playground',
  DEMO_DATA: 'true',
  LOG_LEVEL: process.env.LOG_LEVEL || 'info',
};
delete botEnv.BOT_ID;
delete botEnv.DATABASE_URL;

const children = [];
let stopping = false;

function start(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[dev] ${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
      stop(code === 0 ? 1 : code ?? 1);
    } else if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) {
      process.exit(0);
    }
  });
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGINT');
  setTimeout(() => process.exit(code), 8000).unref();
  if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code);
}

async function waitForReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

(async () => {
  start('bot', process.execPath, [path.join(root, 'lib', 'src', 'index.js')], botEnv);
  if (!(await waitForReady(`http://127.0.0.1:${BOT_PORT}/readyz`, 60_000))) {
    if (!stopping) { console.error('[dev] the bot did not become ready within 60 s'); stop(1); }
    return;
  }
  const playground = require.resolve('@microsoft/m365agentsplayground/cli.js', { paths: [root] });
  start('playground', process.execPath, [playground, '-e', `http://127.0.0.1:${BOT_PORT}/api/messages`, '-c', 'msteams', '-p', String(PLAYGROUND_PORT)], {
    ...process.env,
    // Without a desktop browser the Playground exits after "Listening"; open the page yourself.
    TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER || 'none',
  });
  console.log(`[dev] Weerbaar: http://127.0.0.1:${BOT_PORT}/api/messages  ·  Agents Playground: http://localhost:${PLAYGROUND_PORT}  ·  Ctrl-C stops both`);
})();
