// Running the overleg over HTTP with a clock of our own: the agenda (composed by the rules, only what the whole
// channel may see, curated by the coordinator), the chair's card (decision buttons for the chair and the coordinator
// only), every decision kind's effect on status, journal and audit, corrections, two people deciding at once, and
// the minutes with their PDF.
import {
  DAAN, FATIMA, PIETER, SANNE, SIGNALEN_HDB, cardAnswer, cardOf, elements, executeAction, fileTestSignal, install, say, startTestBot, texts,
  type CardElement, type CardJson, type RefreshableCard, type TestBot,
} from '../support/harness';
import { pdfText } from '../support/pdf';

const HDB = { channel: SIGNALEN_HDB };
// Monday 30 November 2026, 09:00 in Heidebroek.
let clock = new Date('2026-11-30T08:00:00Z');
let bot: TestBot;

const move = async (signalId: string, transition: string, user = FATIMA, extra: Record<string, string> = {}) =>
  cardAnswer(await bot.send(executeAction('signal.transition', { signalId, transition, ...extra }, user, HDB)));
const ready = async (overrides: Record<string, string> = {}) => {
  const filed = await fileTestSignal(bot, SANNE, HDB, overrides);
  await move(filed.id, 'verrijken');
  await move(filed.id, 'klaarVoorOverleg');
  return filed;
};

/** Buttons anywhere in a card (ActionSets in the body and the card's own actions), depth first. */
function buttons(card: CardJson): CardElement[] {
  const out: CardElement[] = [...(card.actions ?? [])];
  for (const e of elements(card)) out.push(...((e as CardElement & { actions?: CardElement[] }).actions ?? []));
  for (const a of [...out]) out.push(...((a as CardElement & { card?: CardJson }).card?.actions ?? []));
  return out;
}
// Every card offers "Bijwerken" (your own view, where a client does not refresh by itself): left out here.
const verbs = (card: CardJson) => buttons(card).map((b) => b.verb).filter((v) => v && v !== 'overleg.refresh');
const itemIdOf = (card: CardJson, heading: RegExp): string => {
  const containers = elements(card).filter((e) => e.type === 'Container' && (e.items ?? []).some((i) => heading.test(i.text ?? '')));
  const button = containers.flatMap((c) => c.items ?? []).flatMap((i) => (i as CardElement & { actions?: CardElement[] }).actions ?? []).find((a) => a.data?.itemId);
  return String(button?.data?.itemId ?? '');
};

let signals: Record<'a' | 'b' | 'c' | 'd' | 'secret' | 'fresh', { id: string; reference: string }>;
let caseRef = '';
let occurrenceId = '';

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock });
  await install(bot, PIETER, HDB);
  signals = {
    a: await ready({ street: 'Industrieweg', houseNumber: '1' }), b: await ready({ street: 'Industrieweg', houseNumber: '2' }),
    c: await ready({ street: 'Industrieweg', houseNumber: '3' }), d: await ready({ street: 'Industrieweg', houseNumber: '4' }),
    secret: await ready({ confidentiality: 'geheim', street: 'Geheimelaan' }),
    fresh: await fileTestSignal(bot, SANNE, HDB, { street: 'Nieuwstraat' }),
  };
  // A case in evaluation needs the overleg's decision.
  const e = await ready({ street: 'Casusweg' });
  await move(e.id, 'bespreken');
  const made = (await say(bot, `casus maken ${e.reference}`, FATIMA, HDB))[0];
  caseRef = /CASE-\d{4}-\d{4}/.exec(texts(cardOf(made)).join(' '))?.[0] ?? '';
  const row = await bot.db.prisma.case.findFirstOrThrow({ where: { reference: caseRef } });
  for (const to of ['verrijking', 'interventie', 'evaluatie']) {
    cardAnswer(await bot.send(executeAction('case.phase', { caseId: row.id, to }, FATIMA, HDB)));
  }
  // An action item from an earlier overleg, overdue by now.
  await bot.db.prisma.actionItem.create({ data: { scopeId: row.scopeId, caseId: row.id, text: 'Eigenaar pand bellen', ownerAadId: DAAN.aadObjectId, ownerName: DAAN.name,
    dueOn: '2026-11-20', createdByAadId: FATIMA.aadObjectId } });
  // One about the secret signal: the channel may not see it, so neither its text nor its reference reaches the agenda.
  await bot.db.prisma.actionItem.create({ data: { scopeId: row.scopeId, signalId: signals.secret.id, text: 'Geheime bron spreken', ownerAadId: DAAN.aadObjectId,
    ownerName: DAAN.name, dueOn: '2026-11-20', createdByAadId: FATIMA.aadObjectId } });
  // Today at 14:00, every two weeks.
  const planned = cardAnswer(await bot.send(executeAction('meeting.submit', {
    nonce: 'plan-overleg', kind: 'signalenoverleg', title: 'Signalenoverleg Heidebroek', startDate: '2026-11-30', startTime: '14:00', durationMinutes: '90',
    recurrence: 'weekly', everyWeeks: '2', until: '', attendeeIds: `${FATIMA.aadObjectId},${PIETER.aadObjectId}`, externalAttendees: 'riec@riec.example',
    organiser: 'overleg@heidebroek.example', online: 'true', location: '' }, PIETER, HDB)));
  expect(texts(planned)).toContain('Het overleg is gepland.');
}, 120_000);
afterAll(async () => { await bot.stop(); });

describe('the agenda', () => {
  let agenda: RefreshableCard;
  let agendaMessageId = '';

  it('holds the signals ready for the overleg, the case that needs a decision and the overdue action item; nothing secret, nothing not ready', async () => {
    const reply = (await say(bot, 'agenda', SANNE, HDB))[0];
    agenda = cardOf(reply) as RefreshableCard;
    agendaMessageId = reply.id;
    const shown = texts(agenda);
    expect(shown[0]).toBe('Agenda: Signalenoverleg (operationeel): Signalenoverleg Heidebroek');
    const headings = shown.filter((x) => /^\d+\. /.test(x));
    expect(headings).toEqual([
      `1. ${signals.a.reference} · Hennepteelt: Industrieweg 1, Heidebroek`, `2. ${signals.b.reference} · Hennepteelt: Industrieweg 2, Heidebroek`,
      `3. ${signals.c.reference} · Hennepteelt: Industrieweg 3, Heidebroek`, `4. ${signals.d.reference} · Hennepteelt: Industrieweg 4, Heidebroek`,
      expect.stringMatching(new RegExp(`^5\\. ${caseRef} · `)), '6. Actiepunt: Eigenaar pand bellen',
    ]);
    expect(shown.join(' ')).not.toMatch(/Geheimelaan|Nieuwstraat|Geheime bron/);
    expect(JSON.stringify(agenda)).not.toContain(signals.secret.reference);
    // The message is the same for everyone: no buttons; every member's client refreshes it into their own view.
    expect(verbs(agenda)).toEqual([]);
    expect(buttons(agenda).map((b) => b.title)).toEqual(['Bijwerken']);
    expect(agenda.refresh?.action.verb).toBe('overleg.refresh');
    expect(agenda.refresh?.userIds).toEqual(expect.arrayContaining([FATIMA.teamsUserId, SANNE.teamsUserId, PIETER.teamsUserId]));
    occurrenceId = String(agenda.refresh?.action.data.occurrenceId);
    // The agenda in the channel is the occurrence's card: edits update it.
    expect(await bot.db.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: occurrenceId } })).toMatchObject({ cardActivityId: agendaMessageId });
  });

  it('opens from the meeting card\'s Agenda button too', async () => {
    const meeting = await bot.db.prisma.meeting.findFirstOrThrow({ where: { title: 'Signalenoverleg Heidebroek' } });
    const card = cardAnswer(await bot.send(executeAction('agenda.open', { meetingId: meeting.id }, SANNE, HDB)));
    expect(texts(card)[0]).toBe('Agenda: Signalenoverleg (operationeel): Signalenoverleg Heidebroek');
    expect(texts(card).filter((x) => /^\d+\. /.test(x))).toHaveLength(6);
  });

  it('gives the coordinator buttons to reorder, remove and add, and an officer none', async () => {
    const own = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId }, FATIMA, HDB, { trigger: 'automatic' })));
    expect(verbs(own)).toEqual(expect.arrayContaining(['agenda.edit', 'overleg.start']));
    const officer = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId }, SANNE, HDB, { trigger: 'automatic' })));
    expect(verbs(officer)).toEqual([]);
    // Every view of the agenda is a read of what is on it: audited.
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'overleg.view', actorAadId: SANNE.aadObjectId, result: 'ok' } })).toBe(1);
    const refused = cardAnswer(await bot.send(executeAction('agenda.edit', { op: 'add', reference: signals.fresh.reference, occurrenceId }, SANNE, HDB)));
    expect(texts(refused)).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);
  });

  it('lets the coordinator add, move and remove items; the rules do not put a removed item back', async () => {
    const own = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId }, FATIMA, HDB, { trigger: 'automatic' })));
    const actionItem = itemIdOf(own, /Actiepunt: Eigenaar pand bellen/);
    const caseItem = itemIdOf(own, new RegExp(caseRef));
    bot.stub.clear();
    const onAgenda = { cardMessageId: agendaMessageId };
    let card = cardAnswer(await bot.send(executeAction('agenda.edit', { op: 'remove', itemId: actionItem, occurrenceId }, FATIMA, HDB, onAgenda)));
    card = cardAnswer(await bot.send(executeAction('agenda.edit', { op: 'up', itemId: caseItem, occurrenceId }, FATIMA, HDB, onAgenda)));
    card = cardAnswer(await bot.send(executeAction('agenda.edit', { op: 'add', reference: signals.fresh.reference.toLowerCase(), occurrenceId }, FATIMA, HDB, onAgenda)));
    expect(texts(card)).toContain('De agenda is bijgewerkt.');
    // The agenda in the channel is updated in place, nothing new is posted.
    expect(bot.stub.sent.map((x) => [x.method, x.replyToId])).toEqual([['PUT', agendaMessageId], ['PUT', agendaMessageId], ['PUT', agendaMessageId]]);
    const headings = texts(card).filter((x) => /^\d+\. /.test(x));
    expect(headings.map((h) => h.replace(/ · .*/, ''))).toEqual([
      `1. ${signals.a.reference}`, `2. ${signals.b.reference}`, `3. ${signals.c.reference}`, `4. ${caseRef}`, `5. ${signals.d.reference}`, `6. ${signals.fresh.reference}`,
    ]);
    expect(texts(card)).toContain('1 punt(en) van de agenda gehaald.');
    // A secret signal cannot be added where everyone reads along.
    const secret = cardAnswer(await bot.send(executeAction('agenda.edit', { op: 'add', reference: signals.secret.reference, occurrenceId }, FATIMA, HDB)));
    expect(texts(secret)).toContain('Dat signaal of die casus staat niet in dit kanaal, of is hier niet voor iedereen zichtbaar.');
    // What the card does not offer is refused (it used to become "up"), and changes nothing.
    for (const op of ['restore', 'sideways', '']) {
      const odd = cardAnswer(await bot.send(executeAction('agenda.edit', { op, itemId: actionItem, occurrenceId }, FATIMA, HDB, onAgenda)));
      expect(texts(odd)).toEqual(['Die wijziging van de agenda bestaat niet.']);
    }
    expect(await bot.db.prisma.agendaItem.findUniqueOrThrow({ where: { id: actionItem } })).toMatchObject({ removedAt: expect.any(Date) });
    // Asked again: the removed action item stays off.
    const again = cardOf((await say(bot, 'agenda', SANNE, HDB))[0]);
    expect(texts(again).join(' ')).not.toContain('Eigenaar pand bellen');
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'overleg.agenda', result: 'ok' } })).toBe(3);
  });

  it('is posted in the channel by itself an hour before the meeting, once', async () => {
    clock = new Date('2026-11-30T11:59:00Z');
    bot.stub.clear();
    expect(await bot.running.postDueAgendas()).toEqual({ sent: 0, failed: 0 });
    clock = new Date('2026-11-30T12:05:00Z');
    expect(await bot.running.postDueAgendas()).toEqual({ sent: 1, failed: 0 });
    expect(await bot.running.postDueAgendas()).toEqual({ sent: 0, failed: 0 });
    expect(bot.stub.sent).toHaveLength(1);
    expect(bot.stub.sent[0].conversationId).toBe(SIGNALEN_HDB.id);
    expect(texts(cardOf(bot.stub.sent[0]))[0]).toBe('Agenda: Signalenoverleg (operationeel): Signalenoverleg Heidebroek');
    expect(await bot.db.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: occurrenceId } })).toMatchObject({ cardActivityId: bot.stub.sent[0].id });
  });
});

describe('the overleg', () => {
  let chairCard: RefreshableCard;
  let cardMessageId = '';
  const item = (re: RegExp) => itemIdOf(chairCard, re);
  const decideOn = async (itemId: string, fields: Record<string, string>, user = PIETER, extra: Record<string, string> = {}) => {
    const form = cardAnswer(await bot.send(executeAction('overleg.item', { itemId }, user, HDB, { cardMessageId })));
    const submit = (form.actions ?? []).find((a) => a.verb === 'overleg.decide')?.data as Record<string, string> | undefined;
    if (!submit) throw new Error(`no decision form: ${texts(form).join(' | ')}`);
    return { form, answer: cardAnswer(await bot.send(executeAction('overleg.decide', { ...submit, ...extra, ...fields }, user, HDB, { cardMessageId }))) };
  };
  const journalOf = async (signalId: string) => (await bot.db.prisma.journalEntry.findMany({ where: { signalId }, orderBy: { sequence: 'asc' } })).map((e) => e.text);

  it('cannot be started by an officer; the chair starts it and gets the decision buttons', async () => {
    clock = new Date('2026-11-30T13:00:00Z');
    expect((await say(bot, 'overleg starten', SANNE, HDB))[0].activity.text).toBe('Uw rol in dit kanaal geeft geen toegang tot deze gegevens.');
    // The chair starts it from the meeting card: the meeting card stays what it is, the overleg card is posted below it.
    const meeting = await bot.db.prisma.meeting.findFirstOrThrow({ where: { title: 'Signalenoverleg Heidebroek' } });
    expect(meeting.cardActivityId).not.toBeNull();
    bot.stub.clear();
    const own = cardAnswer(await bot.send(executeAction('overleg.start', { meetingId: meeting.id }, PIETER, HDB, { cardMessageId: meeting.cardActivityId ?? '' })));
    expect(texts(own)).toContain('Het overleg is gestart: de agenda ligt vast.');
    expect(bot.stub.sent.filter((x) => x.method === 'PUT')).toEqual([]);
    const posted = bot.stub.sent.filter((x) => x.method === 'POST');
    expect(posted).toHaveLength(1);
    cardMessageId = posted[0].id;
    expect(await bot.db.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: occurrenceId } })).toMatchObject({ cardActivityId: cardMessageId });
    const shared = cardOf(posted[0]) as RefreshableCard;
    expect(texts(shared)[0]).toBe('Overleg: Signalenoverleg (operationeel): Signalenoverleg Heidebroek');
    expect(texts(shared)).toContain('Het overleg loopt. De voorzitter en de coördinator leggen de besluiten hier vast.');
    expect(verbs(shared)).toEqual([]);
    chairCard = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId }, PIETER, HDB, { trigger: 'automatic', cardMessageId })));
    expect(verbs(chairCard).filter((v) => v === 'overleg.item')).toHaveLength(6);
    expect(verbs(chairCard)).toContain('overleg.finish');
    expect(verbs(chairCard)).not.toContain('agenda.edit');
    const officer = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId }, SANNE, HDB, { trigger: 'automatic', cardMessageId })));
    expect(verbs(officer)).toEqual([]);
    // An officer who sends the verbs anyway is refused, and it is audited.
    const tried = cardAnswer(await bot.send(executeAction('overleg.item', { itemId: item(new RegExp(signals.a.reference)) }, SANNE, HDB)));
    expect(texts(tried)).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);
    const decided = cardAnswer(await bot.send(executeAction('overleg.decide', { itemId: item(new RegExp(signals.a.reference)), version: '0', correctsId: '', nonce: 'x',
      kind: 'afsluiten', text: 'Geen aanwijzingen meer' }, SANNE, HDB)));
    expect(texts(decided)).toEqual(['Uw rol in dit kanaal geeft geen toegang tot deze gegevens.']);
    expect(await bot.db.prisma.auditEvent.count({ where: { action: { in: ['overleg.start', 'overleg.decide'] }, result: 'denied' } })).toBe(2);
    expect(await bot.db.prisma.decision.count()).toBe(0);
  });

  it('verder verrijken: the signal goes back to enrichment, with the decision in its journal and the audit', async () => {
    // Back to enrichment is a step that asks for a reason (as on the signal card): without one nothing is recorded.
    const { answer: bare } = await decideOn(item(new RegExp(signals.a.reference)), { kind: 'verrijken', text: '' });
    expect(texts(bare)).toContain('Geef een toelichting van minstens 5 tekens; die komt in het journaal.');
    expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signals.a.id } })).toMatchObject({ status: 'klaar_voor_overleg' });
    const { answer } = await decideOn(item(new RegExp(signals.a.reference)), { kind: 'verrijken', text: 'Eerst KvK en BAG nagaan',
      action1Text: 'KvK-uittreksel opvragen', action1Owner: SANNE.aadObjectId, action1Due: '2026-12-03' });
    expect(texts(answer)).toContain('Het besluit is vastgelegd.');
    expect(texts(answer).join(' ')).toMatch(/Besluit: Verder verrijken \(Pieter Bakker, 14:00\)\. Eerst KvK en BAG nagaan Actiepunten: KvK-uittreksel opvragen \(Sanne de Vries, 3 december 2026\)/);
    expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signals.a.id } })).toMatchObject({ status: 'in_verrijking' });
    const journal = await journalOf(signals.a.id);
    expect(journal.at(-1)).toBe('Besluit Signalenoverleg Heidebroek (2026-11-30): verder verrijken. Toelichting: Eerst KvK en BAG nagaan '
      + 'Actiepunten: KvK-uittreksel opvragen (uiterlijk 2026-12-03). Status: Klaar voor overleg → In verrijking.');
    expect(journal.at(-2)).toBe('Status: Klaar voor overleg → In verrijking. Reden: Eerst KvK en BAG nagaan');
    expect(await bot.db.prisma.actionItem.findFirstOrThrow({ where: { text: 'KvK-uittreksel opvragen' } })).toMatchObject({ ownerAadId: SANNE.aadObjectId,
      signalId: signals.a.id, dueOn: '2026-12-03', status: 'open' });
    const audit = await bot.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'overleg.decide', result: 'ok' } });
    expect(audit.details).toMatchObject({ kind: 'verrijken', item: 'signal', actions: 1 });
  });

  it('opschalen naar casus: a new case with the signal in it, the action items on the case', async () => {
    const before = await bot.db.prisma.case.count();
    await decideOn(item(new RegExp(signals.b.reference)), { kind: 'casus', action1Text: 'Integrale controle plannen', action1Owner: DAAN.aadObjectId, action1Due: '2026-12-10' });
    expect(await bot.db.prisma.case.count()).toBe(before + 1);
    const signal = await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signals.b.id } });
    expect(signal.status).toBe('casus');
    const made = await bot.db.prisma.case.findUniqueOrThrow({ where: { id: signal.caseId ?? '' } });
    expect(await bot.db.prisma.actionItem.findFirstOrThrow({ where: { text: 'Integrale controle plannen' } })).toMatchObject({ caseId: made.id, signalId: null });
    const statuses = await bot.db.prisma.statusChange.findMany({ where: { signalId: signals.b.id }, orderBy: { at: 'asc' } });
    expect(statuses.map((s) => s.transition)).toEqual(['verrijken', 'klaarVoorOverleg', 'bespreken', 'promoveren']);
    // The signal's journal does not name the case (it may be more confidential); the case's own journal names the signal.
    const journal = await journalOf(signals.b.id);
    expect(journal.at(-1)).toMatch(/^Besluit Signalenoverleg Heidebroek \(2026-11-30\): opschalen naar casus\. .*Opgeschaald naar een casus\.$/);
    expect(journal.join(' ')).not.toContain(made.reference);
    const caseJournal = await bot.db.prisma.journalEntry.findMany({ where: { caseId: made.id } });
    expect(caseJournal.map((e) => e.text)).toContain(`Casus ${made.reference} aangemaakt uit ${signals.b.reference}; fase: signalering.`);
  });

  it('overdragen aan partner: the partner and a reason are required, then the signal is handed over', async () => {
    const { answer: wrong } = await decideOn(item(new RegExp(signals.c.reference)), { kind: 'overdragen', text: '',
      action1Text: 'ok', action1Owner: SANNE.aadObjectId, action1Due: '2026-12-03' });
    expect(texts(wrong)).toContain('Het besluit is niet vastgelegd: verbeter de gemarkeerde velden.');
    expect(texts(wrong)).toContain('Te kort: gebruik minstens 3 tekens.');
    expect(texts(wrong)).toContain('Dit veld is verplicht.');
    expect(texts(wrong)).toContain('Geef een toelichting van minstens 5 tekens; die komt in het journaal.');
    expect(elements(wrong).find((e) => e.id === 'kind')?.value).toBe('overdragen');
    expect(await bot.db.prisma.decision.count({ where: { agendaItemId: item(new RegExp(signals.c.reference)) } })).toBe(0);
    await decideOn(item(new RegExp(signals.c.reference)), { kind: 'overdragen', partner: 'politie', text: 'Strafrechtelijk onderzoek loopt' });
    expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signals.c.id } })).toMatchObject({ status: 'overgedragen', handedOverTo: 'politie' });
  });

  it('afsluiten with a reason; the case closes too; an action item gets a new due date', async () => {
    await decideOn(item(new RegExp(signals.d.reference)), { kind: 'afsluiten', text: 'Geen ondermijning: legale opslag' });
    expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signals.d.id } })).toMatchObject({ status: 'afgesloten', statusReason: 'Geen ondermijning: legale opslag' });
    await decideOn(item(new RegExp(caseRef)), { kind: 'afsluiten', text: 'Pand gesloten, evaluatie afgerond' });
    expect(await bot.db.prisma.case.findFirstOrThrow({ where: { reference: caseRef } })).toMatchObject({ phase: 'afgesloten' });
  });

  it('corrects a decision with a new one that points at it: the signal is reopened, the old decision stays visible', async () => {
    const itemId = item(new RegExp(signals.d.reference));
    const { form, answer } = await decideOn(itemId, { kind: 'verrijken', text: 'Nieuwe melding over hetzelfde pand',
      action1Text: 'Melder terugbellen', action1Owner: SANNE.aadObjectId, action1Due: '2026-12-04' });
    expect(texts(form)).toContain('U corrigeert het besluit "Afsluiten" van Pieter Bakker. Zeg waarom: het oude besluit blijft zichtbaar.');
    const decisions = await bot.db.prisma.decision.findMany({ where: { agendaItemId: itemId }, orderBy: { decidedAt: 'asc' } });
    expect(decisions.map((d) => d.kind)).toEqual(['afsluiten', 'verrijken']);
    expect(decisions[1].correctsId).toBe(decisions[0].id);
    expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signals.d.id } })).toMatchObject({ status: 'in_verrijking' });
    expect(texts(answer).join(' ')).toMatch(/Gecorrigeerd: Afsluiten \(Pieter Bakker, 14:00\)\..*Besluit: Verder verrijken/);
    expect((await journalOf(signals.d.id)).at(-1)).toMatch(/Corrigeert het eerdere besluit \(afsluiten, Pieter Bakker\)\. Toelichting: Nieuwe melding over hetzelfde pand/);
    // A correction needs its reason.
    const { answer: noReason } = await decideOn(itemId, { kind: 'afsluiten', text: '' });
    expect(texts(noReason)).toContain('Geef een toelichting van minstens 5 tekens; die komt in het journaal.');
  });

  it('a correction stops the open action items of the decision it corrects, and the journal says so', async () => {
    const itemId = item(new RegExp(signals.d.reference));
    expect(await bot.db.prisma.actionItem.findFirstOrThrow({ where: { text: 'Melder terugbellen' } })).toMatchObject({ status: 'open' });
    const { answer } = await decideOn(itemId, { kind: 'afsluiten', text: 'Melding ingetrokken, toch afsluiten' });
    expect(texts(answer)).toContain('Het besluit is vastgelegd.');
    expect(await bot.db.prisma.actionItem.findFirstOrThrow({ where: { text: 'Melder terugbellen' } })).toMatchObject({ status: 'cancelled' });
    expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signals.d.id } })).toMatchObject({ status: 'afgesloten' });
    expect((await journalOf(signals.d.id)).at(-1)).toMatch(/Corrigeert het eerdere besluit \(verder verrijken, Pieter Bakker\)\..* Open actiepunten van het gecorrigeerde besluit vervallen: Melder terugbellen\.$/);
    const decision = await bot.db.prisma.decision.findFirstOrThrow({ where: { agendaItemId: itemId, correctedBy: null } });
    expect((decision.effect as { text: string }).text).toContain('1 open actiepunt(en) van het gecorrigeerde besluit vervallen.');
    // Gone from `mijn acties` too.
    expect(texts(cardOf((await say(bot, 'mijn acties', SANNE, { personal: true }))[0])).join(' ')).not.toContain('Melder terugbellen');
  });

  it('of two people deciding the same item at once, one wins; the other is told who, and sees the current state', async () => {
    const itemId = item(new RegExp(signals.fresh.reference));
    const formOf = async (user = PIETER) => (cardAnswer(await bot.send(executeAction('overleg.item', { itemId }, user, HDB, { cardMessageId }))).actions ?? [])
      .find((a) => a.verb === 'overleg.decide')?.data as Record<string, string>;
    const [chairForm, coordinatorForm] = [await formOf(PIETER), await formOf(FATIMA)];
    const [one, two] = await Promise.all([
      bot.send(executeAction('overleg.decide', { ...chairForm, kind: 'afsluiten', text: 'Dubbele melding van SIG elders' }, PIETER, HDB, { cardMessageId })).then(cardAnswer),
      bot.send(executeAction('overleg.decide', { ...coordinatorForm, kind: 'verrijken', text: 'Eerst buurtonderzoek' }, FATIMA, HDB, { cardMessageId })).then(cardAnswer),
    ]);
    const outcomes = [texts(one), texts(two)];
    expect(outcomes.filter((x) => x.includes('Het besluit is vastgelegd.'))).toHaveLength(1);
    const lost = outcomes.find((x) => !x.includes('Het besluit is vastgelegd.')) ?? [];
    expect(lost.some((x) => /^Dit punt is intussen besloten door (Pieter Bakker|Fatima El Amrani)\. Zo staat het nu\.$/.test(x))).toBe(true);
    expect(await bot.db.prisma.decision.count({ where: { agendaItemId: itemId } })).toBe(1);
    const journal = await journalOf(signals.fresh.id);
    expect(journal.filter((x) => x.startsWith('Besluit Signalenoverleg'))).toHaveLength(1);
    // A form made before the decision can no longer decide (it would overwrite without seeing it).
    const stale = cardAnswer(await bot.send(executeAction('overleg.decide', { ...chairForm, nonce: 'another', kind: 'afsluiten', text: 'Toch afsluiten graag' }, PIETER, HDB, { cardMessageId })));
    expect(texts(stale).some((x) => x.startsWith('Dit punt is intussen besloten door'))).toBe(true);
    expect(await bot.db.prisma.decision.count({ where: { agendaItemId: itemId } })).toBe(1);
  });

  it('records a repeated submit once', async () => {
    const itemId = item(/Actiepunt: Eigenaar pand bellen/) || (await bot.db.prisma.agendaItem.findFirstOrThrow({ where: { kind: 'action' } })).id;
    // The action item was taken off the agenda: put it back to decide on it.
    await bot.db.prisma.agendaItem.update({ where: { id: itemId }, data: { removedAt: null } });
    const form = cardAnswer(await bot.send(executeAction('overleg.item', { itemId }, PIETER, HDB, { cardMessageId })));
    const submit = (form.actions ?? []).find((a) => a.verb === 'overleg.decide')?.data as Record<string, string>;
    const first = cardAnswer(await bot.send(executeAction('overleg.decide', { ...submit, kind: 'verlengen', newDueOn: '2026-12-14' }, PIETER, HDB, { cardMessageId })));
    const again = cardAnswer(await bot.send(executeAction('overleg.decide', { ...submit, kind: 'verlengen', newDueOn: '2026-12-14' }, PIETER, HDB, { cardMessageId })));
    expect(texts(first)).toContain('Het besluit is vastgelegd.');
    expect(texts(again)).toContain('Dit besluit was al vastgelegd.');
    expect(await bot.db.prisma.decision.count({ where: { agendaItemId: itemId } })).toBe(1);
    expect(await bot.db.prisma.actionItem.findFirstOrThrow({ where: { text: 'Eigenaar pand bellen' } })).toMatchObject({ dueOn: '2026-12-14', status: 'open' });
  });

  it('updates the shared card after each decision, without anyone\'s buttons', async () => {
    const updates = bot.stub.sent.filter((s) => s.method === 'PUT' && s.replyToId === cardMessageId);
    expect(updates.length).toBeGreaterThan(0);
    const last = cardOf(updates[updates.length - 1]) as RefreshableCard;
    expect(verbs(last)).toEqual([]);
    expect(texts(last).join(' ')).toContain('Besluit: Overdragen aan partner (Politie) (Pieter Bakker, 14:00). Strafrechtelijk onderzoek loopt');
    // Every decision updated the recorded card; none posted another one.
    expect(bot.stub.sent.filter((s) => s.method === 'POST' && s.conversationId.startsWith(SIGNALEN_HDB.id))).toHaveLength(1);
  });

  it('a decision from a message that is not the overleg card leaves that message alone and posts the card anew', async () => {
    bot.stub.clear();
    const itemId = item(new RegExp(signals.c.reference));
    const form = cardAnswer(await bot.send(executeAction('overleg.item', { itemId }, PIETER, HDB, { cardMessageId: 'some-other-card' })));
    const submit = (form.actions ?? []).find((a) => a.verb === 'overleg.decide')?.data as Record<string, string>;
    const answer = cardAnswer(await bot.send(executeAction('overleg.decide', { ...submit, kind: 'overdragen', partner: 'politie', text: 'Correctie: overdracht bevestigd' },
      PIETER, HDB, { cardMessageId: 'some-other-card' })));
    expect(texts(answer)).toContain('Het besluit is vastgelegd.');
    expect(bot.stub.sent.map((x) => x.method)).toEqual(['POST']);
    cardMessageId = bot.stub.sent[0].id;
    expect(await bot.db.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: occurrenceId } })).toMatchObject({ cardActivityId: cardMessageId });
  });

  it('shows nothing of the decisions on a record that is no longer visible to the whole channel: no explanation, no action items', async () => {
    // Signal a was decided with an explanation and an action item; then it became secret.
    await bot.db.prisma.signal.update({ where: { id: signals.a.id }, data: { confidentiality: 'geheim' } });
    const own = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId }, SANNE, HDB, { trigger: 'automatic', cardMessageId })));
    const shown = texts(own);
    expect(shown).toContain('Agendapunt 1: niet zichtbaar in dit kanaal.');
    expect(shown).toContain('Besluit: Verder verrijken (Pieter Bakker, 14:00).');
    expect(JSON.stringify(own)).not.toMatch(/Eerst KvK|KvK-uittreksel/);
    expect(JSON.stringify(own)).not.toContain(signals.a.reference);
    // Nor can it be decided on here, even by the chair who sends the verb anyway.
    const chair = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId }, PIETER, HDB, { trigger: 'automatic', cardMessageId })));
    expect(itemIdOf(chair, /^Agendapunt 1:/)).toBe('');
    const itemId = (await bot.db.prisma.agendaItem.findFirstOrThrow({ where: { occurrenceId, signalId: signals.a.id } })).id;
    const refusal = 'Over dit agendapunt wordt hier niet besloten: niet iedereen in dit kanaal mag het zien.';
    expect(texts(cardAnswer(await bot.send(executeAction('overleg.item', { itemId }, PIETER, HDB, { cardMessageId }))))).toContain(refusal);
    const before = await bot.db.prisma.decision.count({ where: { agendaItemId: itemId } });
    const standing = await bot.db.prisma.decision.findFirstOrThrow({ where: { agendaItemId: itemId, correctedBy: null } });
    const version = (await bot.db.prisma.agendaItem.findUniqueOrThrow({ where: { id: itemId } })).decisionVersion;
    const tried = cardAnswer(await bot.send(executeAction('overleg.decide', { itemId, version: String(version), correctsId: standing.id, nonce: 'hidden-1',
      kind: 'afsluiten', text: 'Toch maar afsluiten' }, PIETER, HDB, { cardMessageId })));
    expect(texts(tried)).toContain(refusal);
    expect(await bot.db.prisma.decision.count({ where: { agendaItemId: itemId } })).toBe(before);
    expect(await bot.db.prisma.signal.findUniqueOrThrow({ where: { id: signals.a.id } })).toMatchObject({ status: 'in_verrijking' });
    expect(await bot.db.prisma.auditEvent.count({ where: { action: 'overleg.decide', result: 'denied', recordId: itemId, details: { path: ['reason'], equals: 'hidden' } } })).toBe(1);
  });

  it('is finished by the chair: the minutes go to the channel with every decision and action item; no decisions after that', async () => {
    clock = new Date('2026-11-30T14:30:00Z');
    const replies = await say(bot, 'overleg afronden', PIETER, HDB);
    const minutes = cardOf(replies[0]);
    const shown = texts(minutes);
    expect(shown[0]).toBe('Besluitenlijst: Signalenoverleg (operationeel): Signalenoverleg Heidebroek');
    expect(shown).toEqual(expect.arrayContaining([
      '1. Verder verrijken', `5. ${signals.d.reference} · Afsluiten (gecorrigeerd)`,
      `5. ${signals.d.reference} · Verder verrijken (correctie) (gecorrigeerd)`, `5. ${signals.d.reference} · Afsluiten (correctie)`,
      `3. ${signals.c.reference} · Overdragen aan partner (Politie) (gecorrigeerd)`, `3. ${signals.c.reference} · Overdragen aan partner (Politie) (correctie)`,
    ]));
    expect(shown).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Integrale controle plannen · Daan Jansen, uiterlijk 10 december 2026 · SIG-/),
    ]));
    // Signal a is secret now: its explanation and action item are not in the minutes.
    expect(JSON.stringify(minutes)).not.toMatch(/Eerst KvK|KvK-uittreksel|Geheime bron/);
    expect(await bot.db.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: occurrenceId } })).toMatchObject({ closedAt: expect.any(Date) });
    expect((await say(bot, 'overleg afronden', PIETER, HDB))[0].activity.text).toBe('Dit overleg is al afgerond.');
    const late = cardAnswer(await bot.send(executeAction('overleg.item', { itemId: item(new RegExp(signals.b.reference)) }, PIETER, HDB)));
    expect(texts(late)).toContain('Besluiten kan alleen terwijl het overleg loopt.');

    // The minutes as a PDF: a one-time link.
    const linkCard = cardAnswer(await bot.send(executeAction('minutes.export', { occurrenceId }, SANNE, HDB)));
    const url = /(http:\/\/\S+)/.exec(texts(linkCard).join(' '))?.[1] ?? '';
    const pdf = await fetch(url);
    expect(pdf.status).toBe(200);
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain('Besluitenlijst Signalenoverleg Heidebroek');
    expect(text).toContain(`${signals.c.reference}: overdragen aan partner`);
    // Helvetica writes WinAnsi only: the effect's arrow is spelled out, not garbled.
    expect(text).toContain('-> Overgedragen.');
    expect(text).toContain('Integrale controle plannen (Daan Jansen, uiterlijk 2026-12-10)');
    expect(text).not.toMatch(/Eerst KvK|KvK-uittreksel|Geheime bron/);
    expect(text).not.toContain(signals.a.reference);
    expect((await fetch(url)).status).toBe(410);
  });

  it('starts from the agenda card only the occurrence that card is about, and only on its day', async () => {
    // The next day, the channel's agenda is the one of 14 December; its start button names that occurrence.
    clock = new Date('2026-12-01T09:00:00Z');
    const next = cardOf((await say(bot, 'agenda', PIETER, HDB))[0]) as RefreshableCard;
    expect(texts(next)[1]).toBe('Signalen Heidebroek · maandag 14 december 2026, 14:00');
    const nextId = String(next.refresh?.action.data.occurrenceId);
    const own = cardAnswer(await bot.send(executeAction('overleg.refresh', { occurrenceId: nextId }, PIETER, HDB, { trigger: 'automatic' })));
    const startButton = buttons(own).find((b) => b.verb === 'overleg.start');
    expect(startButton?.data).toEqual({ occurrenceId: nextId });
    const answer = cardAnswer(await bot.send(executeAction('overleg.start', startButton?.data ?? {}, PIETER, HDB)));
    expect(texts(answer)).toEqual(['Dit overleg is op 14 december 2026: starten kan alleen op de dag zelf.']);
    expect(await bot.db.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: nextId } })).toMatchObject({ startedAt: null });
  });

  it('answers a minutes link whose overleg is gone as gone, not with an error', async () => {
    const next = await bot.db.prisma.meetingOccurrence.findFirstOrThrow({ where: { date: '2026-12-14' } });
    const linkCard = cardAnswer(await bot.send(executeAction('minutes.export', { occurrenceId: next.id }, SANNE, HDB)));
    const url = /(http:\/\/\S+)/.exec(texts(linkCard).join(' '))?.[1] ?? '';
    await bot.db.prisma.meetingOccurrence.delete({ where: { id: next.id } });
    expect((await fetch(url)).status).toBe(410);
  });
});
