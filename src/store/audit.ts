import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

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

export async function recordAudit(db: Db, e: AuditRecord): Promise<void> {
  await db.auditEvent.create({
    data: {
      tenantId: e.tenantId, actorAadId: e.actorAadId, scopeId: e.scopeId, action: e.action,
      recordType: e.recordType, recordId: e.recordId, result: e.result, correlationId: e.correlationId,
      details: e.details === undefined ? undefined : (e.details as Prisma.InputJsonValue),
    },
  });
}
