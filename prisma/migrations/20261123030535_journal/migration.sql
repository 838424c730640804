-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "journalHead" TEXT,
ADD COLUMN     "journalLength" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Signal" ADD COLUMN     "journalHead" TEXT,
ADD COLUMN     "journalLength" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "JournalEntry" (
    "id" BIGSERIAL NOT NULL,
    "scopeId" UUID NOT NULL,
    "signalId" UUID,
    "caseId" UUID,
    "dossier" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT,
    "sourceReliability" TEXT,
    "informationReliability" TEXT,
    "legalBasis" TEXT,
    "authorAadId" TEXT NOT NULL,
    "authorName" TEXT NOT NULL,
    "links" TEXT[],
    "correctsSequence" INTEGER,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "JournalEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DossierExport" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scopeId" UUID NOT NULL,
    "signalId" UUID,
    "caseId" UUID,
    "reference" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "legalBasis" TEXT NOT NULL,
    "requestedByAadId" TEXT NOT NULL,
    "requestedByName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "downloadedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DossierExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JournalEntry_signalId_sequence_idx" ON "JournalEntry"("signalId", "sequence");

-- CreateIndex
CREATE INDEX "JournalEntry_caseId_sequence_idx" ON "JournalEntry"("caseId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "JournalEntry_dossier_sequence_key" ON "JournalEntry"("dossier", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "DossierExport_tokenHash_key" ON "DossierExport"("tokenHash");

-- CreateIndex
CREATE INDEX "DossierExport_scopeId_createdAt_idx" ON "DossierExport"("scopeId", "createdAt");

-- AddForeignKey
ALTER TABLE "JournalEntry" ADD CONSTRAINT "JournalEntry_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JournalEntry" ADD CONSTRAINT "JournalEntry_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The journal is append-only (written by hand): a correction is a new entry that points at the one it corrects.
-- Statement-level, so bulk statements are refused as well.
CREATE FUNCTION "JournalEntry_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'JournalEntry is append-only: % is not allowed', TG_OP
    USING HINT = 'Journal entries are never changed or removed; add a correction entry instead.';
END;
$$;

CREATE TRIGGER "JournalEntry_append_only"
BEFORE UPDATE OR DELETE ON "JournalEntry"
FOR EACH STATEMENT EXECUTE FUNCTION "JournalEntry_append_only"();
