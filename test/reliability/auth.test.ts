// Inbound authentication for real: the bot's Bot Framework authentication pointed at a loopback OpenID configuration
// and JWKS with test keys. Every forged, stale or misdirected token is refused with 401 before any handler runs (no
// row written, no exception text in the answer), over a message and over a card action; the valid shapes get through.
import { randomUUID } from 'node:crypto';
import { CHANNEL_ISSUER, startOpenIdStub, type OpenIdStub, type SignOptions } from '../support/openIdStub';
import { SANNE, SIGNALEN_HDB, executeAction, message, startTestBot, taskFetch, validSignalInput, type TeamsActivity, type TestBot } from '../support/harness';

const BOT_ID = '6f0d7c1e-3b1a-4c55-9a7e-2f1d9e8b4a10';
const HDB = { channel: SIGNALEN_HDB };
let keys: OpenIdStub;
let bot: TestBot;

beforeAll(async () => {
  keys = await startOpenIdStub();
  bot = await startTestBot({ env: { BOT_ID, BOT_PASSWORD: 'not-a-real-secret', HOST: '127.0.0.1', BOT_OPENID_METADATA_URL: keys.metadataUrl } });
});
afterAll(async () => { await bot.stop(); await keys.close(); });

const seconds = () => Math.floor(Date.now() / 1000);
/** What the Bot Connector signs for a request to this bot. */
const validClaims = () => ({ iss: CHANNEL_ISSUER, aud: BOT_ID, serviceurl: bot.stub.url, nbf: seconds() - 60, iat: seconds() - 60, exp: seconds() + 3600 });
const bearer = (claims: Record<string, unknown>, opts?: SignOptions) => `Bearer ${keys.sign(claims, opts)}`;

async function post(activity: TeamsActivity, authorization: string | undefined, serviceUrl = bot.stub.url) {
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) }, body: JSON.stringify({ ...activity, serviceUrl }) });
  return { status: res.status, text: await res.text() };
}

/** A card action that files a signal: if it reached its handler, a submission row with this nonce would exist. */
const submitSignal = (nonce: string) => executeAction('signal.submit', { nonce, ...validSignalInput({ description: `Ingediend met nonce ${nonce}.` }) }, SANNE, HDB);
const writes = async () => ({
  submissions: await bot.db.prisma.cardSubmission.count(), signals: await bot.db.prisma.signal.count(), audit: await bot.db.prisma.auditEvent.count(),
  conversations: await bot.db.prisma.conversationRef.count(),
});

/** `status`: the refusal when it is not 401 (Node refuses a header over 16 kB itself, before the bot sees the request). */
interface Forgery { name: string; authorization: () => string | undefined; activity?: (a: TeamsActivity) => TeamsActivity; serviceUrl?: string; status?: number }

const without = (key: string) => () => { const c: Record<string, unknown> = validClaims(); delete c[key]; return c; };
const forgeries: Forgery[] = [
  { name: 'no Authorization header', authorization: () => undefined },
  { name: 'an empty bearer', authorization: () => 'Bearer ' },
  { name: 'a bearer that is no JWT', authorization: () => 'Bearer abc.def' },
  { name: 'basic authentication', authorization: () => `Basic ${Buffer.from(`${BOT_ID}:not-a-real-secret`).toString('base64')}` },
  { name: 'a valid token without the Bearer scheme', authorization: () => keys.sign(validClaims()) },
  { name: 'two tokens', authorization: () => `${bearer(validClaims())} ${keys.sign(validClaims())}` },
  { name: 'an expired token', authorization: () => bearer({ ...validClaims(), exp: seconds() - 3600 }) },
  { name: 'a token expired beyond the five minutes of clock skew', authorization: () => bearer({ ...validClaims(), nbf: seconds() - 1200, exp: seconds() - 400 }) },
  { name: 'an expiry that is no number', authorization: () => bearer({ ...validClaims(), exp: 'never' }) },
  { name: 'a token not valid yet', authorization: () => bearer({ ...validClaims(), nbf: seconds() + 3600 }) },
  { name: 'a token valid only after the clock skew', authorization: () => bearer({ ...validClaims(), nbf: seconds() + 600 }) },
  { name: 'a wrong issuer', authorization: () => bearer({ ...validClaims(), iss: 'https://api.botframework.evil.example' }) },
  { name: 'the issuer over http', authorization: () => bearer({ ...validClaims(), iss: 'http://api.botframework.com' }) },
  { name: 'no issuer', authorization: () => bearer(without('iss')()) },
  { name: 'an Entra (emulator) issuer for another app', authorization: () => bearer({ ...validClaims(), iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', ver: '1.0', appid: randomUUID() }) },
  { name: 'a wrong audience', authorization: () => bearer({ ...validClaims(), aud: randomUUID() }) },
  { name: 'no audience', authorization: () => bearer(without('aud')()) },
  { name: 'an audience list without this bot', authorization: () => bearer({ ...validClaims(), aud: [randomUUID(), 'https://api.botframework.com'] }) },
  { name: 'the audience in other case', authorization: () => bearer({ ...validClaims(), aud: BOT_ID.toUpperCase() }) },
  { name: 'a serviceUrl claim for another connector', authorization: () => bearer({ ...validClaims(), serviceurl: 'https://smba.evil.example/emea/' }) },
  { name: 'no serviceUrl claim', authorization: () => bearer(without('serviceurl')()) },
  { name: 'a serviceUrl claim that differs in case', authorization: () => bearer({ ...validClaims(), serviceurl: bot.stub.url.toUpperCase() }) },
  { name: 'an activity sent to another serviceUrl than the token names', authorization: () => bearer(validClaims()), serviceUrl: 'https://smba.evil.example/emea/' },
  { name: 'an unknown key id', authorization: () => bearer(validClaims(), { kid: 'no-such-key' }) },
  { name: 'no key id', authorization: () => bearer(validClaims(), { header: { kid: undefined, x5t: undefined } }) },
  { name: 'a signature by an unpublished key under the published key id', authorization: () => bearer(validClaims(), { key: keys.unpublished }) },
  { name: 'a key endorsed for another channel only', authorization: () => bearer(validClaims(), { kid: keys.otherChannelKeyId }) },
  { name: 'a valid token for a channel the key is not endorsed for', authorization: () => bearer(validClaims()), activity: (a) => ({ ...a, channelId: 'skype' }) },
  { name: 'alg none', authorization: () => bearer(validClaims(), { alg: 'none' }) },
  { name: 'alg none in capitals', authorization: () => bearer(validClaims(), { alg: 'none', header: { alg: 'NONE' } }) },
  { name: 'HS256 signed with the public key as the secret', authorization: () => bearer(validClaims(), { alg: 'HS256' }) },
  { name: 'ES256 with an endorsed EC key', authorization: () => bearer(validClaims(), { alg: 'ES256', kid: keys.ecKeyId }) },
  { name: 'RS256 claimed, signed with SHA-512', authorization: () => { const t = keys.sign(validClaims(), { alg: 'RS512' }).split('.'); return `Bearer ${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: keys.keyId })).toString('base64url')}.${t[1]}.${t[2]}`; } },
  { name: 'a payload changed after signing', authorization: () => { const [h, , s] = keys.sign(validClaims()).split('.'); return `Bearer ${h}.${Buffer.from(JSON.stringify({ ...validClaims(), aud: BOT_ID, tampered: true })).toString('base64url')}.${s}`; } },
  { name: 'the signature stripped', authorization: () => `Bearer ${keys.sign(validClaims()).split('.').slice(0, 2).join('.')}.` },
  { name: 'a signature of another token', authorization: () => { const [h, p] = keys.sign({ ...validClaims(), aud: randomUUID() }).split('.'); const [, , s] = keys.sign(validClaims()).split('.'); return `Bearer ${h}.${p}.${s}`; } },
  { name: 'a 100 kB token', authorization: () => `Bearer ${'A'.repeat(100_000)}.${'B'.repeat(10)}.${'C'.repeat(10)}`, status: 431 },
  { name: 'a 12 kB token', authorization: () => `Bearer ${'A'.repeat(12_000)}.${'B'.repeat(10)}.${'C'.repeat(10)}` },
  { name: 'a header that is not JSON', authorization: () => `Bearer ${Buffer.from('{alg:RS256').toString('base64url')}.${keys.sign(validClaims()).split('.').slice(1).join('.')}` },
  { name: 'a token signed for this bot by the test keys but for a past connector session', authorization: () => bearer({ ...validClaims(), iat: seconds() - 90_000, nbf: seconds() - 90_000, exp: seconds() - 86_400 }) },
  { name: 'claims that are not an object', authorization: () => `Bearer ${keys.sign(validClaims()).split('.')[0]}.${Buffer.from('"just a string"').toString('base64url')}.${keys.sign(validClaims()).split('.')[2]}` },
];

describe('inbound authentication', () => {
  it(`refuses ${forgeries.length} forged or misdirected tokens with 401, on messages and on card actions, before any handler runs`, async () => {
    expect(forgeries.length).toBeGreaterThanOrEqual(40);
    const before = await writes();
    const outcomes: string[] = [];
    for (const f of forgeries) {
      for (const activity of [message('help', SANNE, HDB), submitSignal(randomUUID()), taskFetch({}, SANNE, HDB)]) {
        const res = await post(f.activity ? f.activity(activity) : activity, f.authorization(), f.serviceUrl);
        if (res.status !== (f.status ?? 401)) outcomes.push(`${f.name} (${String(activity.type)}): ${res.status}`);
        // The refusal says nothing about why (no exception text, no token parts).
        if (res.status === 401) expect(res.text).toBe('{"error":"unauthorized"}');
      }
    }
    expect(outcomes).toEqual([]);
    expect(await writes()).toEqual(before);
    expect(bot.stub.sent).toHaveLength(0);
  });

  it('lets the valid shapes through: RS256, RS384 and RS512, and tokens within the clock skew', async () => {
    const valid: [string, () => string][] = [
      ['RS256', () => bearer(validClaims())],
      ['RS384', () => bearer(validClaims(), { alg: 'RS384' })],
      ['RS512', () => bearer(validClaims(), { alg: 'RS512' })],
      ['expired two minutes ago (within the skew)', () => bearer({ ...validClaims(), exp: seconds() - 120 })],
      ['valid from two minutes from now (within the skew)', () => bearer({ ...validClaims(), nbf: seconds() + 120 })],
    ];
    for (const [name, authorization] of valid) {
      const res = await post(taskFetch({}, SANNE, HDB), authorization());
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      expect(JSON.parse(res.text)).toMatchObject({ task: { type: 'continue' } });
    }
    const nonce = randomUUID();
    const filed = await post(submitSignal(nonce), bearer(validClaims()));
    expect(filed.status).toBe(200);
    expect(await bot.db.prisma.cardSubmission.count({ where: { nonce } })).toBe(1);
  });
});
