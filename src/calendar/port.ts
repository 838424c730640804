// Where meetings go: the local calendar (the embedded default: our own rows and an .ics invitation) or Microsoft
// Graph (a real event in the organiser's mailbox). Chosen by configuration; the use cases see only this.
import type { ValidMeeting } from '../domain/meetings.js';

export interface CalendarMeeting {
  /** Our meeting id: the Graph adapter derives the event's transactionId from it, so a retry never doubles it. */
  id: string;
  meeting: ValidMeeting;
  attendees: { name: string; email: string | null }[];
  sequence: number;
}

export interface CalendarPort {
  readonly kind: 'local' | 'graph';
  create(m: CalendarMeeting): Promise<{ externalId: string; joinUrl: string | null }>;
  /** The changed meeting (another time, other attendees): the same event, updated. */
  update(m: CalendarMeeting, externalId: string): Promise<{ joinUrl: string | null }>;
  cancel(m: CalendarMeeting, externalId: string): Promise<void>;
}
