// Subjects and their links. A subject belongs to one scope; the same match key in that scope is the same subject.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { displayNameOf, matchKeyOf, type SubjectInput } from '../domain/subjects.js';

type Db = PrismaClient | Prisma.TransactionClient;

const asDate = (d: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);

function columns(s: SubjectInput) {
  switch (s.kind) {
    case 'person': return { name: s.name, birthDate: asDate(s.birthDate), bsn: s.bsn };
    case 'company': return { name: s.name, kvk: s.kvk };
    case 'address': return { street: s.street, houseNumber: s.houseNumber, postcode: s.postcode, place: s.place, bagId: s.bagId };
  }
}

/** Finds or creates each subject in the scope and links it to the record. Returns the subject ids. */
export async function linkSubjects(tx: Prisma.TransactionClient, scopeId: string, subjects: readonly SubjectInput[], record: { signalId: string } | { caseId: string }): Promise<string[]> {
  const ids: string[] = [];
  for (const s of subjects) {
    const matchKey = matchKeyOf(s);
    const subject = await tx.subject.upsert({
      where: { scopeId_kind_matchKey: { scopeId, kind: s.kind, matchKey } },
      create: { scopeId, kind: s.kind, matchKey, displayName: displayNameOf(s), ...columns(s) },
      update: {},
    });
    if (ids.includes(subject.id)) continue;
    ids.push(subject.id);
    const where = 'signalId' in record ? { subjectId_signalId: { subjectId: subject.id, signalId: record.signalId } } : { subjectId_caseId: { subjectId: subject.id, caseId: record.caseId } };
    await tx.subjectLink.upsert({ where, create: { subjectId: subject.id, ...record }, update: {} });
  }
  return ids;
}

export async function subjectsOf(db: Db, record: { signalId: string } | { caseId: string }) {
  const links = await db.subjectLink.findMany({ where: record, include: { subject: true }, orderBy: { createdAt: 'asc' } });
  return links.map((l) => l.subject);
}

/** Other signals and cases that share a subject, within what the caller may see. */
export async function relatedRecords(db: Db, subjectIds: readonly string[], exclude: { signalId?: string; caseId?: string },
  signalsVisible: Prisma.SignalWhereInput, casesVisible: Prisma.CaseWhereInput): Promise<{ signals: string[]; cases: string[] }> {
  if (subjectIds.length === 0) return { signals: [], cases: [] };
  const linked = { subjects: { some: { subjectId: { in: [...subjectIds] } } } };
  const [signals, cases] = await Promise.all([
    db.signal.findMany({ where: { AND: [signalsVisible, linked, exclude.signalId ? { id: { not: exclude.signalId } } : {}] }, select: { reference: true }, orderBy: [{ createdAt: 'asc' }, { reference: 'asc' }], take: 20 }),
    db.case.findMany({ where: { AND: [casesVisible, linked, exclude.caseId ? { id: { not: exclude.caseId } } : {}] }, select: { reference: true }, orderBy: [{ createdAt: 'asc' }, { reference: 'asc' }], take: 20 }),
  ]);
  return { signals: signals.map((s) => s.reference), cases: cases.map((c) => c.reference) };
}
