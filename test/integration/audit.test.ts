// The audit trail is hash-chained per scope like the journal: every operation leaves one event, concurrent
// requests never fork a chain, and a changed, removed or reordered event is detected.
import { verifyAuditChains } from '../../src/store/audit';
import { FATIMA, SANNE, SIGNALEN_HDB, executeAction, message, startTestBot, validSignalInput, type TestBot } from '../support/harness';

let bot: TestBot;
beforeAll(async () => { bot = await startTestBot(); });
afterAll(async () => { await bot.stop(); });

const place = { channel: SIGNALEN_HDB };

describe('the audit chain', () => {
  it('records one event per operation and keeps every chain intact under concurrent requests', async () => {
    const before = await bot.db.prisma.auditEvent.count();
    await Promise.all(Array.from({ length: 10 }, (_, i) => bot.send(executeAction('signal.submit', { nonce: `audit-${i}`, ...validSignalInput() }, FATIMA, place))));
    await Promise.all(Array.from({ length: 10 }, () => bot.send(message('signalen', SANNE, place))));
    expect(await bot.db.prisma.auditEvent.count()).toBe(before + 20);
    const report = await verifyAuditChains(bot.db.prisma);
    expect(report.broken).toEqual([]);
    const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } });
    const seqs = (await bot.db.prisma.auditEvent.findMany({ where: { chain: `scope:${scope.id}` }, orderBy: { seq: 'asc' } })).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('detects a changed, a removed and a reordered event', async () => {
    const db = bot.db.prisma;
    const scope = await db.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } });
    const chain = `scope:${scope.id}`;
    const asAdmin = async (sql: string) => {
      await db.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"');
      try { await db.$executeRawUnsafe(sql); } finally { await db.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"'); }
    };
    await db.$executeRawUnsafe('DROP TABLE IF EXISTS audit_snapshot');
    await db.$executeRawUnsafe(`CREATE TABLE audit_snapshot AS SELECT * FROM "AuditEvent" WHERE "chain" = '${chain}'`);
    const restore = async () => {
      await asAdmin(`DELETE FROM "AuditEvent" WHERE "chain" = '${chain}'`);
      await db.$executeRawUnsafe('INSERT INTO "AuditEvent" SELECT * FROM audit_snapshot');
    };
    const brokenHere = async () => (await verifyAuditChains(db)).broken.filter((b) => b.chain === chain).map((b) => b.break.problem);
    const tampers = [
      `UPDATE "AuditEvent" SET "result" = 'denied-' || "result" WHERE "chain" = '${chain}' AND "seq" = 3`,
      `UPDATE "AuditEvent" SET "actorAadId" = 'someone-else' WHERE "chain" = '${chain}' AND "seq" = 5`,
      `DELETE FROM "AuditEvent" WHERE "chain" = '${chain}' AND "seq" = 2`,
      `DELETE FROM "AuditEvent" WHERE "chain" = '${chain}' AND "seq" = (SELECT max("seq") FROM "AuditEvent" WHERE "chain" = '${chain}')`,
      `UPDATE "AuditEvent" a SET "action" = s."action", "at" = s."at", "prevHash" = s."prevHash", "hash" = s."hash", "details" = s."details", "result" = s."result"
         FROM audit_snapshot s WHERE a."chain" = '${chain}' AND s."chain" = a."chain" AND ((a."seq" = 1 AND s."seq" = 4) OR (a."seq" = 4 AND s."seq" = 1))`,
    ];
    for (const sql of tampers) {
      await asAdmin(sql);
      expect(await brokenHere()).toHaveLength(1);
      await restore();
      expect(await brokenHere()).toEqual([]);
    }
    await db.$executeRawUnsafe('DROP TABLE audit_snapshot');
  });
});
