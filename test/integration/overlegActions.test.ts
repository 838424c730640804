// Around the overleg, over HTTP with a clock of our own: the strategic agenda's figures (and nothing personal), the
// action items (`mijn acties`, done with a note in the journal, reminders before and after the due date across
// holidays), and Teams' meetingStart / meetingEnd in the meeting's chat.
import {
  DAAN, FATIMA, INGRID, KERNGROEP_HDB, PIETER, SANNE, SIGNALEN_HDB, cardAnswer, cardOf, executeAction, fileTestSignal, install, say, startTestBot, texts,
  type TeamsActivity, type TestBot,
} from '../support/harness';
import { DEMO_TENANT_ID } from '../../src/store/demoData';
import { allowJournalChange, anonymiseSignal } from '../../src/services/retention';

const HDB = { channel: SIGNALEN_HDB };
const KERN = { channel: KERNGROEP_HDB };
let clock = new Date('2026-05-12T08:00:00Z');
let bot: TestBot;

const plan = async (place: { channel: typeof SIGNALEN_HDB }, o: Record<string, string>) => texts(cardAnswer(await bot.send(executeAction('meeting.submit', {
  nonce: `plan-${Math.random()}`, kind: 'signalenoverleg', title: 'Overleg', startDate: '2026-12-03', startTime: '10:00', durationMinutes: '60', recurrence: 'none',
  everyWeeks: '', until: '', attendeeIds: PIETER.aadObjectId, externalAttendees: '', organiser: 'overleg@heidebroek.example', online: 'true', location: '', ...o }, PIETER, place))));

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock });
  await install(bot, PIETER, HDB);
  await install(bot, PIETER, KERN);
  // Signals filed in the second quarter (May) and the third (August) of 2026.
  await fileTestSignal(bot, SANNE, HDB, { postcode: '1234 AB', phenomenon: 'drugslab', observedOn: '2026-05-11' });
  clock = new Date('2026-08-10T08:00:00Z');
  for (const n of ['1', '3', '5']) await fileTestSignal(bot, SANNE, HDB, { postcode: '1234 AB', houseNumber: n, observedOn: '2026-08-09',
    description: `Loods ${n}: sterke geur, veel verkeer in de avond en 's nachts.` });
  await fileTestSignal(bot, SANNE, HDB, { postcode: '9999 ZZ', phenomenon: 'drugslab', observedOn: '2026-08-09' });
  clock = new Date('2026-11-30T08:00:00Z');
}, 120_000);
afterAll(async () => { await bot.stop(); });

describe('the strategic agenda', () => {
  it('holds figures per phenomenon and area against the quarter before, and cases by phase; no record, name or address', async () => {
    expect(await plan(KERN, { kind: 'kerngroep', title: 'Kerngroep Heidebroek', attendeeIds: `${PIETER.aadObjectId},${INGRID.aadObjectId}` })).toContain('Het overleg is gepland.');
    const card = cardOf((await say(bot, 'agenda', FATIMA, KERN))[0]);
    const shown = texts(card);
    expect(shown[0]).toBe('Agenda: Kerngroep (strategisch): Kerngroep Heidebroek');
    expect(shown).toContain('Cijfers 1 juli 2026 t/m 30 september 2026, tegen het kwartaal ervoor (1 april 2026 t/m 30 juni 2026)');
    expect(shown).toEqual(expect.arrayContaining(['Per fenomeen', 'Per gebied (postcode, vanaf 3 signalen)', 'Lopende casussen per fase']));
    const facts = Object.fromEntries(((card.body as { facts?: { title: string; value: string }[] }[]).flatMap((b) => (b as { items?: { facts?: { title: string; value: string }[] }[] }).items ?? [])
      .flatMap((i) => i.facts ?? [])).map((f) => [f.title, f.value]));
    expect(facts).toMatchObject({ 'Signalen in totaal': '4 (kwartaal ervoor: 1)', Hennepteelt: '3 (kwartaal ervoor: 0)', Drugslab: '1 (kwartaal ervoor: 1)', '1234': '3' });
    // An area with fewer than three signals is not shown: a count must not point at a household.
    expect(facts).not.toHaveProperty('9999');
    const all = JSON.stringify(card);
    expect(all).not.toMatch(/SIG-\d{4}|CASE-\d{4}|Industrieweg|Sanne|Loods|1234 AB/);
    // Nothing to decide on in a strategic overleg: no buttons, not even for the chair.
    const own = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId: (card as { refresh?: { action: { data: { occurrenceId: string } } } }).refresh?.action.data.occurrenceId },
      PIETER, KERN, { trigger: 'automatic' })));
    expect(JSON.stringify(own)).not.toMatch(/"verb":"(overleg\.start|agenda\.edit|overleg\.item)"/);
    // Nor is it started by the command on its day, as the card offers no start either.
    clock = new Date('2026-12-03T08:00:00Z');
    expect((await say(bot, 'overleg starten', PIETER, KERN))[0].activity.text)
      .toBe('Een strategisch overleg (kerngroep, driehoek) bespreekt cijfers, geen afzonderlijke signalen: het wordt niet gestart en er wordt niet in besloten.');
    expect(await bot.db.prisma.meetingOccurrence.count({ where: { startedAt: { not: null } } })).toBe(0);
    clock = new Date('2026-11-30T08:00:00Z');
  });
});

describe('action items', () => {
  let itemId = '';
  let signalId = '';
  beforeAll(async () => {
    const filed = await fileTestSignal(bot, SANNE, HDB, { street: 'Actieweg' });
    signalId = filed.id;
    const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } });
    // Due on Thursday 3 December 2026, and one due on Monday 28 December (Friday the 25th is Christmas).
    itemId = (await bot.db.prisma.actionItem.create({ data: { scopeId: scope.id, signalId, text: 'Buurtonderzoek doen', ownerAadId: SANNE.aadObjectId, ownerName: SANNE.name,
      dueOn: '2026-12-03', createdByAadId: FATIMA.aadObjectId } })).id;
    await bot.db.prisma.actionItem.create({ data: { scopeId: scope.id, signalId, text: 'Eigenaar spreken', ownerAadId: DAAN.aadObjectId, ownerName: DAAN.name,
      dueOn: '2026-12-28', createdByAadId: FATIMA.aadObjectId } });
  });

  it('lists the caller\'s own open action items with `mijn acties`', async () => {
    const card = cardOf((await say(bot, 'mijn acties', SANNE, { personal: true }))[0]);
    expect(texts(card)).toEqual(['Mijn actiepunten', 'Buurtonderzoek doen', expect.stringMatching(/^Uiterlijk 3 december 2026 · SIG-2026-\d{4} · Signalen Heidebroek$/)]);
    expect(texts(cardOf((await say(bot, 'my actions', PIETER, { personal: true }, { locale: 'en-US' }))[0]))).toEqual(['My action items', 'You have no open action items.']);
  });

  it('reminds the owner in the channel on the working day before the due date, and once it is overdue; once each', async () => {
    bot.stub.clear();
    clock = new Date('2026-12-01T08:00:00Z'); // Tuesday: two working days before
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 0, failed: 0 });
    clock = new Date('2026-12-02T08:00:00Z'); // Wednesday
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 1, failed: 0 });
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 0, failed: 0 });
    const before = bot.stub.sent[0].activity as { text?: string; entities?: { mentioned: { id: string } }[] };
    expect(bot.stub.sent[0].conversationId).toBe(SIGNALEN_HDB.id);
    expect(before.text).toMatch(/^<at>Sanne de Vries<\/at>: herinnering, het actiepunt "Buurtonderzoek doen" \(SIG-2026-\d{4}\) moet uiterlijk 3 december 2026 af zijn\./);
    expect(before.entities?.[0].mentioned.id).toBe(SANNE.teamsUserId);
    clock = new Date('2026-12-03T08:00:00Z'); // the due date itself: no second reminder
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 0, failed: 0 });
    clock = new Date('2026-12-04T08:00:00Z'); // Friday: overdue
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 1, failed: 0 });
    expect(bot.stub.sent[1].activity.text).toMatch(/is over tijd \(uiterlijk 3 december 2026\)/);
    clock = new Date('2026-12-07T08:00:00Z');
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 0, failed: 0 });
  });

  it('skips the public holiday: due Monday 28 December, reminded Thursday the 24th, overdue on the 29th', async () => {
    bot.stub.clear();
    clock = new Date('2026-12-23T08:00:00Z');
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 0, failed: 0 });
    clock = new Date('2026-12-24T08:00:00Z');
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 1, failed: 0 });
    expect(bot.stub.sent[0].activity.text).toContain('"Eigenaar spreken"');
    clock = new Date('2026-12-28T08:00:00Z');
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 0, failed: 0 });
    clock = new Date('2026-12-29T08:00:00Z');
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 1, failed: 0 });
  });

  it('is marked done with a short note, which goes into the dossier\'s journal; not by someone else', async () => {
    clock = new Date('2026-12-07T09:00:00Z');
    expect(texts(cardAnswer(await bot.send(executeAction('action.done', { actionId: itemId, [`note_${itemId}`]: 'Gedaan' }, DAAN, HDB))))).toEqual(['Dat actiepunt bestaat niet (meer) of is niet van u.']);
    const short = cardAnswer(await bot.send(executeAction('action.done', { actionId: itemId, [`note_${itemId}`]: 'ok' }, SANNE, HDB)));
    expect(texts(short)[0]).toBe('Schrijf een korte notitie (minstens 5 tekens) over wat er gedaan is.');
    const done = cardAnswer(await bot.send(executeAction('action.done', { actionId: itemId, [`note_${itemId}`]: 'Vier buren gesproken; niets bijzonders gezien.' }, SANNE, HDB)));
    expect(texts(done)).toEqual(['Het actiepunt is afgerond; de notitie staat in het journaal.', 'Mijn actiepunten', 'U hebt geen openstaande actiepunten.']);
    const entry = await bot.db.prisma.journalEntry.findFirstOrThrow({ where: { signalId }, orderBy: { sequence: 'desc' } });
    expect(entry).toMatchObject({ kind: 'handeling', authorName: SANNE.name, text: 'Actiepunt afgerond: Buurtonderzoek doen. Vier buren gesproken; niets bijzonders gezien.' });
    const again = cardAnswer(await bot.send(executeAction('action.done', { actionId: itemId, [`note_${itemId}`]: 'Nogmaals afgerond.' }, SANNE, HDB)));
    expect(texts(again)[0]).toBe('Dat actiepunt was al afgerond.');
    expect(await bot.db.prisma.journalEntry.count({ where: { signalId, kind: 'handeling' } })).toBe(1);
  });

  it('about a record the channel may not see: the reminder names only the owner and the due date; `mijn acties` in the channel leaves it out', async () => {
    const secret = await fileTestSignal(bot, SANNE, HDB, { confidentiality: 'geheim', street: 'Geheimelaan' });
    const hidden = await bot.db.prisma.actionItem.create({ data: { scopeId: (await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: secret.id } })).scopeId,
      signalId: secret.id, text: 'Informant ontmoeten', ownerAadId: SANNE.aadObjectId, ownerName: SANNE.name, dueOn: '2026-12-10', createdByAadId: FATIMA.aadObjectId } });
    bot.stub.clear();
    clock = new Date('2026-12-09T08:00:00Z');
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 1, failed: 0 });
    const reminder = bot.stub.sent[0].activity as { text?: string; entities?: { mentioned: { id: string } }[] };
    expect(reminder.text).toBe('<at>Sanne de Vries</at>: herinnering, u hebt een actiepunt dat uiterlijk 10 december 2026 af moet zijn. '
      + 'Typ mijn acties in uw chat met de bot om het te zien.');
    expect(reminder.entities?.[0].mentioned.id).toBe(SANNE.teamsUserId);
    clock = new Date('2026-12-11T08:00:00Z');
    expect(await bot.running.sendActionReminders()).toEqual({ sent: 1, failed: 0 });
    expect(bot.stub.sent[1].activity.text).toBe('<at>Sanne de Vries</at>: een actiepunt van u is over tijd (uiterlijk 10 december 2026). '
      + 'Typ mijn acties in uw chat met de bot om het te zien.');
    expect(JSON.stringify(bot.stub.sent)).not.toMatch(new RegExp(`Informant|${secret.reference}`));
    // Everyone in the channel reads the answer to `mijn acties` there; the personal chat shows it.
    expect(texts(cardOf((await say(bot, 'mijn acties', SANNE, HDB))[0])).join(' ')).not.toContain('Informant');
    expect(texts(cardOf((await say(bot, 'mijn acties', SANNE, { personal: true }))[0]))).toContain('Informant ontmoeten');
    // Out of the way of what follows.
    await bot.db.prisma.actionItem.update({ where: { id: hidden.id }, data: { status: 'done' } });
  });
});

describe('the decisions on cases and action items', () => {
  it('verder verrijken sends a case back to enrichment, overdragen closes it naming the partner, vervallen drops an action item', async () => {
    clock = new Date('2027-02-01T08:00:00Z');
    const caseOf = async (street: string) => {
      const s = await fileTestSignal(bot, SANNE, HDB, { street, observedOn: '2027-01-30' });
      for (const transition of ['verrijken', 'klaarVoorOverleg', 'bespreken']) cardAnswer(await bot.send(executeAction('signal.transition', { signalId: s.id, transition }, FATIMA, HDB)));
      await say(bot, `casus maken ${s.reference}`, FATIMA, HDB);
      return bot.db.prisma.case.findFirstOrThrow({ where: { signals: { some: { id: s.id } } } });
    };
    const back = await caseOf('Terugweg');
    for (const to of ['verrijking', 'interventie']) cardAnswer(await bot.send(executeAction('case.phase', { caseId: back.id, to }, FATIMA, HDB)));
    // Past its target date: it needs the overleg's decision.
    cardAnswer(await bot.send(executeAction('case.update', { caseId: back.id, title: back.title, measures: '', leadAadId: FATIMA.aadObjectId, targetDate: '2027-01-31' }, FATIMA, HDB)));
    const away = await caseOf('Overdrachtweg');
    for (const to of ['verrijking', 'interventie', 'evaluatie']) cardAnswer(await bot.send(executeAction('case.phase', { caseId: away.id, to }, FATIMA, HDB)));
    const dropped = await bot.db.prisma.actionItem.create({ data: { scopeId: back.scopeId, caseId: back.id, text: 'Verouderde taak', ownerAadId: DAAN.aadObjectId, ownerName: DAAN.name,
      dueOn: '2027-01-15', createdByAadId: FATIMA.aadObjectId } });
    expect(await plan(HDB, { title: 'Casusoverleg februari', kind: 'casusoverleg', startDate: '2027-02-01', startTime: '10:00' })).toContain('Het overleg is gepland.');
    const shared = cardOf((await say(bot, 'overleg starten', PIETER, HDB))[0]) as { refresh?: { action: { data: { occurrenceId: string } } } } & Parameters<typeof texts>[0];
    const occurrenceId = String(shared.refresh?.action.data.occurrenceId);
    const items = await bot.db.prisma.agendaItem.findMany({ where: { occurrenceId } });
    const itemFor = (where: { caseId?: string; actionItemId?: string }) => items.find((i) => (where.caseId ? i.caseId === where.caseId : i.actionItemId === where.actionItemId))?.id ?? '';
    const decideOn = async (itemId: string, fields: Record<string, string>) => {
      const form = cardAnswer(await bot.send(executeAction('overleg.item', { itemId }, PIETER, HDB)));
      const submit = (form.actions ?? []).find((a) => a.verb === 'overleg.decide')?.data as Record<string, string>;
      return texts(cardAnswer(await bot.send(executeAction('overleg.decide', { ...submit, ...fields }, PIETER, HDB))));
    };
    expect(await decideOn(itemFor({ caseId: back.id }), { kind: 'verrijken', text: 'Eerst de financiering uitzoeken' })).toContain('Het besluit is vastgelegd.');
    expect(await bot.db.prisma.case.findUniqueOrThrow({ where: { id: back.id } })).toMatchObject({ phase: 'verrijking', phaseReason: 'Eerst de financiering uitzoeken' });
    expect(await decideOn(itemFor({ caseId: away.id }), { kind: 'overdragen', partner: 'riec', text: 'RIEC neemt de regie' })).toContain('Het besluit is vastgelegd.');
    expect(await bot.db.prisma.case.findUniqueOrThrow({ where: { id: away.id } })).toMatchObject({ phase: 'afgesloten', phaseReason: 'Overgedragen aan RIEC: RIEC neemt de regie' });
    expect(await decideOn(itemFor({ actionItemId: dropped.id }), { kind: 'vervallen', text: 'Niet meer nodig na de sluiting' })).toContain('Het besluit is vastgelegd.');
    expect(await bot.db.prisma.actionItem.findUniqueOrThrow({ where: { id: dropped.id } })).toMatchObject({ status: 'cancelled' });
    // Correcting it cannot bring it back: it is no longer open, which is said as such (not as someone else deciding first).
    expect(await decideOn(itemFor({ actionItemId: dropped.id }), { kind: 'verlengen', newDueOn: '2027-02-15', text: 'Toch nog nodig' }))
      .toContain('Over dit actiepunt valt niets meer te besluiten: het is al afgerond of vervallen. Zo staat het nu.');
    expect(await bot.db.prisma.decision.count({ where: { agendaItemId: itemFor({ actionItemId: dropped.id }) } })).toBe(1);
    // Each decision is in its dossier's journal and in the audit trail. The test's clock stands still, so the entries
    // of two dossiers share their recordedAt: compared without order (PostgreSQL returned them in another one).
    const journal = await bot.db.prisma.journalEntry.findMany({ where: { caseId: { in: [back.id, away.id] }, kind: 'besluit' } });
    expect(journal.map((e) => e.text).filter((x) => x.startsWith('Besluit Casusoverleg februari')).sort()).toEqual([
      'Besluit Casusoverleg februari (2027-02-01): verder verrijken. Toelichting: Eerst de financiering uitzoeken Fase: Interventie → Verrijking/analyse.',
      'Besluit Casusoverleg februari (2027-02-01): overdragen aan partner. Partner: RIEC. Toelichting: RIEC neemt de regie Fase: Evaluatie → Afgesloten.',
      'Besluit Casusoverleg februari (2027-02-01): vervallen. Toelichting: Niet meer nodig na de sluiting Actiepunt vervallen.',
    ].sort());
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'overleg.decide', result: 'ok', details: { path: ['item'], equals: 'case' } } })).toBe(2);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'overleg.decide', result: 'ok', details: { path: ['item'], equals: 'action' } } })).toBe(1);

    // The overleg is closed by someone else just as a decision is about to land: it is refused, never recorded after the close.
    const prisma = bot.db.prisma;
    const original = prisma.$transaction.bind(prisma) as (...args: unknown[]) => Promise<unknown>;
    const closeFirst = jest.spyOn(prisma, '$transaction').mockImplementation(((...args: unknown[]) =>
      prisma.meetingOccurrence.updateMany({ where: { id: occurrenceId, closedAt: null }, data: { closedAt: clock } }).then(() => original(...args))) as never);
    const late = await decideOn(itemFor({ caseId: away.id }), { kind: 'verrijken', text: 'Toch eerst verder verrijken' }).finally(() => closeFirst.mockRestore());
    expect(late).toContain('Besluiten kan alleen terwijl het overleg loopt.');
    expect(await bot.db.prisma.decision.count({ where: { agendaItemId: itemFor({ caseId: away.id }) } })).toBe(1);
    expect(await bot.db.prisma.case.findUniqueOrThrow({ where: { id: away.id } })).toMatchObject({ phase: 'afgesloten' });
  });
});

describe('retention', () => {
  it('anonymises what the overleg wrote about a signal together with the signal', async () => {
    const action = await bot.db.prisma.actionItem.findFirstOrThrow({ where: { text: 'Eigenaar spreken' } });
    await bot.db.prisma.$transaction(async (tx) => {
      await allowJournalChange(tx);
      await anonymiseSignal(tx, action.signalId ?? '', action.scopeId, clock, 'Bewaartermijn verstreken.');
    });
    const after = await bot.db.prisma.actionItem.findMany({ where: { signalId: action.signalId } });
    expect(after.map((a) => [a.text, a.doneNote])).toEqual(after.map(() => ['[geanonimiseerd]', null]));
  });
});

describe('Teams\' meeting events', () => {
  const thread = '19:meeting_OWY0NDk5ZGQtZDM2Ny00@thread.v2';
  const meetingEvent = (name: string) => ({
    id: `event-${Math.random()}`, type: 'event', name, channelId: 'msteams', timestamp: clock.toISOString(), locale: 'nl-NL',
    from: { id: PIETER.teamsUserId, name: PIETER.name, aadObjectId: PIETER.aadObjectId }, recipient: { id: '28:weerbaar-bot', name: 'Weerbaar' },
    conversation: { id: thread, conversationType: 'groupChat', isGroup: true, tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID }, meeting: { id: 'MCMxOTptZWV0aW5n' } },
    value: { Id: 'MCMxOTptZWV0aW5n', MeetingType: 'Scheduled', JoinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0`, Title: 'Signalenoverleg' },
  }) as TeamsActivity;

  it('posts a sober agenda into the meeting chat at meetingStart (partners read there), and the minutes in the channel at meetingEnd', async () => {
    clock = new Date('2027-01-11T08:00:00Z');
    const ready = await fileTestSignal(bot, SANNE, HDB, { street: 'Vertrouwelijkstraat' });
    for (const transition of ['verrijken', 'klaarVoorOverleg']) cardAnswer(await bot.send(executeAction('signal.transition', { signalId: ready.id, transition }, FATIMA, HDB)));
    expect(await plan(HDB, { title: 'Signalenoverleg januari', startDate: '2027-01-11', startTime: '13:00' })).toContain('Het overleg is gepland.');
    // The calendar gave the meeting a Teams join link (what Graph returns for an online meeting).
    await bot.db.prisma.meeting.updateMany({ where: { title: 'Signalenoverleg januari' }, data: { joinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(thread)}/0` } });
    bot.stub.clear();
    clock = new Date('2027-01-11T11:58:00Z');
    expect((await bot.send(meetingEvent('application/vnd.microsoft.meetingStart'))).status).toBe(200);
    const inChat = bot.stub.sent.filter((s) => s.conversationId === thread);
    expect(inChat).toHaveLength(1);
    const chatCard = JSON.stringify(cardOf(inChat[0]));
    expect(chatCard).toContain(ready.reference);
    expect(chatCard).toContain('Hennepteelt, Heidebroek');
    expect(chatCard).not.toMatch(/Vertrouwelijkstraat|Sanne|beslisdatum|"verb"/);
    // The channel's agenda had not been posted yet: meetingStart catches it up, once.
    expect(bot.stub.sent.filter((s) => s.conversationId === SIGNALEN_HDB.id)).toHaveLength(1);
    expect(await bot.running.postDueAgendas()).toEqual({ sent: 0, failed: 0 });
    expect((await bot.send(meetingEvent('application/vnd.microsoft.meetingStart'))).status).toBe(200);
    expect(bot.stub.sent).toHaveLength(2);

    // The chair ran the overleg; Teams ends the meeting: the minutes go to the channel, once.
    expect(texts(cardOf((await say(bot, 'overleg starten', PIETER, HDB))[0]))[0]).toBe('Overleg: Signalenoverleg (operationeel): Signalenoverleg januari');
    bot.stub.clear();
    expect((await bot.send(meetingEvent('application/vnd.microsoft.meetingEnd'))).status).toBe(200);
    expect((await bot.send(meetingEvent('application/vnd.microsoft.meetingEnd'))).status).toBe(200);
    const minutes = bot.stub.sent.filter((s) => s.conversationId === SIGNALEN_HDB.id);
    expect(minutes).toHaveLength(1);
    expect(texts(cardOf(minutes[0]))[0]).toBe('Besluitenlijst: Signalenoverleg (operationeel): Signalenoverleg januari');
  });
});
