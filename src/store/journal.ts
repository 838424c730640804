// Journal rows. Appending locks the dossier's own row first, so concurrent writers to one dossier queue up and
// the chain never forks; the unique (dossier, sequence) key is the last guard.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { GENESIS_HASH, sealOf, type SealedContent, type StoredEntry } from '../domain/journal.js';

type Db = PrismaClient | Prisma.TransactionClient;

export type DossierRef = { signalId: string } | { caseId: string };

export const dossierName = (ref: DossierRef): string => ('signalId' in ref ? `signal:${ref.signalId}` : `case:${ref.caseId}`);

export type NewEntry = Omit<SealedContent, 'dossier' | 'sequence' | 'prevHash' | 'recordedAt'> & { recordedAt: Date };

export type JournalRow = Prisma.JournalEntryGetPayload<object>;

export async function appendEntry(tx: Prisma.TransactionClient, ref: DossierRef, scopeId: string, entry: NewEntry): Promise<JournalRow> {
  if ('signalId' in ref) await tx.$executeRaw`SELECT 1 FROM "Signal" WHERE "id" = ${ref.signalId}::uuid FOR UPDATE`;
  else await tx.$executeRaw`SELECT 1 FROM "Case" WHERE "id" = ${ref.caseId}::uuid FOR UPDATE`;
  const dossier = dossierName(ref);
  const last = await tx.journalEntry.findFirst({ where: { dossier }, orderBy: { sequence: 'desc' }, select: { sequence: true, hash: true } });
  const content: SealedContent = {
    ...entry, dossier, sequence: (last?.sequence ?? 0) + 1, prevHash: last?.hash ?? GENESIS_HASH, recordedAt: entry.recordedAt.toISOString(),
  };
  const hash = sealOf(content);
  if ('signalId' in ref) await tx.signal.update({ where: { id: ref.signalId }, data: { journalHead: hash, journalLength: content.sequence } });
  else await tx.case.update({ where: { id: ref.caseId }, data: { journalHead: hash, journalLength: content.sequence } });
  return tx.journalEntry.create({
    data: {
      ...('signalId' in ref ? { signalId: ref.signalId } : { caseId: ref.caseId }), scopeId, dossier, sequence: content.sequence, kind: content.kind,
      text: content.text, occurredAt: new Date(content.occurredAt), source: content.source, sourceReliability: content.sourceReliability,
      informationReliability: content.informationReliability, legalBasis: content.legalBasis, authorAadId: content.authorAadId,
      authorName: content.authorName, links: [...content.links], correctsSequence: content.correctsSequence, recordedAt: entry.recordedAt,
      prevHash: content.prevHash, hash,
    },
  });
}

/** A system entry (status change, decision, retention, an action item done), written inside the caller's transaction. */
export async function appendSystemEntry(tx: Prisma.TransactionClient, ref: DossierRef, scopeId: string, actor: { aadObjectId: string; name: string },
  at: Date, kind: 'statuswijziging' | 'besluit' | 'handeling', text: string): Promise<void> {
  await appendEntry(tx, ref, scopeId, {
    kind, text, occurredAt: at.toISOString(), source: null, sourceReliability: null, informationReliability: null, legalBasis: null,
    authorAadId: actor.aadObjectId, authorName: actor.name, links: [], correctsSequence: null, recordedAt: at,
  });
}

/** A page of a dossier's entries, newest first, and the total. */
export async function pageOfEntries(db: Db, ref: DossierRef, skip: number, take: number): Promise<{ rows: JournalRow[]; total: number }> {
  const where = { dossier: dossierName(ref) };
  const [rows, total] = await Promise.all([
    db.journalEntry.findMany({ where, orderBy: { sequence: 'desc' }, skip, take }),
    db.journalEntry.count({ where }),
  ]);
  return { rows, total };
}

export async function entriesBySequence(db: Db, ref: DossierRef, sequences: readonly number[]): Promise<JournalRow[]> {
  if (sequences.length === 0) return [];
  return db.journalEntry.findMany({ where: { dossier: dossierName(ref), sequence: { in: [...sequences] } } });
}

export async function allEntries(db: Db, ref: DossierRef): Promise<JournalRow[]> {
  return db.journalEntry.findMany({ where: { dossier: dossierName(ref) }, orderBy: { sequence: 'asc' } });
}

export function asStored(r: JournalRow): StoredEntry {
  return {
    dossier: r.dossier, sequence: r.sequence, kind: r.kind, text: r.text, occurredAt: r.occurredAt.toISOString(), source: r.source,
    sourceReliability: r.sourceReliability, informationReliability: r.informationReliability, legalBasis: r.legalBasis,
    authorAadId: r.authorAadId, authorName: r.authorName, links: r.links, correctsSequence: r.correctsSequence,
    recordedAt: r.recordedAt.toISOString(), prevHash: r.prevHash, hash: r.hash,
  };
}

export interface DossierWalk { dossier: string; reference: string; scopeId: string; head: string | null; length: number; anonymised: boolean; entries: StoredEntry[] }

/**
 * Every dossier's entries in stored order, one dossier at a time: the verifier's walk. Ordered by id, not by
 * sequence, so that rows swapped in place show up as a broken chain; the dossier's head and length come along.
 */
export async function* dossiers(db: PrismaClient, scopeIds?: readonly string[]): AsyncGenerator<DossierWalk> {
  const scoped = scopeIds ? { scopeId: { in: [...scopeIds] } } : {};
  const signals = await db.signal.findMany({ where: scoped, select: { id: true, reference: true, scopeId: true, journalHead: true, journalLength: true, anonymisedAt: true }, orderBy: [{ createdAt: 'asc' }, { reference: 'asc' }] });
  const cases = await db.case.findMany({ where: scoped, select: { id: true, reference: true, scopeId: true, journalHead: true, journalLength: true, anonymisedAt: true }, orderBy: [{ createdAt: 'asc' }, { reference: 'asc' }] });
  const all = [...signals.map((s) => ({ ...s, anonymised: s.anonymisedAt !== null, ref: { signalId: s.id } as DossierRef })),
    ...cases.map((c) => ({ ...c, anonymised: c.anonymisedAt !== null, ref: { caseId: c.id } as DossierRef }))];
  for (const d of all) {
    const dossier = dossierName(d.ref);
    const rows = await db.journalEntry.findMany({ where: { dossier }, orderBy: { id: 'asc' } });
    yield { dossier, reference: d.reference, scopeId: d.scopeId, head: d.journalHead, length: d.journalLength, anonymised: d.anonymised, entries: rows.map(asStored) };
  }
}
