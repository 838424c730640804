// Property-based fuzzing of every form and every card verb (issue 10, part 3). Every Action.Execute verb, the dialogs
// (task/fetch, task/submit), the message action, the search message extension and the commands get malformed input:
// wrong types where text is expected, missing fields, 100 kB text, unicode edge cases, injection strings (SQL, `${...}`
// template syntax, JSON fragments, markdown, HTML) and ids of other scopes or of nothing. Per input: no 5xx and no
// internal error; the answer is the form again (errors, input kept), a refusal or a notice in the user's language, or
// (for a read) an ordinary answer; no card carries a markdown link or HTML built from the input; and the card's
// structure is the same as for a harmless text of the same length. Over the whole batch: no row written (the audit
// trail records refusals, reads and invalid requests, nothing else).
// Deterministic: FUZZ_SEED (default below) is printed with any failure; RELIABILITY_PROFILE=full runs the full size.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  FATIMA, KERNGROEP_HDB, LOTTE, PIETER, SANNE, SIGNALEN_HDB, SIGNALEN_ZTL, cardAnswer, cardOf, elements, executeAction, fileTestSignal, install, invoke,
  message, say, startTestBot, texts,
  type CardElement, type CardJson, type InvokeAnswer, type Place, type TeamsActivity, type TestBot,
} from '../support/harness';
import type { DemoUser } from '../../src/store/demoData';
import { t, type StringKey } from '../../src/teams/strings';
import type { Locale } from '../../src/domain/caller';
import { sized } from '../support/profile';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
const RUNS = sized(220, 1600);
const HDB: Place = { channel: SIGNALEN_HDB };
const KERN: Place = { channel: KERNGROEP_HDB };
const ZTL: Place = { channel: SIGNALEN_ZTL };
const PERSONAL: Place = { personal: true };
// Monday 30 November 2026, 09:00 in Heidebroek; the overleg is planned for 14:00 today.
const NOW = new Date('2026-11-30T08:00:00Z');

let bot: TestBot;

// ---------------------------------------------------------------------------------------------------------------
// The bot's own words, per language: every key of the string table as a pattern ({x} matches anything).

const KEYS = [...readFileSync(join(__dirname, '../../src/teams/strings.ts'), 'utf8').split('const en')[0].matchAll(/^\s*'([\w.]+)':/gm)].map((m) => m[1] as StringKey);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patternOf = (template: string) => new RegExp(`^${escapeRe(template).replace(/\\\{\w+\\\}/g, '[\\s\\S]*')}$`);
/** Templates with enough words of their own to tell a language (not just a placeholder or a name). */
const templates = (locale: Locale) => KEYS.map((k) => t(locale, k)).filter((v) => v.replace(/\{\w+\}/g, '').replace(/[^\p{L}]/gu, '').length >= 6)
  .filter((v) => v !== t(locale === 'nl' ? 'en' : 'nl', KEYS[KEYS.findIndex((k) => t(locale, k) === v)]));
const PATTERNS: Record<Locale, RegExp[]> = { nl: templates('nl').map(patternOf), en: templates('en').map(patternOf) };
const ours = (locale: Locale, text: string) => PATTERNS[locale].some((p) => p.test(text));
/** For "the other language": sentences only (a heading such as 'Signaal {reference}' also matches stored Dutch journal text). */
const SENTENCES: Record<Locale, RegExp[]> = { nl: templates('nl').filter((v) => v.replace(/\{\w+\}/g, '').replace(/[^\p{L}]/gu, '').length >= 12).map(patternOf),
  en: templates('en').filter((v) => v.replace(/\{\w+\}/g, '').replace(/[^\p{L}]/gu, '').length >= 12).map(patternOf) };
/** The labels of the links the bot makes itself (`[label]({url})` in the string table). */
const OWN_LINK_LABELS = new Set(KEYS.flatMap((k) => (['nl', 'en'] as const).flatMap((l) => [...t(l, k).matchAll(/\[([^\]]+)\]\(\{\w+\}\)/g)].map((m) => m[1]))));
/** What Teams shows for backslash escapes of ASCII punctuation. */
const shown = (text: string) => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');

const INTERNAL_ERROR = [patternOf(t('nl', 'error.internal')), patternOf(t('en', 'error.internal'))];
const RAW_ERROR = /\bat .+:\d+:\d+\)|TypeError|ReferenceError|SyntaxError|RangeError|PrismaClient|Invalid `|\bP2\d{3}\b|invalid input syntax|violates .* constraint|ECONNREFUSED|Cannot read propert|is not a function|undefined is not/;

// ---------------------------------------------------------------------------------------------------------------
// Malformed values.

const INJECTIONS = [
  '\'; DROP TABLE "Signal"; --', '\' OR \'1\'=\'1', '1; SELECT pg_sleep(5)--', 'Robert\'); DELETE FROM "AuditEvent";--', '%\' AND 1=1 --', '\\x00\\\'',
  '${1+1}', '${$root}', '${json(\'{"a":1}\')}', '${if(true, \'[x](https://evil.example)\', \'b\')}', '${text}', '$' + '{exit()}', '{{7*7}}', '#{7*7}',
  '{"type":"TextBlock","text":"[x](https://evil.example)"}', '"},{"type":"Action.OpenUrl","url":"https://evil.example"},{"a":"', '[]', '{}', 'null', '__proto__',
  '[klik hier](https://evil.example/login)', '[x](https://evil.example)', '![logo](https://evil.example/p.png)', '[a]: https://evil.example', '<https://evil.example>',
  '**vet** en __onderstreept__', '*schuin*', '~~weg~~', '`code`', '# Kop', '- lijst', '1. lijst', '> citaat', '\\[x\\](https://evil.example)', '\\\\[x](https://evil.example)',
  '[x](javascript:alert(1))', '[x](https://evil.example "titel")', '[**x**](https://evil.example)',
  '<script>alert(1)</script>', '<a href="https://evil.example">klik</a>', '<img src=x onerror=alert(1)>', '<b>vet</b>', '&lt;b&gt;', '<at>Weerbaar</at>',
  'SIG-2026-0001', 'CASE-2026-0001', '../../etc/passwd', 'https://evil.example', 'mailto:x@evil.example',
];
const INJECTION_PIECES = fc.constantFrom(...INJECTIONS);
const injection = fc.oneof(
  INJECTION_PIECES,
  fc.tuple(fc.stringMatching(/^[A-Za-z ]{0,12}$/), INJECTION_PIECES, fc.stringMatching(/^[A-Za-z ]{0,12}$/)).map(([a, b, c]) => `${a}${b}${c}`),
  fc.array(INJECTION_PIECES, { minLength: 2, maxLength: 4 }).map((xs) => xs.join(' ')),
);
const UNICODE_PIECES = ['\uD800', '\uDFFF', 'a\uD83D', '\uDE00z', '\u202Eevil\u202C', '\u202Dx\u202C', '\u2066x\u2069', '\u200B', '\u200B\u200C\u200D\uFEFF', 'e\u0301\u0301\u0301\u0301',
  'Z\u0335\u0321\u0322\u0347a\u0338\u034Dl\u0337g\u0337o', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}', '\u{1F3F3}\uFE0F\u200D\u{1F308}', '\u0000', '\uFFFF', '\uFFFE',
  '\u2028\u2029', '\uFDFA', '\u0130', '\u{10FFFF}', '\u00AD', '\u180E', '\u3000', '\t\r\n', 'مرحبا', '\u05D0\u05D1', '\u{1D54F}'];
const unicode = fc.oneof(
  fc.constantFrom(...UNICODE_PIECES),
  fc.array(fc.constantFrom(...UNICODE_PIECES, 'a', 'Straat ', '12', ' '), { minLength: 2, maxLength: 12 }).map((xs) => xs.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const oversized = fc.tuple(fc.constantFrom(100_000, 100_003, 10_001, 4_001), fc.constantFrom('a', 'é', '\u{1F600}', '[x](https://evil.example) ', ' ', '\u200B', 'ab\n'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom([], {}, [''], { text: '[x](https://evil.example)' }, ['a', 'b'], [1, [2, [3]]]),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

type Payload = { value: unknown; kind: 'wrongType' | 'unicode' | 'oversized' | 'injection' | 'id' | 'missing' };
const tag = (kind: Payload['kind']) => (value: unknown): Payload => ({ value, kind });
/** Any malformed value for a field; `ids` for fields that name a record. */
const malformed = (ids?: fc.Arbitrary<string>): fc.Arbitrary<Payload> => fc.oneof(
  { weight: 3, arbitrary: wrongType.map(tag('wrongType')) },
  { weight: 3, arbitrary: unicode.map(tag('unicode')) },
  { weight: 1, arbitrary: oversized.map(tag('oversized')) },
  { weight: 4, arbitrary: injection.map(tag('injection')) },
  { weight: ids ? 4 : 0, arbitrary: (ids ?? fc.constant('')).map(tag('id')) },
  { weight: 1, arbitrary: fc.constant<Payload>({ value: undefined, kind: 'missing' }) },
);

// ---------------------------------------------------------------------------------------------------------------
// What is fuzzed: every verb with the fields its card sends.

type Kind = 'execute' | 'taskFetch' | 'taskSubmit' | 'meFetch' | 'meSubmit' | 'meQuery' | 'message';
type Answer = 'form' | 'refusal' | 'notice' | 'result';
interface Target {
  name: string; kind: Kind; actor: DemoUser; places: Place[];
  /** The fields a card sends, as a harmless (or own-scope) base. */
  base: Record<string, unknown>;
  /** The fields that get malformed values (with the ids that suit each, if it names a record). */
  fuzz: Record<string, fc.Arbitrary<string> | undefined>;
  /** Set last, always: what makes a submit that would write certainly invalid. */
  breaker?: fc.Arbitrary<Record<string, unknown>>;
  /** The answers that are right for this target. */
  answers: Answer[];
  /** Typed values the form keeps (its inputs), when the answer is the form. */
  keeps?: string[];
}
interface Input { target: Target; data: unknown; locale: string; place: Place; payloads: Payload[]; text?: string }

/** A value that is certainly not valid for a required choice or text: empty, blank, of another type. */
const emptyish: fc.Arbitrary<unknown> = fc.constantFrom('', '   ', '\u200B', null, 0, false, [], {}, ['hennepteelt'], { value: 'x' });

interface World {
  signalId: string; signalRef: string; caseId: string; caseRef: string; occurrenceId: string; itemId: string; meetingId: string; actionId: string;
  foreignSignalId: string; foreignSignalRef: string; kernMeetingId: string; kernOccurrenceId: string; otherActionId: string; municipalityId: string;
}

function targetsFor(w: World): Target[] {
  const SIGNAL_FIELDS = ['phenomenon', 'description', 'street', 'houseNumber', 'postcode', 'place', 'bagId', 'observedOn', 'observedTime', 'sourceType', 'sourceNature',
    'sourceReliability', 'informationReliability', 'urgency', 'problemType', 'confidentiality', 'legalBasis', 'scopeId', 'person1Name', 'person1BirthDate',
    'company1Name', 'company1Kvk', 'address2Street', 'address2Postcode', 'nonce'];
  const signalBase = {
    phenomenon: 'hennepteelt', description: 'Sterke hennepgeur en dichtgeplakte ramen bij een loods; veel verkeer in de avond.', street: 'Industrieweg', houseNumber: '12',
    postcode: '1234 AB', place: 'Heidebroek', observedOn: '2026-11-20', sourceType: 'eigen_waarneming', sourceNature: 'zacht', sourceReliability: 'B',
    informationReliability: '2', urgency: 'normaal', problemType: 'standaard', confidentiality: 'vertrouwelijk', legalBasis: 'avg_6_1_e',
  };
  const signalFuzz = Object.fromEntries(SIGNAL_FIELDS.map((f) => [f, undefined]));
  const signalBreaker = fc.record({ phenomenon: emptyish });
  const signalKeeps = SIGNAL_FIELDS.filter((f) => f !== 'nonce' && f !== 'scopeId' && f !== 'phenomenon');

  const signalIds = fc.oneof(fc.uuid(), fc.constantFrom(w.foreignSignalId, w.caseId, w.occurrenceId, w.foreignSignalId.toUpperCase(), ` ${w.signalId}`, `${w.signalId}x`,
    '00000000-0000-0000-0000-000000000000', w.signalRef));
  const caseIds = fc.oneof(fc.uuid(), fc.constantFrom(w.foreignSignalId, w.signalId, `${w.caseId} `, w.caseRef, w.caseId.slice(0, 35)));
  const meetingIds = fc.oneof(fc.uuid(), fc.constantFrom(w.kernMeetingId, w.occurrenceId, `${w.meetingId}x`, w.meetingId.toUpperCase()));
  const occurrenceIds = fc.oneof(fc.uuid(), fc.constantFrom(w.kernOccurrenceId, w.meetingId, w.itemId, `${w.occurrenceId}\u0000`));
  const itemIds = fc.oneof(fc.uuid(), fc.constantFrom(w.occurrenceId, w.signalId, `${w.itemId}%`));
  const actionIds = fc.oneof(fc.uuid(), fc.constantFrom(w.otherActionId, w.itemId));
  const refs = fc.oneof(fc.constantFrom(w.foreignSignalRef, 'SIG-2026-9999', 'CASE-2026-9999', 'sig-0000-0000', 'SIG-2026-0001;DROP'), fc.stringMatching(/^(SIG|CASE)-\d{4}-\d{4,6}$/));

  const entryBase = { kind: 'handeling', text: 'Pand bezocht met de wijkagent.', occurredOn: '2026-11-27', occurredTime: '', source: '', sourceReliability: '', informationReliability: '',
    legalBasis: 'avg_6_1_e', links: '' };
  const ENTRY_FIELDS = ['kind', 'text', 'occurredOn', 'occurredTime', 'source', 'sourceReliability', 'informationReliability', 'legalBasis', 'links', 'nonce'];
  const meetingBase = { kind: 'signalenoverleg', title: 'Overleg', startDate: '2026-12-10', startTime: '10:00', durationMinutes: '60', recurrence: 'none', everyWeeks: '', until: '',
    attendeeIds: PIETER.aadObjectId, externalAttendees: '', organiser: 'overleg@heidebroek.example', online: 'true', location: '' };
  const MEETING_FIELDS = [...Object.keys(meetingBase), 'scopeId', 'nonce', 'meetingId'];
  const DECISION_FIELDS = ['kind', 'partner', 'text', 'newDueOn', 'action1Text', 'action1Owner', 'action1Due', 'action2Text', 'action2Owner', 'action2Due', 'action3Text', 'version', 'correctsId', 'nonce'];
  const none = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, undefined]));
  const pick = (...xs: string[]) => fc.constantFrom(...xs);

  return [
    // The signal form: inline, as a dialog, from a message.
    { name: 'signal.submit', kind: 'execute', actor: SANNE, places: [HDB, PERSONAL], base: signalBase, fuzz: signalFuzz, breaker: signalBreaker, answers: ['form', 'refusal'], keeps: signalKeeps },
    { name: 'task/submit signal.form', kind: 'taskSubmit', actor: SANNE, places: [HDB, PERSONAL], base: { verb: 'signal.form', ...signalBase }, fuzz: signalFuzz, breaker: signalBreaker,
      answers: ['form', 'refusal'], keeps: signalKeeps },
    { name: 'composeExtension/submitAction', kind: 'meSubmit', actor: SANNE, places: [HDB], base: { ...signalBase, sourceUrl: 'https://teams.microsoft.com/l/message/1', sourceAuthor: 'Daan Jansen' },
      fuzz: { ...signalFuzz, ...none('sourceUrl', 'sourceAuthor') }, breaker: signalBreaker, answers: ['form', 'refusal'], keeps: signalKeeps },
    { name: 'composeExtension/fetchTask', kind: 'meFetch', actor: SANNE, places: [HDB, PERSONAL], base: { content: '<p>Hennepgeur bij Industrieweg 12, 1234 AB</p>', displayName: 'Daan', linkToMessage: 'https://teams.microsoft.com/l/message/1' },
      fuzz: none('content', 'displayName', 'linkToMessage', 'messagePayload', 'body', 'from'), answers: ['form', 'refusal', 'result'] },
    { name: 'task/fetch signal.form', kind: 'taskFetch', actor: SANNE, places: [HDB, PERSONAL], base: { verb: 'signal.form' }, fuzz: none('scopeId', 'extra'), answers: ['result', 'refusal'] },
    { name: 'signal.openForm', kind: 'execute', actor: SANNE, places: [HDB, PERSONAL], base: {}, fuzz: none('scopeId', 'nonce'), answers: ['result', 'refusal'] },
    // The signal card.
    { name: 'signal.refresh', kind: 'execute', actor: SANNE, places: [HDB], base: { signalId: w.foreignSignalId }, fuzz: { signalId: signalIds }, answers: ['refusal'] },
    { name: 'signal.transition', kind: 'execute', actor: FATIMA, places: [HDB], base: { signalId: w.foreignSignalId, transition: 'verrijken' },
      fuzz: { signalId: signalIds, reason_afsluiten: undefined, partner_overdragen: undefined },
      breaker: fc.oneof(fc.record({ signalId: signalIds }), fc.record({ signalId: fc.constant(w.signalId), transition: fc.oneof(emptyish, pick('VERRIJKEN', 'promoveren ', 'verrijken\u200B', '__proto__', 'constructor', 'toString')) })),
      answers: ['refusal', 'notice'] },
    { name: 'signal.assign', kind: 'execute', actor: FATIMA, places: [HDB], base: { signalId: w.foreignSignalId, assigneeAadId: SANNE.aadObjectId },
      fuzz: { signalId: signalIds },
      breaker: fc.oneof(fc.record({ signalId: signalIds }), fc.record({ signalId: fc.constant(w.signalId), assigneeAadId: fc.oneof(fc.uuid(), injection, pick(SANNE.teamsUserId, `${SANNE.aadObjectId} `, SANNE.aadObjectId.toUpperCase().replace('0000', 'FFFF'))) })),
      answers: ['refusal', 'notice'] },
    // Cases.
    { name: 'case.promote', kind: 'execute', actor: FATIMA, places: [HDB], base: { signalId: w.foreignSignalId }, fuzz: { signalId: signalIds }, answers: ['refusal', 'notice'] },
    { name: 'case.phase', kind: 'execute', actor: FATIMA, places: [HDB], base: { caseId: w.caseId, to: 'verrijking' }, fuzz: { caseId: caseIds, reason_signalering: undefined },
      breaker: fc.oneof(fc.record({ caseId: caseIds }), fc.record({ to: fc.oneof(emptyish, pick('signalering', 'afgesloten', 'Verrijking', 'evaluatie', '__proto__')) })),
      answers: ['refusal', 'notice'] },
    { name: 'case.share', kind: 'execute', actor: FATIMA, places: [HDB], base: { caseId: w.foreignSignalId, mode: 'share' }, fuzz: { caseId: caseIds, mode: undefined },
      breaker: fc.record({ caseId: caseIds.filter((id) => id.trim() !== w.caseId) }), answers: ['refusal', 'notice'] },
    { name: 'case.update', kind: 'execute', actor: FATIMA, places: [HDB], base: { caseId: w.caseId, title: 'Loods Industrieweg', measures: 'bibob', leadAadId: '', targetDate: '' },
      fuzz: { caseId: caseIds, title: undefined, measures: undefined, leadAadId: undefined, targetDate: undefined },
      breaker: fc.oneof(fc.record({ title: emptyish }), fc.record({ measures: pick('nope', 'bibob,nope', 'BIBOB', 'bibob;DROP') }), fc.record({ targetDate: pick('2026-02-30', 'morgen', '30-11-2026') }),
        fc.record({ leadAadId: fc.oneof(fc.uuid(), pick(`${SANNE.aadObjectId}x`)) })),
      // The case card again, its notice naming the field (the edit form shows the stored values, not the typed ones).
      answers: ['refusal', 'notice'] },
    { name: 'case.crisis', kind: 'execute', actor: FATIMA, places: [HDB], base: { caseId: w.foreignSignalId }, fuzz: { caseId: caseIds },
      breaker: fc.record({ caseId: caseIds.filter((id) => id.trim() !== w.caseId) }), answers: ['refusal', 'notice'] },
    { name: 'crisis.ack', kind: 'execute', actor: SANNE, places: [PERSONAL, HDB], base: { alertId: w.signalId, kind: 'read' }, fuzz: { alertId: fc.oneof(fc.uuid(), signalIds), kind: undefined },
      answers: ['refusal', 'notice'] },
    // The journal.
    { name: 'journal.add', kind: 'execute', actor: SANNE, places: [HDB], base: { reference: w.signalRef, dossierId: w.signalId, ...entryBase },
      fuzz: { reference: refs, dossierId: signalIds, ...none(...ENTRY_FIELDS) }, breaker: fc.record({ kind: emptyish }), answers: ['form', 'refusal'],
      keeps: ENTRY_FIELDS.filter((f) => f !== 'kind' && f !== 'nonce') },
    { name: 'task/submit journal.form', kind: 'taskSubmit', actor: SANNE, places: [HDB], base: { verb: 'journal.form', reference: w.signalRef, dossierId: w.signalId, ...entryBase },
      fuzz: { reference: refs, dossierId: signalIds, ...none(...ENTRY_FIELDS) }, breaker: fc.record({ kind: emptyish }), answers: ['form', 'refusal'],
      keeps: ENTRY_FIELDS.filter((f) => f !== 'kind' && f !== 'nonce') },
    { name: 'task/fetch journal.form', kind: 'taskFetch', actor: SANNE, places: [HDB, PERSONAL], base: { verb: 'journal.form', reference: w.signalRef, dossierId: w.signalId },
      fuzz: { reference: refs, dossierId: signalIds }, answers: ['result', 'refusal'] },
    { name: 'journal.correct', kind: 'execute', actor: SANNE, places: [HDB], base: { reference: w.signalRef, dossierId: w.signalId, sequence: '1', correction_1: 'Correctie: het was nummer 14.' },
      fuzz: { reference: refs, dossierId: signalIds, correction_1: undefined, nonce: undefined },
      breaker: fc.oneof(fc.record({ sequence: fc.oneof(emptyish, pick('0', '-1', '1.5', '99999', '1e3', ' 1', 'NaN', '2147483648')) }), fc.record({ correction_1: emptyish })),
      answers: ['refusal', 'notice'] },
    { name: 'journal.show', kind: 'execute', actor: SANNE, places: [HDB, PERSONAL], base: { reference: w.signalRef, dossierId: w.signalId }, fuzz: { reference: refs, dossierId: signalIds },
      answers: ['result', 'refusal'] },
    { name: 'journal.page', kind: 'execute', actor: SANNE, places: [HDB], base: { reference: w.signalRef, dossierId: w.signalId, page: '1' }, fuzz: { reference: refs, dossierId: signalIds, page: undefined },
      answers: ['result', 'refusal'] },
    { name: 'dossier.export', kind: 'execute', actor: FATIMA, places: [HDB], base: { reference: w.signalRef, dossierId: w.signalId, recipient: 'Politie Oost', legalBasis: 'avg_6_1_e' },
      fuzz: { reference: refs, dossierId: signalIds, recipient: undefined, legalBasis: undefined },
      breaker: fc.oneof(fc.record({ recipient: emptyish }), fc.record({ legalBasis: fc.oneof(emptyish, pick('AVG_6_1_E', 'wet_bestuurlijke_handhaving', 'avg_6_1_e ')) })),
      answers: ['refusal', 'notice'] },
    // Lists, search and records.
    { name: 'list.show', kind: 'execute', actor: SANNE, places: [HDB, PERSONAL], base: { list: 'status', value: 'nieuw', label: 'Nieuw', page: '1' }, fuzz: none('list', 'value', 'label', 'page'),
      answers: ['result', 'refusal'] },
    { name: 'list.more', kind: 'execute', actor: SANNE, places: [HDB], base: { list: 'search', value: 'Industrieweg', page: '2' }, fuzz: none('list', 'value', 'label', 'page'), answers: ['result', 'refusal'] },
    { name: 'record.open', kind: 'execute', actor: SANNE, places: [HDB, PERSONAL], base: { reference: w.foreignSignalRef, id: w.foreignSignalId, kind: 'signal' },
      fuzz: { reference: refs, id: signalIds, kind: undefined }, answers: ['refusal', 'notice', 'result'] },
    { name: 'composeExtension/query', kind: 'meQuery', actor: SANNE, places: [HDB, PERSONAL], base: { query: 'Industrieweg', skip: 0 }, fuzz: none('query', 'skip', 'parameters', 'queryOptions'),
      answers: ['result', 'refusal'] },
    // Meetings.
    { name: 'meeting.submit', kind: 'execute', actor: PIETER, places: [HDB, PERSONAL], base: meetingBase,
      fuzz: { ...none(...MEETING_FIELDS), meetingId: meetingIds }, breaker: fc.record({ kind: emptyish }), answers: ['form', 'refusal'],
      keeps: ['title', 'startDate', 'startTime', 'durationMinutes', 'everyWeeks', 'until', 'externalAttendees', 'organiser', 'location'] },
    { name: 'meeting.slots', kind: 'execute', actor: PIETER, places: [HDB], base: { ...meetingBase, pick: '' }, fuzz: { ...none(...MEETING_FIELDS, 'pick'), meetingId: meetingIds },
      answers: ['form', 'refusal', 'result'], keeps: ['title', 'startDate', 'startTime', 'durationMinutes', 'everyWeeks', 'until', 'externalAttendees', 'organiser', 'location'] },
    // Every member of the team is on the kerngroep channel's roster too: its meeting (or this channel's, by an id in capitals) is a read.
    { name: 'meeting.open', kind: 'execute', actor: SANNE, places: [HDB, PERSONAL], base: { meetingId: w.kernMeetingId }, fuzz: { meetingId: meetingIds }, answers: ['refusal', 'result'] },
    { name: 'meeting.refresh', kind: 'execute', actor: SANNE, places: [HDB], base: { meetingId: w.kernMeetingId }, fuzz: { meetingId: meetingIds }, answers: ['refusal', 'result'] },
    { name: 'meeting.edit', kind: 'execute', actor: PIETER, places: [HDB], base: { meetingId: w.occurrenceId }, fuzz: { meetingId: meetingIds.filter((id) => id !== w.kernMeetingId) }, answers: ['refusal'] },
    { name: 'meeting.cancel', kind: 'execute', actor: SANNE, places: [HDB], base: { meetingId: w.kernMeetingId }, fuzz: { meetingId: meetingIds },
      breaker: fc.record({ meetingId: meetingIds.filter((id) => id !== w.kernMeetingId || true) }), answers: ['refusal'] },
    // The overleg.
    { name: 'agenda.open', kind: 'execute', actor: SANNE, places: [HDB], base: { meetingId: w.kernMeetingId }, fuzz: { meetingId: meetingIds },
      // Without a meeting (or with this channel's own), the agenda of this channel's next overleg: a read.
      answers: ['refusal', 'result'] },
    { name: 'overleg.start', kind: 'execute', actor: PIETER, places: [HDB], base: { occurrenceId: w.kernOccurrenceId, meetingId: '' }, fuzz: { occurrenceId: occurrenceIds, meetingId: meetingIds },
      answers: ['refusal', 'notice'] },
    { name: 'overleg.refresh', kind: 'execute', actor: SANNE, places: [HDB], base: { occurrenceId: w.kernOccurrenceId }, fuzz: { occurrenceId: occurrenceIds }, answers: ['refusal'] },
    { name: 'agenda.edit', kind: 'execute', actor: FATIMA, places: [HDB], base: { op: 'add', occurrenceId: w.occurrenceId, itemId: w.itemId, reference: w.foreignSignalRef },
      fuzz: { op: undefined, occurrenceId: occurrenceIds, itemId: itemIds, reference: refs }, answers: ['refusal', 'notice'] },
    { name: 'overleg.item', kind: 'execute', actor: SANNE, places: [HDB], base: { itemId: w.itemId }, fuzz: { itemId: itemIds }, answers: ['refusal', 'notice'] },
    { name: 'overleg.decide', kind: 'execute', actor: PIETER, places: [HDB], base: { itemId: w.itemId, version: '0', correctsId: '', kind: 'verrijken', text: 'Verder uitzoeken.' },
      fuzz: { itemId: itemIds, ...none(...DECISION_FIELDS) }, breaker: fc.record({ kind: emptyish }), answers: ['form', 'refusal', 'notice'],
      keeps: ['text', 'partner', 'newDueOn', 'action1Text', 'action1Due', 'action2Text', 'action2Due', 'action3Text'] },
    { name: 'overleg.finish', kind: 'execute', actor: PIETER, places: [HDB], base: { occurrenceId: w.kernOccurrenceId }, fuzz: {},
      breaker: fc.record({ occurrenceId: fc.oneof(occurrenceIds, injection, unicode) }), answers: ['refusal', 'notice'] },
    { name: 'minutes.export', kind: 'execute', actor: SANNE, places: [HDB], base: { occurrenceId: w.kernOccurrenceId }, fuzz: { occurrenceId: occurrenceIds }, answers: ['refusal'] },
    { name: 'action.done', kind: 'execute', actor: SANNE, places: [HDB, PERSONAL], base: { actionId: w.actionId, [`note_${w.actionId}`]: '' },
      fuzz: { actionId: actionIds }, breaker: fc.record({ [`note_${w.actionId}`]: fc.oneof(emptyish, fc.constant('x'.repeat(1001)), fc.constant('ab')) }), answers: ['refusal', 'notice'] },
    // The declaration.
    { name: 'declaration.accept', kind: 'execute', actor: SANNE, places: [HDB, PERSONAL], base: { municipalityId: w.municipalityId, version: '0' }, fuzz: { municipalityId: fc.oneof(fc.uuid(), signalIds) },
      breaker: fc.record({ version: fc.oneof(emptyish, pick('0', '-1', '99', '1.0', '1e0', '0x1', ' 2')) }), answers: ['refusal', 'notice', 'result'] },
    // Commands with what follows them.
    ...(['zoek', 'search', 'signaal', 'casus', 'journaal', 'casus maken', 'rol', 'audit', ''] as const).map((command): Target => ({
      name: `message "${command || '…'}"`, kind: 'message', actor: command === 'casus maken' || command === 'rol' ? FATIMA : SANNE, places: [HDB, PERSONAL],
      base: { command }, fuzz: { text: refs }, answers: ['result', 'refusal', 'notice'] })),
  ];
}

/** A generated input for a target: a few fields malformed or left out, the breaker last; now and then no object at all. */
function inputOf(target: Target): fc.Arbitrary<Input> {
  const fields = Object.keys(target.fuzz);
  const changes = fields.length === 0 ? fc.constant<[string, Payload][]>([])
    : fc.uniqueArray(fc.constantFrom(...fields), { minLength: 1, maxLength: Math.min(4, fields.length) })
      .chain((chosen) => fc.tuple(...chosen.map((f) => malformed(target.fuzz[f]).map((p): [string, Payload] => [f, p]))));
  const droppable = Object.keys(target.base).filter((k) => k !== 'verb' && k !== 'command');
  const dropped = fc.subarray(droppable, { maxLength: Math.min(2, droppable.length) });
  const whole = fc.constantFrom<unknown>(null, [], 'signal.submit', 42, true, [{ phenomenon: 'hennepteelt' }]);
  return fc.record({
    changes, dropped, breaker: target.breaker ?? fc.constant({}), locale: fc.constantFrom('nl-NL', 'en-US', 'nl-NL', 'en-GB', 'nl-BE', 'fr-FR', 'EN', ''),
    place: fc.constantFrom(...target.places), replaceWhole: fc.option(whole, { freq: 12 }),
  }).map(({ changes: cs, dropped: ds, breaker, locale, place, replaceWhole }) => {
    const data: Record<string, unknown> = { ...target.base };
    for (const d of ds) delete data[d];
    for (const [f, p] of cs) { if (p.kind === 'missing') delete data[f]; else data[f] = p.value; }
    Object.assign(data, breaker);
    // An oversized value is the one big thing of an input (a request stays near 100 kB, as Teams allows).
    let big = false;
    for (const [f, v] of Object.entries(data)) {
      if (typeof v === 'string' && v.length > 10_001) { if (big) data[f] = v.slice(0, 1000); big = true; }
    }
    const keepVerb = target.kind === 'taskFetch' || target.kind === 'taskSubmit';
    const payloads = cs.map(([, p]) => p);
    if (replaceWhole !== null && target.kind !== 'message' && !keepVerb) return { target, data: replaceWhole, locale, place, payloads: [...payloads, { value: replaceWhole, kind: 'wrongType' }] };
    return { target, data, locale, place, payloads };
  });
}

const asText = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

function activityOf(input: Input): TeamsActivity {
  const { target, data, locale, place } = input;
  const user = target.actor;
  const opts = { locale };
  const d = (typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
  switch (target.kind) {
    case 'execute': return executeAction(target.name, data as Record<string, unknown>, user, place, opts);
    case 'taskFetch': return invoke('task/fetch', { data, context: { theme: 'default' } }, user, place, opts);
    case 'taskSubmit': return invoke('task/submit', { data, context: { theme: 'default' } }, user, place, opts);
    case 'meSubmit': return invoke('composeExtension/submitAction', { commandId: 'createSignalFromMessage', commandContext: 'message', data }, user, place, opts);
    case 'meFetch': {
      const payload = 'messagePayload' in d ? d.messagePayload
        : { body: 'body' in d ? d.body : { contentType: 'html', content: d.content }, from: 'from' in d ? d.from : { user: { displayName: d.displayName } }, linkToMessage: d.linkToMessage };
      return invoke('composeExtension/fetchTask', { commandId: 'createSignalFromMessage', commandContext: 'message', messagePayload: payload }, user, place, opts);
    }
    case 'meQuery': {
      const parameters = 'parameters' in d ? d.parameters : [{ name: 'query', value: d.query }];
      const queryOptions = 'queryOptions' in d ? d.queryOptions : { skip: d.skip, count: 10 };
      return invoke('composeExtension/query', { commandId: 'findRecord', parameters, queryOptions }, user, place, opts);
    }
    case 'message': return message(input.text ?? '', user, place, opts);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading answers.

interface Seen { cards: CardJson[]; texts: string[]; shared: CardJson[]; searchResult?: boolean }

function answerOf(kind: Kind, res: { status: number; body: unknown }, replies: { activity: { text?: string; attachments?: { contentType: string; content: unknown }[] } }[]): Seen {
  const out: Seen = { cards: [], texts: [], shared: [] };
  const body = res.body as InvokeAnswer & { value?: unknown } | undefined;
  if (kind === 'message') {
    for (const r of replies) {
      if (r.activity.text) out.texts.push(r.activity.text);
      for (const a of r.activity.attachments ?? []) if (a.contentType === 'application/vnd.microsoft.card.adaptive') out.cards.push(a.content as CardJson);
    }
    return out;
  }
  if (body?.type === 'application/vnd.microsoft.card.adaptive') out.cards.push(body.value as CardJson);
  else if (body?.task?.type === 'continue') out.cards.push((body.task.value as { card: { content: CardJson } }).card.content);
  else if (body?.task?.type === 'message') out.texts.push(String(body.task.value));
  else if (body?.composeExtension) {
    const ce = body.composeExtension;
    if (ce.type === 'message') out.texts.push(ce.text ?? '');
    if (ce.type === 'result') out.searchResult = true;
    for (const a of ce.attachments ?? []) out.cards.push(a.content as CardJson);
  }
  return out;
}

/** Every TextBlock text and fact of a card (actions' cards included), as sent. */
function shownTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) { for (const n of node) shownTexts(n, out); return out; }
  if (typeof node !== 'object' || node === null) return out;
  const o = node as Record<string, unknown>;
  if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
  if (o.type === 'FactSet' && Array.isArray(o.facts)) for (const f of o.facts as { title?: unknown; value?: unknown }[]) out.push(String(f.title ?? ''), String(f.value ?? ''));
  for (const [k, v] of Object.entries(o)) if (k !== 'facts' && k !== 'data') shownTexts(v, out);
  return out;
}

const backslashesBefore = (s: string, i: number) => { let n = 0; while (i - 1 - n >= 0 && s[i - 1 - n] === '\\') n += 1; return n; };
/** Markdown links and HTML that Teams would render from a text: brackets not escaped by an odd run of backslashes. */
function unescapedMarkup(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\[([^\]]*)\]\(([^)]*)\)/g)) {
    const open = m.index;
    const close = open + 1 + m[1].length;
    if (backslashesBefore(text, open) % 2 === 0 && backslashesBefore(text, close) % 2 === 0 && !OWN_LINK_LABELS.has(m[1])) found.push(m[0]);
  }
  for (const m of text.matchAll(/<(a|script|img|b|at|https?:)[\s>/:]/gi)) if (backslashesBefore(text, m.index) % 2 === 0) found.push(m[0]);
  return found;
}

/** The shape of a card: its elements' types and input ids, in order; none of its texts. */
function shapeOf(node: unknown): string {
  if (Array.isArray(node)) return `[${node.map(shapeOf).join(',')}]`;
  if (typeof node !== 'object' || node === null) return '';
  const o = node as Record<string, unknown>;
  const own = typeof o.type === 'string' ? `${o.type}${typeof o.id === 'string' && !o.id.startsWith('note_') && !/^(reason|partner|correction)_/.test(o.id) ? `#${o.id}` : ''}` : '';
  const kids = ['body', 'items', 'columns', 'actions', 'card', 'inlineAction'].filter((k) => k in o).map((k) => `${k}:${shapeOf(o[k])}`);
  const facts = Array.isArray(o.facts) ? `facts:${o.facts.length}` : '';
  const choices = Array.isArray(o.choices) ? `choices:${o.choices.length}` : '';
  return `${own}{${[...kids, facts, choices].filter(Boolean).join(';')}}`;
}

const isInput = (e: CardElement) => e.type.startsWith('Input.');
/** All elements, the ones in ActionSets and shown cards too. */
function everyElement(card: CardJson): (CardElement & Record<string, unknown>)[] {
  const out: (CardElement & Record<string, unknown>)[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) { for (const n of node) walk(n); return; }
    if (typeof node !== 'object' || node === null) return;
    const o = node as CardElement & Record<string, unknown>;
    if (typeof o.type === 'string') out.push(o);
    for (const [k, v] of Object.entries(o)) if (k !== 'data') walk(v);
  };
  walk(card.body); walk(card.actions);
  return out;
}

function classify(seen: Seen, locale: Locale, keeps: readonly string[] = []): { kind: Answer; problems: string[] } {
  const problems: string[] = [];
  const own = (s: string) => ours(locale, shown(s));
  const other = (s: string) => !own(s) && SENTENCES[locale === 'nl' ? 'en' : 'nl'].some((p) => p.test(shown(s)));
  for (const text of seen.texts) if (!own(text)) problems.push(`text not in ${locale}: ${JSON.stringify(text.slice(0, 200))}`);
  for (const card of seen.cards) {
    for (const text of shownTexts(card)) if (other(text)) problems.push(`card text in the other language: ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (seen.cards.length === 0 && seen.searchResult) return { kind: 'result', problems };
  if (seen.cards.length === 0) return { kind: 'refusal', problems: seen.texts.length === 0 ? [...problems, 'no answer at all'] : problems };
  const card = seen.cards[0];
  const all = everyElement(card);
  const attention = all.filter((e) => e.type === 'TextBlock' && (e.color === 'Attention' || e.color === 'Warning') && typeof e.text === 'string' && e.text !== '');
  const body = (card.body ?? []) as CardElement[];
  if (body.length === 1 && body[0].type === 'TextBlock' && (card.actions ?? []).length === 0) {
    if (!own(body[0].text ?? '')) problems.push(`notice not in ${locale}: ${JSON.stringify((body[0].text ?? '').slice(0, 200))}`);
    return { kind: 'refusal', problems };
  }
  // The form again: its own inputs, with an error in the user's language (a record card's notice is a notice).
  if (all.some((e) => isInput(e) && keeps.includes(e.id ?? '')) && attention.some((e) => own(String(e.text)))) return { kind: 'form', problems };
  if (attention.some((e) => own(String(e.text)))) return { kind: 'notice', problems };
  return { kind: 'result', problems };
}

// ---------------------------------------------------------------------------------------------------------------
// Rows: every table a valid submit writes, as it is (updates count too). Audit: only what is not a read or a refusal.

const READ_AUDIT = /(\.view|\.list|\.read|\.slots|\.find)$|^search$/;
async function snapshot(): Promise<Record<string, string>> {
  const p = bot.db.prisma;
  const json = (rows: unknown[]) => JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  const tables: Record<string, () => Promise<unknown[]>> = {
    signal: () => p.signal.findMany({ orderBy: { id: 'asc' } }), case: () => p.case.findMany({ orderBy: { id: 'asc' } }),
    subject: () => p.subject.findMany({ orderBy: { id: 'asc' } }), subjectLink: () => p.subjectLink.findMany(),
    statusChange: () => p.statusChange.findMany({ orderBy: { id: 'asc' } }), referenceCounter: () => p.referenceCounter.findMany(),
    cardSubmission: () => p.cardSubmission.findMany(), journalEntry: () => p.journalEntry.findMany({ orderBy: { id: 'asc' } }),
    dossierExport: () => p.dossierExport.findMany(), meeting: () => p.meeting.findMany({ orderBy: { id: 'asc' } }), meetingReminder: () => p.meetingReminder.findMany(),
    // The occurrence's card message is recorded when a card is posted; everything else of it is compared.
    meetingOccurrence: () => p.meetingOccurrence.findMany({ orderBy: { id: 'asc' } }).then((rs) => rs.map(({ cardActivityId: _a, cardConversationId: _c, cardServiceUrl: _s, ...r }) => r)),
    agendaItem: () => p.agendaItem.findMany({ orderBy: { id: 'asc' } }), decision: () => p.decision.findMany(), actionItem: () => p.actionItem.findMany({ orderBy: { id: 'asc' } }),
    minutesExport: () => p.minutesExport.findMany(), crisisAlert: () => p.crisisAlert.findMany(), crisisAck: () => p.crisisAck.findMany(), delivery: () => p.delivery.findMany(),
    briefing: () => p.briefing.findMany(), declarationAcceptance: () => p.declarationAcceptance.findMany({ orderBy: { aadObjectId: 'asc' } }),
    auditExport: () => p.auditExport.findMany(), erasure: () => p.erasure.findMany(), tombstone: () => p.tombstone.findMany(), municipality: () => p.municipality.findMany({ orderBy: { id: 'asc' } }),
    member: () => p.member.findMany({ orderBy: [{ scopeId: 'asc' }, { aadObjectId: 'asc' }] }).then((rs) => rs.map((r) => ({ scopeId: r.scopeId, aadObjectId: r.aadObjectId, role: r.role }))),
    auditWrites: () => p.auditEvent.findMany({ where: { result: 'ok' }, orderBy: { id: 'asc' } }).then((rs) => rs.filter((r) => !READ_AUDIT.test(r.action))
      .map((r) => ({ action: r.action, actor: r.actorAadId, record: r.recordId, details: r.details, correlationId: r.correlationId }))),
  };
  const out: Record<string, string> = {};
  for (const [name, read] of Object.entries(tables)) out[name] = json(await read());
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

const stats = { inputs: 0, twins: 0, status5xx: 0, statusOther: 0, internalErrors: 0, byKind: { form: 0, refusal: 0, notice: 0, result: 0 } as Record<Answer, number>,
  byPayload: {} as Record<string, number>, byTarget: {} as Record<string, number>, ms: 0 };
let world: World;
let before: Record<string, string>;
let auditBefore: { denied: number; invalid: number; reads: number };

async function auditCounts() {
  const rows = await bot.db.prisma.auditEvent.findMany({ select: { action: true, result: true } });
  return { denied: rows.filter((r) => r.result === 'denied').length, invalid: rows.filter((r) => r.result === 'invalid').length,
    reads: rows.filter((r) => r.result === 'ok' && READ_AUDIT.test(r.action)).length };
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW });
  await install(bot, PIETER, HDB);
  await install(bot, PIETER, KERN);
  const move = async (signalId: string, transition: string) => cardAnswer(await bot.send(executeAction('signal.transition', { signalId, transition }, FATIMA, HDB)));
  const ready = async (overrides: Record<string, string>) => {
    const filed = await fileTestSignal(bot, SANNE, HDB, overrides);
    await move(filed.id, 'verrijken');
    await move(filed.id, 'klaarVoorOverleg');
    return filed;
  };
  const own = await fileTestSignal(bot, SANNE, HDB, { street: 'Fuzzstraat' });
  await ready({ street: 'Industrieweg', houseNumber: '1' });
  const forCase = await ready({ street: 'Casusweg' });
  await move(forCase.id, 'bespreken');
  const made = (await say(bot, `casus maken ${forCase.reference}`, FATIMA, HDB))[0];
  const caseRef = /CASE-\d{4}-\d{4}/.exec(texts(cardOf(made)).join(' '))?.[0] ?? '';
  const caseRow = await bot.db.prisma.case.findFirstOrThrow({ where: { reference: caseRef } });
  const foreign = await fileTestSignal(bot, LOTTE, ZTL, { postcode: '1000', legalBasis: 'wet_bestuurlijke_handhaving', phenomenon: 'drugsproductie' });
  const plan = async (place: Place, o: Record<string, string>) => cardAnswer(await bot.send(executeAction('meeting.submit', {
    nonce: `plan-${o.title}`, kind: 'signalenoverleg', startDate: '2026-11-30', startTime: '14:00', durationMinutes: '60', recurrence: 'none', everyWeeks: '', until: '',
    attendeeIds: PIETER.aadObjectId, externalAttendees: '', organiser: 'overleg@heidebroek.example', online: 'true', location: '', ...o }, PIETER, place)));
  await plan(HDB, { title: 'Signalenoverleg Heidebroek' });
  await plan(KERN, { title: 'Casusoverleg Kerngroep', kind: 'casusoverleg' });
  const meeting = await bot.db.prisma.meeting.findFirstOrThrow({ where: { title: 'Signalenoverleg Heidebroek' } });
  const kernMeeting = await bot.db.prisma.meeting.findFirstOrThrow({ where: { title: 'Casusoverleg Kerngroep' } });
  await say(bot, 'agenda', PIETER, HDB);
  await say(bot, 'agenda', PIETER, KERN);
  const started = cardAnswer(await bot.send(executeAction('overleg.start', { meetingId: meeting.id }, PIETER, HDB)));
  expect(texts(started)).toContain(t('nl', 'overleg.started'));
  const occ = await bot.db.prisma.meetingOccurrence.findFirstOrThrow({ where: { meetingId: meeting.id } });
  const kernOcc = await bot.db.prisma.meetingOccurrence.findFirstOrThrow({ where: { meetingId: kernMeeting.id } });
  const item = await bot.db.prisma.agendaItem.findFirstOrThrow({ where: { occurrenceId: occ.id } });
  const actionId = (await bot.db.prisma.actionItem.create({ data: { scopeId: occ.scopeId, signalId: own.id, text: 'Buurtonderzoek doen', ownerAadId: SANNE.aadObjectId,
    ownerName: SANNE.name, dueOn: '2026-12-03', createdByAadId: FATIMA.aadObjectId } })).id;
  const otherActionId = (await bot.db.prisma.actionItem.create({ data: { scopeId: occ.scopeId, signalId: own.id, text: 'Eigenaar spreken', ownerAadId: FATIMA.aadObjectId,
    ownerName: FATIMA.name, dueOn: '2026-12-03', createdByAadId: FATIMA.aadObjectId } })).id;
  const municipality = await bot.db.prisma.municipality.findUniqueOrThrow({ where: { code: 'HDB' } });
  world = { signalId: own.id, signalRef: own.reference, caseId: caseRow.id, caseRef, occurrenceId: occ.id, itemId: item.id, meetingId: meeting.id, actionId,
    foreignSignalId: foreign.id, foreignSignalRef: foreign.reference, kernMeetingId: kernMeeting.id, kernOccurrenceId: kernOcc.id, otherActionId, municipalityId: municipality.id };
  // Let the outbox settle (the meetings' calendar jobs) before the rows are taken as they are.
  await new Promise((r) => setTimeout(r, 1500));
  before = await snapshot();
  auditBefore = await auditCounts();
}, 180_000);
afterAll(async () => { await bot?.stop(); });

/** The same input with every injection text replaced by letters of the same length: the card's shape must not differ. */
function twinOf(input: Input): Input | undefined {
  const injected = input.payloads.filter((p) => p.kind === 'injection').map((p) => p.value as string);
  if (injected.length === 0 || typeof input.data !== 'object' || input.data === null || Array.isArray(input.data)) return undefined;
  const harmless = (s: string) => s.replace(/\S/g, 'x');
  const data = Object.fromEntries(Object.entries(input.data).map(([k, v]) => [k, typeof v === 'string' && injected.includes(v) ? harmless(v) : v]));
  return { ...input, data, text: input.text === undefined ? undefined : input.text.replace(/\S+$/, (s) => harmless(s)), payloads: [] };
}

async function run(input: Input): Promise<{ seen: Seen; status: number; kind: Answer; problems: string[]; shared: CardJson[] }> {
  const activity = activityOf(input);
  const mark = bot.stub.sent.length;
  const logMark = bot.logs.length;
  const res = await bot.send(activity);
  const replies = bot.stub.sent.slice(mark).filter((s) => s.method === 'POST' && s.activity.replyToId === activity.id);
  const seen = answerOf(input.target.kind, res, replies);
  const others = bot.stub.sent.slice(mark).filter((s) => !replies.includes(s));
  const shared = others.flatMap((s) => (s.activity.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content as CardJson));
  const locale: Locale = /^en/i.test(input.locale) ? 'en' : 'nl';
  const { kind, problems } = classify(seen, locale, input.target.keeps);
  if (res.status >= 500) problems.push(`HTTP ${res.status}: ${res.text.slice(0, 300)}`);
  else if (res.status !== 200) problems.push(`HTTP ${res.status}`);
  const whole = JSON.stringify([res.body, seen, shared, others.map((o) => o.activity.text ?? '')]);
  if (RAW_ERROR.test(whole)) problems.push(`raw error text in the answer: ${RAW_ERROR.exec(whole)?.[0]}`);
  if ([...seen.texts, ...seen.cards.flatMap((c) => shownTexts(c))].some((x) => INTERNAL_ERROR.some((p) => p.test(shown(x))))) problems.push('internal error apology');
  const failed = bot.logs.slice(logMark).filter((l) => /"turn failed"|"level":50/.test(l));
  if (failed.length > 0) problems.push(`logged error: ${failed[0].slice(0, 400)}`);
  for (const card of [...seen.cards, ...shared]) {
    for (const text of shownTexts(card)) {
      const markup = unescapedMarkup(text);
      if (markup.length > 0) problems.push(`unescaped markup ${JSON.stringify(markup[0].slice(0, 120))} in ${JSON.stringify(text.slice(0, 200))}`);
    }
  }
  if (!input.target.answers.includes(kind)) problems.push(`answer of kind ${kind}, expected one of ${input.target.answers.join('/')}: ${JSON.stringify([...seen.texts, ...seen.cards.map((c) => texts(c).slice(0, 6))]).slice(0, 400)}`);
  // The form again: what was typed is kept in its inputs.
  if (kind === 'form' && input.target.keeps && typeof input.data === 'object' && input.data !== null && !Array.isArray(input.data)) {
    const data = input.data as Record<string, unknown>;
    const card = seen.cards[0];
    for (const field of input.target.keeps) {
      if (!(field in data)) continue;
      const el = elements(card).find((e) => e.id === field && isInput(e));
      if (!el || el.type === 'Input.ChoiceSet' || el.type === 'Input.Toggle') continue;
      const expected = asText(data[field]).slice(0, 10_000);
      if ((el.value ?? '') !== expected) problems.push(`form lost ${field}: sent ${JSON.stringify(expected.slice(0, 60))}, shown ${JSON.stringify(String(el.value ?? '').slice(0, 60))}`);
    }
  }
  return { seen, status: res.status, kind, problems, shared };
}

describe('fuzzing every form and verb', () => {
  it(`answers ${RUNS} malformed inputs with a field error, a refusal or a notice in the user's language, never a 5xx, markup or another shape`, async () => {
    const targets = targetsFor(world);
    const arb = fc.constantFrom(...targets).chain((target) => inputOf(target).chain((input) => (target.kind === 'message'
      ? fc.oneof(malformed(target.fuzz.text).filter((p) => typeof p.value === 'string'), fc.constant<Payload>({ value: '', kind: 'missing' }))
        .map((p): Input => ({ ...input, text: `${String(target.base.command)} ${String(p.value)}`.trim(), payloads: [p] }))
      : fc.constant(input))));
    const started = Date.now();
    const failures: string[] = [];
    await fc.assert(fc.asyncProperty(arb, async (input) => {
      const result = await run(input);
      stats.inputs += 1;
      stats.byKind[result.kind] += 1;
      stats.byTarget[input.target.name] = (stats.byTarget[input.target.name] ?? 0) + 1;
      for (const p of input.payloads) stats.byPayload[p.kind] = (stats.byPayload[p.kind] ?? 0) + 1;
      if (result.status >= 500) stats.status5xx += 1; else if (result.status !== 200) stats.statusOther += 1;
      if (result.problems.some((p) => p === 'internal error apology')) stats.internalErrors += 1;
      const twin = twinOf(input);
      if (twin && result.seen.cards.length > 0) {
        const other = await run(twin);
        stats.twins += 1;
        if (other.seen.cards.length > 0 && shapeOf(other.seen.cards[0]) !== shapeOf(result.seen.cards[0])) {
          result.problems.push(`card shape depends on the text: ${shapeOf(result.seen.cards[0]).slice(0, 300)} vs ${shapeOf(other.seen.cards[0]).slice(0, 300)}`);
        }
      }
      if (result.problems.length > 0) {
        const shownInput = JSON.stringify({ target: input.target.name, locale: input.locale, data: input.data, text: input.text }, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v));
        failures.push(`${shownInput}\n  ${result.problems.join('\n  ')}`);
      }
    }), { seed: SEED, numRuns: RUNS });
    stats.ms = Date.now() - started;
    // Every failing input at once (each is a request against one shared bot: no shrinking), with the seed to replay them.
    if (failures.length > 0) throw new Error(`${failures.length} of ${stats.inputs} inputs failed (FUZZ_SEED=${SEED}):\n${failures.slice(0, 12).join('\n')}`);
  }, 1_800_000);

  it('wrote no row: no signal, case, journal entry, meeting, decision, action item, submission or audit event of a write', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const after = await snapshot();
    const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
    const diff = changed.map((k) => {
      const b = JSON.parse(before[k]) as unknown[];
      const a = JSON.parse(after[k]) as unknown[];
      const bs = new Set(b.map((x) => JSON.stringify(x)));
      return `${k}: ${b.length} -> ${a.length} rows; new or changed: ${a.filter((x) => !bs.has(JSON.stringify(x))).map((x) => JSON.stringify(x).slice(0, 300)).slice(0, 3).join(' | ')}`;
    });
    const audit = await auditCounts();
    // The figures for docs/reliability.md.
    console.log(`fuzz (seed ${SEED}): ${JSON.stringify({ ...stats, rowsChanged: changed, audit: { deniedAdded: audit.denied - auditBefore.denied,
      invalidAdded: audit.invalid - auditBefore.invalid, readsAdded: audit.reads - auditBefore.reads } }, null, 1)}`);
    expect(diff).toEqual([]);
  });

  it('every verb the bot registers is fuzzed', () => {
    const source = ['signals', 'cases', 'journal', 'lists', 'meetings', 'overleg', 'briefings', 'declarations'].map((f) => readFileSync(join(__dirname, `../../src/teams/${f}.ts`), 'utf8')).join('\n');
    const verbs = [...source.matchAll(/onExecute\(app, '([\w.]+)'/g)].map((m) => m[1]);
    verbs.push('declaration.accept');
    const fuzzed = new Set(targetsFor(world).map((x) => x.name));
    expect(verbs.filter((v) => !fuzzed.has(v))).toEqual([]);
    expect(verbs.length).toBeGreaterThanOrEqual(35);
  });
});
