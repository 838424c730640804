// Text the bot did not write is shown as typed on a card: no link, emphasis or list can be made from it, and Teams'
// markdown (which drops a backslash before punctuation) shows exactly what was typed.
import fc from 'fast-check';
import { compile, escapeMarkdown, markdownUrl } from '../../src/teams/cards';

/** What a CommonMark renderer shows for backslash escapes of ASCII punctuation. */
const shown = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
/** Markdown constructs Teams renders in a TextBlock, looked for where no backslash escapes their first character. */
const unescapedMarkup = /(^|[^\\])(\[[^\]]*\]\([^)]*\)|\*\S|_\S|<https?:)|^\s*([-+*#]|\d+[.)])\s/m;

describe('escapeMarkdown', () => {
  it('leaves no markdown construct in any text, and shows it exactly as typed', () => {
    const markdownish = fc.stringMatching(/^[-a-z0-9 *_[\]()<>#+.~`\\\n:/]{0,60}$/);
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), markdownish), (typed) => {
      const escaped = escapeMarkdown(typed);
      expect(shown(escaped)).toBe(typed);
      expect(unescapedMarkup.test(escaped)).toBe(false);
    }), { numRuns: 2000 });
  });

  it('escapes names and descriptions in every TextBlock and fact of a rendered card, but not our own link', () => {
    const render = compile<{ name: string; link: string }>({ type: 'AdaptiveCard', version: '1.5', body: [
      { type: 'TextBlock', text: 'Betrokkene: ${name}' },
      { type: 'FactSet', facts: [{ title: '${name}', value: '${name}' }] },
      { type: 'Container', items: [{ type: 'TextBlock', text: '${name}' }] },
      { type: 'TextBlock', text: '[Oorspronkelijk bericht](${link})', 'x-weerbaar-markdown': true },
      { type: 'Input.Text', id: 'name', value: '${name}' },
    ], actions: [{ type: 'Action.Execute', verb: 'x', data: { name: '${name}' } }] });
    const card = render({ name: '[klik hier](https://evil.example) **nu**', link: markdownUrl('https://teams.microsoft.com/l/message/1?x=(a)[b]') });
    const body = card.body as { text?: string; facts?: { title: string; value: string }[]; items?: { text: string }[]; value?: string }[];
    expect(body[0].text).toBe('Betrokkene: \\[klik hier\\](https://evil.example) \\*\\*nu\\*\\*');
    expect(body[1].facts).toEqual([{ title: '\\[klik hier\\](https://evil.example) \\*\\*nu\\*\\*', value: '\\[klik hier\\](https://evil.example) \\*\\*nu\\*\\*' }]);
    expect(body[2].items?.[0].text).toBe('\\[klik hier\\](https://evil.example) \\*\\*nu\\*\\*');
    expect(body[3]).toEqual({ type: 'TextBlock', text: '[Oorspronkelijk bericht](https://teams.microsoft.com/l/message/1?x=%28a%29%5Bb%5D)' });
    // What is typed into a form, and the action's data, stay as typed.
    expect(body[4].value).toBe('[klik hier](https://evil.example) **nu**');
    expect((card.actions as { data: { name: string } }[])[0].data.name).toBe('[klik hier](https://evil.example) **nu**');
  });
});
