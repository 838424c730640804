// The deployment's configuration file: each kind of mistake gives one precise message (file, path, what is
// expected), and a valid file resolves to the municipalities' lists with the country defaults applied.
import fs from 'node:fs';
import path from 'node:path';
import { parseDeploymentConfig } from '../../src/domain/deploymentConfig';
import { DEMO_CHANNELS, DEMO_MUNICIPALITIES } from '../../src/store/demoData';

const FILE = 'config/weerbaar.yml';
const errorsOf = (source: string): string[] => {
  const r = parseDeploymentConfig(FILE, source);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};
const HDB = `  - code: HDB
    name: Gemeente Heidebroek
    country: NL
    officialCode: GM1234
`;
const ZTL = `  - code: ZTL
    name: Stad Zoutelaar
    country: BE
    officialCode: "11002"
`;
const with_ = (extra: string, scopes = '') => `municipalities:\n${HDB}${extra}${ZTL}${scopes}`;

describe('the configuration file', () => {
  it('names the file, the path and what is expected for a wrong value', () => {
    expect(errorsOf(`municipalities:\n${HDB}  - code: XYZ\n    name: X\n    country: DE\n    officialCode: "11001"\n`))
      .toEqual([`${FILE}: municipalities[1].country: expected "NL" or "BE", got "DE"`]);
  });

  it('gives a YAML syntax error with its line and column', () => {
    const [error] = errorsOf('municipalities:\n  - code: HDB\n    name: [Heidebroek\n    country: NL\n');
    expect(error).toMatch(/^config\/weerbaar\.yml:\d+:\d+: syntax error: /);
    expect(errorsOf('municipalities: []\nmunicipalities: []\n')[0]).toBe(`${FILE}:2:1: syntax error: Map keys must be unique`);
  });

  it('names a missing key, an unknown key (a typo) and a wrong type', () => {
    expect(errorsOf('municipalities:\n  - code: HDB\n    country: NL\n    officialCode: GM1234\n')).toEqual([`${FILE}: municipalities[0].name: is required (expected string)`]);
    expect(errorsOf(with_('    mayor: x\n'))).toEqual([`${FILE}: municipalities[0]: unknown key "mayor"`]);
    expect(errorsOf(with_('    privacy:\n      allowBsn: "ja"\n'))).toEqual([`${FILE}: municipalities[0].privacy.allowBsn: expected boolean, got "ja"`]);
    expect(errorsOf('')).toEqual([`${FILE}: (top level): is empty (expected municipalities and scopes)`]);
  });

  it('checks codes: the municipality code, the CBS or NIS code, duplicates', () => {
    expect(errorsOf('municipalities:\n  - code: hdb\n    name: H\n    country: NL\n    officialCode: GM1234\n'))
      .toEqual([`${FILE}: municipalities[0].code: expected a short code of 2 to 8 capital letters, like "HDB", got "hdb"`]);
    expect(errorsOf(`municipalities:\n${HDB.replace('GM1234', '"0363"')}`)).toEqual([`${FILE}: municipalities[0].officialCode: expected a CBS municipality code like "GM0363", got "0363"`]);
    expect(errorsOf(`municipalities:\n${ZTL.replace('"11002"', 'GM0001')}`)).toEqual([`${FILE}: municipalities[0].officialCode: expected a NIS code of 5 digits like "11002", got "GM0001"`]);
    expect(errorsOf(`municipalities:\n${HDB}${HDB.replace('GM1234', 'GM1235')}`)).toEqual([`${FILE}: municipalities[1].code: "HDB" is used twice (also municipalities[0])`]);
  });

  it('checks the scopes: a known municipality, one Teams id, listed once', () => {
    expect(errorsOf(with_('', 'scopes:\n  - channelId: "19:abc@thread.tacv2"\n    municipalities: [HDB, XX]\n')))
      .toEqual([`${FILE}: scopes[0].municipalities[1]: expected one of the municipalities' codes (HDB, ZTL), got "XX"`]);
    expect(errorsOf(with_('', 'scopes:\n  - municipalities: [HDB]\n'))).toEqual([`${FILE}: scopes[0]: expected exactly one of channelId or chatId`]);
    expect(errorsOf(with_('', 'scopes:\n  - channelId: "general"\n    municipalities: [HDB]\n')))
      .toEqual([`${FILE}: scopes[0].channelId: expected a Teams channel id like "19:…@thread.tacv2", got "general"`]);
    expect(errorsOf(with_('', 'scopes:\n  - channelId: "19:a@thread.tacv2"\n    municipalities: [HDB]\n  - channelId: "19:a@thread.tacv2"\n    municipalities: [ZTL]\n')))
      .toEqual([`${FILE}: scopes[1].channelId: is listed twice (also scopes[0])`]);
  });

  it('checks phenomena, deadlines and the privacy protocol', () => {
    expect(errorsOf(with_('    deadlines: { drugslab: 3, kraken: 2 }\n'))[0]).toMatch(/^config\/weerbaar\.yml: municipalities\[0\]\.deadlines\.kraken: "kraken" is not one of this municipality's phenomena \(hennepteelt, /);
    expect(errorsOf(with_('    deadlines: { drugslab: 0 }\n'))).toEqual([`${FILE}: municipalities[0].deadlines.drugslab: expected at least 1 working day, got 0`]);
    expect(errorsOf(with_('    phenomena:\n      remove: [domiciliefraude]\n'))).toEqual([`${FILE}: municipalities[0].phenomena.remove[0]: "domiciliefraude" is not in the NL defaults`]);
    expect(errorsOf(with_('    privacy:\n      retention:\n        - { id: kort, status: afgesloten, anonymiseAfterMonths: 12, deleteAfterMonths: 6 }\n')))
      .toEqual([`${FILE}: municipalities[0].privacy.retention[0].deleteAfterMonths: expected more than anonymiseAfterMonths (12), got 6`]);
    expect(errorsOf(`municipalities:\n${ZTL}    privacy:\n      allowBsn: true\n`))
      .toEqual([`${FILE}: municipalities[0].privacy.allowBsn: expected false: the BSN is a Dutch number, a Belgian municipality cannot allow it`]);
    expect(errorsOf(with_('    privacy:\n      confidentialityLevels: [intern, topgeheim]\n')))
      .toEqual([`${FILE}: municipalities[0].privacy.confidentialityLevels[1]: expected "intern", "vertrouwelijk", "geheim", got "topgeheim"`]);
    expect(errorsOf(with_('    mayors:\n      - { aadObjectId: Ingrid, name: Ingrid Hoekstra }\n')))
      .toEqual([`${FILE}: municipalities[0].mayors[0].aadObjectId: expected an Entra object id (a GUID, Entra ID > Users > the person > Object ID), got "Ingrid"`]);
  });

  it('checks the briefing schedule and the pacing', () => {
    expect(errorsOf(with_('', 'briefing:\n  time: "8 uur"\n'))).toEqual([`${FILE}: briefing.time: expected a time like "08:00", got "8 uur"`]);
    expect(errorsOf(with_('', 'pacing:\n  tenantPerSecond: 80\n'))).toEqual([`${FILE}: pacing.tenantPerSecond: expected at most 50, got 80`]);
  });

  it('resolves a valid file: country defaults extended and restricted, deadlines, scopes serving several municipalities', () => {
    const r = parseDeploymentConfig(FILE, with_(`    phenomena:
      remove: [horeca]
      add: [{ code: ondermijnende_vastgoedtransacties, nl: Vastgoedtransacties, en: Real estate transactions }]
    deadlines: { drugslab: 3 }
    privacy:
      allowBsn: true
      confidentialityLevels: [vertrouwelijk, intern]
      declaration: { version: 2, nl: Ik verklaar het, en: I declare it }
`, 'scopes:\n  - channelId: "19:programma@thread.tacv2"\n    name: Programmateam\n    municipalities: [HDB, ZTL]\nbriefing: { weekday: friday }\n'));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const [hdb, ztl] = r.config.municipalities;
    expect(hdb.phenomena.map((p) => p.code)).not.toContain('horeca');
    expect(hdb.phenomena.at(-1)).toEqual({ code: 'ondermijnende_vastgoedtransacties', nl: 'Vastgoedtransacties', en: 'Real estate transactions', termDays: 20 });
    expect(hdb.phenomena.find((p) => p.code === 'drugslab')?.termDays).toBe(3);
    expect(hdb.confidentialityLevels).toEqual(['intern', 'vertrouwelijk']);
    expect(hdb.declaration).toEqual({ version: 2, nl: 'Ik verklaar het', en: 'I declare it' });
    expect(ztl.phenomena.map((p) => p.code)).toContain('domiciliefraude');
    expect(ztl.officialCode).toBe('11002');
    expect(ztl.allowBsn).toBe(false);
    expect(r.config.scopes).toEqual([{ ref: '19:programma@thread.tacv2', kind: 'channel', label: 'Programmateam', municipalities: ['HDB', 'ZTL'] }]);
    expect(r.config.briefing).toEqual({ weekday: 5 });
  });
});

describe('the shipped examples', () => {
  const root = path.resolve(__dirname, '../..');
  const docs = fs.readFileSync(path.join(root, 'docs/configuration.md'), 'utf8');
  const examples: [string, string][] = [
    ['config/weerbaar.example.yml', fs.readFileSync(path.join(root, 'config/weerbaar.example.yml'), 'utf8')],
    ['config/weerbaar.demo.yml', fs.readFileSync(path.join(root, 'config/weerbaar.demo.yml'), 'utf8')],
    ...[...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i): [string, string] => [`docs/configuration.md example ${i + 1}`, m[1]]),
  ];

  it.each(examples)('%s is valid', (name, text) => {
    const r = parseDeploymentConfig(name, text);
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('the demo file describes the demo world', () => {
    const r = parseDeploymentConfig('demo', examples[1][1]);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.municipalities.map((m) => [m.code, m.name, m.country])).toEqual(DEMO_MUNICIPALITIES.map((m) => [m.code, m.name, m.country]));
    expect(r.config.scopes.map((s) => [s.ref, s.municipalities])).toEqual(DEMO_CHANNELS.map((c) => [c.id, [c.municipalityCode]]));
  });
});

describe('a JSON configuration file', () => {
  it('is read by the same parser, with the same messages', () => {
    const json = JSON.stringify({ municipalities: [{ code: 'HDB', name: 'Gemeente Heidebroek', country: 'NL', officialCode: 'GM1901' }],
      scopes: [{ channelId: '19:a@thread.tacv2', municipalities: ['HDB'] }] }, null, 2);
    const r = parseDeploymentConfig('config/weerbaar.json', json);
    expect(r.ok && r.config.scopes[0].municipalities).toEqual(['HDB']);
    const bad = parseDeploymentConfig('config/weerbaar.json', json.replace('"NL"', '"DE"'));
    expect(bad.ok ? [] : bad.errors).toEqual(['config/weerbaar.json: municipalities[0].country: expected "NL" or "BE", got "DE"']);
    const broken = parseDeploymentConfig('config/weerbaar.json', json.replace('"name": "Gemeente Heidebroek",', '"name": "Gemeente Heidebroek"'));
    expect(broken.ok ? [] : broken.errors[0]).toMatch(/^config\/weerbaar\.json:\d+:\d+: syntax error: /);
  });
});
