// The commands behind `npm run db:deploy | db:status | db:migrate -- <name>`, free of process globals so they can
// be tested: output goes to stdout (errors to stderr), the exit code is returned.
import { applyMigrations, createMigration, migrationStatus, type MigrationTarget } from './migrate.js';

const USAGE = 'Usage: cli.js deploy | status | migrate <name>   [--url <postgresql url> | --pglite <dir>]';

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(line: string): void {
  process.stderr.write(`${line}\n`);
}

function describe(target: MigrationTarget): string {
  if (target.kind === 'pglite') return `embedded database (PGlite${target.pglite.dataDir ? ` in ${target.pglite.dataDir}` : ', in memory'})`;
  try {
    const u = new URL(target.url);
    return `PostgreSQL ${u.host}${u.pathname}`; // never the credentials
  } catch {
    return 'PostgreSQL';
  }
}

/** argv: the command and its arguments, e.g. ['deploy'] or ['migrate', 'add_calendar']. Returns the exit code. */
export async function runCli(argv: string[], target: MigrationTarget): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'deploy': {
        if (args.length !== 0) break;
        const { applied } = await applyMigrations(target);
        out(applied.length === 0
          ? `${describe(target)}: no pending migrations.`
          : `${describe(target)}: applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}`);
        return 0;
      }
      case 'status': {
        if (args.length !== 0) break;
        const s = await migrationStatus(target);
        out(`${describe(target)}`);
        out(`  applied: ${s.applied.length}${s.applied.length > 0 ? ` (last: ${s.applied[s.applied.length - 1]})` : ''}`);
        for (const m of s.pending) out(`  pending: ${m}`);
        for (const m of s.failed) out(`  FAILED:  ${m}`);
        if (s.failed.length > 0) {
          out('A failed migration was rolled back but blocks further deploys: fix it, then mark it rolled back ' +
            '(prisma migrate resolve --rolled-back <name>) or delete its row from _prisma_migrations.');
          return 1;
        }
        out(s.pending.length === 0 ? 'Database schema is up to date.' : `${s.pending.length} migration(s) pending: run db:deploy.`);
        return s.pending.length === 0 ? 0 : 1;
      }
      case 'migrate': {
        if (args.length !== 1) break;
        const created = await createMigration(target, args[0]);
        out(created === null
          ? 'The schema matches the migration history: no migration created.'
          : `Created prisma/migrations/${created}/migration.sql (not applied yet: run db:deploy).`);
        return 0;
      }
      default:
        break;
    }
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
    return 1;
  }
  fail(USAGE);
  return 2;
}
