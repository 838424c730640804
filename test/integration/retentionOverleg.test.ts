// Retention and the overleg: what the overleg wrote about a signal (the decisions' explanations, also on its action
// items, and the action items' texts and notes) is anonymised with the signal, and before a signal is deleted (its
// foreign keys are then set to null, and nothing would find those texts any more).
import { ANONYMISED } from '../../src/domain/retention';
import { runRetention } from '../../src/services/retention';
import { FATIMA, SIGNALEN_HDB, executeAction, referenceIn, startTestBot, validSignalInput, type CardJson, type TestBot } from '../support/harness';

let bot: TestBot;
let now = new Date('2024-01-10T10:00:00Z');
const place = { channel: SIGNALEN_HDB };

async function closedSignal(description: string): Promise<string> {
  const res = await bot.send(executeAction('signal.submit', { nonce: description, ...validSignalInput({ description, observedOn: localDay(), person1Name: 'Kees Voorbeeld' }) },
    FATIMA, place));
  const reference = referenceIn((res.body as { value: CardJson }).value);
  const id = (await bot.db.prisma.signal.findFirstOrThrow({ where: { reference } })).id;
  await bot.send(executeAction('signal.transition', { signalId: id, transition: 'afsluiten', reason_afsluiten: 'Na verrijking geen aanwijzingen.' }, FATIMA, place));
  expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'afgesloten' });
  return id;
}
const localDay = () => now.toISOString().slice(0, 10);

/** An overleg that decided on the signal (with an action item) and on another action item about it, with explanations. */
async function overlegAbout(signalId: string, date: string): Promise<{ decisionIds: string[]; actionIds: string[] }> {
  const { prisma } = bot.db;
  const scopeId = (await prisma.signal.findUniqueOrThrow({ where: { id: signalId } })).scopeId;
  const meeting = await prisma.meeting.create({ data: {
    scopeId, kind: 'signalenoverleg', title: `Signalenoverleg ${date}`, startDate: date, startTime: '10:00', startAt: new Date(`${date}T09:00:00Z`), durationMinutes: 60,
    recurrence: { kind: 'none' }, attendeeIds: [], externalAttendees: [], organiser: 'overleg@heidebroek.example', online: true, status: 'scheduled', calendar: 'none',
    icsToken: `ics-${signalId}`, createdByAadId: FATIMA.aadObjectId } });
  const occ = await prisma.meetingOccurrence.create({ data: { meetingId: meeting.id, scopeId, date, startedAt: now, closedAt: now } });
  const decided = { scopeId, decidedByAadId: FATIMA.aadObjectId, decidedByName: FATIMA.name, decidedAt: now, effect: { text: 'Status blijft Afgesloten.' } };
  const onSignal = await prisma.agendaItem.create({ data: { occurrenceId: occ.id, kind: 'signal', recordKey: `signal:${signalId}`, position: 1, addedBy: 'rules', signalId } });
  const first = await prisma.decision.create({ data: { ...decided, occurrenceId: occ.id, agendaItemId: onSignal.id, kind: 'afsluiten', text: 'Kees Voorbeeld is verhuisd.' } });
  const handedOut = await prisma.actionItem.create({ data: { scopeId, decisionId: first.id, signalId, text: 'Kees Voorbeeld bellen', ownerAadId: FATIMA.aadObjectId,
    ownerName: FATIMA.name, dueOn: date, status: 'done', doneNote: 'Kees gesproken', createdByAadId: FATIMA.aadObjectId } });
  const earlier = await prisma.actionItem.create({ data: { scopeId, signalId, text: 'Pand van Kees bekijken', ownerAadId: FATIMA.aadObjectId, ownerName: FATIMA.name,
    dueOn: date, createdByAadId: FATIMA.aadObjectId } });
  const onAction = await prisma.agendaItem.create({ data: { occurrenceId: occ.id, kind: 'action', recordKey: `action:${earlier.id}`, position: 2, addedBy: 'rules',
    actionItemId: earlier.id } });
  const second = await prisma.decision.create({ data: { ...decided, occurrenceId: occ.id, agendaItemId: onAction.id, kind: 'vervallen', text: 'Kees ligt in het ziekenhuis.' } });
  return { decisionIds: [first.id, second.id], actionIds: [handedOut.id, earlier.id] };
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => now });
});
afterAll(async () => { await bot.stop(); });

describe('retention of what the overleg wrote about a signal', () => {
  it('anonymises it with the signal, and before deleting the signal', async () => {
    const deleted = await closedSignal('Signaal dat na 24 maanden verdwijnt.');
    const deletedOverleg = await overlegAbout(deleted, '2024-01-10');
    now = new Date('2025-01-10T10:00:00Z');
    const anonymised = await closedSignal('Signaal dat na 12 maanden geanonimiseerd wordt.');
    const anonymisedOverleg = await overlegAbout(anonymised, '2025-01-10');

    now = new Date('2026-01-10T10:00:00Z');
    const outcome = await runRetention(bot.running.deps, { dryRun: false });
    expect(outcome.kind === 'done' && outcome.items.map((i) => [i.recordId, i.action])).toEqual([[deleted, 'delete'], [anonymised, 'anonymise']]);
    expect(await bot.db.prisma.signal.findUnique({ where: { id: deleted } })).toBeNull();

    for (const o of [deletedOverleg, anonymisedOverleg]) {
      const decisions = await bot.db.prisma.decision.findMany({ where: { id: { in: o.decisionIds } } });
      expect(decisions.map((d) => d.text)).toEqual([null, null]);
      const actions = await bot.db.prisma.actionItem.findMany({ where: { id: { in: o.actionIds } } });
      expect(actions.map((a) => [a.text, a.doneNote])).toEqual([[ANONYMISED, null], [ANONYMISED, null]]);
    }
    expect(JSON.stringify(await bot.db.prisma.decision.findMany())).not.toContain('Kees');
    expect(JSON.stringify(await bot.db.prisma.actionItem.findMany())).not.toContain('Kees');
  });
});
