// The meeting form (errors beside the fields, input kept) and the meeting card in the channel.
import { randomUUID } from 'node:crypto';
import type { Locale } from '../domain/caller.js';
import { MEETING_FIELDS, MEETING_KINDS, RECURRENCE_KINDS, wallClock, type MeetingDraft, type MeetingError, type MeetingField, type Recurrence } from '../domain/meetings.js';
import { calendarFailureOf } from '../calendar/port.js';
import type { Slot } from '../domain/freeSlots.js';
import type { MeetingPerson, MeetingView } from '../services/meetings.js';
import { compile, type AdaptiveCard, type Choice } from './cards.js';
import meetingJson from './cards/meeting.json';
import meetingFormJson from './cards/meetingForm.json';
import meetingListJson from './cards/meetingList.json';
import { formatDate, t, type StringKey } from './strings.js';

interface MeetingFormData {
  title: string; intro: string; hasErrors: boolean; errorSummary: string; requiredText: string; today: string; nonce: string; meetingId: string;
  labels: Record<MeetingField | 'submit' | 'slots', string>; placeholders: { externalAttendees: string; organiser: string };
  slotNotice: string; slots: { title: string; pick: string }[];
  kinds: Choice[]; recurrences: Choice[]; members: Choice[];
  values: MeetingDraft; errors: Record<MeetingField, string>;
}
const meetingFormTemplate = compile<MeetingFormData>(meetingFormJson);

export function emptyMeetingDraft(): MeetingDraft {
  return { ...Object.fromEntries(MEETING_FIELDS.map((f) => [f, ''])), kind: 'signalenoverleg', durationMinutes: '90', recurrence: 'none', everyWeeks: '3', online: 'true' } as MeetingDraft;
}

function errorText(locale: Locale, e: MeetingError): string {
  const own = `meeting.error.${e.code}`;
  const key = (['inThePast', 'outOfRange', 'untilBeforeStart', 'noAttendees', 'invalidEmail', 'unknownMember', 'tooMany', 'organiserFixed'].includes(e.code)
    ? own : `error.${e.code}`) as StringKey;
  return t(locale, key, e.limit === undefined ? {} : { limit: e.limit });
}

/** Free times proposed for the form: a line saying what they are based on, and a button per time. */
export interface SlotProposals { notice: string; slots: readonly Slot[] }

/** A proposed time as the button says it, and as the form's date and time take it back. */
export const slotTitle = (locale: Locale, s: Pick<Slot, 'date' | 'time'>) => `${weekdayName(locale, s.date)} ${formatDate(locale, s.date)} ${s.time}`;
export const slotPick = (s: Pick<Slot, 'date' | 'time'>) => `${s.date} ${s.time}`;

/** meetingId: changing that meeting rather than planning a new one. */
export function renderMeetingForm(locale: Locale, opts: { members: readonly MeetingPerson[]; today: string; draft?: MeetingDraft; errors?: readonly MeetingError[]; nonce?: string;
  meetingId?: string; proposals?: SlotProposals }): AdaptiveCard {
  const errors = Object.fromEntries(MEETING_FIELDS.map((f) => [f, ''])) as Record<MeetingField, string>;
  for (const e of opts.errors ?? []) if (errors[e.field] === '') errors[e.field] = errorText(locale, e);
  return meetingFormTemplate({
    title: t(locale, opts.meetingId ? 'meeting.form.editTitle' : 'meeting.form.title'), intro: t(locale, 'meeting.form.intro'), meetingId: opts.meetingId ?? '',
    hasErrors: (opts.errors?.length ?? 0) > 0, errorSummary: t(locale, 'meeting.form.hasErrors'), requiredText: t(locale, 'error.required'),
    today: opts.today, nonce: opts.nonce ?? randomUUID(),
    labels: Object.fromEntries([...MEETING_FIELDS, 'submit', 'slots'].map((f) => [f, f === 'scopeId' ? '' : t(locale, `meeting.label.${f}` as StringKey)])) as MeetingFormData['labels'],
    slotNotice: opts.proposals?.notice ?? '',
    slots: (opts.proposals?.slots ?? []).map((slot) => ({ title: slotTitle(locale, slot), pick: slotPick(slot) })),
    placeholders: { externalAttendees: t(locale, 'meeting.placeholder.externalAttendees'), organiser: t(locale, 'meeting.placeholder.organiser') },
    kinds: MEETING_KINDS.map((k) => ({ title: t(locale, `meeting.kind.${k}`), value: k })),
    recurrences: RECURRENCE_KINDS.map((r) => ({ title: t(locale, `meeting.recurrence.${r}`), value: r })),
    members: opts.members.map((m) => ({ title: m.name, value: m.aadObjectId })),
    values: opts.draft ?? emptyMeetingDraft(),
    errors,
  });
}

const weekdayName = (locale: Locale, date: string) =>
  new Intl.DateTimeFormat(locale === 'nl' ? 'nl-NL' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

export function recurrenceText(locale: Locale, r: Recurrence, firstDate: string): string {
  if (r.kind === 'none') return t(locale, 'meeting.once');
  const until = r.until ? t(locale, 'meeting.until', { date: formatDate(locale, r.until) }) : '';
  const weekday = weekdayName(locale, firstDate);
  if (r.kind === 'weekly') return r.everyWeeks === 1 ? t(locale, 'meeting.everyWeek', { weekday, until }) : t(locale, 'meeting.everyWeeks', { n: r.everyWeeks, weekday, until });
  return t(locale, r.everyMonths === 3 ? 'meeting.quarterly' : 'meeting.monthly', { nth: t(locale, `meeting.nth.${r.week}` as StringKey), weekday, until });
}

export const meetingWhen = (locale: Locale, v: MeetingView) => `${weekdayName(locale, v.meeting.startDate)} ${formatDate(locale, v.meeting.startDate)}, `
  + `${v.meeting.startTime}–${wallClock(v.meeting.startDate, v.meeting.startTime, v.meeting.durationMinutes).toISOString().slice(11, 16)}`;

interface MeetingCardData {
  notice: string; noticeColor: string; title: string; subtitle: string; facts: { title: string; value: string }[]; status: string; statusColor: string; agenda: string;
  joinUrl: string; joinTitle: string; icsUrl: string; icsTitle: string; showAgenda: boolean; agendaTitle: string; startTitle: string; mayChange: boolean; editTitle: string; cancelTitle: string; cancelQuestion: string; cancelConfirm: string; meetingId: string;
}
const meetingTemplate = compile<MeetingCardData>(meetingJson);

function statusText(locale: Locale, v: MeetingView): string {
  // Narrowed again here: a view made from anything but viewOf may still carry a reason no string exists for.
  const failure = calendarFailureOf(v.failure);
  const reason = failure === null ? '' : t(locale, `meeting.failure.${failure}`);
  if (v.status === 'cancelled') return reason === '' ? t(locale, 'meeting.status.cancelled') : t(locale, 'meeting.status.cancelledNotInCalendar', { reason });
  if (v.status === 'failed') return t(locale, v.inCalendar ? 'meeting.status.failedChange' : 'meeting.status.failed', { reason });
  if (v.status === 'scheduled') return t(locale, 'meeting.status.scheduled', { calendar: t(locale, v.calendar === 'graph' ? 'meeting.calendar.graph' : 'meeting.calendar.local') });
  return t(locale, 'meeting.status.scheduling');
}

/**
 * refreshUserIds: the card is the channel's message, the same for everyone; these users' clients (the chairs and
 * coordinators) ask for their own version, with the buttons (Universal Actions).
 */
export function renderMeetingCard(locale: Locale, v: MeetingView, opts: { notice?: string; tone?: 'good' | 'attention'; refreshUserIds?: readonly string[] } = {}): AdaptiveCard {
  const m = v.meeting;
  const card = meetingTemplate({
    notice: opts.notice ?? '', noticeColor: opts.tone === 'attention' ? 'Attention' : 'Good',
    title: t(locale, 'meeting.title', { kind: t(locale, `meeting.kind.${m.kind}`), title: m.title }),
    subtitle: v.scopeName,
    facts: [
      { title: t(locale, 'meeting.when'), value: meetingWhen(locale, v) },
      { title: t(locale, 'meeting.repeats'), value: recurrenceText(locale, m.recurrence, m.startDate) },
      { title: t(locale, 'meeting.where'), value: m.online ? t(locale, 'meeting.online') : m.location ?? '' },
      { title: t(locale, 'meeting.attendees'), value: [...v.attendees.map((a) => a.name), ...m.externalAttendees].join(', ') },
      { title: t(locale, 'meeting.organiser'), value: m.organiser },
    ],
    status: statusText(locale, v), statusColor: v.status === 'failed' || v.status === 'cancelled' ? 'Attention' : 'Default',
    agenda: v.status === 'cancelled' ? '' : t(locale, 'meeting.agenda'),
    joinUrl: v.joinUrl ?? '', joinTitle: t(locale, 'meeting.join'),
    icsUrl: v.icsUrl, icsTitle: t(locale, 'meeting.ics'),
    showAgenda: v.status !== 'cancelled', agendaTitle: t(locale, 'meeting.agendaButton'), startTitle: t(locale, 'overleg.start'),
    mayChange: v.mayChange, editTitle: t(locale, 'meeting.edit'), cancelTitle: t(locale, 'meeting.cancel'), cancelQuestion: t(locale, 'meeting.cancelQuestion'), cancelConfirm: t(locale, 'meeting.cancelConfirm'),
    meetingId: v.id,
  });
  const userIds = (opts.refreshUserIds ?? []).slice(0, 60);
  if (userIds.length > 0) card.refresh = { action: { type: 'Action.Execute', verb: 'meeting.refresh', data: { meetingId: v.id } }, userIds };
  return card;
}

/**
 * The channel's card of a meeting: one message for everyone (pass the view without buttons), which the chairs' and
 * coordinators' Teams clients refresh into their own (their view, with buttons).
 */
export function renderChannelMeetingCard(locale: Locale, v: MeetingView, planners: readonly string[]): AdaptiveCard {
  return renderMeetingCard(locale, v, { refreshUserIds: planners, ...(v.status === 'cancelled' ? { notice: t(locale, 'meeting.cancelled'), tone: 'attention' as const } : {}) });
}

interface MeetingListData { title: string; empty: string; rows: { id: string; line: string; detail: string }[] }
const meetingListTemplate = compile<MeetingListData>(meetingListJson);

export function renderMeetingList(locale: Locale, views: readonly MeetingView[]): AdaptiveCard {
  return meetingListTemplate({
    title: t(locale, 'meeting.list.title'),
    empty: t(locale, 'meeting.list.empty'),
    rows: views.map((v) => ({
      id: v.id,
      line: t(locale, 'meeting.list.row', { when: meetingWhen(locale, v), kind: t(locale, `meeting.kind.${v.meeting.kind}`), title: v.meeting.title }),
      detail: `${recurrenceText(locale, v.meeting.recurrence, v.meeting.startDate)} · ${v.scopeName}`,
    })),
  });
}
