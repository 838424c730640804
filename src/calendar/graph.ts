// The Microsoft Graph calendar: events in the organiser's mailbox, through the app's Graph session. No retries here:
// the outbox retries with backoff (honouring Retry-After) and a create's transactionId makes a repeated POST return
// the first event.
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type { DateTimeTimeZone, Event, ScheduleInformation } from '@microsoft/microsoft-graph-types';
import type { Interval } from '../domain/freeSlots.js';
import { GraphSignInError, GraphTransportError, isAbort, retryAfterMs, type GraphSession } from '../graph/session.js';
import type { Logger } from '../logger.js';
import { graphEventOf } from './graphEvent.js';
import { CalendarError, type CalendarFailure, type CalendarMeeting, type CalendarPort, type FreeBusy } from './port.js';

/** The body of POST /users/{id}/calendar/getSchedule (an action: Graph's types have none for it). */
export interface GetScheduleRequest { schedules: string[]; startTime: DateTimeTimeZone; endTime: DateTimeTimeZone; availabilityViewInterval: number }

/** getSchedule takes at most 20 mailboxes per request (Exchange's limit for one free/busy query of this kind). */
const SCHEDULES_PER_REQUEST = 20;

type Operation = 'create' | 'update' | 'cancel' | 'getSchedule';

/**
 * Graph's answer in our terms: what to tell the officer, whether trying again can help, and whether the call
 * certainly did nothing (`sent`: the request was handed to the Graph client). The log gets what an administrator
 * needs to follow it up with Microsoft (status, Graph's error code, request-id), never a body or message: those
 * can name a mailbox.
 */
function classify(err: unknown, on: Operation, sent: boolean, log: Logger): CalendarError {
  if (err instanceof CalendarError) return err;
  if (err instanceof GraphSignInError) return new CalendarError(err.permanent ? 'auth' : 'network', !err.permanent, { notApplied: true });
  if (err instanceof GraphError && err.statusCode >= 400) {
    const s = err.statusCode;
    const retryAfter = retryAfterMs(err.headers);
    log.warn({ operation: on, statusCode: s, graphCode: err.code, requestId: err.requestId, retryAfterMs: retryAfter }, 'Graph did not carry out a calendar call');
    // A 4xx (429 included) is turned away before any work; a 5xx may come after the work was done.
    const fail = (failure: CalendarFailure, retryable: boolean) => new CalendarError(failure, retryable, { retryAfterMs: retryAfter, status: s, notApplied: s < 500 });
    if (s === 429) return fail('throttled', true);
    if (s >= 500) return fail('unavailable', true);
    if (s === 401) return fail('auth', false);
    if (s === 403) return fail('forbidden', false);
    if (s === 404) return fail(on === 'create' || on === 'getSchedule' ? 'mailboxNotFound' : 'eventNotFound', false);
    return fail('rejected', false);
  }
  const transport = err instanceof GraphTransportError ? err : isAbort(err) ? new GraphTransportError(err.name) : undefined;
  if (transport?.network) {
    // No answer: a connection refused or broken, a deadline. Worth another attempt.
    log.warn({ operation: on, cause: transport.code }, 'no answer from Graph for a calendar call');
    return new CalendarError('network', true, { notApplied: !sent || transport.notSent });
  }
  // Anything else (an untrusted certificate, an answer we cannot read, a bug of ours) is not mended by waiting.
  // The error's name and where it came from, not its message (which may quote a response).
  log.error({ operation: on, cause: transport?.code, errorName: err instanceof Error ? err.name : typeof err,
    statusCode: err instanceof GraphError ? err.statusCode : undefined, graphCode: err instanceof GraphError ? err.code : undefined,
    frames: err instanceof Error ? err.stack?.split('\n').slice(1, 6).map((f) => f.trim()) : undefined }, 'calendar call failed unexpectedly');
  return new CalendarError('internal', false, { notApplied: !sent });
}

const utc = (d: Date): DateTimeTimeZone => ({ dateTime: d.toISOString().slice(0, 23), timeZone: 'UTC' });
const instantOf = (t: DateTimeTimeZone | null | undefined): Date | undefined =>
  t?.dateTime ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(t.dateTime) ? t.dateTime : `${t.dateTime}Z`) : undefined;

export class GraphCalendar implements CalendarPort {
  readonly kind = 'graph' as const;

  constructor(private readonly graph: GraphSession) {}

  private async call<T>(on: Operation, signal: AbortSignal | undefined, request: (client: Client) => Promise<T>): Promise<T> {
    // Until the request is handed over, nothing can have reached Graph (a wait for a slot, the token, an abort).
    let sent = false;
    try {
      return await this.graph.call(signal, (client) => { sent = true; return request(client); });
    } catch (err) {
      throw classify(err, on, sent, this.graph.log);
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
    const updated = await this.call('update', signal, (c) => c.api(`${this.events(m.meeting.organiser)}/${encodeURIComponent(externalId)}`).option('signal', signal)
      .patch(changes) as Promise<Event>);
    return { joinUrl: updated.onlineMeeting?.joinUrl ?? null };
  }

  async cancel(m: CalendarMeeting, externalId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.call('cancel', signal, (c) => c.api(`${this.events(m.meeting.organiser)}/${encodeURIComponent(externalId)}/cancel`).option('signal', signal)
        .post({ comment: 'Dit overleg is geannuleerd. / This meeting has been cancelled.' }));
    } catch (err) {
      // Already gone from the organiser's calendar: what a cancel wants.
      if (err instanceof CalendarError && err.failure === 'eventNotFound') return;
      throw err;
    }
  }

  async busy(organiser: string, emails: readonly string[], from: Date, to: Date, signal?: AbortSignal): Promise<FreeBusy> {
    const out: Interval[] = [];
    let read = 0;
    const unread: string[] = [];
    for (let i = 0; i < emails.length; i += SCHEDULES_PER_REQUEST) {
      const body: GetScheduleRequest = { schedules: emails.slice(i, i + SCHEDULES_PER_REQUEST), startTime: utc(from), endTime: utc(to), availabilityViewInterval: 30 };
      const answer = await this.call('getSchedule', signal, (c) => c.api(`/users/${encodeURIComponent(organiser)}/calendar/getSchedule`)
        .header('Prefer', 'outlook.timezone="UTC"').option('signal', signal).post(body) as Promise<{ value?: ScheduleInformation[] }>);
      for (const schedule of answer.value ?? []) {
        // Exchange answers per mailbox: one it cannot read (unknown, no permission) has an error and no items.
        if (schedule.error) { unread.push(schedule.error.responseCode ?? 'unknown'); continue; }
        read++;
        for (const item of schedule.scheduleItems ?? []) {
          if (item.status === 'free' || item.status === 'workingElsewhere') continue;
          const start = instantOf(item.start);
          const end = instantOf(item.end);
          if (start && end) out.push({ start, end });
        }
      }
    }
    // How many and Exchange's codes, not which mailboxes.
    if (unread.length > 0) this.graph.log.warn({ unread: unread.length, responseCodes: [...new Set(unread)] }, 'free/busy of some mailboxes not available');
    return { busy: out, read };
  }
}
