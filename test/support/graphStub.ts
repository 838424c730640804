// A loopback Microsoft Graph (v1.0) for the calls the bot makes: create, update and cancel events in a mailbox,
// getSchedule, and installing the app for a user. It checks the bearer token against the Entra stub, validates request bodies strictly
// against schemas typed as Graph's own Event (unknown properties are refused, as Graph does), deduplicates creates by
// transactionId per mailbox like Exchange, and injects faults (429 with Retry-After, 5xx before or after the event
// was made, requests that hang) to test retries and restarts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { DateTimeTimeZone, DayOfWeek, Event, RecurrencePatternType, RecurrenceRangeType, WeekIndex } from '@microsoft/microsoft-graph-types';
import { z } from 'zod';

const DAYS: [DayOfWeek, ...DayOfWeek[]] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const PATTERNS: [RecurrencePatternType, ...RecurrencePatternType[]] = ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'];
const RANGES: [RecurrenceRangeType, ...RecurrenceRangeType[]] = ['endDate', 'noEnd', 'numbered'];
const INDEXES: [WeekIndex, ...WeekIndex[]] = ['first', 'second', 'third', 'fourth', 'last'];

const localDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/, 'a local dateTime without offset');
const zoned = z.object({ dateTime: localDateTime, timeZone: z.enum(['W. Europe Standard Time', 'UTC']) }).strict();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const recurrence = z.object({
  pattern: z.object({
    type: z.enum(PATTERNS), interval: z.number().int().min(1).max(99), daysOfWeek: z.array(z.enum(DAYS)).optional(),
    firstDayOfWeek: z.enum(DAYS).optional(), index: z.enum(INDEXES).optional(), dayOfMonth: z.number().int().optional(), month: z.number().int().optional(),
  }).strict(),
  range: z.object({ type: z.enum(RANGES), startDate: date, endDate: date.optional(), numberOfOccurrences: z.number().int().optional(), recurrenceTimeZone: z.string().optional() }).strict(),
}).strict();
const eventFields = {
  subject: z.string().min(1).max(255),
  body: z.object({ contentType: z.enum(['text', 'html']), content: z.string() }).strict(),
  start: zoned,
  end: zoned,
  recurrence: recurrence.nullable(),
  attendees: z.array(z.object({ type: z.enum(['required', 'optional', 'resource']), emailAddress: z.object({ address: z.string().email(), name: z.string() }).strict() }).strict()),
  isOnlineMeeting: z.boolean(),
  onlineMeetingProvider: z.enum(['teamsForBusiness', 'skypeForBusiness', 'skypeForConsumer', 'unknown']).optional(),
  location: z.object({ displayName: z.string() }).strict().optional(),
  allowNewTimeProposals: z.boolean(),
  responseRequested: z.boolean(),
};
/** POST /users/{id}/events: everything, with a transactionId (at most 40 characters in practice for our ids). */
export const createEventSchema = z.object({ transactionId: z.string().min(1).max(64), ...eventFields }).strict();
/** PATCH /users/{id}/events/{id}: the changed fields; a transactionId belongs to the create only. */
export const updateEventSchema = z.object(eventFields).partial().strict();
export const getScheduleSchema = z.object({
  schedules: z.array(z.string().email()).min(1).max(20), startTime: zoned, endTime: zoned, availabilityViewInterval: z.number().int().min(5).max(1440),
}).strict();

// Compile-time: whatever passes the schemas is a Graph Event (a schema field of the wrong type fails `npm run typecheck`).
const asEvent = (e: z.infer<typeof createEventSchema> | z.infer<typeof updateEventSchema>): Event => e;
void asEvent;

/** POST /users/{id}/teamwork/installedApps: a reference to an app of the organisation's catalog, nothing else. */
export const installAppSchema = z.object({ 'teamsApp@odata.bind': z.string().regex(/^https?:\/\/[^/]+\/v1\.0\/appCatalogs\/teamsApps\/[0-9a-f-]{36}$/) }).strict();

export type GraphOperation = 'create' | 'update' | 'cancel' | 'getSchedule' | 'installApp';

export interface GraphCall {
  operation: GraphOperation;
  mailbox: string;
  eventId?: string;
  transactionId?: string;
  body: unknown;
  /** When the request arrived (ms) and what it was answered with. */
  at: number;
  status?: number;
  retryAfterSeconds?: number;
  /** The fault came after the request was carried out. */
  afterApplying?: boolean;
}

export interface Fault {
  status: number;
  retryAfterSeconds?: number;
  /** Carry the request out first, then answer with the fault (the answer was lost, the work was done). */
  afterApplying?: boolean;
}

export interface StoredEvent { id: string; mailbox: string; body: z.infer<typeof createEventSchema>; cancelled: boolean; updates: number }

export interface GraphStub {
  url: string;
  calls: GraphCall[];
  /** Events per id. */
  events: Map<string, StoredEvent>;
  /** Mailboxes that exist; others answer 404. */
  mailboxes: Set<string>;
  /** Mailboxes the app may not write to (outside its Exchange RBAC scope): 403. */
  forbidden: Set<string>;
  /** The organisation's app catalog (ids), the users (Entra object ids) and the apps installed for each. */
  catalogApps: Set<string>;
  users: Set<string>;
  installedApps: Map<string, Set<string>>;
  /** Called after an app was installed for a user (as Teams then tells the bot). */
  onInstall: ((user: string, appId: string) => void) | undefined;
  /** Busy times per mailbox, for getSchedule. */
  busy: Map<string, { start: Date; end: Date }[]>;
  /** Mailboxes whose getSchedule entry comes back with an error (as for one the app may not read); unknown mailboxes do too. */
  scheduleErrors: Set<string>;
  /** Decides a fault per call (after authentication and validation); undefined: answer normally. */
  fault: ((call: GraphCall) => Fault | undefined) | undefined;
  /** While set, requests are carried out but not answered until `release()` (or close). */
  holding: boolean;
  /** How long each answer takes (ms), as a real service's would. */
  latencyMs: number;
  release(): void;
  inFlight: number;
  maxInFlight: number;
  /** Requests refused for a bad or missing token, or a body Graph would reject. */
  refused: { status: number; reason: string }[];
  close(): Promise<void>;
}

const readBody = (req: http.IncomingMessage) => new Promise<string>((resolve, reject) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  req.on('error', reject);
});

const graphError = (code: string, message: string) => ({ error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString().slice(0, 19) } } });

export async function startGraphStub(isValidToken: (token: string) => boolean): Promise<GraphStub> {
  const held: (() => void)[] = [];
  const stub = {
    url: '', calls: [] as GraphCall[], events: new Map<string, StoredEvent>(), mailboxes: new Set<string>(), forbidden: new Set<string>(),
    catalogApps: new Set<string>(), users: new Set<string>(), installedApps: new Map<string, Set<string>>(), onInstall: undefined as GraphStub['onInstall'],
    busy: new Map<string, { start: Date; end: Date }[]>(), scheduleErrors: new Set<string>(), fault: undefined as GraphStub['fault'], holding: false, latencyMs: 0, inFlight: 0, maxInFlight: 0,
    refused: [] as { status: number; reason: string }[],
    release() { for (const answer of held.splice(0)) answer(); },
  };
  const byTransaction = new Map<string, StoredEvent>();

  const eventJson = (e: StoredEvent): Event => ({
    id: e.id, ...e.body, transactionId: e.body.transactionId, isCancelled: e.cancelled, iCalUId: `ical-${e.id}`,
    onlineMeeting: e.body.isOnlineMeeting ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/${e.id}` } : null,
  });

  function install(body: unknown, user: string): { status: number; json?: unknown } {
    if (!stub.users.has(user)) return { status: 404, json: graphError('NotFound', `User '${user}' was not found.`) };
    const parsed = installAppSchema.safeParse(body);
    if (!parsed.success) return { status: 400, json: graphError('BadRequest', parsed.error.issues[0].message) };
    const appId = parsed.data['teamsApp@odata.bind'].split('/').pop() ?? '';
    if (!parsed.data['teamsApp@odata.bind'].startsWith(`${stub.url}/v1.0/`) || !stub.catalogApps.has(appId)) {
      return { status: 404, json: graphError('NotFound', 'The app was not found in the catalog.') };
    }
    const installed = stub.installedApps.get(user) ?? new Set<string>();
    if (installed.has(appId)) return { status: 409, json: graphError('Conflict', 'App is already installed.') };
    stub.installedApps.set(user, installed.add(appId));
    stub.onInstall?.(user, appId);
    return { status: 201, json: { id: Buffer.from(`${user}##${appId}`).toString('base64') } };
  }

  function handle(body: unknown, call: GraphCall): { status: number; json?: unknown } {
    if (call.operation === 'installApp') return install(body, call.mailbox);
    const mailbox = call.mailbox;
    if (!stub.mailboxes.has(mailbox)) return { status: 404, json: graphError('ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`) };
    if (stub.forbidden.has(mailbox)) return { status: 403, json: graphError('ErrorAccessDenied', 'Access is denied. Check credentials and try again.') };
    switch (call.operation) {
      case 'create': {
        const parsed = createEventSchema.safeParse(body);
        if (!parsed.success) return { status: 400, json: graphError('RequestBodyRead', parsed.error.issues[0].message) };
        const key = `${mailbox}|${parsed.data.transactionId}`;
        const existing = byTransaction.get(key);
        if (existing) return { status: 201, json: eventJson(existing) };
        const event: StoredEvent = { id: `AAMk-${randomUUID()}`, mailbox, body: parsed.data, cancelled: false, updates: 0 };
        stub.events.set(event.id, event);
        byTransaction.set(key, event);
        return { status: 201, json: eventJson(event) };
      }
      case 'update': {
        const event = stub.events.get(call.eventId ?? '');
        if (!event || event.mailbox !== mailbox) return { status: 404, json: graphError('ErrorItemNotFound', 'The specified object was not found in the store.') };
        const parsed = updateEventSchema.safeParse(body);
        if (!parsed.success) return { status: 400, json: graphError('RequestBodyRead', parsed.error.issues[0].message) };
        event.body = { ...event.body, ...parsed.data };
        event.updates++;
        return { status: 200, json: eventJson(event) };
      }
      case 'cancel': {
        const event = stub.events.get(call.eventId ?? '');
        if (!event || event.mailbox !== mailbox) return { status: 404, json: graphError('ErrorItemNotFound', 'The specified object was not found in the store.') };
        const parsed = z.object({ comment: z.string().max(2000).optional() }).strict().safeParse(body);
        if (!parsed.success) return { status: 400, json: graphError('RequestBodyRead', parsed.error.issues[0].message) };
        event.cancelled = true;
        return { status: 202 };
      }
      case 'getSchedule': {
        const parsed = getScheduleSchema.safeParse(body);
        if (!parsed.success) return { status: 400, json: graphError('RequestBodyRead', parsed.error.issues[0].message) };
        const from = new Date(`${parsed.data.startTime.dateTime}Z`);
        const to = new Date(`${parsed.data.endTime.dateTime}Z`);
        const utc = (d: Date): DateTimeTimeZone => ({ dateTime: d.toISOString().slice(0, 23), timeZone: 'UTC' });
        // Exchange answers 200 for the request and puts a per-mailbox error in the entry it could not read.
        return { status: 200, json: { value: parsed.data.schedules.map((scheduleId) => (
          stub.scheduleErrors.has(scheduleId.toLowerCase()) || !stub.mailboxes.has(scheduleId.toLowerCase())
            ? { scheduleId, error: { message: `Free/busy of ${scheduleId} is not available.`, responseCode: 'ErrorMailboxNotFound' } }
            : { scheduleId, availabilityView: '',
              scheduleItems: (stub.busy.get(scheduleId.toLowerCase()) ?? []).filter((b) => b.start < to && b.end > from)
                .map((b) => ({ isPrivate: false, status: 'busy', subject: 'Bezet', location: '', start: utc(b.start), end: utc(b.end) })) })) } };
      }
    }
  }

  function route(method: string, parts: string[]): Omit<GraphCall, 'body' | 'at'> | undefined {
    // v1.0 users {mailbox} events [{id} [cancel]] | calendar getSchedule | teamwork installedApps
    if (parts[0] !== 'v1.0' || parts[1] !== 'users' || parts.length < 4) return undefined;
    const mailbox = parts[2].toLowerCase();
    if (method === 'POST' && parts[3] === 'events' && parts.length === 4) return { operation: 'create', mailbox };
    if (method === 'PATCH' && parts[3] === 'events' && parts.length === 5) return { operation: 'update', mailbox, eventId: parts[4] };
    if (method === 'POST' && parts[3] === 'events' && parts.length === 6 && parts[5] === 'cancel') return { operation: 'cancel', mailbox, eventId: parts[4] };
    if (method === 'POST' && parts[3] === 'calendar' && parts[4] === 'getSchedule' && parts.length === 5) return { operation: 'getSchedule', mailbox };
    if (method === 'POST' && parts[3] === 'teamwork' && parts[4] === 'installedApps' && parts.length === 5) return { operation: 'installApp', mailbox };
    return undefined;
  }

  const server = http.createServer((req, res) => {
    stub.inFlight++;
    stub.maxInFlight = Math.max(stub.maxInFlight, stub.inFlight);
    let answered = false;
    const answer = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      if (answered) return;
      answered = true;
      stub.inFlight--;
      // No chaining: restify patches writeHead process-wide.
      res.statusCode = status;
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (json === undefined) { res.end(); return; }
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(json));
    };
    res.on('close', () => { if (!answered) { answered = true; stub.inFlight--; } });
    void (async () => {
      const text = await readBody(req);
      if (stub.latencyMs > 0) await new Promise((r) => setTimeout(r, stub.latencyMs));
      const parts = new URL(req.url ?? '/', 'http://graph').pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const routed = route(req.method ?? '', parts);
      if (!routed) return answer(400, graphError('BadRequest', 'Resource not found for the segment.'));
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !isValidToken(token)) {
        stub.refused.push({ status: 401, reason: 'token' });
        return answer(401, graphError('InvalidAuthenticationToken', 'Access token validation failure.'));
      }
      let body: unknown;
      try { body = text === '' ? undefined : JSON.parse(text); } catch { return answer(400, graphError('BadRequest', 'Unable to read JSON request payload.')); }
      const call: GraphCall = { ...routed, body, at: Date.now(), transactionId: (body as { transactionId?: string } | undefined)?.transactionId };
      stub.calls.push(call);
      const fault = stub.fault?.(call);
      const deliver = (status: number, json?: unknown, headers?: Record<string, string>) => {
        call.status = status;
        if (stub.holding) held.push(() => answer(status, json, headers));
        else answer(status, json, headers);
      };
      if (fault && !fault.afterApplying) {
        call.retryAfterSeconds = fault.retryAfterSeconds;
        return deliver(fault.status, graphError(fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', 'stub fault'),
          fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
      }
      const result = handle(body, call);
      if (result.status >= 400) stub.refused.push({ status: result.status, reason: JSON.stringify(result.json) });
      if (fault) {
        call.retryAfterSeconds = fault.retryAfterSeconds;
        call.afterApplying = true;
        return deliver(fault.status, graphError('ServiceUnavailable', 'stub fault after the work was done'),
          fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
      }
      return deliver(result.status, result.json);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(stub, {
    close: () => new Promise<void>((resolve) => { stub.release(); server.closeAllConnections(); server.close(() => resolve()); }),
  }) as GraphStub;
}
