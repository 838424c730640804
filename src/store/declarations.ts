import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { DeclarationText } from '../domain/declaration.js';

type Db = PrismaClient | Prisma.TransactionClient;

/** The current (highest) declaration version per municipality. */
export async function currentDeclarations(db: Db, municipalityIds: readonly string[]): Promise<Map<string, DeclarationText>> {
  const rows = await db.confidentialityDeclaration.findMany({ where: { municipalityId: { in: [...municipalityIds] } }, orderBy: { version: 'desc' } });
  const out = new Map<string, DeclarationText>();
  for (const r of rows) if (!out.has(r.municipalityId)) out.set(r.municipalityId, { version: r.version, nl: r.textNl, en: r.textEn });
  return out;
}

export async function acceptedVersions(db: Db, aadObjectId: string, municipalityIds: readonly string[]): Promise<Map<string, number[]>> {
  const rows = await db.declarationAcceptance.findMany({ where: { aadObjectId, municipalityId: { in: [...municipalityIds] } }, select: { municipalityId: true, version: true } });
  const out = new Map<string, number[]>();
  for (const r of rows) out.set(r.municipalityId, [...(out.get(r.municipalityId) ?? []), r.version]);
  return out;
}

export async function recordAcceptance(tx: Prisma.TransactionClient, row: { municipalityId: string; version: number; tenantId: string; aadObjectId: string; acceptedAt: Date }): Promise<void> {
  await tx.declarationAcceptance.upsert({
    where: { municipalityId_version_aadObjectId: { municipalityId: row.municipalityId, version: row.version, aadObjectId: row.aadObjectId } },
    create: row, update: {},
  });
}
