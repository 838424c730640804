#!/usr/bin/env node
// `npm run dev`: the bot (local mode, embedded database, demo data) and the Microsoft 365 Agents Playground,
// side by side, fully offline. Ctrl-C stops both.
//   npm run dev -- --as "Pieter Bakker"          be another demo user (the chair; "Ingrid Hoekstra" is the mayor)
//   npm run dev -- --as "Lotte Peeters" --channel "19:zoutelaar-signalen@thread.tacv2=Signalen Zoutelaar"
//                                                and show another demo channel as the team's channel
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { root, localBotEnv, playgroundCommand, waitForOk, writePersonaConfig } = require('./playground.js');

const BOT_PORT = 3978;
const PLAYGROUND_PORT = 56150;

const { values: options } = parseArgs({ options: { as: { type: 'string' }, channel: { type: 'string' } } });
let configPath;
if (options.as || options.channel) {
  const [id, name] = (options.channel ?? '').split('=');
  if (options.channel && (!id || !name)) {
    console.error('[dev] --channel expects "<channel id>=<channel name>", e.g. "19:zoutelaar-signalen@thread.tacv2=Signalen Zoutelaar"');
    process.exit(2);
  }
  try {
    configPath = writePersonaConfig(path.join(root, '.data'), { as: options.as, channel: options.channel ? { id, name } : undefined });
  } catch (e) {
    console.error(`[dev] ${e.message}`);
    process.exit(2);
  }
}

// The same runtime settings m365agents.playground.yml writes to .localConfigs.playground.
const botEnv = localBotEnv({ port: BOT_PORT });

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

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

(async () => {
  start('bot', process.execPath, [path.join(root, 'lib', 'src', 'index.js')], botEnv);
  try {
    await waitForOk(`http://127.0.0.1:${BOT_PORT}/readyz`, 60_000, () => stopping);
  } catch {
    if (!stopping) { console.error('[dev] the bot did not become ready within 60 s'); stop(1); }
    return;
  }
  // Without a desktop browser the Playground exits after "Listening" (TEAMSAPPTESTER_BROWSER=none); open the page yourself.
  const playground = playgroundCommand({ botPort: BOT_PORT, port: PLAYGROUND_PORT, configPath });
  start('playground', playground.command, playground.args, playground.env);
  console.log(`[dev] Weerbaar: http://127.0.0.1:${BOT_PORT}/api/messages  ·  Agents Playground: http://localhost:${PLAYGROUND_PORT}  ·  Ctrl-C stops both`);
})();
