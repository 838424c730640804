// The operational and strategic overleg as a calendar meeting: its kinds, the form's validation and its recurrence.
// Pure: the calendar adapters turn a ValidMeeting into a Graph event or an iCalendar file.
import { isCalendarDate } from './signalIntake.js';

export const MEETING_KINDS = ['signalenoverleg', 'casusoverleg', 'kerngroep', 'driehoek'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** Operationeel (signals and cases, every few weeks) or strategisch (priorities and trends, quarterly). */
export const MEETING_LEVEL: Record<MeetingKind, 'operationeel' | 'strategisch'> = {
  signalenoverleg: 'operationeel', casusoverleg: 'operationeel', kerngroep: 'strategisch', driehoek: 'strategisch',
};

export const RECURRENCE_KINDS = ['none', 'weekly', 'monthly', 'quarterly'] as const;
export type RecurrenceKind = (typeof RECURRENCE_KINDS)[number];

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
/** Which weekday of the month: the first to fourth, or the last (a fifth Tuesday is not in every month). */
export type WeekOfMonth = 1 | 2 | 3 | 4 | 'last';

export type Recurrence =
  | { kind: 'none' }
  | { kind: 'weekly'; everyWeeks: number; weekday: Weekday; until: string | null }
  /** Every `everyMonths` months on the Nth weekday: monthly is 1, quarterly 3. */
  | { kind: 'monthly'; everyMonths: 1 | 3; week: WeekOfMonth; weekday: Weekday; until: string | null };

export const MEETING_FIELDS = [
  'scopeId', 'kind', 'title', 'startDate', 'startTime', 'durationMinutes', 'recurrence', 'everyWeeks', 'until',
  'attendeeIds', 'externalAttendees', 'organiser', 'online', 'location',
] as const;
export type MeetingField = (typeof MEETING_FIELDS)[number];
export type MeetingDraft = Record<MeetingField, string>;

export type MeetingErrorCode =
  | 'required' | 'tooShort' | 'tooLong' | 'unknownChoice' | 'invalidDate' | 'invalidTime' | 'inThePast' | 'outOfRange'
  | 'untilBeforeStart' | 'noAttendees' | 'invalidEmail' | 'unknownMember' | 'tooMany' | 'organiserFixed';

export interface MeetingError { field: MeetingField; code: MeetingErrorCode; limit?: number | string }

export interface ValidMeeting {
  kind: MeetingKind;
  title: string;
  /** Wall-clock start in the municipality's time zone. */
  startDate: string;
  startTime: string;
  durationMinutes: number;
  recurrence: Recurrence;
  /** AAD object ids of the scope's members. */
  attendeeIds: string[];
  externalAttendees: string[];
  organiser: string;
  online: boolean;
  location: string | null;
}

export interface MeetingContext {
  /** The scope's members who may be invited, by AAD object id. */
  memberIds: ReadonlySet<string>;
  /** Now, in the municipality's time zone. */
  today: string;
  nowTime: string;
  /** Changing a planned meeting: its event lives in this mailbox, so the organiser stays. */
  organiser?: string;
}

export const MEETING_LIMITS = { title: { min: 3, max: 200 }, duration: { min: 15, max: 480 }, everyWeeks: { min: 1, max: 12 }, attendees: 100, location: 200 };

// Deliberately plain: one @, a dot in the domain, no spaces. Exchange checks the rest.
const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]{2,}$/;
export const isEmail = (s: string): boolean => EMAIL.test(s) && s.length <= 254;

/** The weekday of a calendar date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

/** Which of its month's weekdays a date is: the 1st to 4th, or 'last' when it is the fifth. */
export function weekOfMonthOf(date: string): WeekOfMonth {
  const n = Math.ceil(Number(date.slice(8, 10)) / 7);
  return n >= 5 ? 'last' : (n as 1 | 2 | 3 | 4);
}

const splitList = (s: string) => s.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);

type Fail = (field: MeetingField, code: MeetingErrorCode, limit?: number | string) => void;

/** Who and for how long: what a meeting needs, and what a proposal of free times is asked for. */
export interface MeetingParticipants { durationMinutes: number; attendeeIds: string[]; externalAttendees: string[]; organiser: string }

function checkParticipants(draft: MeetingDraft, ctx: MeetingContext, fail: Fail): MeetingParticipants {
  const duration = Number(draft.durationMinutes.trim());
  if (draft.durationMinutes.trim() === '') fail('durationMinutes', 'required');
  else if (!Number.isInteger(duration) || duration < MEETING_LIMITS.duration.min || duration > MEETING_LIMITS.duration.max) {
    fail('durationMinutes', 'outOfRange', `${MEETING_LIMITS.duration.min}–${MEETING_LIMITS.duration.max}`);
  }

  const attendeeIds = [...new Set(splitList(draft.attendeeIds))];
  if (attendeeIds.some((id) => !ctx.memberIds.has(id))) fail('attendeeIds', 'unknownMember');
  const externals = [...new Set(splitList(draft.externalAttendees).map((e) => e.toLowerCase()))];
  const badEmail = externals.find((e) => !isEmail(e));
  if (badEmail !== undefined) fail('externalAttendees', 'invalidEmail', badEmail.slice(0, 80));
  if (attendeeIds.length + externals.length === 0) fail('attendeeIds', 'noAttendees');
  else if (attendeeIds.length + externals.length > MEETING_LIMITS.attendees) fail('attendeeIds', 'tooMany', MEETING_LIMITS.attendees);

  const organiser = draft.organiser.trim().toLowerCase();
  if (organiser === '') fail('organiser', 'required');
  else if (!isEmail(organiser)) fail('organiser', 'invalidEmail', organiser.slice(0, 80));
  else if (ctx.organiser !== undefined && organiser !== ctx.organiser) fail('organiser', 'organiserFixed', ctx.organiser);
  return { durationMinutes: duration, attendeeIds, externalAttendees: externals, organiser };
}

const collector = () => {
  const errors: MeetingError[] = [];
  const fail: Fail = (field, code, limit) => { errors.push({ field, code, ...(limit === undefined ? {} : { limit }) }); };
  return { errors, fail };
};

/** The fields a proposal of free times needs (attendees, organiser, duration), checked as the full form checks them. */
export function validateParticipants(draft: MeetingDraft, ctx: MeetingContext): { ok: true; value: MeetingParticipants } | { ok: false; errors: MeetingError[] } {
  const { errors, fail } = collector();
  const value = checkParticipants(draft, ctx, fail);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

export function validateMeeting(draft: MeetingDraft, ctx: MeetingContext): { ok: true; value: ValidMeeting } | { ok: false; errors: MeetingError[] } {
  const { errors, fail } = collector();

  const kind = draft.kind.trim();
  if (kind === '') fail('kind', 'required');
  else if (!(MEETING_KINDS as readonly string[]).includes(kind)) fail('kind', 'unknownChoice');

  const title = draft.title.trim().replace(/\s+/g, ' ');
  if (title === '') fail('title', 'required');
  else if (title.length < MEETING_LIMITS.title.min) fail('title', 'tooShort', MEETING_LIMITS.title.min);
  else if (title.length > MEETING_LIMITS.title.max) fail('title', 'tooLong', MEETING_LIMITS.title.max);

  const startDate = draft.startDate.trim();
  const startTime = draft.startTime.trim();
  if (startDate === '') fail('startDate', 'required');
  else if (!isCalendarDate(startDate)) fail('startDate', 'invalidDate');
  if (startTime === '') fail('startTime', 'required');
  else if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(startTime)) fail('startTime', 'invalidTime');
  const whenOk = isCalendarDate(startDate) && /^([01]\d|2[0-3]):[0-5]\d$/.test(startTime);
  if (whenOk && (startDate < ctx.today || (startDate === ctx.today && startTime <= ctx.nowTime))) fail('startDate', 'inThePast');

  const participants = checkParticipants(draft, ctx, fail);

  const recurrenceKind = draft.recurrence.trim() || 'none';
  let recurrence: Recurrence = { kind: 'none' };
  const until = draft.until.trim();
  if (!(RECURRENCE_KINDS as readonly string[]).includes(recurrenceKind)) fail('recurrence', 'unknownChoice');
  else if (recurrenceKind !== 'none') {
    if (until !== '' && !isCalendarDate(until)) fail('until', 'invalidDate');
    else if (until !== '' && isCalendarDate(startDate) && until < startDate) fail('until', 'untilBeforeStart');
    const untilOrNull = until === '' ? null : until;
    if (recurrenceKind === 'weekly') {
      const every = Number(draft.everyWeeks.trim() || '1');
      if (!Number.isInteger(every) || every < MEETING_LIMITS.everyWeeks.min || every > MEETING_LIMITS.everyWeeks.max) {
        fail('everyWeeks', 'outOfRange', `${MEETING_LIMITS.everyWeeks.min}–${MEETING_LIMITS.everyWeeks.max}`);
      }
      if (isCalendarDate(startDate)) recurrence = { kind: 'weekly', everyWeeks: every, weekday: weekdayOf(startDate), until: untilOrNull };
    } else if (isCalendarDate(startDate)) {
      recurrence = { kind: 'monthly', everyMonths: recurrenceKind === 'quarterly' ? 3 : 1, week: weekOfMonthOf(startDate), weekday: weekdayOf(startDate), until: untilOrNull };
    }
  }

  const online = draft.online.trim() !== 'false';
  const location = draft.location.trim().replace(/\s+/g, ' ');
  if (!online && location === '') fail('location', 'required');
  else if (location.length > MEETING_LIMITS.location) fail('location', 'tooLong', MEETING_LIMITS.location);

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { kind: kind as MeetingKind, title, startDate, startTime, recurrence, ...participants, online, location: location === '' ? null : location },
  };
}

/**
 * A wall-clock time as a Date whose UTC fields are that clock (`plusMinutes` later): calendar date arithmetic without
 * a time zone, for what is written as local time (the .ics file, a Graph dateTime, the card's end time).
 */
export function wallClock(date: string, time: string, plusMinutes = 0): Date {
  const [y, mo, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return new Date(Date.UTC(y, mo - 1, d, hh, mm + plusMinutes));
}

/** The UTC instant of a wall-clock time in a time zone (DST-aware, without a library). */
export function zonedInstant(date: string, time: string, timeZone = 'Europe/Amsterdam'): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wanted;
  // Two rounds settle the offset, also across a DST change.
  for (let i = 0; i < 2; i++) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(guess)).map((p) => [p.type, p.value]));
    const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
    guess += wanted - shown;
  }
  return new Date(guess);
}

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
const dateOf = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** The date of the Nth (or last) weekday of a month. */
function nthWeekday(year: number, month: number, week: WeekOfMonth, weekday: Weekday): string {
  const target = WEEKDAYS.indexOf(weekday);
  if (week === 'last') {
    const last = new Date(Date.UTC(year, month + 1, 0));
    const back = (last.getUTCDay() - target + 7) % 7;
    return dateOf(dayNumber(last.toISOString().slice(0, 10)) - back);
  }
  const first = new Date(Date.UTC(year, month, 1));
  const forward = (target - first.getUTCDay() + 7) % 7;
  return dateOf(dayNumber(first.toISOString().slice(0, 10)) + forward + (week - 1) * 7);
}

/** The dates (YYYY-MM-DD) a meeting takes place on from `from` up to and including `to`. */
export function occurrencesBetween(m: Pick<ValidMeeting, 'startDate' | 'recurrence'>, from: string, to: string): string[] {
  const r = m.recurrence;
  const end = r.kind !== 'none' && r.until !== null && r.until < to ? r.until : to;
  const inRange = (d: string) => d >= from && d <= end && d >= m.startDate;
  if (r.kind === 'none') return inRange(m.startDate) && m.startDate <= to ? [m.startDate] : [];
  const out: string[] = [];
  if (r.kind === 'weekly') {
    const step = 7 * r.everyWeeks;
    const start = dayNumber(m.startDate);
    const skip = Math.max(0, Math.ceil((dayNumber(from) - start) / step));
    for (let n = start + skip * step; n <= dayNumber(end); n += step) out.push(dateOf(n));
    return out.filter(inRange);
  }
  const [y, mo] = m.startDate.split('-').map(Number);
  for (let k = 0; ; k += r.everyMonths) {
    const month = mo - 1 + k;
    const date = nthWeekday(y + Math.floor(month / 12), month % 12, r.week, r.weekday);
    if (date > end) break;
    if (inRange(date)) out.push(date);
  }
  return out;
}

/**
 * The Teams chat of an online meeting, from its join link (…/meetup-join/19%3ameeting_…%40thread.v2/…): the
 * conversation id the bot sees when it is in that chat.
 */
export function meetingThreadOf(joinUrl: string): string | undefined {
  const segment = /\/meetup-join\/([^/?#]+)/.exec(joinUrl)?.[1];
  if (!segment) return undefined;
  try {
    const thread = decodeURIComponent(segment);
    return /^19:meeting_[^\s]+@thread\.v2$/.test(thread) ? thread : undefined;
  } catch {
    return undefined;
  }
}
