// The dossier journal over HTTP: append and read back, corrections, paging, the database refusing changes, the
// hash chain against tampering, concurrent writers, and the export with its audit trail.
import fc from 'fast-check';
import { verifyJournals } from '../../src/services/journal';
import {
  FATIMA, SANNE, SIGNALEN_HDB, SIGNALEN_ZTL, cardOf, elements, executeAction, input, invoke, message, referenceIn, repliesTo, startTestBot, texts, validSignalInput,
  type CardElement, type CardJson, type TestBot,
} from '../support/harness';
import { pdfText } from '../support/pdf';

let bot: TestBot;
const NOW = new Date('2026-11-23T10:00:00Z');
beforeAll(async () => { bot = await startTestBot({ now: () => NOW }); });
afterAll(async () => { await bot.stop(); });
beforeEach(() => bot.stub.clear());

const place = { channel: SIGNALEN_HDB };
type Body = { value: CardJson };

async function fileSignal(description = 'Bestelbus laadt elke nacht zakken in bij de loods aan de Industrieweg.'): Promise<{ reference: string; id: string }> {
  const res = await bot.send(executeAction('signal.submit', { nonce: `file-${Math.random()}`, ...validSignalInput({ description }) }, FATIMA, place));
  const reference = referenceIn((res.body as Body).value);
  const row = await bot.db.prisma.signal.findFirstOrThrow({ where: { reference, scope: { channelId: SIGNALEN_HDB.id } } });
  return { reference, id: row.id };
}

async function execute(verb: string, data: Record<string, unknown>, user = FATIMA): Promise<CardJson> {
  const res = await bot.send(executeAction(verb, data, user, place));
  expect(res.status).toBe(200);
  return (res.body as Body).value;
}

const entryInput = (o: Record<string, string> = {}) => ({ kind: 'waarneming', text: 'Om 23:10 twee mannen gezien die zakken uitladen.', occurredOn: '2026-11-22', occurredTime: '23:10',
  source: '', sourceReliability: '', informationReliability: '', legalBasis: '', links: '', ...o });

const entriesOf = (dossierId: string) => bot.db.prisma.journalEntry.findMany({ where: { signalId: dossierId }, orderBy: { sequence: 'asc' } });
const deps = () => bot.running.deps;

describe('the journal of a signal', () => {
  it('starts with a system entry and reads back added entries, newest first', async () => {
    const { reference, id } = await fileSignal();
    expect((await entriesOf(id)).map((e) => e.kind)).toEqual(['statuswijziging']);
    const card = await execute('journal.add', { reference, nonce: 'add-1', ...entryInput() });
    expect(texts(card)).toContain('Aantekening #2 is vastgelegd.');
    expect(texts(card)).toContain('Om 23:10 twee mannen gezien die zakken uitladen.');
    const headings = texts(card).filter((t) => t.startsWith('#'));
    expect(headings[0]).toMatch(/^#2 · Waarneming · 22 november 2026 om 23:10 · door Fatima El Amrani$/);
    expect(headings[1]).toMatch(/^#1 · Statuswijziging/);

    const show = message(`journaal ${reference}`, SANNE, place);
    await bot.send(show);
    expect(texts(cardOf(repliesTo(bot.stub, show)[0]))).toContain('Om 23:10 twee mannen gezien die zakken uitladen.');
    const audit = await bot.db.prisma.auditEvent.findMany({ where: { recordId: id, action: { in: ['journal.add', 'journal.read'] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(['journal.add', 'journal.read']);
  });

  it('stores a repeated submit once and answers the same', async () => {
    const { reference, id } = await fileSignal();
    await execute('journal.add', { reference, nonce: 'twice', ...entryInput() });
    const again = await execute('journal.add', { reference, nonce: 'twice', ...entryInput() });
    expect(texts(again)).toContain('Deze aantekening was al vastgelegd.');
    expect(await entriesOf(id)).toHaveLength(2);
  });

  it('answers bad input with the form, errors next to the fields and the input kept, storing nothing', async () => {
    const { reference, id } = await fileSignal();
    const form = await execute('journal.add', { reference, nonce: 'bad', ...entryInput({ kind: 'verkregen_informatie', text: 'Informatie van de wijkagent.', occurredOn: '2026-11-30', links: 'javascript:alert(1)' }) });
    const order = elements(form).map((e) => e.id ?? e.text);
    expect(order[order.indexOf('source') + 1]).toBe('Dit veld is verplicht.');
    expect(order[order.indexOf('occurredOn') + 1]).toBe('De datum ligt in de toekomst.');
    expect(order[order.indexOf('links') + 1]).toBe('Alleen referenties (SIG-…, CASE-…) of https-links, hoogstens 10.');
    expect(input(form, 'text')?.value).toBe('Informatie van de wijkagent.');
    expect(await entriesOf(id)).toHaveLength(1);
  });

  it('shows a correction together with the entry it corrects', async () => {
    const { reference, id } = await fileSignal();
    await execute('journal.add', { reference, nonce: 'orig', ...entryInput({ text: 'Kenteken gezien: 12-ABC-3.' }) });
    const card = await execute('journal.correct', { reference, sequence: '2', nonce: 'corr', correction_2: 'Het kenteken was 12-ABD-3, niet 12-ABC-3.' });
    expect(texts(card)).toContain('Aantekening #3 is vastgelegd.');
    const rows = await entriesOf(id);
    expect(rows[2]).toMatchObject({ kind: 'correctie', correctsSequence: 2 });
    expect(texts(card).some((t) => /^Correctie #3 door Fatima El Amrani, .*: Het kenteken was 12-ABD-3, niet 12-ABC-3\.$/.test(t))).toBe(true);
    // The original is unchanged.
    expect(rows[1].text).toBe('Kenteken gezien: 12-ABC-3.');
  });

  /** An input anywhere in the card, show-cards included (each entry's correction form is one). */
  const deepInput = (node: unknown, id: string): { value?: string } | undefined => {
    if (Array.isArray(node)) return node.map((n) => deepInput(n, id)).find(Boolean);
    if (node === null || typeof node !== 'object') return undefined;
    if ((node as { id?: unknown }).id === id) return node as { value?: string };
    return Object.values(node).map((v) => deepInput(v, id)).find(Boolean);
  };

  it('refuses a correction that is too short or of an entry that is not there, saying which, with the typed text kept', async () => {
    const { reference, id } = await fileSignal();
    await execute('journal.add', { reference, nonce: 'c-orig', ...entryInput({ text: 'Kenteken gezien: 12-ABC-3.' }) });
    const short = await execute('journal.correct', { reference, sequence: '2', nonce: 'c-short', correction_2: 'x' });
    expect(texts(short)[0]).toBe('Schrijf de correctie (minstens 3 tekens).');
    expect(deepInput(short, 'correction_2')?.value).toBe('x');
    const missing = await execute('journal.correct', { reference, sequence: '9', nonce: 'c-missing', correction_9: 'Het was nummer 14.' });
    expect(texts(missing)[0]).toBe('Aantekening #9 staat niet in dit journaal; vernieuw het journaal.');
    expect(await entriesOf(id)).toHaveLength(2);
  });

  it('writes a system entry for every status change', async () => {
    const { id } = await fileSignal();
    await execute('signal.transition', { signalId: id, transition: 'verrijken' });
    await execute('signal.transition', { signalId: id, transition: 'afsluiten', reason_afsluiten: 'Geen aanwijzingen na verrijking.' });
    expect((await entriesOf(id)).map((e) => e.text)).toEqual([
      expect.stringMatching(/^Signaal SIG-2026-\d{4} vastgelegd; status: nieuw\.$/),
      'Status: Nieuw → In verrijking.',
      'Status: In verrijking → Afgesloten. Reden: Geen aanwijzingen na verrijking.',
    ]);
  });

  it('pages through a long journal five entries at a time', async () => {
    const { reference, id } = await fileSignal();
    for (let i = 0; i < 11; i++) await execute('journal.add', { reference, nonce: `page-${i}`, ...entryInput({ text: `Aantekening nummer ${i + 2}.` }) });
    const first = await execute('journal.show', { reference });
    expect(texts(first).filter((t) => t.startsWith('#')).map((t) => t.split(' ')[0])).toEqual(['#12', '#11', '#10', '#9', '#8']);
    const older = (first.actions ?? []).find((a: CardElement) => a.title === 'Eerdere');
    // The card names the dossier by id too: a reference can name a signal in each municipality.
    expect(older?.data).toEqual({ reference, dossierId: id, page: 2 });
    const last = await execute('journal.page', { reference, page: 3 });
    expect(texts(last).filter((t) => t.startsWith('#')).map((t) => t.split(' ')[0])).toEqual(['#2', '#1']);
    expect((last.actions ?? []).some((a: CardElement) => a.title === 'Eerdere')).toBe(false);
    expect((last.actions ?? []).some((a: CardElement) => a.title === 'Nieuwere')).toBe(true);
  });
});

describe('the journal from cards and as a dialog', () => {
  it('opens from the Journaal button on the signal card and adds an entry through the dialog', async () => {
    const res = await bot.send(executeAction('signal.submit', { nonce: 'dialog-sig', ...validSignalInput() }, SANNE, place));
    const signalCard = (res.body as Body).value;
    const reference = referenceIn(signalCard);
    const { id } = await bot.db.prisma.signal.findFirstOrThrow({ where: { reference, scope: { channelId: SIGNALEN_HDB.id } } });
    const button = (signalCard.actions ?? []).find((a: CardElement) => a.verb === 'journal.show');
    expect(button?.data).toEqual({ reference, dossierId: id });
    const journal = await execute('journal.show', { reference }, SANNE);
    expect(texts(journal)[0]).toBe(`Journaal ${reference}`);

    const fetched = await bot.send(invoke('task/fetch', { data: { verb: 'journal.form', reference } }, SANNE, place));
    const task = (fetched.body as { task: { type: string; value: { card: { content: CardJson } } } }).task;
    expect(task.type).toBe('continue');
    const submit = (task.value.card.content.actions ?? []).find((a: CardElement) => a.type === 'Action.Submit');
    expect(submit?.data).toMatchObject({ verb: 'journal.form', reference });

    const bad = await bot.send(invoke('task/submit', { data: { ...submit?.data, ...entryInput({ text: 'x' }) } }, SANNE, place));
    const again = (bad.body as { task: { type: string; value: { card: { content: CardJson } } } }).task;
    expect(again.type).toBe('continue');
    expect(texts(again.value.card.content)).toContain('Te kort: gebruik minstens 3 tekens.');

    const ok = await bot.send(invoke('task/submit', { data: { ...submit?.data, ...entryInput({ kind: 'contact_partner', text: 'Gebeld met de RIEC-analist.' }) } }, SANNE, place));
    expect((ok.body as { task: { type: string; value: string } }).task).toEqual({ type: 'message', value: 'Aantekening #2 is vastgelegd.' });
    const row = await bot.db.prisma.journalEntry.findFirstOrThrow({ where: { text: 'Gebeld met de RIEC-analist.' } });
    expect(row).toMatchObject({ kind: 'contact_partner', authorName: 'Sanne de Vries', sequence: 2 });
  });
});

describe('one reference in two municipalities', () => {
  // References are numbered per municipality: Fatima works for Heidebroek and Zoutelaar, so in her personal chat
  // SIG-2026-0001 names two signals. Typed, the journal says so; from a card, the dossier id decides.
  it('asks which one when typed, and writes into the dossier the card names', async () => {
    const hdb = await fileSignal('Heidebroek: eerste signaal van het jaar.');
    const res = await bot.send(executeAction('signal.submit', { nonce: 'ztl-first', ...validSignalInput({ postcode: '2000', place: 'Zoutelaar', phenomenon: 'drugshandel',
      description: 'Zoutelaar: eerste signaal van het jaar.' }) }, FATIMA, { channel: SIGNALEN_ZTL }));
    const reference = referenceIn((res.body as Body).value);
    const ztl = await bot.db.prisma.signal.findFirstOrThrow({ where: { reference, scope: { channelId: SIGNALEN_ZTL.id } } });
    const twin = await bot.db.prisma.signal.findFirst({ where: { reference, scope: { channelId: SIGNALEN_HDB.id } } });
    expect(twin).not.toBeNull();
    expect(hdb.reference).not.toBe('');

    const personal = { personal: true } as const;
    const typed = message(`journaal ${reference}`, FATIMA, personal);
    expect((await bot.send(typed)).status).toBe(200);
    expect(repliesTo(bot.stub, typed).map((r) => r.activity.text)).toContain(
      `${reference} bestaat in meer dan één gemeente waarvoor u werkt. Open het dossier met zoek ${reference} en kies daar Journaal.`);

    const added = await bot.send(executeAction('journal.add', { reference, dossierId: ztl.id, nonce: 'twin-add', ...entryInput({ text: 'Alleen voor Zoutelaar.' }) }, FATIMA, personal));
    expect(texts((added.body as Body).value)).toContain('Aantekening #2 is vastgelegd.');
    const entry = await bot.db.prisma.journalEntry.findFirstOrThrow({ where: { text: 'Alleen voor Zoutelaar.' } });
    expect(entry.signalId).toBe(ztl.id);

    const shown = await bot.send(executeAction('journal.show', { reference, dossierId: twin?.id }, FATIMA, personal));
    const card = (shown.body as Body).value;
    expect(texts(card)[0]).toBe(`Journaal ${reference}`);
    expect(texts(card).join(' ')).not.toContain('Alleen voor Zoutelaar.');
  });
});

describe('append-only and tamper-evident', () => {
  it('is refused UPDATE and DELETE by the database itself', async () => {
    const { id } = await fileSignal();
    await expect(bot.db.prisma.journalEntry.updateMany({ where: { signalId: id }, data: { text: 'vervalst' } })).rejects.toThrow();
    await expect(bot.db.prisma.journalEntry.deleteMany({ where: { signalId: id } })).rejects.toThrow();
    expect((await entriesOf(id))[0].text).toMatch(/vastgelegd/);
  });

  it('gives 20 concurrent writers on one dossier one valid chain', async () => {
    const { reference, id } = await fileSignal();
    await Promise.all(Array.from({ length: 20 }, (_, i) => execute('journal.add', { reference, nonce: `conc-${i}`, ...entryInput({ text: `Gelijktijdige aantekening ${i}.` }) })));
    const rows = await entriesOf(id);
    expect(rows.map((r) => r.sequence)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    const report = await verifyJournals(deps());
    expect(report.broken).toEqual([]);
  });

  it('detects every one of 100 random tamper attempts and passes untouched data', async () => {
    const { reference, id } = await fileSignal();
    for (let i = 0; i < 6; i++) await execute('journal.add', { reference, nonce: `tamper-${i}`, ...entryInput({ text: `Te beschermen aantekening ${i}.` }) });
    const dossier = `signal:${id}`;
    const db = bot.db.prisma;
    await db.$executeRawUnsafe('DROP TABLE IF EXISTS journal_snapshot');
    await db.$executeRawUnsafe(`CREATE TABLE journal_snapshot AS SELECT * FROM "JournalEntry" WHERE "dossier" = '${dossier}'`);
    const brokenFor = async () => (await verifyJournals(deps())).broken.filter((b) => b.dossier === dossier);
    const asAdmin = async (sql: string) => {
      // An attacker with database rights: switch the trigger off, change the data, switch it on again.
      await db.$executeRawUnsafe('ALTER TABLE "JournalEntry" DISABLE TRIGGER "JournalEntry_append_only"');
      try { await db.$executeRawUnsafe(sql); } finally { await db.$executeRawUnsafe('ALTER TABLE "JournalEntry" ENABLE TRIGGER "JournalEntry_append_only"'); }
    };
    const restore = async () => {
      await asAdmin(`DELETE FROM "JournalEntry" WHERE "dossier" = '${dossier}'`);
      await db.$executeRawUnsafe('INSERT INTO "JournalEntry" SELECT * FROM journal_snapshot');
    };
    expect(await brokenFor()).toEqual([]);

    const tamper = fc.oneof(
      fc.record({ kind: fc.constant('text' as const), seq: fc.integer({ min: 1, max: 7 }), text: fc.string({ minLength: 1, maxLength: 40 }) }),
      fc.record({ kind: fc.constant('delete' as const), seq: fc.integer({ min: 1, max: 7 }) }),
      fc.record({ kind: fc.constant('reorder' as const), a: fc.integer({ min: 1, max: 7 }), b: fc.integer({ min: 1, max: 7 }) }).filter((r) => r.a !== r.b),
      fc.record({ kind: fc.constant('author' as const), seq: fc.integer({ min: 1, max: 7 }), name: fc.string({ minLength: 1, maxLength: 30 }) }),
    );
    const sqlString = (s: string) => `'${s.replace(/'/g, "''").replace(/\u0000/g, '')}'`;
    let attempts = 0;
    await fc.assert(fc.asyncProperty(tamper, async (t) => {
      attempts++;
      const where = (seq: number) => `"dossier" = '${dossier}' AND "sequence" = ${seq}`;
      if (t.kind === 'text') await asAdmin(`UPDATE "JournalEntry" SET "text" = "text" || ${sqlString(t.text)} WHERE ${where(t.seq)}`);
      if (t.kind === 'author') await asAdmin(`UPDATE "JournalEntry" SET "authorName" = "authorName" || ${sqlString(t.name)} WHERE ${where(t.seq)}`);
      if (t.kind === 'delete') await asAdmin(`DELETE FROM "JournalEntry" WHERE ${where(t.seq)}`);
      if (t.kind === 'reorder') {
        // Swap the two entries' contents (the unique sequence stays in place): two entries change places.
        await asAdmin(`UPDATE "JournalEntry" j SET "kind" = s."kind", "text" = s."text", "occurredAt" = s."occurredAt",
          "authorAadId" = s."authorAadId", "authorName" = s."authorName", "recordedAt" = s."recordedAt", "prevHash" = s."prevHash", "hash" = s."hash",
          "source" = s."source", "links" = s."links", "correctsSequence" = s."correctsSequence"
          FROM journal_snapshot s WHERE j."dossier" = '${dossier}' AND s."dossier" = j."dossier"
          AND ((j."sequence" = ${t.a} AND s."sequence" = ${t.b}) OR (j."sequence" = ${t.b} AND s."sequence" = ${t.a}))`);
      }
      const broken = await brokenFor();
      await restore();
      expect(broken).toHaveLength(1);
      expect(await brokenFor()).toEqual([]);
    }), { numRuns: 100 });
    expect(attempts).toBe(100);
    await db.$executeRawUnsafe('DROP TABLE journal_snapshot');
  });

  it('lets a coordinator run the chain check from Teams', async () => {
    const check = message('journaal controleren', FATIMA, place);
    await bot.send(check);
    expect(repliesTo(bot.stub, check)[0].activity.text).toMatch(/^Journaalcontrole: \d+ dossiers, \d+ regels, alle ketens intact\.$/);
    const refused = message('journaal controleren', SANNE, place);
    await bot.send(refused);
    expect(repliesTo(bot.stub, refused)[0].activity.text).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
  });
});

describe('export', () => {
  it('gives a coordinator a one-time PDF link, audited with recipient and legal basis', async () => {
    const { reference, id } = await fileSignal('Zeer verdachte activiteit rond een loods met afgeplakte ramen.');
    await execute('journal.add', { reference, nonce: 'exp-1', ...entryInput({ text: 'Overleg met de wijkagent gehad over de loods.' }) });
    const notice = await execute('dossier.export', { reference, recipient: 'Politie Eenheid Oost', legalBasis: 'convenant_riec' });
    const link = /\]\((http:\/\/[^)]+)\)/.exec(texts(notice)[0] ?? '')?.[1] ?? '';
    expect(link).toMatch(/\/exports\/[A-Za-z0-9_-]{40,}$/);

    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain(`Signaal ${reference}`);
    expect(text).toContain('Overleg met de wijkagent gehad over de loods.');
    expect(text).toMatch(/Geëxporteerd door Fatima El Amrani op 23 november 2026 om 11:00 voor Politie Eenheid Oost; grondslag: convenant_riec/);

    expect((await fetch(link)).status).toBe(410); // one time only
    const audit = await bot.db.prisma.auditEvent.findMany({ where: { recordId: id, action: { in: ['dossier.export.request', 'dossier.export'] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.result, a.details])).toEqual([
      ['dossier.export.request', 'ok', { recipient: 'Politie Eenheid Oost', legalBasis: 'convenant_riec' }],
      ['dossier.export', 'ok', expect.objectContaining({ recipient: 'Politie Eenheid Oost', legalBasis: 'convenant_riec' })],
    ]);
  });

  it('refuses an officer, a missing recipient and an unknown basis', async () => {
    const { reference } = await fileSignal();
    const asMember = await execute('journal.show', { reference }, SANNE);
    expect(JSON.stringify(asMember.actions)).not.toContain('dossier.export');
    const refused = await execute('dossier.export', { reference, recipient: 'Iemand', legalBasis: 'avg_6_1_e' }, SANNE);
    expect(texts(refused)).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);
    expect(texts(await execute('dossier.export', { reference, recipient: 'x', legalBasis: 'avg_6_1_e' }))).toContain('Noem de ontvanger (3 tot 300 tekens).');
    expect(texts(await execute('dossier.export', { reference, recipient: 'RIEC Oost', legalBasis: 'iets' }))).toContain('Kies de grondslag van de verstrekking.');
    expect(await bot.db.prisma.dossierExport.count({ where: { reference } })).toBe(0);
  });

  it('answers an unknown or expired link with 410 and no data', async () => {
    const res = await fetch(`${bot.url}/exports/${'a'.repeat(43)}`);
    expect(res.status).toBe(410);
    expect(await res.text()).toBe('Deze exportlink is verlopen of al gebruikt. Vraag in Teams een nieuwe export aan.\n');
  });
});
