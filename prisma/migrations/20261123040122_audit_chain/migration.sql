-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "chain" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "hash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "prevHash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "seq" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "chain" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("chain")
);

-- CreateIndex
CREATE INDEX "AuditEvent_chain_seq_idx" ON "AuditEvent"("chain", "seq");

-- One row per chain position (written by hand: Prisma cannot express a partial index). Rows from before the chain
-- existed have chain '' and are outside it.
CREATE UNIQUE INDEX "AuditEvent_chain_seq_key" ON "AuditEvent"("chain", "seq") WHERE "chain" <> '';
