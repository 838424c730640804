// Signal rows. Every read takes a visibility clause built from the caller's grants; there is no unscoped read.
import { isUuid } from '../domain/identifiers.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

type Db = PrismaClient | Prisma.TransactionClient;

export type NewSignalRow = Omit<Prisma.SignalUncheckedCreateInput, 'observedOn' | 'dueOn' | 'status'> & { id: string; observedOn: string; dueOn: string };

const withScopeAndCase = { scope: { select: { name: true } }, case: { select: { reference: true } } } as const;
export type SignalRow = Prisma.SignalGetPayload<{ include: typeof withScopeAndCase }>;

const asDate = (d: string) => new Date(`${d}T00:00:00Z`);

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
  return tx.signal.create({ data: { ...row, observedOn: asDate(row.observedOn), dueOn: asDate(row.dueOn) }, include: withScopeAndCase });
}

export async function findSignal(db: Db, visible: Prisma.SignalWhereInput, by: { id: string } | { reference: string }): Promise<SignalRow | null> {
  if ('id' in by && !isUuid(by.id)) return null;
  return db.signal.findFirst({ where: { AND: [visible, by] }, include: withScopeAndCase });
}

export async function findSignals(db: Db, visible: Prisma.SignalWhereInput, ids: readonly string[]): Promise<SignalRow[]> {
  return db.signal.findMany({ where: { AND: [visible, { id: { in: ids.filter(isUuid) } }] }, include: withScopeAndCase, orderBy: [{ createdAt: 'asc' }, { reference: 'asc' }] });
}

export interface SignalFilter {
  statuses?: readonly string[];
  phenomenon?: string;
  assigneeAadId?: string | null;
  /** Reported by or assigned to this user. */
  involvedAadId?: string;
  /** Undecided and past its decision date. */
  overdueOn?: string;
}

export const UNDECIDED_STATUSES = ['nieuw', 'in_verrijking', 'klaar_voor_overleg'] as const;

function filterWhere(f: SignalFilter): Prisma.SignalWhereInput[] {
  const and: Prisma.SignalWhereInput[] = [];
  if (f.statuses) and.push({ status: { in: f.statuses as Prisma.EnumSignalStatusFilter['in'] } });
  if (f.phenomenon) and.push({ phenomenon: f.phenomenon });
  if (f.assigneeAadId !== undefined) and.push({ assigneeAadId: f.assigneeAadId });
  if (f.involvedAadId) and.push({ OR: [{ reporterAadId: f.involvedAadId }, { assigneeAadId: f.involvedAadId }] });
  if (f.overdueOn) and.push({ status: { in: [...UNDECIDED_STATUSES] }, dueOn: { lt: asDate(f.overdueOn) } });
  return and;
}

export async function listSignals(db: Db, visible: Prisma.SignalWhereInput, filter: SignalFilter, skip: number, take: number): Promise<{ rows: SignalRow[]; total: number }> {
  const where = { AND: [visible, ...filterWhere(filter)] };
  const [rows, total] = await Promise.all([
    db.signal.findMany({ where, include: withScopeAndCase, orderBy: [{ createdAt: 'desc' }, { reference: 'desc' }], skip, take }),
    db.signal.count({ where }),
  ]);
  return { rows, total };
}

/** Counts for the shared worklist: by status, phenomenon and assignee. */
export async function worklistCounts(db: Db, visible: Prisma.SignalWhereInput) {
  const open = { AND: [visible, { status: { in: [...UNDECIDED_STATUSES, 'besproken' as const] } }] };
  const [byStatus, byPhenomenon, byAssignee] = await Promise.all([
    db.signal.groupBy({ by: ['status'], where: { AND: [visible] }, _count: { _all: true } }),
    db.signal.groupBy({ by: ['phenomenon'], where: open, _count: { _all: true } }),
    db.signal.groupBy({ by: ['assigneeAadId', 'assigneeName'], where: open, _count: { _all: true } }),
  ]);
  return { byStatus, byPhenomenon, byAssignee };
}

/** Moves a signal only if it is still in the status the decision was made on (no lost updates). */
export async function changeSignalStatus(tx: Prisma.TransactionClient, id: string, from: string, data: Prisma.SignalUncheckedUpdateManyInput): Promise<boolean> {
  const r = await tx.signal.updateMany({ where: { id, status: from as Prisma.EnumSignalStatusFilter['equals'] }, data });
  return r.count === 1;
}

export async function assignSignal(tx: Prisma.TransactionClient, id: string, assignee: { aadObjectId: string; name: string } | null): Promise<void> {
  await tx.signal.update({ where: { id }, data: { assigneeAadId: assignee?.aadObjectId ?? null, assigneeName: assignee?.name ?? null } });
}

export async function recordStatusChange(tx: Prisma.TransactionClient, row: Prisma.StatusChangeUncheckedCreateInput): Promise<void> {
  await tx.statusChange.create({ data: row });
}
