import fc from 'fast-check';
import { Pacer, SLACK, type PacingLimits } from '../../src/jobs/pacer';

// The pacer runs on jest's fake timers: the clock it is given reads the faked Date.now(), and its setTimeout waits
// are run by advancing the fake clock. Every resolve time is recorded in simulated milliseconds since the start.

const TEAMS: PacingLimits = { perConversationPerSecond: 7, perConversationPer30s: 60, perTenantPerSecond: 30 };
// The implementation widens each window by SLACK and wakes 1 ms after the oldest send leaves it: a full 1-second
// window opens again 1000 × SLACK + 1 ms after it filled.
const REOPEN_1S = 1000 * SLACK + 1;
const REOPEN_30S = 30_000 * SLACK + 1;
const WIDE_1S = 1000 * SLACK;

type Call = readonly [tenantId: string, conversationId: string];

/** Issues all calls at once (in order), runs the fake clock until all resolved; resolve times and resolve order. */
async function run(pacer: Pacer, calls: readonly Call[]) {
  const start = Date.now();
  const times: number[] = new Array<number>(calls.length);
  const order: number[] = [];
  const all = Promise.all(calls.map(([tenant, conversation], i) => pacer.wait(tenant, conversation).then(() => {
    times[i] = Date.now() - start;
    order.push(i);
  })));
  await jest.runAllTimersAsync();
  await all;
  return { times, order };
}

/** The most resolve times in any closed window [t, t + width] (a window that starts at a send is the worst). */
function maxInWindow(times: readonly number[], width: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j] <= sorted[i] + width) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

const counts = (times: readonly number[]) => {
  const m = new Map<number, number>();
  for (const t of times) m.set(t, (m.get(t) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
};

beforeEach(() => {
  jest.useFakeTimers({ now: Date.UTC(2026, 10, 30, 9, 0, 0) });
});
afterEach(() => {
  jest.useRealTimers();
});

const newPacer = (limits: PacingLimits = TEAMS) => new Pacer(limits, () => Date.now());

describe('Pacer: per tenant', () => {
  it('(a) a burst of 100 waits for one tenant over 100 conversations: never more than 30 in any 1000 ms', async () => {
    const calls = Array.from({ length: 100 }, (_, i) => ['t1', `conv-${i}`] as const);
    const { times } = await run(newPacer(), calls);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(30);
    // Also within the widened window the pacer itself keeps (1050 ms).
    expect(maxInWindow(times, WIDE_1S)).toBeLessThanOrEqual(30);
    // Measured: batches of 30 each time the window reopens.
    expect(counts(times)).toEqual([[0, 30], [REOPEN_1S, 30], [2 * REOPEN_1S, 30], [3 * REOPEN_1S, 10]]);
  });

  it('(a) same burst over 20 conversations (5 each: the conversation limits never bind)', async () => {
    const calls = Array.from({ length: 100 }, (_, i) => ['t1', `conv-${i % 20}`] as const);
    const { times } = await run(newPacer(), calls);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(30);
    expect(Math.max(...times)).toBe(3 * REOPEN_1S);
  });

  it('throughput is not needlessly low: 60 sends over many conversations at 30/s finish within ~2.2 s', async () => {
    const calls = Array.from({ length: 60 }, (_, i) => ['t1', `conv-${i}`] as const);
    const { times } = await run(newPacer(), calls);
    expect(Math.max(...times)).toBeLessThanOrEqual(2200);
    // Measured: the first 30 go at once, the other 30 as soon as the (widened) window allows.
    expect(counts(times)).toEqual([[0, 30], [REOPEN_1S, 30]]);
  });

  it('a tenant limit of 1 spaces the sends a widened second apart', async () => {
    const calls = Array.from({ length: 5 }, (_, i) => ['t1', `conv-${i}`] as const);
    const { times } = await run(newPacer({ ...TEAMS, perTenantPerSecond: 1 }), calls);
    expect(times).toEqual([0, 1, 2, 3, 4].map((k) => k * REOPEN_1S));
  });

  it('the window slides: sends booked over time free up one at a time, not per fixed second', async () => {
    const pacer = newPacer({ ...TEAMS, perTenantPerSecond: 3 });
    const start = Date.now();
    const at: number[] = [];
    const book = (conversation: string) => pacer.wait('t1', conversation).then(() => { at.push(Date.now() - start); });
    await book('a');
    await jest.advanceTimersByTimeAsync(400);
    await book('b');
    await jest.advanceTimersByTimeAsync(400);
    await book('c');
    // The window now holds sends at 0, 400 and 800; the next one may go when the one at 0 leaves it.
    const next = book('d');
    await jest.runAllTimersAsync();
    await next;
    expect(at).toEqual([0, 400, 800, REOPEN_1S]);
    const after = book('e'); // the send at 400 leaves at 1451
    await jest.runAllTimersAsync();
    await after;
    expect(at[4]).toBe(400 + REOPEN_1S);
  });
});

describe('Pacer: per conversation', () => {
  it('(b) 130 waits on one conversation: ≤ 7 in any second and ≤ 60 in any 30 s', async () => {
    const calls = Array.from({ length: 130 }, () => ['t1', 'conv'] as const);
    const { times } = await run(newPacer(), calls);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(7);
    expect(maxInWindow(times, WIDE_1S)).toBeLessThanOrEqual(7);
    expect(maxInWindow(times, 30_000)).toBeLessThanOrEqual(60);
    expect(maxInWindow(times, 31_500)).toBeLessThanOrEqual(60);
    // Measured: 7 per reopened second until 60 are out (8 × 7 + 4, the last at 8 × 1051 ms), then the 61st waits
    // until the first leaves the widened 30-second window (31 500 ms + 1).
    const sorted = [...times].sort((a, b) => a - b);
    expect(counts(sorted.slice(0, 60))).toEqual([...Array.from({ length: 8 }, (_, k) => [k * REOPEN_1S, 7]), [8 * REOPEN_1S, 4]]);
    expect(sorted.slice(60, 67)).toEqual(Array(7).fill(REOPEN_30S));
  });

  it('(b) two conversations interleaved: each within its own 7 a second', async () => {
    // Two conversations interleaved, 10 each: each may send 7 a second, the tenant 30.
    const calls = Array.from({ length: 20 }, (_, i) => ['t1', i % 2 === 0 ? 'even' : 'odd'] as const);
    const { times } = await run(newPacer(), calls);
    const even = times.filter((_, i) => i % 2 === 0);
    const odd = times.filter((_, i) => i % 2 === 1);
    expect(maxInWindow(even, 1000)).toBeLessThanOrEqual(7);
    expect(maxInWindow(odd, 1000)).toBeLessThanOrEqual(7);
    // Measured: 7 + 7 at once, the other 6 when the windows reopen.
    expect(counts(times)).toEqual([[0, 14], [REOPEN_1S, 6]]);
  });
});

describe('Pacer: no head-of-line blocking', () => {
  it('(c) a conversation that must wait holds up no other: later calls with room go at once', async () => {
    const pacer = newPacer({ ...TEAMS, perConversationPerSecond: 2 });
    const calls: Call[] = [['t1', 'a'], ['t1', 'a'], ['t1', 'a'], ['t1', 'b'], ['t2', 'c']];
    const { times, order } = await run(pacer, calls);
    expect(times).toEqual([0, 0, REOPEN_1S, 0, 0]);
    expect(order).toEqual([0, 1, 3, 4, 2]);
  });

  it('(c) property: random calls (2 tenants, 4 conversations, small limits) stay within every limit', async () => {
    const limitsArb = fc.record({
      perConversationPerSecond: fc.integer({ min: 1, max: 4 }),
      perConversationPer30s: fc.integer({ min: 4, max: 12 }),
      perTenantPerSecond: fc.integer({ min: 1, max: 6 }),
    });
    const callArb = fc.tuple(fc.constantFrom('t1', 't2'), fc.constantFrom('c1', 'c2', 'c3', 'c4'));
    await fc.assert(fc.asyncProperty(limitsArb, fc.array(callArb, { minLength: 1, maxLength: 40 }), async (limits, raw) => {
      // A conversation belongs to one tenant: tag it with its tenant.
      const calls = raw.map(([tenant, conversation]) => [tenant, `${tenant}/${conversation}`] as const);
      const { times, order } = await run(newPacer(limits), calls);
      expect([...order].sort((x, y) => x - y)).toEqual(calls.map((_, i) => i));
      const of = (pred: (c: Call) => boolean) => times.filter((_, i) => pred(calls[i]));
      for (const tenant of ['t1', 't2']) expect(maxInWindow(of((c) => c[0] === tenant), 1000)).toBeLessThanOrEqual(limits.perTenantPerSecond);
      for (const conversation of new Set(calls.map((c) => c[1]))) {
        const mine = of((c) => c[1] === conversation);
        expect(maxInWindow(mine, 1000)).toBeLessThanOrEqual(limits.perConversationPerSecond);
        expect(maxInWindow(mine, 30_000)).toBeLessThanOrEqual(limits.perConversationPer30s);
      }
    }), { numRuns: 60 });
  });
});

describe('Pacer: tenants', () => {
  it('(d) a send of tenant B is not held up by tenant A\'s full window', async () => {
    const calls: Call[] = [...Array.from({ length: 31 }, (_, i) => ['A', `a-${i}`] as const), ['B', 'b-0']];
    const { times } = await run(newPacer(), calls);
    expect(times.slice(0, 30)).toEqual(Array(30).fill(0));
    expect(times[30]).toBe(REOPEN_1S); // A's 31st
    expect(times[31]).toBe(0); // B's first: its own window is empty
  });

  it('(d) and tenant B is not counted in tenant A\'s window', async () => {
    const calls: Call[] = [...Array.from({ length: 30 }, (_, i) => ['A', `a-${i}`] as const), ['B', 'b-0'], ['A', 'a-30']];
    const { times } = await run(newPacer(), calls);
    expect(times.slice(0, 31)).toEqual(Array(31).fill(0)); // 31 sends at once: 30 for A, 1 for B
    expect(times[31]).toBe(REOPEN_1S);
  });

  it('(d) two tenants with a burst each, interleaved: each within its own limit, and together twice one tenant\'s rate', async () => {
    const calls: Call[] = Array.from({ length: 120 }, (_, i): Call => (i % 2 === 0 ? ['A', `a-${i}`] : ['B', `b-${i}`]));
    const { times } = await run(newPacer(), calls);
    const a = times.filter((_, i) => i % 2 === 0);
    const b = times.filter((_, i) => i % 2 === 1);
    expect(maxInWindow(a, 1000)).toBeLessThanOrEqual(30);
    expect(maxInWindow(b, 1000)).toBeLessThanOrEqual(30);
    expect(counts(times)).toEqual([[0, 60], [REOPEN_1S, 60]]);
  });

  it('(d) one conversation at its 30-second limit holds up only itself', async () => {
    const calls: Call[] = [...Array.from({ length: 61 }, () => ['A', 'busy'] as const), ['B', 'quiet']];
    const { times } = await run(newPacer(), calls);
    expect(times[59]).toBe(8 * REOPEN_1S); // the 60th send to "busy"
    expect(times[60]).toBe(REOPEN_30S); // the 61st waits for the first to leave the widened 30 s window
    expect(times[61]).toBe(0); // tenant B's first send goes at once
  });
});

describe('an aborted wait', () => {
  it('rejects with the signal\'s reason and books nothing, so the next send is not held up by it', async () => {
    const pacer = new Pacer({ ...TEAMS, perConversationPerSecond: 1 });
    await pacer.wait('t', 'c');
    const controller = new AbortController();
    const waiting = pacer.wait('t', 'c', controller.signal);
    const outcome = waiting.then(() => 'sent', (err: unknown) => err);
    await jest.advanceTimersByTimeAsync(100);
    controller.abort(new Error('lease running out'));
    expect(await outcome).toEqual(new Error('lease running out'));
    // The window reopens as it would have without the aborted wait: one send, at its time.
    const { times } = await run(pacer, [['t', 'c']]);
    expect(times[0]).toBe(REOPEN_1S - 100);
  });

  it('does not start at all with a signal aborted before', async () => {
    const pacer = new Pacer(TEAMS);
    await expect(pacer.wait('t', 'c', AbortSignal.abort(new Error('stopping')))).rejects.toThrow('stopping');
  });
});
