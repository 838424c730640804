// The outbox worker: claims due jobs under a lease, runs them at most `concurrency` at a time per kind, and retries with
// exponential backoff and jitter, never sooner than a service's Retry-After. A stopped (or killed) process leaves its
// leases to expire, after which any process takes the jobs over; handlers are idempotent, so a job cut off mid-call
// can run again safely.
import { randomUUID } from 'node:crypto';
import type { ServiceDeps } from '../services/context.js';
import { claimJobs, completeJob, failJob, holdsJob, releaseJobs, retryJobAt, type ClaimedJob } from '../store/outbox.js';

/** The longest one attempt may take; the lease (at least twice as long) covers it and the bookkeeping after. */
const CALL_TIMEOUT_MS = 30_000;

/** `version`: what the attempt worked on (a record's sequence, say); giveUp gets it, so a newer version keeps its own chances. */
export type JobResult = { kind: 'done' } | { kind: 'retry'; reason: string; retryAfterMs?: number; version?: number } | { kind: 'failed'; reason: string; version?: number };

export interface JobHandler {
  /** At most this many of this kind at a time in this process (default: the worker's concurrency). */
  concurrency?: number;
  run(key: string, signal: AbortSignal): Promise<JobResult>;
  /** After the last attempt, or a failure no retry can mend: record why, tell the people waiting for it. */
  giveUp(key: string, reason: string, version?: number): Promise<void>;
}

export interface OutboxOptions {
  concurrency: number;
  leaseMs: number;
  pollMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/** What the use cases see: run a job soon, and wait a little for its first attempt. */
export interface JobRunner {
  /** Starts the job's next attempt now and resolves when it finished in this process, or after `waitMs`. */
  runSoon(key: string, waitMs: number): Promise<void>;
}

/**
 * The delay before attempt `attempt + 1`. A service that said when (Retry-After) is taken at its word, plus up to 20 %
 * so the callers it told the same moment do not all return at once; otherwise exponential from the base, capped (the
 * cap before its ±20 % jitter).
 */
export function backoffMs(attempt: number, opts: Pick<OutboxOptions, 'backoffBaseMs' | 'backoffMaxMs'>, retryAfterMs = 0, random = Math.random): number {
  if (retryAfterMs > 0) return Math.round(retryAfterMs * (1 + 0.2 * random()));
  const exponential = Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

export class OutboxWorker implements JobRunner {
  private readonly workerId = randomUUID();
  private readonly inFlight = new Map<string, Set<Promise<void>>>();
  private readonly waiters = new Map<string, (() => void)[]>();
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  /** The poll in progress: stop() waits for it, so no job is launched after it returns. */
  private polling: Promise<void> | undefined;
  private pollAgain = false;

  private readonly handlers: Record<string, JobHandler> = {};

  constructor(private readonly deps: ServiceDeps, private readonly opts: OutboxOptions) {}

  /** Registers what runs the jobs of a kind (before start: jobs of a kind nobody handles stay in the table). */
  handle(kind: string, handler: JobHandler): this {
    this.handlers[kind] = handler;
    return this;
  }

  start(): void {
    // The id that the table's leasedBy names: which instance holds a job, when several share the database.
    this.deps.log.info({ workerId: this.workerId }, 'outbox worker started');
    this.schedule(0);
  }

  kick(): void {
    if (!this.shutdown.signal.aborted) this.schedule(0);
  }

  runSoon(key: string, waitMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      // Woken by the attempt's end in this process, or by the time limit; either way it leaves the list.
      const wake = () => {
        clearTimeout(timer);
        const others = (this.waiters.get(key) ?? []).filter((w) => w !== wake);
        if (others.length > 0) this.waiters.set(key, others); else this.waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      timer.unref();
      this.waiters.set(key, [...(this.waiters.get(key) ?? []), wake]);
      this.kick();
    });
  }

  /** Stops claiming and abandons what is running: like a crash, the leases expire and another process resumes. */
  async stop(): Promise<void> {
    this.shutdown.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    await Promise.allSettled([...this.inFlight.values()].flatMap((jobs) => [...jobs]));
    for (const wake of [...this.waiters.values()].flat()) wake();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
    this.timer.unref();
  }

  private poll(): Promise<void> {
    if (this.shutdown.signal.aborted) return Promise.resolve();
    if (this.polling) { this.pollAgain = true; return this.polling; }
    this.polling = this.claimAndRun().finally(() => {
      this.polling = undefined;
      if (!this.shutdown.signal.aborted) this.schedule(this.opts.pollMs);
    });
    return this.polling;
  }

  private async claimAndRun(): Promise<void> {
    try {
      do {
        this.pollAgain = false;
        for (const [kind, handler] of Object.entries(this.handlers)) {
          const running = this.inFlight.get(kind) ?? new Set<Promise<void>>();
          this.inFlight.set(kind, running);
          const now = this.deps.now();
          const jobs = await claimJobs(this.deps.prisma, [kind], this.workerId, (handler.concurrency ?? this.opts.concurrency) - running.size, now,
            new Date(now.getTime() + this.opts.leaseMs));
          if (this.shutdown.signal.aborted) {
            // Stopped while claiming: hand the jobs back rather than run them against a database that is closing.
            await releaseJobs(this.deps.prisma, jobs, this.workerId);
            return;
          }
          for (const job of jobs) {
            const run = this.runJob(job).finally(() => { running.delete(run); this.kick(); });
            running.add(run);
          }
        }
      } while (this.pollAgain && !this.shutdown.signal.aborted);
    } catch (err) {
      this.deps.log.error({ err }, 'outbox poll failed; trying again');
    }
  }

  private async runJob(job: ClaimedJob): Promise<void> {
    const handler = this.handlers[job.kind];
    // A call may not outlive its lease (then another process could be running the same job), nor hang for long.
    const signal = AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(Math.min(CALL_TIMEOUT_MS, this.opts.leaseMs / 2))]);
    let result: JobResult;
    try {
      result = await handler.run(job.key, signal);
    } catch (err) {
      if (this.shutdown.signal.aborted) return;
      this.deps.log.error({ err, job: job.kind, jobId: job.id }, 'outbox job failed unexpectedly; retried with backoff');
      result = { kind: 'retry', reason: 'internal' };
    }
    if (this.shutdown.signal.aborted) return;
    try {
      const now = this.deps.now();
      if (result.kind === 'retry' && job.attempts < this.opts.maxAttempts) {
        const delay = backoffMs(job.attempts, this.opts, result.retryAfterMs);
        await retryJobAt(this.deps.prisma, job, this.workerId, now, new Date(now.getTime() + delay), result.reason);
        this.deps.log.info({ job: job.kind, jobId: job.id, attempt: job.attempts, reason: result.reason, delayMs: delay }, 'outbox job retried later');
      } else if (result.kind === 'done') {
        await completeJob(this.deps.prisma, job, this.workerId, now);
      } else if (await holdsJob(this.deps.prisma, job, this.workerId)) {
        // What the job was for learns why first (giveUp is idempotent), then the job is marked failed: a giveUp that
        // throws leaves the job pending, so the failure is recorded at a later attempt rather than lost.
        try {
          await handler.giveUp(job.key, result.reason, result.version);
        } catch (err) {
          const delay = backoffMs(job.attempts, this.opts);
          await retryJobAt(this.deps.prisma, job, this.workerId, now, new Date(now.getTime() + delay), result.reason);
          this.deps.log.error({ err, job: job.kind, jobId: job.id, reason: result.reason, delayMs: delay }, 'outbox job could not be given up; it runs again later');
          return;
        }
        if (await failJob(this.deps.prisma, job, this.workerId, this.deps.now(), result.reason)) {
          this.deps.log.warn({ job: job.kind, jobId: job.id, attempts: job.attempts, reason: result.reason }, 'outbox job given up');
        }
      } else {
        // Re-armed meanwhile (a change deserves its own attempts) or taken over: not ours to give up.
        await failJob(this.deps.prisma, job, this.workerId, now, result.reason);
      }
    } catch (err) {
      this.deps.log.error({ err, job: job.kind, jobId: job.id }, 'outbox bookkeeping failed; the lease expires and the job runs again');
    } finally {
      for (const wake of this.waiters.get(job.key) ?? []) wake();
    }
  }
}
