// Case rows; reads always go through a visibility clause.
import { isUuid } from '../domain/identifiers.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

const withScopeAndSignals = {
  scope: { select: { name: true } },
  signals: { select: { id: true, reference: true }, orderBy: [{ createdAt: 'asc' as const }, { reference: 'asc' as const }] },
};
export type CaseRow = Prisma.CaseGetPayload<{ include: typeof withScopeAndSignals }>;

export async function insertCase(tx: Prisma.TransactionClient, row: Prisma.CaseUncheckedCreateInput): Promise<CaseRow> {
  return tx.case.create({ data: row, include: withScopeAndSignals });
}

export async function findCase(db: Db, visible: Prisma.CaseWhereInput, by: { id: string } | { reference: string }): Promise<CaseRow | null> {
  if ('id' in by && !isUuid(by.id)) return null;
  return db.case.findFirst({ where: { AND: [visible, by] }, include: withScopeAndSignals });
}

export async function updateCase(tx: Prisma.TransactionClient, id: string, data: Prisma.CaseUncheckedUpdateInput): Promise<CaseRow> {
  return tx.case.update({ where: { id }, data, include: withScopeAndSignals });
}

/** Moves a case only if it is still in the phase the decision was made on. */
export async function changeCasePhase(tx: Prisma.TransactionClient, id: string, from: string, data: Prisma.CaseUncheckedUpdateManyInput): Promise<boolean> {
  const r = await tx.case.updateMany({ where: { id, phase: from }, data });
  return r.count === 1;
}

export async function attachSignals(tx: Prisma.TransactionClient, caseId: string, signalIds: readonly string[]): Promise<void> {
  await tx.signal.updateMany({ where: { id: { in: [...signalIds] } }, data: { caseId } });
}

export async function listCases(db: Db, visible: Prisma.CaseWhereInput, open: boolean, skip: number, take: number): Promise<{ rows: CaseRow[]; total: number }> {
  const where = { AND: [visible, open ? { phase: { not: 'afgesloten' } } : {}] };
  const [rows, total] = await Promise.all([
    db.case.findMany({ where, include: withScopeAndSignals, orderBy: [{ createdAt: 'desc' }, { reference: 'desc' }], skip, take }),
    db.case.count({ where }),
  ]);
  return { rows, total };
}
