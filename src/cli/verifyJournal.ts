// `npm run verify-journal`: walks every journal chain and every audit chain and reports the first broken link of each.
// Exit code 0: all intact; 1: at least one broken chain; 2: could not run (configuration, database).
import { configOrReport, runMain } from './common.js';
import { createLogger } from '../logger.js';
import { verifyJournals } from '../services/journal.js';
import { verifyAuditChains } from '../store/audit.js';
import { openDb } from '../store/db.js';

async function main(): Promise<number> {
  const config = configOrReport();
  if (!config) return 2;
  const db = await openDb(config.database, config.projectRoot);
  try {
    const report = await verifyJournals({ prisma: db.prisma, log: createLogger('silent'), now: () => new Date() });
    for (const b of report.broken) process.stdout.write(`BROKEN ${b.reference} (${b.dossier}): first bad entry #${b.break.sequence}: ${b.break.problem}\n`);
    process.stdout.write(`${report.dossiers} dossiers, ${report.entries} entries checked; ${report.broken.length} broken chain(s).\n`);
    const audit = await verifyAuditChains(db.prisma);
    for (const b of audit.broken) process.stdout.write(`BROKEN audit chain ${b.chain}: first bad event #${b.break.seq}: ${b.break.problem}\n`);
    process.stdout.write(`${audit.chains} audit chains, ${audit.events} events checked; ${audit.broken.length} broken chain(s).\n`);
    return report.broken.length === 0 && audit.broken.length === 0 ? 0 : 1;
  } finally {
    await db.close();
  }
}

runMain('verify-journal', main);
