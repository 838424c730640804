// Audit events: appended to their scope's hash chain inside the caller's transaction (or a transaction of their
// own), under the chain head's row lock so concurrent writers never fork a chain.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { auditChainOf, sealAudit, verifyAuditChain, type AuditBreak, type AuditContent } from '../domain/auditChain.js';
import { GENESIS_HASH } from '../domain/journal.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface AuditRecord {
  tenantId: string;
  actorAadId: string;
  scopeId: string | null;
  action: string;
  recordType?: string;
  recordId?: string;
  result: 'ok' | 'denied' | 'invalid' | 'duplicate';
  correlationId: string;
  /** Never personal data: counts, codes and ids only. */
  details?: Record<string, string | number | boolean | null | readonly string[]>;
}

async function appendChained(tx: Prisma.TransactionClient, e: AuditRecord): Promise<void> {
  const chain = auditChainOf(e.scopeId);
  await tx.$executeRaw`INSERT INTO "AuditChainHead" ("chain", "seq", "hash") VALUES (${chain}, 0, ${GENESIS_HASH}) ON CONFLICT ("chain") DO NOTHING`;
  const [head] = await tx.$queryRaw<{ seq: number; hash: string }[]>`SELECT "seq", "hash" FROM "AuditChainHead" WHERE "chain" = ${chain} FOR UPDATE`;
  const at = new Date();
  const content: AuditContent = {
    chain, seq: Number(head.seq) + 1, at: at.toISOString(), tenantId: e.tenantId, actorAadId: e.actorAadId, scopeId: e.scopeId, action: e.action,
    recordType: e.recordType ?? null, recordId: e.recordId ?? null, result: e.result, correlationId: e.correlationId, details: e.details ?? null,
    prevHash: head.hash,
  };
  const hash = sealAudit(content);
  await tx.auditEvent.create({
    data: {
      chain, seq: content.seq, prevHash: content.prevHash, hash, at, tenantId: e.tenantId, actorAadId: e.actorAadId, scopeId: e.scopeId, action: e.action,
      recordType: e.recordType, recordId: e.recordId, result: e.result, correlationId: e.correlationId,
      details: e.details === undefined ? undefined : (e.details as Prisma.InputJsonValue),
    },
  });
  await tx.auditChainHead.update({ where: { chain }, data: { seq: content.seq, hash } });
}

export async function recordAudit(db: Db, e: AuditRecord): Promise<void> {
  // A full client (only it can disconnect: Prisma denies that to a transaction client) opens a transaction of its
  // own; a transaction client is already inside one.
  if ('$disconnect' in db) await db.$transaction((tx) => appendChained(tx, e));
  else await appendChained(db, e);
}

export interface AuditVerification { chains: number; events: number; broken: { chain: string; break: AuditBreak }[] }

/** Walks every audit chain (events in stored order) and reports the first broken link of each. */
export async function verifyAuditChains(db: PrismaClient): Promise<AuditVerification> {
  const heads = await db.auditChainHead.findMany({ orderBy: { chain: 'asc' } });
  const report: AuditVerification = { chains: 0, events: 0, broken: [] };
  for (const head of heads) {
    const rows = await db.auditEvent.findMany({ where: { chain: head.chain }, orderBy: { id: 'asc' } });
    report.chains++;
    report.events += rows.length;
    const found = verifyAuditChain(rows.map((r) => ({
      chain: r.chain, seq: r.seq, at: r.at.toISOString(), tenantId: r.tenantId, actorAadId: r.actorAadId, scopeId: r.scopeId, action: r.action,
      recordType: r.recordType, recordId: r.recordId, result: r.result, correlationId: r.correlationId, details: r.details, prevHash: r.prevHash, hash: r.hash,
    })), { seq: head.seq, hash: head.hash });
    if (found) report.broken.push({ chain: head.chain, break: found });
  }
  return report;
}
