-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "anonymisedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Tombstone" ADD COLUMN     "erasureId" UUID,
ALTER COLUMN "runId" DROP NOT NULL;

-- CreateTable
CREATE TABLE "Erasure" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL,
    "municipalityId" UUID NOT NULL,
    "operator" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "subjects" INTEGER NOT NULL,
    "anonymised" INTEGER NOT NULL,
    "kept" INTEGER NOT NULL,

    CONSTRAINT "Erasure_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Tombstone" ADD CONSTRAINT "Tombstone_erasureId_fkey" FOREIGN KEY ("erasureId") REFERENCES "Erasure"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A tombstone comes from exactly one of a retention run or an erasure.
ALTER TABLE "Tombstone" ADD CONSTRAINT "Tombstone_one_origin" CHECK (("runId" IS NULL) <> ("erasureId" IS NULL));
