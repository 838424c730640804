// The overleg in Microsoft 365: the bot, configured with CALENDAR=graph, against a loopback Entra token endpoint
// (TLS, client credentials with a secret or a certificate) and a loopback Graph that validates every body against
// Graph's Event type. Create, update and cancel through the outbox; each recurrence kind's body; free slots from
// getSchedule; failures that no retry mends; a 429/5xx storm over 100 meetings; a restart in the middle of the outbox.
import net, { type AddressInfo } from 'node:net';
import { transactionIdOf } from '../../src/calendar/graphEvent';
import {
  DAAN, FATIMA, PIETER, SANNE, SIGNALEN_HDB, allActions, cardAnswer, cardOf, elements, executeAction, startTestBot, texts,
  type CardElement, type CardJson, type RefreshableCard, type TestBot,
} from '../support/harness';
import { ORGANISER, startGraphWorld, type GraphWorld } from '../support/graphWorld';
import type { GraphCall } from '../support/graphStub';
import { seeded } from '../support/random';
import { until as waitUntil } from '../support/wait';

const HDB = { channel: SIGNALEN_HDB };

const form = (o: Record<string, string> = {}) => ({
  kind: 'signalenoverleg', title: 'Signalenoverleg Heidebroek', startDate: '2027-03-02', startTime: '14:00', durationMinutes: '90',
  recurrence: 'weekly', everyWeeks: '3', until: '2027-06-30', attendeeIds: `${FATIMA.aadObjectId},${DAAN.aadObjectId}`,
  externalAttendees: 'j.politie@politie.example', organiser: ORGANISER, online: 'true', location: '', ...o,
});

let nonces = 0;
const plan = (bot: TestBot, o: Record<string, string> = {}) =>
  bot.send(executeAction('meeting.submit', { nonce: `graph-${++nonces}`, ...form(o) }, PIETER, HDB)).then(cardAnswer);

const meetingIdOf = (card: CardJson): string =>
  String(allActions(card).find((a) => a.verb === 'meeting.cancel' || a.verb === 'meeting.edit')?.data?.meetingId);

const eventOf = (world: GraphWorld, meetingId: string) => [...world.graph.events.values()].find((e) => e.body.transactionId === transactionIdOf(meetingId));

const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000) => waitUntil(what, check, timeoutMs);

describe('the Microsoft Graph calendar', () => {
  let world: GraphWorld;
  let bot: TestBot;
  beforeAll(async () => {
    world = await startGraphWorld();
    bot = await startTestBot({ env: { ...world.env(), OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '100', OUTBOX_MAX_ATTEMPTS: '3' } });
  });
  afterAll(async () => { await bot.stop(); await world.close(); });

  let meetingId: string;

  it('puts a planned meeting in the organiser\'s calendar once: a typed body with a transactionId, a Teams meeting, the join link on the card', async () => {
    bot.stub.clear();
    const card = await plan(bot);
    meetingId = meetingIdOf(card);
    expect(texts(card)).toContain('Staat in de agenda (Microsoft 365).');
    const join = (card.actions ?? []).find((a) => a.title === 'Deelnemen') as (CardElement & { url: string }) | undefined;
    const event = eventOf(world, meetingId);
    expect(event).toBeDefined();
    expect(join?.url).toBe(`https://teams.microsoft.com/l/meetup-join/${event?.id}`);
    expect(event?.mailbox).toBe(ORGANISER);
    expect(event?.body).toMatchObject({
      subject: 'Signalenoverleg Heidebroek',
      start: { dateTime: '2027-03-02T14:00:00', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2027-03-02T15:30:00', timeZone: 'W. Europe Standard Time' },
      isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness',
      recurrence: { pattern: { type: 'weekly', interval: 3, daysOfWeek: ['tuesday'], firstDayOfWeek: 'monday' }, range: { type: 'endDate', startDate: '2027-03-02', endDate: '2027-06-30' } },
    });
    expect(event?.body.attendees.map((a) => a.emailAddress.address)).toEqual(['f.elamrani@heidebroek.example', 'd.jansen@heidebroek.example', 'j.politie@politie.example']);
    // The event carries no personal data from signals or cases: its body is empty.
    expect(event?.body.body).toEqual({ contentType: 'text', content: '' });
    expect(world.graph.calls.filter((c) => c.operation === 'create')).toHaveLength(1);
    expect(world.graph.refused).toEqual([]);
    // App-only: a client-credentials token from the tenant's token endpoint, with the client secret.
    expect([...world.entra.issued.values()].map((t) => t.via)).toEqual(['secret']);

    const row = await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } });
    expect(row).toMatchObject({ status: 'scheduled', calendar: 'graph', externalId: event?.id, syncedSequence: 0 });
    // The channel's card: one message, without buttons; the chair and the coordinator refresh it into their own, with buttons.
    const posted = bot.stub.sent.filter((s) => s.conversationId.startsWith(SIGNALEN_HDB.id));
    expect(posted).toHaveLength(1);
    const channelCard = cardOf(posted[0]) as RefreshableCard;
    expect((channelCard.actions ?? []).map((a) => a.title)).toEqual(['Deelnemen', 'Uitnodiging (.ics)', 'Agenda']);
    expect(channelCard.refresh?.action).toMatchObject({ verb: 'meeting.refresh', data: { meetingId } });
    expect(channelCard.refresh?.userIds.sort()).toEqual([FATIMA.teamsUserId, PIETER.teamsUserId].sort());
    const chairs = cardAnswer(await bot.send(executeAction('meeting.refresh', { meetingId }, PIETER, HDB, { trigger: 'automatic' })));
    expect((chairs.actions ?? []).map((a) => a.title)).toEqual(['Deelnemen', 'Uitnodiging (.ics)', 'Agenda', 'Overleg starten', 'Wijzigen', 'Annuleren']);
    expect(chairs.refresh?.userIds).toEqual(channelCard.refresh?.userIds);
    const officers = cardAnswer(await bot.send(executeAction('meeting.refresh', { meetingId }, SANNE, HDB, { trigger: 'automatic' })));
    expect((officers.actions ?? []).map((a) => a.title)).toEqual(['Deelnemen', 'Uitnodiging (.ics)', 'Agenda']);
  });

  it('sends every recurrence kind as Graph\'s pattern and range', async () => {
    const kinds: { o: Record<string, string>; recurrence: unknown }[] = [
      { o: { recurrence: 'none', until: '', startDate: '2027-03-03' }, recurrence: null },
      { o: { recurrence: 'weekly', everyWeeks: '1', until: '', startDate: '2027-03-04' },
        recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['thursday'], firstDayOfWeek: 'monday' }, range: { type: 'noEnd', startDate: '2027-03-04' } } },
      // The fifth Wednesday of March is the last one of the month.
      { o: { recurrence: 'monthly', until: '2027-12-31', startDate: '2027-03-31' },
        recurrence: { pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['wednesday'], index: 'last' }, range: { type: 'endDate', startDate: '2027-03-31', endDate: '2027-12-31' } } },
      { o: { kind: 'kerngroep', recurrence: 'quarterly', until: '', startDate: '2027-04-06', online: 'false', location: 'Stadhuis, kamer 2' },
        recurrence: { pattern: { type: 'relativeMonthly', interval: 3, daysOfWeek: ['tuesday'], index: 'first' }, range: { type: 'noEnd', startDate: '2027-04-06' } } },
    ];
    for (const k of kinds) {
      const id = meetingIdOf(await plan(bot, k.o));
      const event = eventOf(world, id);
      expect(event?.body.recurrence).toEqual(k.recurrence);
      if (k.o.online === 'false') expect(event?.body).toMatchObject({ isOnlineMeeting: false, location: { displayName: 'Stadhuis, kamer 2' } });
    }
    expect(world.graph.refused).toEqual([]);
  });

  it('changes the same event (PATCH, no second event) and updates the channel\'s card in place', async () => {
    const cardId = (await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } })).cardActivityId;
    bot.stub.clear();
    const editForm = cardAnswer(await bot.send(executeAction('meeting.edit', { meetingId }, PIETER, HDB)));
    const submit = (editForm.actions ?? []).find((a) => a.verb === 'meeting.submit')?.data as Record<string, string>;
    const changed = cardAnswer(await bot.send(executeAction('meeting.submit', { ...submit, ...form({ startTime: '09:30' }) }, PIETER, HDB)));
    expect(texts(changed)).toContain('Het overleg is gewijzigd; de deelnemers krijgen de nieuwe uitnodiging.');
    const patches = world.graph.calls.filter((c) => c.operation === 'update');
    expect(patches).toHaveLength(1);
    expect(patches[0].body).not.toHaveProperty('transactionId');
    const event = eventOf(world, meetingId);
    expect(event).toMatchObject({ updates: 1, cancelled: false });
    expect(event?.body.start).toEqual({ dateTime: '2027-03-02T09:30:00', timeZone: 'W. Europe Standard Time' });
    expect(world.graph.events.size).toBe(5);
    // No new message in the channel: its card is updated (PUT) to the new time.
    const updates = bot.stub.sent.filter((s) => s.replyToId === cardId);
    expect(updates).toHaveLength(1);
    expect(texts(cardOf(updates[0]))).toContain('dinsdag 2 maart 2027, 09:30–11:00');
    expect(bot.stub.sent).toHaveLength(1);
  });

  it('keeps the organiser of a planned meeting: its event lives in that mailbox', async () => {
    const res = cardAnswer(await bot.send(executeAction('meeting.submit', { nonce: 'graph-organiser', meetingId, ...form({ organiser: 'ander@heidebroek.example' }) }, PIETER, HDB)));
    expect(texts(res)).toContain('De organisator van een gepland overleg ligt vast (overleg@heidebroek.example). Annuleer het en plan een nieuw overleg om een andere mailbox te gebruiken.');
    expect(world.graph.calls.filter((c) => c.operation === 'update')).toHaveLength(1);
  });

  it('cancels the event with a message to the attendees, and the channel\'s card says so', async () => {
    const cardId = (await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } })).cardActivityId;
    bot.stub.clear();
    const cancelled = cardAnswer(await bot.send(executeAction('meeting.cancel', { meetingId }, PIETER, HDB)));
    expect(texts(cancelled)).toContain('Geannuleerd.');
    const cancels = world.graph.calls.filter((c) => c.operation === 'cancel');
    expect(cancels).toHaveLength(1);
    expect(cancels[0].eventId).toBe(eventOf(world, meetingId)?.id);
    expect(eventOf(world, meetingId)?.cancelled).toBe(true);
    const update = bot.stub.sent.find((s) => s.replyToId === cardId);
    expect(texts(cardOf(update ?? bot.stub.sent[0])).slice(0, 2)).toEqual(['Het overleg is geannuleerd.', 'Signalenoverleg (operationeel): Signalenoverleg Heidebroek']);
    expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } })).toMatchObject({ status: 'cancelled', syncedSequence: 2 });
  });

  it('proposes free times from the attendees\' free/busy (getSchedule) and the channel\'s own meetings, and takes one into the form', async () => {
    const at = (date: string, time: string) => new Date(`${date}T${time}:00+02:00`);
    world.graph.busy.set('f.elamrani@heidebroek.example', [{ start: at('2027-05-10', '09:00'), end: at('2027-05-10', '12:00') }]);
    world.graph.busy.set('d.jansen@heidebroek.example', [{ start: at('2027-05-10', '13:00'), end: at('2027-05-10', '17:00') }]);
    await plan(bot, { title: 'Casusoverleg dinsdag', recurrence: 'none', until: '', startDate: '2027-05-11', startTime: '10:00' });
    const before = world.graph.calls.length;
    const proposed = cardAnswer(await bot.send(executeAction('meeting.slots', { nonce: 'graph-slots', ...form({ startDate: '2027-05-10', startTime: '' }) }, PIETER, HDB)));
    const asked = world.graph.calls.slice(before).filter((c) => c.operation === 'getSchedule') as GraphCall[];
    expect(asked).toHaveLength(1);
    expect(asked[0].mailbox).toBe(ORGANISER);
    expect(asked[0].body).toEqual({
      schedules: [ORGANISER, 'f.elamrani@heidebroek.example', 'd.jansen@heidebroek.example'],
      startTime: { dateTime: '2027-05-09T22:00:00.000', timeZone: 'UTC' }, endTime: expect.objectContaining({ timeZone: 'UTC' }), availabilityViewInterval: 30,
    });
    expect(texts(proposed)).toContain('Vrije tijden in de agenda\'s van de deelnemers uit dit kanaal en de organisator (3), en naast de overleggen van dit kanaal. Kies er een:');
    const picks = elements(proposed).flatMap((e) => ((e as CardElement & { actions?: CardElement[] }).actions ?? [])).filter((a) => a.verb === 'meeting.slots' && a.data?.pick);
    // Monday: Fatima's morning and Daan's afternoon leave no 90 minutes; Tuesday: around the channel's own 10:00 overleg.
    expect(picks.map((a) => a.data?.pick)).toEqual(['2027-05-11 11:30', '2027-05-11 13:00', '2027-05-12 09:00', '2027-05-12 10:30', '2027-05-13 09:00']);
    expect(picks[0].title).toBe('dinsdag 11 mei 2027 11:30');
    const picked = cardAnswer(await bot.send(executeAction('meeting.slots', { ...form({ startDate: '2027-05-10', startTime: '' }), ...picks[0].data }, PIETER, HDB)));
    const values = Object.fromEntries(elements(picked).filter((e) => e.id).map((e) => [e.id, e.value]));
    expect(values).toMatchObject({ startDate: '2027-05-11', startTime: '11:30', title: 'Signalenoverleg Heidebroek', organiser: ORGANISER });
    expect(texts(picked)).toContain('Gekozen: dinsdag 11 mei 2027 11:30. Controleer de rest en plan het overleg.');
    // A member may not plan, so may not read free/busy either.
    expect(texts(cardAnswer(await bot.send(executeAction('meeting.slots', form(), SANNE, HDB))))).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'meeting.slots', actorAadId: PIETER.aadObjectId } })).toBe(1);
  });

  it('counts only the mailboxes whose free/busy came back, says which part was not read, and audits what was read', async () => {
    world.graph.scheduleErrors.add('d.jansen@heidebroek.example');
    try {
      const proposed = cardAnswer(await bot.send(executeAction('meeting.slots', { nonce: 'graph-slots-partly', ...form({ startDate: '2027-05-10', startTime: '' }) }, PIETER, HDB)));
      expect(texts(proposed)).toContain('Van 1 van de gevraagde agenda\'s kon de beschikbaarheid niet worden opgevraagd; de voorstellen houden daar geen rekening mee. '
        + 'Vrije tijden in de agenda\'s van de deelnemers uit dit kanaal en de organisator (2), en naast de overleggen van dit kanaal. Kies er een:');
      const audits = await bot.db.prisma.auditEvent.findMany({ where: { action: 'meeting.slots', actorAadId: PIETER.aadObjectId }, orderBy: { at: 'asc' } });
      expect(audits.at(-1)).toMatchObject({ result: 'ok', details: { mailboxes: 3, read: 2 } });
      expect(bot.logs.join('\n')).not.toContain('Free/busy of');
    } finally {
      world.graph.scheduleErrors.clear();
    }
    // Free/busy that could not be read at all is audited as such.
    world.graph.fault = (call) => (call.operation === 'getSchedule' ? { status: 503 } : undefined);
    try {
      const proposed = cardAnswer(await bot.send(executeAction('meeting.slots', { nonce: 'graph-slots-down', ...form({ startDate: '2027-05-10', startTime: '' }) }, PIETER, HDB)));
      expect(texts(proposed)).toContain('De agenda\'s konden nu niet worden opgevraagd. Probeer het zo opnieuw of kies zelf een tijd.');
      const audits = await bot.db.prisma.auditEvent.findMany({ where: { action: 'meeting.slots', actorAadId: PIETER.aadObjectId }, orderBy: { at: 'asc' } });
      expect(audits.at(-1)).toMatchObject({ result: 'denied', details: { mailboxes: 3, read: 0, failure: 'unavailable' } });
    } finally {
      world.graph.fault = undefined;
    }
  });

  it('proposes free times for a change in the mailbox of the meeting\'s own organiser, which stays fixed', async () => {
    const id = meetingIdOf(await plan(bot, { title: 'Overleg om te verzetten', recurrence: 'none', until: '', startDate: '2027-05-19' }));
    const before = world.graph.calls.length;
    const other = cardAnswer(await bot.send(executeAction('meeting.slots', { nonce: 'graph-slots-move', meetingId: id,
      ...form({ title: 'Overleg om te verzetten', recurrence: 'none', until: '', startDate: '2027-05-17', startTime: '', organiser: 'ander@heidebroek.example' }) }, PIETER, HDB)));
    expect(texts(other)).toContain('De organisator van een gepland overleg ligt vast (overleg@heidebroek.example). Annuleer het en plan een nieuw overleg om een andere mailbox te gebruiken.');
    expect(world.graph.calls.length).toBe(before);
    const own = cardAnswer(await bot.send(executeAction('meeting.slots', { nonce: 'graph-slots-move', meetingId: id,
      ...form({ title: 'Overleg om te verzetten', recurrence: 'none', until: '', startDate: '2027-05-17', startTime: '' }) }, PIETER, HDB)));
    expect(world.graph.calls.slice(before).map((c) => [c.operation, c.mailbox])).toEqual([['getSchedule', ORGANISER]]);
    expect(texts(own).some((line) => line.startsWith('Vrije tijden in de agenda'))).toBe(true);
  });

  it('retries an unavailable Graph, then says why not on the channel\'s card; changing the meeting tries again', async () => {
    world.graph.fault = (call) => (call.operation === 'create' ? { status: 503 } : undefined);
    const before = world.graph.calls.length;
    bot.stub.clear();
    const card = await plan(bot, { title: 'Overleg tijdens een storing', recurrence: 'none', until: '', startDate: '2027-03-16' });
    const id = meetingIdOf(card);
    expect(texts(card)).toContain('Wordt in de agenda gezet…');
    await until('the last retry failed', async () => (await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).status === 'failed');
    expect(world.graph.calls.length - before).toBe(3);
    const row = await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ failure: 'unavailable', externalId: null });
    const why = 'Niet in de agenda gezet: Microsoft 365 was niet bereikbaar, ook na herhaalde pogingen. Wijzig het overleg om het opnieuw te proberen.';
    await until('the channel\'s card says why', async () => bot.stub.sent.some((s) => s.method === 'PUT' && s.replyToId === row.cardActivityId && texts(cardOf(s)).includes(why)));

    world.graph.fault = undefined;
    const editForm = cardAnswer(await bot.send(executeAction('meeting.edit', { meetingId: id }, PIETER, HDB)));
    const submit = (editForm.actions ?? []).find((a) => a.verb === 'meeting.submit')?.data as Record<string, string>;
    const again = cardAnswer(await bot.send(executeAction('meeting.submit', { ...submit, ...form({ title: 'Overleg tijdens een storing', recurrence: 'none', until: '', startDate: '2027-03-16' }) }, PIETER, HDB)));
    expect(texts(again)).toContain('Staat in de agenda (Microsoft 365).');
    expect(eventOf(world, id)).toBeDefined();
  });

  it('brings a change made while the create was being retried into the event Graph kept (the same transactionId returns it unchanged)', async () => {
    // The first create makes the event but its answer is lost; Retry-After keeps the retry away until the change re-arms it.
    let faulted = false;
    world.graph.fault = (call) => {
      if (call.operation !== 'create' || faulted) return undefined;
      faulted = true;
      return { status: 503, afterApplying: true, retryAfterSeconds: 60 };
    };
    try {
      const o = { title: 'Overleg met verloren antwoord', recurrence: 'none', until: '', startDate: '2027-03-23', startTime: '10:00' };
      const card = await plan(bot, o);
      const id = meetingIdOf(card);
      expect(texts(card)).toContain('Wordt in de agenda gezet…');
      expect(eventOf(world, id)?.body.start.dateTime).toBe('2027-03-23T10:00:00');

      const editForm = cardAnswer(await bot.send(executeAction('meeting.edit', { meetingId: id }, PIETER, HDB)));
      const submit = (editForm.actions ?? []).find((a) => a.verb === 'meeting.submit')?.data as Record<string, string>;
      const changed = cardAnswer(await bot.send(executeAction('meeting.submit', { ...submit, ...form({ ...o, startTime: '15:00' }) }, PIETER, HDB)));
      await until('the change is in the calendar', async () =>
        (await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).syncedSequence === 1);
      expect(texts(changed)).toContain('Het overleg is gewijzigd; de deelnemers krijgen de nieuwe uitnodiging.');
      const event = eventOf(world, id);
      expect(event?.body.start).toEqual({ dateTime: '2027-03-23T15:00:00', timeZone: 'W. Europe Standard Time' });
      expect(event?.updates).toBe(1);
      expect(world.graph.calls.filter((c) => c.operation === 'create' && c.transactionId === transactionIdOf(id))).toHaveLength(2);
      expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'scheduled', externalId: event?.id, sequence: 1 });
    } finally {
      world.graph.fault = undefined;
    }
  });

  it('says why not, at once and without retrying, when the organiser\'s mailbox is outside the app\'s permissions', async () => {
    world.graph.forbidden.add(ORGANISER);
    try {
      const before = world.graph.calls.length;
      const card = await plan(bot, { title: 'Overleg zonder rechten', recurrence: 'none', until: '', startDate: '2027-03-09' });
      expect(texts(card)).toContain('Niet in de agenda gezet: Weerbaar mag niet in de agenda van deze organisator schrijven. Vraag de beheerder de mailbox toe te voegen aan de organisatoren van Weerbaar.');
      expect(world.graph.calls.length - before).toBe(1);
      const id = meetingIdOf(card);
      expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', failure: 'forbidden', externalId: null });
      expect(await bot.db.prisma.auditEvent.count({ where: { action: 'meeting.calendar', recordId: id, result: 'denied' } })).toBe(1);
      // Nothing leaks: no HTTP status, Graph error code or exception text on the card.
      expect(texts(card).join(' ')).not.toMatch(/403|ErrorAccessDenied|Graph|Error/);
      // The log has what an administrator takes to Microsoft: the status, Graph's error code and the request-id.
      const logged = bot.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'Graph did not carry out a calendar call');
      expect(logged.at(-1)).toMatchObject({ operation: 'create', statusCode: 403, graphCode: 'ErrorAccessDenied', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    } finally {
      world.graph.forbidden.delete(ORGANISER);
    }
  });

  it('logs Graph\'s error code, never its message (which can name a mailbox)', async () => {
    const unknown = 'onbekende.mailbox@heidebroek.example';
    const card = await plan(bot, { title: 'Overleg met onbekende organisator', recurrence: 'none', until: '', startDate: '2027-03-10', organiser: unknown });
    expect(texts(card)).toContain('Niet in de agenda gezet: De mailbox van de organisator bestaat niet. Annuleer het overleg en plan het met een andere organisator.');
    const lines = bot.logs.filter((l) => l.includes('"Graph did not carry out a calendar call"'));
    expect(lines.some((l) => l.includes('"graphCode":"ErrorInvalidUser"') && l.includes('"statusCode":404'))).toBe(true);
    expect(bot.logs.join('\n')).not.toContain('onbekende.mailbox');
  });

  it('cancels without creating an event first when the create never reached Exchange', async () => {
    world.graph.forbidden.add(ORGANISER);
    const card = await plan(bot, { title: 'Overleg dat nooit aankwam', recurrence: 'none', until: '', startDate: '2027-03-11' });
    world.graph.forbidden.delete(ORGANISER);
    const id = meetingIdOf(card);
    expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', failure: 'forbidden', createSentAt: null });
    const before = world.graph.calls.length;
    const cancelled = cardAnswer(await bot.send(executeAction('meeting.cancel', { meetingId: id }, PIETER, HDB)));
    expect(texts(cancelled)).toContain('Geannuleerd.');
    // No invitation and cancellation for the attendees of an event that never was.
    expect(world.graph.calls.slice(before)).toEqual([]);
    expect(eventOf(world, id)).toBeUndefined();
    expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'cancelled', syncedSequence: 1, failure: null });
  });

  it('keeps the event a cancel found through a repeated create, so a failed cancel is retried without another create', async () => {
    let createFaulted = false;
    let cancelFaulted = false;
    world.graph.fault = (call) => {
      if (call.operation === 'create' && !createFaulted) { createFaulted = true; return { status: 503, afterApplying: true, retryAfterSeconds: 60 }; }
      if (call.operation === 'cancel' && !cancelFaulted) { cancelFaulted = true; return { status: 503 }; }
      return undefined;
    };
    try {
      const id = meetingIdOf(await plan(bot, { title: 'Overleg met verloren antwoord en annulering', recurrence: 'none', until: '', startDate: '2027-03-12' }));
      const event = eventOf(world, id);
      expect(event).toBeDefined();
      cardAnswer(await bot.send(executeAction('meeting.cancel', { meetingId: id }, PIETER, HDB)));
      await until('the cancellation is in the calendar', async () => (await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).syncedSequence === 1);
      expect(eventOf(world, id)?.cancelled).toBe(true);
      expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'cancelled', externalId: event?.id, failure: null });
      // The first create, the one that found its event for the cancel; the cancel that failed and the one that did it.
      expect(world.graph.calls.filter((c) => c.operation === 'create' && c.transactionId === transactionIdOf(id))).toHaveLength(2);
      expect(world.graph.calls.filter((c) => c.operation === 'cancel' && c.eventId === event?.id)).toHaveLength(2);
    } finally {
      world.graph.fault = undefined;
    }
  });
});

describe('when Graph cannot be reached', () => {
  let world: GraphWorld;
  beforeAll(async () => { world = await startGraphWorld(); });
  afterAll(async () => { await world.close(); });
  const logged = (bot: TestBot, msg: string) => bot.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);

  it('retries a refused connection as a network failure, and says so after the last attempt', async () => {
    // A port nothing listens on (any more): the connection is refused.
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => { const { port } = server.address() as AddressInfo; server.close(() => resolve(port)); });
    });
    const bot = await startTestBot({ env: { ...world.env(), GRAPH_BASE_URL: `http://127.0.0.1:${closed}`, OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '50', OUTBOX_MAX_ATTEMPTS: '2' } });
    try {
      const id = meetingIdOf(await plan(bot, { recurrence: 'none', until: '' }));
      await until('the last attempt failed', async () => (await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).status === 'failed');
      expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ failure: 'network', createSentAt: null });
      expect(logged(bot, 'no answer from Graph for a calendar call').map((l) => [l.operation, l.cause])).toEqual([['create', 'ECONNREFUSED'], ['create', 'ECONNREFUSED']]);
    } finally {
      await bot.stop();
    }
  });

  it('does not retry what waiting does not mend (Graph behind a certificate Node does not trust: GRAPH_CA_FILE is for the token only), and logs why', async () => {
    // The Entra stub speaks TLS with a test certificate that only the token endpoint's agent trusts.
    const bot = await startTestBot({ env: { ...world.env(), GRAPH_BASE_URL: world.entra.url, OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '50', OUTBOX_MAX_ATTEMPTS: '3' } });
    try {
      const card = await plan(bot, { recurrence: 'none', until: '' });
      expect(texts(card)).toContain('Niet in de agenda gezet: Er ging in Weerbaar iets onverwachts mis met de agenda. Wijzig het overleg om het opnieuw te proberen; gebeurt het weer, vraag de beheerder de logboeken te bekijken.');
      const id = meetingIdOf(card);
      expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', failure: 'internal' });
      const failures = logged(bot, 'calendar call failed unexpectedly');
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ level: 'error', operation: 'create', cause: expect.stringMatching(/CERT|SIGNATURE|ISSUER/) });
      expect(await bot.db.prisma.outboxJob.findUniqueOrThrow({ where: { key: `meeting:${id}` } })).toMatchObject({ status: 'failed', attempts: 1 });
    } finally {
      await bot.stop();
    }
  });
});

describe('credentials', () => {
  let world: GraphWorld;
  beforeAll(async () => { world = await startGraphWorld(); });
  afterAll(async () => { await world.close(); });

  it('signs in with a certificate (a signed client assertion) instead of a secret', async () => {
    const bot = await startTestBot({ env: world.env({ certificate: true }) });
    try {
      const card = await plan(bot, { recurrence: 'none', until: '' });
      expect(texts(card)).toContain('Staat in de agenda (Microsoft 365).');
      expect([...world.entra.issued.values()].map((t) => t.via)).toEqual(['certificate']);
    } finally {
      await bot.stop();
    }
  });

  it('tells the planner when the app cannot sign in (a wrong secret), without the sign-in error', async () => {
    const bot = await startTestBot({ env: { ...world.env(), GRAPH_CLIENT_SECRET: 'not-the-registered-secret' } });
    try {
      const card = await plan(bot, { recurrence: 'none', until: '' });
      expect(texts(card)).toContain('Niet in de agenda gezet: Weerbaar kon zich niet aanmelden bij Microsoft 365. Vraag de beheerder de app-registratie te controleren.');
      expect(texts(card).join(' ')).not.toMatch(/AADSTS|invalid_client|secret/i);
      expect(bot.logs.join('\n')).not.toContain('not-the-registered-secret');
    } finally {
      await bot.stop();
    }
  });
});

describe('a storm of 429s and 5xx', () => {
  let world: GraphWorld;
  let bot: TestBot;
  beforeAll(async () => {
    world = await startGraphWorld();
    bot = await startTestBot({ env: { ...world.env(), OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '100', OUTBOX_MAX_ATTEMPTS: '40' } });
  });
  afterAll(async () => { await bot.stop(); await world.close(); });

  it('creates each of 100 meetings exactly once, honours Retry-After, never more than 4 calls at a time, and every channel card ends in the calendar state', async () => {
    const random = seeded(20261127);
    // The storm: for its first seconds Graph throttles every create; then 15 % throttled and 20 % 5xx (half of those
    // after the event was made: the answer lost on the way back).
    let stormUntil = 0;
    world.graph.fault = (call) => {
      if (call.operation !== 'create') return undefined;
      if (stormUntil === 0) stormUntil = call.at + 3_000;
      if (call.at < stormUntil) return { status: 429, retryAfterSeconds: 1 };
      const r = random();
      if (r < 0.15) return { status: 429, retryAfterSeconds: 1 };
      if (r < 0.35) return { status: [500, 502, 503, 504][Math.floor(random() * 4)], afterApplying: random() < 0.5 };
      return undefined;
    };
    world.graph.latencyMs = 15;
    world.entra.failWith = 503;
    setTimeout(() => { world.entra.failWith = undefined; }, 1_500);

    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const cards = await Promise.all(Array.from({ length: 10 }, (_, i) => plan(bot, {
        title: `Overleg ${batch * 10 + i + 1}`, recurrence: 'none', until: '', startDate: `2027-0${1 + (i % 9)}-1${batch}`, startTime: '10:00' })));
      ids.push(...cards.map((c) => meetingIdOf(c)));
    }
    expect(new Set(ids).size).toBe(100);
    await until('every meeting is in the calendar', async () => await bot.db.prisma.meeting.count({ where: { id: { in: ids }, status: 'scheduled' } }) === 100, 120_000);

    // Exactly once: one event per meeting, found by its transactionId, and the one the meeting row points at.
    expect(world.graph.events.size).toBe(100);
    const rows = await bot.db.prisma.meeting.findMany({ where: { id: { in: ids } } });
    for (const row of rows) expect(eventOf(world, row.id)?.id).toBe(row.externalId);
    expect(new Set([...world.graph.events.values()].map((e) => e.body.transactionId)).size).toBe(100);

    // The storm happened: throttling, and failures after the work was done (which only the transactionId saves).
    const calls = world.graph.calls.filter((c) => c.operation === 'create');
    expect(calls.filter((c) => c.status === 429).length).toBeGreaterThan(30);
    expect(calls.filter((c) => c.afterApplying).length).toBeGreaterThan(5);
    expect(world.graph.refused.filter((r) => r.status !== 429 && r.status < 500)).toEqual([]);

    // Retry-After honoured: no retry of a throttled create came sooner than it said.
    const byTransaction = new Map<string, GraphCall[]>();
    for (const c of calls) byTransaction.set(c.transactionId ?? '', [...(byTransaction.get(c.transactionId ?? '') ?? []), c]);
    for (const tries of byTransaction.values()) {
      for (let i = 0; i + 1 < tries.length; i++) {
        if (tries[i].status === 429) expect(tries[i + 1].at - tries[i].at).toBeGreaterThanOrEqual((tries[i].retryAfterSeconds ?? 0) * 1000 - 5);
      }
    }
    expect(world.graph.maxInFlight).toBeLessThanOrEqual(4);
    expect(world.graph.maxInFlight).toBeGreaterThan(1);

    // One card per meeting in the channel, each showing (as posted, or as last updated) that the meeting is in the calendar.
    await until('every channel card has caught up', async () =>
      await bot.db.prisma.meeting.count({ where: { id: { in: ids }, cardState: { startsWith: 'scheduled|' } } }) === 100, 30_000);
    const meetingCards = bot.stub.sent.filter((s) => s.method === 'POST' && s.activity.attachments !== undefined && texts(cardOf(s))[0]?.includes(': Overleg '));
    expect(meetingCards).toHaveLength(100);
    for (const row of rows) {
      const posted = meetingCards.find((s) => s.id === row.cardActivityId);
      const updates = bot.stub.sent.filter((s) => s.method === 'PUT' && s.replyToId === row.cardActivityId);
      expect(posted).toBeDefined();
      expect(texts(cardOf(updates[updates.length - 1] ?? posted ?? meetingCards[0]))).toContain('Staat in de agenda (Microsoft 365).');
    }
  }, 180_000);
});

describe('a restart in the middle of the outbox', () => {
  it('leaves the killed process\'s claimed creates to expire, then another process finishes them without a second event', async () => {
    const world = await startGraphWorld();
    // A lease long enough for a submit's wait (2.5 s) inside the call timeout (half the lease).
    const env = { ...world.env(), OUTBOX_POLL_MS: '50', OUTBOX_LEASE_SECONDS: '7' };
    const first = await startTestBot({ env });
    let stopped = false;
    let second: TestBot | undefined;
    try {
      // Graph takes the creates in but never answers: the process is cut off mid-call, with its events already made.
      world.graph.holding = true;
      const ids = (await Promise.all(Array.from({ length: 8 }, (_, i) => plan(first, {
        title: `Overleg na herstart ${i + 1}`, recurrence: 'none', until: '', startDate: `2027-02-${String(i + 10).padStart(2, '0')}`, startTime: '10:00' }))))
        .map((card) => meetingIdOf(card));
      await until('four creates are in flight', async () => world.graph.calls.length >= 4);
      const cutOff = world.graph.calls.map((c) => c.transactionId);
      expect(cutOff).toHaveLength(4);
      expect(world.graph.events.size).toBe(4);
      await first.running.stop();
      stopped = true;
      const stoppedAt = Date.now();
      world.graph.holding = false;
      world.graph.release();
      expect(await first.db.prisma.meeting.count({ where: { id: { in: ids }, status: 'scheduling' } })).toBe(8);

      second = await startTestBot({ env, db: first.db });
      await until('every meeting is in the calendar', async () => await first.db.prisma.meeting.count({ where: { id: { in: ids }, status: 'scheduled' } }) === 8, 30_000);
      // Eight meetings, eight events: the four cut off were sent again, and Graph returned the events they had made.
      expect(world.graph.events.size).toBe(8);
      for (const id of ids) {
        const row = await first.db.prisma.meeting.findUniqueOrThrow({ where: { id } });
        expect(eventOf(world, id)?.id).toBe(row.externalId);
      }
      for (const transactionId of cutOff) {
        const tries = world.graph.calls.filter((c) => c.transactionId === transactionId);
        expect(tries).toHaveLength(2);
        // Not before the lease of the stopped process ran out.
        expect(tries[1].at - tries[0].at).toBeGreaterThanOrEqual(6_500);
      }
      expect(world.graph.calls.filter((c) => !cutOff.includes(c.transactionId)).every((c) => c.at >= stoppedAt)).toBe(true);
      await until('every job is done', async () =>
        await first.db.prisma.outboxJob.count({ where: { key: { in: ids.map((id) => `meeting:${id}`) }, status: 'done' } }) === 8, 5_000);
    } finally {
      if (!stopped) await first.running.stop();
      await second?.stop();
      await first.stub.close();
      await first.db.close();
      await world.close();
    }
  }, 60_000);
});

describe('switching the calendar', () => {
  it('keeps a locally planned meeting local after Graph is configured (its .ics serves the change), and refuses to change a Microsoft 365 meeting once Graph is not', async () => {
    const world = await startGraphWorld();
    const first = await startTestBot({ env: { OUTBOX_POLL_MS: '50' } });
    const bots: TestBot[] = [];
    let firstStopped = false;
    try {
      const local = meetingIdOf(await plan(first, { title: 'Lokaal gepland overleg', recurrence: 'none', until: '', startDate: '2027-04-13' }));
      await first.running.stop();
      firstStopped = true;

      // Graph configured: the local meeting is changed in Weerbaar and its invitation, without a Graph call.
      const graphBot = await startTestBot({ env: { ...world.env(), OUTBOX_POLL_MS: '50' }, db: first.db });
      bots.push(graphBot);
      const editForm = cardAnswer(await graphBot.send(executeAction('meeting.edit', { meetingId: local }, PIETER, HDB)));
      const submit = (editForm.actions ?? []).find((a) => a.verb === 'meeting.submit')?.data as Record<string, string>;
      const changed = cardAnswer(await graphBot.send(executeAction('meeting.submit',
        { ...submit, ...form({ title: 'Lokaal gepland overleg', recurrence: 'none', until: '', startDate: '2027-04-13', startTime: '11:00' }) }, PIETER, HDB)));
      expect(texts(changed)).toContain('Staat in de agenda (lokale agenda: download de uitnodiging).');
      expect(world.graph.calls).toEqual([]);
      const row = await first.db.prisma.meeting.findUniqueOrThrow({ where: { id: local } });
      expect(row).toMatchObject({ calendar: 'local', status: 'scheduled', sequence: 1, syncedSequence: 1, startTime: '11:00' });
      expect(await (await fetch(`${graphBot.url}/meetings/${row.icsToken}.ics`)).text()).toContain('DTSTART;TZID=Europe/Amsterdam:20270413T110000');
      const inGraph = meetingIdOf(await plan(graphBot, { title: 'Overleg in Microsoft 365', recurrence: 'none', until: '', startDate: '2027-04-14' }));
      expect(eventOf(world, inGraph)).toBeDefined();
      await graphBot.running.stop();

      // Graph switched off again: its meeting cannot be changed (said before the form is filled in, and at a submit).
      const localBot = await startTestBot({ env: { OUTBOX_POLL_MS: '50' }, db: first.db });
      bots.push(localBot);
      const refusal = 'Dit overleg staat in de agenda van Microsoft 365, die Weerbaar niet meer gebruikt: een wijziging zou de deelnemers niet bereiken. Annuleer het en plan een nieuw overleg.';
      expect(texts(cardAnswer(await localBot.send(executeAction('meeting.edit', { meetingId: inGraph }, PIETER, HDB))))).toEqual([refusal]);
      const stale = cardAnswer(await localBot.send(executeAction('meeting.submit', { nonce: 'switch-stale', meetingId: inGraph,
        ...form({ title: 'Overleg in Microsoft 365', recurrence: 'none', until: '', startDate: '2027-04-14', startTime: '16:00' }) }, PIETER, HDB)));
      expect(texts(stale)).toEqual([refusal]);
      expect(await first.db.prisma.meeting.findUniqueOrThrow({ where: { id: inGraph } })).toMatchObject({ status: 'scheduled', sequence: 0, startTime: '14:00' });
      // Cancelling is Weerbaar's own: cancelled here, and the card says the Outlook event could not be cancelled.
      const callsBefore = world.graph.calls.length;
      const cancelled = cardAnswer(await localBot.send(executeAction('meeting.cancel', { meetingId: inGraph }, PIETER, HDB)));
      expect(texts(cancelled)).toContain('Geannuleerd in Weerbaar, maar de annulering bereikte de agenda niet: Weerbaar gebruikt de agenda van Microsoft 365 niet meer en kan dit overleg daar niet bijwerken. Controleer het zo nodig zelf in Outlook.');
      expect(world.graph.calls.length).toBe(callsBefore);
      expect(await first.db.prisma.meeting.findUniqueOrThrow({ where: { id: inGraph } })).toMatchObject({ status: 'cancelled', failure: 'otherCalendar' });
    } finally {
      if (!firstStopped) await first.running.stop();
      for (const b of bots) { await b.running.stop().catch(() => undefined); await b.stub.close(); }
      await first.stub.close();
      await first.db.close();
      await world.close();
    }
  }, 60_000);
});

describe('free times within Teams\' deadline', () => {
  let world: GraphWorld;
  let bot: TestBot;
  // One Graph call at a time, so a slow create keeps the free/busy request waiting for a slot.
  beforeAll(async () => {
    world = await startGraphWorld();
    bot = await startTestBot({ env: { ...world.env(), OUTBOX_POLL_MS: '50', GRAPH_MAX_CONCURRENCY: '1' } });
  });
  afterAll(async () => { await bot.stop(); await world.close(); });

  const unavailable = 'De agenda\'s konden nu niet worden opgevraagd. Probeer het zo opnieuw of kies zelf een tijd.';
  const askSlots = async () => {
    const started = Date.now();
    const card = cardAnswer(await bot.send(executeAction('meeting.slots', { nonce: 'deadline-slots', ...form({ title: 'Overleg met deadline', startDate: '2027-05-17', startTime: '' }) }, PIETER, HDB)));
    return { card, ms: Date.now() - started };
  };
  const kept = (card: CardJson) => Object.fromEntries(elements(card).filter((e) => e.id).map((e) => [e.id, e.value]));
  const schedules = () => world.graph.calls.filter((c) => c.operation === 'getSchedule').length;

  it('answers in time, with the input kept, when Graph does not answer, and when the Graph calls ahead of it do not finish', async () => {
    world.graph.holding = true;
    // Graph takes the request and never answers.
    const hung = await askSlots();
    expect(hung.ms).toBeLessThan(4_500);
    expect(texts(hung.card)).toContain(unavailable);
    expect(kept(hung.card)).toMatchObject({ title: 'Overleg met deadline', startDate: '2027-05-17' });
    expect(schedules()).toBe(1);

    // A create that hangs holds the only slot: the request waits in the queue, leaves it at the deadline, and is never sent.
    const planned = meetingIdOf(await plan(bot, { title: 'Overleg dat blijft hangen', recurrence: 'none', until: '', startDate: '2027-05-18' }));
    await until('the create is in flight', async () => world.graph.calls.some((c) => c.operation === 'create'));
    const queued = await askSlots();
    expect(queued.ms).toBeLessThan(4_500);
    expect(texts(queued.card)).toContain(unavailable);
    expect(schedules()).toBe(1);

    world.graph.holding = false;
    world.graph.release();
    await until('the meeting is in the calendar', async () => (await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: planned } })).status === 'scheduled');
    // The slot went back to the pool, not to the request that left: the next one is answered from free/busy.
    const after = await askSlots();
    expect(texts(after.card).some((line) => line.startsWith('Vrije tijden in de agenda'))).toBe(true);
    expect(schedules()).toBe(2);
  }, 30_000);
});
