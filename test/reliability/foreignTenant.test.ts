// A tenant that is not on the allow-list (issue 10, part 2): every kind of activity Teams can send (messages with
// every command, Action.Execute with every verb, dialogs, both message extensions, installation and roster events,
// meeting events), many of them naming the real ids and references of the allowed tenant's records, with Fatima's own
// identity and with a stranger's. Every table holds as many rows afterwards as before, no answer and no message to the
// connector holds anything of those records (id, reference, street, name, description), and what comes back is the
// polite refusal in the caller's language, or nothing.
//
// Per run: every activity below once per place (two channels, a group chat, personal chat) and per sender identity, in
// both languages; the short profile takes a seeded sample of them, the full profile all of them, twice over.
import { randomUUID } from 'node:crypto';
import type { RecordedActivity } from '../support/connectorStub';
import {
  FATIMA, INGRID, PIETER, SANNE, SIGNALEN_HDB, SIGNALEN_ZTL, KERNGROEP_HDB, DEMO_TENANT_ID,
  cardAnswer, executeAction, fileTestSignal, install, invoke, message, say, startTestBot, texts, validSignalInput,
  type ActivityOptions, type Place, type TeamsActivity, type TestBot,
} from '../support/harness';
import { sized } from '../support/profile';
import { seeded } from '../support/random';

const FOREIGN_TENANT_ID = '99999999-8888-4777-8666-555555555555';
const REFUSAL = { nl: 'Weerbaar is niet beschikbaar voor uw organisatie.', en: 'Weerbaar is not available for your organisation.' } as const;
let clock = new Date('2026-11-30T08:00:00Z');
let bot: TestBot;

// ------------------------------------------------------------------------------------------------------------
// The allowed tenant's real records, with words found nowhere else

const STREET = 'Zqvrwlaan';
const PERSON = 'Jan Zqmrtens';
const DESCRIPTION_WORD = 'zqxlbdt';
const JOURNAL_WORD = 'zqjnkwt';
const MEETING_TITLE = 'Zqoverleg Heidebroek';

interface Real { signalId: string; reference: string; caseId: string; caseReference: string; meetingId: string; occurrenceId: string;
  itemId: string; actionId: string; alertId: string; municipalityId: string }
let real: Real;

/** Every string of the real records that must never reach a foreign caller (compared in lower case). */
let secrets: string[] = [];

async function buildRecords(): Promise<void> {
  const hdb: Place = { channel: SIGNALEN_HDB };
  await install(bot, PIETER, hdb);
  const filed = await fileTestSignal(bot, SANNE, hdb, { street: STREET, person1Name: PERSON,
    description: `Melding ${DESCRIPTION_WORD}: dichtgeplakte ramen en veel verkeer bij de loods.` });
  const second = await fileTestSignal(bot, SANNE, hdb, { street: STREET, houseNumber: '40' });
  for (const step of ['verrijken', 'klaarVoorOverleg', 'bespreken']) {
    cardAnswer(await bot.send(executeAction('signal.transition', { signalId: second.id, transition: step }, FATIMA, hdb)));
  }
  cardAnswer(await bot.send(executeAction('case.promote', { signalId: second.id }, FATIMA, { personal: true })));
  const theCase = await bot.db.prisma.case.findFirstOrThrow({ where: { signals: { some: { id: second.id } } } });
  cardAnswer(await bot.send(executeAction('journal.add', { reference: filed.reference, dossierId: filed.id, nonce: randomUUID(), kind: 'waarneming',
    occurredOn: '2026-11-20', occurredTime: '', source: '', sourceReliability: '', informationReliability: '', legalBasis: '', links: '',
    text: `Waarneming ${JOURNAL_WORD}: twee personen laden zakken uit.` }, SANNE, { personal: true })));
  const planned = cardAnswer(await bot.send(executeAction('meeting.submit', {
    nonce: randomUUID(), kind: 'signalenoverleg', title: MEETING_TITLE, startDate: '2026-11-30', startTime: '14:00', durationMinutes: '60',
    recurrence: 'none', everyWeeks: '', until: '', attendeeIds: `${FATIMA.aadObjectId},${PIETER.aadObjectId}`, externalAttendees: '',
    organiser: 'overleg@heidebroek.example', online: 'true', location: '' }, PIETER, hdb)));
  expect(texts(planned)).toContain('Het overleg is gepland.');
  const meeting = await bot.db.prisma.meeting.findFirstOrThrow({ where: { title: MEETING_TITLE } });
  const agenda = await say(bot, 'agenda', FATIMA, hdb);
  expect(agenda).toHaveLength(1);
  const occurrence = await bot.db.prisma.meetingOccurrence.findFirstOrThrow({ where: { meetingId: meeting.id } });
  const item = await bot.db.prisma.agendaItem.findFirst({ where: { occurrenceId: occurrence.id } });
  const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } });
  const action = await bot.db.prisma.actionItem.create({ data: { scopeId: scope.id, signalId: filed.id, text: 'Zqactie eigenaar bellen',
    ownerAadId: SANNE.aadObjectId, ownerName: SANNE.name, dueOn: '2026-12-20', createdByAadId: FATIMA.aadObjectId } });
  real = { signalId: filed.id, reference: filed.reference, caseId: theCase.id, caseReference: theCase.reference, meetingId: meeting.id,
    occurrenceId: occurrence.id, itemId: item?.id ?? randomUUID(), actionId: action.id, alertId: randomUUID(), municipalityId: scope.municipalityId ?? '' };
  secrets = [STREET, PERSON, 'Zqmrtens', DESCRIPTION_WORD, JOURNAL_WORD, MEETING_TITLE, 'Zqactie', theCase.title, filed.id, second.id, second.reference,
    filed.reference, theCase.id, theCase.reference, meeting.id, occurrence.id, action.id, ...(item ? [item.id] : []),
    // The people of the allowed tenant and its channels.
    SANNE.name, PIETER.name, INGRID.name, SIGNALEN_HDB.name, KERNGROEP_HDB.name, 'Heidebroek', 'Zoutelaar']
    .map((s) => s.toLowerCase());
}

// ------------------------------------------------------------------------------------------------------------
// Every activity Teams can send

const COMMANDS = (r: Real): string[] => [
  'help', 'hulp', '?', 'signalen', 'mijn signalen', 'open signalen', 'over tijd', 'casussen', 'werklijst', 'overzicht', 'my signals', 'cases',
  `zoek ${STREET}`, `zoek ${DESCRIPTION_WORD}`, `search ${PERSON}`, `signaal ${r.reference}`, `open ${r.reference}`, `casus ${r.caseReference}`,
  `case ${r.caseReference}`, `journaal ${r.reference}`, `journal ${r.caseReference}`, 'journaal controleren', 'journal verify',
  'nieuw signaal', 'new signal', `casus maken ${r.reference}`, `make case ${r.reference}`, 'overleg plannen', 'schedule a meeting', 'overleggen',
  'meetings', 'agenda', 'overleg starten', 'start the meeting', 'overleg afronden', 'finish the meeting', 'mijn acties', 'my actions',
  'briefing', 'briefing sturen', 'send a briefing', 'audit', `audit ${r.reference}`, `audittrail ${r.caseReference}`,
  `rol ${SANNE.name} coordinator`, `role ${FATIMA.aadObjectId} admin`, 'iets wat geen commando is', '',
];

const NONCE = '4e4e4e4e-0000-4000-8000-000000000001';
const journalEntry = { kind: 'waarneming', occurredOn: '2026-11-20', occurredTime: '', source: '', sourceReliability: '', informationReliability: '', legalBasis: '', links: '' };

/** Every Action.Execute verb the bot knows, with data naming the allowed tenant's records. */
const VERBS = (r: Real): [string, Record<string, unknown>][] => [
  ['signal.submit', { nonce: NONCE, ...validSignalInput({ street: STREET }) }],
  ['signal.openForm', {}],
  ['signal.refresh', { signalId: r.signalId }],
  ['signal.transition', { signalId: r.signalId, transition: 'verrijken' }],
  ['signal.assign', { signalId: r.signalId, assigneeAadId: FATIMA.aadObjectId }],
  ['record.open', { reference: r.reference, id: r.signalId, kind: 'signal' }],
  ['record.open', { reference: r.caseReference, id: r.caseId, kind: 'case' }],
  ['list.more', { list: 'recent', page: 2 }],
  ['list.show', { list: 'cases', page: 1 }],
  ['case.promote', { signalId: r.signalId }],
  ['case.phase', { caseId: r.caseId, to: 'verrijking' }],
  ['case.share', { caseId: r.caseId, mode: 'share' }],
  ['case.update', { caseId: r.caseId, title: 'Overgenomen', measures: '', leadAadId: FATIMA.aadObjectId, targetDate: '' }],
  ['case.crisis', { caseId: r.caseId }],
  ['journal.show', { reference: r.reference, dossierId: r.signalId }],
  ['journal.page', { reference: r.reference, dossierId: r.signalId, page: 1 }],
  ['journal.add', { reference: r.reference, dossierId: r.signalId, nonce: NONCE, ...journalEntry, text: 'Buitenlandse poging tot schrijven.' }],
  ['journal.correct', { reference: r.reference, dossierId: r.signalId, nonce: NONCE, sequence: '1', ...journalEntry, text: 'Buitenlandse correctie.' }],
  ['dossier.export', { reference: r.reference, dossierId: r.signalId }],
  ['meeting.submit', { nonce: NONCE, kind: 'signalenoverleg', title: 'Buitenlands overleg', startDate: '2026-12-01', startTime: '10:00', durationMinutes: '60',
    recurrence: 'none', everyWeeks: '', until: '', attendeeIds: '', externalAttendees: '', organiser: '', online: 'true', location: '' }],
  ['meeting.open', { meetingId: r.meetingId }],
  ['meeting.refresh', { meetingId: r.meetingId }],
  ['meeting.slots', { nonce: NONCE, meetingId: r.meetingId, startDate: '2026-12-01', startTime: '' }],
  ['meeting.edit', { meetingId: r.meetingId }],
  ['meeting.cancel', { meetingId: r.meetingId }],
  ['agenda.open', { meetingId: r.meetingId }],
  ['agenda.edit', { op: 'remove', itemId: r.itemId, occurrenceId: r.occurrenceId }],
  ['agenda.edit', { op: 'add', reference: r.reference, occurrenceId: r.occurrenceId }],
  ['overleg.start', { meetingId: r.meetingId }],
  ['overleg.refresh', { occurrenceId: r.occurrenceId }],
  ['overleg.item', { itemId: r.itemId }],
  ['overleg.decide', { itemId: r.itemId, version: '0', correctsId: '', nonce: NONCE, kind: 'afsluiten', text: 'Buitenlands besluit' }],
  ['overleg.finish', { occurrenceId: r.occurrenceId }],
  ['minutes.export', { occurrenceId: r.occurrenceId }],
  ['action.done', { actionId: r.actionId, [`note_${r.actionId}`]: 'gedaan' }],
  ['crisis.ack', { alertId: r.alertId, kind: 'read' }],
  ['declaration.accept', { municipalityId: r.municipalityId, version: '1' }],
  ['no.such.verb', { signalId: r.signalId }],
];

type Make = (user: typeof FATIMA, place: Place, opts: ActivityOptions) => TeamsActivity;

/** Everything else: dialogs, the message extensions, installation, roster and meeting events. */
const OTHERS = (r: Real): [string, Make][] => {
  const withType = (type: string, extra: Record<string, unknown>): Make => (user, place, opts) => {
    const { text: _t, textFormat: _f, ...rest } = message('', user, place, opts);
    void _t; void _f;
    return { ...rest, type, ...extra } as TeamsActivity;
  };
  const ev = (name: string, value: unknown): Make => (user, place, opts) => {
    const { text: _t, textFormat: _f, ...rest } = message('', user, place, opts);
    void _t; void _f;
    return { ...rest, type: 'event', name, value } as TeamsActivity;
  };
  return [
    ['task/fetch signal.form', (u, p, o) => invoke('task/fetch', { data: { verb: 'signal.form' }, context: { theme: 'default' } }, u, p, o)],
    ['task/submit signal.form', (u, p, o) => invoke('task/submit', { data: { verb: 'signal.form', nonce: NONCE, ...validSignalInput({ street: STREET }) } }, u, p, o)],
    ['task/fetch journal.form', (u, p, o) => invoke('task/fetch', { data: { verb: 'journal.form', reference: r.reference, dossierId: r.signalId } }, u, p, o)],
    ['task/submit journal.form', (u, p, o) => invoke('task/submit', { data: { verb: 'journal.form', reference: r.reference, dossierId: r.signalId, nonce: NONCE,
      ...journalEntry, text: 'Buitenlands journaal.' } }, u, p, o)],
    ['composeExtension/query', (u, p, o) => invoke('composeExtension/query', { commandId: 'findRecord', parameters: [{ name: 'query', value: STREET }],
      queryOptions: { skip: 0, count: 25 } }, u, p, o)],
    ['composeExtension/query by reference', (u, p, o) => invoke('composeExtension/query', { commandId: 'findRecord', parameters: [{ name: 'query', value: r.reference }],
      queryOptions: { skip: 0, count: 25 } }, u, p, o)],
    ['composeExtension/fetchTask', (u, p, o) => invoke('composeExtension/fetchTask', { commandId: 'createSignalFromMessage', commandContext: 'message',
      messagePayload: { id: 'msg-1', body: { contentType: 'html', content: `Hennepgeur bij ${STREET} 12, 1234 AB Heidebroek` } } }, u, p, o)],
    ['composeExtension/submitAction', (u, p, o) => invoke('composeExtension/submitAction', { commandId: 'createSignalFromMessage', commandContext: 'message',
      data: { verb: 'signal.form', nonce: NONCE, ...validSignalInput({ street: STREET }) } }, u, p, o)],
    ['composeExtension/selectItem', (u, p, o) => invoke('composeExtension/selectItem', { reference: r.reference, id: r.signalId, kind: 'signal' }, u, p, o)],
    ['adaptiveCard/action Action.Submit', (u, p, o) => invoke('adaptiveCard/action', { action: { type: 'Action.Submit', data: { verb: 'signal.submit' } } }, u, p, o)],
    ['message with a card submit (value)', (u, p, o) => ({ ...message('', u, p, o), value: { verb: 'signal.submit', nonce: NONCE, ...validSignalInput() } }) as TeamsActivity],
    ['installationUpdate add', withType('installationUpdate', { action: 'add' })],
    ['installationUpdate remove', withType('installationUpdate', { action: 'remove' })],
    ['conversationUpdate membersAdded (the bot)', withType('conversationUpdate', { membersAdded: [{ id: '28:weerbaar-bot' }] })],
    ['conversationUpdate membersAdded', (u, p, o) => withType('conversationUpdate', { membersAdded: [{ id: u.teamsUserId, aadObjectId: u.aadObjectId, name: u.name }] })(u, p, o)],
    ['conversationUpdate membersRemoved', withType('conversationUpdate', { membersRemoved: [{ id: SANNE.teamsUserId, aadObjectId: SANNE.aadObjectId }] })],
    ['meetingStart', ev('application/vnd.microsoft.meetingStart', { Id: 'meeting-1', MeetingType: 'Scheduled', Title: MEETING_TITLE, StartTime: clock.toISOString() })],
    ['meetingEnd', ev('application/vnd.microsoft.meetingEnd', { Id: 'meeting-1', MeetingType: 'Scheduled', Title: MEETING_TITLE, EndTime: clock.toISOString() })],
    ['messageReaction', withType('messageReaction', { reactionsAdded: [{ type: 'like' }], replyToId: 'card-message-1' })],
    ['signin/verifyState', (u, p, o) => invoke('signin/verifyState', { state: '123456' }, u, p, o)],
  ];
};

// ------------------------------------------------------------------------------------------------------------
// Counting and looking

/** Rows in every table of the database (the migrations' own bookkeeping left out). */
async function countAll(): Promise<Record<string, number>> {
  const tables = await bot.db.prisma.$queryRawUnsafe<{ name: string }[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name");
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await bot.db.prisma.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`);
    counts[name] = Number(row.n);
  }
  return counts;
}

/** Every table's whole content, hashed: a write that adds no row (a status, a member's name, a turn state) shows here. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = await bot.db.prisma.$queryRawUnsafe<{ name: string }[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name");
  const hashes: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await bot.db.prisma.$queryRawUnsafe<{ h: string | null }[]>(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${name.replace(/"/g, '""')}" t`);
    hashes[name] = row.h ?? '';
  }
  return hashes;
}

/** What a person gets to see of an answer: the invoke body and every message sent or updated during the turn. */
const visible = (body: unknown, sent: readonly RecordedActivity[]) =>
  JSON.stringify({ body: body ?? null, sent: sent.map((s) => ({ text: s.activity.text ?? null, attachments: s.activity.attachments ?? null })) });

/** The answer is the refusal in the caller's language, in the shape the activity expects, or nothing at all. */
function refusalProblems(activity: TeamsActivity, status: number, body: unknown, sent: readonly RecordedActivity[], locale: 'nl' | 'en'): string[] {
  const refusal = REFUSAL[locale];
  const problems: string[] = [];
  if (status !== 200) problems.push(`HTTP ${status}`);
  const type = activity.type as string;
  const name = activity.name as string | undefined;
  if (type === 'message') {
    const texts = sent.map((s) => s.activity.text);
    if (!(sent.every((s) => s.method === 'POST' && s.activity.attachments === undefined) && texts.length === 1 && texts[0] === refusal)) problems.push(`message answered ${JSON.stringify(texts)}`);
    if (body !== undefined) problems.push(`a message answered with a body ${JSON.stringify(body)}`);
    return problems;
  }
  if (sent.length > 0) problems.push(`sent to the connector: ${JSON.stringify(sent.map((s) => s.activity))}`);
  if (type !== 'invoke') {
    if (body !== undefined && body !== '') problems.push(`a ${type} answered with a body ${JSON.stringify(body)}`);
    return problems;
  }
  const expected = name === 'adaptiveCard/action'
    ? JSON.stringify(cardAnswer({ status, body }).body) === JSON.stringify([{ type: 'TextBlock', text: refusal, wrap: true, color: 'attention' }])
      || texts(cardAnswer({ status, body })).join('|') === refusal
    : name?.startsWith('task/') ? JSON.stringify(body) === JSON.stringify({ task: { type: 'message', value: refusal } })
      : JSON.stringify(body) === JSON.stringify({ message: refusal });
  if (!expected) problems.push(`invoke ${name} answered ${JSON.stringify(body).slice(0, 300)}`);
  return problems;
}

function leaks(json: string): string[] {
  const lower = json.toLowerCase();
  return secrets.filter((s) => lower.includes(s));
}

// ------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock });
  await buildRecords();
  clock = new Date('2026-11-30T09:00:00Z');
}, 120_000);
afterAll(async () => { await bot.stop(); });

interface Sender { key: string; user: typeof FATIMA; opts: ActivityOptions }
const STRANGER = { teamsUserId: 'user-id-77', aadObjectId: '00000000-0000-0000-0000-0000000000077', name: 'Buiten Staander', email: '', roles: {} };
/** Foreign senders: Fatima's own ids from a foreign tenant, a stranger, a tenant only in conversation.tenantId, and none at all. */
const SENDERS: Sender[] = [
  { key: 'FATIMA@foreign', user: FATIMA, opts: { tenantId: FOREIGN_TENANT_ID } },
  { key: 'STRANGER@foreign', user: STRANGER, opts: { tenantId: FOREIGN_TENANT_ID } },
];
const PLACES: [string, Place][] = [['HDB', { channel: SIGNALEN_HDB }], ['ZTL', { channel: SIGNALEN_ZTL }], ['groupChat', { groupChat: '19:foreign-chat@thread.v2' }],
  ['personal', { personal: true }]];

interface Case { what: string; make: Make }

function allCases(): Case[] {
  const cases: Case[] = [];
  for (const text of COMMANDS(real)) cases.push({ what: `message "${text}"`, make: (u, p, o) => message(text, u, p, o) });
  for (const [verb, data] of VERBS(real)) cases.push({ what: `Action.Execute ${verb} ${JSON.stringify(data).slice(0, 60)}`, make: (u, p, o) => executeAction(verb, data, u, p, o) });
  for (const [what, make] of OTHERS(real)) cases.push({ what, make });
  return cases;
}

describe('a tenant that is not on the allow-list', () => {
  const REPEAT = sized(1, 2);
  const SAMPLE = sized(0.25, 1);

  it(`gets the polite refusal or silence for every activity, writes nothing and sees nothing (${SAMPLE === 1 ? 'all' : 'a quarter of the'} combinations, ×${REPEAT})`, async () => {
    const random = seeded(2026_10_02);
    const before = await countAll();
    const fingerprintBefore = await fingerprint();
    const problems: string[] = [];
    let sentActivities = 0;
    for (let round = 0; round < REPEAT; round++) {
      for (const c of allCases()) {
        for (const sender of SENDERS) {
          for (const [placeKey, place] of PLACES) {
            for (const locale of ['nl', 'en'] as const) {
              if (random() >= SAMPLE) continue;
              const activity = c.make(sender.user, place, { ...sender.opts, locale: locale === 'nl' ? 'nl-NL' : 'en-US' });
              bot.stub.clear();
              const res = await bot.send(activity);
              sentActivities++;
              const sent = [...bot.stub.sent];
              const where = `${c.what} from ${sender.key} in ${placeKey} (${locale})`;
              for (const p of refusalProblems(activity, res.status, res.body, sent, locale)) problems.push(`${where}: ${p}`);
              for (const l of leaks(visible(res.body, sent))) problems.push(`${where}: LEAK of "${l}"`);
              if (bot.stub.rosterRequests.length > 0) problems.push(`${where}: read the roster of ${bot.stub.rosterRequests.join(', ')}`);
            }
          }
        }
      }
    }
    expect(problems.slice(0, 30)).toEqual([]);
    expect(sentActivities).toBeGreaterThan(sized(150, 1_000));
    // Nothing written: not a row more or less in any table, and no row changed.
    expect(await countAll()).toEqual(before);
    expect(await fingerprint()).toEqual(fingerprintBefore);
  }, 600_000);

  it('is refused when only one of the activity\'s two tenant fields is foreign, or when it names no tenant', async () => {
    const before = await countAll();
    const fingerprintBefore = await fingerprint();
    const variants: [string, (a: TeamsActivity) => TeamsActivity][] = [
      // channelData.tenant is what Teams sets and what counts; the conversation's tenant id does not make a foreign one allowed.
      ['channelData foreign, conversation allowed', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: DEMO_TENANT_ID },
        channelData: { ...(a.channelData as Record<string, unknown>), tenant: { id: FOREIGN_TENANT_ID } } })],
      ['no channelData tenant, conversation foreign', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: FOREIGN_TENANT_ID },
        channelData: { ...(a.channelData as Record<string, unknown>), tenant: undefined } })],
      ['no tenant anywhere', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: undefined }, channelData: { ...(a.channelData as Record<string, unknown>), tenant: undefined } })],
      ['an empty tenant id', (a) => ({ ...a, conversation: { ...a.conversation, tenantId: '' }, channelData: { ...(a.channelData as Record<string, unknown>), tenant: { id: '' } } })],
    ];
    const problems: string[] = [];
    for (const [what, change] of variants) {
      for (const [placeKey, place] of PLACES) {
        for (const activity of [message(`signaal ${real.reference}`, FATIMA, place), message(`zoek ${STREET}`, FATIMA, place),
          executeAction('signal.submit', { nonce: randomUUID(), ...validSignalInput({ street: STREET }) }, FATIMA, place),
          executeAction('case.share', { caseId: real.caseId, mode: 'unshare' }, FATIMA, place),
          invoke('composeExtension/query', { commandId: 'findRecord', parameters: [{ name: 'query', value: STREET }], queryOptions: { skip: 0, count: 25 } }, FATIMA, place)]) {
          bot.stub.clear();
          const changed = change(activity);
          const res = await bot.send(changed);
          const sent = [...bot.stub.sent];
          for (const p of refusalProblems(changed, res.status, res.body, sent, 'nl')) problems.push(`${what}, ${activity.type} ${String(activity.name ?? activity.text)} in ${placeKey}: ${p}`);
          for (const l of leaks(visible(res.body, sent))) problems.push(`${what} in ${placeKey}: LEAK of "${l}"`);
        }
      }
    }
    expect(problems.slice(0, 30)).toEqual([]);
    expect(await countAll()).toEqual(before);
    expect(await fingerprint()).toEqual(fingerprintBefore);
  }, 300_000);

  it('leaves the allowed tenant working as before (the refusals were not a broken bot)', async () => {
    const hdb: Place = { channel: SIGNALEN_HDB };
    const answer = await say(bot, `signaal ${real.reference}`, SANNE, hdb);
    expect(JSON.stringify(answer.map((a) => a.activity))).toContain(STREET);
  });
});
