// A loopback Bot Connector that speaks the v3 REST protocol: it records what the bot sends and answers
// roster look-ups (paged, to exercise continuation tokens).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedActivity {
  conversationId: string;
  replyToId: string | undefined;
  /** POST: a new message (with the id the connector gave it); PUT: an update of message replyToId. */
  method: 'POST' | 'PUT';
  id: string;
  activity: Record<string, unknown> & { type?: string; text?: string; attachments?: { contentType: string; content: unknown }[] };
}

export interface RosterMember { id: string; name: string; aadObjectId: string }

export interface ConnectorStub {
  url: string;
  sent: RecordedActivity[];
  /** Members per conversation id (a team id or a chat id). */
  rosters: Map<string, RosterMember[]>;
  rosterRequests: string[];
  /** Make every POST fail with this status (e.g. 500) until cleared. */
  failWith: number | undefined;
  /**
   * Decides a fault per POST or PUT (after it arrived, before it is recorded): a status, for 429 a Retry-After in
   * seconds, and the error code of the body (by default Throttled for 429, BotNotInConversationRoster for 403,
   * ServiceError otherwise).
   */
  fault: ((conversationId: string) => { status: number; retryAfterSeconds?: number; code?: string } | undefined) | undefined;
  /** Conversations whose POSTs are carried out (recorded as sent) but not answered until `release()`. */
  holding: Set<string>;
  release(): void;
  /** Every POST to an activities route as it arrived, with the status it was answered with. */
  attempts: { conversationId: string; at: number; status: number }[];
  /** Activities deleted (DELETE …/activities/{id}). */
  deleted: { conversationId: string; activityId: string }[];
  clear(): void;
  close(): Promise<void>;
}

const PAGE_SIZE = 2;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  // No chaining: restify patches writeHead process-wide and its version returns undefined.
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

export async function startConnectorStub(): Promise<ConnectorStub> {
  let counter = 0;
  const held: (() => void)[] = [];
  const stub: Omit<ConnectorStub, 'url' | 'close'> = {
    sent: [], rosters: new Map(), rosterRequests: [], failWith: undefined, fault: undefined, attempts: [], deleted: [], holding: new Set<string>(),
    release() { for (const answer of held.splice(0)) answer(); },
    clear() { this.sent.length = 0; this.rosterRequests.length = 0; this.attempts.length = 0; this.deleted.length = 0; },
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      // v3 conversations {id} activities [replyToId] | pagedmembers
      if (parts[0] !== 'v3' || parts[1] !== 'conversations' || parts.length < 4) return json(res, 404, { error: 'unknown route' });
      const conversationId = parts[2];
      if (req.method === 'GET' && parts[3] === 'pagedmembers') {
        stub.rosterRequests.push(conversationId);
        const members = stub.rosters.get(conversationId) ?? [];
        const start = Number(url.searchParams.get('continuationToken') ?? '0');
        const page = members.slice(start, start + PAGE_SIZE);
        const next = start + PAGE_SIZE < members.length ? String(start + PAGE_SIZE) : undefined;
        return json(res, 200, { members: page.map((m) => ({ ...m, userPrincipalName: `${m.id}@example.org` })), continuationToken: next });
      }
      if (req.method === 'DELETE' && parts[3] === 'activities' && parts[4]) {
        stub.deleted.push({ conversationId, activityId: parts[4] });
        res.statusCode = 200;
        res.end();
        return undefined;
      }
      if ((req.method === 'POST' || req.method === 'PUT') && parts[3] === 'activities') {
        const at = Date.now();
        const body = await readBody(req);
        const fault = stub.fault?.(conversationId) ?? (stub.failWith !== undefined ? { status: stub.failWith } : undefined);
        if (req.method === 'POST') stub.attempts.push({ conversationId, at, status: fault?.status ?? 200 });
        if (fault) {
          if (fault.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(fault.retryAfterSeconds));
          const code = fault.code ?? (fault.status === 429 ? 'Throttled' : fault.status === 403 ? 'BotNotInConversationRoster' : 'ServiceError');
          return json(res, fault.status, { error: { code, message: 'stub failure' } });
        }
        const method = req.method === 'PUT' ? 'PUT' : 'POST';
        const id = method === 'PUT' ? parts[4] : `activity-${++counter}`;
        stub.sent.push({ conversationId, replyToId: parts[4], method, id, activity: JSON.parse(body) as RecordedActivity['activity'] });
        if (stub.holding.has(conversationId)) held.push(() => json(res, 200, { id }));
        else json(res, 200, { id });
        return undefined;
      }
      return json(res, 404, { error: 'unknown route' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(stub, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { stub.release(); server.closeAllConnections(); server.close(() => resolve()); }),
  }) as ConnectorStub;
}
