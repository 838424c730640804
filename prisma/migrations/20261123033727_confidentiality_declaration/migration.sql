-- CreateTable
CREATE TABLE "ConfidentialityDeclaration" (
    "id" UUID NOT NULL,
    "municipalityId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "textNl" TEXT NOT NULL,
    "textEn" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConfidentialityDeclaration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeclarationAcceptance" (
    "id" UUID NOT NULL,
    "municipalityId" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "tenantId" TEXT NOT NULL,
    "aadObjectId" TEXT NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DeclarationAcceptance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConfidentialityDeclaration_municipalityId_version_key" ON "ConfidentialityDeclaration"("municipalityId", "version");

-- CreateIndex
CREATE INDEX "DeclarationAcceptance_aadObjectId_idx" ON "DeclarationAcceptance"("aadObjectId");

-- CreateIndex
CREATE UNIQUE INDEX "DeclarationAcceptance_municipalityId_version_aadObjectId_key" ON "DeclarationAcceptance"("municipalityId", "version", "aadObjectId");

-- AddForeignKey
ALTER TABLE "ConfidentialityDeclaration" ADD CONSTRAINT "ConfidentialityDeclaration_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE CASCADE ON UPDATE CASCADE;
