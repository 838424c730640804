// A loopback Bot Connector for the benchmark: it answers the bot's replies (200 with an id) and roster reads, and
// keeps only what the load generator still has to check. The test stub (test/support/connectorStub.ts) records every
// activity forever, which would grow without bound over a run of tens of thousands of requests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RosterMember { id: string; name: string; aadObjectId: string }

export interface BenchConnector {
  url: string;
  /**
   * Takes (and forgets) the bodies of the replies the bot sent to one activity. Typing indicators are left out:
   * teams-ai 1.7.4 sends one when a turn has run for 1 s, whatever its startTypingTimer option says.
   */
  takeReplies(activityId: string): string[];
  close(): Promise<void>;
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

export async function startConnector(rosters: ReadonlyMap<string, readonly RosterMember[]>): Promise<BenchConnector> {
  const replies = new Map<string, string[]>();
  let counter = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://connector');
      // /v3/conversations/{id}/activities[/{replyToId}] | /v3/conversations/{id}/pagedmembers
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (parts[0] !== 'v3' || parts[1] !== 'conversations' || parts.length < 4) return answer(res, 404, { error: 'unknown route' });
      if (req.method === 'GET' && parts[3] === 'pagedmembers') {
        const members = rosters.get(parts[2]) ?? [];
        return answer(res, 200, { members: members.map((m) => ({ ...m, userPrincipalName: `${m.id}@example.org` })) });
      }
      if ((req.method === 'POST' || req.method === 'PUT') && parts[3] === 'activities') {
        const replyTo = parts[4];
        const body = Buffer.concat(chunks).toString('utf8');
        if (req.method === 'POST' && replyTo !== undefined && !body.includes('"type":"typing"')) {
          const list = replies.get(replyTo);
          if (list) list.push(body); else replies.set(replyTo, [body]);
        }
        return answer(res, 200, { id: req.method === 'PUT' ? replyTo : `activity-${++counter}` });
      }
      return answer(res, 404, { error: 'unknown route' });
    });
  });
  // The bot keeps its connections to us open; so should we (Node's default of 5 s is fine between requests).
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    takeReplies(activityId) {
      const list = replies.get(activityId) ?? [];
      replies.delete(activityId);
      return list;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
