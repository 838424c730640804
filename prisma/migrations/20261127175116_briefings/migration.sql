-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "crisisAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Municipality" ADD COLUMN     "deputyAadIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "ConversationRef" (
    "id" UUID NOT NULL,
    "tenantId" TEXT NOT NULL,
    "aadObjectId" TEXT NOT NULL,
    "teamsUserId" TEXT NOT NULL,
    "serviceUrl" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "goneAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConversationRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Briefing" (
    "id" UUID NOT NULL,
    "municipalityId" UUID NOT NULL,
    "period" TEXT NOT NULL,
    "periodStart" TEXT NOT NULL,
    "periodEnd" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scheduleKey" TEXT,
    "content" JSONB NOT NULL,
    "createdByAadId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMPTZ(3),

    CONSTRAINT "Briefing_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CrisisAlert" (
    "id" UUID NOT NULL,
    "municipalityId" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "signalId" UUID,
    "caseId" UUID,
    "summary" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "repeats" INTEGER NOT NULL DEFAULT 0,
    "lastSentAt" TIMESTAMPTZ(3) NOT NULL,
    "escalatedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CrisisAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CrisisAck" (
    "id" UUID NOT NULL,
    "alertId" UUID NOT NULL,
    "aadObjectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CrisisAck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "recipientAadId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "briefingId" UUID,
    "alertId" UUID,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "activityId" TEXT,
    "serviceUrl" TEXT,
    "conversationId" TEXT,
    "failure" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConversationRef_tenantId_aadObjectId_key" ON "ConversationRef"("tenantId", "aadObjectId");

-- CreateIndex
CREATE UNIQUE INDEX "Briefing_scheduleKey_key" ON "Briefing"("scheduleKey");

-- CreateIndex
CREATE INDEX "CrisisAlert_municipalityId_createdAt_idx" ON "CrisisAlert"("municipalityId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CrisisAck_alertId_aadObjectId_kind_key" ON "CrisisAck"("alertId", "aadObjectId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_key_key" ON "Delivery"("key");

-- CreateIndex
CREATE INDEX "Delivery_briefingId_idx" ON "Delivery"("briefingId");

-- CreateIndex
CREATE INDEX "Delivery_alertId_idx" ON "Delivery"("alertId");

-- AddForeignKey
ALTER TABLE "CrisisAck" ADD CONSTRAINT "CrisisAck_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "CrisisAlert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
