// Search over signals and cases: reference, postcode, KvK, subject name, and Dutch full-text over the
// description, street and place (the expressions match the GIN indexes in the init migration).
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

export interface SearchHit { kind: 'signal' | 'case'; id: string; createdAt: Date }

/**
 * The ids of visible records matching the query, newest first. `signalIds`/`caseIds` are the candidates the caller
 * may see (visibility is applied by the caller with the normal where-clauses; this only ranks text matches).
 */
export async function searchIds(db: PrismaClient, scopeIds: readonly string[], query: string): Promise<SearchHit[]> {
  if (scopeIds.length === 0) return [];
  const q = query.trim();
  const compact = q.replace(/\s/g, '').toUpperCase();
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const scopes = Prisma.sql`${[...scopeIds]}::uuid[]`;
  const rows = await db.$queryRaw<{ kind: 'signal' | 'case'; id: string; createdAt: Date; reference: string }[]>`
    SELECT 'signal' AS kind, s."id"::text AS id, s."createdAt" AS "createdAt", s."reference" AS reference FROM "Signal" s
    WHERE s."scopeId" = ANY(${scopes}) AND (
      upper(s."reference") = ${compact}
      OR replace(s."postcode", ' ', '') = ${compact}
      OR to_tsvector('dutch', s."description" || ' ' || s."street" || ' ' || s."place") @@ plainto_tsquery('dutch', ${q})
      OR s."street" ILIKE ${like}
      OR EXISTS (SELECT 1 FROM "SubjectLink" l JOIN "Subject" j ON j."id" = l."subjectId"
                 WHERE l."signalId" = s."id" AND (j."kvk" = ${compact} OR j."displayName" ILIKE ${like} OR replace(coalesce(j."postcode", ''), ' ', '') = ${compact})))
    UNION ALL
    SELECT 'case' AS kind, c."id"::text AS id, c."createdAt" AS "createdAt", c."reference" AS reference FROM "Case" c
    WHERE c."scopeId" = ANY(${scopes}) AND (
      upper(c."reference") = ${compact}
      OR to_tsvector('dutch', c."title") @@ plainto_tsquery('dutch', ${q})
      OR EXISTS (SELECT 1 FROM "SubjectLink" l JOIN "Subject" j ON j."id" = l."subjectId"
                 WHERE l."caseId" = c."id" AND (j."kvk" = ${compact} OR j."displayName" ILIKE ${like} OR replace(coalesce(j."postcode", ''), ' ', '') = ${compact})))
    -- Ties (same millisecond): a case before the signals it bundles, then the higher number first.
    ORDER BY "createdAt" DESC, kind ASC, reference DESC
    LIMIT 500`;
  return rows.map(({ kind, id, createdAt }) => ({ kind, id, createdAt }));
}
