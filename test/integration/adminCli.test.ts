// The operator's tools as they are run: `npm run admin -- …` (the compiled lib/src/cli/admin.js) over a real
// database, and the bot's entry (lib/src/index.js) refusing an invalid configuration file with exit code 78 and
// reloading its file on SIGHUP.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite } from '../../src/store/db';
import { seedDemoData } from '../../src/store/seed';
import { buildLib } from '../support/botProcess';
import { PROJECT_ROOT } from '../support/dbNames';
import { DEMO_CHANNELS, DEMO_USERS, FATIMA, INGRID, SANNE, SIGNALEN_HDB } from '../support/harness';
import { openTestDb, type TestDatabase } from '../support/testDb';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-admin-'));
const file = path.join(dir, 'weerbaar.yml');
let dbEnv: Record<string, string>;
let pg: TestDatabase | undefined;

const VALID = `# Our municipalities (this comment stays when the admin command edits the file)
municipalities:
  - code: HDB
    name: Gemeente Heidebroek
    country: NL
    officialCode: GM1901
  - code: ZTL
    name: Stad Zoutelaar
    country: BE
    officialCode: "44021"
scopes:
  - channelId: "${SIGNALEN_HDB.id}"
    municipalities: [HDB]
`;

beforeAll(async () => {
  buildLib();
  if (process.env.DATABASE_URL) {
    pg = await openTestDb();
    await seedDemoData(pg.prisma);
    dbEnv = { DATABASE_URL: pg.url ?? '' };
  } else {
    // The command migrates a new embedded database itself (jest cannot load the migration engine's ES module).
    dbEnv = { PGLITE_DIR: path.join(dir, 'pglite') };
    const first = admin(['scopes']);
    if (first.status !== 0) throw new Error(first.stderr);
    const db = await openPglite({ dataDir: path.join(dir, 'pglite'), projectRoot: PROJECT_ROOT, migrate: false });
    await seedDemoData(db.prisma);
    await db.close();
  }
}, 180_000);
afterAll(async () => {
  await pg?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const admin = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, ['lib/src/cli/admin.js', ...args], { cwd: PROJECT_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...dbEnv, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const withFile = { WEERBAAR_CONFIG_FILE: file };

describe('npm run admin', () => {
  it('lists its commands, explains each, and refuses an unknown command with exit code 2', () => {
    const help = admin(['help']);
    expect(help.status).toBe(0);
    for (const c of ['config check', 'link <scope>', 'grant <scope>', 'revoke <scope>', 'access [scope]', 'retention --pending', 'declaration rotate']) expect(help.stdout).toContain(c);
    expect(admin([]).status).toBe(2);
    const unknown = admin(['frobnicate']);
    expect([unknown.status, unknown.stderr.split('\n')[0]]).toEqual([2, 'unknown command "frobnicate"']);
    const grantHelp = admin(['grant', '--help']);
    expect([grantHelp.status, grantHelp.stdout.split('\n')[0]]).toEqual([0, 'usage: npm run admin -- grant <scope> <aadObjectId> <role> [name]']);
  });

  it('says what is missing or unknown: argument, role, scope, municipality', () => {
    expect(admin(['grant']).stderr.split('\n')[0]).toBe('missing: <scope>');
    const role = admin(['grant', SIGNALEN_HDB.id, SANNE.aadObjectId, 'superheld']);
    expect([role.status, role.stderr.split('\n')[0]]).toEqual([2, 'unknown role "superheld": choose from member, coordinator, chair, mayor, admin']);
    expect(admin(['grant', SIGNALEN_HDB.id, 'Sanne', 'chair']).stderr.split('\n')[0]).toMatch(/^"Sanne" is not an Entra object id/);
    const scope = admin(['grant', '19:onbekend@thread.tacv2', SANNE.aadObjectId, 'chair']);
    expect([scope.status, scope.stderr.trim()]).toEqual([1, 'No scope with id or channel id 19:onbekend@thread.tacv2']);
    const municipality = admin(['link', SIGNALEN_HDB.id, 'XXX']);
    expect([municipality.status, municipality.stderr.trim()]).toEqual([1, 'No municipality with code XXX']);
    expect(admin(['declaration', 'rotate', 'XXX']).stderr.trim()).toBe('No municipality with code XXX');
    expect(admin(['retention']).status).toBe(2);
  });

  it('grants and revokes roles; the access review lists exactly the members with their roles', () => {
    expect(admin(['grant', SIGNALEN_HDB.id, SANNE.aadObjectId, 'chair']).stdout.trim()).toBe('Sanne de Vries is chair in Signalen Heidebroek');
    const review = admin(['access', SIGNALEN_HDB.id]);
    expect(review.status).toBe(0);
    const expected = DEMO_USERS.filter((u) => u.roles[SIGNALEN_HDB.id] !== undefined)
      .map((u) => [u.aadObjectId === SANNE.aadObjectId ? 'chair' : u.roles[SIGNALEN_HDB.id], u.name]).sort((a, b) => a[1].localeCompare(b[1]));
    const lines = review.stdout.trim().split('\n');
    expect(lines[0]).toBe(`Signalen Heidebroek (channel ${SIGNALEN_HDB.id}): HDB`);
    expect(lines.slice(1).map((l) => { const [roleAndName] = l.trim().split('\t'); const [r, ...n] = roleAndName.split(/\s+/); return [r, n.join(' ')]; })).toEqual(expected);
    expect(admin(['revoke', SIGNALEN_HDB.id, SANNE.aadObjectId]).stdout.trim()).toBe('Sanne de Vries is member in Signalen Heidebroek (was chair)');
    const again = admin(['revoke', SIGNALEN_HDB.id, SANNE.aadObjectId]);
    expect([again.status, again.stderr.trim()]).toEqual([1, 'Sanne de Vries has no role beyond member in Signalen Heidebroek (membership itself follows the Teams roster)']);
  });

  it('exports the access review of every scope as CSV for the yearly BIO review', () => {
    const csv = path.join(dir, 'review.csv');
    const r = admin(['access', '--csv', csv]);
    const total = DEMO_CHANNELS.reduce((n, c) => n + DEMO_USERS.filter((u) => u.roles[c.id] !== undefined).length, 0);
    expect(r.stdout.trim()).toBe(`Access review of ${DEMO_CHANNELS.length} scope(s), ${total} member(s), written to ${csv}.`);
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\r\n').map((l) => l.split(','));
    expect(rows[0]).toEqual(['scope', 'scopeId', 'teamsId', 'enabled', 'municipalities', 'member', 'aadObjectId', 'role', 'declaration', 'memberSince', 'lastChange']);
    const got = rows.slice(1).map((c) => `${c[2]} ${c[6]} ${c[7]}`).sort();
    const want = DEMO_CHANNELS.flatMap((c) => DEMO_USERS.filter((u) => u.roles[c.id] !== undefined).map((u) => `${c.id} ${u.aadObjectId} ${u.roles[c.id]}`)).sort();
    expect(got).toEqual(want);
    expect(rows.find((c) => c[6] === INGRID.aadObjectId)?.[8]).toBe('pending');
    expect(fs.statSync(csv).mode & 0o777).toBe(0o600);
  });

  it('checks a configuration file: what applying it would change, or each problem with exit code 1', () => {
    fs.writeFileSync(file, VALID);
    const ok = admin(['config', 'check'], withFile);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain(`${file} is valid: 2 municipalities, 1 scope link(s).`);
    expect(ok.stdout).toContain('updated municipality HDB: officialCode, phenomena, legalBases, retention, confidentialityLevels');
    expect(ok.stdout).toContain('warning: 2 enabled scope(s) are not in the file: they keep their link until listed');
    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(bad, VALID.replace('country: BE', 'country: DE').replace('officialCode: GM1901', 'officialCode: "0363"'));
    const invalid = admin(['config', 'check', bad]);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr.trim().split('\n')).toEqual([`${bad}: municipalities[1].country: expected "NL" or "BE", got "DE"`, `${bad} is not valid: 1 problem(s).`]);
    expect(admin(['config', 'check'], { WEERBAAR_CONFIG_FILE: path.join(dir, 'missing.yml') }).stderr.split('\n')[0]).toBe(`${path.join(dir, 'missing.yml')}: cannot be read (no such file)`);
    expect(admin(['config', 'show'], withFile).stdout).toContain('ZTL\tStad Zoutelaar (BE, NIS 44021)');
  });

  it('applies the file, links a scope to several municipalities in the file (comments kept), rotates a declaration', () => {
    expect(admin(['config', 'apply'], withFile).stdout).toContain('applied:');
    const link = admin(['link', SIGNALEN_HDB.id, 'hdb', 'ZTL'], withFile);
    expect([link.status, link.stdout.trim()]).toEqual([0, `Signalen Heidebroek serves HDB, ZTL: written to ${file} and applied.`]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# Our municipalities (this comment stays');
    expect(text).toContain('municipalities: [ HDB, ZTL ]');
    expect(admin(['access', SIGNALEN_HDB.id]).stdout.split('\n')[0]).toBe(`Signalen Heidebroek (channel ${SIGNALEN_HDB.id}): HDB, ZTL`);
    expect(admin(['link', SIGNALEN_HDB.id, 'OSS'], withFile).stderr.trim()).toBe(`No municipality with code OSS in ${file} (add it under municipalities first)`);
    expect(admin(['deputy', 'HDB', FATIMA.aadObjectId], withFile).stderr.trim()).toBe(`Deputies are set in ${file} (municipalities[].deputies): change them there and run config apply`);
    expect(admin(['declaration', 'rotate', 'hdb']).stdout.trim()).toBe('Gemeente Heidebroek: declaration version 2; everyone accepts it again before their next access');
    // The file (without a declaration) still applies: the rotated version stays current.
    expect(admin(['config', 'check'], withFile).stdout).toContain('Applying it changes nothing.');
  });

  it('shows the retention actions pending today', () => {
    const r = admin(['retention', '--pending']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^0 record\(s\) due on \d{4}-\d{2}-\d{2}\.$/);
  });
});

describe('the bot process and its configuration file', () => {
  const start = (configFile: string, extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['lib/src/index.js'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', PGLITE_DIR: path.join(dir, 'never-opened'), WEERBAAR_CONFIG_FILE: configFile, ...extra } });

  it.each([
    ['a wrong value', VALID.replace('country: BE', 'country: DE'), 'municipalities[1].country: expected "NL" or "BE", got "DE"'],
    ['a YAML syntax error', VALID.replace('name: Stad Zoutelaar', 'name: [Stad Zoutelaar'), /:\d+:\d+: syntax error: /],
    ['an unknown municipality in a scope', VALID.replace('municipalities: [HDB]', 'municipalities: [HDB, XYZ]'), 'scopes[0].municipalities[1]: expected one of the municipalities\' codes (HDB, ZTL), got "XYZ"'],
    ['a typo in a key', VALID.replace('officialCode: GM1901', 'offcialCode: GM1901'), 'municipalities[0]: unknown key "offcialCode"'],
  ])('refuses to start on %s, with exit code 78 and the precise message', (_kind, text, expected) => {
    const bad = path.join(dir, 'start.yml');
    fs.writeFileSync(bad, text);
    const r = start(bad);
    expect(r.status).toBe(78);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('Weerbaar cannot start. The configuration file is not valid:');
    if (typeof expected === 'string') expect(lines).toContain(`${bad}: ${expected}`);
    else expect(lines[1]).toMatch(expected);
    expect(fs.existsSync(path.join(dir, 'never-opened'))).toBe(false);
  });

  it('refuses to start on a file that does not exist', () => {
    const r = start(path.join(dir, 'nope.yml'));
    expect([r.status, r.stderr.trim().split('\n')[1]]).toEqual([78, `${path.join(dir, 'nope.yml')}: cannot be read (no such file)`]);
  });

  it('starts with a valid file and on SIGHUP keeps it when the new one is invalid, then takes a valid one (npm run admin -- config reload)', async () => {
    const live = path.join(dir, 'live.yml');
    fs.writeFileSync(live, VALID);
    const child = spawn(process.execPath, ['lib/src/index.js'], { cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', PGLITE_DIR: path.join(dir, 'live-db'), DEMO_DATA: 'true', WEERBAAR_CONFIG_FILE: live } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString('utf8'); });
    const until = async (text: string) => {
      for (let i = 0; i < 600 && !output.includes(text); i++) await new Promise((r) => setTimeout(r, 100));
      if (!output.includes(text)) throw new Error(`not seen: ${text}\n${output}`);
    };
    try {
      await until('Weerbaar is listening');
      expect(output).toContain('configuration file applied');
      fs.writeFileSync(live, VALID.replace('country: BE', 'country: DE'));
      child.kill('SIGHUP');
      await until('configuration NOT reloaded');
      expect(output).toContain('municipalities[1].country: expected \\"NL\\" or \\"BE\\"');
      // The admin command checks the file before it signals the bot.
      const refused = admin(['config', 'reload', String(child.pid)], { WEERBAAR_CONFIG_FILE: live });
      expect([refused.status, refused.stderr.trim().split('\n').at(-1)]).toEqual([1, `${live} is not valid: not sent to the bot.`]);
      fs.writeFileSync(live, VALID.replace('municipalities: [HDB]', 'municipalities: [HDB, ZTL]'));
      const sent = admin(['config', 'reload', String(child.pid)], { WEERBAAR_CONFIG_FILE: live });
      expect([sent.status, sent.stdout.trim()]).toEqual([0, `${live} is valid; process ${child.pid} reloads it now (its log says "configuration reloaded", or why not).`]);
      await until('configuration reloaded');
      expect(output).toContain('linked 1 scope(s)');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
