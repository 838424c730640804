// Validation of the signal form. Pure: returns the valid input or field errors as codes; the edge words them
// in the user's language and keeps what the user typed.
import { isValidBagId, isValidBsn, isValidKvk, normaliseHouseNumber, normalisePostcode } from './identifiers.js';
import type { LegalBasis } from './legalBases.js';
import type { Phenomenon } from './phenomena.js';
import type { SubjectInput } from './subjects.js';

export const SOURCE_TYPES = ['eigen_waarneming', 'collega', 'burger', 'partner', 'registratie'] as const;
export const SOURCE_NATURES = ['hard', 'zacht'] as const;
export const SOURCE_RELIABILITIES = ['A', 'B', 'C', 'D'] as const;
export const INFORMATION_RELIABILITIES = ['1', '2', '3', '4'] as const;
export const URGENCIES = ['normaal', 'hoog', 'acuut'] as const;
export const PROBLEM_TYPES = ['standaard', 'complex', 'crisis'] as const;
export const CONFIDENTIALITY_LEVELS = ['intern', 'vertrouwelijk', 'geheim'] as const;

export type Confidentiality = (typeof CONFIDENTIALITY_LEVELS)[number];

const PERSON_SLOTS = ['person1', 'person2'] as const;
const COMPANY_SLOTS = ['company1', 'company2'] as const;

/** Every input of the form, by its id on the card. */
export const SIGNAL_FIELDS = [
  'scopeId', 'phenomenon', 'description', 'street', 'houseNumber', 'postcode', 'place', 'bagId', 'observedOn', 'observedTime',
  'sourceType', 'sourceNature', 'sourceReliability', 'informationReliability', 'urgency', 'problemType', 'confidentiality', 'legalBasis',
  'person1Name', 'person1BirthDate', 'person1Bsn', 'person2Name', 'person2BirthDate', 'person2Bsn',
  'company1Name', 'company1Kvk', 'company2Name', 'company2Kvk',
  'address2Street', 'address2HouseNumber', 'address2Postcode', 'address2Place',
] as const;
export type SignalField = (typeof SIGNAL_FIELDS)[number];

/** What the user typed, as strings: exactly what we send back when there are errors. */
export type SignalDraft = Record<SignalField, string>;

export type FieldErrorCode =
  | 'required' | 'tooShort' | 'tooLong' | 'unknownChoice' | 'invalidDate' | 'invalidTime' | 'dateInFuture' | 'timeInFuture' | 'dateTooOld'
  | 'invalidPostcode' | 'invalidHouseNumber' | 'invalidBagId' | 'invalidKvk' | 'invalidBsn' | 'bsnNotAllowed';

export interface FieldError {
  field: SignalField;
  code: FieldErrorCode;
  limit?: number | string;
}

export interface SignalAddress { street: string; houseNumber: string; postcode: string; place: string; bagId: string | null }

export interface ValidSignal {
  phenomenon: string;
  description: string;
  address: SignalAddress;
  /** YYYY-MM-DD, a calendar date in the municipality's time zone. */
  observedOn: string;
  observedTime: string | null;
  sourceType: string;
  sourceNature: string;
  sourceReliability: string;
  informationReliability: number;
  urgency: string;
  problemType: string;
  confidentiality: Confidentiality;
  legalBasis: string;
  subjects: SubjectInput[];
}

export interface IntakeContext {
  phenomena: readonly Phenomenon[];
  legalBases: readonly LegalBasis[];
  allowBsn: boolean;
  country: 'NL' | 'BE';
  /** The levels the municipality's privacy protocol uses; absent: all. */
  confidentialityLevels?: readonly Confidentiality[];
  /** Local date and time now: YYYY-MM-DD and HH:MM. */
  today: string;
  nowTime: string;
}

export const LIMITS = {
  description: { min: 10, max: 4000 },
  street: { min: 2, max: 200 },
  place: { min: 2, max: 100 },
  name: { min: 2, max: 200 },
  earliestObservedOn: '2000-01-01',
  earliestBirthDate: '1900-01-01',
} as const;

export function emptyDraft(): SignalDraft {
  return Object.fromEntries(SIGNAL_FIELDS.map((f) => [f, ''])) as SignalDraft;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isCalendarDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Normalise free text: trim, collapse runs of blank lines, drop control characters other than newlines. */
export function cleanText(s: string): string {
  return s.replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
}

const cleanLine = (s: string): string => cleanText(s).replace(/\s+/g, ' ');

class Checker {
  readonly errors: FieldError[] = [];
  constructor(private readonly draft: SignalDraft) {}

  fail(field: SignalField, code: FieldErrorCode, limit?: number | string): undefined {
    this.errors.push(limit === undefined ? { field, code } : { field, code, limit });
    return undefined;
  }

  text(field: SignalField, bounds: { min: number; max: number }, required: boolean, multiline = false): string | undefined {
    const value = multiline ? cleanText(this.draft[field]) : cleanLine(this.draft[field]);
    if (value === '') return required ? this.fail(field, 'required') : undefined;
    if (value.length < bounds.min) return this.fail(field, 'tooShort', bounds.min);
    if (value.length > bounds.max) return this.fail(field, 'tooLong', bounds.max);
    return value;
  }

  choice<T extends string>(field: SignalField, options: readonly T[]): T | undefined {
    const value = this.draft[field].trim();
    if (value === '') return this.fail(field, 'required');
    return (options as readonly string[]).includes(value) ? (value as T) : this.fail(field, 'unknownChoice');
  }

  date(field: SignalField, earliest: string, today: string, required: boolean): string | undefined {
    const value = this.draft[field].trim();
    if (value === '') return required ? this.fail(field, 'required') : undefined;
    if (!isCalendarDate(value)) return this.fail(field, 'invalidDate');
    if (value > today) return this.fail(field, 'dateInFuture');
    if (value < earliest) return this.fail(field, 'dateTooOld', earliest);
    return value;
  }

  address(fields: { street: SignalField; houseNumber: SignalField; postcode: SignalField; place: SignalField }, country: 'NL' | 'BE'): Omit<SignalAddress, 'bagId'> | undefined {
    const street = this.text(fields.street, LIMITS.street, true);
    const rawNumber = this.draft[fields.houseNumber].trim();
    const houseNumber = rawNumber === '' ? this.fail(fields.houseNumber, 'required')
      : normaliseHouseNumber(rawNumber) ?? this.fail(fields.houseNumber, 'invalidHouseNumber');
    const rawPostcode = this.draft[fields.postcode].trim();
    const postcode = rawPostcode === '' ? this.fail(fields.postcode, 'required')
      : normalisePostcode(country, rawPostcode) ?? this.fail(fields.postcode, 'invalidPostcode', country);
    const place = this.text(fields.place, LIMITS.place, true);
    return street && houseNumber && postcode && place ? { street, houseNumber, postcode, place } : undefined;
  }

  anyFilled(...fields: SignalField[]): boolean {
    return fields.some((f) => this.draft[f].trim() !== '');
  }
}

export function validateSignal(draft: SignalDraft, ctx: IntakeContext): { ok: true; value: ValidSignal } | { ok: false; errors: FieldError[] } {
  const c = new Checker(draft);
  const phenomenon = c.choice('phenomenon', ctx.phenomena.map((p) => p.code));
  const description = c.text('description', LIMITS.description, true, true);
  const address = c.address({ street: 'street', houseNumber: 'houseNumber', postcode: 'postcode', place: 'place' }, ctx.country);
  const rawBag = draft.bagId.trim();
  const bagId = rawBag === '' ? null : isValidBagId(rawBag) ? rawBag : c.fail('bagId', 'invalidBagId');

  const observedOn = c.date('observedOn', LIMITS.earliestObservedOn, ctx.today, true);
  const rawTime = draft.observedTime.trim();
  let observedTime: string | null = null;
  if (rawTime !== '') {
    if (!TIME.test(rawTime)) c.fail('observedTime', 'invalidTime');
    else if (observedOn === ctx.today && rawTime > ctx.nowTime) c.fail('observedTime', 'timeInFuture');
    else observedTime = rawTime;
  }

  const sourceType = c.choice('sourceType', SOURCE_TYPES);
  const sourceNature = c.choice('sourceNature', SOURCE_NATURES);
  const sourceReliability = c.choice('sourceReliability', SOURCE_RELIABILITIES);
  const informationReliability = c.choice('informationReliability', INFORMATION_RELIABILITIES);
  const urgency = c.choice('urgency', URGENCIES);
  const problemType = c.choice('problemType', PROBLEM_TYPES);
  const confidentiality = c.choice('confidentiality', ctx.confidentialityLevels ?? CONFIDENTIALITY_LEVELS);
  const legalBasis = c.choice('legalBasis', ctx.legalBases.map((b) => b.code));

  const subjects: SubjectInput[] = [];
  for (const slot of PERSON_SLOTS) {
    const nameField = `${slot}Name` as const, birthField = `${slot}BirthDate` as const, bsnField = `${slot}Bsn` as const;
    if (!c.anyFilled(nameField, birthField, bsnField)) continue;
    const name = c.text(nameField, LIMITS.name, true);
    const birthDate = c.date(birthField, LIMITS.earliestBirthDate, ctx.today, false) ?? null;
    const rawBsn = draft[bsnField].replace(/[\s.]/g, '');
    let bsn: string | null = null;
    if (rawBsn !== '') {
      if (!ctx.allowBsn) c.fail(bsnField, 'bsnNotAllowed');
      else if (!isValidBsn(rawBsn)) c.fail(bsnField, 'invalidBsn');
      else bsn = rawBsn.padStart(9, '0');
    }
    if (name) subjects.push({ kind: 'person', name, birthDate, bsn });
  }
  for (const slot of COMPANY_SLOTS) {
    const nameField = `${slot}Name` as const, kvkField = `${slot}Kvk` as const;
    if (!c.anyFilled(nameField, kvkField)) continue;
    const name = c.text(nameField, LIMITS.name, true);
    const rawKvk = draft[kvkField].replace(/\s/g, '');
    const kvk = rawKvk === '' ? null : isValidKvk(rawKvk) ? rawKvk : c.fail(kvkField, 'invalidKvk') ?? null;
    if (name) subjects.push({ kind: 'company', name, kvk });
  }
  if (c.anyFilled('address2Street', 'address2HouseNumber', 'address2Postcode', 'address2Place')) {
    const extra = c.address({ street: 'address2Street', houseNumber: 'address2HouseNumber', postcode: 'address2Postcode', place: 'address2Place' }, ctx.country);
    if (extra) subjects.push({ kind: 'address', ...extra, bagId: null });
  }

  if (c.errors.length > 0 || !phenomenon || !description || !address || bagId === undefined || !observedOn || !sourceType || !sourceNature
    || !sourceReliability || !informationReliability || !urgency || !problemType || !confidentiality || !legalBasis) {
    return { ok: false, errors: c.errors };
  }
  return {
    ok: true,
    value: {
      phenomenon, description, address: { ...address, bagId }, observedOn, observedTime, sourceType, sourceNature, sourceReliability,
      informationReliability: Number(informationReliability), urgency, problemType, confidentiality, legalBasis,
      // The signal's own location is a subject too, so other signals at the same address find it.
      subjects: [{ kind: 'address', ...address, bagId }, ...subjects],
    },
  };
}

const LOCAL_PARTS = (now: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', {
  timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).formatToParts(now);

/** Today's calendar date in Dutch/Belgian local time (Europe/Amsterdam and Europe/Brussels share CET/CEST). */
export function localDate(now: Date, timeZone = 'Europe/Amsterdam'): string {
  const p = Object.fromEntries(LOCAL_PARTS(now, timeZone).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

export function localTime(now: Date, timeZone = 'Europe/Amsterdam'): string {
  const p = Object.fromEntries(LOCAL_PARTS(now, timeZone).map((x) => [x.type, x.value]));
  return `${p.hour}:${p.minute}`;
}
