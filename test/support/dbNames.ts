// Names shared by globalSetup (which runs without jest's module mapping) and the per-file databases.
import path from 'node:path';

export const TEMPLATE_FILE_ENV = 'WEERBAAR_TEST_TEMPLATE_FILE';
export const TEMPLATE_DB_ENV = 'WEERBAAR_TEST_TEMPLATE_DB';
export const PROJECT_ROOT = path.resolve(__dirname, '../..');

export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The maintenance database of the server, for CREATE/DROP DATABASE. */
export const adminUrl = (url: string): string => databaseUrl(url, 'postgres');

