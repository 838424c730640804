import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface SubmissionKey { nonce: string; aadObjectId: string }

export async function findSubmission(db: Db, key: SubmissionKey) {
  return db.cardSubmission.findUnique({ where: { nonce_aadObjectId: key } });
}

export async function insertSubmission(tx: Prisma.TransactionClient, key: SubmissionKey, kind: string, scopeId: string, recordId: string): Promise<void> {
  await tx.cardSubmission.create({ data: { ...key, kind, scopeId, recordId } });
}
