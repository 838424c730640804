// Entry point of `npm run db:deploy | db:status | db:migrate -- <name>`:
//   node lib/src/store/cli.js deploy|status|migrate <name> [--url <postgresql url> | --pglite <dir>]
// The database is the configured one (DATABASE_URL, else PGLITE_DIR) unless --url or --pglite names another;
// `migrate` needs none (it only diffs the schema against the migration history).
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig, type DatabaseConfig } from '../config.js';
import { takeLock } from './db.js';
import { runCli } from './migrateCli.js';

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

async function withMemoryPglite(run: (pglite: PGlite) => Promise<number>): Promise<number> {
  const pglite = new PGlite();
  try {
    await pglite.waitReady;
    return await run(pglite);
  } finally {
    await pglite.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { rest, database: fromArgs } = parseArgs(argv);
  // `migrate` diffs the schema against the migration history on an in-memory shadow database and never reads the
  // configured database: do not open (and lock) it, so it works while `npm run dev` holds the embedded one.
  if (rest[0] === 'migrate') return withMemoryPglite((pglite) => runCli(rest, { kind: 'pglite', pglite }));

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
