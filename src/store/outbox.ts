// The outbox table: jobs written in the transaction of the change they follow from, claimed by one process at a
// time under a lease. Every write after the claim names the lease holder, so a process whose lease expired (and
// whose job another process took over) changes nothing any more.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface ClaimedJob { id: string; kind: string; key: string; generation: number; attempts: number }

/** Arms the job for `key` (new, or again after it ran): it runs as soon as a worker is free. */
export async function enqueueJob(db: Db, kind: string, key: string, now: Date): Promise<void> {
  await db.outboxJob.upsert({
    where: { key },
    create: { kind, key, runAt: now },
    // A run in progress keeps its lease; its generation no longer matches, so it leaves the job pending.
    update: { status: 'pending', runAt: now, attempts: 0, lastError: null, generation: { increment: 1 } },
  });
}

/** Takes up to `limit` due jobs of these kinds for `workerId` until `leaseUntil`. Safe with several processes. */
export async function claimJobs(prisma: PrismaClient, kinds: readonly string[], workerId: string, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedJob[]> {
  if (limit <= 0 || kinds.length === 0) return [];
  return prisma.$queryRaw<ClaimedJob[]>`
    UPDATE "OutboxJob" SET "leaseUntil" = ${leaseUntil}, "leasedBy" = ${workerId}, "attempts" = "attempts" + 1, "updatedAt" = ${now}
    WHERE "id" IN (
      SELECT "id" FROM "OutboxJob"
      WHERE "status" = 'pending' AND "runAt" <= ${now} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now}) AND "kind" IN (${Prisma.join([...kinds])})
      ORDER BY "runAt", "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "kind", "key", "generation", "attempts"`;
}

const held = (job: ClaimedJob, workerId: string) => ({ id: job.id, leasedBy: workerId });

/**
 * Ends this worker's hold on the job with `data`, unless the job was re-armed meanwhile: then it is left pending and
 * due at once (a change deserves its own attempts, and what re-armed it may be what it waited for). True when `data`
 * was written.
 */
async function settle(prisma: PrismaClient, job: ClaimedJob, workerId: string, now: Date, data: Prisma.OutboxJobUpdateManyMutationInput): Promise<boolean> {
  const settled = await prisma.outboxJob.updateMany({ where: { ...held(job, workerId), generation: job.generation }, data: { ...data, leaseUntil: null, leasedBy: null } });
  if (settled.count === 0) await prisma.outboxJob.updateMany({ where: held(job, workerId), data: { leaseUntil: null, leasedBy: null, runAt: now } });
  return settled.count === 1;
}

/** Done, unless the job was re-armed meanwhile. */
export async function completeJob(prisma: PrismaClient, job: ClaimedJob, workerId: string, now: Date): Promise<void> {
  await settle(prisma, job, workerId, now, { status: 'done', lastError: null });
}

/** Tried again at `runAt`, or at once when it was re-armed meanwhile. */
export async function retryJobAt(prisma: PrismaClient, job: ClaimedJob, workerId: string, now: Date, runAt: Date, reason: string): Promise<void> {
  await settle(prisma, job, workerId, now, { runAt, lastError: reason });
}

/** Hands claimed jobs back unrun (the worker is stopping): free at once for any process, the claim not counted as an attempt. */
export async function releaseJobs(prisma: PrismaClient, jobs: readonly ClaimedJob[], workerId: string): Promise<void> {
  if (jobs.length === 0) return;
  await prisma.outboxJob.updateMany({ where: { id: { in: jobs.map((j) => j.id) }, leasedBy: workerId },
    data: { leaseUntil: null, leasedBy: null, attempts: { decrement: 1 } } });
}

/** Still this worker's job, in the generation it claimed (not re-armed meanwhile, lease not taken over). */
export async function holdsJob(prisma: PrismaClient, job: ClaimedJob, workerId: string): Promise<boolean> {
  return (await prisma.outboxJob.count({ where: { ...held(job, workerId), generation: job.generation, status: 'pending' } })) === 1;
}

/** Given up, unless it was re-armed meanwhile. */
export async function failJob(prisma: PrismaClient, job: ClaimedJob, workerId: string, now: Date, reason: string): Promise<boolean> {
  return settle(prisma, job, workerId, now, { status: 'failed', lastError: reason });
}
