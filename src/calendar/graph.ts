// The Microsoft Graph calendar: app-only (client credentials through @azure/identity), events in the organiser's
// mailbox. No retries here: the outbox retries with backoff (honouring Retry-After) and a create's transactionId makes
// a repeated POST return the first event. At most `maxConcurrency` calls at a time (Graph allows 4 per mailbox set).
import https from 'node:https';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { Client, GraphError, HTTPMessageHandler, TelemetryHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { DateTimeTimeZone, Event, ScheduleInformation } from '@microsoft/microsoft-graph-types';
import type { Interval } from '../domain/freeSlots.js';
import type { Logger } from '../logger.js';
import { graphEventOf } from './graphEvent.js';
import { CalendarError, type CalendarFailure, type CalendarMeeting, type CalendarPort } from './port.js';

export interface GraphCalendarConfig {
  tenantId: string;
  clientId: string;
  credential: { kind: 'secret'; secret: string } | { kind: 'certificate'; pemPath: string };
  /** The Entra ID host, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** Graph without the version, e.g. https://graph.microsoft.com. */
  baseUrl: string;
  maxConcurrency: number;
  /** Extra CA certificates (PEM) to trust for the token endpoint, e.g. behind a TLS-inspecting proxy. */
  trustedCa?: string;
}

/** The body of POST /users/{id}/calendar/getSchedule (an action: Graph's types have none for it). */
export interface GetScheduleRequest { schedules: string[]; startTime: DateTimeTimeZone; endTime: DateTimeTimeZone; availabilityViewInterval: number }

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
/** Entra refused the app itself (a wrong secret or certificate, an unknown app): waiting does not mend that. */
const SIGN_IN_REFUSED = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_request', 'invalid_scope', 'invalid_resource']);
/** getSchedule takes at most 20 mailboxes per request (Exchange's limit for one free/busy query of this kind). */
const SCHEDULES_PER_REQUEST = 20;

/**
 * Puts the app's token on every request. The client only ever calls the configured Graph base URL, so there is no
 * host to check (the library's own handler sends tokens to https Graph hosts only, which a loopback test Graph is not).
 */
class BearerToken implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly token: () => Promise<string>) {}
  setNext(next: Middleware): void { this.next = next; }
  async execute(context: Context): Promise<void> {
    const headers = { ...(context.options?.headers as Record<string, string> | undefined), Authorization: `Bearer ${await this.token()}` };
    context.options = { ...context.options, headers };
    await this.next?.execute(context);
  }
}

/** A counting semaphore: at most `limit` holders at a time, first come first served. */
class Slots {
  private held = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.held >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.held++;
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next(); else this.held--;
    }
  }
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Graph's answer in our terms: what to tell the officer, and whether trying again can help. */
function classify(err: unknown, on: 'create' | 'change'): CalendarError {
  if (err instanceof CalendarError) return err;
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

function credentialOf(c: GraphCalendarConfig): TokenCredential {
  const options = {
    authorityHost: c.authorityHost,
    // The authority is configured, not discovered: no call to Entra's instance discovery endpoint.
    disableInstanceDiscovery: true,
    ...(c.trustedCa ? { agent: new https.Agent({ ca: c.trustedCa, keepAlive: true }) } : {}),
  };
  return c.credential.kind === 'secret'
    ? new ClientSecretCredential(c.tenantId, c.clientId, c.credential.secret, options)
    : new ClientCertificateCredential(c.tenantId, c.clientId, { certificatePath: c.credential.pemPath }, options);
}

const utc = (d: Date): DateTimeTimeZone => ({ dateTime: d.toISOString().slice(0, 23), timeZone: 'UTC' });
const instantOf = (t: DateTimeTimeZone | null | undefined): Date | undefined =>
  t?.dateTime ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(t.dateTime) ? t.dateTime : `${t.dateTime}Z`) : undefined;

export class GraphCalendar implements CalendarPort {
  readonly kind = 'graph' as const;
  private readonly credential: TokenCredential;
  private readonly client: Client;
  private readonly slots: Slots;

  constructor(config: GraphCalendarConfig, private readonly log: Logger) {
    this.credential = credentialOf(config);
    this.slots = new Slots(config.maxConcurrency);
    // The token, telemetry and the request itself; no RetryHandler (the outbox retries) and no redirects.
    const auth = new BearerToken(() => this.token());
    const telemetry = new TelemetryHandler();
    auth.setNext(telemetry);
    telemetry.setNext(new HTTPMessageHandler());
    this.client = Client.initWithMiddleware({ middleware: auth, baseUrl: `${new URL(config.baseUrl).origin}/`, defaultVersion: 'v1.0' });
  }

  private async token(): Promise<string> {
    try {
      const token = await this.credential.getToken(GRAPH_SCOPE);
      if (!token) throw new CalendarError('auth', false);
      return token.token;
    } catch (err) {
      if (err instanceof CalendarError) throw err;
      // @azure/identity passes on MSAL's OAuth error code at the start of the message (no secret in it).
      const code = /^([a-z_]+):/.exec(err instanceof Error ? err.message : '')?.[1] ?? 'unknown';
      const permanent = SIGN_IN_REFUSED.has(code);
      this.log.warn({ oauthError: code, retryable: !permanent }, 'no Microsoft Graph token');
      throw permanent ? new CalendarError('auth', false) : new CalendarError('network', true);
    }
  }

  /** One Graph call: a slot, the token first (its failure is ours to classify; later reads hit the cache), then the request. */
  private call<T>(on: 'create' | 'change', signal: AbortSignal | undefined, request: (client: Client) => Promise<T>): Promise<T> {
    return this.slots.use(async () => {
      try {
        signal?.throwIfAborted();
        await this.token();
        return await request(this.client);
      } catch (err) {
        throw classify(err, on);
      }
    });
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
