// The Microsoft Graph calendar: events in the organiser's mailbox, through the app's Graph session. No retries here:
// the outbox retries with backoff (honouring Retry-After) and a create's transactionId makes a repeated POST return
// the first event.
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type { DateTimeTimeZone, Event, ScheduleInformation } from '@microsoft/microsoft-graph-types';
import type { Interval } from '../domain/freeSlots.js';
import { GraphSignInError, retryAfterMs, type GraphSession } from '../graph/session.js';
import { graphEventOf } from './graphEvent.js';
import { CalendarError, type CalendarFailure, type CalendarMeeting, type CalendarPort } from './port.js';

/** The body of POST /users/{id}/calendar/getSchedule (an action: Graph's types have none for it). */
export interface GetScheduleRequest { schedules: string[]; startTime: DateTimeTimeZone; endTime: DateTimeTimeZone; availabilityViewInterval: number }

/** getSchedule takes at most 20 mailboxes per request (Exchange's limit for one free/busy query of this kind). */
const SCHEDULES_PER_REQUEST = 20;

/** Graph's answer in our terms: what to tell the officer, and whether trying again can help. */
function classify(err: unknown, on: 'create' | 'change'): CalendarError {
  if (err instanceof CalendarError) return err;
  if (err instanceof GraphSignInError) return err.permanent ? new CalendarError('auth', false) : new CalendarError('network', true);
  if (err instanceof GraphError && err.statusCode > 0) {
    const s = err.statusCode;
    const fail = (failure: CalendarFailure, retryable: boolean) => new CalendarError(failure, retryable, retryAfterMs(err.headers), s);
    if (s === 429) return fail('throttled', true);
    if (s >= 500) return fail('unavailable', true);
    if (s === 401) return fail('auth', false);
    if (s === 403) return fail('forbidden', false);
    if (s === 404) return fail(on === 'create' ? 'mailboxNotFound' : 'eventNotFound', false);
    return fail('rejected', false);
  }
  // No HTTP answer: refused connection, reset, timeout, aborted.
  return new CalendarError('network', true);
}

const utc = (d: Date): DateTimeTimeZone => ({ dateTime: d.toISOString().slice(0, 23), timeZone: 'UTC' });
const instantOf = (t: DateTimeTimeZone | null | undefined): Date | undefined =>
  t?.dateTime ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(t.dateTime) ? t.dateTime : `${t.dateTime}Z`) : undefined;

export class GraphCalendar implements CalendarPort {
  readonly kind = 'graph' as const;

  constructor(private readonly graph: GraphSession) {}

  private async call<T>(on: 'create' | 'change', signal: AbortSignal | undefined, request: (client: Client) => Promise<T>): Promise<T> {
    try {
      return await this.graph.call(signal, request);
    } catch (err) {
      throw classify(err, on);
    }
  }

  private events(organiser: string): string {
    return `/users/${encodeURIComponent(organiser)}/events`;
  }

  async create(m: CalendarMeeting, signal?: AbortSignal): Promise<{ externalId: string; joinUrl: string | null }> {
    const created = await this.call('create', signal, (c) => c.api(this.events(m.meeting.organiser)).option('signal', signal).post(graphEventOf(m)) as Promise<Event>);
    if (!created.id) throw new CalendarError('rejected', false);
    return { externalId: created.id, joinUrl: created.onlineMeeting?.joinUrl ?? null };
  }

  async update(m: CalendarMeeting, externalId: string, signal?: AbortSignal): Promise<{ joinUrl: string | null }> {
    // The transactionId belongs to the create; on an update Graph would reject it.
    const { transactionId: _transactionId, ...changes } = graphEventOf(m);
    void _transactionId;
    const updated = await this.call('change', signal, (c) => c.api(`${this.events(m.meeting.organiser)}/${encodeURIComponent(externalId)}`).option('signal', signal)
      .patch(changes) as Promise<Event>);
    return { joinUrl: updated.onlineMeeting?.joinUrl ?? null };
  }

  async cancel(m: CalendarMeeting, externalId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.call('change', signal, (c) => c.api(`${this.events(m.meeting.organiser)}/${encodeURIComponent(externalId)}/cancel`).option('signal', signal)
        .post({ comment: 'Dit overleg is geannuleerd. / This meeting has been cancelled.' }));
    } catch (err) {
      // Already gone from the organiser's calendar: what a cancel wants.
      if (err instanceof CalendarError && err.failure === 'eventNotFound') return;
      throw err;
    }
  }

  async busy(organiser: string, emails: readonly string[], from: Date, to: Date, signal?: AbortSignal): Promise<Interval[]> {
    const out: Interval[] = [];
    for (let i = 0; i < emails.length; i += SCHEDULES_PER_REQUEST) {
      const body: GetScheduleRequest = { schedules: emails.slice(i, i + SCHEDULES_PER_REQUEST), startTime: utc(from), endTime: utc(to), availabilityViewInterval: 30 };
      const answer = await this.call('create', signal, (c) => c.api(`/users/${encodeURIComponent(organiser)}/calendar/getSchedule`)
        .header('Prefer', 'outlook.timezone="UTC"').option('signal', signal).post(body) as Promise<{ value?: ScheduleInformation[] }>);
      for (const schedule of answer.value ?? []) {
        for (const item of schedule.scheduleItems ?? []) {
          if (item.status === 'free' || item.status === 'workingElsewhere') continue;
          const start = instantOf(item.start);
          const end = instantOf(item.end);
          if (start && end) out.push({ start, end });
        }
      }
    }
    return out;
  }
}
