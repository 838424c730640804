-- CreateEnum
CREATE TYPE "Country" AS ENUM ('NL', 'BE');

-- CreateEnum
CREATE TYPE "ScopeKind" AS ENUM ('channel', 'groupChat');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('member', 'coordinator', 'chair', 'mayor', 'admin');

-- CreateEnum
CREATE TYPE "SignalStatus" AS ENUM ('nieuw', 'in_verrijking', 'klaar_voor_overleg', 'besproken', 'casus', 'overgedragen', 'afgesloten');

-- CreateTable
CREATE TABLE "Municipality" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" "Country" NOT NULL,
    "phenomena" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Municipality_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Scope" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "ScopeKind" NOT NULL,
    "tenantId" TEXT NOT NULL,
    "teamId" TEXT,
    "teamAadGroupId" TEXT,
    "channelId" TEXT,
    "chatId" TEXT,
    "name" TEXT NOT NULL,
    "serviceUrl" TEXT,
    "rosterConversationId" TEXT,
    "municipalityId" UUID,
    "rosterSyncedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Scope_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Member" (
    "id" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "aadObjectId" TEXT NOT NULL,
    "teamsUserId" TEXT,
    "name" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'member',
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Signal" (
    "id" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "municipalityId" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "phenomenon" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "observedOn" DATE NOT NULL,
    "status" "SignalStatus" NOT NULL DEFAULT 'nieuw',
    "reporterAadId" TEXT NOT NULL,
    "reporterName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Signal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferenceCounter" (
    "municipalityId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "ReferenceCounter_pkey" PRIMARY KEY ("municipalityId","kind","year")
);

-- CreateTable
CREATE TABLE "CardSubmission" (
    "nonce" TEXT NOT NULL,
    "aadObjectId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scopeId" UUID NOT NULL,
    "recordId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CardSubmission_pkey" PRIMARY KEY ("nonce","aadObjectId")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tenantId" TEXT NOT NULL,
    "actorAadId" TEXT NOT NULL,
    "scopeId" UUID,
    "action" TEXT NOT NULL,
    "recordType" TEXT,
    "recordId" TEXT,
    "result" TEXT NOT NULL,
    "correlationId" TEXT NOT NULL,
    "details" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BotState" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "eTag" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "BotState_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Municipality_code_key" ON "Municipality"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Scope_key_key" ON "Scope"("key");

-- CreateIndex
CREATE INDEX "Scope_tenantId_idx" ON "Scope"("tenantId");

-- CreateIndex
CREATE INDEX "Member_aadObjectId_idx" ON "Member"("aadObjectId");

-- CreateIndex
CREATE UNIQUE INDEX "Member_scopeId_aadObjectId_key" ON "Member"("scopeId", "aadObjectId");

-- CreateIndex
CREATE INDEX "Signal_scopeId_createdAt_idx" ON "Signal"("scopeId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Signal_municipalityId_reference_key" ON "Signal"("municipalityId", "reference");

-- CreateIndex
CREATE INDEX "AuditEvent_scopeId_at_idx" ON "AuditEvent"("scopeId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorAadId_at_idx" ON "AuditEvent"("actorAadId", "at");

-- AddForeignKey
ALTER TABLE "Scope" ADD CONSTRAINT "Scope_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Member" ADD CONSTRAINT "Member_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signal" ADD CONSTRAINT "Signal_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Signal" ADD CONSTRAINT "Signal_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferenceCounter" ADD CONSTRAINT "ReferenceCounter_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AuditEvent is append-only (written by hand, not generated by Prisma): every UPDATE or DELETE statement on it
-- fails, even one that would touch no rows. Statement-level, so it also holds for bulk statements.
CREATE FUNCTION "AuditEvent_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP
    USING HINT = 'Audit events are never changed or removed; record a new event instead.';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only"
BEFORE UPDATE OR DELETE ON "AuditEvent"
FOR EACH STATEMENT EXECUTE FUNCTION "AuditEvent_append_only"();
