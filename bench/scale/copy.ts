// Bulk loading through COPY ... FROM STDIN (text format) on a plain `pg` client: pg has the protocol messages but
// no COPY API of its own, so a small Submittable drives it (the extension point pg-copy-streams uses too).
import type { Client, Connection, Submittable } from 'pg';

/** The connection methods pg has but its typings leave out. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

class CopyIn implements Submittable {
  private failed: Error | undefined;

  constructor(private readonly text: string, private readonly chunks: readonly Buffer[], private readonly done: (err?: Error) => void) {}

  submit(connection: Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: Connection): void {
    const c = connection as unknown as CopyConnection;
    for (const chunk of this.chunks) c.sendCopyFromChunk(chunk);
    c.endCopyFrom();
  }

  handleCommandComplete(): void {
    // The row count is not needed.
  }

  handleReadyForQuery(): void {
    this.done(this.failed);
  }

  handleError(err: Error): void {
    this.failed = err;
    // pg clears the active query on an error message; readyForQuery then has nobody to tell.
    this.done(err);
  }
}

/** One COPY statement with these chunks of text-format rows (see `line`). */
export function copyChunks(client: Client, table: string, columns: readonly string[], chunks: readonly Buffer[]): Promise<void> {
  const text = `COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`;
  return new Promise((resolve, reject) => {
    let settled = false;
    const query = new CopyIn(text, chunks, (err) => {
      if (settled) return;
      settled = true;
      if (err) reject(err); else resolve();
    });
    client.query(query);
  });
}

/** One COPY statement: the rows as lines of the text format (small tables). */
export function copyRows(client: Client, table: string, columns: readonly string[], lines: readonly string[]): Promise<void> {
  return copyChunks(client, table, columns, [Buffer.from(lines.join(''), 'utf8')]);
}

export type Cell = string | number | boolean | null | undefined | Date | readonly string[];

const SPECIAL = /[\\\t\n\r]/;

function escapeText(s: string): string {
  return SPECIAL.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** An array literal for a text[] column (elements quoted; our elements never hold quotes or backslashes). */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((i) => `"${i.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/** One row in COPY's text format: tab-separated, \N for null, newline-terminated. */
export function line(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (i > 0) out += '\t';
    if (v === null || v === undefined) out += '\\N';
    else if (typeof v === 'string') out += escapeText(v);
    else if (typeof v === 'number') out += String(v);
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else if (v instanceof Date) out += v.toISOString();
    else out += escapeText(arrayLiteral(v));
  }
  return `${out}\n`;
}

const CHUNK_BYTES = 1 << 20;

/** Statements on one client, one after the other (several tables' writers share a client; pg wants one query at a time). */
export class Serial {
  private tail: Promise<void> = Promise.resolve();
  constructor(readonly client: Client) {}
  run(work: (client: Client) => Promise<void>): Promise<void> {
    const next = this.tail.then(() => work(this.client));
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * Rows of one table, flushed by COPY once `batchRows` have gathered. Rows go straight into 1 MB buffers (no arrays of
 * strings to collect). A flush is awaited before the next one starts (one statement at a time per client), while the
 * caller goes on generating.
 */
export class TableWriter {
  private chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private batch = 0;
  private pending: Promise<void> = Promise.resolve();
  rows = 0;

  constructor(private readonly serial: Serial, readonly table: string, private readonly columns: readonly string[], private readonly batchRows = 20_000) {}

  add(cells: readonly Cell[]): Promise<void> | undefined {
    const text = line(cells);
    // UTF-16 length x 3 bounds the UTF-8 length.
    if (this.used + text.length * 3 > CHUNK_BYTES) this.rotate();
    this.used += this.buf.write(text, this.used, 'utf8');
    this.rows++;
    this.batch++;
    return this.batch >= this.batchRows ? this.flush() : undefined;
  }

  private rotate(): void {
    if (this.used === 0) return;
    this.chunks.push(this.buf.subarray(0, this.used));
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }

  /** Sends what has gathered; resolves when the previous flush is done (so at most one batch waits in memory). */
  flush(): Promise<void> {
    this.rotate();
    const chunks = this.chunks;
    this.chunks = [];
    this.batch = 0;
    const previous = this.pending;
    this.pending = previous.then(() => (chunks.length === 0 ? undefined : this.serial.run((c) => copyChunks(c, this.table, this.columns, chunks))));
    return previous;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.pending;
  }
}
