// Administration: the first admin from the command line's service, then role management in Teams by that admin
// only, the audit trail of a person as CSV, and who receives the mayor's briefings and alerts.
import { auditTrail, briefingRecipients, linkScope, setDeputies, setRoleAsOperator, toCsv } from '../../src/services/administration';
import { DAAN, FATIMA, INGRID, SANNE, SIGNALEN_HDB, message, repliesTo, startTestBot, type TestBot } from '../support/harness';

let bot: TestBot;
beforeAll(async () => { bot = await startTestBot(); });
afterAll(async () => { await bot.stop(); });
beforeEach(() => bot.stub.clear());

const place = { channel: SIGNALEN_HDB };
const op = { name: 'beheer', correlationId: 'test0001' };
const say = async (text: string, user = FATIMA) => {
  const activity = message(text, user, place);
  await bot.send(activity);
  return repliesTo(bot.stub, activity)[0].activity.text;
};
const roleOf = async (aadObjectId: string) => (await bot.db.prisma.member.findFirstOrThrow({ where: { aadObjectId, scope: { channelId: SIGNALEN_HDB.id } } })).role;

describe('roles', () => {
  it('refuses role changes by anyone who is not an admin of the channel', async () => {
    expect(await say('rol Sanne coordinator')).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
    expect(await roleOf(SANNE.aadObjectId)).toBe('member');
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'role.set', result: 'denied', actorAadId: FATIMA.aadObjectId } })).toBe(1);
  });

  it('lets the first admin, made from the command line, give roles in Teams', async () => {
    expect(await setRoleAsOperator(bot.running.deps, op, SIGNALEN_HDB.id, FATIMA.aadObjectId, 'admin')).toBe('Fatima El Amrani is admin in Signalen Heidebroek');
    expect(await say('rol Sanne de Vries coordinator')).toBe('Sanne de Vries heeft nu de rol coördinator in dit kanaal.');
    expect(await roleOf(SANNE.aadObjectId)).toBe('coordinator');
    expect(await say('rol Daan superheld')).toBe('Onbekende rol. Kies uit: member, coordinator, chair, mayor, admin.');
    expect(await say('rol Onbekende Persoon chair')).toBe('Geen lid van dit kanaal met die naam.');
    expect(await say('rol a member')).toMatch(/^Meer dan één lid past: .+\. Gebruik de volledige naam\.$/);
    expect(await roleOf(DAAN.aadObjectId)).toBe('member');
  });

  it('links a channel to its municipality', async () => {
    await expect(linkScope(bot.running.deps, op, SIGNALEN_HDB.id, 'XXX')).rejects.toThrow('No municipality with code XXX');
    expect(await linkScope(bot.running.deps, op, SIGNALEN_HDB.id, 'hdb')).toBe('Signalen Heidebroek is linked to Gemeente Heidebroek and enabled');
  });

  it('gives the audit trail of a person as CSV, and audits that reading', async () => {
    await say('signalen', SANNE);
    const rows = await auditTrail(bot.running.deps, op, { aadObjectId: SANNE.aadObjectId });
    expect(rows.map((r) => r.action)).toContain('signal.list');
    const csv = toCsv(rows);
    expect(csv.split('\r\n')[0]).toBe('at,actor,action,recordType,recordId,scopeId,result,correlationId');
    expect(csv.split('\r\n').length).toBe(rows.length + 2);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'audit.read', actorAadId: 'operator:beheer' } })).toBe(1);
  });

  it('keeps spreadsheet formulas and separators inert in the CSV', () => {
    const csv = toCsv([{ at: 't', actor: '=HYPERLINK("x")', action: 'a,b', recordType: '', recordId: '', scopeId: '', result: 'ok', correlationId: 'c' }]);
    expect(csv.split('\r\n')[1]).toBe('t,"=HYPERLINK(""x"")","a,b",,,,ok,c');
  });
});

describe('briefing recipients', () => {
  const hdb = async () => (await briefingRecipients(bot.running.deps)).filter((r) => r.municipality === 'HDB');

  it('lists the mayor, and whether the bot can reach her in her personal chat', async () => {
    expect(await hdb()).toEqual([{ municipality: 'HDB', role: 'mayor', aadObjectId: INGRID.aadObjectId, name: INGRID.name, reachable: 'no chat' }]);
    // The coordinator who sends a briefing is told the mayor cannot be reached yet.
    expect(await say('briefing sturen', SANNE)).toBe('De briefing van Gemeente Heidebroek is naar de burgemeester gestuurd (1). '
      + 'Weerbaar kan 1 van hen nog niet bereiken: de app is nog niet voor hen geïnstalleerd. De beheerder ziet wie (npm run admin -- mayors).');
    await bot.send(message('help', INGRID, { personal: true }));
    expect((await hdb())[0].reachable).toBe('yes');
  });

  it('sets and clears the deputy, refusing what is not an Entra object id, and audits the change', async () => {
    await expect(setDeputies(bot.running.deps, op, 'HDB', ['Daan'])).rejects.toThrow('"Daan" is not an Entra object id');
    await expect(setDeputies(bot.running.deps, op, 'XXX', [DAAN.aadObjectId])).rejects.toThrow('No municipality with code XXX');
    expect(await setDeputies(bot.running.deps, op, 'hdb', [DAAN.aadObjectId, DAAN.aadObjectId])).toBe('Gemeente Heidebroek: 1 deputy set');
    expect((await hdb()).map((r) => [r.role, r.name, r.reachable])).toEqual([['mayor', INGRID.name, 'yes'], ['deputy', DAAN.name, 'no chat']]);
    expect(await setDeputies(bot.running.deps, op, 'HDB', [])).toBe('Gemeente Heidebroek has no deputy');
    expect((await hdb()).map((r) => r.role)).toEqual(['mayor']);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'municipality.deputies', actorAadId: 'operator:beheer' } })).toBe(2);
  });
});
