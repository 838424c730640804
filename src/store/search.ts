// Search over signals and cases: reference, postcode, KvK, subject name, and Dutch full-text over the
// description, street and place (each branch's expressions match an index of the migrations: see the query).
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
  // The scopes as a text-search query on the lexemes Signal_search_words_idx adds (scope ids are uuids: nothing to quote).
  const inScopes = scopeIds.map((id) => `'scope ${id}'`).join(' | ');
  // Each way of matching is its own index-backed branch (one OR over all of them made PostgreSQL read every signal of
  // the scopes and compute its full-text vector): the reference and the postcode through expression indexes on exactly
  // these expressions, a part of the street or of a name on the scopes' index entries, the words through a GIN index
  // (migrations scale_indexes and search_words_per_scope). Subjects are taken from the scopes themselves: a subject
  // belongs to the scope of the records it is linked to (linkSubjects).
  const rows = await db.$queryRaw<{ kind: 'signal' | 'case'; id: string; createdAt: Date; reference: string }[]>`
    WITH subjects AS MATERIALIZED (
      SELECT j."id" FROM "Subject" j WHERE j."scopeId" = ANY(${scopes}) AND j."kvk" = ${compact}
      UNION SELECT j."id" FROM "Subject" j WHERE j."scopeId" = ANY(${scopes}) AND replace(coalesce(j."postcode", ''), ' ', '') = ${compact}
      UNION SELECT j."id" FROM "Subject" j WHERE j."scopeId" = ANY(${scopes}) AND j."displayName" ILIKE ${like})
    SELECT 'signal' AS kind, s."id"::text AS id, s."createdAt" AS "createdAt", s."reference" AS reference FROM "Signal" s
    WHERE s."scopeId" = ANY(${scopes}) AND s."id" IN (
      SELECT x."id" FROM "Signal" x WHERE x."scopeId" = ANY(${scopes}) AND upper(x."reference") = ${compact}
      UNION SELECT x."id" FROM "Signal" x WHERE x."scopeId" = ANY(${scopes}) AND replace(x."postcode", ' ', '') = ${compact}
      UNION SELECT x."id" FROM "Signal" x WHERE x."scopeId" = ANY(${scopes}) AND x."street" ILIKE ${like}
      -- The words within the scopes, on Signal_search_words_idx: its vector is the signal's words plus the lexeme
      -- 'scope <id>', which no query word can equal (the parser splits on white space), so for a query with words this
      -- is exactly "the signal's words match and its scope is one of these".
      UNION SELECT x."id" FROM "Signal" x
      WHERE numnode(plainto_tsquery('dutch', ${q})) > 0
        AND (to_tsvector('dutch', x."description" || ' ' || x."street" || ' ' || x."place") || array_to_tsvector(ARRAY['scope ' || x."scopeId"::text]))
          @@ (plainto_tsquery('dutch', ${q}) && ${inScopes}::tsquery)
      UNION SELECT l."signalId" FROM "SubjectLink" l WHERE l."subjectId" IN (SELECT "id" FROM subjects))
    UNION ALL
    SELECT 'case' AS kind, c."id"::text AS id, c."createdAt" AS "createdAt", c."reference" AS reference FROM "Case" c
    WHERE c."scopeId" = ANY(${scopes}) AND (
      upper(c."reference") = ${compact}
      OR to_tsvector('dutch', c."title") @@ plainto_tsquery('dutch', ${q})
      OR c."id" IN (SELECT l."caseId" FROM "SubjectLink" l WHERE l."subjectId" IN (SELECT "id" FROM subjects)))
    -- Ties (same millisecond): a case before the signals it bundles, then the higher number first.
    ORDER BY "createdAt" DESC, kind ASC, reference DESC
    LIMIT 500`;
  return rows.map(({ kind, id, createdAt }) => ({ kind, id, createdAt }));
}
