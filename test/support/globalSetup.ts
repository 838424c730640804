// Migrates one template database for the whole run; every test file then starts from a copy of it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../../src/config';
import { applyMigrations } from '../../src/store/migrate';
import { TEMPLATE_DB_ENV, TEMPLATE_FILE_ENV, adminUrl, databaseUrl } from './dbNames';

export default async function globalSetup(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  if (config.database.kind === 'postgres') {
    const name = `weerbaar_tpl_${process.pid}`;
    const admin = new Client({ connectionString: adminUrl(config.database.url) });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    await applyMigrations({ kind: 'postgres', url: databaseUrl(config.database.url, name) });
    process.env[TEMPLATE_DB_ENV] = name;
    return;
  }
  const pglite = new PGlite();
  await applyMigrations({ kind: 'pglite', pglite });
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env[TEMPLATE_FILE_ENV] = file;
}
