-- CreateTable
CREATE TABLE "AuditExport" (
    "id" UUID NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "scopeIds" TEXT[],
    "recordIds" TEXT[],
    "actorAadId" TEXT,
    "label" TEXT NOT NULL,
    "requestedByAadId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "downloadedAt" TIMESTAMPTZ(3),

    CONSTRAINT "AuditExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditExport_tokenHash_key" ON "AuditExport"("tokenHash");
