// The product as its users see it, in a real browser: the Agents Playground in Debian's Chromium, the compiled bot
// on its own embedded database with the demo data. One story, in order: an officer files a signal, an officer of
// another channel cannot find it, the chair decides on it in the overleg, the mayor reads her briefing.
// Every step leaves a screenshot in docs/screenshots/ (README.md shows them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { card, choose, field, openChat, pickDate, postToBot, press, say, screenshot } from './support/playgroundUi';
import { World } from './support/world';

const SIGNAL = 'SIG-2026-0001';
const DESCRIPTION = 'Strong smell of chemicals from the barn behind number 12; vans arrive at night.';
const ZOUTELAAR = { id: '19:zoutelaar-signalen@thread.tacv2', name: 'Signalen Zoutelaar' };

/** The Netherlands' date and minute of the day now: the bot plans and starts meetings by that clock. */
function amsterdamNow(): { day: string; minute: number } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** The time picker's label of a minute of the day (half-hour steps, en-US: "1:30 PM"). */
const timeLabel = (minute: number) => {
  const h = Math.floor(minute / 60), m = minute % 60;
  return `${h % 12 === 0 ? 12 : h % 12}:${String(m).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
};

/**
 * The first half hour still to come today. The overleg is started on the day of its meeting and a meeting is not
 * planned in the past, so in the last half hour of a Dutch day the story waits for the next day.
 */
async function nextSlotToday(): Promise<{ day: string; label: string }> {
  for (;;) {
    const now = amsterdamNow();
    const slot = Math.ceil((now.minute + 3) / 30) * 30;
    if (slot < 24 * 60) return { day: now.day, label: timeLabel(slot) };
    await new Promise((r) => setTimeout(r, 30_000));
  }
}

/** Waits until the person sees it (a step's own timeout), then says so. */
async function shows(what: Locator): Promise<void> {
  await what.waitFor();
  expect(await what.isVisible()).toBe(true);
}

/** Some commands first ask for the confidentiality declaration of the scope: accept it, then ask again. */
async function acceptDeclarationIfAsked(page: Page, ask: () => Promise<void>, expected: string | RegExp): Promise<void> {
  const declaration = card(page, 'Confidentiality declaration');
  const answer = card(page, expected);
  await declaration.or(answer).first().waitFor();
  if (await answer.isVisible()) return;
  await press(declaration, 'I accept this declaration');
  await card(page, 'Your acceptance has been recorded').waitFor();
  await ask();
  await answer.waitFor();
}

/** A step of the story as one persona; when it fails, the page as it was is kept beside the logs. */
function step(name: string, persona: Parameters<World['as']>[0], run: (page: Page) => Promise<void>, timeoutMs?: number): void {
  test(name, async () => {
    const page = await world.as(persona);
    try {
      await run(page);
    } catch (e) {
      const file = path.join(world.dir, `failed-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      throw new Error(`${(e as Error).message}\n(the page: ${file})`);
    }
  }, timeoutMs);
}

const world = new World(fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-e2e-')));

beforeAll(async () => {
  process.stdout.write(`e2e: the bot's and the Playground's logs are in ${world.dir}\n`);
  await world.startBot();
  await world.launchBrowser();
}, 120_000);

afterAll(async () => {
  await world.stop();
});


describe('Weerbaar in the Agents Playground', () => {
  step('an officer asks for help in the personal chat', { as: 'Sanne de Vries' }, async (page) => {
    await openChat(page, 'Personal Chat');
    await say(page, 'help');
    const help = card(page, 'Commands');
    await help.waitFor();
    await shows(help.getByText('new signal', { exact: true }));
    await shows(help.getByRole('button', { name: 'New signal' }));
    await screenshot(page, '01-officer-help', help);
  });

  step('the officer files a signal in the channel: one mistake, corrected, and the signal card', { as: 'Sanne de Vries' }, async (page) => {
    await openChat(page, 'Signalen Heidebroek');
    await postToBot(page, 'new signal');
    await acceptDeclarationIfAsked(page, () => press(card(page, 'Commands'), 'New signal'), 'Record what you saw or heard');

    const form = card(page, 'Record what you saw or heard');
    await choose(form, /^Phenomenon/, 'Drug lab');
    await field(form, /^Description/).fill(DESCRIPTION);
    await field(form, /^Street/).fill('Heideweg');
    await field(form, /^Number/).fill('12');
    await field(form, /^Postcode/).fill('12345');
    await field(form, /^Town/).fill('Heidebroek');
    await choose(form, /^Source reliability/, /^B:/);
    await choose(form, /^Information reliability/, /^2:/);
    await choose(form, /^Legal basis/, /Municipalities Act/);
    await press(form, 'Record signal');

    // The same form comes back with the problem under the postcode and everything typed still there.
    await form.getByText('Not a valid postcode').waitFor();
    await shows(form.getByText('Some fields need attention'));
    expect(await field(form, /^Description/).inputValue()).toBe(DESCRIPTION);
    expect(await field(form, /^Street/).inputValue()).toBe('Heideweg');
    expect(await field(form, /^Postcode/).inputValue()).toBe('12345');
    await screenshot(page, '02-signal-form-error', form);

    await field(form, /^Postcode/).fill('1234 AB');
    await press(form, 'Record signal');
    await card(page, `Signal ${SIGNAL} has been recorded.`).waitFor();
    // The card keeps its heading while its first line says what happened last.
    const signal = card(page, new RegExp(`Signal ${SIGNAL}\\s*Drug lab`));
    await shows(signal.getByText('Drug lab · Heideweg 12, 1234 AB Heidebroek'));
    await shows(signal.getByText('Sanne de Vries', { exact: true }));
    await screenshot(page, '03-signal-card', signal);

    // The officer starts enriching it; putting it on the overleg's agenda is for the chair or the coordinator.
    await press(signal, 'Start enrichment');
    await shows(signal.getByText('Being enriched', { exact: true }));
    expect(await signal.getByRole('button', { name: 'Ready for discussion' }).count()).toBe(0);
  });

  step('an officer of another channel does not find it', { as: 'Lotte Peeters', channel: ZOUTELAAR }, async (page) => {
    await openChat(page, ZOUTELAAR.name);
    const search = () => postToBot(page, 'search Heideweg');
    await search();
    await acceptDeclarationIfAsked(page, search, 'Nothing found.');
    await postToBot(page, `signal ${SIGNAL}`);
    await page.getByText(`${SIGNAL} does not exist or you have no access to it.`).first().waitFor();
    expect(await page.getByText(DESCRIPTION).count()).toBe(0);
    expect(await page.getByText('Heideweg 12').count()).toBe(0);
    await screenshot(page, '04-other-channel-finds-nothing', card(page, 'Nothing found.'));
  });

  step('the chair plans the overleg, starts it and records a decision', { as: 'Pieter Bakker' }, async (page) => {
    await openChat(page, 'Signalen Heidebroek');
    const open = () => postToBot(page, `signal ${SIGNAL}`);
    await open();
    await acceptDeclarationIfAsked(page, open, 'Being enriched');
    await press(card(page, 'Being enriched'), 'Ready for discussion');
    await card(page, 'Ready for the overleg.').waitFor();

    await postToBot(page, 'schedule meeting');

    const form = card(page, 'Schedule a meeting');
    const slot = await nextSlotToday();
    await field(form, /^Title/).fill('Signalenoverleg Heidebroek');
    await pickDate(form, /^Date \(first time\)/, slot.day);
    await choose(form, /^Start time/, slot.label);
    await form.getByRole('checkbox', { name: 'Sanne de Vries' }).check();
    await form.getByRole('checkbox', { name: 'Daan Jansen' }).check();
    await field(form, /^Organiser/).fill('overleg@heidebroek.example');
    await press(form, 'Schedule');
    const meeting = card(page, 'The meeting has been scheduled.');
    await meeting.waitFor();

    await press(meeting, 'Start the meeting');
    const overleg = card(page, 'The meeting has started');
    await overleg.waitFor();
    await shows(overleg.getByText(new RegExp(`${SIGNAL} · `)));
    await screenshot(page, '05-chair-overleg-card', overleg);

    await press(overleg, 'Decide');
    const decision = card(page, 'Decision on item 1');
    await decision.waitFor();
    await decision.getByRole('radio', { name: 'Escalate to a case' }).check();
    await field(decision, /^Explanation or reason/).fill('Several reports fit a drug lab: Bibob check and an inspection.');
    await press(decision, 'Record the decision');
    const recorded = card(page, 'The decision has been recorded.');
    await recorded.waitFor();
    await shows(recorded.getByText(/Decision: Escalate to a case \(Pieter Bakker/));
    await screenshot(page, '06-chair-decision-recorded', recorded);
  }, 40 * 60_000); // it may wait for midnight (nextSlotToday)

  step('the mayor asks for her briefing and sees the chart or its table', { as: 'Ingrid Hoekstra' }, async (page) => {
    await openChat(page, 'Personal Chat');
    const ask = () => say(page, 'briefing');
    await ask();
    await acceptDeclarationIfAsked(page, ask, /Briefing Gemeente Heidebroek/);
    const briefing = card(page, /Briefing Gemeente Heidebroek/);
    // The Playground draws the Chart.* elements; a client that cannot shows the fallback table of the same figures.
    const chartOrTable = briefing.locator('canvas, svg, table, [role=table], .ac-factset').first();
    await shows(chartOrTable);
    await shows(briefing.getByText('Measures taken', { exact: false }));
    await screenshot(page, '07-mayor-briefing', briefing);
  });
});
