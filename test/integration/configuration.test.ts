// The configuration file on a running bot over a real database: applied at start in one transaction (audited), a
// scope linked by it when the bot first sees the channel, reloaded without losing data, and a reload with an
// invalid or conflicting file refused with the previous configuration kept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigFileError } from '../../src/deploymentFile';
import { randomUUID } from 'node:crypto';
import { FATIMA, SANNE, SIGNALEN_HDB, SIGNALEN_ZTL, cardAnswer, cardOf, repliesTo, executeAction, fileTestSignal, input, install, message, startTestBot, texts, validSignalInput, type TestBot } from '../support/harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-config-'));
const file = path.join(dir, 'weerbaar.yml');
const NEW_CHANNEL = '19:programmateam-nieuw@thread.tacv2';

const yaml = (opts: { hdbDrugslab?: number; weekday?: string; declaration?: string; extraScopes?: string; ztlCountry?: string } = {}) => `# test file
municipalities:
  - code: HDB
    name: Gemeente Heidebroek
    country: NL
    officialCode: GM1901
    mayors:
      - { aadObjectId: 00000000-0000-0000-0000-0000000000099, name: Burgemeester Test }
    phenomena:
      remove: [zorgfraude]
    deadlines: { drugslab: ${opts.hdbDrugslab ?? 3} }
    privacy:
      allowBsn: true
${opts.declaration ?? ''}
  - code: ZTL
    name: Stad Zoutelaar
    country: ${opts.ztlCountry ?? 'BE'}
    officialCode: "44021"
    privacy:
      confidentialityLevels: [intern, vertrouwelijk]
scopes:
  - channelId: "${SIGNALEN_HDB.id}"
    municipalities: [HDB, ZTL]
  - channelId: "${SIGNALEN_ZTL.id}"
    municipalities: [ZTL]
${opts.extraScopes ?? ''}briefing:
  weekday: ${opts.weekday ?? 'friday'}
`;

let bot: TestBot;
beforeAll(async () => {
  fs.writeFileSync(file, yaml());
  bot = await startTestBot({ env: { WEERBAAR_CONFIG_FILE: file } });
});
afterAll(async () => {
  await bot.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const hdb = () => bot.db.prisma.municipality.findUniqueOrThrow({ where: { code: 'HDB' } });
const served = async (channelId: string) => (await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId },
  select: { enabled: true, municipality: { select: { code: true } }, serves: { orderBy: { position: 'asc' }, select: { municipality: { select: { code: true } } } } } }));

describe('the configuration file at start', () => {
  it('sets the municipalities: codes, phenomena with their deadlines, privacy protocol, mayors', async () => {
    const m = await hdb();
    expect(m.officialCode).toBe('GM1901');
    expect(m.allowBsn).toBe(true);
    const phenomena = m.phenomena as { code: string; termDays: number }[];
    expect(phenomena.map((p) => p.code)).not.toContain('zorgfraude');
    expect(phenomena.find((p) => p.code === 'drugslab')?.termDays).toBe(3);
    expect(m.mayors).toEqual([{ aadObjectId: '00000000-0000-0000-0000-0000000000099', name: 'Burgemeester Test' }]);
  });

  it('links a shared programme team to several municipalities, the first its own, and audits it', async () => {
    const s = await served(SIGNALEN_HDB.id);
    expect(s.municipality?.code).toBe('HDB');
    expect(s.serves.map((x) => x.municipality.code)).toEqual(['HDB', 'ZTL']);
    const links = await bot.db.prisma.auditEvent.findMany({ where: { action: 'scope.link', actorAadId: 'system:config' } });
    expect(links).toHaveLength(1);
    expect(links[0].details).toEqual({ municipalities: ['HDB', 'ZTL'], via: 'config' });
    const changes = await bot.db.prisma.auditEvent.findMany({ where: { action: 'config.municipality', actorAadId: 'system:config' } });
    expect(changes.map((c) => (c.details as { code: string }).code).sort()).toEqual(['HDB', 'ZTL']);
    expect((changes.find((c) => (c.details as { code: string }).code === 'HDB')?.details as { access: boolean }).access).toBe(true);
  });

  it('a signal filed in the shared programme team names its municipality', async () => {
    const scopeId = (await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } })).id;
    const unnamed = cardAnswer(await bot.send(executeAction('signal.submit', { nonce: randomUUID(), ...validSignalInput({ phenomenon: 'drugshandel' }) }, FATIMA, { channel: SIGNALEN_HDB })));
    expect(input(unnamed, 'scopeId')?.choices).toEqual([
      { title: 'Signalen Heidebroek · Gemeente Heidebroek', value: `${scopeId}:HDB` },
      { title: 'Signalen Heidebroek · Stad Zoutelaar', value: `${scopeId}:ZTL` },
    ]);
    expect(texts(unnamed)).toContain('Niet alles is goed ingevuld. Pas de gemarkeerde velden aan; uw invoer is bewaard.');
    // Zoutelaar's privacy protocol has no "geheim": not offered, and refused when sent anyway.
    const secret = cardAnswer(await bot.send(executeAction('signal.submit', { nonce: randomUUID(),
      ...validSignalInput({ scopeId: `${scopeId}:ZTL`, phenomenon: 'drugshandel', postcode: '9000', place: 'Zoutelaar', confidentiality: 'geheim' }) }, FATIMA, { channel: SIGNALEN_HDB })));
    expect(input(secret, 'confidentiality')?.choices?.map((c) => c.value)).toEqual(['intern', 'vertrouwelijk']);
    expect(input(secret, 'confidentiality')?.value).toBe('geheim');
    expect(await bot.db.prisma.signal.count({ where: { municipality: { code: 'ZTL' } } })).toBe(0);
    const filed = await fileTestSignal(bot, FATIMA, { channel: SIGNALEN_HDB }, { scopeId: `${scopeId}:ZTL`, phenomenon: 'drugshandel', postcode: '9000', place: 'Zoutelaar' });
    const row = await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: filed.id }, select: { scopeId: true, municipality: { select: { code: true } } } });
    expect([row.scopeId, row.municipality.code]).toEqual([scopeId, 'ZTL']);
  });

  it('asks a member of the shared programme team to accept each of its municipalities\' declarations', async () => {
    const ztl = await bot.db.prisma.municipality.findUniqueOrThrow({ where: { code: 'ZTL' } });
    await bot.db.prisma.declarationAcceptance.deleteMany({ where: { aadObjectId: SANNE.aadObjectId, municipalityId: ztl.id } });
    const activity = message('signalen', SANNE, { channel: SIGNALEN_HDB });
    await bot.send(activity);
    expect(texts(cardOf(repliesTo(bot.stub, activity)[0]))[1]).toMatch(/Stad Zoutelaar/);
  });

  it('takes the briefing schedule from the file, the rest from the environment', () => {
    expect(bot.running.settings().briefing).toEqual({ period: 'week', weekday: 5, time: '08:00' });
    expect(bot.logs.some((l) => l.includes('configuration file applied'))).toBe(true);
  });
});

describe('reloading', () => {
  it('applies a valid change without losing data, and audits it', async () => {
    const signalsBefore = await bot.db.prisma.signal.count();
    const phenomenaChanges = () => bot.db.prisma.auditEvent.count({ where: { action: 'config.municipality', details: { path: ['changed'], array_contains: ['phenomena'] } } });
    const changesBefore = await phenomenaChanges();
    fs.writeFileSync(file, yaml({ hdbDrugslab: 4, weekday: 'tuesday' }));
    const outcome = await bot.running.reloadConfiguration();
    expect(outcome).toEqual({ kind: 'applied', changes: ['updated municipality HDB: phenomena'] });
    expect(((await hdb()).phenomena as { code: string; termDays: number }[]).find((p) => p.code === 'drugslab')?.termDays).toBe(4);
    expect(await bot.db.prisma.signal.count()).toBe(signalsBefore);
    expect(bot.running.settings().briefing.weekday).toBe(2);
    expect(await phenomenaChanges()).toBe(changesBefore + 1);
  });

  it('keeps the old configuration when the new file is invalid, and logs where without the value', async () => {
    const before = await hdb();
    fs.writeFileSync(file, yaml({ hdbDrugslab: 9 }).replace('country: BE', 'country: DE'));
    bot.logs.length = 0;
    const outcome = await bot.running.reloadConfiguration();
    expect(outcome).toEqual({ kind: 'invalid', errors: [`${file}: municipalities[1].country: expected "NL" or "BE", got "DE"`] });
    expect((await hdb()).phenomena).toEqual(before.phenomena);
    expect(bot.running.settings().briefing.weekday).toBe(2);
    const logged = bot.logs.find((l) => l.includes('configuration NOT reloaded')) ?? '';
    expect(logged).toContain('municipalities[1].country: expected \\"NL\\" or \\"BE\\"');
    expect(logged).not.toContain('DE');
  });

  it('refuses a file that conflicts with the database as a whole: a declaration version reused with another text', async () => {
    fs.writeFileSync(file, yaml({ hdbDrugslab: 7, declaration: '      declaration: { version: 1, nl: Een andere tekst, en: Another text }' }));
    const outcome = await bot.running.reloadConfiguration();
    expect(outcome.kind).toBe('invalid');
    expect(outcome.kind === 'invalid' && outcome.errors).toEqual([`${file}: municipalities[0].privacy.declaration.version: version 1 of HDB's declaration exists with another text; give the new text version 2`]);
    // Nothing of it was applied, not even the deadline that came before the conflict.
    expect(((await hdb()).phenomena as { code: string; termDays: number }[]).find((p) => p.code === 'drugslab')?.termDays).toBe(4);
  });

  it('a new declaration version is asked of everyone again', async () => {
    fs.writeFileSync(file, yaml({ hdbDrugslab: 4, weekday: 'tuesday', declaration: '      declaration: { version: 2, nl: Ik verklaar het opnieuw, en: I declare it again }' }));
    expect(await bot.running.reloadConfiguration()).toEqual({ kind: 'applied', changes: ['new declaration HDB v2'] });
    await bot.send(message('signalen', FATIMA, { channel: SIGNALEN_HDB }));
    const reply = bot.stub.sent.at(-1);
    expect(JSON.stringify(reply?.activity)).toContain('Ik verklaar het opnieuw');
  });

  it('links a channel listed in the file when the bot first sees it, and disables one taken out', async () => {
    fs.writeFileSync(file, yaml({ hdbDrugslab: 4, weekday: 'tuesday', declaration: '      declaration: { version: 2, nl: Ik verklaar het opnieuw, en: I declare it again }',
      extraScopes: `  - channelId: "${NEW_CHANNEL}"\n    name: Programmateam nieuw\n    municipalities: [ZTL, HDB]\n` }));
    expect(await bot.running.reloadConfiguration()).toEqual({ kind: 'applied', changes: ['1 scope(s) in the file the bot has not seen yet (linked when it does)'] });
    await install(bot, FATIMA, { channel: { id: NEW_CHANNEL, name: 'Programmateam nieuw', municipalityCode: 'ZTL' } });
    const s = await served(NEW_CHANNEL);
    expect([s.enabled, s.serves.map((x) => x.municipality.code)]).toEqual([true, ['ZTL', 'HDB']]);

    fs.writeFileSync(file, yaml({ hdbDrugslab: 4, weekday: 'tuesday', declaration: '      declaration: { version: 2, nl: Ik verklaar het opnieuw, en: I declare it again }' }));
    expect(await bot.running.reloadConfiguration()).toEqual({ kind: 'applied', changes: ['disabled 1 scope(s) no longer in the file'] });
    expect((await served(NEW_CHANNEL)).enabled).toBe(false);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'scope.disable' } })).toBe(1);
  });

  it('refuses to change the country of a municipality that has records', async () => {
    const ztl = await bot.db.prisma.municipality.findUniqueOrThrow({ where: { code: 'ZTL' } });
    const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_ZTL.id } });
    await bot.db.prisma.signal.create({ data: { scopeId: scope.id, municipalityId: ztl.id, reference: 'SIG-2026-9999', phenomenon: 'overig', description: 'x', street: 'x',
      houseNumber: '1', postcode: '1000', place: 'x', observedOn: new Date('2026-11-01'), sourceType: 'eigen_waarneming', sourceNature: 'zacht', sourceReliability: 'B',
      informationReliability: 2, urgency: 'normaal', problemType: 'standaard', confidentiality: 'intern', legalBasis: 'avg_6_1_e', dueOn: new Date('2026-12-01'),
      reporterAadId: FATIMA.aadObjectId, reporterName: FATIMA.name } });
    fs.writeFileSync(file, yaml({ hdbDrugslab: 4, weekday: 'tuesday', ztlCountry: 'NL', declaration: '      declaration: { version: 2, nl: Ik verklaar het opnieuw, en: I declare it again }' })
      .replace('officialCode: "44021"', 'officialCode: GM4402'));
    const outcome = await bot.running.reloadConfiguration();
    expect(outcome.kind === 'invalid' && outcome.errors).toEqual([`${file}: municipalities[1].country: expected BE (the municipality has records), got "NL"`]);
  });
});

describe('a conflicting file at start', () => {
  it('refuses the start with a configuration error (exit 78 in index.ts)', async () => {
    const other = path.join(dir, 'conflict.yml');
    fs.writeFileSync(other, yaml({ declaration: '      declaration: { version: 1, nl: Weer een andere tekst, en: Yet another text }' }));
    const err = await startTestBot({ db: bot.db, env: { WEERBAAR_CONFIG_FILE: other } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigFileError);
    expect((err as ConfigFileError).errors[0]).toMatch(/municipalities\[0\]\.privacy\.declaration\.version: version 1 of HDB's declaration exists with another text/);
  });
});
