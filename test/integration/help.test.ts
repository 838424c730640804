import { FATIMA, SIGNALEN_HDB, action, cardOf, executeAction, input, message, repliesTo, startTestBot, texts, type TestBot } from '../support/harness';

let bot: TestBot;
beforeAll(async () => { bot = await startTestBot(); });
afterAll(async () => { await bot.stop(); });
beforeEach(() => bot.stub.clear());

describe('help', () => {
  it('answers `help` in a channel with the help card in Dutch', async () => {
    const activity = message('help', FATIMA, { channel: SIGNALEN_HDB });
    const res = await bot.send(activity);
    expect(res.status).toBe(200);
    const replies = repliesTo(bot.stub, activity);
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0]);
    expect(card.type).toBe('AdaptiveCard');
    expect(texts(card)).toEqual(expect.arrayContaining(['Weerbaar', 'Opdrachten', 'nieuw signaal']));
    expect(texts(card).join(' ')).not.toContain('Die opdracht ken ik niet');
  });

  it('answers in English for an English Teams client', async () => {
    const activity = message('help', FATIMA, { personal: true }, { locale: 'en-US' });
    await bot.send(activity);
    const card = cardOf(repliesTo(bot.stub, activity)[0]);
    expect(texts(card)).toEqual(expect.arrayContaining(['Commands', 'new signal']));
  });

  it('answers an unknown text with the help card, saying it did not understand', async () => {
    const activity = message('wat is het weer morgen', FATIMA, { personal: true });
    await bot.send(activity);
    const card = cardOf(repliesTo(bot.stub, activity)[0]);
    expect(texts(card)).toEqual(expect.arrayContaining(['Die opdracht ken ik niet. Dit kan ik wel:', 'Opdrachten']));
  });

  it('turns the help card into the signal form from its button', async () => {
    const activity = message('help', FATIMA, { channel: SIGNALEN_HDB });
    await bot.send(activity);
    const button = action(cardOf(repliesTo(bot.stub, activity)[0]), (a) => a.type === 'Action.Execute');
    expect(button.title).toBe('Nieuw signaal');
    const res = await bot.send(executeAction(button.verb ?? '', button.data ?? {}, FATIMA, { channel: SIGNALEN_HDB }));
    const form = (res.body as { value: Parameters<typeof input>[0] }).value;
    expect(texts(form)).toContain('Nieuw signaal');
    expect(input(form, 'description')).toBeDefined();
  });

  it('strips the @mention in a channel before reading the command', async () => {
    const activity = { ...message('<at>Weerbaar</at> help', FATIMA, { channel: SIGNALEN_HDB }),
      entities: [{ type: 'mention', text: '<at>Weerbaar</at>', mentioned: { id: '28:weerbaar-bot', name: 'Weerbaar' } }] };
    await bot.send(activity);
    const card = cardOf(repliesTo(bot.stub, activity)[0]);
    expect(texts(card).join(' ')).not.toContain('Die opdracht ken ik niet');
  });
});
