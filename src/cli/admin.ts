// `npm run admin -- <command>`: the first admin and scripting.
//   scopes                                   list scopes (id, name, channel id, municipality, members)
//   role <scope id|channel id> <aad object id> <role> [name]   give someone a role (creates the member if needed)
//   link <scope id|channel id> <municipality code>              link a channel to its municipality
//   audit --record <SIG-…|CASE-…> | --user <aad object id>      the audit trail as CSV on stdout
//   retention --dry-run | --run | --report <YYYY-MM-DD>        what retention would do, do it now, or a day's report (CSV)
//   subject <municipality code> --bsn <bsn> | --kvk <kvk> | --name <name> [--born <YYYY-MM-DD>] | --address <postcode> <number>
//           [--export <file.json>] [--erase [--dry-run]]       a data subject's request: list, export (inzage), erase
//   mayors                                   who gets the briefings and crisis alerts, and whether the bot can reach them
//   deputy <municipality code> [aad object id …]               who stands in for the mayor (none: clears)
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { configOrReport, runMain } from './common.js';
import { ROLES } from '../domain/roles.js';
import { createLogger } from '../logger.js';
import { auditTrail, briefingRecipients, linkScope, listScopes, setDeputies, setRoleAsOperator, toCsv } from '../services/administration.js';
import { eraseSubject, exportSubject, findSubject, type SubjectQuery } from '../services/dataSubjects.js';
import { retentionReport, runRetention } from '../services/retention.js';
import { isRole } from '../services/roles.js';
import { openDb } from '../store/db.js';

const USAGE = 'usage: npm run admin -- scopes | role <scope> <aadObjectId> <role> [name] | link <scope> <municipality code> | audit --record <ref> | audit --user <aadObjectId> | retention --dry-run | retention --run | retention --report <day>'
  + ' | subject <municipality> (--bsn <bsn> | --kvk <kvk> | --name <name> [--born <day>] | --address <postcode> <number>) [--export <file>] [--erase [--dry-run]]'
  + ' | mayors | deputy <municipality> [aadObjectId …]';

/** The subject criteria of `subject …`, or undefined when they do not make one query. */
function subjectQuery(args: readonly string[]): SubjectQuery | undefined {
  const value = (flag: string) => { const i = args.indexOf(flag); return i >= 0 ? args[i + 1] : undefined; };
  const bsn = value('--bsn'), kvk = value('--kvk'), name = value('--name'), born = value('--born');
  const at = args.indexOf('--address');
  const given = [bsn, kvk, name, at >= 0 ? 'address' : undefined].filter((x) => x !== undefined);
  if (given.length !== 1) return undefined;
  if (bsn) return { kind: 'bsn', bsn };
  if (kvk) return { kind: 'kvk', kvk };
  if (name) return born === undefined || /^\d{4}-\d{2}-\d{2}$/.test(born) ? { kind: 'name', name, ...(born ? { birthDate: born } : {}) } : undefined;
  const [postcode, houseNumber] = [args[at + 1], args[at + 2]];
  return postcode && houseNumber ? { kind: 'address', postcode, houseNumber } : undefined;
}

async function main(argv: string[]): Promise<number> {
  const config = configOrReport();
  if (!config) return 2;
  const [command, ...args] = argv;
  if (!command || !['scopes', 'role', 'link', 'audit', 'retention', 'subject', 'mayors', 'deputy'].includes(command)) {
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
      case 'mayors': {
        const rows = await briefingRecipients(deps);
        for (const r of rows) process.stdout.write(`${r.municipality}\t${r.role}\t${r.name}\t${r.aadObjectId}\t${r.reachable}\n`);
        const unreachable = rows.filter((r) => r.reachable !== 'yes').length;
        process.stdout.write(`${rows.length} recipient(s); ${unreachable} the bot cannot reach: they need the app installed in Teams (or TEAMS_APP_CATALOG_ID with Graph).\n`);
        return 0;
      }
      case 'deputy': {
        const [code, ...ids] = args;
        if (!code) {
          process.stderr.write(`${USAGE}\n`);
          return 2;
        }
        process.stdout.write(`${await setDeputies(deps, op, code, ids)}\n`);
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
      case 'subject': {
        const [municipality, ...rest] = args;
        const query = subjectQuery(rest);
        if (!municipality || municipality.startsWith('--') || !query) {
          process.stderr.write(`${USAGE}\n`);
          return 2;
        }
        const findings = await findSubject(deps, op, municipality, query);
        for (const s of findings.subjects) process.stdout.write(`subject\t${s.kind}\t${s.displayName}\t${s.scopeName}\n`);
        for (const r of findings.records) {
          process.stdout.write(`${r.kind}\t${r.reference}\t${r.scopeName}\t${r.verdict.erase ? 'erasable' : `kept (${r.verdict.reason})`}\n`);
        }
        process.stdout.write(`${findings.subjects.length} subject(s), ${findings.records.length} record(s) in ${findings.municipality.name}.\n`);
        const exportTo = rest.indexOf('--export') >= 0 ? rest[rest.indexOf('--export') + 1] : undefined;
        if (rest.includes('--export')) {
          if (!exportTo) {
            process.stderr.write(`${USAGE}\n`);
            return 2;
          }
          // Owner-only: the file holds everything about a person.
          await writeFile(exportTo, `${JSON.stringify(await exportSubject(deps, op, findings), null, 2)}\n`, { mode: 0o600 });
          process.stdout.write(`Export written to ${exportTo}.\n`);
        }
        if (rest.includes('--erase')) {
          const dryRun = rest.includes('--dry-run');
          const outcome = await eraseSubject(deps, op, findings, { dryRun });
          for (const r of outcome.anonymised) process.stdout.write(`${dryRun ? 'would anonymise' : 'anonymised'} ${r.reference}\n`);
          for (const r of outcome.kept) process.stdout.write(`kept ${r.reference}: ${r.verdict.erase ? '' : r.verdict.reason}\n`);
          process.stdout.write(`${outcome.anonymised.length} record(s) ${dryRun ? 'would be anonymised' : 'anonymised'}, ${outcome.kept.length} kept${outcome.erasureId ? ` (erasure ${outcome.erasureId})` : ''}.\n`);
        }
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
