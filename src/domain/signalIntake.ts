// Validation of the signal form. Pure: returns the valid input or field errors as codes; the edge words them
// in the user's language and keeps what the user typed.
import type { Phenomenon } from './phenomena.js';

export const SIGNAL_FIELDS = ['scope', 'phenomenon', 'description', 'location', 'observedOn'] as const;
export type SignalField = (typeof SIGNAL_FIELDS)[number];

export type FieldErrorCode = 'required' | 'tooShort' | 'tooLong' | 'unknownChoice' | 'invalidDate' | 'dateInFuture' | 'dateTooOld';

export interface FieldError {
  field: SignalField;
  code: FieldErrorCode;
  limit?: number | string;
}

/** What the user typed, as strings: exactly what we send back when there are errors. */
export interface SignalDraft {
  scopeId: string;
  phenomenon: string;
  description: string;
  location: string;
  observedOn: string;
}

export interface ValidSignal {
  phenomenon: string;
  description: string;
  location: string;
  /** YYYY-MM-DD, a calendar date in the municipality's time zone. */
  observedOn: string;
}

export const LIMITS = {
  description: { min: 10, max: 4000 },
  location: { min: 3, max: 300 },
  earliestObservedOn: '2000-01-01',
} as const;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function checkText(field: 'description' | 'location', value: string, errors: FieldError[]): void {
  const { min, max } = LIMITS[field];
  if (value.length === 0) errors.push({ field, code: 'required' });
  else if (value.length < min) errors.push({ field, code: 'tooShort', limit: min });
  else if (value.length > max) errors.push({ field, code: 'tooLong', limit: max });
}

/** Normalise free text: trim, collapse runs of blank lines, drop control characters other than newlines. */
export function cleanText(s: string): string {
  return s.replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
}

export function validateSignal(
  draft: SignalDraft,
  phenomena: readonly Phenomenon[],
  today: string,
): { ok: true; value: ValidSignal } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const phenomenon = draft.phenomenon.trim();
  const description = cleanText(draft.description);
  const location = cleanText(draft.location).replace(/\s+/g, ' ');
  const observedOn = draft.observedOn.trim();

  if (phenomenon === '') errors.push({ field: 'phenomenon', code: 'required' });
  else if (!phenomena.some((p) => p.code === phenomenon)) errors.push({ field: 'phenomenon', code: 'unknownChoice' });

  checkText('description', description, errors);
  checkText('location', location, errors);

  if (observedOn === '') errors.push({ field: 'observedOn', code: 'required' });
  else if (!isCalendarDate(observedOn)) errors.push({ field: 'observedOn', code: 'invalidDate' });
  else if (observedOn > today) errors.push({ field: 'observedOn', code: 'dateInFuture' });
  else if (observedOn < LIMITS.earliestObservedOn) errors.push({ field: 'observedOn', code: 'dateTooOld', limit: LIMITS.earliestObservedOn });

  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: { phenomenon, description, location, observedOn } };
}

/** Today's calendar date in Dutch/Belgian local time (both Europe/Brussels and Europe/Amsterdam share CET/CEST). */
export function localDate(now: Date, timeZone = 'Europe/Amsterdam'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
