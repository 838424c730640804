// Subjects (betrokkenen) link signals within a channel: a new signal about the same address, company (KvK) or
// person (name and birth date) says "Ook in: SIG-…" on its card, but never across channels and never naming a
// signal the viewer may not see.
import {
  DAAN, FATIMA, KERNGROEP_HDB, PIETER, SANNE, SIGNALEN_HDB,
  cardAnswer, executeAction, fileTestSignal, say, cardOf, startTestBot, texts,
  type CardJson, type Place, type TestBot,
} from '../support/harness';
import type { DemoUser } from '../../src/store/demoData';

const HDB: Place = { channel: SIGNALEN_HDB };
const KERN: Place = { channel: KERNGROEP_HDB };
const PERSONAL: Place = { personal: true };

let bot: TestBot;
beforeAll(async () => { bot = await startTestBot({ now: () => new Date('2026-11-23T10:00:00Z') }); });
afterAll(async () => { await bot.stop(); });

const related = (card: CardJson): string | undefined => texts(card).find((t) => t.startsWith('Ook in: '));
const relatedRefs = (card: CardJson): string[] => related(card)?.slice('Ook in: '.length).split(', ') ?? [];

let n = 0;
/** A fresh address per test, so earlier tests do not link in. */
function freshAddress(): Record<string, string> {
  n += 1;
  return { street: `Teststraat ${n}`, houseNumber: String(100 + n), postcode: `${String(2000 + n)} KL`, place: 'Heidebroek' };
}

async function view(user: DemoUser, signalId: string, place: Place = HDB): Promise<CardJson> {
  return cardAnswer(await bot.send(executeAction('signal.refresh', { signalId }, user, place, { trigger: 'automatic' })));
}

describe('linking by address', () => {
  it('a second signal at the same postcode and house number names the first, whatever the spelling', async () => {
    const address = freshAddress();
    const first = await fileTestSignal(bot, SANNE, HDB, { ...address, description: 'Eerste melding: hennepgeur bij het pand.' });
    expect(related(first.card)).toBeUndefined();

    const second = await fileTestSignal(bot, DAAN, HDB, {
      ...address, street: address.street.toUpperCase(), postcode: address.postcode.replace(' ', '').toLowerCase(),
      description: 'Tweede melding: veel verkeer bij hetzelfde pand.',
    });
    expect(related(second.card)).toBe(`Ook in: ${first.reference}`);

    // The earlier signal now names the later one too, for whoever opens it.
    expect(related(await view(FATIMA, first.id))).toBe(`Ook in: ${second.reference}`);
    // And a third names both, oldest first.
    const third = await fileTestSignal(bot, FATIMA, HDB, { ...address, description: 'Derde melding: ramen dichtgeplakt.' });
    expect(relatedRefs(third.card)).toEqual([first.reference, second.reference]);
  });

  it('a house number with a letter or addition is another address', async () => {
    const address = freshAddress();
    await fileTestSignal(bot, SANNE, HDB, { ...address });
    const withLetter = await fileTestSignal(bot, SANNE, HDB, { ...address, houseNumber: `${address.houseNumber}A` });
    expect(related(withLetter.card)).toBeUndefined();
    const sameLetter = await fileTestSignal(bot, SANNE, HDB, { ...address, houseNumber: `${address.houseNumber} a` });
    expect(relatedRefs(sameLetter.card)).toEqual([withLetter.reference]);
  });

  it('a different postcode with the same street and number is not linked', async () => {
    const address = freshAddress();
    await fileTestSignal(bot, SANNE, HDB, { ...address });
    const elsewhere = await fileTestSignal(bot, SANNE, HDB, { ...address, postcode: '9999 ZZ' });
    expect(related(elsewhere.card)).toBeUndefined();
  });

  it('the "other address" of a signal links like its own address', async () => {
    const shed = freshAddress();
    const first = await fileTestSignal(bot, SANNE, HDB, { ...shed, description: 'Loods waar gekweekt wordt.' });
    const home = freshAddress();
    const second = await fileTestSignal(bot, DAAN, HDB, {
      ...home, description: 'Woning van de huurder van de loods.',
      address2Street: shed.street, address2HouseNumber: shed.houseNumber, address2Postcode: shed.postcode, address2Place: shed.place,
    });
    expect(related(second.card)).toBe(`Ook in: ${first.reference}`);
    expect(texts(second.card)).toContain(`- ${shed.street} ${shed.houseNumber}, ${shed.postcode} ${shed.place}`);
  });

  it('a signal in another channel at the same address is not linked, either way', async () => {
    const address = freshAddress();
    const here = await fileTestSignal(bot, SANNE, HDB, { ...address });
    const there = await fileTestSignal(bot, FATIMA, KERN, { ...address });
    expect(related(there.card)).toBeUndefined();
    const hereAgain = await fileTestSignal(bot, SANNE, HDB, { ...address });
    expect(relatedRefs(hereAgain.card)).toEqual([here.reference]);
    // Not even for Fatima, who is in both channels, in her personal chat (Kerngroep shows no signal: the mayor reads along).
    expect(relatedRefs(await view(FATIMA, here.id))).toEqual([hereAgain.reference]);
    expect(relatedRefs(await view(FATIMA, here.id, PERSONAL))).toEqual([hereAgain.reference]);
    expect(related(await view(FATIMA, there.id, PERSONAL))).toBeUndefined();
  });

  // PRODUCT BUG: an address with a BAG id gets the match key "bag:<id>", one without gets "address:<postcode>|<number>",
  // so the same postcode and number are two different subjects as soon as one officer fills in the BAG id (which
  // enrichment adds). Filing with the BAG id does not find the earlier signal at the same postcode and number.
  it('the same postcode and number link whether or not one of the signals carries a BAG id', async () => {
    const address = freshAddress();
    const first = await fileTestSignal(bot, SANNE, HDB, { ...address });
    const withBag = await fileTestSignal(bot, FATIMA, HDB, { ...address, bagId: '0363010000123456' });
    expect(related(withBag.card)).toBe(`Ook in: ${first.reference}`);
  });
});

describe('linking by company and person', () => {
  it('the same KvK number links, whatever name the company goes by', async () => {
    const first = await fileTestSignal(bot, SANNE, HDB, { ...freshAddress(), company1Name: 'Groene Vingers BV', company1Kvk: '87654321' });
    expect(texts(first.card)).toContain('- Groene Vingers BV (KvK 87654321)');
    const second = await fileTestSignal(bot, DAAN, HDB, { ...freshAddress(), company2Name: 'Groene Vingers Holding', company2Kvk: '8765 4321' });
    expect(related(second.card)).toBe(`Ook in: ${first.reference}`);
    const unrelated = await fileTestSignal(bot, DAAN, HDB, { ...freshAddress(), company1Name: 'Groene Vingers BV', company1Kvk: '87654322' });
    expect(related(unrelated.card)).toBeUndefined();
  });

  it('a company without KvK number links by its name', async () => {
    const first = await fileTestSignal(bot, SANNE, HDB, { ...freshAddress(), company1Name: 'Snackbar De Gouden Frituur' });
    const second = await fileTestSignal(bot, DAAN, HDB, { ...freshAddress(), company1Name: 'snackbar de gouden  frituur' });
    expect(related(second.card)).toBe(`Ook in: ${first.reference}`);
  });

  it('a person links by name and birth date; the same name with another birth date is someone else', async () => {
    const first = await fileTestSignal(bot, SANNE, HDB, { ...freshAddress(), person1Name: 'Jan de Bruijn', person1BirthDate: '1980-05-01' });
    expect(texts(first.card)).toContain('- Jan de Bruijn');
    const same = await fileTestSignal(bot, DAAN, HDB, { ...freshAddress(), person2Name: 'JAN DE  BRUIJN', person2BirthDate: '1980-05-01' });
    expect(related(same.card)).toBe(`Ook in: ${first.reference}`);
    const namesake = await fileTestSignal(bot, DAAN, HDB, { ...freshAddress(), person1Name: 'Jan de Bruijn', person1BirthDate: '1991-12-31' });
    expect(related(namesake.card)).toBeUndefined();
  });

  it('a person in another channel is someone else there', async () => {
    const person = { person1Name: 'Kees Kanaalgrens', person1BirthDate: '1975-03-03' };
    await fileTestSignal(bot, FATIMA, KERN, { ...freshAddress(), ...person });
    const here = await fileTestSignal(bot, SANNE, HDB, { ...freshAddress(), ...person });
    expect(related(here.card)).toBeUndefined();
    // Not even for Fatima, who sees both channels from her personal chat.
    expect(related(await view(FATIMA, here.id, PERSONAL))).toBeUndefined();
  });
});

describe('need to know', () => {
  it('a member does not get the reference of a secret signal in "Ook in"; the coordinator does, in her personal chat', async () => {
    const address = freshAddress();
    const secret = await fileTestSignal(bot, FATIMA, HDB, { ...address, confidentiality: 'geheim', description: 'Geheim: informatie van de politie over dit pand.' });
    expect(secret.shown).toBe(false);
    const open = await fileTestSignal(bot, FATIMA, HDB, { ...address, description: 'Open melding over hetzelfde pand.' });
    // Members read along in the channel: not even the coordinator's own card there names it.
    expect(related(open.card)).toBeUndefined();
    expect(JSON.stringify(open.card)).not.toContain(secret.reference);
    const sanne = await fileTestSignal(bot, SANNE, HDB, { ...address, description: 'Sanne meldt ook iets over dit pand.' });
    expect(relatedRefs(sanne.card)).toEqual([open.reference]);
    expect(JSON.stringify(sanne.card)).not.toContain(secret.reference);
    // Her card as others see it: in the channel only what everyone there may see, in personal chat what they may.
    expect(relatedRefs(await view(PIETER, sanne.id))).toEqual([open.reference]);
    expect(relatedRefs(await view(FATIMA, sanne.id))).toEqual([open.reference]);
    expect(relatedRefs(await view(PIETER, sanne.id, PERSONAL))).toEqual([secret.reference, open.reference]);
    expect(relatedRefs(await view(FATIMA, sanne.id, PERSONAL))).toEqual([secret.reference, open.reference]);
    expect(relatedRefs(await view(DAAN, sanne.id, PERSONAL))).toEqual([open.reference]);
    expect(relatedRefs(await view(SANNE, sanne.id, PERSONAL))).toEqual([open.reference]);
  });

  it('the reporter and the assignee of a secret signal do get it in "Ook in", in their personal chat', async () => {
    const address = freshAddress();
    const own = await fileTestSignal(bot, SANNE, HDB, { ...address, confidentiality: 'geheim', description: 'Sanne meldt dit zelf als geheim.' });
    expect(own.shown).toBe(false);
    const later = await fileTestSignal(bot, SANNE, HDB, { ...address, description: 'Sanne meldt later iets open over hetzelfde pand.' });
    // Her own card in the channel is read by everyone there: her exception does not count there.
    expect(related(later.card)).toBeUndefined();
    expect(JSON.stringify(later.card)).not.toContain(own.reference);
    expect(relatedRefs(await view(SANNE, later.id, PERSONAL))).toEqual([own.reference]);
    expect(related(await view(DAAN, later.id, PERSONAL))).toBeUndefined();
    // The coordinator assigns it from her personal chat (the channel does not show it).
    await bot.send(executeAction('signal.assign', { signalId: own.id, assigneeAadId: DAAN.aadObjectId }, FATIMA, PERSONAL));
    expect((await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: own.id } })).assigneeAadId).toBe(DAAN.aadObjectId);
    expect(relatedRefs(await view(DAAN, later.id, PERSONAL))).toEqual([own.reference]);
    expect(related(await view(DAAN, later.id))).toBeUndefined();
  });
});

describe('cases', () => {
  it('a new signal about an address of a case names the case as well', async () => {
    const address = freshAddress();
    const first = await fileTestSignal(bot, SANNE, HDB, { ...address, description: 'Signaal dat een casus wordt.' });
    for (const step of ['verrijken', 'klaarVoorOverleg', 'bespreken']) {
      await bot.send(executeAction('signal.transition', { signalId: first.id, transition: step }, FATIMA, HDB));
    }
    const replies = await say(bot, `casus maken ${first.reference}`, FATIMA, HDB);
    const caseRef = texts(cardOf(replies[0])).map((t) => /^Casus (CASE-\d{4}-\d{4})$/.exec(t)?.[1]).find(Boolean);
    expect(caseRef).toMatch(/^CASE-2026-\d{4}$/);

    const later = await fileTestSignal(bot, DAAN, HDB, { ...address, description: 'Nieuwe melding over het pand van de casus.' });
    expect(related(later.card)).toBe(`Ook in: ${first.reference}, ${caseRef}`);
    // The case card names the new signal, not its own.
    const caseCard = cardOf((await say(bot, `casus ${caseRef}`, FATIMA, HDB))[0]);
    expect(related(caseCard)).toBe(`Ook in: ${later.reference}`);
  });
});
