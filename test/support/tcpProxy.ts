// A loopback TCP proxy to put between the bot and its database server, to cut every connection at a chosen moment:
// after a number of bytes (counted both ways, so a cut can fall in the middle of a protocol message), after a delay,
// or at once. After a cut the proxy stays down (new connections are accepted and closed at once, as a server that
// went away) until heal().
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Bytes passed through since the proxy started (both directions). */
  readonly bytes: number;
  /** Cuts made so far (a cut that found no connection counts too). */
  readonly cuts: number;
  /** Connections accepted and passed through so far. */
  readonly connections: number;
  readonly down: boolean;
  /** Cuts every connection once `bytes` more bytes have passed: the chunk that crosses the mark is forwarded only up to it. */
  cutAfterBytes(bytes: number): void;
  /** Cuts every connection after `ms` (unless disarmed first). */
  cutAfterMs(ms: number): void;
  /** Cuts every connection now. */
  cutNow(): void;
  /** Forgets a cut armed and not made yet. */
  disarm(): void;
  /** Lets new connections through again. */
  heal(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let bytes = 0;
  let cuts = 0;
  let connections = 0;
  let down = false;
  let cutAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  const cut = () => {
    cutAt = undefined;
    if (timer) clearTimeout(timer);
    timer = undefined;
    down = true;
    cuts++;
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  /** Forwards a chunk, or the part of it before the armed mark (and then cuts). */
  const forward = (to: net.Socket, chunk: Buffer) => {
    if (down) return;
    if (cutAt !== undefined && bytes + chunk.length >= cutAt) {
      const part = chunk.subarray(0, Math.max(0, cutAt - bytes));
      bytes += part.length;
      if (part.length > 0) to.write(part);
      cut();
      return;
    }
    bytes += chunk.length;
    to.write(chunk);
  };

  const server = net.createServer((client) => {
    if (down) { client.destroy(); return; }
    connections++;
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => { client.destroy(); upstream.destroy(); });
      s.on('close', () => { sockets.delete(s); client.destroy(); upstream.destroy(); });
    }
    client.on('data', (chunk: Buffer) => forward(upstream, chunk));
    upstream.on('data', (chunk: Buffer) => forward(client, chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    get bytes() { return bytes; },
    get cuts() { return cuts; },
    get connections() { return connections; },
    get down() { return down; },
    cutAfterBytes(n) {
      if (n <= 0) { cut(); return; }
      cutAt = bytes + n;
    },
    cutAfterMs(ms) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(cut, ms);
    },
    cutNow: cut,
    disarm() {
      cutAt = undefined;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    heal() { down = false; },
    async close() {
      if (timer) clearTimeout(timer);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
