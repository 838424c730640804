/// <reference lib="dom" />
// What a person does in the Agents Playground's page, in the words of the page: open a chat, write, mention the
// bot in a channel post, fill a card's inputs by their labels, press its buttons, and take a picture.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SCREENSHOTS } from './world';

/** Adaptive Cards as the Playground renders them; a card's inner show-cards are part of it. */
const CARD = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';

/** The card that shows `text` (each step waits for the text it expects, never for a fixed time). */
export function card(page: Page, text: string | RegExp): Locator {
  return page.locator(CARD).filter({ hasText: text }).first();
}

export async function openChat(page: Page, name: 'Personal Chat' | string): Promise<void> {
  await page.getByText(name, { exact: true }).first().click();
}

/** A message in a chat (personal or group): typed into the box and sent with Enter. */
export async function say(page: Page, text: string): Promise<void> {
  await page.locator('[data-lexical-editor=true]').last().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** A new channel post that @mentions the bot, as Teams requires for the bot to see it. */
export async function postToBot(page: Page, text: string): Promise<void> {
  await page.locator('[data-lexical-editor=true]').first().click();
  await page.keyboard.type('@Weer');
  await page.getByRole('menuitem', { name: 'Weerbaar' }).click();
  await page.keyboard.type(` ${text}`);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/** A text input or text area, by its label. */
export function field(scope: Locator, label: RegExp): Locator {
  return scope.getByRole('textbox', { name: label });
}

/** A choice set (the Playground renders it as a combobox), by its label, set to the option named `option`. */
export async function choose(scope: Locator, label: RegExp, option: string | RegExp): Promise<void> {
  const page = scope.page();
  await page.keyboard.press('Escape');
  await scope.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

/** A date input, by its label, set through its calendar (the Playground's date picker takes no typed dates). */
export async function pickDate(scope: Locator, label: RegExp, day: string): Promise<void> {
  const page = scope.page();
  await page.keyboard.press('Escape');
  await scope.getByRole('combobox', { name: label }).click();
  const [y, m, d] = day.split('-').map(Number);
  const monthName = new Date(Date.UTC(y, m - 1, d)).toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  await page.getByRole('button', { name: `${d}, ${monthName}, ${y}`, exact: true }).click();
}

export async function press(scope: Locator, button: string): Promise<void> {
  await scope.getByRole('button', { name: button, exact: true }).click();
}

/**
 * A picture of the page with `focus` in the middle; the window grows (up to 2400 px) so a long card fits whole.
 * Saved as docs/screenshots/<name>.png for README.md.
 */
export async function screenshot(page: Page, name: string, focus: Locator): Promise<string> {
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  const box = await focus.boundingBox();
  const height = Math.min(2400, Math.max(size.height, Math.ceil((box?.height ?? 0) + 260)));
  await page.setViewportSize({ width: size.width, height });
  await focus.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  await page.setViewportSize(size);
  return file;
}
