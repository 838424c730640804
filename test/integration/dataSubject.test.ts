// A data subject's request (inzageverzoek, verwijderverzoek): everything about a person in one municipality is
// found by name and birth date, BSN, KvK or address, exported with the journals and the recipients it was handed
// to, and erased where the protocol allows: closed records are anonymised with tombstones, journal and audit,
// records still being worked on are kept and say why. Another municipality's records are never touched.
import { verifyJournals } from '../../src/services/journal';
import { eraseSubject, exportSubject, findSubject } from '../../src/services/dataSubjects';
import { FATIMA, LOTTE, SIGNALEN_HDB, SIGNALEN_ZTL, executeAction, fileTestSignal, startTestBot, texts, type CardJson, type TestBot } from '../support/harness';

let bot: TestBot;
const HDB = { channel: SIGNALEN_HDB };
const PERSON = { person1Name: 'Kees Voorbeeld', person1BirthDate: '1980-01-01' };
const op = { name: 'privacy-officer', correlationId: 'dsr-test' };
const deps = () => bot.running.deps;
type Filed = { id: string; reference: string };
const filed = {} as Record<'closed' | 'open' | 'inCase' | 'elsewhere', Filed>;
let caseId = '';

const step = async (signalId: string, transition: string, extra: Record<string, string> = {}) =>
  expect((await bot.send(executeAction('signal.transition', { signalId, transition, ...extra }, FATIMA, HDB))).status).toBe(200);

beforeAll(async () => {
  bot = await startTestBot({ now: () => new Date('2026-11-23T10:00:00Z') });
  filed.closed = await fileTestSignal(bot, FATIMA, HDB, { ...PERSON, description: 'Gesloten signaal over Kees: niets gevonden.', company1Name: 'Voorbeeld Transport BV', company1Kvk: '87654321' });
  filed.open = await fileTestSignal(bot, FATIMA, HDB, { ...PERSON, description: 'Lopend signaal over Kees.', street: 'Havenweg', houseNumber: '3', postcode: '1234 CD' });
  filed.inCase = await fileTestSignal(bot, FATIMA, HDB, { ...PERSON, description: 'Signaal dat een casus werd.', street: 'Kerkpad', houseNumber: '7' });
  filed.elsewhere = await fileTestSignal(bot, LOTTE, { channel: SIGNALEN_ZTL }, { ...PERSON, postcode: '2000', place: 'Zoutelaar', phenomenon: 'drugshandel',
    description: 'Zelfde naam, andere gemeente.' });
  await step(filed.closed.id, 'afsluiten', { reason_afsluiten: 'Na verrijking geen aanwijzingen.' });
  for (const t of ['verrijken', 'klaarVoorOverleg', 'bespreken']) await step(filed.inCase.id, t);
  await bot.send(executeAction('case.promote', { signalId: filed.inCase.id }, FATIMA, HDB));
  caseId = (await bot.db.prisma.case.findFirstOrThrow({ where: { signals: { some: { id: filed.inCase.id } } } })).id;
  await bot.send(executeAction('case.phase', { caseId, to: 'afgesloten', reason_afgesloten: 'Bestuurlijke maatregel uitgevoerd.' }, FATIMA, HDB));
  expect((await bot.db.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).phase).toBe('afgesloten');
  // The closed signal was handed to the police as a PDF once: a recipient the subject has a right to know of.
  const exported = await bot.send(executeAction('dossier.export', { reference: filed.closed.reference, dossierId: filed.closed.id, recipient: 'Politie Eenheid Oost',
    legalBasis: 'convenant_riec' }, FATIMA, HDB));
  expect(texts((exported.body as { value: CardJson }).value).join(' ')).toContain('/exports/');
});
afterAll(async () => { await bot.stop(); });

describe('finding a data subject', () => {
  it('finds every record about the person in the municipality, with what the protocol allows', async () => {
    const found = await findSubject(deps(), op, 'hdb', { kind: 'name', name: 'kees voorbeeld', birthDate: '1980-01-01' });
    expect(found.subjects.map((s) => s.displayName)).toEqual(['Kees Voorbeeld']);
    const byRef = Object.fromEntries(found.records.map((r) => [r.reference, r.verdict]));
    expect(byRef[filed.closed.reference]).toEqual({ erase: true });
    expect(byRef[filed.open.reference]).toEqual({ erase: false, reason: 'openSignal' });
    expect(byRef[filed.inCase.reference]).toEqual({ erase: false, reason: 'inCase' });
    expect(found.records.some((r) => r.kind === 'case' && r.id === caseId && r.verdict.erase)).toBe(true);
    // Zoutelaar numbers its own signals: its record is not among Heidebroek's.
    expect(found.records.map((r) => r.id)).not.toContain(filed.elsewhere.id);
  });

  it('finds by KvK number and by address, and nothing for a stranger', async () => {
    expect((await findSubject(deps(), op, 'HDB', { kind: 'kvk', kvk: '87654321' })).records.map((r) => r.reference)).toEqual([filed.closed.reference]);
    expect((await findSubject(deps(), op, 'HDB', { kind: 'address', postcode: '1234cd', houseNumber: '3' })).records.map((r) => r.reference)).toEqual([filed.open.reference]);
    expect(await findSubject(deps(), op, 'HDB', { kind: 'name', name: 'Niemand Bekend' })).toMatchObject({ subjects: [], records: [] });
    await expect(findSubject(deps(), op, 'XXX', { kind: 'kvk', kvk: '87654321' })).rejects.toThrow('No municipality with code XXX');
  });

  it('audits each search without the personal data it searched for', async () => {
    const events = await bot.db.prisma.auditEvent.findMany({ where: { action: 'subject.find' } });
    expect(events.length).toBeGreaterThanOrEqual(4);
    const details = JSON.stringify(events.map((e) => e.details));
    for (const secret of ['Kees', 'Voorbeeld', '1980-01-01', '87654321', '1234']) expect(details).not.toContain(secret);
  });
});

describe('the inzage export', () => {
  it('holds what is stored about the person, the records with their journals and the recipients, and no officer names', async () => {
    const found = await findSubject(deps(), op, 'HDB', { kind: 'name', name: 'Kees Voorbeeld', birthDate: '1980-01-01' });
    const report = await exportSubject(deps(), op, found) as {
      subjects: { name: string; birthDate: string }[]; signals: { reference: string; description: string; journal: { text: string }[] }[];
      cases: { reference: string }[]; recipients: { reference: string; recipient: string; legalBasis: string }[];
    };
    expect(report.subjects).toEqual([expect.objectContaining({ name: 'Kees Voorbeeld', birthDate: '1980-01-01' })]);
    expect(report.signals.map((s) => s.reference).sort()).toEqual([filed.closed.reference, filed.open.reference, filed.inCase.reference].sort());
    expect(report.signals.find((s) => s.reference === filed.closed.reference)?.description).toBe('Gesloten signaal over Kees: niets gevonden.');
    expect(report.signals.find((s) => s.reference === filed.closed.reference)?.journal.map((e) => e.text).join(' ')).toContain('Afgesloten');
    expect(report.cases).toHaveLength(1);
    expect(report.recipients).toEqual([expect.objectContaining({ reference: filed.closed.reference, recipient: 'Politie Eenheid Oost', legalBasis: 'convenant_riec' })]);
    expect(JSON.stringify(report)).not.toContain(FATIMA.name);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'subject.export' } })).toBe(1);
  });
});

describe('erasure', () => {
  const query = { kind: 'name', name: 'Kees Voorbeeld', birthDate: '1980-01-01' } as const;

  it('shows in a dry run what would go and what stays, changing nothing', async () => {
    const found = await findSubject(deps(), op, 'HDB', query);
    const dry = await eraseSubject(deps(), op, found, { dryRun: true });
    expect(dry.erasureId).toBeNull();
    expect(dry.anonymised.map((r) => r.reference).sort()).toEqual([filed.closed.reference, found.records.find((r) => r.kind === 'case')?.reference].sort());
    // The case's signal goes with its case; the open signal stays.
    expect(dry.kept.map((r) => [r.reference, r.verdict])).toEqual([[filed.open.reference, { erase: false, reason: 'openSignal' }]]);
    expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: filed.closed.id } })).description).toBe('Gesloten signaal over Kees: niets gevonden.');
    expect(await bot.db.prisma.tombstone.count()).toBe(0);
  });

  it('anonymises the closed records with tombstones, journal and audit, keeps the open one, and the journals still verify', async () => {
    const found = await findSubject(deps(), op, 'HDB', query);
    const done = await eraseSubject(deps(), op, found, { dryRun: false });
    expect(done.erasureId).not.toBeNull();
    const closed = await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: filed.closed.id } });
    expect(closed).toMatchObject({ description: '[geanonimiseerd]', street: '[geanonimiseerd]' });
    expect(closed.anonymisedAt).not.toBeNull();
    const inCase = await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: filed.inCase.id } });
    expect(inCase.description).toBe('[geanonimiseerd]');
    const theCase = await bot.db.prisma.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(theCase.title).toBe('[geanonimiseerd]');
    expect(theCase.anonymisedAt).not.toBeNull();
    expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: filed.open.id } })).description).toBe('Lopend signaal over Kees.');
    // The person stays only where the open signal still needs them; the company went with the closed signal.
    expect(await bot.db.prisma.subject.count({ where: { name: 'Kees Voorbeeld', scope: { channelId: SIGNALEN_HDB.id } } })).toBe(1);
    expect(await bot.db.prisma.subjectLink.count({ where: { subject: { name: 'Kees Voorbeeld', scope: { channelId: SIGNALEN_HDB.id } } } })).toBe(1);
    expect(await bot.db.prisma.subject.count({ where: { kvk: '87654321' } })).toBe(0);
    // Zoutelaar's Kees is someone else's business.
    expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: filed.elsewhere.id } })).description).toBe('Zelfde naam, andere gemeente.');

    const tombstones = await bot.db.prisma.tombstone.findMany({ where: { erasureId: done.erasureId }, orderBy: { id: 'asc' } });
    expect(tombstones.map((t) => [t.recordType, t.rule, t.action])).toEqual(expect.arrayContaining([['Signal', 'verwijderverzoek', 'anonymise'], ['Case', 'verwijderverzoek', 'anonymise']]));
    expect(await bot.db.prisma.erasure.findUniqueOrThrow({ where: { id: done.erasureId ?? '' } })).toMatchObject({ operator: 'privacy-officer', anonymised: 2, kept: 1, subjects: 1 });
    const journal = await bot.db.prisma.journalEntry.findMany({ where: { signalId: filed.closed.id }, orderBy: { sequence: 'desc' }, take: 1 });
    expect(journal[0].text).toBe('Geanonimiseerd op verzoek van een betrokkene (AVG art. 17).');
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'subject.erase', result: 'ok' } })).toBe(3);
    expect((await verifyJournals(deps())).broken).toEqual([]);
  });

  it('finds only what was kept afterwards', async () => {
    const again = await findSubject(deps(), op, 'HDB', query);
    expect(again.records.map((r) => r.reference)).toEqual([filed.open.reference]);
  });
});
