// `npm run admin -- <command>`: the first admin and scripting.
//   scopes                                   list scopes (id, name, channel id, municipality, members)
//   role <scope id|channel id> <aad object id> <role> [name]   give someone a role (creates the member if needed)
//   link <scope id|channel id> <municipality code>              link a channel to its municipality
//   audit --record <SIG-…|CASE-…> | --user <aad object id>      the audit trail as CSV on stdout
//   retention --dry-run | --run | --report <YYYY-MM-DD>        what retention would do, do it now, or a day's report (CSV)
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { configOrReport, runMain } from './common.js';
import { ROLES } from '../domain/roles.js';
import { createLogger } from '../logger.js';
import { auditTrail, linkScope, listScopes, setRoleAsOperator, toCsv } from '../services/administration.js';
import { retentionReport, runRetention } from '../services/retention.js';
import { isRole } from '../services/roles.js';
import { openDb } from '../store/db.js';

const USAGE = 'usage: npm run admin -- scopes | role <scope> <aadObjectId> <role> [name] | link <scope> <municipality code> | audit --record <ref> | audit --user <aadObjectId> | retention --dry-run | retention --run | retention --report <day>';

async function main(argv: string[]): Promise<number> {
  const config = configOrReport();
  if (!config) return 2;
  const [command, ...args] = argv;
  if (!command || !['scopes', 'role', 'link', 'audit', 'retention'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const db = await openDb(config.database, config.projectRoot);
  const deps = { prisma: db.prisma, log: createLogger('silent'), now: () => new Date() };
  const op = { name: os.userInfo().username, correlationId: randomUUID().slice(0, 8) };
  try {
    switch (command) {
      case 'scopes':
        for (const s of await listScopes(deps)) process.stdout.write(`${s.id}\t${s.name}\t${s.kind}\t${s.channelId}\t${s.municipality}\t${s.members} members\n`);
        return 0;
      case 'role': {
        const [scope, aad, role, ...name] = args;
        if (!scope || !aad || !role || !isRole(role)) {
          process.stderr.write(`${USAGE}\nroles: ${ROLES.join(', ')}\n`);
          return 2;
        }
        process.stdout.write(`${await setRoleAsOperator(deps, op, scope, aad, role, name.length > 0 ? name.join(' ') : undefined)}\n`);
        return 0;
      }
      case 'link': {
        const [scope, code] = args;
        if (!scope || !code) {
          process.stderr.write(`${USAGE}\n`);
          return 2;
        }
        process.stdout.write(`${await linkScope(deps, op, scope, code)}\n`);
        return 0;
      }
      case 'retention': {
        const [flag, value] = args;
        if (flag === '--report' && value) {
          process.stdout.write(await retentionReport(deps, value));
          return 0;
        }
        if (flag !== '--dry-run' && flag !== '--run') {
          process.stderr.write(`${USAGE}\n`);
          return 2;
        }
        const outcome = await runRetention(deps, { dryRun: flag === '--dry-run' });
        if (outcome.kind === 'alreadyRan') {
          process.stdout.write(`Retention already ran on ${outcome.day}.\n`);
          return 0;
        }
        for (const i of outcome.items) process.stdout.write(`${outcome.kind === 'dryRun' ? 'would ' : ''}${i.action} ${i.reference} (rule ${i.rule})\n`);
        process.stdout.write(`${outcome.items.length} record(s) ${outcome.kind === 'dryRun' ? 'due' : 'processed'} on ${outcome.day}.\n`);
        return 0;
      }
      default: {
        const [flag, value] = args;
        if (!value || (flag !== '--record' && flag !== '--user')) {
          process.stderr.write(`${USAGE}\n`);
          return 2;
        }
        process.stdout.write(toCsv(await auditTrail(deps, op, flag === '--record' ? { reference: value } : { aadObjectId: value })));
        return 0;
      }
    }
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

runMain('admin', () => main(process.argv.slice(2)));
