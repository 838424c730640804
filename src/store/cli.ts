// Entry point of `npm run db:deploy | db:status | db:migrate -- <name>`:
//   node lib/src/store/cli.js deploy|status|migrate <name> [--url <postgresql url> | --pglite <dir>]
// The database is the configured one (DATABASE_URL, else PGLITE_DIR) unless --url or --pglite names another.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig, type DatabaseConfig } from '../config.js';
import { runCli } from './migrateCli.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The same exclusive lock file as the application's openPglite (db.ts): PGlite has none of its own, and two
 * processes on one data directory silently lose data.
 */
function takeLock(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new Error(`The embedded database in ${dataDir} is in use by another process (pid ${pid}); stop it first.`);
      }
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}.`);
}

/** Splits `--url <u>` / `--pglite <dir>` off the command line; the rest is the command and its arguments. */
function parseArgs(argv: string[]): { rest: string[]; database: DatabaseConfig | undefined } {
  const rest: string[] = [];
  let database: DatabaseConfig | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if ((arg === '--url' || arg === '--pglite') && i + 1 < argv.length) {
      const value = argv[++i];
      database = arg === '--url' ? { kind: 'postgres', url: value } : { kind: 'pglite', dataDir: path.resolve(value) };
    } else {
      rest.push(arg);
    }
  }
  return { rest, database };
}

async function main(argv: string[]): Promise<number> {
  const { rest, database: fromArgs } = parseArgs(argv);
  const database = fromArgs ?? loadConfig().database;
  if (database.kind === 'postgres') return runCli(rest, { kind: 'postgres', url: database.url });

  const release = takeLock(database.dataDir);
  try {
    fs.mkdirSync(database.dataDir, { recursive: true });
    const pglite = new PGlite(database.dataDir);
    try {
      await pglite.waitReady;
      return await runCli(rest, { kind: 'pglite', pglite });
    } finally {
      await pglite.close();
    }
  } finally {
    release();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
