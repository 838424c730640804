-- CreateIndex
CREATE INDEX "Signal_scopeId_confidentiality_status_dueOn_idx" ON "Signal"("scopeId", "confidentiality", "status", "dueOn");

-- CreateIndex
CREATE INDEX "Signal_scopeId_street_id_idx" ON "Signal"("scopeId", "street", "id");

-- CreateIndex
CREATE INDEX "Signal_municipalityId_createdAt_phenomenon_problemType_idx" ON "Signal"("municipalityId", "createdAt", "phenomenon", "problemType");

-- CreateIndex
CREATE INDEX "Signal_municipalityId_status_dueOn_idx" ON "Signal"("municipalityId", "status", "dueOn");

-- CreateIndex
CREATE INDEX "Subject_scopeId_displayName_id_idx" ON "Subject"("scopeId", "displayName", "id");

-- CreateIndex
CREATE INDEX "Subject_scopeId_kvk_idx" ON "Subject"("scopeId", "kvk");

-- Written by hand: Prisma 7 cannot express expression or partial indexes, and its diff leaves them alone (as it does
-- the full-text indexes of the init migration), so `db:migrate` will not try to drop them.

-- zoek: the exact matches of src/store/search.ts, with exactly its expressions.
CREATE INDEX "Signal_search_reference_idx" ON "Signal"("scopeId", upper("reference"));
CREATE INDEX "Signal_search_postcode_idx" ON "Signal"("scopeId", replace("postcode", ' ', ''));
CREATE INDEX "Subject_search_postcode_idx" ON "Subject"("scopeId", replace(coalesce("postcode", ''), ' ', ''));

-- The measures the mayor's briefing counts (src/services/briefings.ts): index-only, and small, as measures are a few
-- rows among the millions of status changes.
CREATE INDEX "StatusChange_measure_idx" ON "StatusChange"("at", "caseId", "toState", "id") WHERE "transition" = 'maatregel';
