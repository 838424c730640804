-- AlterTable
ALTER TABLE "Scope" ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "membershipType" TEXT NOT NULL DEFAULT 'standard';

-- Channels already linked to a municipality were in use: they stay enabled.
UPDATE "Scope" SET "enabled" = true WHERE "municipalityId" IS NOT NULL;
