// A mayor the bot cannot reach yet: with Graph configured (TEAMS_APP_CATALOG_ID), the briefing's delivery installs
// the app for her through a loopback Graph (throttled once), Teams' installation event from her new personal chat
// releases the waiting card at once, and she gets it exactly once. A mayor Graph cannot install for (an unknown user,
// another tenant) is reported to the admin instead.
import { DEMO_TENANT_ID } from '../../src/store/demoData';
import { briefingRecipients } from '../../src/services/administration';
import { startGraphWorld, type GraphWorld } from '../support/graphWorld';
import { message, startTestBot, type TeamsActivity, type TestBot } from '../support/harness';
import { until as waitUntil } from '../support/wait';

const CATALOG_APP = 'd5a0a1b2-0000-4000-8000-00000000a44c';
const started = Date.now();
// Monday 08:01 in the Netherlands, and running: Retry-After is waited for, on this clock.
const clock = () => new Date(Date.parse('2026-11-30T07:01:00Z') + (Date.now() - started));
let world: GraphWorld;
let bot: TestBot;
let tenantId = '';
const MAYOR = { teamsUserId: 'user-mayor-graafland', aadObjectId: '3f9c2a10-0000-4000-8000-00000000beef', name: 'Burgemeester Graafland', email: '', roles: {} };
const UNKNOWN_MAYOR = { aadObjectId: '3f9c2a10-0000-4000-8000-00000000dead', name: 'Burgemeester Veenoord' };

const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000) => waitUntil(what, check, timeoutMs);

beforeAll(async () => {
  world = await startGraphWorld();
  tenantId = world.entra.tenantId;
  const { CALENDAR: _calendar, ...graphSettings } = world.env();
  void _calendar;
  bot = await startTestBot({ now: clock, env: { ...graphSettings, TEAMS_APP_CATALOG_ID: CATALOG_APP, ALLOWED_TENANT_IDS: `${DEMO_TENANT_ID},${tenantId}`,
    OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '100' } });
  world.graph.catalogApps.add(CATALOG_APP);
  world.graph.users.add(MAYOR.aadObjectId);
  // Two municipalities in the Graph tenant, each with a mayor and no personal chat with the bot.
  for (const [i, mayor] of [MAYOR, UNKNOWN_MAYOR].entries()) {
    const m = await bot.db.prisma.municipality.create({ data: { code: `GM90${i}`, name: i === 0 ? 'Graafland' : 'Veenoord', country: 'NL', phenomena: [] } });
    const scope = await bot.db.prisma.scope.create({ data: { key: `channel:${tenantId}:team-g${i}:19:g${i}@thread.tacv2`, kind: 'channel', tenantId, teamId: `team-g${i}`,
      channelId: `19:g${i}@thread.tacv2`, name: `Bestuur ${i}`, serviceUrl: bot.stub.url, municipalityId: m.id, enabled: true } });
    await bot.db.prisma.member.create({ data: { scopeId: scope.id, aadObjectId: mayor.aadObjectId, teamsUserId: `user-${i}`, name: mayor.name, role: 'mayor' } });
  }
  // Teams, once the app is installed for her, tells the bot from her new personal chat.
  world.graph.onInstall = (user) => {
    if (user !== MAYOR.aadObjectId) return;
    const { text: _text, textFormat: _format, ...rest } = message('', MAYOR, { personal: true }, { tenantId });
    void _text; void _format;
    setTimeout(() => { void bot.send({ ...rest, type: 'installationUpdate', action: 'add' } as TeamsActivity); }, 10);
  };
}, 60_000);
afterAll(async () => {
  await bot.stop();
  await world.close();
});

it('installs the app for a mayor without it, and delivers her briefing once the installation event arrives', async () => {
  let throttled = false;
  world.graph.fault = (call) => {
    if (call.operation !== 'installApp' || call.mailbox !== MAYOR.aadObjectId || throttled) return undefined;
    throttled = true;
    return { status: 429, retryAfterSeconds: 1 };
  };
  expect(await bot.running.issueBriefings()).toBeGreaterThanOrEqual(2);
  const delivery = () => bot.db.prisma.delivery.findFirstOrThrow({ where: { recipientAadId: MAYOR.aadObjectId, kind: 'briefing' } });
  await until('her briefing was sent', async () => (await delivery()).status === 'sent');

  const installs = world.graph.calls.filter((c) => c.operation === 'installApp' && c.mailbox === MAYOR.aadObjectId);
  expect(installs.map((c) => c.status)).toEqual([429, 201]);
  // Retry-After was honoured, and the body names the app in the organisation's catalog.
  expect(installs[1].at - installs[0].at).toBeGreaterThanOrEqual(995);
  expect(installs[1].body).toEqual({ 'teamsApp@odata.bind': `${world.graph.url}/v1.0/appCatalogs/teamsApps/${CATALOG_APP}` });
  expect(world.graph.installedApps.get(MAYOR.aadObjectId)).toEqual(new Set([CATALOG_APP]));
  expect(world.graph.refused.filter((r) => r.status === 400)).toEqual([]);

  // The installation event released the card at once, not at its next try a minute later.
  const sent = bot.stub.sent.filter((s) => s.conversationId === `a:personal-${MAYOR.teamsUserId}` && s.activity.attachments);
  expect(sent).toHaveLength(1);
  expect((await delivery()).activityId).toBe(sent[0].id);
  const accepted = bot.stub.attempts.filter((a) => a.conversationId === `a:personal-${MAYOR.teamsUserId}` && a.status === 200);
  expect(accepted).toHaveLength(1);
  expect(accepted[0].at - installs[1].at).toBeLessThan(10_000);
  expect(await bot.db.prisma.conversationRef.findUniqueOrThrow({ where: { tenantId_aadObjectId: { tenantId, aadObjectId: MAYOR.aadObjectId } } }))
    .toMatchObject({ conversationId: `a:personal-${MAYOR.teamsUserId}`, goneAt: null });
}, 30_000);

it('reports the mayors Graph cannot install for, and those of another tenant, to the admin', async () => {
  const failed = async (aadObjectId: string) => (await bot.db.prisma.delivery.findFirst({ where: { recipientAadId: aadObjectId, kind: 'briefing' } }))?.status === 'failed';
  await until('the unknown mayor\'s delivery gave up', () => failed(UNKNOWN_MAYOR.aadObjectId));
  // Graph said the user does not exist: asked once, not retried.
  expect(world.graph.calls.filter((c) => c.operation === 'installApp' && c.mailbox === UNKNOWN_MAYOR.aadObjectId).map((c) => c.status)).toEqual([404]);
  // The demo mayor lives in another tenant than the app's Graph token: Graph is not asked at all.
  await until('the demo mayor\'s delivery gave up', () => failed('00000000-0000-0000-0000-0000000000024'));
  expect(world.graph.calls.filter((c) => c.mailbox === '00000000-0000-0000-0000-0000000000024')).toEqual([]);

  const report = await briefingRecipients(bot.running.deps);
  expect(report.filter((r) => r.municipality.startsWith('GM90'))).toEqual([
    { municipality: 'GM900', role: 'mayor', aadObjectId: MAYOR.aadObjectId, name: MAYOR.name, reachable: 'yes' },
    { municipality: 'GM901', role: 'mayor', aadObjectId: UNKNOWN_MAYOR.aadObjectId, name: UNKNOWN_MAYOR.name, reachable: 'no chat' },
  ]);
  // Nothing was installed that should not have been, and the log names no one.
  expect([...world.graph.installedApps.keys()]).toEqual([MAYOR.aadObjectId]);
  expect(bot.logs.filter((l) => l.includes(UNKNOWN_MAYOR.aadObjectId) || l.includes(MAYOR.aadObjectId))).toEqual([]);
});
