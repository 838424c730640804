// The Monday briefing to every mayor of the Netherlands (342) through a loopback Bot Connector that throttles (429
// with Retry-After) and fails (503) at random: every mayor gets exactly one card, Retry-After is honoured, and the
// pacing limits (per conversation 7/s and 60/30 s, per tenant 30/s) are never exceeded at the connector.
import { DEMO_TENANT_ID } from '../../src/store/demoData';
import { startTestBot, type TestBot } from '../support/harness';
import { seeded } from '../support/random';

const MAYORS = 342;
// Monday 08:01 in the Netherlands, and running: retries wait for real (Retry-After), on this clock.
const started = Date.now();
const clock = () => new Date(Date.parse('2026-11-30T07:01:00Z') + (Date.now() - started));
let bot: TestBot;

/** The most sends inside any window of `ms` (a sliding window over sorted times). */
function busiest(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

beforeAll(async () => {
  bot = await startTestBot({ now: clock, env: { OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '100', OUTBOX_MAX_ATTEMPTS: '30' } });
  const ids = Array.from({ length: MAYORS }, (_, i) => i);
  await bot.db.prisma.municipality.createMany({ data: ids.map((i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, code: `M${i}`, name: `Gemeente ${i}`, country: 'NL' as const, phenomena: [] })) });
  await bot.db.prisma.scope.createMany({ data: ids.map((i) => ({
    id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, key: `channel:${DEMO_TENANT_ID}:team-${i}:19:m${i}@thread.tacv2`, kind: 'channel' as const, tenantId: DEMO_TENANT_ID,
    teamId: `team-${i}`, channelId: `19:m${i}@thread.tacv2`, name: `Bestuur ${i}`, serviceUrl: bot.stub.url, municipalityId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, enabled: true,
  })) });
  await bot.db.prisma.member.createMany({ data: ids.map((i) => ({ scopeId: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, aadObjectId: `mayor-${i}`,
    teamsUserId: `user-mayor-${i}`, name: `Burgemeester ${i}`, role: 'mayor' as const })) });
  await bot.db.prisma.conversationRef.createMany({ data: ids.map((i) => ({ tenantId: DEMO_TENANT_ID, aadObjectId: `mayor-${i}`, teamsUserId: `user-mayor-${i}`,
    serviceUrl: bot.stub.url, conversationId: `a:personal-mayor-${i}` })) });
}, 120_000);
afterAll(async () => { await bot.stop(); });

it('delivers the Monday briefing to 342 mayors once each, through 429s and 503s, within the pacing limits', async () => {
  const random = seeded(342);
  bot.stub.fault = () => {
    const r = random();
    if (r < 0.15) return { status: 429, retryAfterSeconds: 1 };
    if (r < 0.25) return { status: 503 };
    return undefined;
  };
  // The demo's own mayor (Heidebroek) has no personal chat with the bot: her briefing is reported, not sent.
  expect(await bot.running.issueBriefings()).toBe(MAYORS + 1);
  const end = Date.now() + 150_000;
  while (await bot.db.prisma.delivery.count({ where: { kind: 'briefing', status: 'pending' } }) > 0) {
    if (Date.now() > end) throw new Error('deliveries did not finish');
    await new Promise((r) => setTimeout(r, 200));
  }

  // Exactly one card per mayor: one accepted POST to each personal chat, and the row that says so.
  const accepted = bot.stub.attempts.filter((a) => a.status === 200);
  expect(accepted).toHaveLength(MAYORS);
  expect(new Set(accepted.map((a) => a.conversationId)).size).toBe(MAYORS);
  expect(bot.stub.sent.filter((s) => s.conversationId.startsWith('a:personal-mayor-'))).toHaveLength(MAYORS);
  expect(await bot.db.prisma.delivery.count({ where: { kind: 'briefing', status: 'sent' } })).toBe(MAYORS);
  expect(await bot.db.prisma.delivery.findMany({ where: { kind: 'briefing', status: 'failed' }, select: { recipientAadId: true, failure: true } }))
    .toEqual([{ recipientAadId: '00000000-0000-0000-0000-0000000000024', failure: 'noConversation' }]);

  // The storm happened, and Retry-After was honoured.
  expect(bot.stub.attempts.filter((a) => a.status === 429).length).toBeGreaterThan(30);
  expect(bot.stub.attempts.filter((a) => a.status === 503).length).toBeGreaterThan(15);
  const byConversation = new Map<string, { at: number; status: number }[]>();
  for (const a of bot.stub.attempts) byConversation.set(a.conversationId, [...(byConversation.get(a.conversationId) ?? []), a]);
  for (const tries of byConversation.values()) {
    for (let i = 0; i + 1 < tries.length; i++) if (tries[i].status === 429) expect(tries[i + 1].at - tries[i].at).toBeGreaterThanOrEqual(995);
    // Per conversation: 7 a second, 60 per 30 seconds.
    expect(busiest(tries.map((t) => t.at), 1_000)).toBeLessThanOrEqual(7);
    expect(busiest(tries.map((t) => t.at), 30_000)).toBeLessThanOrEqual(60);
  }
  // Per tenant: 30 a second, across every attempt (refused ones count: Teams counted them).
  expect(busiest(bot.stub.attempts.map((a) => a.at), 1_000)).toBeLessThanOrEqual(30);
  // And not needlessly slow: close to the tenant's rate.
  const span = (Math.max(...bot.stub.attempts.map((a) => a.at)) - Math.min(...bot.stub.attempts.map((a) => a.at))) / 1000;
  expect(bot.stub.attempts.length / span).toBeGreaterThan(15);
}, 200_000);
