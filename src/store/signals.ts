// Signal rows. Every read takes the scope ids the caller may see; there is no unscoped read.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface NewSignalRow {
  id: string;
  scopeId: string;
  municipalityId: string;
  reference: string;
  phenomenon: string;
  description: string;
  location: string;
  observedOn: string;
  reporterAadId: string;
  reporterName: string;
}

const signalWithScope = { scope: { select: { name: true } } } as const;
export type SignalRow = Prisma.SignalGetPayload<{ include: typeof signalWithScope }>;

/**
 * The next number for (municipality, kind, year), taken inside the caller's transaction: the row lock
 * serialises concurrent writers and a rollback gives the number back, so references have no gaps.
 */
export async function takeNextNumber(tx: Prisma.TransactionClient, municipalityId: string, kind: string, year: number): Promise<number> {
  const rows = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO "ReferenceCounter" ("municipalityId", "kind", "year", "last")
    VALUES (${municipalityId}::uuid, ${kind}, ${year}, 1)
    ON CONFLICT ("municipalityId", "kind", "year") DO UPDATE SET "last" = "ReferenceCounter"."last" + 1
    RETURNING "last"`;
  return Number(rows[0].last);
}

export async function insertSignal(tx: Prisma.TransactionClient, row: NewSignalRow): Promise<SignalRow> {
  return tx.signal.create({
    data: { ...row, observedOn: new Date(`${row.observedOn}T00:00:00Z`) },
    include: signalWithScope,
  });
}

export async function findSignalByReference(db: Db, scopeIds: readonly string[], reference: string): Promise<SignalRow | null> {
  if (scopeIds.length === 0) return null;
  return db.signal.findFirst({ where: { reference, scopeId: { in: [...scopeIds] } }, include: signalWithScope });
}

export async function findSignalById(db: Db, scopeIds: readonly string[], id: string): Promise<SignalRow | null> {
  if (scopeIds.length === 0) return null;
  return db.signal.findFirst({ where: { id, scopeId: { in: [...scopeIds] } }, include: signalWithScope });
}

export async function listSignals(db: Db, scopeIds: readonly string[], take: number): Promise<{ rows: SignalRow[]; total: number }> {
  if (scopeIds.length === 0) return { rows: [], total: 0 };
  const where = { scopeId: { in: [...scopeIds] } };
  const [rows, total] = await Promise.all([
    db.signal.findMany({ where, include: signalWithScope, orderBy: { createdAt: 'desc' }, take }),
    db.signal.count({ where }),
  ]);
  return { rows, total };
}
