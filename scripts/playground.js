// The local world shared by `npm run dev` and `npm run test:e2e`: the bot's local settings, and the Agents
// Playground's configuration seen as one of the demo users.
//
// The Playground has one "current user" per run and one team channel besides General. To be the chair or the
// mayor, or an officer of another channel, it is started with a copy of .m365agentsplayground.yml in which that
// user is the current user (and, if asked, another demo channel is the team's channel). The copy lives under
// .data/, never replaces the file in the repo.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const CONFIG_FILE = path.join(root, '.m365agentsplayground.yml');

/** The tenant the demo world lives in (.m365agentsplayground.yml, src/store/demoData.ts). */
const DEMO_TENANT_ID = '00000000-0000-0000-0000-0000000000001';

/** The bot's environment in local mode: no Bot Framework auth, loopback only, the embedded database, demo data. */
function localBotEnv({ port, pgliteDir, logLevel } = {}) {
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port ?? 3978),
    ALLOWED_TENANT_IDS: DEMO_TENANT_ID,
    PGLITE_DIR: pgliteDir ?? process.env.PGLITE_DIR ?? '.data/pglite-playground',
    DEMO_DATA: 'true',
    LOG_LEVEL: logLevel ?? process.env.LOG_LEVEL ?? 'info',
  };
  delete env.BOT_ID;
  delete env.DATABASE_URL;
  return env;
}

/**
 * The Playground's configuration with `as` (a user's name, e.g. "Pieter Bakker") as the current user; the previous
 * current user takes that user's place in the list, so the Playground still has its five other users. `channel`
 * ({ id, name }) replaces the team's one channel.
 */
function personaConfig({ as, channel } = {}) {
  const doc = YAML.parseDocument(fs.readFileSync(CONFIG_FILE, 'utf8'));
  const config = doc.toJS();
  if (as && config.currentUser.name !== as) {
    const index = config.users.findIndex((u) => u.name === as);
    if (index < 0) {
      const names = [config.currentUser, ...config.users].map((u) => u.name).join(', ');
      throw new Error(`No user "${as}" in ${path.relative(root, CONFIG_FILE)}; the users are: ${names}`);
    }
    const previous = config.currentUser;
    config.currentUser = config.users[index];
    config.users[index] = previous;
  }
  if (channel) config.team.channels = [{ id: channel.id, name: channel.name }];
  return config;
}

/** The persona in file names: "Pieter Bakker" → "pieter-bakker". */
function personaSlug(persona) {
  return (persona.as ?? 'default').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** Writes the persona's configuration under `dir` and returns its path (for M365_AGENTS_PLAYGROUND_CONFIG_PATH). */
function writePersonaConfig(dir, persona) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `playground-${personaSlug(persona)}.yml`);
  fs.writeFileSync(file, `# Generated from .m365agentsplayground.yml for ${persona.as ?? 'its current user'}; edit that file instead.\n${YAML.stringify(personaConfig(persona))}`);
  return file;
}

/** The Playground's command line and environment: its own log and configuration paths, no telemetry, no browser. */
function playgroundCommand({ botPort, port, configPath, logFile }) {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js', { paths: [root] });
  const args = [cli, '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'];
  const env = { ...process.env, TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER || 'none' };
  if (configPath) env.M365_AGENTS_PLAYGROUND_CONFIG_PATH = configPath;
  if (logFile) env.M365_AGENTS_PLAYGROUND_LOGFILE = logFile;
  return { command: process.execPath, args, env };
}

/** Resolves when `url` answers 2xx, or rejects after `timeoutMs`. */
async function waitForOk(url, timeoutMs, isStopped = () => false) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !isStopped()) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s`);
}

module.exports = { root, DEMO_TENANT_ID, localBotEnv, personaConfig, personaSlug, writePersonaConfig, playgroundCommand, waitForOk };
