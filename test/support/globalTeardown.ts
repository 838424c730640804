import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { TEMPLATE_DB_ENV, TEMPLATE_FILE_ENV, adminUrl } from './dbNames';

export default async function globalTeardown(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const file = process.env[TEMPLATE_FILE_ENV];
  if (file) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const template = process.env[TEMPLATE_DB_ENV];
  if (config.database.kind === 'postgres' && template) {
    const admin = new Client({ connectionString: adminUrl(config.database.url) });
    await admin.connect();
    // Test databases of this run that a crashed worker left behind, then the template.
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${template.replace('tpl', 't')}_%`]);
    for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await admin.end();
  }
}
