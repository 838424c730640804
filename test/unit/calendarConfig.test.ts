import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { configErrorOf as errorOf } from '../support/configErrors';

const TENANT = '11111111-2222-3333-4444-555555555555';
const OTHER_TENANT = '66666666-7777-8888-9999-aaaaaaaaaaaa';
const BOT_ID = 'b0b0b0b0-0000-0000-0000-000000000000';
const GRAPH_APP = 'c0c0c0c0-0000-0000-0000-000000000000';
const SECRET = 'not-a-real-secret';
const bot = { BOT_ID, BOT_PASSWORD: SECRET, BOT_TENANT_ID: TENANT, BOT_TYPE: 'SingleTenant' };
const graph = { CALENDAR: 'graph', ...bot };

function graphOf(env: Record<string, string>) {
  const calendar = loadConfig(env).calendar;
  if (calendar.kind !== 'graph') throw new Error(`expected the graph calendar, got ${calendar.kind}`);
  return calendar.graph;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weerbaar-calendar-config-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
// Fake PEM text: config only looks for the marker.
const PEM_WITH_KEY = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';
const PEM_WITHOUT_KEY = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n';

describe('calendar configuration', () => {
  it('defaults to the local calendar with the outbox defaults', () => {
    const config = loadConfig({});
    expect(config.calendar).toEqual({ kind: 'local' });
    expect(config.outbox).toEqual({ concurrency: 4, leaseMs: 120_000, pollMs: 2_000, maxAttempts: 10, backoffBaseMs: 5_000, backoffMaxMs: 600_000 });
    expect(loadConfig({ CALENDAR: 'local', ...bot }).calendar).toEqual({ kind: 'local' });
    expect(loadConfig({ CALENDAR: '' }).calendar).toEqual({ kind: 'local' });
  });

  it('reads the outbox settings', () => {
    expect(loadConfig({ OUTBOX_MAX_ATTEMPTS: '3', OUTBOX_RETRY_BASE_MS: '100', OUTBOX_LEASE_SECONDS: '30', OUTBOX_POLL_MS: '50' }).outbox)
      .toEqual({ concurrency: 4, leaseMs: 30_000, pollMs: 50, maxAttempts: 3, backoffBaseMs: 100, backoffMaxMs: 600_000 });
  });

  it.each([
    ['CALENDAR', 'outlook'],
    ['OUTBOX_MAX_ATTEMPTS', '0'], ['OUTBOX_MAX_ATTEMPTS', '51'], ['OUTBOX_MAX_ATTEMPTS', 'many'],
    ['OUTBOX_RETRY_BASE_MS', '9'], ['OUTBOX_RETRY_BASE_MS', '600001'],
    ['OUTBOX_LEASE_SECONDS', '1'], ['OUTBOX_LEASE_SECONDS', '3601'], ['OUTBOX_LEASE_SECONDS', '1.5'],
    ['OUTBOX_POLL_MS', '9'], ['OUTBOX_POLL_MS', '600001'],
  ])('refuses %s=%s, naming it', (variable, value) => {
    expect(errorOf({ [variable]: value }).variable).toBe(variable);
  });

  it('CALENDAR=graph with a single-tenant bot takes client id, secret and tenant from the bot', () => {
    expect(graphOf(graph)).toEqual({
      tenantId: TENANT, clientId: BOT_ID, credential: { kind: 'secret', secret: SECRET },
      authorityHost: 'https://login.microsoftonline.com', baseUrl: 'https://graph.microsoft.com', maxConcurrency: 4,
    });
    expect(graphOf(graph)).not.toHaveProperty('trustedCa');
  });

  it('a separate app registration with its own secret and tenant', () => {
    const g = graphOf({ ...graph, GRAPH_CLIENT_ID: GRAPH_APP, GRAPH_CLIENT_SECRET: 'another-not-a-real-secret', GRAPH_TENANT_ID: OTHER_TENANT });
    expect(g.clientId).toBe(GRAPH_APP);
    expect(g.credential).toEqual({ kind: 'secret', secret: 'another-not-a-real-secret' });
    expect(g.tenantId).toBe(OTHER_TENANT);
  });

  it('works without a bot when everything is given explicitly', () => {
    const g = graphOf({ CALENDAR: 'graph', GRAPH_CLIENT_ID: GRAPH_APP, GRAPH_CLIENT_SECRET: SECRET, GRAPH_TENANT_ID: TENANT });
    expect(g).toMatchObject({ clientId: GRAPH_APP, tenantId: TENANT, credential: { kind: 'secret', secret: SECRET } });
  });

  it('does not lend the bot password to another app: GRAPH_CLIENT_ID without GRAPH_CLIENT_SECRET is refused', () => {
    const err = errorOf({ ...graph, GRAPH_CLIENT_ID: GRAPH_APP });
    expect(err.variable).toBe('GRAPH_CLIENT_SECRET');
    expect(err.message).not.toContain(SECRET);
  });

  it('a managed-identity bot has no password to lend', () => {
    expect(errorOf({ CALENDAR: 'graph', BOT_ID, BOT_TYPE: 'UserAssignedMSI', BOT_TENANT_ID: TENANT }).variable).toBe('GRAPH_CLIENT_SECRET');
  });

  it('needs a client id', () => {
    expect(errorOf({ CALENDAR: 'graph', GRAPH_CLIENT_SECRET: SECRET, GRAPH_TENANT_ID: TENANT }).variable).toBe('GRAPH_CLIENT_ID');
  });

  it('needs a tenant, naming GRAPH_TENANT_ID', () => {
    // A multi-tenant bot has no tenant of its own.
    expect(errorOf({ CALENDAR: 'graph', BOT_ID, BOT_PASSWORD: SECRET }).variable).toBe('GRAPH_TENANT_ID');
    expect(errorOf({ CALENDAR: 'graph', GRAPH_CLIENT_ID: GRAPH_APP, GRAPH_CLIENT_SECRET: SECRET }).variable).toBe('GRAPH_TENANT_ID');
    expect(errorOf({ CALENDAR: 'graph', GRAPH_CLIENT_ID: GRAPH_APP, GRAPH_CLIENT_SECRET: SECRET, GRAPH_TENANT_ID: '  ' }).variable).toBe('GRAPH_TENANT_ID');
  });

  it.each(['contoso.onmicrosoft.com', 'common', 'organizations', '11111111-2222-3333-4444', '11111111222233334444555555555555'])(
    'refuses the non-GUID tenant %j', (tenant) => {
      expect(errorOf({ ...graph, GRAPH_TENANT_ID: tenant }).variable).toBe('GRAPH_TENANT_ID');
    });

  // A GUID's last group has exactly 12 hex digits. The allow-list takes 13 too (the Playground's mock tenant), but a
  // mistyped Graph tenant would otherwise pass the start-up check and only fail at the first token request.
  it('refuses a tenant id with 13 digits in its last group (only the Playground\'s mock tenant has those, and it issues no tokens)', () => {
    expect(errorOf({ ...graph, GRAPH_TENANT_ID: '11111111-2222-3333-4444-5555555555555' }).variable).toBe('GRAPH_TENANT_ID');
  });

  it('refuses a non-GUID bot tenant when Graph borrows it', () => {
    expect(errorOf({ ...graph, BOT_TENANT_ID: 'contoso.onmicrosoft.com' }).variable).toBe('GRAPH_TENANT_ID');
  });

  describe('GRAPH_CERTIFICATE_PATH', () => {
    it('names the variable when the file is missing', () => {
      const err = errorOf({ ...graph, GRAPH_CERTIFICATE_PATH: path.join(dir, 'missing.pem') });
      expect(err.variable).toBe('GRAPH_CERTIFICATE_PATH');
      expect(err.message).toMatch(/cannot read/);
    });

    it('refuses a PEM file without a private key', () => {
      expect(errorOf({ ...graph, GRAPH_CERTIFICATE_PATH: file('cert-only.pem', PEM_WITHOUT_KEY) }).variable).toBe('GRAPH_CERTIFICATE_PATH');
      expect(errorOf({ ...graph, GRAPH_CERTIFICATE_PATH: file('empty.pem', '') }).variable).toBe('GRAPH_CERTIFICATE_PATH');
    });

    it('accepts a PEM file with a private key, as an absolute path, preferred over a secret', () => {
      const pem = file('with-key.pem', PEM_WITH_KEY);
      expect(graphOf({ ...graph, GRAPH_CERTIFICATE_PATH: pem }).credential).toEqual({ kind: 'certificate', pemPath: pem });
      expect(graphOf({ ...graph, GRAPH_CERTIFICATE_PATH: path.relative(process.cwd(), pem) }).credential).toEqual({ kind: 'certificate', pemPath: pem });
      expect(graphOf({ ...graph, GRAPH_CLIENT_ID: GRAPH_APP, GRAPH_CLIENT_SECRET: SECRET, GRAPH_CERTIFICATE_PATH: pem }).credential)
        .toEqual({ kind: 'certificate', pemPath: pem });
    });

    it('a certificate makes a separate app registration complete without a secret', () => {
      const pem = file('rsa.pem', '-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n');
      const g = graphOf({ ...graph, GRAPH_CLIENT_ID: GRAPH_APP, GRAPH_CERTIFICATE_PATH: pem });
      expect(g.clientId).toBe(GRAPH_APP);
      expect(g.credential).toEqual({ kind: 'certificate', pemPath: pem });
    });

    it('is not read with the local calendar', () => {
      expect(loadConfig({ GRAPH_CERTIFICATE_PATH: path.join(dir, 'missing.pem') }).calendar).toEqual({ kind: 'local' });
    });
  });

  describe('GRAPH_BASE_URL and GRAPH_AUTHORITY_HOST', () => {
    it.each(['http://127.0.0.1:1234', 'http://localhost:8080', 'http://[::1]:9', 'https://graph.microsoft.us', 'https://graph.example.org:8443'])(
      'accepts the base URL %s', (url) => {
        expect(graphOf({ ...graph, GRAPH_BASE_URL: url }).baseUrl).toBe(url);
      });

    it.each(['http://graph.example.org', 'http://localhost.example.org', 'http://127.0.0.1.example.org', 'ftp://graph.example.org',
      'https://graph.microsoft.com/v1.0', 'graph.microsoft.com'])('refuses the base URL %s, naming GRAPH_BASE_URL', (url) => {
      expect(errorOf({ ...graph, GRAPH_BASE_URL: url }).variable).toBe('GRAPH_BASE_URL');
    });

    it('requires an https authority host', () => {
      expect(errorOf({ ...graph, GRAPH_AUTHORITY_HOST: 'http://login.microsoftonline.com' }).variable).toBe('GRAPH_AUTHORITY_HOST');
      expect(errorOf({ ...graph, GRAPH_AUTHORITY_HOST: 'http://127.0.0.1:1234' }).variable).toBe('GRAPH_AUTHORITY_HOST');
      expect(errorOf({ ...graph, GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.com/common' }).variable).toBe('GRAPH_AUTHORITY_HOST');
      expect(graphOf({ ...graph, GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.us' }).authorityHost).toBe('https://login.microsoftonline.us');
    });

    it('removes a trailing slash from both', () => {
      const g = graphOf({ ...graph, GRAPH_BASE_URL: 'https://graph.microsoft.us/', GRAPH_AUTHORITY_HOST: 'https://login.microsoftonline.us/' });
      expect(g.baseUrl).toBe('https://graph.microsoft.us');
      expect(g.authorityHost).toBe('https://login.microsoftonline.us');
      expect(graphOf({ ...graph, GRAPH_BASE_URL: 'http://127.0.0.1:1234/' }).baseUrl).toBe('http://127.0.0.1:1234');
    });
  });

  describe('GRAPH_MAX_CONCURRENCY', () => {
    it('accepts 1..4 and uses it for Graph and for the outbox', () => {
      expect(graphOf({ ...graph, GRAPH_MAX_CONCURRENCY: '2' }).maxConcurrency).toBe(2);
      expect(loadConfig({ ...graph, GRAPH_MAX_CONCURRENCY: '2' }).outbox.concurrency).toBe(2);
      expect(loadConfig({ GRAPH_MAX_CONCURRENCY: '1' }).outbox.concurrency).toBe(1);
    });

    it.each(['5', '0', '2.5', 'two'])('refuses %j', (value) => {
      expect(errorOf({ ...graph, GRAPH_MAX_CONCURRENCY: value }).variable).toBe('GRAPH_MAX_CONCURRENCY');
    });
  });

  describe('GRAPH_CA_FILE', () => {
    it('is read into trustedCa', () => {
      const ca = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2E=\n-----END CERTIFICATE-----\n';
      expect(graphOf({ ...graph, GRAPH_CA_FILE: file('ca.pem', ca) }).trustedCa).toBe(ca);
    });

    it('names the variable when the file is missing', () => {
      expect(errorOf({ ...graph, GRAPH_CA_FILE: path.join(dir, 'no-ca.pem') }).variable).toBe('GRAPH_CA_FILE');
    });
  });

  describe('TEAMS_APP_CATALOG_ID (installing the app for mayors through Graph)', () => {
    const CATALOG_APP = 'd5a0a1b2-0000-4000-8000-00000000a44c';

    it('is off by default, and uses the same Graph settings as the calendar when set', () => {
      expect(loadConfig({ ...graph }).appInstall).toBeUndefined();
      const config = loadConfig({ ...graph, TEAMS_APP_CATALOG_ID: CATALOG_APP });
      expect(config.appInstall).toEqual({ catalogAppId: CATALOG_APP, graph: graphOf(graph) });
    });

    it('works with the local calendar, taking Graph settings from the bot', () => {
      const config = loadConfig({ ...bot, TEAMS_APP_CATALOG_ID: CATALOG_APP });
      expect(config.calendar).toEqual({ kind: 'local' });
      expect(config.appInstall?.graph).toMatchObject({ tenantId: TENANT, clientId: BOT_ID, credential: { kind: 'secret', secret: SECRET } });
    });

    it('needs Graph settings, saying what needs them', () => {
      const err = errorOf({ TEAMS_APP_CATALOG_ID: CATALOG_APP });
      expect(err.variable).toBe('GRAPH_CLIENT_ID');
      expect(err.message).toContain('TEAMS_APP_CATALOG_ID');
    });

    it.each(['weerbaar', 'com.example.weerbaar', `${CATALOG_APP}0`])('refuses %j, naming the variable', (value) => {
      expect(errorOf({ ...graph, TEAMS_APP_CATALOG_ID: value }).variable).toBe('TEAMS_APP_CATALOG_ID');
    });
  });
});
