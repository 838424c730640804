-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "sharedWithMayorAt" TIMESTAMPTZ(3);
