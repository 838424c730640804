// Two bot processes on one PostgreSQL database, as in production behind Azure Bot Service: the durable work (meetings
// put in the calendar, day-before reminders, the scheduled briefing, the retention run) happens exactly once across
// both, however often both run it at the same moment; and a process killed while it holds jobs leaves them to the
// other, which takes them over only once their lease has expired. Real processes (the compiled lib/), a loopback Bot
// Connector, a loopback Entra and Graph. PGlite lives inside one process, so this file runs in the PostgreSQL pass.
import { transactionIdOf } from '../../src/calendar/graphEvent';
import { loadConfig } from '../../src/config';
import { DEMO_TEAM_ID } from '../../src/store/demoData';
import { buildLib, startBotProcess, type BotProcess, type PeriodicWork } from '../support/botProcess';
import { startConnectorStub, type ConnectorStub } from '../support/connectorStub';
import { ORGANISER, startGraphWorld, type GraphWorld } from '../support/graphWorld';
import {
  DAAN, DEMO_TENANT_ID, DEMO_USERS, FATIMA, INGRID, PIETER, SIGNALEN_HDB, acceptDeclarations, allActions, executeAction, message, validSignalInput,
  type CardJson, type TeamsActivity,
} from '../support/harness';
import { openTestDb, type TestDatabase } from '../support/testDb';
import { until as waitUntil } from '../support/wait';

const onPostgres = loadConfig({ ...process.env, NODE_ENV: 'test' }).database.kind === 'postgres';
const HDB = { channel: SIGNALEN_HDB };
const PERSONAL = { personal: true } as const;
const LEASE_SECONDS = 10;
// Both processes' clock: Monday 30 November 2026, 08:30 in Heidebroek (the briefing is due, tomorrow's meetings get
// their reminder today), running in real time, so leases expire as they would.
const CLOCK_OFFSET_MS = Date.parse('2026-11-30T07:30:00Z') - Date.now();
const until = (what: string, check: () => boolean | Promise<boolean>) => waitUntil(what, check, 60_000);

(onPostgres ? describe : describe.skip)('two bot processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let world: GraphWorld;
  let connector: ConnectorStub;
  let a: BotProcess;
  let b: BotProcess;
  const env = (extra: Record<string, string>) => ({
    DATABASE_URL: db.url ?? '', ALLOWED_TENANT_IDS: DEMO_TENANT_ID, WEERBAAR_TEST_CLOCK_OFFSET_MS: String(CLOCK_OFFSET_MS),
    OUTBOX_POLL_MS: '100', OUTBOX_RETRY_BASE_MS: '200', OUTBOX_LEASE_SECONDS: String(LEASE_SECONDS), ...world.env(), ...extra,
  });
  const send = (bot: BotProcess, activity: TeamsActivity) => bot.send(activity, connector.url);
  const cardOf = (res: { status: number; body: unknown }) => {
    if (res.status !== 200) throw new Error(`answered ${res.status}`);
    return (res.body as { value: CardJson }).value;
  };
  /** Runs the periodic work in both processes at the same moment, `times` times over. */
  const inBoth = async (work: PeriodicWork, times = 3) => {
    const results: unknown[] = [];
    for (let i = 0; i < times; i++) results.push(...await Promise.all([a.run(work), b.run(work)]));
    return results;
  };

  beforeAll(async () => {
    buildLib();
    db = await openTestDb();
    world = await startGraphWorld();
    connector = await startConnectorStub();
    connector.rosters.set(DEMO_TEAM_ID, DEMO_USERS.map((u) => ({ id: u.teamsUserId, name: u.name, aadObjectId: u.aadObjectId })));
    // The first process loads the demo data; the second finds it there.
    a = await startBotProcess(env({ DEMO_DATA: 'true' }));
    b = await startBotProcess(env({ DEMO_DATA: 'false' }));
    await acceptDeclarations(db, DEMO_USERS.map((u) => u.aadObjectId));
    const { text: _t, textFormat: _f, ...installed } = message('', PIETER, HDB);
    void _t; void _f;
    expect((await send(a, { ...installed, type: 'installationUpdate', action: 'add' } as TeamsActivity)).status).toBe(200);
    // The mayor and the deputy have the bot in their personal chat (each met a different process).
    expect((await send(a, message('help', INGRID, PERSONAL))).status).toBe(200);
    expect((await send(b, message('help', DAAN, PERSONAL))).status).toBe(200);
  }, 240_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await connector?.close();
    await world?.close();
    await db?.close();
  });

  let nonces = 0;
  const planMeeting = (bot: BotProcess, title: string) => send(bot, executeAction('meeting.submit', {
    nonce: `scale-${++nonces}`, kind: 'signalenoverleg', title, startDate: '2026-12-01', startTime: '14:00', durationMinutes: '60', recurrence: 'none',
    everyWeeks: '', until: '', attendeeIds: `${FATIMA.aadObjectId},${DAAN.aadObjectId}`, externalAttendees: '', organiser: ORGANISER, online: 'true', location: '',
  }, PIETER, HDB)).then(cardOf);
  const meetingIdOf = (card: CardJson) => String(allActions(card).find((x) => x.verb === 'meeting.cancel' || x.verb === 'meeting.edit')?.data?.meetingId);
  const createsOf = (meetingId: string) => world.graph.calls.filter((c) => c.operation === 'create' && c.transactionId === transactionIdOf(meetingId));
  const eventsOf = (meetingId: string) => [...world.graph.events.values()].filter((e) => e.body.transactionId === transactionIdOf(meetingId));
  const meetingIds: string[] = [];

  it('puts every meeting planned through either process in the calendar exactly once', async () => {
    const cards = await Promise.all(Array.from({ length: 20 }, (_, i) => planMeeting(i % 2 === 0 ? a : b, `Signalenoverleg ${i + 1}`)));
    meetingIds.push(...cards.map(meetingIdOf));
    expect(new Set(meetingIds).size).toBe(20);
    await until('every meeting is in the calendar', async () => await db.prisma.outboxJob.count({ where: { key: { in: meetingIds.map((id) => `meeting:${id}`) }, status: 'done' } }) === 20);
    for (const id of meetingIds) {
      expect(createsOf(id)).toHaveLength(1);
      expect(eventsOf(id)).toHaveLength(1);
    }
  });

  it('posts each meeting\'s day-before reminder once, while both processes send reminders at the same moments', async () => {
    connector.clear();
    const results = await inBoth('meetingReminders') as { sent: number; failed: number }[];
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(20);
    expect(results.reduce((n, r) => n + r.failed, 0)).toBe(0);
    const reminders = connector.sent.filter((s) => s.method === 'POST' && s.conversationId.startsWith(SIGNALEN_HDB.id) && JSON.stringify(s.activity).includes('Herinnering: dit overleg is op'));
    expect(reminders).toHaveLength(20);
    expect(await db.prisma.meetingReminder.count({ where: { meetingId: { in: meetingIds }, sentAt: { not: null } } })).toBe(20);
  });

  it('issues the scheduled briefing once and gives the mayor one card', async () => {
    connector.clear();
    const issued = await inBoth('briefings') as number[];
    expect(issued.reduce((n, x) => n + x, 0)).toBe(await db.prisma.briefing.count({ where: { kind: 'scheduled' } }));
    const toIngrid = await db.prisma.delivery.findMany({ where: { kind: 'briefing', recipientAadId: INGRID.aadObjectId } });
    expect(toIngrid).toHaveLength(1);
    await until('the briefing was delivered', async () => (await db.prisma.delivery.findUniqueOrThrow({ where: { id: toIngrid[0].id } })).status === 'sent');
    // Every delivery ran once: one card per recipient's chat.
    const delivered = await db.prisma.delivery.findMany({ where: { kind: 'briefing', status: 'sent' } });
    for (const d of delivered) expect(connector.sent.filter((s) => s.method === 'POST' && s.conversationId === d.conversationId)).toHaveLength(1);
  });

  it('runs the day\'s retention once: one process anonymises, the other finds the day taken', async () => {
    const nonce = 'scale-retention';
    const filed = cardOf(await send(a, executeAction('signal.submit', { nonce, ...validSignalInput({ description: 'Leidde tot niets.', observedOn: '2026-11-30' }) }, FATIMA, HDB)));
    expect(filed.type).toBe('AdaptiveCard');
    const signalId = (await db.prisma.cardSubmission.findUniqueOrThrow({ where: { nonce_aadObjectId: { nonce, aadObjectId: FATIMA.aadObjectId } } })).recordId;
    cardOf(await send(b, executeAction('signal.transition', { signalId, transition: 'afsluiten', reason_afsluiten: 'Na verrijking geen aanwijzingen.' }, FATIMA, HDB)));
    // Closed thirteen months ago: past the twelve months after which it is anonymised.
    await db.prisma.signal.update({ where: { id: signalId }, data: { statusChangedAt: new Date('2025-10-30T10:00:00Z') } });
    const outcomes = await inBoth('retention', 2) as string[];
    expect(outcomes.sort()).toEqual(['alreadyRan', 'alreadyRan', 'alreadyRan', 'done']);
    expect(await db.prisma.retentionRun.count()).toBe(1);
    expect(await db.prisma.tombstone.count({ where: { recordId: signalId } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { action: 'retention.anonymise', recordId: signalId } })).toBe(1);
    expect(await db.prisma.signal.findUniqueOrThrow({ where: { id: signalId } })).toMatchObject({ description: '[geanonimiseerd]' });
  });

  it('leaves a killed process\'s claimed jobs to the other, which takes them over once their lease expired, creating each event once', async () => {
    // Graph carries the creates out but does not answer yet: each process holds the jobs it claimed.
    world.graph.holding = true;
    const planned = (await Promise.all(Array.from({ length: 8 }, (_, i) => planMeeting(i % 2 === 0 ? a : b, `Casusoverleg ${i + 1}`)))).map(meetingIdOf);
    const jobsOf = () => db.prisma.outboxJob.findMany({ where: { key: { in: planned.map((id) => `meeting:${id}`) } } });
    await until('all eight jobs are claimed', async () => (await jobsOf()).every((j) => j.leasedBy !== null));
    const workerOfA = /"workerId":"([0-9a-f-]{36})"/.exec(a.output.join(''))?.[1];
    expect(workerOfA).toBeDefined();
    const heldByA = (await jobsOf()).filter((j) => j.leasedBy === workerOfA);
    // Each process may run four calendar calls at a time: eight jobs, four each.
    expect(heldByA).toHaveLength(4);
    await a.kill();
    world.graph.holding = false;
    world.graph.release();
    await until('every job is done', async () => (await jobsOf()).every((j) => j.status === 'done'));
    for (const job of heldByA) {
      const meetingId = job.key.slice('meeting:'.length);
      // A's create went through before it was killed (its answer was lost); B's, after A's lease ended, found the event.
      const calls = createsOf(meetingId);
      expect(calls).toHaveLength(2);
      const leaseEnded = (job.leaseUntil?.getTime() ?? 0) - CLOCK_OFFSET_MS;
      expect(calls[1].at).toBeGreaterThanOrEqual(leaseEnded);
      expect(eventsOf(meetingId)).toHaveLength(1);
    }
    for (const id of planned) expect(eventsOf(id)).toHaveLength(1);
    expect(await db.prisma.meeting.count({ where: { id: { in: planned }, status: 'scheduled' } })).toBe(8);
  });
});
