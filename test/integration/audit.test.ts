// The audit trail is hash-chained per scope like the journal: every operation leaves one event, concurrent
// requests never fork a chain, and a changed, removed or reordered event is detected.
import { verifyAuditChains } from '../../src/store/audit';
import { setRoleAsOperator } from '../../src/services/administration';
import { FATIMA, SANNE, SIGNALEN_HDB, acceptDeclarations, cardOf, executeAction, fileTestSignal, message, repliesTo, startTestBot, texts, validSignalInput, type TestBot } from '../support/harness';

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

describe('the audit trail in Teams', () => {
  // Henk is the functional administrator of Signalen Heidebroek: an admin, who sees no signal content.
  const HENK = { teamsUserId: 'user-id-9', aadObjectId: '00000000-0000-0000-0000-0000000000029', name: 'Henk Beheer', email: '', roles: {} };
  const personal = { personal: true } as const;
  const ask = async (text: string, user: typeof HENK, where: Parameters<typeof message>[2] = personal) => {
    const activity = message(text, user, where);
    expect((await bot.send(activity)).status).toBe(200);
    return repliesTo(bot.stub, activity)[0].activity;
  };
  let reference = '';
  beforeAll(async () => {
    await setRoleAsOperator(bot.running.deps, { name: 'test', correlationId: 'audit-ui' }, SIGNALEN_HDB.id, HENK.aadObjectId, 'admin', HENK.name);
    await acceptDeclarations(bot.db, [HENK.aadObjectId]);
    reference = (await fileTestSignal(bot, FATIMA, place, { description: 'Voor de audittrail.' })).reference;
    // From personal chat: with an admin (who sees only 'intern') in the channel, the channel shows this
    // vertrouwelijk signal to no one.
    await ask(`signaal ${reference}`, SANNE, personal);
    await ask(`signaal ${reference}`, FATIMA, personal);
  });

  it('shows an admin who saw and did what to a record, newest first, with a one-time CSV of all of it', async () => {
    const reply = await ask(`audit ${reference}`, HENK);
    const card = cardOf({ activity: reply } as never);
    const shown = texts(card);
    expect(shown[0]).toBe(`Audittrail ${reference}`);
    const lines = shown.filter((x) => x.includes(' · '));
    expect(lines[0]).toBe(`Fatima El Amrani · signal.view · ${reference}`);
    expect(lines).toContain(`Sanne de Vries · signal.view · ${reference}`);
    expect(lines[lines.length - 1]).toBe(`Fatima El Amrani · signal.file · ${reference}`);
    // The admin sees who and what, not the record's content.
    expect(JSON.stringify(card)).not.toContain('Voor de audittrail.');

    const url = (card.actions ?? []).find((a) => a.type === 'Action.OpenUrl') as { url: string } | undefined;
    expect(url?.url).toMatch(/\/exports\/[A-Za-z0-9_-]{40,}$/);
    const download = await fetch(url?.url ?? '');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const csv = await download.text();
    expect(csv.split('\r\n')[0]).toBe('at,actor,action,recordType,recordId,scopeId,result,correlationId');
    expect(csv.split('\r\n').filter((l) => l.includes(',signal.view,')).length).toBe(2);
    expect((await fetch(url?.url ?? '')).status).toBe(410);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'audit.export', actorAadId: HENK.aadObjectId } })).toBe(1);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'audit.read', actorAadId: HENK.aadObjectId, result: 'ok' } })).toBe(1);
  });

  it('shows what one person saw and did, by name', async () => {
    const card = cardOf({ activity: await ask('audit Sanne', HENK) } as never);
    expect(texts(card)[0]).toBe('Audittrail Sanne de Vries');
    expect(texts(card).filter((x) => x.includes(' · ')).every((x) => x.startsWith('Sanne de Vries · '))).toBe(true);
  });

  it('refuses officers, refuses in a channel where others read along, and audits the refusals', async () => {
    expect((await ask(`audit ${reference}`, FATIMA as typeof HENK)).text).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
    expect((await ask(`audit ${reference}`, HENK, place)).text).toBe('Dat laat ik hier niet zien: niet iedereen die hier meeleest mag het zien. Vraag het in uw persoonlijke chat met Weerbaar.');
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'audit.read', result: 'denied' } })).toBe(2);
    expect((await ask('audit', HENK)).text).toMatch(/^Gebruik: audit SIG-2026-0001/);
    expect((await ask('audit SIG-2026-9999', HENK)).text).toBe('SIG-2026-9999 bestaat niet of u hebt er geen toegang toe.');
  });
});
