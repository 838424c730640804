// Where meetings go: the local calendar (the embedded default: our own rows and an .ics invitation) or Microsoft
// Graph (a real event in the organiser's mailbox). Chosen by configuration; the use cases see only this.
import type { ValidMeeting } from '../domain/meetings.js';
import type { Interval } from '../domain/freeSlots.js';

export interface CalendarMeeting {
  /** Our meeting id: the Graph adapter derives the event's transactionId from it, so a retry never doubles it. */
  id: string;
  meeting: ValidMeeting;
  attendees: { name: string; email: string | null }[];
  sequence: number;
}

/**
 * Why the calendar does not hold the meeting as planned, in words an officer can be told (teams/strings:
 * meeting.failure.*): a calendar call that did not succeed, (otherCalendar) a Microsoft 365 meeting that this
 * configuration cannot reach any more, or (internal) a fault of Weerbaar's own.
 */
export const CALENDAR_FAILURES = ['throttled', 'unavailable', 'network', 'auth', 'forbidden', 'mailboxNotFound', 'eventNotFound', 'rejected', 'otherCalendar',
  'internal'] as const;
export type CalendarFailure = (typeof CALENDAR_FAILURES)[number];

/** A stored reason in today's terms: one this version does not know (an earlier version wrote 'calendar') reads as internal. */
export const calendarFailureOf = (stored: string | null): CalendarFailure | null =>
  stored === null ? null : CALENDAR_FAILURES.find((f) => f === stored) ?? 'internal';

export class CalendarError extends Error {
  readonly retryAfterMs?: number;
  readonly status?: number;
  /** Certainly not carried out: the request never reached the calendar, or was turned away before any work. */
  readonly notApplied: boolean;
  constructor(readonly failure: CalendarFailure, readonly retryable: boolean, detail: { retryAfterMs?: number; status?: number; notApplied?: boolean } = {}) {
    super(`calendar call failed: ${failure}${detail.status === undefined ? '' : ` (HTTP ${detail.status})`}`);
    this.name = 'CalendarError';
    this.retryAfterMs = detail.retryAfterMs;
    this.status = detail.status;
    this.notApplied = detail.notApplied ?? false;
  }
}

/** Free/busy as read: `read` counts the mailboxes that answered (one whose entry came back with an error did not). */
export interface FreeBusy { busy: Interval[]; read: number }

export interface CalendarPort {
  readonly kind: 'local' | 'graph';
  /** Idempotent for one meeting id: a retried create returns the event the first one made. */
  create(m: CalendarMeeting, signal?: AbortSignal): Promise<{ externalId: string; joinUrl: string | null }>;
  /** The changed meeting (another time, other attendees): the same event, updated. */
  update(m: CalendarMeeting, externalId: string, signal?: AbortSignal): Promise<{ joinUrl: string | null }>;
  cancel(m: CalendarMeeting, externalId: string, signal?: AbortSignal): Promise<void>;
  /** When these mailboxes are busy between two instants (free/busy only); the local calendar knows of none. */
  busy(organiser: string, emails: readonly string[], from: Date, to: Date, signal?: AbortSignal): Promise<FreeBusy>;
}
