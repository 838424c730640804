-- AlterTable
ALTER TABLE "Municipality" ADD COLUMN     "confidentialityLevels" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "configuredAt" TIMESTAMPTZ(3),
ADD COLUMN     "mayors" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "officialCode" TEXT;

-- CreateTable
CREATE TABLE "ScopeMunicipality" (
    "scopeId" UUID NOT NULL,
    "municipalityId" UUID NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "ScopeMunicipality_pkey" PRIMARY KEY ("scopeId","municipalityId")
);

-- CreateTable
CREATE TABLE "ConfiguredScope" (
    "ref" TEXT NOT NULL,
    "kind" "ScopeKind" NOT NULL,
    "label" TEXT,
    "municipalityCodes" TEXT[],
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConfiguredScope_pkey" PRIMARY KEY ("ref")
);

-- CreateIndex
CREATE INDEX "ScopeMunicipality_municipalityId_idx" ON "ScopeMunicipality"("municipalityId");

-- AddForeignKey
ALTER TABLE "ScopeMunicipality" ADD CONSTRAINT "ScopeMunicipality_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Scope"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScopeMunicipality" ADD CONSTRAINT "ScopeMunicipality_municipalityId_fkey" FOREIGN KEY ("municipalityId") REFERENCES "Municipality"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A linked scope works for its municipality: the first (and so far only) one it serves.
INSERT INTO "ScopeMunicipality" ("scopeId", "municipalityId", "position")
SELECT "id", "municipalityId", 0 FROM "Scope" WHERE "municipalityId" IS NOT NULL;
