// The database seam itself (migrations are applied to the template by globalSetup and by every `npm run dev`;
// the wasm engine cannot be imported inside jest's module sandbox): the lock file on the embedded directory, the append-only audit table, and the
// Bot Framework storage the teams-ai turn state lives in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite, DatabaseLockedError, type Database } from '../../src/store/db';
import { DatabaseStorage } from '../../src/teams/storage';
import { PROJECT_ROOT } from '../support/dbNames';
import { openTestDb } from '../support/testDb';

let db: Database;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db.close(); });

describe('embedded database directory', () => {
  it('refuses a second opener of the same directory with a clear message, and frees it on close', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-lock-')), 'pglite');
    const first = await openPglite({ dataDir: dir, projectRoot: PROJECT_ROOT, migrate: false });
    try {
      await expect(openPglite({ dataDir: dir, projectRoot: PROJECT_ROOT, migrate: false })).rejects.toThrow(DatabaseLockedError);
      await expect(openPglite({ dataDir: dir, projectRoot: PROJECT_ROOT, migrate: false })).rejects.toThrow(/in use by another Weerbaar process \(pid \d+\)/);
      expect(await first.prisma.$queryRawUnsafe('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await first.close();
    }
    const again = await openPglite({ dataDir: dir, projectRoot: PROJECT_ROOT, migrate: false });
    expect(await again.prisma.$queryRawUnsafe('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await again.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-lock-')), 'pglite');
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.writeFileSync(`${dir}.lock`, '999999999');
    const db2 = await openPglite({ dataDir: dir, projectRoot: PROJECT_ROOT, migrate: false });
    expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
    await db2.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});

describe('audit table', () => {
  it('is append-only in the database itself', async () => {
    await db.prisma.auditEvent.create({ data: { tenantId: 't', actorAadId: 'a', action: 'test', result: 'ok', correlationId: 'c' } });
    await expect(db.prisma.auditEvent.updateMany({ data: { result: 'changed' } })).rejects.toThrow();
    await expect(db.prisma.auditEvent.deleteMany({})).rejects.toThrow();
    expect(await db.prisma.auditEvent.count({ where: { result: 'ok', action: 'test' } })).toBe(1);
  });
});

describe('turn state storage', () => {
  it('keeps Bot Framework state in the database', async () => {
    const storage = new DatabaseStorage(db.prisma);
    await storage.write({ 'msteams/conversations/c1': { topic: 'overleg', count: 2 } });
    const read = await storage.read(['msteams/conversations/c1', 'missing']);
    expect(read['msteams/conversations/c1']).toMatchObject({ topic: 'overleg', count: 2, eTag: expect.any(String) });
    expect(read.missing).toBeUndefined();
    // A fresh storage object (another process) sees the same state.
    expect((await new DatabaseStorage(db.prisma).read(['msteams/conversations/c1']))['msteams/conversations/c1']).toMatchObject({ topic: 'overleg' });
    await storage.delete(['msteams/conversations/c1']);
    expect(await storage.read(['msteams/conversations/c1'])).toEqual({});
  });
});
