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
    "legalBases" JSONB NOT NULL DEFAULT '[]',
    "allowBsn" BOOLEAN NOT NULL DEFAULT false,
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
    "street" TEXT NOT NULL,
    "houseNumber" TEXT NOT NULL,
    "postcode" TEXT NOT NULL,
    "place" TEXT NOT NULL,
    "bagId" TEXT,
    "observedOn" DATE NOT NULL,
    "observedTime" TEXT,
    "sourceType" TEXT NOT NULL,
    "sourceNature" TEXT NOT NULL,
    "sourceReliability" TEXT NOT NULL,
    "informationReliability" INTEGER NOT NULL,
    "urgency" TEXT NOT NULL,
    "problemType" TEXT NOT NULL,
    "confidentiality" TEXT NOT NULL,
    "legalBasis" TEXT NOT NULL,
    "status" "SignalStatus" NOT NULL DEFAULT 'nieuw',
    "statusReason" TEXT,
    "handedOverTo" TEXT,
    "statusChangedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "assigneeAadId" TEXT,
    "assigneeName" TEXT,
    "dueOn" DATE NOT NULL,
    "caseId" UUID,
    "sourceMessageUrl" TEXT,
    "sourceMessageAuthor" TEXT,
    "reporterAadId" TEXT NOT NULL,
    "reporterName" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Signal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "municipalityId" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "phase" TEXT NOT NULL DEFAULT 'signalering',
    "phaseReason" TEXT,
    "measures" TEXT[],
    "leadAadId" TEXT,
    "leadName" TEXT,
    "targetDate" DATE,
    "confidentiality" TEXT NOT NULL,
    "createdByAadId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Subject" (
    "id" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "matchKey" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "name" TEXT,
    "birthDate" DATE,
    "bsn" TEXT,
    "kvk" TEXT,
    "street" TEXT,
    "houseNumber" TEXT,
    "postcode" TEXT,
    "place" TEXT,
    "bagId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Subject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubjectLink" (
    "id" UUID NOT NULL,
    "subjectId" UUID NOT NULL,
    "signalId" UUID,
    "caseId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubjectLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StatusChange" (
    "id" BIGSERIAL NOT NULL,
    "signalId" UUID,
    "caseId" UUID,
    "transition" TEXT NOT NULL,
    "fromState" TEXT NOT NULL,
    "toState" TEXT NOT NULL,
    "reason" TEXT,
    "partner" TEXT,
    "actorAadId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StatusChange_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "Signal_scopeId_status_idx" ON "Signal"("scopeId", "status");

-- CreateIndex
CREATE INDEX "Signal_scopeId_postcode_idx" ON "Signal"("scopeId", "postcode");

-- CreateIndex
CREATE UNIQUE INDEX "Signal_municipalityId_reference_key" ON "Signal"("municipalityId", "reference");

-- CreateIndex
CREATE INDEX "Case_scopeId_createdAt_idx" ON "Case"("scopeId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Case_municipalityId_reference_key" ON "Case"("municipalityId", "reference");

-- CreateIndex
CREATE INDEX "Subject_scopeId_name_idx" ON "Subject"("scopeId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Subject_scopeId_kind_matchKey_key" ON "Subject"("scopeId", "kind", "matchKey");

-- CreateIndex
CREATE INDEX "SubjectLink_signalId_idx" ON "SubjectLink"("signalId");

-- CreateIndex
CREATE INDEX "SubjectLink_caseId_idx" ON "SubjectLink"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "SubjectLink_subjectId_signalId_key" ON "SubjectLink"("subjectId", "signalId");

-- CreateIndex
CREATE UNIQUE INDEX "SubjectLink_subjectId_caseId_key" ON "SubjectLink"("subjectId", "caseId");

-- CreateIndex
CREATE INDEX "StatusChange_signalId_at_idx" ON "StatusChange"("signalId", "at");

-- CreateIndex
CREATE INDEX "StatusChange_caseId_at_idx" ON "StatusChange"("caseId", "at");

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
ALTER TABLE "Signal" ADD CONSTRAINT "Signal_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subject" ADD CONSTRAINT "Subject_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubjectLink" ADD CONSTRAINT "SubjectLink_subjectId_fkey" FOREIGN KEY ("subjectId") REFERENCES "Subject"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubjectLink" ADD CONSTRAINT "SubjectLink_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SubjectLink" ADD CONSTRAINT "SubjectLink_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusChange" ADD CONSTRAINT "StatusChange_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StatusChange" ADD CONSTRAINT "StatusChange_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

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

-- Full-text search over signals and cases with the Dutch configuration (written by hand: Prisma cannot express
-- expression indexes). Queries must use exactly these expressions (src/store/search.ts) to use the indexes.
CREATE INDEX "Signal_fulltext_idx" ON "Signal" USING GIN (to_tsvector('dutch', "description" || ' ' || "street" || ' ' || "place"));
CREATE INDEX "Case_fulltext_idx" ON "Case" USING GIN (to_tsvector('dutch', "title"));
