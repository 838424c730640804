// The outbox worker against a real database: a giveUp that throws leaves the job to be given up again (the failure is
// not lost), and stop() waits for a poll in progress, handing back what it claimed instead of running it after stop.
import type { PrismaClient } from '../../src/generated/prisma/client';
import { OutboxWorker, type JobHandler, type OutboxOptions } from '../../src/jobs/outbox';
import { createLogger } from '../../src/logger';
import type { Database } from '../../src/store/db';
import { enqueueJob } from '../../src/store/outbox';
import { openTestDb } from '../support/testDb';
import { until as waitUntil } from '../support/wait';

let db: Database;
beforeAll(async () => { db = await openTestDb(); });
afterAll(async () => { await db.close(); });

const OPTS: OutboxOptions = { concurrency: 2, leaseMs: 10_000, pollMs: 20, maxAttempts: 1, backoffBaseMs: 50, backoffMaxMs: 100 };

function workerOn(prisma: PrismaClient, logs: string[], opts: Partial<OutboxOptions> = {}): OutboxWorker {
  const log = createLogger('debug', { write: (line: string) => { logs.push(line); } });
  return new OutboxWorker({ prisma, log, now: () => new Date() }, { ...OPTS, ...opts });
}

const until = (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => waitUntil(what, check, timeoutMs);

const messages = (logs: string[]) => logs.map((l) => (JSON.parse(l) as { msg: string }).msg);

describe('the outbox worker', () => {
  it('records a failure whose giveUp threw at a later attempt, and only then marks the job failed', async () => {
    const logs: string[] = [];
    let runs = 0;
    let giveUps = 0;
    const recorded: string[] = [];
    const handler: JobHandler = {
      run: async () => { runs++; return { kind: 'failed', reason: 'rejected' }; },
      giveUp: async (key, reason) => {
        giveUps++;
        if (giveUps === 1) throw new Error('the database went away for a moment');
        recorded.push(`${key}:${reason}`);
      },
    };
    const worker = workerOn(db.prisma, logs).handle('test.giveUp', handler);
    await enqueueJob(db.prisma, 'test.giveUp', 'give-up:1', new Date());
    worker.start();
    try {
      await until('the job is failed', async () => (await db.prisma.outboxJob.findUniqueOrThrow({ where: { key: 'give-up:1' } })).status === 'failed');
    } finally {
      await worker.stop();
    }
    expect(giveUps).toBe(2);
    expect(runs).toBe(2);
    expect(recorded).toEqual(['give-up:1:rejected']);
    expect(messages(logs)).toEqual(expect.arrayContaining(['outbox job could not be given up; it runs again later', 'outbox job given up']));
    expect(messages(logs).indexOf('outbox job could not be given up; it runs again later')).toBeLessThan(messages(logs).indexOf('outbox job given up'));
  });

  it('stop() waits for a poll that is claiming, hands the claimed job back, and runs nothing after it returns', async () => {
    // The claim (one raw query) is held until the test lets it go, so stop() comes while it is in progress.
    let entered: () => void = () => undefined;
    const claiming = new Promise<void>((resolve) => { entered = resolve; });
    let letGo: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => { letGo = resolve; });
    const real = db.prisma;
    const gated = new Proxy(real, {
      get(target, prop) {
        if (prop === '$queryRaw') {
          return async (query: TemplateStringsArray, ...values: unknown[]) => { entered(); await gate; return target.$queryRaw(query, ...values); };
        }
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
    let runs = 0;
    const handler: JobHandler = { run: async () => { runs++; return { kind: 'done' }; }, giveUp: async () => undefined };
    const worker = workerOn(gated, []).handle('test.stop', handler);
    await enqueueJob(real, 'test.stop', 'stop:1', new Date());
    worker.start();
    await claiming;
    let stopped = false;
    const stopping = worker.stop().then(() => { stopped = true; });
    await new Promise((r) => setTimeout(r, 50));
    // The poll is still claiming: stop() has not returned.
    expect(stopped).toBe(false);
    letGo();
    await stopping;
    await new Promise((r) => setTimeout(r, 100));
    expect(runs).toBe(0);
    // Handed back at once: no lease to wait out, and the claim was no attempt.
    expect(await real.outboxJob.findUniqueOrThrow({ where: { key: 'stop:1' } })).toMatchObject({ status: 'pending', leasedBy: null, leaseUntil: null, attempts: 0 });
  });
});
