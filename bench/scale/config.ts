// Where the data-scale benchmark runs and how big it is. Everything can be overridden from the environment.
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_URL = 'postgresql://postgres@127.0.0.1:5432/weerbaar_scale';

export interface ScaleConfig {
  url: string;
  signals: number;
  municipalities: number;
  scopes: number;
  years: number;
  seed: number;
}

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Not a positive whole number: ${value}`);
  return n;
}

export function scaleConfig(env: NodeJS.ProcessEnv = process.env): ScaleConfig {
  const cfg = {
    url: env.SCALE_DATABASE_URL ?? DEFAULT_URL,
    signals: intFrom(env.SCALE_SIGNALS, 1_000_000),
    municipalities: intFrom(env.SCALE_MUNICIPALITIES, 100),
    scopes: intFrom(env.SCALE_SCOPES, 500),
    years: intFrom(env.SCALE_YEARS, 3),
    seed: intFrom(env.SCALE_SEED, 20261127),
  };
  if (cfg.scopes < 2 * cfg.municipalities) throw new Error('Every municipality needs at least two scopes (Signalen and Kerngroep): SCALE_SCOPES >= 2 x SCALE_MUNICIPALITIES');
  return cfg;
}

/** The database name in a PostgreSQL URL, and the URL of the server's maintenance database. */
export function databaseOf(url: string): { name: string; adminUrl: string } {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unexpected database name in SCALE_DATABASE_URL: "${name}"`);
  u.pathname = '/postgres';
  return { name, adminUrl: u.toString() };
}

/** The directory holding package.json (lib/bench/scale after tsc, bench/scale under ts-node-like runners). */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json found above ${__dirname}`);
    dir = parent;
  }
}

export const resultsDir = (): string => path.join(projectRoot(), 'bench', 'results');

/** Reads a results file, sets one key and writes it back (other keys, e.g. earlier runs, stay). */
export function mergeJson(file: string, key: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current: Record<string, unknown> = {};
  if (fs.existsSync(file)) current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  current[key] = value;
  fs.writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
}
