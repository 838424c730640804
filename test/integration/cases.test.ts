// Cases over HTTP: `casus maken SIG-… SIG-…` bundles discussed signals of one channel into a case; the case card
// moves through its phases (forward freely, back/close/reopen with a reason) and records measures, lead and target.
import { randomUUID } from 'node:crypto';
import {
  DAAN, FATIMA, INGRID, KERNGROEP_HDB, LOTTE, PIETER, SANNE, SIGNALEN_HDB, SIGNALEN_ZTL,
  CASE_WORKFLOW_VERBS, SIGNAL_WORKFLOW_VERBS, buttonsWithVerbs, cardAnswer, cardOf, elements, executeAction, fileTestSignal, input, say, startTestBot, texts,
  type CardElement, type CardJson, type Place, type TestBot,
} from '../support/harness';
import type { DemoUser } from '../../src/store/demoData';

const HDB: Place = { channel: SIGNALEN_HDB };
const PERSONAL: Place = { personal: true };
// A channel shows only what everyone reading along may see; what the caller alone may see is asked in personal chat.
const AUDIENCE = 'Dat laat ik hier niet zien: niet iedereen die hier meeleest mag het zien. Vraag het in uw persoonlijke chat met Weerbaar.';
const NOW = new Date('2026-11-23T10:00:00Z');

let bot: TestBot;
beforeAll(async () => { bot = await startTestBot({ now: () => NOW }); });
afterAll(async () => { await bot.stop(); });

const caseButtons = (card: CardJson) => buttonsWithVerbs(card, CASE_WORKFLOW_VERBS);
const signalButtons = (card: CardJson) => buttonsWithVerbs(card, SIGNAL_WORKFLOW_VERBS);
const CASE_REF = /^CASE-2026-\d{4}$/;

async function transition(user: DemoUser, place: Place, signalId: string, name: string, extra: Record<string, string> = {}) {
  const before = await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signalId } });
  cardAnswer(await bot.send(executeAction('signal.transition', { signalId, transition: name, ...extra }, user, place)));
  expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signalId } })).status).not.toBe(before.status);
}

let counter = 0;
/**
 * A signal filed in the place (by Sanne in Signalen Heidebroek) and discussed in the overleg, moved there by Fatima;
 * from her personal chat when the channel may not see it (geheim, or anything in Kerngroep, where the mayor reads).
 */
async function discussed(place: Place = HDB, overrides: Record<string, string> = {}) {
  counter += 1;
  const reporter = 'channel' in place && place.channel === SIGNALEN_HDB ? SANNE : FATIMA;
  const filed = await fileTestSignal(bot, reporter, place, { description: `Casustest ${counter}: verdachte bedrijvigheid in een loods.`, ...overrides });
  for (const step of ['verrijken', 'klaarVoorOverleg', 'bespreken']) await transition(FATIMA, filed.shown ? place : PERSONAL, filed.id, step);
  return filed;
}

/** The one reply to a message, as a card or as text. */
async function ask(text: string, user: DemoUser, place: Place): Promise<{ card?: CardJson; text?: string }> {
  const replies = await say(bot, text, user, place);
  expect(replies).toHaveLength(1);
  const attachment = replies[0].activity.attachments?.[0];
  return attachment ? { card: cardOf(replies[0]) } : { text: replies[0].activity.text };
}

const factOf = (card: CardJson, title: string) => elements(card).flatMap((e) => e.facts ?? []).find((f) => f.title === title)?.value;
const referenceOfCase = (card: CardJson) => texts(card).map((t) => /^Casus (CASE-\d{4}-\d{4,})$/.exec(t)?.[1]).find(Boolean) ?? '';
const caseCount = () => bot.db.prisma.case.count();

async function newCase(place: Place = HDB) {
  const a = await discussed(place);
  const b = await discussed(place, { street: 'Havenweg', houseNumber: '3', postcode: '1234 CD' });
  const { card } = await ask(`casus maken ${a.reference} ${b.reference}`, FATIMA, place);
  if (!card) throw new Error('no case card');
  const reference = referenceOfCase(card);
  const row = await bot.db.prisma.case.findFirstOrThrow({ where: { reference, scope: { channelId: SIGNALEN_HDB.id } } });
  return { card, reference, id: row.id, signals: [a, b] };
}

const phase = (caseId: string, user: DemoUser, to: string, reason?: string) =>
  bot.send(executeAction('case.phase', { caseId, to, ...(reason === undefined ? {} : { [`reason_${to}`]: reason }) }, user, HDB)).then(cardAnswer);
const update = (caseId: string, user: DemoUser, fields: Record<string, string>) =>
  bot.send(executeAction('case.update', { caseId, title: 'Hennepteelt Industrieweg', measures: '', leadAadId: '', targetDate: '', ...fields }, user, HDB)).then(cardAnswer);
const stored = (caseId: string) => bot.db.prisma.case.findUniqueOrThrow({ where: { id: caseId } });

describe('casus maken', () => {
  it('bundles two discussed signals of the channel into a new case led by the coordinator', async () => {
    const a = await discussed();
    const b = await discussed(HDB, { street: 'Havenweg', houseNumber: '3', postcode: '1234 CD' });
    const { card } = await ask(`casus maken ${a.reference} ${b.reference.toLowerCase()}`, FATIMA, HDB);
    if (!card) throw new Error('expected a case card');
    const reference = referenceOfCase(card);
    expect(reference).toMatch(CASE_REF);
    const shown = texts(card);
    expect(shown[0]).toBe(`Casus ${reference} is aangemaakt.`);
    expect(shown).toEqual(expect.arrayContaining([`Casus ${reference}`, 'Hennepteelt: Industrieweg 12, Heidebroek', 'Signalering']));
    expect(factOf(card, 'Signalen')).toBe(`${a.reference}, ${b.reference}`);
    expect(factOf(card, 'Casusregisseur')).toBe('Fatima El Amrani');
    expect(factOf(card, 'Maatregelen')).toBe('Nog geen');
    expect(factOf(card, 'Streefdatum')).toBe('Geen');
    expect(factOf(card, 'Kanaal')).toBe('Signalen Heidebroek');
    // Both addresses are subjects of the case now.
    expect(shown).toEqual(expect.arrayContaining(['- Industrieweg 12, 1234 AB Heidebroek', '- Havenweg 3, 1234 CD Heidebroek']));

    const row = await bot.db.prisma.case.findFirstOrThrow({ where: { reference, scope: { channelId: SIGNALEN_HDB.id } } });
    expect(row).toMatchObject({ phase: 'signalering', leadAadId: FATIMA.aadObjectId, createdByAadId: FATIMA.aadObjectId, confidentiality: 'vertrouwelijk', measures: [] });
    for (const s of [a, b]) {
      expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({ status: 'casus', caseId: row.id });
      expect(await bot.db.prisma.statusChange.findFirst({ where: { signalId: s.id, transition: 'promoveren' } })).toMatchObject({ fromState: 'besproken', toState: 'casus' });
    }
    expect(await bot.db.prisma.statusChange.findFirst({ where: { caseId: row.id } })).toMatchObject({ transition: 'aanmaken', toState: 'signalering' });
    const audit = await bot.db.prisma.auditEvent.findMany({ where: { action: 'case.create', recordId: row.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorAadId: FATIMA.aadObjectId, result: 'ok' });
    expect(audit[0].details).toMatchObject({ signals: [a.reference, b.reference] });

    // The signal card names its case and offers no further steps.
    const signalCard = await ask(`signaal ${a.reference}`, FATIMA, HDB);
    expect(factOf(signalCard.card as CardJson, 'Casus')).toBe(reference);
    expect(texts(signalCard.card as CardJson)).toContain('Casus');
    expect(signalButtons(signalCard.card as CardJson)).toEqual(['Toewijzen']);
  });

  it('numbers cases consecutively per municipality', async () => {
    const first = await newCase();
    const second = await newCase();
    expect(Number(second.reference.slice(-4))).toBe(Number(first.reference.slice(-4)) + 1);
  });

  it('makes a case as confidential as its most confidential signal', async () => {
    const open = await discussed();
    const secret = await discussed(HDB, { confidentiality: 'geheim' });
    expect(secret.shown).toBe(false);
    // Members read along in Signalen Heidebroek: there not even the chair names the secret signal, and no case is made.
    const before = await caseCount();
    expect((await ask(`casus maken ${open.reference} ${secret.reference}`, PIETER, HDB)).text).toBe(`Niet gevonden of geen toegang: ${secret.reference}.`);
    expect(await caseCount()).toBe(before);
    const { card } = await ask(`casus maken ${open.reference} ${secret.reference}`, PIETER, PERSONAL);
    const reference = referenceOfCase(card as CardJson);
    expect((await bot.db.prisma.case.findFirstOrThrow({ where: { reference, scope: { channelId: SIGNALEN_HDB.id } } })).confidentiality).toBe('geheim');
    expect(factOf(card as CardJson, 'Casusregisseur')).toBe('Pieter Bakker');
    // A member may not open it, wherever she asks; the chair may, but not where members read along.
    expect((await ask(`casus ${reference}`, SANNE, PERSONAL)).text).toContain('bestaat niet of u hebt er geen toegang toe');
    expect((await ask(`casus ${reference}`, SANNE, HDB)).text).toContain('bestaat niet of u hebt er geen toegang toe');
    expect((await ask(`casus ${reference}`, PIETER, HDB)).text).toBe(AUDIENCE);
    expect(texts((await ask(`casus ${reference}`, PIETER, PERSONAL)).card as CardJson)).toContain(`Casus ${reference}`);
  });

  it('refuses when one of the signals has not been discussed, changing nothing', async () => {
    const ready = await discussed();
    const fresh = await fileTestSignal(bot, SANNE, HDB, { description: 'Nog niet besproken: verdachte bestelbus.' });
    const before = await caseCount();
    const answer = await ask(`casus maken ${ready.reference} ${fresh.reference}`, FATIMA, HDB);
    expect(answer.text).toBe('Alleen besproken signalen kunnen een casus worden.');
    expect(await caseCount()).toBe(before);
    expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: ready.id } })).status).toBe('besproken');
    expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe('nieuw');
    expect(await bot.db.prisma.auditEvent.findFirst({ where: { action: 'case.create', result: 'denied', actorAadId: FATIMA.aadObjectId }, orderBy: { id: 'desc' } }))
      .toMatchObject({ details: { code: 'notDiscussed' } });
  });

  it('refuses signals of two channels: from personal chat it says why, in a channel the other one is not even found', async () => {
    const here = await discussed();
    // (Kerngroep shows no signal at all, the mayor reads along there: it is filed there and moved from personal chat.)
    const there = await discussed({ channel: KERNGROEP_HDB });
    const before = await caseCount();
    const personal = await ask(`casus maken ${here.reference} ${there.reference}`, FATIMA, PERSONAL);
    expect(personal.text).toBe('Een casus bundelt signalen uit één kanaal.');
    const inChannel = await ask(`casus maken ${here.reference} ${there.reference}`, FATIMA, HDB);
    expect(inChannel.text).toBe(`Niet gevonden of geen toegang: ${there.reference}.`);
    expect((await ask(`casus maken ${here.reference} ${there.reference}`, FATIMA, { channel: KERNGROEP_HDB })).text).toBe(AUDIENCE);
    expect(await caseCount()).toBe(before);
    expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: here.id } })).status).toBe('besproken');
  });

  it('refuses a member', async () => {
    const a = await discussed();
    const b = await discussed();
    const before = await caseCount();
    expect((await ask(`casus maken ${a.reference} ${b.reference}`, SANNE, HDB)).text).toBe('Uw rol in dit kanaal staat dat niet toe.');
    expect((await ask(`casus maken ${a.reference} ${b.reference}`, DAAN, HDB)).text).toBe('Uw rol in dit kanaal staat dat niet toe.');
    expect(await caseCount()).toBe(before);
  });

  it('refuses a signal that already belongs to a case', async () => {
    const existing = await newCase();
    const other = await discussed();
    const before = await caseCount();
    const answer = await ask(`casus maken ${existing.signals[0].reference} ${other.reference}`, FATIMA, HDB);
    expect(answer.text).toBe('Een van de signalen hoort al bij een casus.');
    expect(await caseCount()).toBe(before);
  });

  it('asks for the signals when none are named, and names what it cannot find', async () => {
    expect((await ask('casus maken', FATIMA, HDB)).text).toBe('Noem de signalen, bijvoorbeeld: casus maken SIG-2026-0001 SIG-2026-0002.');
    expect((await ask('casus maken iets anders', FATIMA, HDB)).text).toBe('Noem de signalen, bijvoorbeeld: casus maken SIG-2026-0001 SIG-2026-0002.');
    expect((await ask('casus maken SIG-2026-9999', FATIMA, HDB)).text).toBe('Niet gevonden of geen toegang: SIG-2026-9999.');
  });

  it('works in English too', async () => {
    const a = await discussed();
    const replies = await say(bot, `make case ${a.reference}`, FATIMA, HDB, { locale: 'en-US' });
    const card = cardOf(replies[0]);
    const reference = texts(card).map((t) => /^Case (CASE-\d{4}-\d{4})$/.exec(t)?.[1]).find(Boolean);
    expect(reference).toMatch(CASE_REF);
    expect(texts(card)[0]).toBe(`Case ${reference} has been created.`);
    expect(texts(card)).toContain('Signalling');
  });
});

describe('opening and listing cases', () => {
  it('`casus CASE-…` opens the case card for members of the channel; coordinators get the buttons', async () => {
    const made = await newCase();
    const fatima = await ask(`casus ${made.reference}`, FATIMA, HDB);
    expect(texts(fatima.card as CardJson)).toEqual(expect.arrayContaining([`Casus ${made.reference}`, 'Signalering']));
    expect(texts(fatima.card as CardJson)[0]).toBe(`Casus ${made.reference}`); // no notice
    expect(caseButtons(fatima.card as CardJson)).toEqual(['Naar Verrijking/analyse', 'Afsluiten', 'Gegevens wijzigen']);
    const sanne = await ask(`casus ${made.reference.toLowerCase()}`, SANNE, HDB);
    expect(texts(sanne.card as CardJson)).toContain(`Casus ${made.reference}`);
    expect(caseButtons(sanne.card as CardJson)).toEqual([]);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'case.view', recordId: made.id, actorAadId: SANNE.aadObjectId, result: 'ok' } })).toBe(1);
  });

  it('keeps a case inside its channel and away from the mayor', async () => {
    const made = await newCase();
    const elsewhere = await ask(`casus ${made.reference}`, FATIMA, { channel: KERNGROEP_HDB });
    expect(elsewhere.text).toContain(`${made.reference} bestaat niet of u hebt er geen toegang toe.`);
    const zoutelaar = await ask(`casus ${made.reference}`, LOTTE, { channel: SIGNALEN_ZTL });
    expect(zoutelaar.text).toContain('bestaat niet of u hebt er geen toegang toe.');
    // The mayor sees only cases shared with her, and this one is not even of her channel.
    const mayor = await ask(`casus ${made.reference}`, INGRID, { channel: KERNGROEP_HDB });
    expect(mayor.text).toBe(`${made.reference} bestaat niet of u hebt er geen toegang toe.`);
    expect((await ask(`casus ${made.reference}`, INGRID, PERSONAL)).text).toBe(`${made.reference} bestaat niet of u hebt er geen toegang toe.`);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'case.view', actorAadId: FATIMA.aadObjectId, result: 'denied' } })).toBeGreaterThan(0);
  });

  it('shares a case with the mayor of its municipality on the coordinator\'s word, and takes it back', async () => {
    const made = await newCase();
    const shareButton = (card: CardJson) => (card.actions ?? []).find((a) => a.verb === 'case.share');
    // Only the coordinator gets the button; a member's attempt is refused, audited and changes nothing.
    const asSanne = await ask(`casus ${made.reference}`, SANNE, HDB);
    expect(shareButton(asSanne.card as CardJson)).toBeUndefined();
    const refused = cardAnswer(await bot.send(executeAction('case.share', { caseId: made.id, mode: 'share' }, SANNE, HDB)));
    expect(texts(refused).join(' ')).not.toContain('gedeeld met de burgemeester.');
    expect((await bot.db.prisma.case.findUniqueOrThrow({ where: { id: made.id } })).sharedWithMayorAt).toBeNull();
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'case.share', recordId: made.id, result: 'denied' } })).toBe(1);

    const button = shareButton(made.card);
    expect(button).toMatchObject({ title: 'Delen met burgemeester', data: { caseId: made.id, mode: 'share' } });
    const shared = cardAnswer(await bot.send(executeAction('case.share', button?.data ?? {}, FATIMA, HDB)));
    expect(texts(shared)).toContain('De casus is gedeeld met de burgemeester.');
    expect(factOf(shared, 'Burgemeester')).toMatch(/^gedeeld sinds /);
    expect(shareButton(shared)).toMatchObject({ title: 'Delen met burgemeester intrekken', data: { mode: 'unshare' } });
    // Pressed twice: one journal entry, one audit event.
    cardAnswer(await bot.send(executeAction('case.share', button?.data ?? {}, FATIMA, HDB)));
    expect(await bot.db.prisma.journalEntry.count({ where: { caseId: made.id, text: 'Casus gedeeld met de burgemeester.' } })).toBe(1);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'case.share', recordId: made.id, result: 'ok' } })).toBe(1);

    // Ingrid is mayor in Kerngroep Heidebroek, not a member of Signalen: as mayor of Heidebroek she now sees the case
    // in her personal chat, without its signals' references and without buttons.
    const mayor = await ask(`casus ${made.reference}`, INGRID, PERSONAL);
    const seen = mayor.card as CardJson;
    expect(texts(seen)).toContain(`Casus ${made.reference}`);
    expect(texts(seen).join(' ')).not.toContain(made.signals[0].reference);
    expect(caseButtons(seen)).toEqual([]);
    expect(shareButton(seen)).toBeUndefined();
    const list = await ask('casussen', INGRID, PERSONAL);
    expect(texts(list.card as CardJson).join(' ')).toContain(made.reference);
    // Not its journal: that is the officers' working record.
    expect((await ask(`journaal ${made.reference}`, INGRID, PERSONAL)).text).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');

    cardAnswer(await bot.send(executeAction('case.share', { caseId: made.id, mode: 'unshare' }, FATIMA, HDB)));
    expect((await ask(`casus ${made.reference}`, INGRID, PERSONAL)).text).toBe(`${made.reference} bestaat niet of u hebt er geen toegang toe.`);
    expect(await bot.db.prisma.journalEntry.count({ where: { caseId: made.id, text: 'Delen met de burgemeester ingetrokken.' } })).toBe(1);
  });

  it('`casussen` lists the open cases of the channel, newest first, without closed ones', async () => {
    const older = await newCase();
    const closed = await newCase();
    const newer = await newCase();
    await phase(closed.id, FATIMA, 'afgesloten', 'Geen grond voor maatregelen gevonden.');
    const { card } = await ask('casussen', SANNE, HDB);
    const list = card as CardJson;
    const shown = texts(list);
    expect(shown[0]).toBe('Lopende casussen');
    const rows = shown.filter((t) => t.startsWith('**CASE-'));
    const refs = rows.map((r) => /^\*\*(CASE-\d{4}-\d{4})\*\*/.exec(r)?.[1]);
    expect(refs).toContain(older.reference);
    expect(refs).toContain(newer.reference);
    expect(refs).not.toContain(closed.reference);
    expect(refs.indexOf(newer.reference)).toBeLessThan(refs.indexOf(older.reference));
    expect(shown).toContain(`${older.signals[0].reference}, ${older.signals[1].reference}`);
    // Sanne is a member: the secret case of an earlier test is not hers to see, nor to count.
    const openCount = await bot.db.prisma.case.count({ where: { phase: { not: 'afgesloten' }, confidentiality: { not: 'geheim' }, scope: { channelId: SIGNALEN_HDB.id } } });
    expect(shown.find((t) => t.includes(' van '))).toMatch(new RegExp(`^1–${Math.min(openCount, 10)} van ${openCount}\\.`));
    // A row opens its case.
    const row = elements(list).find((e) => (e as CardElement & { selectAction?: { data?: { reference?: string } } }).selectAction?.data?.reference === newer.reference) as
      CardElement & { selectAction: { type: string; verb: string; data: Record<string, unknown> } };
    expect(row.selectAction).toMatchObject({ type: 'Action.Execute', verb: 'record.open' });
    const opened = cardAnswer(await bot.send(executeAction('record.open', row.selectAction.data, SANNE, HDB)));
    expect(texts(opened)).toContain(`Casus ${newer.reference}`);
    // Another channel's list does not show them.
    const kern = await ask('casussen', FATIMA, { channel: KERNGROEP_HDB });
    expect(texts(kern.card as CardJson).join('\n')).not.toContain(newer.reference);
  });
});

describe('phases', () => {
  it('moves forward without a reason, records it, and offers the next step', async () => {
    const made = await newCase();
    const card = await phase(made.id, FATIMA, 'verrijking');
    expect(texts(card)[0]).toBe('Fase gewijzigd.');
    expect(texts(card)).toContain('Verrijking/analyse');
    expect(caseButtons(card)).toEqual(['Naar Interventie', 'Terug naar Signalering', 'Afsluiten', 'Gegevens wijzigen']);
    expect(await stored(made.id)).toMatchObject({ phase: 'verrijking', phaseReason: null });
    expect(await bot.db.prisma.statusChange.findFirst({ where: { caseId: made.id, transition: 'forward' } })).toMatchObject({ fromState: 'signalering', toState: 'verrijking', actorAadId: FATIMA.aadObjectId });
    expect(await bot.db.prisma.auditEvent.findFirst({ where: { action: 'case.phase', recordId: made.id, result: 'ok' } })).toMatchObject({ details: { from: 'signalering', to: 'verrijking' } });
    expect(texts(await phase(made.id, PIETER, 'interventie'))).toContain('Interventie');
    expect(texts(await phase(made.id, PIETER, 'evaluatie'))).toContain('Evaluatie');
    expect((await stored(made.id)).phase).toBe('evaluatie');
  });

  it('needs a reason of at least 5 characters to go back, close or reopen; the buttons ask for one', async () => {
    const made = await newCase();
    await phase(made.id, FATIMA, 'verrijking');
    const card = await phase(made.id, FATIMA, 'signalering');
    expect(texts(card)[0]).toBe('Geef een reden van minstens 5 tekens; die wordt vastgelegd.');
    expect((await stored(made.id)).phase).toBe('verrijking');
    const back = (card.actions ?? []).find((a) => a.title === 'Terug naar Signalering') as CardElement & { card: CardJson };
    expect(back.type).toBe('Action.ShowCard');
    expect(input(back.card, 'reason_signalering')).toMatchObject({ type: 'Input.Text', isRequired: true } as Partial<CardElement>);
    expect(back.card.actions?.[0]).toMatchObject({ type: 'Action.Execute', verb: 'case.phase', data: { caseId: made.id, to: 'signalering' } });

    expect(texts(await phase(made.id, FATIMA, 'signalering', 'kort'))[0]).toBe('Geef een reden van minstens 5 tekens; die wordt vastgelegd.');
    expect(texts(await phase(made.id, FATIMA, 'signalering', 'x'.repeat(1001)))[0]).toBe('De reden is te lang (hoogstens 1000 tekens).');
    const moved = await phase(made.id, FATIMA, 'signalering', 'Eerst meer informatie van de politie.');
    expect(texts(moved)).toEqual(expect.arrayContaining(['Signalering', 'Reden: Eerst meer informatie van de politie.']));
    expect(await stored(made.id)).toMatchObject({ phase: 'signalering', phaseReason: 'Eerst meer informatie van de politie.' });

    expect(texts(await phase(made.id, FATIMA, 'afgesloten'))[0]).toBe('Geef een reden van minstens 5 tekens; die wordt vastgelegd.');
    const closed = await phase(made.id, FATIMA, 'afgesloten', 'Geen aanwijzingen voor ondermijning.');
    expect(texts(closed)).toContain('Afgesloten');
    expect(caseButtons(closed)).toEqual(['Heropenen', 'Gegevens wijzigen']);
    expect(texts(await phase(made.id, FATIMA, 'evaluatie'))[0]).toBe('Geef een reden van minstens 5 tekens; die wordt vastgelegd.');
    const reopened = await phase(made.id, PIETER, 'evaluatie', 'Nieuwe melding over hetzelfde pand.');
    expect(texts(reopened)).toContain('Evaluatie');
    const history = await bot.db.prisma.statusChange.findMany({ where: { caseId: made.id }, orderBy: { id: 'asc' } });
    expect(history.map((h) => `${h.transition}:${h.toState}`)).toEqual(['aanmaken:signalering', 'forward:verrijking', 'back:signalering', 'close:afgesloten', 'reopen:evaluatie']);
  });

  it.each([
    ['skipping a phase', FATIMA, 'interventie', 'Die fase is vanuit de huidige fase niet bereikbaar.'],
    ['an unknown phase', FATIMA, 'archief', 'Die fase is vanuit de huidige fase niet bereikbaar.'],
    ['the phase it is in', FATIMA, 'signalering', 'De casus staat al in die fase.'],
    ['a member moving it', SANNE, 'verrijking', 'Uw rol in dit kanaal staat dat niet toe.'],
  ])('refuses %s', async (_what, user, to, notice) => {
    const made = await newCase();
    const card = await phase(made.id, user, to, 'Een reden die lang genoeg is.');
    expect(texts(card)[0]).toBe(notice);
    expect((await stored(made.id)).phase).toBe('signalering');
    expect(await bot.db.prisma.statusChange.count({ where: { caseId: made.id } })).toBe(1);
  });

  it('answers a phase change or edit of a case the caller cannot see with the no-access notice, changing nothing', async () => {
    const made = await newCase();
    // (The notice reuses the signal wording, "…tot dit signaal.", for a case: reported.)
    const res = await bot.send(executeAction('case.phase', { caseId: made.id, to: 'verrijking' }, FATIMA, { channel: KERNGROEP_HDB }));
    const notice = texts(cardAnswer(res));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/^U hebt geen toegang \(meer\) tot (dit|deze) /);
    expect((await stored(made.id)).phase).toBe('signalering');
    const unknown = await bot.send(executeAction('case.phase', { caseId: randomUUID(), to: 'verrijking' }, FATIMA, HDB));
    expect(texts(cardAnswer(unknown))).toEqual(notice);
    const update = await bot.send(executeAction('case.update', { caseId: made.id, title: 'Overgenomen', measures: 'bibob' }, FATIMA, { channel: KERNGROEP_HDB }));
    expect(texts(cardAnswer(update))).toEqual(notice);
    expect((await stored(made.id)).measures).toEqual([]);
  });
});

describe('case details (case.update)', () => {
  it('records measures, lead, target date and title, and shows them', async () => {
    const made = await newCase();
    const card = await update(made.id, FATIMA, { title: '  Hennepkwekerij   Industrieweg ', measures: 'bibob,sluiting_13b', leadAadId: DAAN.aadObjectId, targetDate: '2027-03-01' });
    expect(texts(card)[0]).toBe('Casusgegevens opgeslagen.');
    expect(texts(card)).toContain('Hennepkwekerij Industrieweg');
    expect(factOf(card, 'Maatregelen')).toBe('Bibob-toets, Sluiting (art. 13b Opiumwet)');
    expect(factOf(card, 'Casusregisseur')).toBe('Daan Jansen');
    expect(factOf(card, 'Streefdatum')).toBe('1 maart 2027');
    const row = await stored(made.id);
    expect(row).toMatchObject({ title: 'Hennepkwekerij Industrieweg', measures: ['bibob', 'sluiting_13b'], leadAadId: DAAN.aadObjectId, leadName: 'Daan Jansen' });
    expect(row.targetDate?.toISOString().slice(0, 10)).toBe('2027-03-01');
    expect(await bot.db.prisma.auditEvent.findFirst({ where: { action: 'case.update', recordId: made.id, result: 'ok' } })).toMatchObject({ actorAadId: FATIMA.aadObjectId });

    // The edit form shows the current values.
    const edit = (card.actions ?? []).find((a) => a.title === 'Gegevens wijzigen') as CardElement & { card: CardJson };
    expect(input(edit.card, 'title')?.value).toBe('Hennepkwekerij Industrieweg');
    expect(input(edit.card, 'measures')?.value).toBe('bibob,sluiting_13b');
    expect(input(edit.card, 'leadAadId')?.value).toBe(DAAN.aadObjectId);
    expect(input(edit.card, 'targetDate')?.value).toBe('2027-03-01');
    expect(input(edit.card, 'measures')?.choices?.map((c) => c.value)).toEqual(['sluiting_13b', 'bibob', 'last_onder_dwangsom', 'integrale_controle', 'anders']);
    expect(input(edit.card, 'leadAadId')?.choices?.map((c) => c.title)).toEqual(['Daan Jansen', 'Fatima El Amrani', 'Pieter Bakker', 'Sanne de Vries']);

    // Clearing: no measures, no lead, no date; a measure named twice is stored once.
    const cleared = await update(made.id, PIETER, { measures: 'anders,anders' });
    expect(factOf(cleared, 'Maatregelen')).toBe('Anders');
    expect(factOf(cleared, 'Casusregisseur')).toBe('Nog niet aangewezen');
    expect(factOf(cleared, 'Streefdatum')).toBe('Geen');
    expect(await stored(made.id)).toMatchObject({ measures: ['anders'], leadAadId: null, targetDate: null });
  });

  it.each([
    ['an unknown measure', { measures: 'bibob,huisuitzetting' }, 'Controleer het veld Maatregelen.'],
    ['a title that is too short', { title: 'x' }, 'Controleer het veld Titel.'],
    ['an impossible target date', { targetDate: '2027-02-30' }, 'Controleer het veld Streefdatum.'],
    ['a lead from another channel', { leadAadId: LOTTE.aadObjectId }, 'Die persoon is geen lid van dit kanaal.'],
    ['the mayor as lead', { leadAadId: INGRID.aadObjectId }, 'Die persoon is geen lid van dit kanaal.'],
  ])('refuses %s, changing nothing', async (_what, fields, notice) => {
    const made = await newCase();
    const before = await stored(made.id);
    const typed = { title: 'Hennepteelt Industrieweg', measures: 'bibob', leadAadId: '', targetDate: '', ...fields };
    const card = await update(made.id, FATIMA, typed);
    expect(texts(card)[0]).toBe(notice);
    const after = await stored(made.id);
    expect(after).toMatchObject({ title: before.title, measures: before.measures, leadAadId: before.leadAadId, targetDate: before.targetDate });
    // The edit form holds what was typed, not the stored values: correcting one field needs no retyping.
    const edit = (card.actions ?? []).find((a) => a.title === 'Gegevens wijzigen') as CardElement & { card: CardJson };
    expect([input(edit.card, 'title')?.value, input(edit.card, 'measures')?.value, input(edit.card, 'leadAadId')?.value, input(edit.card, 'targetDate')?.value])
      .toEqual([typed.title, typed.measures, typed.leadAadId, typed.targetDate]);
  });

  it('refuses a member', async () => {
    const made = await newCase();
    const card = await update(made.id, SANNE, { measures: 'bibob', leadAadId: SANNE.aadObjectId });
    expect(texts(card)[0]).toBe('Uw rol in dit kanaal staat dat niet toe.');
    expect(await stored(made.id)).toMatchObject({ measures: [], leadAadId: FATIMA.aadObjectId });
  });
});
