// A database of its own for one test file, on the engine the run uses (PGlite by default, PostgreSQL with
// DATABASE_URL), always through the same openPglite/openPostgres seam the bot uses.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { openPglite, openPostgres, type Database } from '../../src/store/db';
import { PROJECT_ROOT, TEMPLATE_DB_ENV, TEMPLATE_FILE_ENV, adminUrl, databaseUrl } from './dbNames';

export { TEMPLATE_DB_ENV, TEMPLATE_FILE_ENV, PROJECT_ROOT, databaseUrl, adminUrl };

async function cloneTemplate(admin: Client, name: string, template: string): Promise<void> {
  // Two workers cloning the same template at once collide (55006 "being accessed by other users"): retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

/** `url`: where another process finds the same database (PostgreSQL only; PGlite lives inside this process). */
export type TestDatabase = Database & { url?: string };

export async function openTestDb(): Promise<TestDatabase> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const database = config.database;
  if (database.kind === 'postgres') {
    const template = process.env[TEMPLATE_DB_ENV];
    if (!template) throw new Error('globalSetup did not create the template database');
    const name = `${template.replace('tpl', 't')}_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: adminUrl(database.url) });
    await admin.connect();
    await cloneTemplate(admin, name, template);
    await admin.end();
    const url = databaseUrl(database.url, name);
    const db = await openPostgres(url, PROJECT_ROOT);
    return {
      ...db, url,
      close: async () => {
        await db.close();
        const drop = new Client({ connectionString: adminUrl(database.url) });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await drop.end();
      },
    };
  }
  const file = process.env[TEMPLATE_FILE_ENV];
  if (!file) throw new Error('globalSetup did not create the template data directory');
  return openPglite({ dataDir: undefined, template: new Blob([fs.readFileSync(file)]), projectRoot: PROJECT_ROOT, migrate: false });
}
