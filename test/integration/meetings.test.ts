// Planning the overleg with the local calendar (the embedded default): the form in the channel, its validation
// with the input kept, the meeting card posted in the channel, the .ics invitation (parsed with ical.js) from the
// card's link, `overleggen`, a repeated submit that plans once, and cancelling by the chair only.
import ICAL from 'ical.js';
import { recordCalendarFailure } from '../../src/services/meetingCalendar';
import {
  DAAN, FATIMA, PIETER, SANNE, SIGNALEN_HDB, cardAnswer, cardOf, elements, executeAction, install, say, startTestBot, texts,
  type CardElement, type CardJson, type RefreshableCard, type TestBot,
} from '../support/harness';

const NOW = new Date('2026-11-23T10:00:00Z');
const HDB = { channel: SIGNALEN_HDB };
let bot: TestBot;
beforeAll(async () => { bot = await startTestBot({ now: () => NOW }); });
afterAll(async () => { await bot.stop(); });

const inputs = (card: CardJson) => elements(card).filter((e) => String(e.type).startsWith('Input.')) as (CardElement & { id: string; value?: string })[];
const submitData = (card: CardJson) => (card.actions ?? []).find((a) => a.verb === 'meeting.submit')?.data as Record<string, string>;
const form = (o: Record<string, string> = {}) => ({
  kind: 'signalenoverleg', title: 'Signalenoverleg Heidebroek', startDate: '2026-12-01', startTime: '14:00', durationMinutes: '90',
  recurrence: 'weekly', everyWeeks: '3', until: '2027-06-30', attendeeIds: `${FATIMA.aadObjectId},${DAAN.aadObjectId}`,
  externalAttendees: 'j.politie@politie.example; riec@riec.example', organiser: 'overleg@heidebroek.example', online: 'true', location: '', ...o,
});

describe('planning an overleg', () => {
  let formCard: CardJson;

  it('opens the form in the channel for the chair, with the channel\'s members to invite', async () => {
    const replies = await say(bot, 'overleg plannen', PIETER, HDB);
    formCard = cardOf(replies[0]);
    expect(texts(formCard)[0]).toBe('Overleg plannen');
    const attendees = inputs(formCard).find((i) => i.id === 'attendeeIds') as CardElement & { choices: { title: string }[] };
    expect(attendees.choices.map((c) => c.title)).toEqual(expect.arrayContaining(['Daan Jansen', 'Fatima El Amrani', 'Sanne de Vries']));
    expect(submitData(formCard).nonce).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a member and personal chat, with a reason', async () => {
    expect((await say(bot, 'overleg plannen', SANNE, HDB))[0].activity.text).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
    expect((await say(bot, 'schedule meeting', PIETER, { personal: true }))[0].activity.text).toMatch(/^Een overleg hoort bij een kanaal/);
  });

  it('answers a wrong form with the errors beside the fields and everything typed kept, and plans nothing', async () => {
    const typed = form({ startDate: '2026-11-20', externalAttendees: 'politie@', organiser: 'overleg', online: 'false', location: '' });
    const res = await bot.send(executeAction('meeting.submit', { nonce: submitData(formCard).nonce, ...typed }, PIETER, HDB));
    const card = cardAnswer(res);
    const shown = texts(card);
    expect(shown).toContain('Het overleg is nog niet gepland: verbeter de gemarkeerde velden.');
    expect(shown).toContain('Dit tijdstip is al voorbij.');
    expect(shown).toContain('Geen geldig e-mailadres: politie@');
    expect(shown).toContain('Geen geldig e-mailadres: overleg');
    expect(shown).toContain('Dit veld is verplicht.');
    const kept = Object.fromEntries(inputs(card).map((i) => [i.id, i.value]));
    expect(kept).toMatchObject({ title: 'Signalenoverleg Heidebroek', startDate: '2026-11-20', externalAttendees: 'politie@', organiser: 'overleg', everyWeeks: '3' });
    expect(await bot.db.prisma.meeting.count()).toBe(0);
  });

  it('plans it once, posts the meeting card in the channel, and offers the invitation', async () => {
    const nonce = submitData(formCard).nonce;
    bot.stub.clear();
    const card = cardAnswer(await bot.send(executeAction('meeting.submit', { nonce, ...form() }, PIETER, HDB)));
    expect(texts(card)).toContain('Het overleg is gepland.');
    expect(texts(card)).toContain('Signalenoverleg (operationeel): Signalenoverleg Heidebroek');
    const facts = Object.fromEntries(elements(card).flatMap((e) => e.facts ?? []).map((f) => [f.title, f.value]));
    expect(facts).toMatchObject({ Wanneer: 'dinsdag 1 december 2026, 14:00–15:30', Herhaling: 'Elke 3 weken op dinsdag, tot en met 30 juni 2027', Waar: 'Online (Teams)',
      Organisator: 'overleg@heidebroek.example' });
    expect(facts.Deelnemers).toBe('Fatima El Amrani, Daan Jansen, j.politie@politie.example, riec@riec.example');
    expect(texts(card)).toContain('Staat in de agenda (lokale agenda: download de uitnodiging).');
    // The channel gets it as a message of its own, without buttons (it is the same message for everyone).
    expect(bot.stub.sent.map((s) => texts(cardOf(s))[0])).toEqual(['Signalenoverleg (operationeel): Signalenoverleg Heidebroek']);
    expect((cardOf(bot.stub.sent[0]).actions ?? []).map((a) => a.title)).toEqual(['Uitnodiging (.ics)', 'Agenda']);
    // The chair and the coordinator get their own version of it, with the buttons (a per-user refresh).
    expect((cardOf(bot.stub.sent[0]) as RefreshableCard).refresh).toMatchObject({ action: { verb: 'meeting.refresh' } });
    expect((cardOf(bot.stub.sent[0]) as RefreshableCard).refresh?.userIds.sort()).toEqual([FATIMA.teamsUserId, PIETER.teamsUserId].sort());
    expect((card.actions ?? []).map((a) => a.title)).toEqual(['Uitnodiging (.ics)', 'Agenda', 'Overleg starten', 'Wijzigen', 'Annuleren']);

    // The same submit again (Teams retries after 5 s): the same meeting, nothing new posted.
    bot.stub.clear();
    const again = cardAnswer(await bot.send(executeAction('meeting.submit', { nonce, ...form() }, PIETER, HDB)));
    expect(texts(again)).toContain('Dit overleg was al gepland.');
    expect(bot.stub.sent).toEqual([]);
    expect(await bot.db.prisma.meeting.count()).toBe(1);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'meeting.schedule', result: 'ok' } })).toBe(1);

    const link = (card.actions ?? []).find((a) => a.type === 'Action.OpenUrl') as (CardElement & { url: string }) | undefined;
    expect(link?.title).toBe('Uitnodiging (.ics)');
    const download = await fetch(link?.url ?? '');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/calendar/);
    const component = new ICAL.Component(ICAL.parse(await download.text()));
    const vevent = component.getFirstSubcomponent('vevent');
    expect(vevent?.getFirstPropertyValue('summary')).toBe('Signalenoverleg Heidebroek');
    expect(String(vevent?.getFirstPropertyValue('rrule'))).toMatch(/FREQ=WEEKLY;.*INTERVAL=3/);
    expect(vevent?.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()))
      .toEqual(['mailto:f.elamrani@heidebroek.example', 'mailto:d.jansen@heidebroek.example', 'mailto:j.politie@politie.example', 'mailto:riec@riec.example']);
    expect((await fetch(`${bot.url}/meetings/not-a-real-token-at-all-xyz.ics`)).status).toBe(404);
  });

  it('lists the channel\'s upcoming meetings and opens one', async () => {
    const list = cardOf((await say(bot, 'overleggen', SANNE, HDB))[0]);
    expect(texts(list)[0]).toBe('Komende overleggen');
    expect(texts(list)).toContain('dinsdag 1 december 2026, 14:00–15:30 · Signalenoverleg (operationeel) · Signalenoverleg Heidebroek');
    const row = elements(list).find((e) => (e as CardElement & { selectAction?: unknown }).selectAction) as CardElement & { selectAction: { data: Record<string, string> } };
    const opened = cardAnswer(await bot.send(executeAction('meeting.open', row.selectAction.data, SANNE, HDB)));
    expect(texts(opened)).toContain('Signalenoverleg (operationeel): Signalenoverleg Heidebroek');
    // A member sees it but may not cancel it.
    expect((opened.actions ?? []).some((a) => a.title === 'Annuleren')).toBe(false);
  });

  it('lets the chair change it from its card: the same meeting, a new invitation, the channel told', async () => {
    const meeting = await bot.db.prisma.meeting.findFirstOrThrow();
    const opened = cardAnswer(await bot.send(executeAction('meeting.open', { meetingId: meeting.id }, PIETER, HDB)));
    const change = (opened.actions ?? []).find((a) => a.verb === 'meeting.edit');
    expect(change).toMatchObject({ title: 'Wijzigen', data: { meetingId: meeting.id } });
    // A member gets no such button, and is refused when she sends the verb anyway.
    expect(texts(cardAnswer(await bot.send(executeAction('meeting.edit', { meetingId: meeting.id }, SANNE, HDB))))).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);

    const editForm = cardAnswer(await bot.send(executeAction('meeting.edit', change?.data ?? {}, PIETER, HDB)));
    expect(texts(editForm)[0]).toBe('Overleg wijzigen');
    const kept = Object.fromEntries(inputs(editForm).map((i) => [i.id, i.value]));
    expect(kept).toMatchObject({ title: 'Signalenoverleg Heidebroek', startDate: '2026-12-01', startTime: '14:00', recurrence: 'weekly', everyWeeks: '3', until: '2027-06-30' });
    const submit = submitData(editForm);
    expect(submit.meetingId).toBe(meeting.id);

    bot.stub.clear();
    const changed = cardAnswer(await bot.send(executeAction('meeting.submit', { ...submit, ...kept, attendeeIds: String(kept.attendeeIds), startDate: '2026-12-08', startTime: '09:30' }, PIETER, HDB)));
    expect(texts(changed)).toContain('Het overleg is gewijzigd; de deelnemers krijgen de nieuwe uitnodiging.');
    const facts = Object.fromEntries(elements(changed).flatMap((e) => e.facts ?? []).map((f) => [f.title, f.value]));
    expect(facts.Wanneer).toBe('dinsdag 8 december 2026, 09:30–11:00');
    // The channel's card is updated in place, not posted again.
    expect(bot.stub.sent.map((s) => [s.method, s.replyToId])).toEqual([['PUT', meeting.cardActivityId]]);
    expect(texts(cardOf(bot.stub.sent[0]))).toContain('dinsdag 8 december 2026, 09:30–11:00');
    expect(await bot.db.prisma.meeting.count()).toBe(1);
    const row = await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meeting.id } });
    expect(row).toMatchObject({ startDate: '2026-12-08', startTime: '09:30', sequence: 1, status: 'scheduled' });
    const ics = await (await fetch(`${bot.url}/meetings/${row.icsToken}.ics`)).text();
    expect(ics).toContain('SEQUENCE:1');
    expect(ics).toContain('DTSTART;TZID=Europe/Amsterdam:20261208T093000');
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'meeting.update', recordId: meeting.id, result: 'ok' } })).toBe(1);
  });

  it('proposes free times next to the channel\'s own meetings (the local calendar knows no one\'s agenda)', async () => {
    const proposed = cardAnswer(await bot.send(executeAction('meeting.slots', { nonce: 'local-slots', ...form({ startDate: '2026-12-08', startTime: '' }) }, PIETER, HDB)));
    expect(texts(proposed)).toContain('Zonder Microsoft 365 kent Weerbaar alleen de overleggen van dit kanaal, niet de agenda\'s van de deelnemers. Vrije tijden daarnaast:');
    const picks = elements(proposed).flatMap((e) => ((e as CardElement & { actions?: CardElement[] }).actions ?? [])).filter((a) => a.verb === 'meeting.slots' && a.data?.pick);
    // Tuesday 8 December: the overleg planned at 09:30–11:00 comes first.
    expect(picks.map((a) => a.data?.pick)).toEqual(['2026-12-08 11:00', '2026-12-08 12:30', '2026-12-09 09:00', '2026-12-09 10:30', '2026-12-10 09:00']);
    // Without attendees there is nothing to propose for: the form says so beside the field.
    const none = cardAnswer(await bot.send(executeAction('meeting.slots', { nonce: 'local-slots', ...form({ attendeeIds: '', externalAttendees: '' }) }, PIETER, HDB)));
    expect(texts(none)).toContain('Kies minstens één deelnemer of vul een e-mailadres van een partner in.');
  });

  it('says a failure reason it does not know (an earlier version wrote one) and a failure of its own as internal, and records none on a newer change', async () => {
    const meeting = await bot.db.prisma.meeting.findFirstOrThrow();
    const open = async () => texts(cardAnswer(await bot.send(executeAction('meeting.open', { meetingId: meeting.id }, PIETER, HDB))));
    const internal = 'De wijziging staat niet in de agenda: Er ging in Weerbaar iets onverwachts mis met de agenda. Wijzig het overleg om het opnieuw te proberen; '
      + 'gebeurt het weer, vraag de beheerder de logboeken te bekijken. De agenda toont nog de vorige versie.';
    const reset = () => bot.db.prisma.meeting.update({ where: { id: meeting.id }, data: { status: 'scheduled', failure: null } });
    try {
      await bot.db.prisma.meeting.update({ where: { id: meeting.id }, data: { status: 'failed', failure: 'calendar' } });
      expect(await open()).toContain(internal);
      // The job itself failed (the worker's 'internal') with the local calendar: not "Microsoft 365 could not be reached".
      await reset();
      await recordCalendarFailure(bot.running.deps, meeting.id, 'internal', meeting.sequence);
      expect(await open()).toContain(internal);
      // The last attempt at an older version fails after the meeting was changed: the change keeps its own state.
      await reset();
      await recordCalendarFailure(bot.running.deps, meeting.id, 'unavailable', meeting.sequence - 1);
      expect(await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meeting.id } })).toMatchObject({ status: 'scheduled', failure: null });
      expect(await open()).toContain('Staat in de agenda (lokale agenda: download de uitnodiging).');
      expect(await bot.db.prisma.auditEvent.count({ where: { action: 'meeting.calendar', recordId: meeting.id } })).toBe(1);
    } finally {
      await reset();
    }
  });

  it('lets the chair cancel it, not a member; the invitation becomes a cancellation', async () => {
    const meeting = await bot.db.prisma.meeting.findFirstOrThrow();
    const refused = cardAnswer(await bot.send(executeAction('meeting.cancel', { meetingId: meeting.id }, SANNE, HDB)));
    expect(texts(refused)).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);
    bot.stub.clear();
    const cancelled = cardAnswer(await bot.send(executeAction('meeting.cancel', { meetingId: meeting.id }, PIETER, HDB)));
    expect(texts(cancelled)).toContain('Het overleg is geannuleerd.');
    expect(bot.stub.sent.map((s) => [s.method, s.replyToId, texts(cardOf(s))[0]])).toEqual([['PUT', meeting.cardActivityId, 'Het overleg is geannuleerd.']]);
    expect(texts(cancelled)).toContain('Geannuleerd.');
    const row = await bot.db.prisma.meeting.findUniqueOrThrow({ where: { id: meeting.id } });
    expect(row).toMatchObject({ status: 'cancelled', sequence: 2 });
    const ics = await (await fetch(`${bot.url}/meetings/${row.icsToken}.ics`)).text();
    expect(ics).toContain('METHOD:CANCEL');
    expect(ics).toContain('SEQUENCE:2');
    expect(texts(cardOf((await say(bot, 'overleggen', SANNE, HDB))[0]))).toContain('Er is nog geen overleg gepland. Plan er een met overleg plannen.');
  });
});

describe('the reminder in the channel', () => {
  // A clock of our own: Thursday 26 November 2026.
  let clock = new Date('2026-11-26T08:00:00Z');
  let own: TestBot;
  const at = (iso: string) => { clock = new Date(iso); };
  const plan = async (o: Record<string, string>) => {
    const res = await own.send(executeAction('meeting.submit', { nonce: `r-${Math.random()}`, ...form({ recurrence: 'none', until: '', ...o }) }, PIETER, HDB));
    return cardAnswer(res);
  };
  const reminders = () => own.stub.sent.filter((s) => s.conversationId === SIGNALEN_HDB.id && texts(cardOf(s))[0]?.startsWith('Herinnering'));

  beforeAll(async () => {
    own = await startTestBot({ now: () => clock });
    // Installing the bot in the channel tells it where to post.
    await install(own, PIETER, HDB);
  });
  afterAll(async () => { await own.stop(); });

  it('is posted once, on the working day before, holidays skipped; not for a cancelled meeting', async () => {
    await plan({ title: 'Signalenoverleg maandag', startDate: '2026-11-30', startTime: '10:00' });
    const cancelled = await plan({ title: 'Geschrapt overleg', startDate: '2026-11-30', startTime: '15:00' });
    const cancelledId = String((cancelled.actions ?? []).flatMap((a) => (a as CardElement & { card?: CardJson }).card?.actions ?? [])
      .find((a) => a.verb === 'meeting.cancel')?.data?.meetingId);
    cardAnswer(await own.send(executeAction('meeting.cancel', { meetingId: cancelledId }, PIETER, HDB)));
    await plan({ title: 'Overleg na kerst', startDate: '2026-12-28', startTime: '10:00' });
    own.stub.clear();

    // Thursday: Monday's meeting is two working days away.
    expect(await own.running.sendMeetingReminders()).toEqual({ sent: 0, failed: 0 });
    // Friday, the working day before Monday: once, however often the job runs.
    at('2026-11-27T07:00:00Z');
    expect(await own.running.sendMeetingReminders()).toEqual({ sent: 1, failed: 0 });
    expect(await own.running.sendMeetingReminders()).toEqual({ sent: 0, failed: 0 });
    expect(reminders().map((s) => texts(cardOf(s)).slice(0, 2))).toEqual([
      ['Herinnering: dit overleg is op 30 november 2026 om 10:00.', 'Signalenoverleg (operationeel): Signalenoverleg maandag'],
    ]);
    // The reminder has no buttons for anyone: it is the same message for the whole channel.
    expect((cardOf(reminders()[0]).actions ?? []).some((a) => a.title === 'Annuleren')).toBe(false);

    // Monday 28 December: Friday the 25th is Christmas, so the reminder comes on Thursday the 24th.
    own.stub.clear();
    at('2026-12-23T07:00:00Z');
    expect(await own.running.sendMeetingReminders()).toEqual({ sent: 0, failed: 0 });
    at('2026-12-24T07:00:00Z');
    expect(await own.running.sendMeetingReminders()).toEqual({ sent: 1, failed: 0 });
    expect(texts(cardOf(reminders()[0]))[0]).toBe('Herinnering: dit overleg is op 28 december 2026 om 10:00.');
  });

  it('is tried again later when the channel cannot be reached, and sent once it can', async () => {
    await plan({ title: 'Overleg in januari', startDate: '2027-01-05', startTime: '10:00' });
    at('2027-01-04T07:00:00Z');
    own.stub.failWith = 503;
    const failed = await own.running.sendMeetingReminders();
    expect(failed.sent).toBe(0);
    expect(failed.failed).toBe(1);
    own.stub.failWith = undefined;
    // Not straight away (another process may still be sending it) ...
    expect(await own.running.sendMeetingReminders()).toEqual({ sent: 0, failed: 0 });
    // ... but after a while.
    at('2027-01-04T07:30:00Z');
    expect(await own.running.sendMeetingReminders()).toEqual({ sent: 1, failed: 0 });
  }, 60_000);
});
