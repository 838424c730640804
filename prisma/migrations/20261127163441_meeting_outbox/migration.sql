-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "cardActivityId" TEXT,
ADD COLUMN     "cardConversationId" TEXT,
ADD COLUMN     "cardServiceUrl" TEXT,
ADD COLUMN     "cardState" TEXT,
ADD COLUMN     "createSentAt" TIMESTAMPTZ(3),
ADD COLUMN     "syncedSequence" INTEGER;

-- CreateTable
CREATE TABLE "OutboxJob" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "generation" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAt" TIMESTAMPTZ(3) NOT NULL,
    "leaseUntil" TIMESTAMPTZ(3),
    "leasedBy" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OutboxJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OutboxJob_key_key" ON "OutboxJob"("key");

-- CreateIndex
CREATE INDEX "OutboxJob_status_runAt_idx" ON "OutboxJob"("status", "runAt");

-- Meetings planned before the outbox are in their calendar as they stand.
UPDATE "Meeting" SET "syncedSequence" = "sequence" WHERE "externalId" IS NOT NULL;
