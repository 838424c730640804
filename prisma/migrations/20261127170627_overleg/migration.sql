-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "chatConversationId" TEXT,
ADD COLUMN     "chatServiceUrl" TEXT;

-- CreateTable
CREATE TABLE "MeetingOccurrence" (
    "id" UUID NOT NULL,
    "meetingId" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "date" TEXT NOT NULL,
    "agendaPostedAt" TIMESTAMPTZ(3),
    "agendaChatPostedAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3),
    "startedByAadId" TEXT,
    "closedAt" TIMESTAMPTZ(3),
    "closedByAadId" TEXT,
    "cardServiceUrl" TEXT,
    "cardConversationId" TEXT,
    "cardActivityId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MeetingOccurrence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgendaItem" (
    "id" UUID NOT NULL,
    "occurrenceId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "signalId" UUID,
    "caseId" UUID,
    "actionItemId" UUID,
    "recordKey" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "addedBy" TEXT NOT NULL,
    "removedAt" TIMESTAMPTZ(3),
    "decisionVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgendaItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" UUID NOT NULL,
    "occurrenceId" UUID NOT NULL,
    "agendaItemId" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "partner" TEXT,
    "text" TEXT,
    "effect" JSONB NOT NULL,
    "decidedByAadId" TEXT NOT NULL,
    "decidedByName" TEXT NOT NULL,
    "decidedAt" TIMESTAMPTZ(3) NOT NULL,
    "correctsId" UUID,

    CONSTRAINT "Decision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "decisionId" UUID,
    "signalId" UUID,
    "caseId" UUID,
    "text" TEXT NOT NULL,
    "ownerAadId" TEXT NOT NULL,
    "ownerName" TEXT NOT NULL,
    "dueOn" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "doneAt" TIMESTAMPTZ(3),
    "doneNote" TEXT,
    "createdByAadId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "remindedBeforeOn" TEXT,
    "remindedOverdueOn" TEXT,

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MinutesExport" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "occurrenceId" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "requestedByAadId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "downloadedAt" TIMESTAMPTZ(3),

    CONSTRAINT "MinutesExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MeetingOccurrence_scopeId_date_idx" ON "MeetingOccurrence"("scopeId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "MeetingOccurrence_meetingId_date_key" ON "MeetingOccurrence"("meetingId", "date");

-- CreateIndex
CREATE INDEX "AgendaItem_occurrenceId_position_idx" ON "AgendaItem"("occurrenceId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "AgendaItem_occurrenceId_recordKey_key" ON "AgendaItem"("occurrenceId", "recordKey");

-- CreateIndex
CREATE UNIQUE INDEX "Decision_correctsId_key" ON "Decision"("correctsId");

-- CreateIndex
CREATE INDEX "Decision_occurrenceId_decidedAt_idx" ON "Decision"("occurrenceId", "decidedAt");

-- CreateIndex
CREATE INDEX "ActionItem_scopeId_status_dueOn_idx" ON "ActionItem"("scopeId", "status", "dueOn");

-- CreateIndex
CREATE INDEX "ActionItem_ownerAadId_status_idx" ON "ActionItem"("ownerAadId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "MinutesExport_tokenHash_key" ON "MinutesExport"("tokenHash");

-- AddForeignKey
ALTER TABLE "MeetingOccurrence" ADD CONSTRAINT "MeetingOccurrence_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "MeetingOccurrence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgendaItem" ADD CONSTRAINT "AgendaItem_actionItemId_fkey" FOREIGN KEY ("actionItemId") REFERENCES "ActionItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "MeetingOccurrence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "AgendaItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Decision" ADD CONSTRAINT "Decision_correctsId_fkey" FOREIGN KEY ("correctsId") REFERENCES "Decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_decisionId_fkey" FOREIGN KEY ("decisionId") REFERENCES "Decision"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_signalId_fkey" FOREIGN KEY ("signalId") REFERENCES "Signal"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;
