// Process entry: load config, start, and shut down cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config.js';
import { loadDeploymentFile } from './deploymentFile.js';
import { createLogger, routeConsoleToLog } from './logger.js';
import { startBot } from './main.js';
import { DatabaseLockedError } from './store/db.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
    // The configuration file is checked before anything opens: an invalid file refuses the start (startBot reads it again).
    if (config.deploymentFile !== undefined) loadDeploymentFile(config.deploymentFile);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Weerbaar cannot start. ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  // The Bot Framework libraries print errors (with their text) and token keys to the console: into the log instead.
  routeConsoleToLog(log);
  if (config.bot === undefined) {
    log.warn('LOCAL MODE: BOT_ID is not set, so requests are NOT authenticated. Listening on 127.0.0.1 only. Never run like this in production.');
  }
  if (config.mode === 'production' && config.database.kind === 'pglite') {
    log.warn('PRODUCTION ON THE EMBEDDED DATABASE (ALLOW_EMBEDDED_DB_IN_PRODUCTION): PGlite does not fsync; a power loss can lose committed data.');
  }
  let running;
  try {
    running = await startBot(config, log);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Weerbaar cannot start. ${err.message}\n`);
      process.exit(78); // EX_CONFIG: the configuration file conflicts with the database
    }
    if (err instanceof DatabaseLockedError) {
      process.stderr.write(`Weerbaar cannot start. ${err.message}\n`);
      process.exit(75); // EX_TEMPFAIL
    }
    log.fatal({ err }, 'start failed');
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    running.stop().then(() => process.exit(0), (err: unknown) => { log.error({ err }, 'stop failed'); process.exit(1); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // SIGHUP: read the configuration file again; an invalid file is logged and the previous configuration stays.
  process.on('SIGHUP', () => {
    if (stopping) return;
    running.reloadConfiguration().then((outcome) => {
      if (outcome.kind === 'noFile') log.warn('SIGHUP: no configuration file to reload (WEERBAAR_CONFIG_FILE is not set)');
    }, (err: unknown) => log.error({ err }, 'configuration reload failed'));
  });
}

void main();
