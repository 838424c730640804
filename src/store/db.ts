// The one seam that opens the database: embedded PGlite (default, in-process) or a PostgreSQL server.
// Both go through the same generated Prisma client and the same migrations.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import type { DatabaseConfig } from '../config.js';
import { applyMigrations } from './migrate.js';

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly prisma: PrismaClient;
  /** Reachable and every migration on disk applied. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export class DatabaseLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`The embedded database in ${dataDir} is in use by another Weerbaar process (pid ${pid}). ` +
      'Stop that process first, or point PGLITE_DIR at another directory.');
    this.name = 'DatabaseLockedError';
  }
}

// Transactions wait for PGlite's single session; allow for a queue of concurrent submits.
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

export function migrationNames(projectRoot: string): string[] {
  const dir = path.join(projectRoot, 'prisma', 'migrations');
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

async function allMigrationsApplied(prisma: PrismaClient, expected: readonly string[]): Promise<boolean> {
  const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Set(rows.map((r) => r.migration_name));
  return expected.every((m) => applied.has(m));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** PGlite writes no lock file of its own: two processes on one directory would silently lose data. */
export function takeLock(dataDir: string): () => void {
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
      if (Number.isInteger(pid) && isAlive(pid)) throw new DatabaseLockedError(dataDir, pid);
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new DatabaseLockedError(dataDir, -1);
}

export interface PgliteOptions {
  /** Directory on disk; undefined keeps the database in memory (tests). */
  dataDir: string | undefined;
  /** A dumped data directory to start from (tests load a migrated template). */
  template?: Blob;
  projectRoot: string;
  migrate: boolean;
}

export async function openPglite(opts: PgliteOptions): Promise<Database> {
  const release = opts.dataDir === undefined ? () => undefined : takeLock(opts.dataDir);
  try {
    if (opts.dataDir !== undefined) fs.mkdirSync(opts.dataDir, { recursive: true });
    const pglite = new PGlite({
      dataDir: opts.dataDir,
      loadDataDir: opts.template,
      // Saves ~110 MB of RSS; our working set is small.
      postgresqlconf: ['shared_buffers=16MB'],
    });
    await pglite.waitReady;
    if (opts.migrate) await applyMigrations({ kind: 'pglite', pglite }, { migrationsDir: path.join(opts.projectRoot, 'prisma', 'migrations') });
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), transactionOptions: TRANSACTION_OPTIONS });
    const expected = migrationNames(opts.projectRoot);
    return {
      kind: 'pglite',
      prisma,
      ready: () => allMigrationsApplied(prisma, expected).catch(() => false),
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

export async function openPostgres(url: string, projectRoot: string, poolMax = 10): Promise<Database> {
  // A server that stops answering without closing the connection (a dropped network path) must fail a request within
  // Teams' wait, not after TCP gives up minutes later: a connect timeout, and keep-alive probes on idle connections.
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolMax, connectionTimeoutMillis: 10_000, keepAlive: true,
    keepAliveInitialDelayMillis: 10_000 }), transactionOptions: TRANSACTION_OPTIONS });
  await prisma.$queryRawUnsafe('SELECT 1');
  const expected = migrationNames(projectRoot);
  return {
    kind: 'postgres',
    prisma,
    ready: () => allMigrationsApplied(prisma, expected).catch(() => false),
    close: () => prisma.$disconnect(),
  };
}

/** Embedded: created and migrated on open. PostgreSQL: migrated by `npm run db:deploy`, checked by /readyz. */
export function openDb(config: DatabaseConfig, projectRoot: string): Promise<Database> {
  return config.kind === 'postgres'
    ? openPostgres(config.url, projectRoot)
    : openPglite({ dataDir: config.dataDir, projectRoot, migrate: true });
}
