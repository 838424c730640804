// Prisma migrations without the Prisma CLI's native schema engine (which it downloads, and cannot here):
// Prisma's official WebAssembly schema engine (@prisma/schema-engine-wasm, the same engine source as the CLI),
// driven through driver adapters the way Prisma's own SchemaEngineWasm wrapper (packages/migrate) drives it:
// SchemaEngine.new(options, log, bindMigrationAwareSqlAdapterFactory(factory)), the migrations directory read
// into a MigrationList like the CLI reads it, the lock file and new migrations written like the CLI writes them.
// It reads and writes `_prisma_migrations` exactly like `prisma migrate deploy` (checksum = sha256 of
// migration.sql), so a connected machine running the real CLI accepts the resulting state.
//
// Differences with the adapters as shipped (both are unfit for migrations):
// - pglite-prisma-adapter does not await executeScript, so a failing migration would be recorded as applied;
// - @prisma/adapter-pg splits the script on ';', which breaks $$ bodies and leaves a failure half-applied.
// Here every migration script runs as ONE batch inside ONE transaction: a failure rolls back completely and the
// engine records the migration as failed, which is what the native engine does on PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export type MigrationTarget = { kind: 'pglite'; pglite: PGlite } | { kind: 'postgres'; url: string };

export interface MigrationStatus {
  /** Finished and not rolled back, per `_prisma_migrations`. */
  applied: string[];
  /** In the migrations directory, not yet applied (failed ones are listed under `failed` only). */
  pending: string[];
  /** Started but never finished: `prisma migrate resolve` (or a fix and a manual rollback) is needed. */
  failed: string[];
}

// ---------------------------------------------------------------------------------------------------------
// Locations

let cachedRoot: string | undefined;

/** The directory holding package.json: src/store under ts-jest, lib/src/store after tsc. */
function projectRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return (cachedRoot = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json found above ${__dirname}`);
    dir = parent;
  }
}

const defaultSchemaPath = (): string => path.join(projectRoot(), 'prisma', 'schema.prisma');
const defaultMigrationsDir = (): string => path.join(projectRoot(), 'prisma', 'migrations');

// ---------------------------------------------------------------------------------------------------------
// The wasm engine: loaded and instantiated once per process, private to this module.

type EngineInput = Record<string, unknown>;

/** The subset of the engine's methods we call; results are narrowed from `unknown`. */
interface WasmEngine {
  applyMigrations(input: EngineInput): Promise<unknown>;
  diagnoseMigrationHistory(input: EngineInput): Promise<unknown>;
  diff(input: EngineInput): Promise<unknown>;
  free(): void;
}

interface WasmEngineClass {
  new: (options: { datamodels: [string, string][] | undefined }, log: (line: string) => void, adapter: object) => Promise<unknown>;
}

/** Node has the WebAssembly global, but neither lib ES2023 nor @types/node 20 types it: the part we use. */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

interface PanicRegistry {
  get(): string;
  set_message(message: string): void;
}

/** The engine reports Rust panics through this global (the name is fixed in the engine). */
function panicRegistry(): PanicRegistry {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
  if (g.PRISMA_WASM_PANIC_REGISTRY === undefined) {
    // Same shape as the one the Prisma CLI and client install; reuse theirs when already present.
    let message = '';
    g.PRISMA_WASM_PANIC_REGISTRY = {
      get: () => message,
      set_message: (m: string) => {
        message = `RuntimeError: ${m}`;
      },
    };
  }
  return g.PRISMA_WASM_PANIC_REGISTRY;
}

// The engine arms a 10 s timer per advisory-lock wait (a race against the lock) and never clears it, which kept
// processes alive for ~10 s after migrating. Timers armed while an engine call runs stay referenced (they may be
// the timeout that call relies on); when no call is in flight, leftovers are unref'd so they cannot hold the
// process open. They still fire if the process lives on, which is harmless.
let engineCallsInFlight = 0;
const referencedTimers = new Set<NodeJS.Timeout>();

function engineSetTimeout(callback: unknown, ms: unknown): NodeJS.Timeout {
  const run = typeof callback === 'function' ? (callback as () => void) : () => undefined;
  const timer = setTimeout(() => {
    referencedTimers.delete(timer);
    run();
  }, typeof ms === 'number' ? ms >>> 0 : 0);
  if (engineCallsInFlight === 0) timer.unref();
  else referencedTimers.add(timer);
  return timer;
}

function releaseLeftoverTimers(): void {
  if (engineCallsInFlight !== 0) return;
  for (const t of referencedTimers) t.unref();
  referencedTimers.clear();
}

let engineClassPromise: Promise<WasmEngineClass> | undefined;
let panicked: string | undefined;

async function loadEngineClass(): Promise<WasmEngineClass> {
  panicRegistry();
  // The package is ESM and its entry point expects a bundler to import the .wasm; we import only the JS glue
  // (schema_engine_bg.js) and instantiate the wasm ourselves, wiring the glue's exports as its imports.
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await fs.promises.readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));

  const imports: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(glue)) {
    if (typeof value === 'function') imports[name] = name.startsWith('__wbg_setTimeout_') ? engineSetTimeout : value;
  }
  const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': imports });
  glue.__wbg_set_wasm(instance.exports);
  const start = instance.exports['__wbindgen_start'];
  if (typeof start !== 'function') throw new Error('schema-engine-wasm: __wbindgen_start is missing');
  (start as () => void)();

  const engineClass: unknown = glue.SchemaEngine;
  if (typeof engineClass !== 'function' || typeof (engineClass as { new?: unknown }).new !== 'function') {
    throw new Error('schema-engine-wasm: SchemaEngine.new is missing');
  }
  return engineClass as unknown as WasmEngineClass;
}

function isWasmEngine(value: unknown): value is WasmEngine {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return ['applyMigrations', 'diagnoseMigrationHistory', 'diff', 'free'].every((m) => typeof v[m] === 'function');
}

// One engine operation at a time per process: the wasm instance and the panic registry are shared.
let queue: Promise<unknown> = Promise.resolve();

function serialised<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

function isWasmPanic(error: unknown): boolean {
  return error instanceof Error && error.name === 'RuntimeError';
}

/** Turns what the engine throws into an Error with a readable message (engine errors carry a code and text). */
function engineError(operation: string, error: unknown): Error {
  if (isWasmPanic(error)) {
    panicked = panicRegistry().get() || (error instanceof Error ? error.message : String(error));
    return new Error(`Schema engine panicked during ${operation}: ${panicked}`);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // Drop the engine's span trace ("   0: sql_schema_connector::...") and keep the message on one line.
    const text = error.message.split('\n   0: ')[0].trim().replace(/\s*\n\s*/g, ': ');
    const wrapped = new Error(typeof code === 'string' ? `${code}: ${text}` : text);
    wrapped.cause = error;
    return wrapped;
  }
  return new Error(`Schema engine failed during ${operation}: ${String(error)}`);
}

/**
 * Runs `work` with a fresh engine over `factory`, then frees the engine and disposes every connection the engine
 * opened through the factory (the engine itself does not dispose its main connection).
 */
async function withEngine<T>(
  operation: string,
  factory: TrackingFactory,
  datamodels: [string, string][] | undefined,
  work: (engine: WasmEngine) => Promise<T>,
): Promise<T> {
  return serialised(async () => {
    if (panicked !== undefined) {
      throw new Error(`The schema engine panicked earlier in this process (${panicked}); restart the process`);
    }
    engineClassPromise ??= loadEngineClass();
    const engineClass = await engineClassPromise;
    engineCallsInFlight++;
    let engine: WasmEngine | undefined;
    try {
      const created: unknown = await engineClass.new({ datamodels }, () => undefined, bindMigrationAwareSqlAdapterFactory(factory))
        .catch((e: unknown) => {
          throw engineError(`${operation} (connecting)`, e);
        });
      if (!isWasmEngine(created)) throw new Error('schema-engine-wasm: SchemaEngine.new returned an unexpected value');
      engine = created;
      return await work(created).catch((err: unknown) => {
        throw engineError(operation, err);
      });
    } finally {
      // After a panic the instance is unusable: touching the engine again throws from inside the wasm.
      if (panicked === undefined) {
        try {
          engine?.free();
        } catch {
          // freeing is best effort
        }
      }
      engineCallsInFlight--;
      await factory.disposeAll();
      releaseLeftoverTimers();
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Adapters: the official factories, with executeScript replaced by a one-batch-in-one-transaction runner.

type ScriptRunner = (script: string) => Promise<void>;

interface TrackingFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Disposes what connect()/connectToShadowDb() handed out and not yet disposed, then the factory's own resources. */
  disposeAll(): Promise<void>;
}

/** A database error as PGlite and node-postgres raise it (both mirror the server's ErrorResponse fields). */
function toDriverAdapterError(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const e = error as Record<string, unknown>;
  if (typeof e['code'] !== 'string' || typeof e['message'] !== 'string') return error;
  const optional = (k: string): string | undefined => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
  return new DriverAdapterError({
    kind: 'postgres',
    code: e['code'],
    severity: optional('severity') ?? 'ERROR',
    message: e['message'],
    detail: optional('detail'),
    column: optional('column'),
    hint: optional('hint'),
    originalCode: e['code'],
    originalMessage: e['message'],
  });
}

function withScriptRunner(inner: SqlDriverAdapter, runScript: ScriptRunner, afterDispose?: () => Promise<void>): SqlDriverAdapter {
  let disposed = false;
  const adapter: SqlDriverAdapter = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (query) => inner.queryRaw(query),
    executeRaw: (query) => inner.executeRaw(query),
    startTransaction: (isolationLevel) => inner.startTransaction(isolationLevel),
    executeScript: async (script) => {
      try {
        await runScript(script);
      } catch (error) {
        throw toDriverAdapterError(error);
      }
    },
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      try {
        await inner.dispose();
      } finally {
        await afterDispose?.();
      }
    },
  };
  const info = inner.getConnectionInfo?.bind(inner);
  if (info !== undefined) adapter.getConnectionInfo = info;
  return adapter;
}

function pgliteScriptRunner(pglite: PGlite): ScriptRunner {
  return async (script) => {
    // One simple-protocol batch inside PGlite's transaction(): ROLLBACK on any error, then rethrow.
    await pglite.transaction(async (tx) => {
      await tx.exec(script);
    });
  };
}

function poolScriptRunner(pool: pg.Pool): ScriptRunner {
  return async (script) => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query(script); // no parameters: simple protocol, the whole script as one batch
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  };
}

/** A fresh in-memory PGlite: the shadow database on which the engine replays the migration history. */
async function connectShadow(): Promise<SqlDriverAdapter> {
  const shadow = new PGlite();
  await shadow.waitReady;
  const inner = await new PrismaPGlite(shadow).connect();
  return withScriptRunner(inner, pgliteScriptRunner(shadow), () => shadow.close());
}

function trackingFactory(
  base: { provider: 'postgres'; adapterName: string },
  connectMain: () => Promise<SqlDriverAdapter>,
  closeFactory: () => Promise<void>,
): TrackingFactory {
  const open = new Set<SqlDriverAdapter>();
  const track = (a: SqlDriverAdapter): SqlDriverAdapter => {
    open.add(a);
    return a;
  };
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => track(await connectMain()),
    connectToShadowDb: async () => track(await connectShadow()),
    disposeAll: async () => {
      for (const a of [...open].reverse()) await a.dispose().catch(() => undefined);
      open.clear();
      await closeFactory();
    },
  };
}

/** The key of the engine's `pg_advisory_lock(72707369)`; it is re-entrant, so unlock until it is gone. */
const RELEASE_ENGINE_LOCK = `DO $$
BEGIN
  WHILE EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = 72707369
                AND objsubid = 1 AND pid = pg_backend_pid()) LOOP
    PERFORM pg_advisory_unlock(72707369);
  END LOOP;
END $$`;

function factoryFor(target: MigrationTarget): TrackingFactory {
  if (target.kind === 'pglite') {
    const { pglite } = target;
    const official = new PrismaPGlite(pglite);
    return trackingFactory(
      { provider: 'postgres', adapterName: official.adapterName },
      async () => withScriptRunner(await official.connect(), pgliteScriptRunner(pglite)),
      // The engine takes a session-level advisory lock to migrate and never releases it; on a server, closing the
      // connection does. PGlite's single session lives on (the application keeps using it): release that lock.
      async () => {
        if (!pglite.closed) await pglite.exec(RELEASE_ENGINE_LOCK);
      },
    );
  }
  // One connection: the engine's session advisory lock, the migrations and `_prisma_migrations` share it.
  const pool = new pg.Pool({ connectionString: target.url, max: 1, idleTimeoutMillis: 0 });
  pool.on('error', () => undefined); // an idle connection dropped by the server must not crash the process
  const official = new PrismaPg(pool);
  return trackingFactory(
    { provider: 'postgres', adapterName: official.adapterName },
    async () => withScriptRunner(await official.connect(), poolScriptRunner(pool)),
    () => pool.end(),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The migrations directory, read as the Prisma CLI reads it.

const LOCKFILE = 'migration_lock.toml';
const NO_FILTER = { externalTables: [], externalEnums: [] };

interface MigrationList {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: { path: string; migrationFile: { path: string; content: { tag: 'ok' | 'error'; value: string } } }[];
}

async function readMigrations(baseDir: string): Promise<MigrationList> {
  const lockContent = await fs.promises.readFile(path.join(baseDir, LOCKFILE), 'utf8').catch(() => null);
  const entries = await fs.promises.readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(dirs.map(async (name) => {
    const content = await fs.promises.readFile(path.join(baseDir, name, 'migration.sql'), 'utf8')
      .then((value) => ({ tag: 'ok' as const, value }))
      .catch((e: unknown) => ({ tag: 'error' as const, value: e instanceof Error ? e.message : String(e) }));
    return { path: name, migrationFile: { path: 'migration.sql', content } };
  }));
  return { baseDir, lockfile: { path: LOCKFILE, content: lockContent }, shadowDbInitScript: '', migrationDirectories };
}

// ---------------------------------------------------------------------------------------------------------
// Narrowing engine results

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringArray(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Migrations started and never finished nor rolled back (what the engine calls failed). */
async function unfinishedMigrations(factory: TrackingFactory): Promise<string[]> {
  const adapter = await factory.connect();
  try {
    const exists = await adapter.queryRaw({ sql: "SELECT to_regclass('_prisma_migrations') IS NOT NULL", args: [], argTypes: [] });
    if (exists.rows[0]?.[0] !== true) return [];
    const rows = await adapter.queryRaw({
      sql: 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL ORDER BY started_at',
      args: [],
      argTypes: [],
    });
    return rows.rows.map((r) => String(r[0]));
  } finally {
    await factory.disposeAll();
  }
}

async function appliedMigrations(factory: TrackingFactory): Promise<string[]> {
  const adapter = await factory.connect();
  try {
    const exists = await adapter.queryRaw({ sql: "SELECT to_regclass('_prisma_migrations') IS NOT NULL", args: [], argTypes: [] });
    if (exists.rows[0]?.[0] !== true) return [];
    const rows = await adapter.queryRaw({
      sql: 'SELECT DISTINCT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
      args: [],
      argTypes: [],
    });
    return rows.rows.map((r) => String(r[0]));
  } finally {
    await factory.disposeAll();
  }
}

// ---------------------------------------------------------------------------------------------------------
// The API

/**
 * Applies the pending migrations (`prisma migrate deploy`). Throws when one fails: the failed migration is rolled
 * back entirely, recorded as failed in `_prisma_migrations`, and named in the error message; later runs refuse
 * until it is resolved, as with the Prisma CLI.
 */
export async function applyMigrations(target: MigrationTarget, opts: { migrationsDir?: string } = {}): Promise<{ applied: string[] }> {
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const list = await readMigrations(migrationsDir);
  const factory = factoryFor(target);
  try {
    return await withEngine('applyMigrations', factory, undefined, async (engine) => {
      const out: unknown = await engine.applyMigrations({ migrationsList: list, filters: NO_FILTER });
      if (!isRecord(out)) throw new Error('schema-engine-wasm: unexpected applyMigrations result');
      return { applied: stringArray(out['appliedMigrationNames']) };
    });
  } catch (error) {
    const failed = await unfinishedMigrations(factoryFor(target)).catch(() => []);
    const reason = error instanceof Error ? error.message : String(error);
    const err = new Error(failed.length > 0
      ? `Migration ${failed.join(', ')} failed (rolled back, recorded as failed in _prisma_migrations): ${reason}`
      : `Applying migrations from ${migrationsDir} failed: ${reason}`);
    err.cause = error;
    throw err;
  }
}

/** Which migrations are applied, pending and failed (`prisma migrate status`). Reads only. */
export async function migrationStatus(target: MigrationTarget, opts: { migrationsDir?: string } = {}): Promise<MigrationStatus> {
  const list = await readMigrations(opts.migrationsDir ?? defaultMigrationsDir());
  const factory = factoryFor(target);
  const diagnosis = await withEngine('diagnoseMigrationHistory', factory, undefined, async (engine) => {
    const out: unknown = await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTER });
    if (!isRecord(out)) throw new Error('schema-engine-wasm: unexpected diagnoseMigrationHistory result');
    return out;
  });
  const failed = stringArray(diagnosis['failedMigrationNames']);
  const history = diagnosis['history'];
  const unapplied = isRecord(history) ? stringArray(history['unappliedMigrationNames']) : [];
  const applied = await appliedMigrations(factoryFor(target));
  return { applied, pending: unapplied.filter((m) => !failed.includes(m)), failed };
}

/** The name part of a migration directory, as the Prisma CLI derives it (slugified with '_', at most 200 chars). */
function migrationSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .substring(0, 200);
}

function utcTimestamp(d = new Date()): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/**
 * Developers: diffs the Prisma schema against the migration history (replayed on an in-memory PGlite shadow
 * database) and writes `<migrations>/<timestamp>_<name>/migration.sql` plus migration_lock.toml, like
 * `prisma migrate dev --create-only`. Does not apply it. Returns the directory name, or null when the history
 * already matches the schema. The migrations directory is the `migrations` folder next to the schema.
 */
export async function createMigration(target: MigrationTarget, name: string, schemaPath: string = defaultSchemaPath()): Promise<string | null> {
  const slug = migrationSlug(name);
  if (slug === '') throw new Error(`"${name}" is not usable as a migration name (use letters, digits and _)`);
  const schema = await fs.promises.readFile(schemaPath, 'utf8');
  const migrationsDir = path.join(path.dirname(schemaPath), 'migrations');
  const list = await readMigrations(migrationsDir);
  const provider = 'postgresql';
  const lockfileText = `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
  // The engine reads the connector for the history from the lock file; a first migration has none yet.
  const history = { ...list, lockfile: { path: LOCKFILE, content: list.lockfile.content ?? lockfileText } };
  const schemaFile = path.basename(schemaPath);

  const script = await withEngine('diff', factoryFor(target), [[schemaFile, schema]], async (engine) => {
    const out: unknown = await engine.diff({
      from: { tag: 'migrations', ...history },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaFile, content: schema }] },
      script: true,
      exitCode: true, // 2 when there is a difference, 0 when there is none
      filters: NO_FILTER,
    });
    if (!isRecord(out) || typeof out['exitCode'] !== 'number') throw new Error('schema-engine-wasm: unexpected diff result');
    if (out['exitCode'] === 0) return null;
    if (typeof out['stdout'] !== 'string') throw new Error('schema-engine-wasm: diff returned no script');
    return out['stdout'];
  });
  if (script === null) return null;

  const dirName = `${utcTimestamp()}_${slug}`;
  const dir = path.join(migrationsDir, dirName);
  if (fs.existsSync(dir)) throw new Error(`The migration directory already exists at ${dir}`);
  await fs.promises.mkdir(dir, { recursive: true });
  await fs.promises.writeFile(path.join(dir, 'migration.sql'), script, 'utf8');
  await fs.promises.writeFile(path.join(migrationsDir, LOCKFILE), lockfileText, 'utf8');
  return dirName;
}

