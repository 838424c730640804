import {
  DAAN, FATIMA, INGRID, LOTTE, SANNE, SIGNALEN_HDB, SIGNALEN_ZTL, KERNGROEP_HDB,
  action, cardOf, elements, executeAction, input, message, referenceIn, repliesTo, startTestBot, taskFetch, taskSubmit, texts, validSignalInput,
  type CardJson, type TestBot,
} from '../support/harness';

let bot: TestBot;
// A fixed clock: "today" is 23 November 2026 in the Netherlands.
const NOW = new Date('2026-11-23T10:00:00Z');
beforeAll(async () => { bot = await startTestBot({ now: () => NOW }); });
afterAll(async () => { await bot.stop(); });
beforeEach(() => bot.stub.clear());

interface InvokeBody { statusCode?: number; type?: string; value?: unknown; task?: { type: string; value: unknown } }

async function openInlineForm(user = SANNE, place: Parameters<typeof message>[2] = { channel: SIGNALEN_HDB }): Promise<CardJson> {
  const activity = message('nieuw signaal', user, place);
  expect((await bot.send(activity)).status).toBe(200);
  const replies = repliesTo(bot.stub, activity);
  expect(replies).toHaveLength(1);
  return cardOf(replies[0]);
}

function submitData(form: CardJson): Record<string, unknown> {
  return action(form, (a) => a.type === 'Action.Execute' && a.verb === 'signal.submit').data ?? {};
}

async function executeSubmit(data: Record<string, unknown>, user = SANNE, place: Parameters<typeof message>[2] = { channel: SIGNALEN_HDB }) {
  const res = await bot.send(executeAction('signal.submit', data, user, place));
  expect(res.status).toBe(200);
  const body = res.body as InvokeBody;
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value as CardJson;
}

const signalCount = () => bot.db.prisma.signal.count();
const AUDIENCE = 'Dat laat ik hier niet zien: niet iedereen die hier meeleest mag het zien. Vraag het in uw persoonlijke chat met Weerbaar.';

describe('filing a signal inline (Action.Execute)', () => {
  it('offers the form with the municipality phenomena, an Action.Execute submit and a dialog button', async () => {
    const form = await openInlineForm();
    expect(input(form, 'phenomenon')?.choices?.map((c) => c.value)).toEqual(expect.arrayContaining(['hennepteelt', 'drugslab', 'overig']));
    expect(input(form, 'description')).toBeDefined();
    for (const id of ['street', 'houseNumber', 'postcode', 'place', 'sourceType', 'sourceReliability', 'informationReliability', 'legalBasis', 'person1Name', 'company1Kvk']) {
      expect(input(form, id)).toBeDefined();
    }
    expect(input(form, 'observedOn')?.value).toBe('2026-11-23');
    expect(input(form, 'scopeId')).toBeUndefined(); // in a channel the scope is the channel
    expect(submitData(form).nonce).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
    expect(action(form, (a) => a.type === 'Action.Submit').data).toMatchObject({ msteams: { type: 'task/fetch' }, verb: 'signal.form' });
  });

  it('stores the signal with a reference, audits it, and answers with the signal card', async () => {
    const before = await signalCount();
    const form = await openInlineForm();
    const card = await executeSubmit({ ...submitData(form), ...validSignalInput() });
    const shown = texts(card);
    expect(shown.some((t) => /^Signaal SIG-2026-\d{4}$/.test(t))).toBe(true);
    expect(shown).toEqual(expect.arrayContaining(['Hennepteelt · Industrieweg 12, 1234 AB Heidebroek', 'Sanne de Vries', 'Signalen Heidebroek', '20 november 2026', 'Nieuw']));
    expect(await signalCount()).toBe(before + 1);
    const stored = await bot.db.prisma.signal.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(stored).toMatchObject({ phenomenon: 'hennepteelt', status: 'nieuw', reporterAadId: SANNE.aadObjectId });
    const audit = await bot.db.prisma.auditEvent.findMany({ where: { recordId: stored.id, action: 'signal.file' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorAadId: SANNE.aadObjectId, scopeId: stored.scopeId, result: 'ok' });
  });

  it('returns the form with errors next to the fields and the input kept, storing nothing', async () => {
    const before = await signalCount();
    const form = await openInlineForm();
    const data = { ...submitData(form), ...validSignalInput({ phenomenon: 'onbekend', description: 'kort', street: 'Markt', houseNumber: '1', observedOn: '2026-12-24' }) };
    const again = await executeSubmit(data);
    const shown = texts(again);
    expect(shown).toEqual(expect.arrayContaining([
      'Niet alles is goed ingevuld. Pas de gemarkeerde velden aan; uw invoer is bewaard.',
      'Kies een van de mogelijkheden uit de lijst.',
      'Te kort: gebruik minstens 10 tekens.',
      'De datum ligt in de toekomst.',
    ]));
    // Each error stands right after its field.
    const order = elements(again).map((e) => e.id ?? e.text);
    expect(order[order.indexOf('description') + 1]).toBe('Te kort: gebruik minstens 10 tekens.');
    expect(order[order.indexOf('observedOn') + 1]).toBe('De datum ligt in de toekomst.');
    expect(input(again, 'description')?.value).toBe('kort');
    expect(input(again, 'street')?.value).toBe('Markt');
    expect(input(again, 'observedOn')?.value).toBe('2026-12-24');
    expect(submitData(again).nonce).toBe(submitData(form).nonce);
    expect(await signalCount()).toBe(before);
  });

  it('words the errors in English for an English client', async () => {
    const res = await bot.send(executeAction('signal.submit', { nonce: 'en-errors', description: '' }, SANNE, { channel: SIGNALEN_HDB }, { locale: 'en-GB' }));
    const shown = texts((res.body as InvokeBody).value as CardJson);
    expect(shown).toEqual(expect.arrayContaining(['This field is required.', 'Some fields need attention. Correct the marked fields; your input has been kept.']));
  });

  it('stores nothing new for a repeated submit of the same card and answers the same', async () => {
    const form = await openInlineForm();
    const data = { ...submitData(form), ...validSignalInput({ description: "Dubbel verstuurd formulier: bestelbus laadt 's nachts zakken." }) };
    const first = await executeSubmit(data);
    const count = await signalCount();
    const second = await executeSubmit(data);
    expect(second).toEqual(first);
    expect(await signalCount()).toBe(count);
  });

  it('treats concurrent repeats of one submit as one signal', async () => {
    const form = await openInlineForm();
    const data = { ...submitData(form), ...validSignalInput({ description: 'Vijf keer tegelijk verstuurd door een haperende verbinding.' }) };
    const before = await signalCount();
    const cards = await Promise.all(Array.from({ length: 5 }, () => executeSubmit(data)));
    expect(await signalCount()).toBe(before + 1);
    for (const c of cards) expect(texts(c)).toEqual(texts(cards[0]));
  });

  it('gives 20 concurrent submits 20 distinct consecutive references', async () => {
    const forms = await Promise.all(Array.from({ length: 20 }, () => openInlineForm(DAAN)));
    const cards = await Promise.all(forms.map((f, i) => executeSubmit({ ...submitData(f), ...validSignalInput({ description: `Gelijktijdige melding nummer ${i + 1} over een verdachte loods.` }) }, DAAN)));
    const refs = cards.map(referenceIn);
    const numbers = refs.map((r) => Number(r.split('-')[2])).sort((a, b) => a - b);
    expect(new Set(refs).size).toBe(20);
    expect(numbers[19] - numbers[0]).toBe(19);
    // And no gaps in the whole municipality sequence.
    const all = await bot.db.prisma.signal.findMany({ where: { municipality: { code: 'HDB' } }, select: { reference: true } });
    const seq = all.map((s) => Number(s.reference.split('-')[2])).sort((a, b) => a - b);
    expect(seq).toEqual(seq.map((_, i) => i + 1));
  });
});

describe('filing a signal through the dialog (task/fetch, task/submit)', () => {
  it('opens the form as a dialog and closes it on a valid submit, posting the signal card', async () => {
    const fetched = await bot.send(taskFetch({}, SANNE, { channel: SIGNALEN_HDB }));
    expect(fetched.status).toBe(200);
    const task = (fetched.body as InvokeBody).task;
    expect(task?.type).toBe('continue');
    const form = (task?.value as { card: { content: CardJson } }).card.content;
    const submit = action(form, (a) => a.type === 'Action.Submit');
    expect(submit.data).toMatchObject({ verb: 'signal.form' });
    expect((form.actions ?? []).some((a) => a.type === 'Action.Execute')).toBe(false);

    const before = await signalCount();
    const activity = taskSubmit({ ...submit.data, ...validSignalInput({ phenomenon: 'drugslab' }) }, SANNE, { channel: SIGNALEN_HDB });
    const res = await bot.send(activity);
    const answer = (res.body as InvokeBody).task;
    expect(answer?.type).toBe('message');
    expect(answer?.value).toMatch(/^Signaal SIG-2026-\d{4} is vastgelegd\.$/);
    expect(await signalCount()).toBe(before + 1);
    const posted = repliesTo(bot.stub, activity);
    expect(posted).toHaveLength(1);
    expect(texts(cardOf(posted[0]))).toEqual(expect.arrayContaining(['Drugslab · Industrieweg 12, 1234 AB Heidebroek']));

    // The same dialog submitted again: same answer, nothing stored, nothing posted.
    bot.stub.clear();
    const repeat = await bot.send(activity);
    expect((repeat.body as InvokeBody).task).toEqual(answer);
    expect(await signalCount()).toBe(before + 1);
    expect(repliesTo(bot.stub, activity)).toHaveLength(0);
  });

  it('keeps the dialog open with errors and the input kept', async () => {
    const res = await bot.send(taskSubmit({ nonce: 'dialog-errors', ...validSignalInput({ place: 'x' }) }, SANNE, { channel: SIGNALEN_HDB }));
    const task = (res.body as InvokeBody).task;
    expect(task?.type).toBe('continue');
    const card = (task?.value as { card: { content: CardJson } }).card.content;
    expect(texts(card)).toContain('Te kort: gebruik minstens 2 tekens.');
    expect(input(card, 'place')?.value).toBe('x');
    expect(input(card, 'description')?.value).toBe(validSignalInput().description);
  });
});

describe('personal chat', () => {
  it('asks which of the caller\'s scopes the signal is for, and files it there', async () => {
    const form = await openInlineForm(FATIMA, { personal: true });
    const choices = input(form, 'scopeId')?.choices ?? [];
    expect(choices.map((c) => c.title).sort()).toEqual(['Kerngroep Heidebroek', 'Signalen Heidebroek', 'Signalen Zoutelaar']);
    const missing = await executeSubmit({ ...submitData(form), ...validSignalInput() }, FATIMA, { personal: true });
    expect(texts(missing)).toContain('Dit veld is verplicht.');

    const zoutelaar = choices.find((c) => c.title === 'Signalen Zoutelaar')?.value;
    const card = await executeSubmit({ ...submitData(form), ...validSignalInput({ phenomenon: 'domiciliefraude', postcode: '9000', street: 'Kerkstraat', place: 'Zoutelaar', legalBasis: 'wet_bestuurlijke_handhaving' }), scopeId: zoutelaar }, FATIMA, { personal: true });
    expect(texts(card)).toEqual(expect.arrayContaining(['Signaal SIG-2026-0001', 'Domiciliefraude · Kerkstraat 12, 9000 Zoutelaar', 'Signalen Zoutelaar']));
  });

  it('refuses a scope the caller is not a member of', async () => {
    const zoutelaarScope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_ZTL.id } });
    const before = await signalCount();
    const card = await executeSubmit({ nonce: 'foreign-scope', ...validSignalInput(), scopeId: zoutelaarScope.id }, SANNE, { personal: true });
    expect(texts(card)).toContain('Kies een van de mogelijkheden uit de lijst.');
    expect(await signalCount()).toBe(before);
  });
});

describe('scoping', () => {
  it('a second channel can neither list nor open the first channel\'s signal', async () => {
    const form = await openInlineForm(SANNE);
    const card = await executeSubmit({ ...submitData(form), ...validSignalInput({ description: 'Alleen voor het kanaal Signalen Heidebroek bestemd.' }) });
    const reference = referenceIn(card);
    expect(reference).toMatch(/^SIG-2026-\d{4}$/);

    // Fatima is in all three channels. The mayor reads along in Kerngroep Heidebroek: no signal is shown there.
    const list = message('signalen', FATIMA, { channel: KERNGROEP_HDB });
    await bot.send(list);
    expect(repliesTo(bot.stub, list)[0].activity.text).toBe(AUDIENCE);
    const open = message(`signaal ${reference}`, FATIMA, { channel: KERNGROEP_HDB });
    await bot.send(open);
    expect(repliesTo(bot.stub, open)[0].activity.text).toBe(AUDIENCE);

    // In Signalen Zoutelaar, where she may see signals, she sees only that channel's. (Zoutelaar numbers its own
    // signals: make sure this reference does not also name one of those.)
    expect(await bot.db.prisma.signal.count({ where: { reference, scope: { channelId: SIGNALEN_ZTL.id } } })).toBe(0);
    const ztlList = message('signalen', FATIMA, { channel: SIGNALEN_ZTL });
    await bot.send(ztlList);
    expect(texts(cardOf(repliesTo(bot.stub, ztlList)[0])).join('\n')).not.toContain(reference);
    const ztlOpen = message(`signaal ${reference}`, FATIMA, { channel: SIGNALEN_ZTL });
    await bot.send(ztlOpen);
    expect(repliesTo(bot.stub, ztlOpen)[0].activity.text).toBe(`${reference} bestaat niet of u hebt er geen toegang toe.`);

    // Lotte (Zoutelaar only) cannot open it from her personal chat either.
    const foreign = message(`signaal ${reference}`, LOTTE, { personal: true });
    await bot.send(foreign);
    expect(repliesTo(bot.stub, foreign)[0].activity.text).toContain('bestaat niet of u hebt er geen toegang toe');

    // In its own channel it is listed and opens.
    const own = message('signalen', SANNE, { channel: SIGNALEN_HDB });
    await bot.send(own);
    expect(texts(cardOf(repliesTo(bot.stub, own)[0])).join('\n')).toContain(reference);
    const openOwn = message(`signaal ${reference.toLowerCase()}`, SANNE, { channel: SIGNALEN_HDB });
    await bot.send(openOwn);
    expect(texts(cardOf(repliesTo(bot.stub, openOwn)[0]))).toContain(`Signaal ${reference}`);

    const views = await bot.db.prisma.auditEvent.findMany({ where: { action: 'signal.view', actorAadId: FATIMA.aadObjectId } });
    expect(views.some((v) => v.result === 'denied')).toBe(true);
  });

  it('gives the mayor no access to individual signals', async () => {
    const activity = message('signalen', INGRID, { channel: KERNGROEP_HDB });
    await bot.send(activity);
    expect(repliesTo(bot.stub, activity)[0].activity.text).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
  });

  it('refuses activities from a tenant that is not on the allow-list, writing nothing', async () => {
    const audits = await bot.db.prisma.auditEvent.count();
    const signals = await signalCount();
    const other = { tenantId: '11111111-2222-3333-4444-555555555555' };
    const activity = message('nieuw signaal', SANNE, { channel: SIGNALEN_HDB }, other);
    await bot.send(activity);
    expect(repliesTo(bot.stub, activity)[0].activity.text).toBe('Weerbaar is niet beschikbaar voor uw organisatie.');
    const res = await bot.send(executeAction('signal.submit', { nonce: 'other-tenant', ...validSignalInput() }, SANNE, { channel: SIGNALEN_HDB }, other));
    expect(texts((res.body as InvokeBody).value as CardJson)).toContain('Weerbaar is niet beschikbaar voor uw organisatie.');
    expect(await bot.db.prisma.auditEvent.count()).toBe(audits);
    expect(await signalCount()).toBe(signals);
  });
});
