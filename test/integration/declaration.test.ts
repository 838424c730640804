// The confidentiality declaration gate: nothing of a municipality's data before its current declaration is accepted.
import { DAAN, FATIMA, SANNE, SIGNALEN_HDB, acceptDeclarations, action, cardOf, executeAction, message, repliesTo, startTestBot, taskFetch, texts,
  validSignalInput, type CardJson, type TestBot } from '../support/harness';

let bot: TestBot;
beforeAll(async () => { bot = await startTestBot({ declarations: 'pending' }); });
afterAll(async () => { await bot.stop(); });
beforeEach(() => bot.stub.clear());

const place = { channel: SIGNALEN_HDB };

describe('the confidentiality declaration', () => {
  it('answers any data command with the declaration until it is accepted, then lets the user through', async () => {
    const first = message('signalen', SANNE, place);
    await bot.send(first);
    const card = cardOf(repliesTo(bot.stub, first)[0]);
    expect(texts(card)[0]).toBe('Vertrouwelijkheidsverklaring');
    expect(texts(card).join(' ')).toContain('Gemeente Heidebroek');
    const accept = action(card, (a) => a.type === 'Action.Execute');
    expect(accept.verb).toBe('declaration.accept');

    const res = await bot.send(executeAction('declaration.accept', accept.data ?? {}, SANNE, place));
    expect(texts((res.body as { value: CardJson }).value)).toContain('Dank u. Uw aanvaarding is vastgelegd.');
    const stored = await bot.db.prisma.declarationAcceptance.findMany({ where: { aadObjectId: SANNE.aadObjectId } });
    expect(stored).toHaveLength(1);
    expect(await bot.db.prisma.auditEvent.count({ where: { actorAadId: SANNE.aadObjectId, action: 'declaration.accept', result: 'ok' } })).toBe(1);

    const after = message('signalen', SANNE, place);
    await bot.send(after);
    expect(texts(cardOf(repliesTo(bot.stub, after)[0]))[0]).toBe('Signalen');
  });

  it('guards card actions and dialogs too, and lets help through', async () => {
    const before = await bot.db.prisma.signal.count();
    const submit = await bot.send(executeAction('signal.submit', { nonce: 'gate', ...validSignalInput() }, DAAN, place));
    expect(texts((submit.body as { value: CardJson }).value)[0]).toBe('Vertrouwelijkheidsverklaring');
    expect(await bot.db.prisma.signal.count()).toBe(before);
    const dialog = await bot.send(taskFetch({}, DAAN, place));
    expect((dialog.body as { task: unknown }).task).toEqual({ type: 'message', value: 'Aanvaard eerst de vertrouwelijkheidsverklaring: stuur Weerbaar een bericht in de chat.' });
    const help = message('help', DAAN, place);
    await bot.send(help);
    expect(texts(cardOf(repliesTo(bot.stub, help)[0]))[0]).toBe('Weerbaar');
  });

  it('asks again for a new version, and refuses accepting a version that was not shown', async () => {
    await acceptDeclarations(bot.db, [FATIMA.aadObjectId]);
    const heidebroek = await bot.db.prisma.municipality.findUniqueOrThrow({ where: { code: 'HDB' } });
    await bot.db.prisma.confidentialityDeclaration.create({ data: { municipalityId: heidebroek.id, version: 2, textNl: 'Nieuwe tekst van de verklaring.', textEn: 'New declaration text.' } });
    const asked = message('signalen', FATIMA, place);
    await bot.send(asked);
    const card = cardOf(repliesTo(bot.stub, asked)[0]);
    expect(texts(card)).toContain('Nieuwe tekst van de verklaring.');
    const stale = await bot.send(executeAction('declaration.accept', { municipalityId: heidebroek.id, version: '1' }, FATIMA, place));
    expect(texts((stale.body as { value: CardJson }).value)).toEqual(['Deze verklaring is niet (meer) de actuele. Typ help om verder te gaan.']);
    const ok = await bot.send(executeAction('declaration.accept', action(card, (a) => a.type === 'Action.Execute').data ?? {}, FATIMA, place));
    expect(texts((ok.body as { value: CardJson }).value)).toContain('Dank u. Uw aanvaarding is vastgelegd.');
    expect((await bot.db.prisma.declarationAcceptance.findMany({ where: { aadObjectId: FATIMA.aadObjectId, municipalityId: heidebroek.id } })).map((a) => a.version).sort())
      .toEqual([1, 2]);
  });
});
