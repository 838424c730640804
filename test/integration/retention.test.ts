// Retention per the privacy protocol: a closed signal that did not become a case is anonymised 12 months after it
// was closed and deleted after 24 (the Dutch defaults), checked on the day before, the day of and the day after;
// the dry run changes nothing; a day runs once; the journal stays verifiable; tombstones, audit and a report remain.
import { runRetention, retentionReport } from '../../src/services/retention';
import { verifyJournals } from '../../src/services/journal';
import { FATIMA, SIGNALEN_HDB, executeAction, referenceIn, startTestBot, validSignalInput, type CardJson, type TestBot } from '../support/harness';

let bot: TestBot;
let now = new Date('2025-11-20T10:00:00Z');
const place = { channel: SIGNALEN_HDB };
const signals: Record<'closed' | 'open' | 'inCase', { id: string; reference: string }> = {} as never;

async function file(description: string) {
  const res = await bot.send(executeAction('signal.submit', { nonce: description, ...validSignalInput({ description, observedOn: '2025-11-19', person1Name: 'Kees Voorbeeld',
    company1Name: 'Voorbeeld Transport BV', company1Kvk: '87654321' }) }, FATIMA, place));
  const reference = referenceIn((res.body as { value: CardJson }).value);
  return { id: (await bot.db.prisma.signal.findFirstOrThrow({ where: { reference } })).id, reference };
}
const step = (signalId: string, transition: string, extra: Record<string, string> = {}) =>
  bot.send(executeAction('signal.transition', { signalId, transition, ...extra }, FATIMA, place));

beforeAll(async () => {
  bot = await startTestBot({ now: () => now });
  signals.closed = await file('Signaal dat tot niets leidde; wordt later geanonimiseerd.');
  signals.open = await file('Signaal dat nog loopt; blijft staan.');
  signals.inCase = await file('Signaal dat een casus werd; blijft staan.');
  await step(signals.closed.id, 'afsluiten', { reason_afsluiten: 'Na verrijking geen aanwijzingen.' });
  for (const t of ['verrijken', 'klaarVoorOverleg', 'bespreken']) await step(signals.inCase.id, t);
  await bot.send(executeAction('case.promote', { signalId: signals.inCase.id }, FATIMA, place));
});
afterAll(async () => { await bot.stop(); });

const deps = () => bot.running.deps;
const at = (iso: string) => { now = new Date(iso); };
const row = (id: string) => bot.db.prisma.signal.findUnique({ where: { id } });

describe('retention of closed signals that did not become a case', () => {
  it('does nothing on the day before the anonymisation term', async () => {
    at('2026-11-19T10:00:00Z');
    const dry = await runRetention(deps(), { dryRun: true });
    expect(dry).toEqual({ kind: 'dryRun', day: '2026-11-19', items: [] });
    expect((await runRetention(deps(), { dryRun: false })).kind).toBe('done');
    expect((await row(signals.closed.id))?.anonymisedAt).toBeNull();
  });

  it('shows the anonymisation in a dry run on the day itself, changing nothing', async () => {
    at('2026-11-20T07:00:00Z');
    const dry = await runRetention(deps(), { dryRun: true });
    expect(dry.kind === 'dryRun' && dry.items.map((i) => [i.reference, i.action, i.rule])).toEqual([[signals.closed.reference, 'anonymise', 'afgesloten-zonder-casus']]);
    expect((await row(signals.closed.id))?.description).toBe('Signaal dat tot niets leidde; wordt later geanonimiseerd.');
    expect(await bot.db.prisma.tombstone.count()).toBe(0);
  });

  it('anonymises on the day of the term, once, with tombstone, audit, journal entry and report', async () => {
    const [a, b] = await Promise.all([runRetention(deps(), { dryRun: false }), runRetention(deps(), { dryRun: false })]);
    expect([a.kind, b.kind].sort()).toEqual(['alreadyRan', 'done']);
    const s = await row(signals.closed.id);
    expect(s).toMatchObject({ description: '[geanonimiseerd]', street: '[geanonimiseerd]', houseNumber: '', postcode: '1234', reporterName: '[geanonimiseerd]', statusReason: null });
    expect(s?.anonymisedAt).not.toBeNull();
    expect(await bot.db.prisma.subjectLink.count({ where: { signalId: signals.closed.id } })).toBe(0);
    const journal = await bot.db.prisma.journalEntry.findMany({ where: { signalId: signals.closed.id }, orderBy: { sequence: 'asc' } });
    expect(journal.slice(0, -1).every((e) => e.text === '[geanonimiseerd]')).toBe(true);
    expect(journal.at(-1)?.text).toBe('Geanonimiseerd volgens bewaartermijn "afgesloten-zonder-casus".');
    expect((await verifyJournals(deps())).broken).toEqual([]);
    expect(await bot.db.prisma.tombstone.findMany({ select: { reference: true, action: true, rule: true } }))
      .toEqual([{ reference: signals.closed.reference, action: 'anonymise', rule: 'afgesloten-zonder-casus' }]);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'retention.anonymise', recordId: signals.closed.id } })).toBe(1);
    const report = await retentionReport(deps(), '2026-11-20');
    expect(report.split('\r\n')[1]).toMatch(new RegExp(`^2026-11-20,${signals.closed.reference},Signal,${signals.closed.id},[0-9a-f-]{36},anonymise,afgesloten-zonder-casus,`));
    expect(report).not.toContain('Kees');
    // The open signal and the one in a case are untouched.
    expect((await row(signals.open.id))?.description).toBe('Signaal dat nog loopt; blijft staan.');
    expect((await row(signals.inCase.id))?.description).toBe('Signaal dat een casus werd; blijft staan.');
  });

  it('does nothing more on the day after', async () => {
    at('2026-11-21T10:00:00Z');
    const outcome = await runRetention(deps(), { dryRun: false });
    expect(outcome.kind === 'done' && outcome.items).toEqual([]);
  });

  it('deletes on the day of the deletion term, not the day before, and leaves the tombstone', async () => {
    at('2027-11-19T10:00:00Z');
    expect((await runRetention(deps(), { dryRun: true })).kind === 'dryRun' && (await runRetention(deps(), { dryRun: true }))).toMatchObject({ items: [] });
    at('2027-11-20T10:00:00Z');
    const outcome = await runRetention(deps(), { dryRun: false });
    expect(outcome.kind === 'done' && outcome.items.map((i) => [i.reference, i.action])).toEqual([[signals.closed.reference, 'delete']]);
    expect(await row(signals.closed.id)).toBeNull();
    expect(await bot.db.prisma.journalEntry.count({ where: { signalId: signals.closed.id } })).toBe(0);
    expect(await bot.db.prisma.tombstone.count({ where: { recordId: signals.closed.id } })).toBe(2);
    expect((await verifyJournals(deps())).broken).toEqual([]);
    // The journal is append-only again outside the retention transaction.
    await expect(bot.db.prisma.journalEntry.deleteMany({ where: { signalId: signals.open.id } })).rejects.toThrow();
  });
});
