// Internal failures: the user gets a short apology with a correlation id; neither the reply nor the HTTP
// response carries exception text, SQL or personal data; the log has the error's type and code, not its message.
import { SANNE, SIGNALEN_HDB, executeAction, message, repliesTo, startTestBot, texts, validSignalInput, type CardJson, type TestBot } from '../support/harness';

let bot: TestBot;
beforeAll(async () => { bot = await startTestBot(); });
afterAll(async () => { await bot.stop(); });
beforeEach(() => bot.stub.clear());

const LEAKS = [/Signal_broken/, /does not exist/i, /prisma/i, /SELECT|INSERT/, /\bat .*\.ts:\d+/, /Error:/, /Industrieweg/];

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${bot.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});

describe('bad requests', () => {
  it('answers malformed JSON with 400 and no parser text', async () => {
    const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type": "message", ' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toBe('{"error":"bad_request"}');
  });

  it('answers an oversized body with 413 and no parser text', async () => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...message('help', SANNE, { personal: true }), text: 'x'.repeat(600 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toBe('{"error":"bad_request"}');
  });
});

describe('an internal error', () => {
  beforeAll(async () => {
    // Break the database under the running bot: every signal query now fails with a SQL error.
    await bot.db.prisma.$executeRawUnsafe('ALTER TABLE "Signal" RENAME TO "Signal_broken"');
  });
  afterAll(async () => {
    await bot.db.prisma.$executeRawUnsafe('ALTER TABLE "Signal_broken" RENAME TO "Signal"');
  });

  it('gives a message an apology with a correlation id and no exception text', async () => {
    const activity = message('signalen', SANNE, { channel: SIGNALEN_HDB });
    const res = await bot.send(activity);
    expect(res.status).toBe(200);
    const reply = repliesTo(bot.stub, activity)[0].activity.text ?? '';
    expect(reply).toMatch(/^Er ging iets mis aan onze kant\. Probeer het zo nog eens\. Noem bij een melding deze code: [0-9a-f]{8}\.$/);
    for (const leak of LEAKS) expect(reply).not.toMatch(leak);
    const correlationId = /code: ([0-9a-f]{8})/.exec(reply)?.[1] ?? '';
    const logged = bot.logs.map((l) => JSON.parse(l) as { msg: string; correlationId?: string; err?: Record<string, unknown> })
      .find((l) => l.msg === 'turn failed' && l.correlationId === correlationId);
    expect(logged?.err).toEqual({ type: 'PrismaClientKnownRequestError', code: 'P2021' });
  });

  it('gives an invoke a 200 with an apology card, not a 500 with the exception', async () => {
    const res = await bot.send(executeAction('signal.submit', { nonce: 'broken-db', ...validSignalInput() }, SANNE, { channel: SIGNALEN_HDB }, { locale: 'en-US' }));
    expect(res.status).toBe(200);
    const body = res.body as { value: CardJson };
    const shown = texts(body.value).join(' ');
    expect(shown).toMatch(/^Something went wrong on our side\. .* code: [0-9a-f]{8}\.$/);
    for (const leak of LEAKS) expect(res.text).not.toMatch(leak);
  });

  it('never lets an adapter failure put exception text in the HTTP response', async () => {
    bot.stub.failWith = 500; // the connector refuses the reply, and then the apology too
    try {
      const res = await bot.send(message('signalen', SANNE, { channel: SIGNALEN_HDB }));
      for (const leak of LEAKS) expect(res.text).not.toMatch(leak);
      expect(res.text).not.toMatch(/stub failure/);
    } finally {
      bot.stub.failWith = undefined;
    }
  });

  it('keeps personal data out of the log', async () => {
    const all = bot.logs.join('\n');
    expect(all).not.toContain('Industrieweg');
    expect(all).not.toContain(SANNE.name);
  });
});
