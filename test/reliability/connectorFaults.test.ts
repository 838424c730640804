// The Bot Connector throttling (429 with Retry-After) and failing (500, 502, 503) while the bot answers and posts by
// itself (issue 10, part 6). test/integration/delivery.test.ts covers the outbox's deliveries to 342 mayors; this file
// covers the rest: replies within a turn, the card a dialog submit posts, the meeting card updated in place, the
// agenda posted before the overleg, the overleg card when it starts, and a crisis alert through the outbox. Each one:
// retried, waiting at least what Retry-After asked, never shown twice (the stub's recorded messages per
// conversation), and the user is not left without an answer.
import { randomUUID } from 'node:crypto';
import type { ConnectorStub } from '../support/connectorStub';
import {
  FATIMA, INGRID, PIETER, SANNE, SIGNALEN_HDB, cardAnswer, executeAction, fileTestSignal, install, invoke, message, say, startTestBot, validSignalInput,
  type TestBot,
} from '../support/harness';
import { sized } from '../support/profile';
import { seeded } from '../support/random';
import { until } from '../support/wait';

const HDB = { channel: SIGNALEN_HDB };
const PERSONAL = { personal: true } as const;
// Monday 30 November 2026, 10:00 in Heidebroek, and running (the outbox's retries wait for real, on this clock); it
// jumps only when no outbox job runs.
let base = Date.parse('2026-11-30T09:00:00Z');
let setAt = Date.now();
const now = () => new Date(base + (Date.now() - setAt));
async function setClock(iso: string): Promise<void> {
  await outboxIdle();
  base = Date.parse(iso);
  setAt = Date.now();
}
let bot: TestBot;

const outboxIdle = () => until('no outbox job is running or due', async () =>
  await bot.db.prisma.outboxJob.count({ where: { OR: [{ leasedBy: { not: null } }, { status: 'pending', runAt: { lte: now() } }] } }) === 0, 60_000);

interface Call { conversationId: string; at: number; status: number }
/**
 * Faults for one conversation: the first `failures` requests (POST or PUT) there get these statuses in turn; every
 * request is logged with its time and status.
 */
function faultsIn(stub: ConnectorStub, conversationId: string, statuses: readonly number[], retryAfterSeconds?: number): Call[] {
  const calls: Call[] = [];
  let n = 0;
  stub.fault = (conv) => {
    // A channel's messages go to its threads ("<channel>;messageid=<id>").
    if (conv.split(';')[0] !== conversationId) return undefined;
    const status = n < statuses.length ? statuses[n] : 200;
    n++;
    calls.push({ conversationId: conv, at: Date.now(), status });
    if (status === 200) return undefined;
    return { status, retryAfterSeconds: status === 429 ? retryAfterSeconds : undefined };
  };
  return calls;
}

/** The gaps after each 429 are at least what Retry-After asked (less 5 ms of timer slack). */
function honoursRetryAfter(calls: readonly Call[], seconds: number): void {
  for (let i = 0; i + 1 < calls.length; i++) if (calls[i].status === 429) expect(calls[i + 1].at - calls[i].at).toBeGreaterThanOrEqual(seconds * 1000 - 5);
}

const postsTo = (conversationId: string) => bot.stub.sent.filter((s) => s.method === 'POST' && s.conversationId.split(';')[0] === conversationId);

beforeAll(async () => {
  bot = await startTestBot({ now, env: { OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '100', CRISIS_MAX_REPEATS: '0' } });
  await install(bot, PIETER, HDB);
  for (const user of [SANNE, FATIMA, INGRID]) await say(bot, 'help', user, PERSONAL);
}, 120_000);
afterEach(() => { bot.stub.fault = undefined; });
afterAll(async () => { await bot.stop(); });

describe('a reply within a turn', () => {
  const RUNS = sized(4, 40);
  const personalOf = (user: typeof SANNE) => `a:personal-${user.teamsUserId}`;

  it(`is retried through 429s (honouring Retry-After) and 5xx, and arrives once (${RUNS} runs)`, async () => {
    const random = seeded(2026_10_06);
    for (let run = 0; run < RUNS; run++) {
      const faults = [[429], [503], [500, 502], [429, 503]][Math.floor(random() * 4)];
      const calls = faultsIn(bot.stub, personalOf(SANNE), faults, 1);
      bot.stub.clear();
      const activity = message(['help', 'signalen', 'mijn acties', 'nieuw signaal'][run % 4], SANNE, PERSONAL);
      const res = await bot.send(activity);
      expect(res.status).toBe(200);
      const replies = bot.stub.sent.filter((s) => s.activity.replyToId === activity.id);
      expect({ faults, replies: replies.length }).toEqual({ faults, replies: 1 });
      expect(calls.map((c) => c.status)).toEqual([...faults, 200]);
      honoursRetryAfter(calls, 1);
      expect(JSON.stringify(replies[0].activity)).not.toMatch(/Er ging iets mis/);
    }
  }, 300_000);

  it('of a dialog submit (the signal card it posts) arrives once, and the dialog closes with the reference', async () => {
    const calls = faultsIn(bot.stub, SIGNALEN_HDB.id, [429, 503], 1);
    bot.stub.clear();
    const nonce = randomUUID();
    const res = await bot.send(invoke('task/submit', { data: { verb: 'signal.form', nonce, ...validSignalInput({ houseNumber: '301' }) } }, SANNE, HDB));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toMatch(/SIG-\d{4}-\d{4,}/);
    expect(postsTo(SIGNALEN_HDB.id)).toHaveLength(1);
    expect(calls.map((c) => c.status)).toEqual([429, 503, 200]);
    honoursRetryAfter(calls, 1);
    expect(await bot.db.prisma.signal.count({ where: { houseNumber: '301' } })).toBe(1);
  }, 60_000);

  it('that cannot get through at all leaves the write done once, and the invoke answered', async () => {
    // The connector refuses every post to the channel (more than the client's retries): the signal is filed once, the
    // dialog still answers with its reference, and a resubmit (the user trying again) neither files it again nor fails.
    faultsIn(bot.stub, SIGNALEN_HDB.id, Array.from({ length: 20 }, () => 503));
    bot.stub.clear();
    const data = { verb: 'signal.form', nonce: randomUUID(), ...validSignalInput({ houseNumber: '302' }) };
    const first = await bot.send(invoke('task/submit', { data }, SANNE, HDB));
    expect(first.status).toBe(200);
    expect(JSON.stringify(first.body)).not.toMatch(/"statusCode":5|internal_error/);
    bot.stub.fault = undefined;
    const again = await bot.send(invoke('task/submit', { data }, SANNE, HDB));
    expect(JSON.stringify(again.body)).toMatch(/SIG-\d{4}-\d{4,}/);
    expect(await bot.db.prisma.signal.count({ where: { houseNumber: '302' } })).toBe(1);
    expect(postsTo(SIGNALEN_HDB.id)).toHaveLength(0);
  }, 120_000);
});

describe('the meeting\'s card and the overleg\'s posts in the channel', () => {
  let meetingId = '';
  const form = (title: string) => ({ kind: 'signalenoverleg', title, startDate: '2026-11-30', startTime: '14:00', durationMinutes: '90', recurrence: 'none',
    everyWeeks: '', until: '', attendeeIds: `${FATIMA.aadObjectId},${PIETER.aadObjectId}`, externalAttendees: '', organiser: 'overleg@heidebroek.example',
    online: 'true', location: '' });

  it('posts the meeting card once through a 429 and a 503', async () => {
    const calls = faultsIn(bot.stub, SIGNALEN_HDB.id, [429, 503], 1);
    bot.stub.clear();
    const planned = cardAnswer(await bot.send(executeAction('meeting.submit', { nonce: randomUUID(), ...form('Signalenoverleg Heidebroek') }, PIETER, HDB)));
    await outboxIdle();
    expect(JSON.stringify(planned)).toContain('Het overleg is gepland.');
    const cards = postsTo(SIGNALEN_HDB.id);
    expect(cards).toHaveLength(1);
    expect(calls.filter((c) => c.status !== 200).map((c) => c.status)).toEqual([429, 503]);
    honoursRetryAfter(calls, 1);
    const meeting = await bot.db.prisma.meeting.findFirstOrThrow({ where: { title: 'Signalenoverleg Heidebroek' } });
    meetingId = meeting.id;
    expect(meeting.cardActivityId).toBe(cards[0].id);
  }, 60_000);

  it('updates the meeting card in place through a 429 and a 502, posting nothing new', async () => {
    const before = await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } });
    const calls = faultsIn(bot.stub, SIGNALEN_HDB.id, [429, 502], 1);
    bot.stub.clear();
    cardAnswer(await bot.send(executeAction('meeting.submit', { nonce: randomUUID(), meetingId, ...form('Signalenoverleg Heidebroek (verzet)'), startTime: '14:30' }, PIETER, HDB)));
    await outboxIdle();
    await until('the channel card shows the change', () => bot.stub.sent.some((s) => s.method === 'PUT' && s.replyToId === before.cardActivityId
      && JSON.stringify(s.activity).includes('(verzet)')));
    expect(postsTo(SIGNALEN_HDB.id)).toHaveLength(0);
    expect(calls.filter((c) => c.status !== 200).map((c) => c.status)).toEqual([429, 502]);
    honoursRetryAfter(calls, 1);
  }, 60_000);

  it('posts the agenda before the meeting once: a run the connector refuses posts nothing, the next run posts it', async () => {
    await setClock('2026-11-30T12:35:00Z'); // 13:35, within the hour before the meeting (moved to 14:30)
    faultsIn(bot.stub, SIGNALEN_HDB.id, Array.from({ length: 20 }, () => 503));
    bot.stub.clear();
    expect(await bot.running.postDueAgendas()).toEqual({ sent: 0, failed: 1 });
    expect(postsTo(SIGNALEN_HDB.id)).toHaveLength(0);
    // Then only throttled once: the next run gets it through, and the one after has nothing left to post.
    const calls = faultsIn(bot.stub, SIGNALEN_HDB.id, [429], 1);
    expect(await bot.running.postDueAgendas()).toEqual({ sent: 1, failed: 0 });
    expect(await bot.running.postDueAgendas()).toEqual({ sent: 0, failed: 0 });
    expect(postsTo(SIGNALEN_HDB.id)).toHaveLength(1);
    expect(JSON.stringify(postsTo(SIGNALEN_HDB.id)[0].activity)).toContain('Agenda');
    honoursRetryAfter(calls, 1);
  }, 120_000);

  it('posts the overleg card once when the chair starts it through a 429, and he gets his answer', async () => {
    await setClock('2026-11-30T13:00:00Z');
    const calls = faultsIn(bot.stub, SIGNALEN_HDB.id, [429], 2);
    bot.stub.clear();
    const meeting = await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } });
    const own = cardAnswer(await bot.send(executeAction('overleg.start', { meetingId }, PIETER, HDB, { cardMessageId: meeting.cardActivityId ?? '' })));
    expect(JSON.stringify(own)).toContain('Het overleg is gestart');
    expect(postsTo(SIGNALEN_HDB.id)).toHaveLength(1);
    honoursRetryAfter(calls, 2);
  }, 60_000);
});

describe('a crisis alert through the outbox', () => {
  it('reaches the mayor once through 429s and 503s, honouring Retry-After', async () => {
    await outboxIdle();
    const calls = faultsIn(bot.stub, `a:personal-${INGRID.teamsUserId}`, [429, 503, 429], 1);
    bot.stub.clear();
    await fileTestSignal(bot, SANNE, HDB, { problemType: 'crisis', urgency: 'acuut', observedOn: '2026-11-30', houseNumber: '303' });
    await until('the alert is delivered', async () => await bot.db.prisma.delivery.count({ where: { kind: 'crisis', status: { not: 'pending' } } }) === 1, 30_000)
      .catch(async (err: unknown) => {
        throw new Error(`${String(err)}: ${JSON.stringify({ alerts: await bot.db.prisma.crisisAlert.count(), deliveries: await bot.db.prisma.delivery.findMany(),
          jobs: await bot.db.prisma.outboxJob.findMany(), calls })}`);
      });
    expect(await bot.db.prisma.delivery.count({ where: { kind: 'crisis', status: 'sent' } })).toBe(1);
    await outboxIdle();
    expect(postsTo(`a:personal-${INGRID.teamsUserId}`)).toHaveLength(1);
    expect(calls.map((c) => c.status)).toEqual([429, 503, 429, 200]);
    honoursRetryAfter(calls, 1);
  }, 90_000);
});
