// Prepares a benchmark database in its own process (the migration engine keeps a timer alive, and the load
// generator should not carry PGlite's memory): migrated, the demo world loaded, and every demo user's acceptance
// of the confidentiality declaration recorded (as test/support/harness.ts acceptDeclarations does), since the
// bot refuses a user who has not accepted it. `count` afterwards prints how many signals and filing audits the
// database holds, to check that every accepted submit was stored once.
//   node lib/bench/prepare.js prepare|count --pglite <dir> | --url <postgresql url>
import path from 'node:path';
import { applyMigrations } from '../src/store/migrate.js';
import { openPglite, openPostgres, type Database } from '../src/store/db.js';
import { seedDemoData } from '../src/store/seed.js';
import { DEMO_TENANT_ID, DEMO_USERS } from '../src/store/demoData.js';

const projectRoot = path.resolve(__dirname, '../..');

async function acceptDeclarations(db: Database): Promise<void> {
  for (const d of await db.prisma.confidentialityDeclaration.findMany()) {
    for (const u of DEMO_USERS) {
      await db.prisma.declarationAcceptance.upsert({
        where: { municipalityId_version_aadObjectId: { municipalityId: d.municipalityId, version: d.version, aadObjectId: u.aadObjectId } },
        create: { municipalityId: d.municipalityId, version: d.version, aadObjectId: u.aadObjectId, tenantId: DEMO_TENANT_ID, acceptedAt: new Date() },
        update: {},
      });
    }
  }
}

async function main([command, flag, where]: string[]): Promise<void> {
  const prepare = command === 'prepare';
  if ((!prepare && command !== 'count') || !where || (flag !== '--pglite' && flag !== '--url')) {
    throw new Error('usage: prepare.js prepare|count --pglite <dir> | --url <postgresql url>');
  }
  if (prepare && flag === '--url') {
    await applyMigrations({ kind: 'postgres', url: where }, { migrationsDir: path.join(projectRoot, 'prisma', 'migrations') });
  }
  const db = flag === '--pglite' ? await openPglite({ dataDir: path.resolve(where), projectRoot, migrate: prepare }) : await openPostgres(where, projectRoot, 2);
  try {
    if (prepare) {
      await seedDemoData(db.prisma);
      await acceptDeclarations(db);
    } else {
      const signals = await db.prisma.signal.count();
      const audits = await db.prisma.auditEvent.count({ where: { action: 'signal.file' } });
      process.stdout.write(`${JSON.stringify({ signals, audits })}\n`);
    }
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => { process.stderr.write(`prepare failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`); process.exit(1); },
);
