-- zoek: the words of a signal and its scope in one GIN index, so that a common word is looked up within the scopes
-- searched (GIN intersects the word's entries with the scope's) instead of across every signal of every municipality.
-- The scope is the lexeme 'scope <id>': the text-search parser splits on white space, so no word of a query can ever
-- be that lexeme (src/store/search.ts relies on that). Written by hand: Prisma 7 cannot express an expression index,
-- and its diff leaves them alone.
CREATE INDEX "Signal_search_words_idx" ON "Signal" USING GIN ((to_tsvector('dutch', "description" || ' ' || "street" || ' ' || "place") || array_to_tsvector(ARRAY['scope ' || "scopeId"::text])));
