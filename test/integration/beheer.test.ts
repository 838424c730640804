// The beheer card over real HTTP: `beheer` / `admin` for the admins of a channel only, showing its municipalities,
// members, roles and declaration status and the next retention run; role changes from the card, audited, all or
// nothing, with the choices kept and the answer in the user's language.
import { setRoleAsOperator } from '../../src/services/administration';
import { DAAN, FATIMA, SANNE, SIGNALEN_HDB, cardAnswer, cardOf, elements, executeAction, input, message, repliesTo, startTestBot, texts, type CardJson, type TestBot } from '../support/harness';

let bot: TestBot;
const place = { channel: SIGNALEN_HDB };
beforeAll(async () => {
  bot = await startTestBot();
  await setRoleAsOperator(bot.running.deps, { name: 'beheer', correlationId: 'test0001' }, SIGNALEN_HDB.id, FATIMA.aadObjectId, 'admin');
});
afterAll(async () => { await bot.stop(); });
beforeEach(() => bot.stub.clear());

const ask = async (text: string, user = FATIMA, opts: { locale?: string; personal?: boolean } = {}) => {
  const activity = message(text, user, opts.personal ? { personal: true } : place, { locale: opts.locale });
  await bot.send(activity);
  return repliesTo(bot.stub, activity)[0];
};
const memberId = async (aadObjectId: string) => (await bot.db.prisma.member.findFirstOrThrow({ where: { aadObjectId, scope: { channelId: SIGNALEN_HDB.id } } })).id;
const roleOf = async (aadObjectId: string) => (await bot.db.prisma.member.findFirstOrThrow({ where: { aadObjectId, scope: { channelId: SIGNALEN_HDB.id } } })).role;
const roleInputs = (card: CardJson) => elements(card).filter((e) => e.type === 'Input.ChoiceSet' && e.id?.startsWith('role_'));
const save = async (roles: Record<string, string>, opts: { locale?: string } = {}) => {
  const scopeId = (await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } })).id;
  const data: Record<string, unknown> = { scopeId };
  for (const [aad, role] of Object.entries(roles)) data[`role_${await memberId(aad)}`] = role;
  return cardAnswer(await bot.send(executeAction('beheer.roles', data, FATIMA, place, opts)));
};

describe('the beheer card', () => {
  it('is for the admins of the channel only, and refusing is audited', async () => {
    expect((await ask('beheer', SANNE)).activity.text).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'access.review', result: 'denied', actorAadId: SANNE.aadObjectId } })).toBe(1);
    expect((await ask('beheer', FATIMA, { personal: true })).activity.text).toBe('Open beheer in het kanaal of de groepschat die u beheert: daar geldt uw rol.');
  });

  it('shows the municipalities, exactly the members with their roles and declaration status, and the next retention run', async () => {
    const sanne = await bot.db.prisma.declarationAcceptance.deleteMany({ where: { aadObjectId: SANNE.aadObjectId } });
    expect(sanne.count).toBeGreaterThan(0);
    const card = cardOf(await ask('beheer'));
    const shown = texts(card);
    const members = await bot.db.prisma.member.findMany({ where: { scope: { channelId: SIGNALEN_HDB.id }, active: true }, orderBy: { name: 'asc' } });
    expect(shown[0]).toBe('Beheer · Signalen Heidebroek');
    expect(card.body.find((e) => e.type === 'FactSet')?.facts?.slice(0, 3)).toEqual([
      { title: 'Gemeenten', value: 'Gemeente Heidebroek (HDB, CBS -)' },
      { title: 'Volgende bewaartermijnronde', value: expect.stringMatching(/: 0 signalen van deze gemeenten aan de beurt$/) as unknown as string },
      { title: 'Leden', value: String(members.length) },
    ]);
    expect(members.length).toBe(4);
    expect(roleInputs(card).map((i) => [i.id, i.value])).toEqual(members.map((m) => [`role_${m.id}`, m.role]));
    expect(shown.filter((s) => s.startsWith('Verklaring'))).toEqual(members.map((m) => (m.aadObjectId === SANNE.aadObjectId ? 'Verklaring nog niet getekend' : 'Verklaring getekend')));
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'access.review', result: 'ok', actorAadId: FATIMA.aadObjectId } })).toBe(1);
    expect(card.actions?.map((a) => [a.type, a.verb])).toEqual([['Action.Execute', 'beheer.roles'], ['Action.Execute', 'beheer.show']]);
  });

  it('answers `admin` too, in English for an English Teams', async () => {
    expect(texts(cardOf(await ask('admin', FATIMA, { locale: 'en-US' })))[0]).toBe('Administration · Signalen Heidebroek');
  });

  it('changes roles from the card, audited', async () => {
    const card = await save({ [SANNE.aadObjectId]: 'coordinator', [DAAN.aadObjectId]: 'member', [FATIMA.aadObjectId]: 'admin' });
    expect(texts(card)[1]).toBe('Opgeslagen: Sanne de Vries is nu coördinator.');
    expect(await roleOf(SANNE.aadObjectId)).toBe('coordinator');
    expect(input(card, `role_${await memberId(SANNE.aadObjectId)}`)?.value).toBe('coordinator');
    const audit = await bot.db.prisma.auditEvent.findMany({ where: { action: 'role.set', actorAadId: FATIMA.aadObjectId, result: 'ok' } });
    expect(audit.map((a) => a.details)).toEqual([{ from: 'member', to: 'coordinator', via: 'beheer' }]);
    expect(texts(await save({ [SANNE.aadObjectId]: 'coordinator' }))[1]).toBe('Geen wijzigingen: alle rollen waren al zo.');
  });

  it('changes nothing when a role is unknown, keeping every choice and saying which, in the user\'s language', async () => {
    const card = await save({ [SANNE.aadObjectId]: 'chair', [DAAN.aadObjectId]: 'superheld' });
    expect(texts(card)[1]).toBe('Niets gewijzigd. Pas de gemarkeerde rollen aan; uw keuzes zijn bewaard.');
    expect(texts(card)).toContain('Kies een rol uit de lijst.');
    expect(input(card, `role_${await memberId(SANNE.aadObjectId)}`)?.value).toBe('chair');
    expect(await roleOf(SANNE.aadObjectId)).toBe('coordinator');
    const en = await save({ [DAAN.aadObjectId]: 'superheld' }, { locale: 'en-US' });
    expect(texts(en)).toContain('Choose a role from the list.');
  });

  it('refuses to take the role of the last admin away', async () => {
    const card = await save({ [FATIMA.aadObjectId]: 'member' });
    expect(texts(card)).toContain('Dit is de laatste beheerder van het kanaal: geef eerst iemand anders de rol beheerder.');
    expect(await roleOf(FATIMA.aadObjectId)).toBe('admin');
    // With another admin it may go.
    const handed = await save({ [DAAN.aadObjectId]: 'admin', [FATIMA.aadObjectId]: 'coordinator' });
    expect(texts(handed)[1]).toBe('Opgeslagen: Daan Jansen is nu beheerder; Fatima El Amrani is nu coördinator.');
  });

  it('refuses role changes by someone who is no longer admin', async () => {
    const res = cardAnswer(await bot.send(executeAction('beheer.roles', { [`role_${await memberId(SANNE.aadObjectId)}`]: 'admin' }, FATIMA, place)));
    expect(texts(res)).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);
    expect(await roleOf(SANNE.aadObjectId)).toBe('coordinator');
  });
});
