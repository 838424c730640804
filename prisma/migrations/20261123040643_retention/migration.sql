-- AlterTable
ALTER TABLE "Municipality" ADD COLUMN     "retention" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Signal" ADD COLUMN     "anonymisedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "RetentionRun" (
    "id" UUID NOT NULL,
    "day" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "anonymised" INTEGER NOT NULL DEFAULT 0,
    "deleted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RetentionRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tombstone" (
    "id" BIGSERIAL NOT NULL,
    "runId" UUID NOT NULL,
    "recordType" TEXT NOT NULL,
    "recordId" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "scopeId" UUID NOT NULL,
    "municipalityId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Tombstone_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RetentionRun_day_key" ON "RetentionRun"("day");

-- CreateIndex
CREATE INDEX "Tombstone_recordId_idx" ON "Tombstone"("recordId");

-- AddForeignKey
ALTER TABLE "Tombstone" ADD CONSTRAINT "Tombstone_runId_fkey" FOREIGN KEY ("runId") REFERENCES "RetentionRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The journal stays append-only for everyone, except the retention job: inside its transaction it sets
-- weerbaar.retention = 'on' (SET LOCAL), anonymises or deletes what the privacy protocol says is due, and leaves a
-- tombstone and an audit event for every record it touched.
CREATE OR REPLACE FUNCTION "JournalEntry_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('weerbaar.retention', true) = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'JournalEntry is append-only: % is not allowed', TG_OP
    USING HINT = 'Journal entries are never changed or removed; add a correction entry instead.';
END;
$$;
