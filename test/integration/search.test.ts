// Finding signals: `zoek <tekst>` (reference, postcode, street, subject, KvK, Dutch full text), the paged lists
// (`signalen`, `mijn signalen`, `open signalen`, `over tijd`), the shared worklist, deadline markers in working days,
// and the search message extension. Everything only within the caller's scope.
import {
  DAAN, FATIMA, INGRID, KERNGROEP_HDB, LOTTE, PIETER, SANNE, SIGNALEN_HDB, SIGNALEN_ZTL,
  cardAnswer, cardOf, elements, executeAction, fileTestSignal, invoke, say, startTestBot, texts,
  type CardElement, type CardJson, type InvokeAnswer, type Place, type TestBot,
} from '../support/harness';
import type { DemoUser } from '../../src/store/demoData';

const HDB: Place = { channel: SIGNALEN_HDB };
const KERN: Place = { channel: KERNGROEP_HDB };
const ZTL: Place = { channel: SIGNALEN_ZTL };
const PERSONAL: Place = { personal: true };
// A channel shows only what everyone reading along may see; what the caller alone may see is asked in personal chat.
const AUDIENCE = 'Dat laat ik hier niet zien: niet iedereen die hier meeleest mag het zien. Vraag het in uw persoonlijke chat met Weerbaar.';

type Selectable = CardElement & { selectAction?: { type: string; verb: string; data: Record<string, unknown> } };

/** The rows of a list card: reference, the texts in the row, and the row's action. */
function rowsOf(card: CardJson): { reference: string; texts: string[]; action: NonNullable<Selectable['selectAction']> }[] {
  return (card.body as Selectable[]).filter((e) => e.selectAction).map((row) => ({
    reference: String(row.selectAction?.data.reference ?? ''),
    texts: texts({ type: 'AdaptiveCard', body: [row] }),
    action: row.selectAction as NonNullable<Selectable['selectAction']>,
  }));
}
const refsOf = (card: CardJson) => rowsOf(card).map((r) => r.reference);
const footerOf = (card: CardJson) => texts(card).find((t) => / van \d+\. /.test(t) || / of \d+\. /.test(t));
const moreOf = (card: CardJson) => (card.actions ?? []).find((a) => a.verb === 'list.more' && a.title === 'Meer');
const previousOf = (card: CardJson) => (card.actions ?? []).find((a) => a.verb === 'list.more' && a.title === 'Vorige');

async function listCard(bot: TestBot, text: string, user: DemoUser, place: Place): Promise<CardJson> {
  const replies = await say(bot, text, user, place);
  expect(replies).toHaveLength(1);
  return cardOf(replies[0]);
}
async function replyText(bot: TestBot, text: string, user: DemoUser, place: Place): Promise<string | undefined> {
  const replies = await say(bot, text, user, place);
  expect(replies).toHaveLength(1);
  return replies[0].activity.text;
}

describe('zoek', () => {
  let bot: TestBot;
  const s = {} as Record<'main' | 'lab' | 'secret' | 'kern' | 'third', { id: string; reference: string }>;
  beforeAll(async () => {
    bot = await startTestBot({ now: () => new Date('2026-11-23T10:00:00Z') });
    s.main = await fileTestSignal(bot, SANNE, HDB, {
      description: 'Vermoedelijk meerdere hennepkwekerijen in de loods achter het bedrijfspand.',
      person1Name: 'Mohammed Zoekmans', person1BirthDate: '1985-02-03', company1Name: 'Zoekbedrijf BV', company1Kvk: '11223344',
    });
    s.lab = await fileTestSignal(bot, DAAN, HDB, { phenomenon: 'drugslab', street: 'Kerkpad', houseNumber: '7', postcode: '5678 CD',
      description: 'Chemische lucht en blauwe vaten in de schuur achter de woning.' });
    s.secret = await fileTestSignal(bot, FATIMA, HDB, { street: 'Geheimhof', houseNumber: '1', postcode: '1234 AB',
      confidentiality: 'geheim', description: 'Tip van een informant: hennepkwekerij op zolder.' });
    // Same address, company and words in another channel of the same municipality (filed there, shown only in personal chat).
    s.kern = await fileTestSignal(bot, FATIMA, KERN, { description: 'Kerngroep: hennepkwekerijen in de regio, ook aan de Industrieweg.',
      company1Name: 'Zoekbedrijf BV', company1Kvk: '11223344', person1Name: 'Mohammed Zoekmans', person1BirthDate: '1985-02-03' });
    s.third = await fileTestSignal(bot, SANNE, HDB, { street: 'Industrieweg', houseNumber: '14', postcode: '1234 AB',
      description: 'Buurman meldt stroomkabels over de stoep.' });
  });
  afterAll(async () => { await bot.stop(); });

  const search = (text: string, user: DemoUser = SANNE, place: Place = HDB) => listCard(bot, `zoek ${text}`, user, place);

  it.each([
    ['its reference', () => s.lab.reference, () => [s.lab.reference]],
    ['its reference in lower case', () => s.lab.reference.toLowerCase(), () => [s.lab.reference]],
    ['the postcode without a space', () => '5678CD', () => [s.lab.reference]],
    ['the postcode with a space', () => '5678 CD', () => [s.lab.reference]],
    ['the postcode in lower case', () => '5678cd', () => [s.lab.reference]],
    ['the street', () => 'Kerkpad', () => [s.lab.reference]],
    ['part of the street', () => 'kerkp', () => [s.lab.reference]],
    ['a person\'s name', () => 'Zoekmans', () => [s.main.reference]],
    ['a company\'s name', () => 'zoekbedrijf', () => [s.main.reference]],
    ['a KvK number', () => '11223344', () => [s.main.reference]],
    ['a word of the description, stemmed (hennepkwekerij finds hennepkwekerijen)', () => 'hennepkwekerij', () => [s.main.reference]],
    ['a plural of a word in the description (vaten, schuren → schuur)', () => 'schuren', () => [s.lab.reference]],
  ])('finds a signal by %s', async (_what, query, expected) => {
    const card = await search(query());
    expect(texts(card)[0]).toBe(`Zoekresultaten voor "${query()}"`);
    expect(refsOf(card)).toEqual(expected());
  });

  it('finds every signal at a postcode, newest first, with its phenomenon, status and address', async () => {
    for (const q of ['1234AB', '1234 AB']) {
      const card = await search(q);
      expect(refsOf(card)).toEqual([s.third.reference, s.main.reference]);
      const [third, main] = rowsOf(card);
      // (A deadline marker may follow: createdAt comes from the database clock, not the test clock.)
      expect(third.texts.slice(0, 3)).toEqual([`**${s.third.reference}** · Hennepteelt`, 'Nieuw', 'Industrieweg 14, 1234 AB Heidebroek']);
      expect(main.texts.slice(0, 3)).toEqual([`**${s.main.reference}** · Hennepteelt`, 'Nieuw', 'Industrieweg 12, 1234 AB Heidebroek']);
      expect(main.action).toEqual({ type: 'Action.Execute', verb: 'record.open', data: { reference: s.main.reference, id: s.main.id, kind: 'signal' } });
      expect(footerOf(card)).toMatch(/^1–2 van 2\./);
    }
  });

  it('shows only the caller\'s channel: the same address and KvK in Kerngroep are not found in Signalen Heidebroek', async () => {
    const here = await search('11223344');
    expect(refsOf(here)).toEqual([s.main.reference]);
    // Not even for Fatima, who is in both channels.
    expect(refsOf(await search('11223344', FATIMA))).toEqual([s.main.reference]);
    expect(refsOf(await search('Industrieweg', FATIMA))).not.toContain(s.kern.reference);
    // Kerngroep itself shows no signal at all, not even its own: the mayor reads along there.
    expect(refsOf(await search('11223344', FATIMA, KERN))).toEqual([]);
    expect(refsOf(await search('Industrieweg', FATIMA, KERN))).toEqual([]);
    // Zoutelaar has nothing of Heidebroek.
    expect(refsOf(await search('1234 AB', LOTTE, ZTL))).toEqual([]);
    expect(refsOf(await search('11223344', FATIMA, ZTL))).toEqual([]);
    // In personal chat Fatima searches all her channels.
    expect(refsOf(await search('11223344', FATIMA, PERSONAL)).sort()).toEqual([s.main.reference, s.kern.reference].sort());
    expect(refsOf(await search('Industrieweg', FATIMA, PERSONAL))).toContain(s.kern.reference);
  });

  it('keeps secret signals from members, not from the coordinator in her personal chat', async () => {
    expect(refsOf(await search('Geheimhof'))).toEqual([]);
    expect(refsOf(await search('1234 AB'))).not.toContain(s.secret.reference);
    expect(refsOf(await search(s.secret.reference))).toEqual([]);
    expect(refsOf(await search('Geheimhof', SANNE, PERSONAL))).toEqual([]);
    // Members read along in Signalen Heidebroek: there the coordinator and the chair do not get it either.
    expect(refsOf(await search('Geheimhof', FATIMA))).toEqual([]);
    expect(refsOf(await search(s.secret.reference, FATIMA))).toEqual([]);
    expect(refsOf(await search('hennepkwekerij', PIETER))).toEqual([s.main.reference]);
    // Opening it there by its reference says where to ask; a member is told it is not found, as before.
    expect(await replyText(bot, `signaal ${s.secret.reference}`, FATIMA, HDB)).toBe(AUDIENCE);
    expect(await replyText(bot, `signaal ${s.secret.reference}`, SANNE, HDB)).toBe(`${s.secret.reference} bestaat niet of u hebt er geen toegang toe.`);
    // In personal chat the answer is for them alone.
    expect(refsOf(await search('Geheimhof', FATIMA, PERSONAL))).toEqual([s.secret.reference]);
    expect(refsOf(await search('hennepkwekerij', PIETER, PERSONAL)).sort()).toEqual([s.kern.reference, s.secret.reference, s.main.reference].sort());
  });

  it('finds a case by its reference and by a subject of its signals', async () => {
    for (const step of ['verrijken', 'klaarVoorOverleg', 'bespreken']) {
      await bot.send(executeAction('signal.transition', { signalId: s.lab.id, transition: step }, FATIMA, HDB));
    }
    const made = cardOf((await say(bot, `casus maken ${s.lab.reference}`, FATIMA, HDB))[0]);
    const caseRef = texts(made).map((t) => /^Casus (CASE-\d{4}-\d{4})$/.exec(t)?.[1]).find(Boolean) as string;
    const byRef = await search(caseRef);
    expect(rowsOf(byRef).map((r) => r.texts)).toEqual([[`**${caseRef}** · Drugslab: Kerkpad 7, Heidebroek`, 'Signalering']]);
    expect(refsOf(await search('5678 CD'))).toEqual([caseRef, s.lab.reference]);
    // Not in another channel, though Fatima is in both.
    expect(refsOf(await search(caseRef, FATIMA, KERN))).toEqual([]);
    expect(refsOf(await search(caseRef, FATIMA, ZTL))).toEqual([]);
  });

  it('says so when nothing is found, and asks what to look for when nothing is asked', async () => {
    const none = await search('onvindbaarwoord');
    expect(refsOf(none)).toEqual([]);
    expect(texts(none)).toEqual(['Zoekresultaten voor "onvindbaarwoord"', 'Niets gevonden.']);
    expect(await replyText(bot, 'zoek', SANNE, HDB)).toBe('Waar zoekt u naar? Bijvoorbeeld: zoek 1234 AB, zoek Industrieweg of zoek 12345678.');
    expect(await replyText(bot, 'zoek    ', SANNE, HDB)).toBe('Waar zoekt u naar? Bijvoorbeeld: zoek 1234 AB, zoek Industrieweg of zoek 12345678.');
    // Wildcards are taken literally.
    expect(refsOf(await search('%'))).toEqual([]);
    expect(refsOf(await search('_'))).toEqual([]);
  });

  it('gives the mayor no signal, only the cases shared with her, and audits every search', async () => {
    // A signal of her own channel at that postcode: not for her.
    expect(refsOf(await search('1234 AB', INGRID, KERN))).toEqual([]);
    expect(refsOf(await search(s.kern.reference, INGRID, KERN))).toEqual([]);
    const lastSearch = async () => (await bot.db.prisma.auditEvent.findMany({ where: { action: 'search' }, orderBy: { id: 'desc' }, take: 1 }))[0];
    expect(await lastSearch()).toMatchObject({ actorAadId: INGRID.aadObjectId, result: 'ok', details: { count: 0 } });

    // A Kerngroep case (made from personal chat: Kerngroep shows no signal) is found by her once it is shared with her.
    const signal = await fileTestSignal(bot, FATIMA, KERN, { street: 'Raadhuisplein', houseNumber: '3', postcode: '4321 ZX',
      description: 'Kerngroep: vastgoed met onduidelijke financiering.' });
    for (const step of ['verrijken', 'klaarVoorOverleg', 'bespreken']) {
      await bot.send(executeAction('signal.transition', { signalId: signal.id, transition: step }, FATIMA, PERSONAL));
    }
    const made = cardOf((await say(bot, `casus maken ${signal.reference}`, FATIMA, PERSONAL))[0]);
    const caseRef = texts(made).map((t) => /^Casus (CASE-\d{4}-\d{4})$/.exec(t)?.[1]).find(Boolean) as string;
    const kernCase = await bot.db.prisma.case.findFirstOrThrow({ where: { reference: caseRef, scope: { channelId: KERNGROEP_HDB.id } } });
    expect(refsOf(await search('4321 ZX', INGRID, KERN))).toEqual([]);
    cardAnswer(await bot.send(executeAction('case.share', { caseId: kernCase.id, mode: 'share' }, FATIMA, PERSONAL)));
    expect(refsOf(await search('4321 ZX', INGRID, KERN))).toEqual([caseRef]);
    expect(refsOf(await search(caseRef, INGRID, KERN))).toEqual([caseRef]);
    // The case, not the signal in it.
    expect(refsOf(await search(signal.reference, INGRID, KERN))).toEqual([]);
    expect(await lastSearch()).toMatchObject({ actorAadId: INGRID.aadObjectId, result: 'ok' });

    const audits = await bot.db.prisma.auditEvent.findMany({ where: { action: 'search' } });
    expect(audits.filter((a) => a.actorAadId === SANNE.aadObjectId && a.result === 'ok').length).toBeGreaterThan(5);
  });

  it('answers in English', async () => {
    const replies = await say(bot, 'search Kerkpad', SANNE, HDB, { locale: 'en-US' });
    expect(texts(cardOf(replies[0]))[0]).toBe('Search results for "Kerkpad"');
  });

  describe('the search message extension', () => {
    const query = (text: string, user: DemoUser, place: Place) => bot.send(invoke('composeExtension/query', {
      commandId: 'findRecord', parameters: [{ name: 'query', value: text }], queryOptions: { skip: 0, count: 25 },
    }, user, place)).then((res) => { expect(res.status).toBe(200); return (res.body as InvokeAnswer).composeExtension; });

    it('returns the signal cards with a preview, only from the channel it is used in', async () => {
      const result = await query('11223344', SANNE, HDB);
      expect(result?.type).toBe('result');
      expect(result?.attachments).toHaveLength(1);
      const [hit] = result?.attachments ?? [];
      expect(hit.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(texts(hit.content as CardJson)).toEqual(expect.arrayContaining([`Signaal ${s.main.reference}`, 'Hennepteelt · Industrieweg 12, 1234 AB Heidebroek']));
      expect(hit.preview?.contentType).toBe('application/vnd.microsoft.card.thumbnail');
      expect(hit.preview?.content.title).toMatch(new RegExp(`^${s.main.reference} · `));
      expect(hit.preview?.content.text).toBe('Industrieweg 12, 1234 AB Heidebroek');

      // Fatima is in Kerngroep too: used here, it still finds only this channel's signal.
      const fatima = await query('11223344', FATIMA, HDB);
      expect(fatima?.attachments?.map((a) => texts(a.content as CardJson).find((t) => t.startsWith('Signaal ')))).toEqual([`Signaal ${s.main.reference}`]);
      // In Kerngroep, where the mayor reads along, it shows no signal at all, not even that channel's own.
      expect(await query('11223344', FATIMA, KERN)).toMatchObject({ type: 'result', attachments: [] });
      const ztl = await query('1234 AB', LOTTE, ZTL);
      expect(ztl).toMatchObject({ type: 'result', attachments: [] });
      // The secret signal at 1234 AB is not posted here, not even by the coordinator.
      for (const user of [SANNE, FATIMA]) {
        const attachments = (await query('1234 AB', user, HDB))?.attachments ?? [];
        expect(attachments.length).toBeGreaterThan(0);
        for (const attachment of attachments) {
          expect(JSON.stringify(attachment)).not.toContain(s.secret.reference);
          expect(JSON.stringify(attachment)).not.toContain(s.kern.reference);
        }
      }
    });

    // PRODUCT BUG (since da80a52): a list item's title became { nl, en }; the preview still interpolates it as text,
    // so every result in the Teams search list reads "SIG-2026-0001 · [object Object]".
    it('titles the preview with the reference and the phenomenon in the user\'s language', async () => {
      const [hit] = (await query('11223344', SANNE, HDB))?.attachments ?? [];
      expect(hit.preview?.content.title).toBe(`${s.main.reference} · Hennepteelt`);
    });

    it('returns nothing for an empty query, and no signal to the mayor', async () => {
      expect(await query('   ', SANNE, HDB)).toMatchObject({ type: 'result', attachments: [] });
      // The Kerngroep signal at 1234 AB is in her channel, but not hers to see.
      expect(await query('1234 AB', INGRID, KERN)).toMatchObject({ type: 'result', attachments: [] });
    });
  });
});

describe('paged lists', () => {
  let bot: TestBot;
  const filed: string[] = [];
  beforeAll(async () => {
    bot = await startTestBot({ now: () => new Date('2026-11-23T10:00:00Z') });
    // 23 signals in Signalen Zoutelaar (a Belgian municipality).
    for (let i = 1; i <= 23; i++) {
      const f = await fileTestSignal(bot, LOTTE, ZTL, { phenomenon: 'drugsproductie', street: 'Kaai', houseNumber: String(i), postcode: '9000', place: 'Zoutelaar',
        legalBasis: 'wet_bestuurlijke_handhaving', description: `Paginatest ${i}: drugsafval gedumpt langs de kaai.` });
      filed.push(f.reference);
    }
  });
  afterAll(async () => { await bot.stop(); });

  const more = async (card: CardJson, user: DemoUser = LOTTE) => {
    const button = moreOf(card);
    if (!button) throw new Error('no "Meer" button');
    return cardAnswer(await bot.send(executeAction('list.more', button.data ?? {}, user, ZTL)));
  };

  it('`signalen` shows 10 at a time with "Meer" until the last page', async () => {
    const page1 = await listCard(bot, 'signalen', LOTTE, ZTL);
    expect(texts(page1)[0]).toBe('Signalen');
    expect(rowsOf(page1)).toHaveLength(10);
    expect(footerOf(page1)).toBe('1–10 van 23. Open een signaal of casus door erop te klikken, of met: open ‹referentie›.');
    expect(moreOf(page1)).toMatchObject({ type: 'Action.Execute', title: 'Meer', verb: 'list.more', data: { list: 'recent', page: 2 } });
    expect(previousOf(page1)).toBeUndefined();
    expect(refsOf(page1)[0]).toBe(filed[22]);

    const page2 = await more(page1);
    expect(rowsOf(page2)).toHaveLength(10);
    expect(footerOf(page2)).toMatch(/^11–20 van 23\./);
    expect(moreOf(page2)?.data).toEqual({ list: 'recent', page: 3 });
    expect(previousOf(page2)?.data).toEqual({ list: 'recent', page: 1 });

    const page3 = await more(page2);
    expect(rowsOf(page3)).toHaveLength(3);
    expect(footerOf(page3)).toMatch(/^21–23 van 23\./);
    expect(moreOf(page3)).toBeUndefined();
    expect((page3.actions ?? []).map((a) => a.title)).toEqual(['Vorige']);
    // Back again gives the same second page.
    const back = cardAnswer(await bot.send(executeAction('list.more', previousOf(page3)?.data ?? {}, LOTTE, ZTL)));
    expect(refsOf(back)).toEqual(refsOf(page2));

    const all = [...refsOf(page1), ...refsOf(page2), ...refsOf(page3)];
    expect(new Set(all).size).toBe(23);
    expect([...all].sort()).toEqual([...filed].sort());
    expect(rowsOf(page1)[0].texts.slice(0, 3)).toEqual([`**${filed[22]}** · Drugsproductie (cannabis, synthetisch)`, 'Nieuw', 'Kaai 23, 9000 Zoutelaar']);
  });

  it('pages search results the same way, keeping the query', async () => {
    const page1 = await listCard(bot, 'zoek paginatest', LOTTE, ZTL);
    expect(rowsOf(page1)).toHaveLength(10);
    expect(moreOf(page1)?.data).toEqual({ list: 'search', value: 'paginatest', page: 2 });
    const page3 = await more(await more(page1));
    expect(texts(page3)[0]).toBe('Zoekresultaten voor "paginatest"');
    expect(rowsOf(page3)).toHaveLength(3);
    expect(moreOf(page3)).toBeUndefined();
  });

  it('a "Meer" from another channel shows that channel\'s list, not this one', async () => {
    const page1 = await listCard(bot, 'signalen', LOTTE, ZTL);
    // Fatima is a member in Zoutelaar too, but from Signalen Heidebroek she gets Heidebroek's (empty) list.
    const elsewhere = cardAnswer(await bot.send(executeAction('list.more', moreOf(page1)?.data ?? {}, FATIMA, HDB)));
    expect(refsOf(elsewhere)).toEqual([]);
    // A member of Zoutelaar gets the same page as the coordinator.
    expect(refsOf(await more(page1, FATIMA))).toEqual(refsOf(await more(page1)));
  });

  it('treats a page beyond the end and a nonsense request sensibly', async () => {
    const beyond = cardAnswer(await bot.send(executeAction('list.more', { list: 'recent', page: 99 }, LOTTE, ZTL)));
    expect(rowsOf(beyond)).toHaveLength(0);
    expect(moreOf(beyond)).toBeUndefined();
    const nonsense = cardAnswer(await bot.send(executeAction('list.more', { list: 'alles', page: 'x' }, LOTTE, ZTL)));
    expect(rowsOf(nonsense)).toHaveLength(10);
    expect(footerOf(nonsense)).toMatch(/^1–10 van 23\./);
  });

  // PRODUCT BUG: references are numbered per municipality, so SIG-2026-0001 exists in Heidebroek and in Zoutelaar. In
  // personal chat Fatima (in both) finds both, but every way to open one goes by reference only (record.open,
  // `signaal SIG-…`), and the lookup takes whichever row comes first: both rows open the same signal.
  it('in personal chat, each of two signals with the same reference in two municipalities opens itself', async () => {
    const heidebroek = await fileTestSignal(bot, SANNE, HDB, { description: 'Heidebroek heeft ook een eerste signaal van 2026.' });
    expect(heidebroek.reference).toBe(filed[0]);
    const results = await listCard(bot, `zoek ${heidebroek.reference}`, FATIMA, { personal: true });
    const rows = rowsOf(results);
    expect(rows.map((r) => r.reference)).toEqual([heidebroek.reference, heidebroek.reference]);
    const opened = await Promise.all(rows.map(async (r) => texts(cardAnswer(await bot.send(executeAction(r.action.verb, r.action.data, FATIMA, { personal: true }))))));
    const channels = opened.map((t) => t[t.indexOf('Kanaal') + 1]).sort();
    expect(channels).toEqual(['Signalen Heidebroek', 'Signalen Zoutelaar']);
  });
});

describe('my, open and overdue lists, the worklist and deadline markers', () => {
  const NOW = new Date('2026-11-23T10:00:00Z'); // a Monday
  let bot: TestBot;
  const s = {} as Record<'fresh' | 'assigned' | 'discussed' | 'closed' | 'late' | 'veryLate' | 'handedOver', { id: string; reference: string }>;

  /** As if filed on that day (createdAt from the database clock, dueOn as the bot stored it then). */
  const backdate = (id: string, filedAt: string, dueOn: string) =>
    bot.db.prisma.signal.update({ where: { id }, data: { createdAt: new Date(filedAt), dueOn: new Date(`${dueOn}T00:00:00Z`) } });
  const move = async (id: string, ...steps: [string, Record<string, string>?][]) => {
    for (const [transition, extra] of steps) await bot.send(executeAction('signal.transition', { signalId: id, transition, ...extra }, FATIMA, HDB));
  };

  beforeAll(async () => {
    bot = await startTestBot({ now: () => NOW });
    s.fresh = await fileTestSignal(bot, SANNE, HDB, { description: 'Vers signaal, nog ruim binnen de termijn.' });
    s.assigned = await fileTestSignal(bot, FATIMA, HDB, { phenomenon: 'drugslab', description: 'Drugslab-signaal, toegewezen aan Daan.' });
    s.discussed = await fileTestSignal(bot, SANNE, HDB, { description: 'Besproken in het overleg.' });
    s.closed = await fileTestSignal(bot, PIETER, HDB, { phenomenon: 'overig', description: 'Afgesloten na verrijking, al lang geleden gemeld.' });
    s.late = await fileTestSignal(bot, SANNE, HDB, { description: 'Hennep: gemeld op 1 oktober, sindsdien niets gebeurd.' });
    s.veryLate = await fileTestSignal(bot, DAAN, HDB, { phenomenon: 'drugslab', description: 'Drugslab: gemeld op 26 oktober, sindsdien niets.' });
    s.handedOver = await fileTestSignal(bot, SANNE, HDB, { description: 'Overgedragen aan de politie.' });
    for (const x of [s.fresh, s.assigned, s.discussed, s.handedOver]) await backdate(x.id, NOW.toISOString(), '2026-12-21');
    // Hennepteelt: 20 working days, 2026-10-01 → 2026-10-29; 37 working days since filing: overdue, not 3×.
    await backdate(s.late.id, '2026-10-01T09:00:00Z', '2026-10-29');
    // Drugslab: 5 working days, 2026-10-26 → 2026-11-02; 20 working days since filing > 3 × 5.
    await backdate(s.veryLate.id, '2026-10-26T09:00:00Z', '2026-11-02');
    await backdate(s.closed.id, '2026-09-01T09:00:00Z', '2026-09-29');
    await bot.send(executeAction('signal.assign', { signalId: s.assigned.id, assigneeAadId: DAAN.aadObjectId }, FATIMA, HDB));
    await move(s.assigned.id, ['verrijken']);
    await move(s.discussed.id, ['verrijken'], ['klaarVoorOverleg'], ['bespreken']);
    await move(s.closed.id, ['afsluiten', { reason_afsluiten: 'Geen aanwijzingen gevonden.' }]);
    await move(s.handedOver.id, ['verrijken'], ['klaarVoorOverleg'], ['bespreken'], ['overdragen', { reason_overdragen: 'Strafrechtelijk onderzoek.', partner_overdragen: 'politie' }]);
  });
  afterAll(async () => { await bot.stop(); });

  const cardText = async (signalId: string, user: DemoUser = FATIMA) =>
    texts(cardAnswer(await bot.send(executeAction('signal.refresh', { signalId }, user, HDB, { trigger: 'automatic' }))));

  it('the card shows the decision date, or since when it is overdue, in working days per phenomenon', async () => {
    expect(await cardText(s.fresh.id)).toContain('Besluit uiterlijk 21 december 2026');
    expect(await cardText(s.late.id)).toContain('Over tijd sinds 29 oktober 2026');
    expect(await cardText(s.veryLate.id)).toContain('Ruim over tijd (3×) sinds 2 november 2026');
    // Decided signals have no deadline any more.
    for (const decided of [s.discussed, s.closed, s.handedOver]) {
      expect((await cardText(decided.id)).filter((t) => /Besluit uiterlijk|Over tijd|Ruim over tijd/.test(t))).toEqual([]);
    }
  });

  it('`signalen` marks overdue rows', async () => {
    const rows = rowsOf(await listCard(bot, 'signalen', SANNE, HDB));
    const marker = (ref: string) => rows.find((r) => r.reference === ref)?.texts.at(-1);
    expect(rows).toHaveLength(7);
    expect(marker(s.late.reference)).toBe('Over tijd');
    expect(marker(s.veryLate.reference)).toBe('Ruim over tijd (3×)');
    for (const x of [s.fresh, s.assigned, s.discussed, s.closed, s.handedOver]) {
      expect(rows.find((r) => r.reference === x.reference)?.texts.some((t) => /Over tijd|Ruim over tijd/.test(t))).toBe(false);
    }
  });

  it('`over tijd` lists the undecided signals past their date', async () => {
    const card = await listCard(bot, 'over tijd', SANNE, HDB);
    expect(texts(card)[0]).toBe('Signalen over tijd');
    expect(refsOf(card).sort()).toEqual([s.late.reference, s.veryLate.reference].sort());
  });

  it('`mijn signalen` lists what the caller reported or was assigned', async () => {
    const daan = await listCard(bot, 'mijn signalen', DAAN, HDB);
    expect(texts(daan)[0]).toBe('Mijn signalen');
    expect(refsOf(daan).sort()).toEqual([s.assigned.reference, s.veryLate.reference].sort());
    const sanne = await listCard(bot, 'mijn signalen', SANNE, HDB);
    expect(refsOf(sanne).sort()).toEqual([s.fresh.reference, s.discussed.reference, s.late.reference, s.handedOver.reference].sort());
    const english = await say(bot, 'my signals', PIETER, HDB, { locale: 'en-US' });
    expect(texts(cardOf(english[0]))[0]).toBe('My signals');
    expect(refsOf(cardOf(english[0]))).toEqual([s.closed.reference]);
  });

  it('`open signalen` lists what still needs a decision or follow-up: not closed, handed over or in a case', async () => {
    const card = await listCard(bot, 'open signalen', SANNE, HDB);
    expect(texts(card)[0]).toBe('Open signalen');
    expect(refsOf(card).sort()).toEqual([s.fresh, s.assigned, s.discussed, s.late, s.veryLate].map((x) => x.reference).sort());
  });

  it('`werklijst` counts by status, phenomenon and assignee, and every row opens its list', async () => {
    const card = await listCard(bot, 'werklijst', SANNE, HDB);
    expect(texts(card).slice(0, 2)).toEqual(['Werklijst', 'Gedeeld door iedereen in dit kanaal. Klik op een regel voor de signalen.']);
    // Groups: a heading, then rows (a ColumnSet with a label, a count and a selectAction).
    const groups = new Map<string, Map<string, { count: string; action: NonNullable<Selectable['selectAction']> }>>();
    for (const container of card.body.filter((e) => e.type === 'Container')) {
      const heading = container.items?.[0]?.text ?? '';
      const rows = new Map<string, { count: string; action: NonNullable<Selectable['selectAction']> }>();
      for (const row of (container.items ?? []).filter((e) => (e as Selectable).selectAction) as Selectable[]) {
        const [label, count] = (row.columns ?? []).map((c) => String(c.items?.[0]?.text ?? ''));
        rows.set(label, { count, action: row.selectAction as NonNullable<Selectable['selectAction']> });
      }
      groups.set(heading, rows);
    }
    const counts = (heading: string) => Object.fromEntries([...(groups.get(heading) ?? new Map<string, { count: string }>())].map(([k, v]) => [k, v.count]));
    expect([...groups.keys()]).toEqual(['Over tijd', 'Per status', 'Open, per fenomeen', 'Open, per behandelaar']);
    expect(counts('Over tijd')).toEqual({ 'Signalen over tijd': '2' });
    expect(counts('Per status')).toEqual({ Nieuw: '3', 'In verrijking': '1', Besproken: '1', Afgesloten: '1', Overgedragen: '1' });
    expect(counts('Open, per fenomeen')).toEqual({ Hennepteelt: '3', Drugslab: '2' });
    expect(counts('Open, per behandelaar')).toEqual({ 'Daan Jansen': '1', 'Nog niet toegewezen': '4' });

    const open = async (heading: string, label: string) => {
      const row = groups.get(heading)?.get(label);
      expect(row?.action).toMatchObject({ type: 'Action.Execute', verb: 'list.show' });
      return cardAnswer(await bot.send(executeAction('list.show', row?.action.data ?? {}, SANNE, HDB)));
    };
    expect(groups.get('Per status')?.get('Nieuw')?.action.data).toEqual({ list: 'status', value: 'nieuw', label: 'Nieuw', page: 1 });
    const nieuw = await open('Per status', 'Nieuw');
    expect(texts(nieuw)[0]).toBe('Signalen met status Nieuw');
    expect(refsOf(nieuw).sort()).toEqual([s.fresh, s.late, s.veryLate].map((x) => x.reference).sort());
    const lab = await open('Open, per fenomeen', 'Drugslab');
    expect(texts(lab)[0]).toBe('Signalen: Drugslab');
    expect(refsOf(lab).sort()).toEqual([s.assigned, s.veryLate].map((x) => x.reference).sort());
    const daan = await open('Open, per behandelaar', 'Daan Jansen');
    expect(texts(daan)[0]).toBe('Signalen van Daan Jansen');
    expect(refsOf(daan)).toEqual([s.assigned.reference]);
    const nobody = await open('Open, per behandelaar', 'Nog niet toegewezen');
    expect(refsOf(nobody).sort()).toEqual([s.fresh, s.discussed, s.late, s.veryLate].map((x) => x.reference).sort());
    const overdue = await open('Over tijd', 'Signalen over tijd');
    expect(refsOf(overdue).sort()).toEqual([s.late, s.veryLate].map((x) => x.reference).sort());
  });

  it('the worklist of another channel does not count these', async () => {
    // Fatima is in Signalen Zoutelaar too: its worklist counts nothing of Heidebroek.
    const card = await listCard(bot, 'werklijst', FATIMA, ZTL);
    const rows = elements(card).filter((e) => (e as Selectable).selectAction);
    expect(rows.map((r) => (r.columns ?? []).map((c) => String(c.items?.[0]?.text ?? '')))).toEqual([['Signalen over tijd', '0']]);
    // Kerngroep has no worklist of signals at all: the mayor reads along there.
    expect(await replyText(bot, 'werklijst', FATIMA, KERN)).toBe(AUDIENCE);
  });

  it('gives the mayor her municipality\'s counts in personal chat: every level, no names, nothing to open', async () => {
    // A secret signal no one in the channel is shown still counts for her.
    const hdb = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } });
    await fileTestSignal(bot, FATIMA, { personal: true }, { scopeId: hdb.id, confidentiality: 'geheim', description: 'Geheim, telt mee voor de burgemeester.' });
    const card = await listCard(bot, 'overzicht', INGRID, { personal: true });
    expect(texts(card).slice(0, 2)).toEqual(['Overzicht signalen',
      'Aantallen in de kanalen van uw gemeente, zonder persoonsgegevens. Casussen die met u gedeeld zijn, opent u met casussen.']);
    expect(elements(card).some((e) => (e as Selectable).selectAction)).toBe(false);
    const shown = texts(card).join(' | ');
    expect(shown).not.toContain('Open, per behandelaar');
    expect(shown).not.toContain('Daan Jansen');
    // The channel's three new signals and the secret one.
    expect(shown).toContain('Nieuw | 4');
    expect(shown).toContain('Signalen over tijd | 2');
    const audit = await bot.db.prisma.auditEvent.findFirstOrThrow({ where: { actorAadId: INGRID.aadObjectId, action: 'signal.worklist' }, orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({ result: 'ok', details: expect.objectContaining({ aggregateOnly: true }) });
    // Not in the Kerngroep channel, and no list behind the counts.
    expect(await replyText(bot, 'werklijst', INGRID, KERN)).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
    expect(await replyText(bot, 'signalen', INGRID, { personal: true })).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
  });
});

describe('deadlines across Christmas (a clock of our own)', () => {
  let clock = new Date('2026-12-22T09:00:00Z'); // Tuesday 22 December 2026
  let bot: TestBot;
  beforeAll(async () => { bot = await startTestBot({ now: () => clock }); });
  afterAll(async () => { await bot.stop(); });

  const cardText = async (signalId: string) =>
    texts(cardAnswer(await bot.send(executeAction('signal.refresh', { signalId }, FATIMA, HDB, { trigger: 'automatic' }))));

  // PRODUCT BUG: the signal's createdAt is the database's now(), not the bot's clock (deps.now) that the stored dueOn
  // and "today" come from; the card derives the deadline from createdAt, so card and stored dueOn disagree whenever
  // the two clocks do (with this test clock: the card counts from the real date).
  it('a drugslab signal filed on 22 December must be decided by 30 December: 25 and 26 December do not count', async () => {
    clock = new Date('2026-12-22T09:00:00Z');
    const filed = await fileTestSignal(bot, SANNE, HDB, { phenomenon: 'drugslab', observedOn: '2026-12-21', description: 'Kerstdrukte: drugslab in een garagebox.' });
    expect(texts(filed.card)).toContain('Besluit uiterlijk 30 december 2026');
  });

  it('counts working days past Christmas and New Year for the card and the markers', async () => {
    clock = new Date('2026-12-22T09:00:00Z');
    const filed = await fileTestSignal(bot, SANNE, HDB, { phenomenon: 'drugslab', observedOn: '2026-12-21', description: 'Kerstdrukte: drugslab in een loods.' });
    // Tue 22 Dec + 5 working days: 23, 24, (25, 26 Christmas, 27 Sunday), 28, 29, 30.
    expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: filed.id } })).dueOn.toISOString().slice(0, 10)).toBe('2026-12-30');
    await bot.db.prisma.signal.update({ where: { id: filed.id }, data: { createdAt: clock } });
    expect(await cardText(filed.id)).toContain('Besluit uiterlijk 30 december 2026');

    const marker = async () => rowsOf(await listCard(bot, 'signalen', SANNE, HDB)).find((r) => r.reference === filed.reference)?.texts.at(-1);
    clock = new Date('2026-12-30T16:00:00Z');
    expect(await cardText(filed.id)).toContain('Besluit uiterlijk 30 december 2026');
    expect(await marker()).toBe('Industrieweg 12, 1234 AB Heidebroek'); // the address is the last line: no marker
    clock = new Date('2026-12-31T08:00:00Z');
    expect(await cardText(filed.id)).toContain('Over tijd sinds 30 december 2026');
    expect(await marker()).toBe('Over tijd');
    // 15 working days after filing (1 January does not count) is Thursday 14 January: still "only" overdue.
    clock = new Date('2027-01-14T12:00:00Z');
    expect(await marker()).toBe('Over tijd');
    // On the 16th working day it is more than three times its term.
    clock = new Date('2027-01-15T12:00:00Z');
    expect(await marker()).toBe('Ruim over tijd (3×)');
    expect(await cardText(filed.id)).toContain('Ruim over tijd (3×) sinds 30 december 2026');
  });
});
