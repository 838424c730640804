-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "email" TEXT;

-- CreateTable
CREATE TABLE "Meeting" (
    "id" UUID NOT NULL,
    "scopeId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "startDate" TEXT NOT NULL,
    "startTime" TEXT NOT NULL,
    "startAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "recurrence" JSONB NOT NULL,
    "lastDay" TEXT,
    "attendeeIds" TEXT[],
    "externalAttendees" TEXT[],
    "organiser" TEXT NOT NULL,
    "online" BOOLEAN NOT NULL,
    "location" TEXT,
    "status" TEXT NOT NULL DEFAULT 'scheduling',
    "calendar" TEXT NOT NULL,
    "externalId" TEXT,
    "joinUrl" TEXT,
    "failure" TEXT,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "icsToken" TEXT NOT NULL,
    "createdByAadId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_icsToken_key" ON "Meeting"("icsToken");

-- CreateIndex
CREATE INDEX "Meeting_scopeId_startAt_idx" ON "Meeting"("scopeId", "startAt");

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
