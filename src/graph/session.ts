// One app-only connection to Microsoft Graph (client credentials through @azure/identity), shared by what the bot does
// there: the calendar and installing the app for a mayor. No retries here: the outbox retries with backoff (honouring
// Retry-After). At most `maxConcurrency` calls at a time (Graph allows 4 per mailbox set).
import https from 'node:https';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { Client, GraphClientError, HTTPMessageHandler, TelemetryHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { retryAfterHeaderMs } from '../http/retryAfter.js';
import type { Logger } from '../logger.js';

export interface GraphConfig {
  tenantId: string;
  clientId: string;
  credential: { kind: 'secret'; secret: string } | { kind: 'certificate'; pemPath: string };
  /** The Entra ID host, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** Graph without the version, e.g. https://graph.microsoft.com. */
  baseUrl: string;
  maxConcurrency: number;
  /**
   * Extra CA certificates (PEM) to trust for the token endpoint, e.g. behind a TLS-inspecting proxy. Only there: Graph
   * calls go through Node's fetch with its default CAs (NODE_EXTRA_CA_CERTS adds to those).
   */
  trustedCa?: string;
}

// Our errors are GraphClientErrors: the Graph client passes those on unchanged (any other error thrown inside a
// request, by a middleware or by fetch, becomes a GraphError without its cause). Its constructor resets the
// prototype, so each sets its own back.

/** No token: Entra refused the app itself (`permanent`: a wrong secret or certificate, an unknown app) or did not answer. */
export class GraphSignInError extends GraphClientError {
  constructor(readonly permanent: boolean) {
    super(permanent ? 'Entra ID refused the app' : 'no answer from Entra ID');
    Object.setPrototypeOf(this, GraphSignInError.prototype);
    this.name = 'GraphSignInError';
  }
}

/** System errors of a connection that failed or broke off: trying again later can help. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET']);
/** Of those, the ones where no connection was made: the request never reached Graph. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const ABORTS = new Set(['AbortError', 'TimeoutError']);

/**
 * No HTTP answer from Graph. `code`: the system error of the connection (ECONNREFUSED, a TLS certificate error...) or
 * AbortError/TimeoutError. `network`: a failure that waiting can mend (not, for instance, an untrusted certificate).
 */
export class GraphTransportError extends GraphClientError {
  readonly network: boolean;
  /** The request certainly did not reach Graph. */
  readonly notSent: boolean;
  constructor(readonly code: string) {
    super(`no answer from Microsoft Graph (${code})`);
    Object.setPrototypeOf(this, GraphTransportError.prototype);
    this.name = 'GraphTransportError';
    this.network = NETWORK_CODES.has(code) || ABORTS.has(code);
    this.notSent = NOT_SENT_CODES.has(code);
  }
}

// By shape, not instanceof: fetch's errors come from Node's own realm (under jest, not the test's Error classes).
interface ErrorLike { name: string; message: string; cause?: unknown; code?: unknown }
const isErrorLike = (e: unknown): e is ErrorLike =>
  typeof e === 'object' && e !== null && typeof (e as Partial<ErrorLike>).name === 'string' && typeof (e as Partial<ErrorLike>).message === 'string';

/** An abort (a deadline, a shutdown) that came before or during a call. */
export const isAbort = (err: unknown): err is ErrorLike => isErrorLike(err) && ABORTS.has(err.name);

/** fetch (undici) fails with TypeError('fetch failed') and the system error as its cause; an abort with the signal's reason. */
function transportErrorOf(err: unknown): GraphTransportError | undefined {
  if (isAbort(err)) return new GraphTransportError(err.name);
  if (!isErrorLike(err) || err.name !== 'TypeError' || err.message !== 'fetch failed') return undefined;
  const code = isErrorLike(err.cause) && typeof err.cause.code === 'string' ? err.cause.code : undefined;
  return code === undefined ? undefined : new GraphTransportError(code);
}

/** Around the request itself: a failed connection keeps its cause (as a GraphTransportError) for the caller to classify. */
class Transport implements Middleware {
  private next: Middleware | undefined;
  setNext(next: Middleware): void { this.next = next; }
  async execute(context: Context): Promise<void> {
    try {
      await this.next?.execute(context);
    } catch (err) {
      throw transportErrorOf(err) ?? err;
    }
  }
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
/** Waiting does not mend these OAuth errors. */
const SIGN_IN_REFUSED = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant', 'invalid_request', 'invalid_scope', 'invalid_resource']);

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
  async use<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    if (this.held >= this.limit) await this.handedOver(signal);
    else this.held++;
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next(); else this.held--;
    }
  }

  /** Waits until a holder hands its slot over; an abort leaves the queue (so no slot goes to a caller who left). */
  private handedOver(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        const at = this.queue.indexOf(take);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal?.reason);
      };
      const take = () => { signal?.removeEventListener('abort', leave); resolve(); };
      this.queue.push(take);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }
}

/** Graph's Retry-After in milliseconds. */
export const retryAfterMs = (headers: Headers | undefined): number | undefined => retryAfterHeaderMs(headers?.get('retry-after'));

function credentialOf(c: GraphConfig): TokenCredential {
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

export class GraphSession {
  readonly tenantId: string;
  readonly baseUrl: string;
  private readonly credential: TokenCredential;
  private readonly client: Client;
  private readonly slots: Slots;

  constructor(config: GraphConfig, readonly log: Logger) {
    this.tenantId = config.tenantId;
    this.baseUrl = config.baseUrl;
    this.credential = credentialOf(config);
    this.slots = new Slots(config.maxConcurrency);
    // The token, telemetry and the request itself (its network errors kept); no RetryHandler (the outbox retries) and no redirects.
    const auth = new BearerToken(() => this.token());
    const telemetry = new TelemetryHandler();
    const transport = new Transport();
    auth.setNext(telemetry);
    telemetry.setNext(transport);
    transport.setNext(new HTTPMessageHandler());
    this.client = Client.initWithMiddleware({ middleware: auth, baseUrl: `${new URL(config.baseUrl).origin}/`, defaultVersion: 'v1.0' });
  }

  private async token(signal?: AbortSignal): Promise<string> {
    try {
      const token = await this.credential.getToken(GRAPH_SCOPE, { abortSignal: signal });
      if (!token) throw new GraphSignInError(true);
      return token.token;
    } catch (err) {
      if (err instanceof GraphSignInError) throw err;
      // The caller gave up (a deadline): no word about Entra.
      if (signal?.aborted) throw signal.reason;
      // @azure/identity passes on MSAL's OAuth error code at the start of the message (no secret in it).
      const code = /^([a-z_]+):/.exec(err instanceof Error ? err.message : '')?.[1] ?? 'unknown';
      const permanent = SIGN_IN_REFUSED.has(code);
      this.log.warn({ oauthError: code, retryable: !permanent }, 'no Microsoft Graph token');
      throw new GraphSignInError(permanent);
    }
  }

  /**
   * One Graph call: a slot, the token first (a GraphSignInError when there is none; later reads hit the cache), then
   * the request, whose GraphError (or network error) is the caller's to classify. `signal` ends the wait for a slot
   * too (with its reason), so a caller with a deadline is not kept in the queue behind slow calls.
   */
  call<T>(signal: AbortSignal | undefined, request: (client: Client) => Promise<T>): Promise<T> {
    return this.slots.use(signal, async () => {
      signal?.throwIfAborted();
      await this.token(signal);
      return request(this.client);
    });
  }
}
