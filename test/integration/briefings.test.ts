// The mayor's briefing and crisis alerts over HTTP with a clock of our own: the figures checked against a computation
// of our own over generated records, the charts and their table fallbacks, `briefing` for the mayor only, the ad-hoc
// and the scheduled briefing delivered once to her personal chat, and a crisis: alerted at once, answered (the
// channel is told), and, unanswered, sent again and escalated to the deputy.
import { randomUUID } from 'node:crypto';
import { DEMO_TENANT_ID } from '../../src/store/demoData';
import { CASE_PHASES, MEASURES } from '../../src/domain/caseWorkflow';
import { PROBLEM_TYPES } from '../../src/domain/signalIntake';
import type { RecordedActivity } from '../support/connectorStub';
import {
  DAAN, FATIMA, INGRID, PIETER, SANNE, SIGNALEN_HDB, cardAnswer, cardOf, elements, executeAction, fileTestSignal, install, say, startTestBot, texts,
  type CardElement, type CardJson, type TestBot,
} from '../support/harness';
import { seeded } from '../support/random';
import { until } from '../support/wait';

const HDB = { channel: SIGNALEN_HDB };
const PERSONAL = { personal: true } as const;
// Monday 30 November 2026, 09:00 in Heidebroek: the briefing covers week 48 (23-29 November).
let clock = new Date('2026-11-30T08:00:00Z');
let bot: TestBot;

const personalOf = (userId: string) => `a:personal-${userId}`;
const cardsTo = (userId: string): RecordedActivity[] => bot.stub.sent.filter((s) => s.method === 'POST' && s.conversationId === personalOf(userId) && s.activity.attachments);

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock, env: { OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '50' } });
  await install(bot, PIETER, HDB);
  // The mayor and the deputy have the bot in their personal chat.
  await say(bot, 'help', INGRID, PERSONAL);
  await say(bot, 'help', DAAN, PERSONAL);
}, 60_000);
afterAll(async () => { await bot.stop(); });
// A card reaches the connector before its job records it as sent. Moving the clock past that job's lease then would
// let the outbox take the job over and send the card again (a real clock does not jump): the clock moves only when no
// job is running, nor due and about to be claimed at the old time.
const outboxIdle = () => until('no outbox job is running or due', async () => await bot.db.prisma.outboxJob.count({
  where: { OR: [{ leasedBy: { not: null } }, { status: 'pending', runAt: { lte: clock } }] } }) === 0);
async function setClock(iso: string): Promise<void> {
  await outboxIdle();
  clock = new Date(iso);
}

describe('the briefing', () => {
  const random = seeded(48);
  const phenomena = ['hennepteelt', 'drugslab', 'witwassen', 'mensenhandel'];
  let municipalityId = '';
  let scopeId = '';

  beforeAll(async () => {
    const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } });
    municipalityId = scope.municipalityId ?? '';
    scopeId = scope.id;
    // 400 signals over the past thirteen months, filed at midday (the date is the same in Amsterdam).
    const start = Date.parse('2025-10-20T12:00:00Z');
    const days = Math.round((Date.parse('2026-11-29T12:00:00Z') - start) / 86_400_000);
    await bot.db.prisma.signal.createMany({ data: Array.from({ length: 400 }, (_, i) => ({
      scopeId, municipalityId, reference: `SIG-2025-${String(5000 + i)}`, phenomenon: phenomena[Math.floor(random() * phenomena.length)], description: 'Gegenereerd voor de briefing.',
      street: 'Teststraat', houseNumber: String(i), postcode: '1234 AB', place: 'Heidebroek', observedOn: new Date('2025-10-01T00:00:00Z'), sourceType: 'collega',
      sourceNature: 'zacht', sourceReliability: 'B', informationReliability: 2, urgency: 'normaal', problemType: PROBLEM_TYPES[Math.floor(random() * 3)],
      confidentiality: random() < 0.2 ? 'geheim' : 'vertrouwelijk', legalBasis: 'avg_6_1_e',
      status: random() < 0.5 ? 'nieuw' as const : 'afgesloten' as const, dueOn: new Date(random() < 0.3 ? '2026-11-01T00:00:00Z' : '2026-12-31T00:00:00Z'),
      reporterAadId: SANNE.aadObjectId, reporterName: SANNE.name, createdAt: new Date(start + Math.floor(random() * (days + 1)) * 86_400_000),
    })) });
    // Cases in every phase, some with measures taken last week, one shared with the mayor.
    for (let i = 0; i < 12; i++) {
      const id = randomUUID();
      await bot.db.prisma.case.create({ data: { id, scopeId, municipalityId, reference: `CASE-2025-${String(9000 + i)}`, title: `Casus ${i}: pand aan de Teststraat`,
        phase: CASE_PHASES[i % CASE_PHASES.length], confidentiality: 'vertrouwelijk', createdByAadId: FATIMA.aadObjectId,
        sharedWithMayorAt: i === 3 ? new Date('2026-11-20T10:00:00Z') : null } });
      await bot.db.prisma.statusChange.create({ data: { caseId: id, transition: 'maatregel', fromState: '', toState: MEASURES[i % MEASURES.length], actorAadId: FATIMA.aadObjectId,
        actorName: FATIMA.name, at: new Date(i % 2 === 0 ? '2026-11-25T10:00:00Z' : '2026-11-18T10:00:00Z') } });
    }
  }, 60_000);

  /** The figures computed here, independently of the service: from the database's rows and the week boundaries written out. */
  async function expected() {
    const signals = (await bot.db.prisma.signal.findMany({ where: { municipalityId } })).map((s) => ({ ...s,
      filedOn: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(s.createdAt) }));
    const week = { from: '2026-11-23', to: '2026-11-29' };
    const previous = { from: '2026-11-16', to: '2026-11-22' };
    const lastYear = { from: '2025-11-24', to: '2025-11-30' };
    const inRange = (d: string, r: { from: string; to: string }) => d >= r.from && d <= r.to;
    const count = (r: { from: string; to: string }, f: (s: typeof signals[number]) => boolean = () => true) => signals.filter((s) => inRange(s.filedOn, r) && f(s)).length;
    const trendWeeks = ['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']
      .map((from) => ({ from, to: new Date(Date.parse(`${from}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10) }));
    const cases = await bot.db.prisma.case.findMany({ where: { municipalityId, phase: { not: 'afgesloten' } } });
    return {
      total: [count(week), count(previous), count(lastYear)],
      phenomena: Object.fromEntries(phenomena.map((p) => [p, [count(week, (s) => s.phenomenon === p), count(previous, (s) => s.phenomenon === p), count(lastYear, (s) => s.phenomenon === p)]])),
      problems: PROBLEM_TYPES.map((t) => [count(week, (s) => s.problemType === t), count(previous, (s) => s.problemType === t), count(lastYear, (s) => s.problemType === t)]),
      trend: trendWeeks.map((w) => count(w)),
      phases: CASE_PHASES.filter((p) => p !== 'afgesloten').map((p) => cases.filter((c) => c.phase === p).length),
      overdue: signals.filter((s) => ['nieuw', 'in_verrijking', 'klaar_voor_overleg'].includes(s.status) && s.dueOn.toISOString().slice(0, 10) < '2026-11-30').length,
    };
  }

  const chart = (card: CardJson, type: string) => elements(card).find((e) => e.type === type) as CardElement & { data: unknown; fallback: { type: string; rows: { cells: { items: { text: string }[] }[] }[] } };
  const tableRows = (table: { rows: { cells: { items: { text: string }[] }[] }[] }) => table.rows.slice(1).map((r) => r.cells.map((c) => c.items[0].text));

  it('gives the mayor the figures of her municipality on `briefing`, as computed independently, in charts with a table fallback', async () => {
    const card = cardOf((await say(bot, 'briefing', INGRID, PERSONAL))[0]);
    const e = await expected();
    expect(texts(card)[0]).toBe('Briefing Gemeente Heidebroek: week 48 (23 november 2026 t/m 29 november 2026)');
    const facts = Object.fromEntries(elements(card).flatMap((x) => x.facts ?? []).map((f) => [f.title, f.value]));
    expect(facts['Nieuwe signalen']).toBe(`${e.total[0]} (vorige periode ${e.total[1]}, vorig jaar ${e.total[2]})`);
    expect(facts['Over de beslisdatum']).toBe(new Intl.NumberFormat('nl-NL').format(e.overdue));
    // Bars per phenomenon; the fallback table holds the same numbers, and last week's and last year's too.
    const bars = chart(card, 'Chart.VerticalBar');
    const labels: Record<string, string> = { hennepteelt: 'Hennepteelt', drugslab: 'Drugslab', witwassen: 'Witwassen', mensenhandel: 'Mensenhandel / uitbuiting' };
    const shown = bars.data as unknown as { x: string; y: number }[];
    for (const p of phenomena) {
      const [now, before, year] = e.phenomena[p];
      if (now + before + year === 0) continue;
      expect(shown.find((b) => b.x === labels[p])?.y).toBe(now);
      expect(tableRows(bars.fallback).find((r) => r[0] === labels[p])).toEqual([labels[p], String(now), String(before), String(year)]);
    }
    expect(bars.fallback.type).toBe('Table');
    // Problem types (a table), the six-week trend (a line, a table behind it), cases by phase (a donut, a table behind it).
    const problemTable = elements(card).find((x) => x.type === 'Table') as unknown as { rows: { cells: { items: { text: string }[] }[] }[] };
    expect(tableRows(problemTable)).toEqual(PROBLEM_TYPES.map((t, i) => [({ standaard: 'Standaard', complex: 'Complex', crisis: 'Crisis' } as Record<string, string>)[t],
      ...e.problems[i].map(String)]));
    const line = chart(card, 'Chart.Line');
    expect((line.data as unknown as { values: { y: number }[] }[])[0].values.map((v) => v.y)).toEqual(e.trend);
    expect(tableRows(line.fallback).map((r) => r[1])).toEqual(e.trend.map(String));
    expect(tableRows(line.fallback).map((r) => r[0])).toEqual(['wk 43', 'wk 44', 'wk 45', 'wk 46', 'wk 47', 'wk 48']);
    const donut = chart(card, 'Chart.Donut');
    expect((donut.data as unknown as { value: number }[]).map((d) => d.value)).toEqual(e.phases);
    expect(tableRows(donut.fallback).map((r) => r[1])).toEqual(e.phases.map(String));
    // Measures taken last week (every second case's measure was dated then).
    expect(facts).toMatchObject({ 'Sluiting (art. 13b Opiumwet)': '2', 'Bibob-toets': '1', 'Last onder dwangsom': '1', 'Integrale controle': '1' });
    // The one case shared with her, and nothing else that names anything.
    expect(texts(card)).toContain('CASE-2025-9003 · Casus 3: pand aan de Teststraat · Evaluatie');
    const all = JSON.stringify(card);
    expect(all.match(/CASE-\d{4}-\d+/g)).toEqual(['CASE-2025-9003']);
    expect(all).not.toMatch(/SIG-\d{4}|Sanne|1234 AB/);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'briefing.view', actorAadId: INGRID.aadObjectId, result: 'ok' } })).toBe(1);
  });

  it('writes dates the Dutch way', async () => {
    const card = cardOf((await say(bot, 'briefing', INGRID, PERSONAL))[0]);
    expect(texts(card)).toContain('Gemaakt 30 november 2026 om 09:00. Vragen: de coördinator van de gemeente.');
  });

  it('is for the mayor: an officer or a coordinator gets a clear refusal', async () => {
    expect((await say(bot, 'briefing', SANNE, PERSONAL))[0].activity.text).toBe('De briefing is voor de burgemeester; vraag haar in uw persoonlijke chat met Weerbaar.');
    expect((await say(bot, 'briefing', FATIMA, HDB))[0].activity.text).toBe('De briefing is voor de burgemeester; vraag haar in uw persoonlijke chat met Weerbaar.');
    // The mayor herself, where others read along.
    expect((await say(bot, 'briefing', INGRID, HDB))[0].activity.text).toBe('Vraag de briefing in uw persoonlijke chat met Weerbaar: hier lezen anderen mee.');
  });

  it('is sent ad hoc by a coordinator, once to each mayor, and can be withdrawn', async () => {
    bot.stub.clear();
    expect((await say(bot, 'briefing sturen', SANNE, HDB))[0].activity.text).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
    expect((await say(bot, 'briefing sturen', FATIMA, HDB))[0].activity.text).toBe('De briefing van Gemeente Heidebroek is naar de burgemeester gestuurd (1).');
    await until('the mayor has the card, and it is recorded as sent', async () => cardsTo(INGRID.teamsUserId).length === 1
      && await bot.db.prisma.delivery.count({ where: { kind: 'briefing', recipientAadId: INGRID.aadObjectId, status: 'sent' } }) === 1);
    expect(texts(cardOf(cardsTo(INGRID.teamsUserId)[0]))[0]).toMatch(/^Briefing Gemeente Heidebroek: week 48/);
    const delivery = await bot.db.prisma.delivery.findFirstOrThrow({ where: { kind: 'briefing', recipientAadId: INGRID.aadObjectId } });
    expect(delivery).toMatchObject({ status: 'sent', activityId: cardsTo(INGRID.teamsUserId)[0].id });
    // The outbox runs it again (a repeated job): no second card.
    await bot.db.prisma.outboxJob.updateMany({ where: { key: `delivery:${delivery.key}` }, data: { status: 'pending', runAt: clock } });
    bot.running.deps.outbox?.kick();
    await new Promise((r) => setTimeout(r, 300));
    expect(cardsTo(INGRID.teamsUserId)).toHaveLength(1);
    // Withdrawn: the card is deleted from her chat.
    const removed = await bot.running.withdrawBriefing(delivery.briefingId ?? '');
    expect(removed).toEqual({ removed: 1, failed: 0 });
    expect(bot.stub.deleted).toEqual([{ conversationId: personalOf(INGRID.teamsUserId), activityId: delivery.activityId }]);
  });

  const kick = () => bot.running.deps.outbox?.kick();
  const adHoc = async () => {
    expect((await say(bot, 'briefing sturen', FATIMA, HDB))[0].activity.text).toBe('De briefing van Gemeente Heidebroek is naar de burgemeester gestuurd (1).');
    return bot.db.prisma.delivery.findFirstOrThrow({ where: { kind: 'briefing', recipientAadId: INGRID.aadObjectId }, orderBy: { createdAt: 'desc' } });
  };
  const settled = (id: string) => until('the delivery settled', async () => (await bot.db.prisma.delivery.findUniqueOrThrow({ where: { id } })).status !== 'pending');

  it('takes a briefing withdrawn while it was on its way back out of the chat', async () => {
    bot.stub.clear();
    bot.stub.holding.add(personalOf(INGRID.teamsUserId));
    try {
      const delivery = await adHoc();
      await until('the card reached the connector', () => cardsTo(INGRID.teamsUserId).length === 1);
      expect(await bot.running.withdrawBriefing(delivery.briefingId ?? '')).toEqual({ removed: 0, failed: 0 });
    } finally {
      bot.stub.holding.clear();
      bot.stub.release();
    }
    await until('the card was deleted', () => bot.stub.deleted.length === 1);
    const [card] = cardsTo(INGRID.teamsUserId);
    expect(bot.stub.deleted).toEqual([{ conversationId: personalOf(INGRID.teamsUserId), activityId: card.id }]);
    expect(await bot.db.prisma.delivery.findFirstOrThrow({ where: { kind: 'briefing', activityId: card.id } })).toMatchObject({ status: 'withdrawn' });
  });

  it('stores no case in the briefing, and shows only the cases still shared when the card goes out', async () => {
    bot.stub.clear();
    // Her chat is unavailable for now: the card waits for its next try (this test's clock stands still).
    bot.stub.fault = (conversationId) => (conversationId === personalOf(INGRID.teamsUserId) ? { status: 503 } : undefined);
    const delivery = await adHoc();
    await until('the first try failed', () => bot.stub.attempts.some((a) => a.conversationId === personalOf(INGRID.teamsUserId)));
    const briefing = await bot.db.prisma.briefing.findUniqueOrThrow({ where: { id: delivery.briefingId ?? '' } });
    expect(JSON.stringify(briefing.content)).not.toMatch(/CASE-|Casus 3/);
    // Meanwhile the coordinator stops sharing the case.
    const shared = await bot.db.prisma.case.findFirstOrThrow({ where: { reference: 'CASE-2025-9003' } });
    await bot.db.prisma.case.update({ where: { id: shared.id }, data: { sharedWithMayorAt: null } });
    try {
      bot.stub.fault = undefined;
      await setClock(new Date(clock.getTime() + 60_000).toISOString());
      kick();
      await settled(delivery.id);
      const card = cardOf(cardsTo(INGRID.teamsUserId)[0]);
      expect(JSON.stringify(card)).not.toMatch(/CASE-2025-9003|Casus 3/);
      expect(texts(card)).toContain('Er is geen casus met u gedeeld die op uw besluit wacht.');
      // Made when it was issued, not when it finally went out.
      expect(texts(card)).toContain('Gemaakt 30 november 2026 om 09:00. Vragen: de coördinator van de gemeente.');
    } finally {
      bot.stub.fault = undefined;
      await bot.db.prisma.case.update({ where: { id: shared.id }, data: { sharedWithMayorAt: shared.sharedWithMayorAt } });
      await setClock('2026-11-30T08:00:00Z');
    }
  });

  it('forgets her chat only when Teams says the bot was removed from it, not when the bot itself is refused', async () => {
    bot.stub.clear();
    const ref = { tenantId_aadObjectId: { tenantId: DEMO_TENANT_ID, aadObjectId: INGRID.aadObjectId } };
    const herChat = (fault: { status: number; code?: string }) => (conversationId: string) => (conversationId === personalOf(INGRID.teamsUserId) ? fault : undefined);
    try {
      bot.stub.fault = herChat({ status: 403, code: 'BotDisabledByAdmin' });
      const refused = await adHoc();
      await settled(refused.id);
      expect(await bot.db.prisma.delivery.findUniqueOrThrow({ where: { id: refused.id } })).toMatchObject({ status: 'failed', failure: 'rejected' });
      expect((await bot.db.prisma.conversationRef.findUniqueOrThrow({ where: ref })).goneAt).toBeNull();
      bot.stub.fault = herChat({ status: 403 });
      const gone = await adHoc();
      await settled(gone.id);
      expect(await bot.db.prisma.delivery.findUniqueOrThrow({ where: { id: gone.id } })).toMatchObject({ status: 'failed', failure: 'gone' });
      expect((await bot.db.prisma.conversationRef.findUniqueOrThrow({ where: ref })).goneAt).not.toBeNull();
    } finally {
      bot.stub.fault = undefined;
    }
    // She writes to the bot again: the chat is known again.
    await say(bot, 'help', INGRID, PERSONAL);
    expect((await bot.db.prisma.conversationRef.findUniqueOrThrow({ where: ref })).goneAt).toBeNull();
  });

  it('goes out on schedule, Monday from 08:00, once per week whatever runs again', async () => {
    bot.stub.clear();
    await setClock('2026-11-30T06:59:00Z'); // 07:59 in Heidebroek
    expect(await bot.running.issueBriefings()).toBe(0);
    await setClock('2026-11-30T07:01:00Z');
    expect(await bot.running.issueBriefings()).toBe(1);
    expect(await bot.running.issueBriefings()).toBe(0);
    await setClock('2026-12-02T07:01:00Z');
    expect(await bot.running.issueBriefings()).toBe(0);
    await until('the mayor has the scheduled briefing', () => cardsTo(INGRID.teamsUserId).length === 1);
    expect(await bot.db.prisma.briefing.count({ where: { kind: 'scheduled' } })).toBe(1);
  });
});

describe('a crisis', () => {
  let municipalityId = '';
  beforeAll(async () => {
    municipalityId = (await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } })).municipalityId ?? '';
    await bot.db.prisma.municipality.update({ where: { id: municipalityId }, data: { deputyAadIds: [DAAN.aadObjectId] } });
  });

  it('alerts the mayor at once when a signal is filed as a crisis; Gelezen is stored and the channel is told', async () => {
    bot.stub.clear();
    await setClock('2026-12-03T13:00:00Z');
    const filed = await fileTestSignal(bot, SANNE, HDB, { problemType: 'crisis', urgency: 'acuut', observedOn: '2026-12-03', street: 'Geheime Schietstraat' });
    await until('the mayor has the alert', () => cardsTo(INGRID.teamsUserId).length === 1);
    const alertCard = cardOf(cardsTo(INGRID.teamsUserId)[0]);
    expect(texts(alertCard).slice(0, 2)).toEqual(['CRISIS', 'Hennepteelt in Heidebroek']);
    expect(Object.fromEntries(elements(alertCard).flatMap((x) => x.facts ?? []).map((f) => [f.title, f.value]))).toMatchObject({ Melding: filed.reference, Kanaal: 'Signalen Heidebroek' });
    expect(JSON.stringify(alertCard)).not.toMatch(/Schietstraat|Sanne/);
    const alertId = String((alertCard.actions ?? []).find((a) => a.verb === 'crisis.ack')?.data?.alertId);
    expect((alertCard.actions ?? []).map((a) => a.title)).toEqual(['Gelezen', 'Bel mij']);

    // Someone the alert was not sent to cannot answer it.
    expect(texts(cardAnswer(await bot.send(executeAction('crisis.ack', { alertId, kind: 'read' }, SANNE, PERSONAL))))).toEqual(['Deze crisismelding is niet (meer) voor u.']);
    await setClock('2026-12-03T13:04:00Z');
    const answered = cardAnswer(await bot.send(executeAction('crisis.ack', { alertId, kind: 'read' }, INGRID, PERSONAL)));
    expect(texts(answered)).toContain('Dank u: het team ziet dat u de melding gelezen hebt.');
    expect(texts(answered)).toContain('Gelezen door Ingrid Hoekstra om 14:04');
    cardAnswer(await bot.send(executeAction('crisis.ack', { alertId, kind: 'read' }, INGRID, PERSONAL)));
    expect(await bot.db.prisma.crisisAck.count({ where: { alertId } })).toBe(1);
    const told = bot.stub.sent.filter((s) => s.conversationId === SIGNALEN_HDB.id).map((s) => s.activity.text);
    expect(told).toEqual([`Burgemeester Ingrid Hoekstra heeft de crisismelding ${filed.reference} gelezen (14:04).`]);
    // Answered: never repeated.
    await setClock('2026-12-03T14:00:00Z');
    expect(await bot.running.repeatCrisisAlerts()).toBe(0);
  });

  it('repeats an unanswered alert after 15 minutes, escalates it to the deputy once, and stops at the limit', async () => {
    bot.stub.clear();
    await setClock('2026-12-04T09:00:00Z');
    // A case the coordinator marks as a crisis (an officer may not).
    await fileTestSignal(bot, SANNE, HDB, { observedOn: '2026-12-04' }).then(async (s) => {
      for (const transition of ['verrijken', 'klaarVoorOverleg', 'bespreken']) cardAnswer(await bot.send(executeAction('signal.transition', { signalId: s.id, transition }, FATIMA, HDB)));
      await say(bot, `casus maken ${s.reference}`, FATIMA, HDB);
    });
    const theCase = await bot.db.prisma.case.findFirstOrThrow({ where: { createdByAadId: FATIMA.aadObjectId, reference: { startsWith: 'CASE-2026' } }, orderBy: { createdAt: 'desc' } });
    expect(texts(cardAnswer(await bot.send(executeAction('case.crisis', { caseId: theCase.id }, SANNE, HDB))))).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);
    expect(texts(cardAnswer(await bot.send(executeAction('case.crisis', { caseId: theCase.id }, FATIMA, HDB))))).toEqual(['Gemeld als crisis: de burgemeester is direct gealarmeerd.']);
    expect(texts(cardAnswer(await bot.send(executeAction('case.crisis', { caseId: theCase.id }, FATIMA, HDB))))).toEqual(['Deze casus was al als crisis gemeld.']);
    await until('the mayor has the alert', () => cardsTo(INGRID.teamsUserId).length === 1);
    expect(cardsTo(DAAN.teamsUserId)).toHaveLength(0);

    await setClock('2026-12-04T09:14:00Z');
    expect(await bot.running.repeatCrisisAlerts()).toBe(0);
    await setClock('2026-12-04T09:16:00Z');
    expect(await bot.running.repeatCrisisAlerts()).toBe(1);
    await until('the repeat and the escalation arrive', () => cardsTo(INGRID.teamsUserId).length === 2 && cardsTo(DAAN.teamsUserId).length === 1);
    expect(await bot.running.repeatCrisisAlerts()).toBe(0);
    await setClock('2026-12-04T09:32:00Z');
    expect(await bot.running.repeatCrisisAlerts()).toBe(1);
    await until('the second repeat arrives', () => cardsTo(INGRID.teamsUserId).length === 3);
    // The deputy is escalated to once; after the third repeat it stops.
    await setClock('2026-12-04T09:48:00Z');
    expect(await bot.running.repeatCrisisAlerts()).toBe(1);
    await setClock('2026-12-04T10:04:00Z');
    expect(await bot.running.repeatCrisisAlerts()).toBe(0);
    await until('the third repeat arrives', () => cardsTo(INGRID.teamsUserId).length === 4);
    expect(cardsTo(DAAN.teamsUserId)).toHaveLength(1);
    // The deputy may answer it; that stops nothing already sent, and is stored.
    const alertId = String((cardOf(cardsTo(DAAN.teamsUserId)[0]).actions ?? [])[0].data?.alertId);
    expect(texts(cardAnswer(await bot.send(executeAction('crisis.ack', { alertId, kind: 'call' }, DAAN, PERSONAL))))).toContain('Het team belt u zo snel mogelijk.');
    expect(bot.stub.sent.filter((s) => s.conversationId === SIGNALEN_HDB.id).map((s) => s.activity.text))
      .toEqual([`Loco-burgemeester Daan Jansen vraagt over crisismelding ${theCase.reference} gebeld te worden (11:04).`]);
    expect(await bot.db.prisma.crisisAlert.findUniqueOrThrow({ where: { id: alertId } })).toMatchObject({ repeats: 3, escalatedAt: expect.any(Date) });
  });

  /** A case of the coordinator's, through the workflow. */
  async function newCase(day: string) {
    const s = await fileTestSignal(bot, SANNE, HDB, { observedOn: day });
    for (const transition of ['verrijken', 'klaarVoorOverleg', 'bespreken']) cardAnswer(await bot.send(executeAction('signal.transition', { signalId: s.id, transition }, FATIMA, HDB)));
    await say(bot, `casus maken ${s.reference}`, FATIMA, HDB);
    return bot.db.prisma.case.findFirstOrThrow({ where: { signals: { some: { id: s.id } } } });
  }
  const markCrisis = async (caseId: string) => texts(cardAnswer(await bot.send(executeAction('case.crisis', { caseId }, FATIMA, HDB))));
  const alertsTo = (userId: string, alertId: string) => cardsTo(userId).filter((c) => JSON.stringify(c.activity).includes(alertId));

  it('does not send a repeat that was waiting when the alert was answered', async () => {
    bot.stub.clear();
    await setClock('2026-12-07T09:00:00Z');
    const theCase = await newCase('2026-12-07');
    expect(await markCrisis(theCase.id)).toEqual(['Gemeld als crisis: de burgemeester is direct gealarmeerd.']);
    await until('the mayor has the alert', () => cardsTo(INGRID.teamsUserId).length === 1);
    const alertId = String((cardOf(cardsTo(INGRID.teamsUserId)[0]).actions ?? [])[0].data?.alertId);
    // Unanswered after 15 minutes: the repeat is queued, but her chat does not take it yet.
    bot.stub.fault = (conversationId) => (conversationId === personalOf(INGRID.teamsUserId) ? { status: 503 } : undefined);
    await setClock('2026-12-07T09:16:00Z');
    expect(await bot.running.repeatCrisisAlerts()).toBe(1);
    await until('the repeat was tried', () => bot.stub.attempts.filter((a) => a.conversationId === personalOf(INGRID.teamsUserId)).length === 2);
    // She answers the first card; then her chat works again.
    cardAnswer(await bot.send(executeAction('crisis.ack', { alertId, kind: 'read' }, INGRID, PERSONAL)));
    bot.stub.fault = undefined;
    await setClock('2026-12-07T09:17:00Z');
    bot.running.deps.outbox?.kick();
    await until('the repeat was settled', async () => await bot.db.prisma.delivery.count({ where: { alertId, status: 'pending' } }) === 0);
    expect(alertsTo(INGRID.teamsUserId, alertId)).toHaveLength(1);
    expect(await bot.db.prisma.delivery.findMany({ where: { alertId, recipientAadId: INGRID.aadObjectId }, orderBy: { createdAt: 'asc' }, select: { status: true } }))
      .toEqual([{ status: 'sent' }, { status: 'withdrawn' }]);
  });

  it('alerts the deputy at once when Weerbaar knows no mayor, and says so when no one can be alerted', async () => {
    bot.stub.clear();
    await setClock('2026-12-08T09:00:00Z');
    const [first, second] = [await newCase('2026-12-08'), await newCase('2026-12-08')];
    await bot.db.prisma.member.updateMany({ where: { aadObjectId: INGRID.aadObjectId, role: 'mayor' }, data: { active: false } });
    try {
      expect(await markCrisis(first.id)).toEqual(['Gemeld als crisis: er is geen burgemeester bekend in Weerbaar; de loco-burgemeester is direct gealarmeerd.']);
      await until('the deputy has the alert', () => cardsTo(DAAN.teamsUserId).length === 1);
      expect(await bot.db.prisma.crisisAlert.findFirstOrThrow({ where: { caseId: first.id } })).toMatchObject({ escalatedAt: expect.any(Date) });
      await bot.db.prisma.municipality.update({ where: { id: municipalityId }, data: { deputyAadIds: [] } });
      expect(await markCrisis(second.id)).toEqual(['Gemeld als crisis, maar er is geen burgemeester of loco-burgemeester bekend in Weerbaar: '
        + 'bel de burgemeester zelf en vraag de beheerder de rol te geven.']);
      const journal = await bot.db.prisma.journalEntry.findFirstOrThrow({ where: { caseId: second.id, kind: 'besluit' }, orderBy: { sequence: 'desc' } });
      expect(journal.text).toBe('Gemeld als crisis; er is geen burgemeester of vervanger bekend om te alarmeren.');
    } finally {
      await bot.db.prisma.member.updateMany({ where: { aadObjectId: INGRID.aadObjectId, role: 'mayor' }, data: { active: true } });
      await bot.db.prisma.municipality.update({ where: { id: municipalityId }, data: { deputyAadIds: [DAAN.aadObjectId] } });
    }
    expect(cardsTo(INGRID.teamsUserId)).toHaveLength(0);
  });

  it('tells the coordinator when the mayor cannot be reached, and refuses a closed case', async () => {
    bot.stub.clear();
    await setClock('2026-12-09T09:00:00Z');
    const [open, closed] = [await newCase('2026-12-09'), await newCase('2026-12-09')];
    await bot.db.prisma.conversationRef.updateMany({ where: { aadObjectId: INGRID.aadObjectId }, data: { goneAt: clock } });
    try {
      expect(await markCrisis(open.id)).toEqual(['Gemeld als crisis. Weerbaar kan 1 van de 1 ontvangers nog niet bereiken (geen chat met Weerbaar): bel de burgemeester zelf.']);
    } finally {
      await bot.db.prisma.conversationRef.updateMany({ where: { aadObjectId: INGRID.aadObjectId }, data: { goneAt: null } });
    }
    await bot.db.prisma.case.update({ where: { id: closed.id }, data: { phase: 'afgesloten' } });
    expect(await markCrisis(closed.id)).toEqual(['Een afgesloten casus kan niet meer als crisis gemeld worden.']);
    expect(await bot.db.prisma.crisisAlert.count({ where: { caseId: closed.id } })).toBe(0);
  });
});
