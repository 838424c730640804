// restify: POST /api/messages, GET /healthz, GET /readyz. This file is the typed shim between restify and
// botbuilder: a 5xx body from the adapter (which carries exception text) never leaves the process.
import { randomUUID } from 'node:crypto';
import restify from 'restify';
import type { Activity, Request as BotRequest, Response as BotResponse } from 'botbuilder';
import type { Logger } from './logger.js';
import type { Bot } from './teams/app.js';

export interface ServerDeps {
  bot: Bot;
  log: Logger;
  ready(): Promise<boolean>;
  /** A one-time dossier export link: the PDF, or undefined when the link is unknown, used or expired. */
  /** A one-time download (a dossier PDF, an audit trail CSV); undefined when the link is unknown, used or expired. */
  downloadExport(token: string, correlationId: string): Promise<{ body: Buffer; contentType: string; filename: string } | undefined>;
  /** A meeting's current .ics invitation (a cancellation once cancelled); undefined for an unknown link. */
  meetingInvitation(token: string): Promise<{ ics: string; filename: string } | undefined>;
}

const MAX_BODY_BYTES = 512 * 1024;

/** Wraps restify's response so that 5xx answers carry only a generic body. */
function guardedResponse(res: restify.Response): BotResponse {
  let status = 200;
  return {
    socket: res.socket,
    header: (name: string, value: unknown) => { res.header(name, value); },
    status: (code: number) => { status = code; res.status(code); },
    // The Bot Framework answers with its exception's message; a caller learns the status, not why.
    send: (body?: unknown) => {
      if (status >= 500) res.send({ error: 'internal_error' });
      else if (status === 401 || status === 403) res.send({ error: 'unauthorized' });
      // Its 400s carry its own text too (a body that is no JSON object gets advice about middleware).
      else if (status >= 400) res.send({ error: 'bad_request' });
      else res.send(body);
    },
    end: () => { if (!res.headersSent) res.end(); },
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasId = (v: unknown) => isRecord(v) && typeof v.id === 'string' && v.id !== '';

/** The envelope the Bot Framework and teams-ai read without checking it (the Bot Connector always sends it so). */
function isActivityShaped(body: unknown): boolean {
  return isRecord(body) && typeof body.type === 'string' && body.type !== '' && hasId(body.conversation) && hasId(body.from)
    && (body.recipient === undefined || hasId(body.recipient))
    && (body.text === undefined || body.text === null || typeof body.text === 'string')
    && (body.entities === undefined || body.entities === null || Array.isArray(body.entities));
}

export function createServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'weerbaar', handleUncaughtExceptions: false });
  // Keep idle connections longer than the callers' pools do (load balancers commonly idle out at 60 s): a socket
  // we close while a client reuses it surfaces there as a reset request.
  server.server.keepAliveTimeout = 65_000;
  server.server.headersTimeout = 66_000;
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false }));

  // Parser and routing errors: a fixed body with the status code, never the parser's message.
  server.on('restifyError', (_req: restify.Request, _res: restify.Response, err: { statusCode?: number; toJSON?: () => unknown }, callback: () => void) => {
    const status = err.statusCode ?? 500;
    err.toJSON = () => ({ error: status >= 500 ? 'internal_error' : 'bad_request' });
    if (status >= 500) deps.log.error({ err }, 'request failed');
    return callback();
  });

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    try {
      const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      const body: unknown = req.body;
      if (typeof body === 'object' && body !== null && !await deps.bot.authenticate(body as Partial<Activity>, authorization)) {
        res.send(401, { error: 'unauthorized' });
        return;
      }
      // The Bot Framework throws at an activity without a type (a 500), and a missing conversation or sender, or a text
      // that is no string, fails the turn (an error line and an apology): the caller's mistake, answered as such.
      if (!isActivityShaped(body)) {
        res.send(400, { error: 'bad_request' });
        return;
      }
      await deps.bot.adapter.process(req as unknown as BotRequest, guardedResponse(res), (context) => deps.bot.app.run(context).then(() => undefined));
    } catch (err) {
      deps.log.error({ err }, 'adapter failed');
      if (!res.headersSent) res.send(500, { error: 'internal_error' });
    }
  });

  server.get('/exports/:token', async (req: restify.Request, res: restify.Response) => {
    const correlationId = randomUUID().slice(0, 8);
    try {
      const found = await deps.downloadExport(String(req.params.token ?? ''), correlationId);
      if (!found) {
        res.writeHead(410, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('Deze exportlink is verlopen of al gebruikt. Vraag in Teams een nieuwe export aan.\n');
        return;
      }
      res.writeHead(200, { 'content-type': found.contentType, 'content-disposition': `attachment; filename="${found.filename}"`,
        'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(found.body);
    } catch (err) {
      deps.log.error({ err, correlationId }, 'export failed');
      if (!res.headersSent) res.send(500, { error: 'internal_error', correlationId });
    }
  });

  server.get('/meetings/:file', async (req: restify.Request, res: restify.Response) => {
    const correlationId = randomUUID().slice(0, 8);
    try {
      const file = String(req.params.file ?? '');
      const found = file.endsWith('.ics') ? await deps.meetingInvitation(file.slice(0, -4)) : undefined;
      if (!found) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('Deze uitnodiging bestaat niet.\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8; method=REQUEST', 'content-disposition': `attachment; filename="${found.filename}"`,
        'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(found.ics);
    } catch (err) {
      deps.log.error({ err, correlationId }, 'invitation failed');
      if (!res.headersSent) res.send(500, { error: 'internal_error', correlationId });
    }
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const ok = await deps.ready().catch(() => false);
    res.send(ok ? 200 : 503, { status: ok ? 'ready' : 'not_ready' });
  });

  return server;
}

export function listen(server: restify.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      const address = server.address();
      resolve(address.port);
    });
  });
}

export function closeServer(server: restify.Server): Promise<void> {
  server.server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
