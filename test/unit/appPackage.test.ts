// The Teams app package (appPackage/) and the Agents Playground's demo world (.m365agentsplayground.yml):
// checks the rules Teams and the Playground enforce only at upload or start, so a mistake fails here first.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  DEMO_CHANNELS,
  DEMO_TEAM_AAD_GROUP_ID,
  DEMO_TEAM_ID,
  DEMO_TENANT_ID,
  DEMO_USERS,
} from '../../src/store/demoData.js';

const ROOT = path.resolve(__dirname, '../..');
const read = (rel: string): string => fs.readFileSync(path.join(ROOT, rel), 'utf8');

interface Command { title: string; description: string }
interface CommandList { scopes: string[]; commands: Command[] }
interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  icons: { color: string; outline: string };
  bots: { botId: string; scopes: string[]; commandLists: CommandList[] }[];
  validDomains: string[];
  localizationInfo: { defaultLanguageTag: string; additionalLanguages: { languageTag: string; file: string }[] };
  webApplicationInfo?: { id: string; resource: string };
  authorization?: { permissions: { resourceSpecific: { name: string; type: string }[] } };
}

const manifest = JSON.parse(read('appPackage/manifest.json')) as Manifest;

describe('appPackage/manifest.json', () => {
  it('uses manifest schema 1.19 or later, and the $schema of that same version', () => {
    const [major, minor] = manifest.manifestVersion.split('.').map(Number);
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(1 * 1000 + 19);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
  });

  it('asks for the meeting events (meetingStart, meetingEnd) through resource-specific consent, for chat and channel meetings', () => {
    expect(manifest.webApplicationInfo).toEqual({ id: '${{BOT_ID}}', resource: 'https://RscPermission' });
    expect(manifest.authorization?.permissions.resourceSpecific).toEqual(expect.arrayContaining([
      { name: 'OnlineMeeting.ReadBasic.Chat', type: 'Application' }, { name: 'ChannelMeeting.ReadBasic.Group', type: 'Application' },
    ]));
    expect(manifest.bots[0].scopes).toEqual(expect.arrayContaining(['team', 'groupChat']));
  });

  it('carries the toolkit placeholders for the app id, bot id and bot domain', () => {
    expect(manifest.id).toBe('${{TEAMS_APP_ID}}');
    expect(manifest.bots[0].botId).toBe('${{BOT_ID}}');
    expect(manifest.validDomains).toContain('${{BOT_DOMAIN}}');
  });

  it('installs the bot in personal chats, teams and group chats, with one command list per scope', () => {
    const bot = manifest.bots[0];
    expect(bot.scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
    const listed = bot.commandLists.flatMap((l) => l.scopes);
    for (const scope of bot.scopes) expect(listed.filter((s) => s === scope)).toHaveLength(1);
    expect(bot.commandLists.length).toBeLessThanOrEqual(3);
  });

  it('offers the Dutch commands within Teams length limits', () => {
    for (const list of manifest.bots[0].commandLists) {
      expect(list.commands.map((c) => c.title)).toEqual(['help', 'nieuw signaal', 'signalen', 'signaal', 'zoek', 'werklijst']);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeGreaterThan(0);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
  });

  it('references icon files that exist in the package folder', () => {
    for (const file of [manifest.icons.color, manifest.icons.outline]) {
      expect(fs.existsSync(path.join(ROOT, 'appPackage', file))).toBe(true);
    }
  });
});

describe('appPackage/en.json (English localization)', () => {
  const english = manifest.localizationInfo.additionalLanguages.find((l) => l.languageTag.toLowerCase() === 'en-us');
  const en = JSON.parse(read(`appPackage/${english?.file ?? 'en.json'}`)) as Record<string, unknown>;

  it('is declared in the manifest next to Dutch as the default language', () => {
    expect(manifest.localizationInfo.defaultLanguageTag.toLowerCase()).toBe('nl-nl');
    expect(english?.file).toBe('en.json');
  });

  it('has the fields the localization schema requires, of the same schema version as the manifest', () => {
    for (const key of ['name.short', 'description.short', 'description.full']) {
      expect(typeof en[key]).toBe('string');
      expect((en[key] as string).length).toBeGreaterThan(0);
    }
    expect(en.$schema).toContain(`/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
  });

  it('translates every Dutch command, and nothing that does not exist', () => {
    const expected = new Set<string>();
    manifest.bots[0].commandLists.forEach((list, l) => {
      list.commands.forEach((_c, c) => {
        for (const field of ['title', 'description']) {
          const key = `bots[0].commandLists[${l}].commands[${c}].${field}`;
          expected.add(key);
          expect(typeof en[key]).toBe('string');
          expect((en[key] as string).trim()).not.toBe('');
        }
      });
    });
    const botKeys = Object.keys(en).filter((k) => k.startsWith('bots['));
    expect(new Set(botKeys)).toEqual(expected);
    const englishTitles = manifest.bots[0].commandLists[0].commands.map((_c, c) => en[`bots[0].commandLists[0].commands[${c}].title`]);
    expect(englishTitles).toEqual(['help', 'new signal', 'signals', 'signal', 'search', 'worklist']);
  });
});

// ---------------------------------------------------------------------------------------------
// A minimal PNG reader: header fields and the unfiltered pixels (8-bit truecolour, no interlace).

interface Png { width: number; height: number; colorType: number; channels: number; pixels: Buffer }

function readPng(rel: string): Png {
  const buf = fs.readFileSync(path.join(ROOT, rel));
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length;) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      colorType = data[9];
      expect(data[12]).toBe(0); // not interlaced
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    off += 12 + len;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  expect(channels).toBeGreaterThan(0);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= channels ? pixels[y * stride + i - channels] : 0; // left
      const b = y > 0 ? pixels[(y - 1) * stride + i] : 0; // up
      const c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0; // up-left
      let predicted: number;
      if (filter === 0) predicted = 0;
      else if (filter === 1) predicted = a;
      else if (filter === 2) predicted = b;
      else if (filter === 3) predicted = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`${rel}: unknown PNG filter type ${filter} in row ${y}`);
      pixels[y * stride + i] = (x + predicted) & 0xff;
    }
  }
  return { width, height, colorType, channels, pixels };
}

describe('app icons', () => {
  it('color.png is 192x192 and fully opaque', () => {
    const png = readPng('appPackage/color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    if (png.colorType === 6) {
      for (let i = 3; i < png.pixels.length; i += 4) expect(png.pixels[i]).toBe(255);
    } else {
      expect(png.colorType).toBe(2);
    }
  });

  it('outline.png is 32x32 RGBA, white on a transparent background', () => {
    const png = readPng('appPackage/outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.colorType).toBe(6);
    const alphaAt = (x: number, y: number) => png.pixels[(y * png.width + x) * 4 + 3];
    for (const [x, y] of [[0, 0], [31, 0], [0, 31], [31, 31]]) expect(alphaAt(x, y)).toBe(0);
    let opaque = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      if (png.pixels[i + 3] > 0) {
        // Teams accepts only white (at any opacity) in the outline icon.
        expect([png.pixels[i], png.pixels[i + 1], png.pixels[i + 2]]).toEqual([255, 255, 255]);
        if (png.pixels[i + 3] === 255) opaque++;
      }
    }
    expect(opaque).toBeGreaterThan(100); // there is a drawing, not an empty square
  });
});

// ---------------------------------------------------------------------------------------------
// A minimal reader for the YAML subset of .m365agentsplayground.yml: nested maps, lists of maps,
// plain or quoted scalars, comments.

type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };
type YamlMap = { [key: string]: YamlValue };

function parseYamlSubset(text: string): YamlValue {
  const lines = text
    .split('\n')
    .map((raw) => raw.replace(/\s+#.*$/, '').replace(/\s+$/, ''))
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  const scalar = (s: string) => s.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');

  function block(items: { indent: number; text: string }[]): YamlValue {
    const indent = items[0].indent;
    const own = (i: number) => items[i].indent === indent;
    const childrenOf = (i: number) => {
      const out = [];
      for (let j = i + 1; j < items.length && items[j].indent > indent; j++) out.push(items[j]);
      return out;
    };
    if (items[0].text.startsWith('- ')) {
      const list: YamlValue[] = [];
      items.forEach((item, i) => {
        if (!own(i)) return;
        list.push(block([{ indent: indent + 2, text: item.text.slice(2) }, ...childrenOf(i)]));
      });
      return list;
    }
    const map: YamlMap = {};
    items.forEach((item, i) => {
      if (!own(i)) return;
      const m = /^([^:]+):(?:\s+(.*))?$/.exec(item.text);
      if (!m) throw new Error(`unexpected YAML line: ${item.text}`);
      map[m[1]] = m[2] !== undefined ? scalar(m[2]) : block(childrenOf(i));
    });
    return map;
  }
  return block(lines);
}

describe('.m365agentsplayground.yml (the Playground demo world)', () => {
  const cfg = parseYamlSubset(read('.m365agentsplayground.yml')) as YamlMap;
  const team = cfg.team as YamlMap;
  const users = [cfg.currentUser, ...(cfg.users as YamlValue[])] as YamlMap[];
  const channels = team.channels as YamlMap[];

  it('is the demo tenant with the bot called Weerbaar', () => {
    expect(cfg.version).toBe('0.1.1');
    expect(cfg.tenantId).toBe(DEMO_TENANT_ID);
    expect(cfg.bot).toEqual({ id: '00000000-0000-0000-0000-00000000000011', name: 'Weerbaar' });
  });

  it('has the six demo users, the first of them as the current user, with matching ids and names', () => {
    expect(cfg.users as YamlValue[]).toHaveLength(5); // the Playground requires exactly five besides the current user
    expect(users).toHaveLength(DEMO_USERS.length);
    DEMO_USERS.forEach((demo, i) => {
      expect(users[i]).toMatchObject({
        id: demo.teamsUserId,
        aadObjectId: demo.aadObjectId,
        name: demo.name,
        email: demo.email,
        userPrincipleName: demo.email, // sic: the Playground's spelling
      });
      expect(`${users[i].givenName as string} ${users[i].surname as string}`).toBe(demo.name);
    });
  });

  it('has the demo team, whose General channel id is the team id', () => {
    expect(team.id).toBe(DEMO_TEAM_ID);
    expect(team.aadGroupId).toBe(DEMO_TEAM_AAD_GROUP_ID);
    expect(team.name).toBe('Programmateam Ondermijning');
  });

  it('shows the main demo channel (the Playground allows one channel besides General)', () => {
    expect(channels).toHaveLength(1);
    expect(channels[0]).toEqual({ id: DEMO_CHANNELS[0].id, name: DEMO_CHANNELS[0].name });
    for (const channel of channels) {
      expect(DEMO_CHANNELS.map((c) => c.id)).toContain(channel.id);
    }
  });

  it('has the group chat, and no two conversations share an id', () => {
    const groupChat = cfg.groupChat as YamlMap;
    expect(groupChat.name).toBe('Wijkteam Heidebroek');
    const ids = [(cfg.personalChat as YamlMap).id, groupChat.id, team.id, ...channels.map((c) => c.id)];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
