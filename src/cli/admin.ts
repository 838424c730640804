// `npm run admin -- <command>`: the functional administrator's tools. `npm run admin -- help` lists the commands,
// `npm run admin -- <command> --help` explains one. Every change is audited with the operator's account as actor.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { configOrReport, runMain } from './common.js';
import { ConfigFileError, loadDeploymentFile } from '../deploymentFile.js';
import type { DeploymentConfig } from '../domain/deploymentConfig.js';
import { isEntraObjectId } from '../domain/identifiers.js';
import { accessReview, accessReviewCsv } from '../services/accessReview.js';
import { readConfigFile, withScopeLink, writeConfigFile } from '../services/configFile.js';
import { describeSync, synchroniseConfiguration } from '../services/configuration.js';
import { recordAudit } from '../store/audit.js';
import { ROLES } from '../domain/roles.js';
import { createLogger } from '../logger.js';
import { auditTrail, briefingRecipients, linkScope, listScopes, revokeRoleAsOperator, rotateDeclaration, setDeputies, setRoleAsOperator, toCsv } from '../services/administration.js';
import { eraseSubject, exportSubject, findSubject, type SubjectQuery } from '../services/dataSubjects.js';
import { retentionReport, runRetention } from '../services/retention.js';
import { isRole } from '../services/roles.js';
import { openDb } from '../store/db.js';

interface CommandHelp { usage: string; summary: string; details?: string }

const COMMANDS: Record<string, CommandHelp> = {
  help: { usage: 'help [command]', summary: 'this list, or how one command works' },
  config: { usage: 'config check [file] | config show | config apply | config reload <pid>', summary: 'check the configuration file (and what it would change), show it resolved, apply it now, or have the running bot reload it',
    details: 'check: validates the file (WEERBAAR_CONFIG_FILE, or the file given) and lists what applying it would change; exit 1 when invalid.\n'
      + 'show: the municipalities, phenomena, privacy protocol and scope links as the bot uses them.\n'
      + 'apply: validates and applies the file to the database in one transaction (audited). The running bot reads it again on SIGHUP.\n'
      + 'reload <pid>: validates the file and, when it is valid, sends the running bot (its process id) SIGHUP: it applies the file at once.' },
  scopes: { usage: 'scopes', summary: 'list the scopes (id, name, kind, Teams id, municipality, members)' },
  link: { usage: 'link <scope> <municipality code> [code …]', summary: 'link a Teams scope to the municipalities it works for (the first is its own) and enable it',
    details: '<scope> is a scope id, a channel id or a chat id (a Teams id the bot has not seen yet: only with a configuration file).\n'
      + 'With WEERBAAR_CONFIG_FILE the link is written into the file (comments kept) and applied; without, into the database.' },
  role: { usage: 'role <scope> <aadObjectId> <role> [name]', summary: 'give someone a role in a scope (creates the member if needed); same as grant' },
  grant: { usage: 'grant <scope> <aadObjectId> <role> [name]', summary: 'give someone a role in a scope (creates the member if needed)' },
  revoke: { usage: 'revoke <scope> <aadObjectId>', summary: 'take a role back (to member; a mayor leaves the scope)' },
  access: { usage: 'access [scope] [--csv <file>]', summary: 'who has access to what: per scope its municipalities, members, roles and declaration status (the yearly BIO access review)' },
  audit: { usage: 'audit --record <SIG-…|CASE-…> | audit --user <aadObjectId>', summary: 'the audit trail of a record or a person, as CSV on stdout' },
  retention: { usage: 'retention --pending | --dry-run | --run | --report <YYYY-MM-DD>', summary: 'what retention would do today (pending), do it now, or a day\'s report (CSV)' },
  declaration: { usage: 'declaration rotate <municipality code>', summary: 'a new version of the confidentiality declaration: everyone accepts it again' },
  subject: { usage: 'subject <municipality> (--bsn <bsn> | --kvk <kvk> | --name <name> [--born <day>] | --address <postcode> <number>) [--export <file>] [--erase [--dry-run]]',
    summary: 'a data subject\'s request: list, export (inzage), erase' },
  mayors: { usage: 'mayors', summary: 'who gets the briefings and crisis alerts, and whether the bot can reach them' },
  deputy: { usage: 'deputy <municipality code> [aadObjectId …]', summary: 'who stands in for the mayor (none: clears)' },
};

const overview = () => `usage: npm run admin -- <command> [arguments]\n\n${Object.entries(COMMANDS).map(([, c]) => `  ${c.usage}\n      ${c.summary}`).join('\n')}\n`;
const helpOf = (command: string) => { const c = COMMANDS[command]; return `usage: npm run admin -- ${c.usage}\n${c.summary}\n${c.details ? `${c.details}\n` : ''}`; };

/** A usage mistake: what is wrong and how the command is used; exit code 2. */
class UsageError extends Error {}
const usage = (command: string, problem: string): never => { throw new UsageError(`${problem}\n${helpOf(command)}`); };

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
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const about = args[0];
    if (about !== undefined && !(about in COMMANDS)) {
      process.stderr.write(`unknown command "${about}"\n${overview()}`);
      return 2;
    }
    process.stdout.write(about !== undefined ? helpOf(about) : overview());
    return command === undefined ? 2 : 0;
  }
  if (!(command in COMMANDS)) {
    process.stderr.write(`unknown command "${command}"\n${overview()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(helpOf(command));
    return 0;
  }
  // The file is read by the commands that need it: a broken file must not stop a role change or `config check` itself.
  const config = configOrReport();
  if (!config) return 2;
  if (command === 'config' && args[0] === 'reload') return reloadRunningBot(config.deploymentFile, args[1]);
  const db = await openDb(config.database, config.projectRoot);
  const deps = { prisma: db.prisma, log: createLogger('silent'), now: () => new Date() };
  const op = { name: os.userInfo().username, correlationId: randomUUID().slice(0, 8) };
  const actor = { actorAadId: `operator:${op.name}`, correlationId: op.correlationId };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    switch (command) {
      case 'config': {
        const [sub, fileArg] = args;
        if (sub !== 'check' && sub !== 'show' && sub !== 'apply') return usage(command, sub === undefined ? 'missing: check, show, apply or reload' : `unknown: config ${sub}`);
        const file = (sub === 'check' ? fileArg : undefined) ?? config.deploymentFile;
        if (file === undefined) return usage(command, 'no configuration file: set WEERBAAR_CONFIG_FILE (or give the file to config check)');
        let deployment;
        try {
          deployment = loadDeploymentFile(file);
        } catch (err) {
          if (!(err instanceof ConfigFileError)) throw err;
          for (const e of err.errors) process.stderr.write(`${e}\n`);
          process.stderr.write(`${file} is not valid: ${err.errors.length} problem(s).\n`);
          return 1;
        }
        if (sub === 'show') {
          for (const line of describeDeployment(deployment)) out(line);
          return 0;
        }
        const summary = await synchroniseConfiguration(deps, file, deployment, actor, { dryRun: sub === 'check' });
        const changes = describeSync(summary);
        if (sub === 'check') {
          out(`${file} is valid: ${deployment.municipalities.length} municipalities, ${deployment.scopes.length} scope link(s).`);
          out(changes.length === 0 ? 'Applying it changes nothing.' : `Applying it would:\n${changes.map((c) => `  ${c}`).join('\n')}`);
        } else {
          out(changes.length === 0 ? `${file} applied: nothing changed.` : `${file} applied:\n${changes.map((c) => `  ${c}`).join('\n')}`);
          out('A running bot takes the briefing schedule and pacing on its next reload (kill -HUP <pid>).');
        }
        return 0;
      }
      case 'scopes':
        for (const s of await listScopes(deps)) out(`${s.id}\t${s.name}\t${s.kind}\t${s.channelId}\t${s.municipality}\t${s.members} members`);
        return 0;
      case 'role':
      case 'grant': {
        const [scope, aad, role, ...name] = args;
        if (!scope || !aad || !role) return usage(command, `missing: ${!scope ? '<scope>' : !aad ? '<aadObjectId>' : '<role>'}`);
        if (!isRole(role)) return usage(command, `unknown role "${role}": choose from ${ROLES.join(', ')}`);
        if (!isEntraObjectId(aad)) return usage(command, `"${aad}" is not an Entra object id (a GUID, Entra ID > Users > the person > Object ID)`);
        out(await setRoleAsOperator(deps, op, scope, aad, role, name.length > 0 ? name.join(' ') : undefined));
        return 0;
      }
      case 'revoke': {
        const [scope, aad] = args;
        if (!scope || !aad) return usage(command, `missing: ${!scope ? '<scope>' : '<aadObjectId>'}`);
        out(await revokeRoleAsOperator(deps, op, scope, aad));
        return 0;
      }
      case 'link': {
        const [scope, ...codes] = args;
        if (!scope || codes.length === 0) return usage(command, `missing: ${!scope ? '<scope>' : '<municipality code>'}`);
        if (config.deploymentFile === undefined) {
          out(await linkScope(deps, op, scope, codes));
          return 0;
        }
        const file = config.deploymentFile;
        const known = (await listScopes(deps)).find((s) => s.id === scope || s.channelId === scope);
        if (!known && !/^19:\S+$/.test(scope)) throw new Error(`No scope with id or channel id ${scope}`);
        const ref = known?.channelId ?? scope;
        const kind = known ? (known.kind === 'channel' ? 'channel' : 'groupChat') : /@thread\.(tacv2|skype)$/.test(scope) ? 'channel' : 'groupChat';
        const edited = withScopeLink(file, readConfigFile(file), { ref, kind, label: known?.name }, codes.map((c) => c.toUpperCase()));
        const summary = await synchroniseConfiguration(deps, file, edited.config, actor);
        await writeConfigFile(file, edited.text);
        out(`${known?.name ?? ref} serves ${codes.map((c) => c.toUpperCase()).join(', ')}: written to ${file}${summary.scopesPending > 0 && !known ? ' (linked when the bot first sees it)' : ' and applied'}.`);
        return 0;
      }
      case 'access': {
        const csvAt = args.indexOf('--csv');
        const csvFile = csvAt >= 0 ? args[csvAt + 1] : undefined;
        if (csvAt >= 0 && (!csvFile || csvFile.startsWith('--'))) return usage(command, 'missing: the file after --csv');
        const scopeRef = args.find((a, i) => !a.startsWith('--') && (csvAt < 0 || i !== csvAt + 1));
        let ids: string[] | undefined;
        if (scopeRef !== undefined) {
          const found = (await listScopes(deps)).find((s) => s.id === scopeRef || s.channelId === scopeRef);
          if (!found) throw new Error(`No scope with id or channel id ${scopeRef}`);
          ids = [found.id];
        }
        const review = await accessReview(deps, ids);
        await recordAudit(deps.prisma, { tenantId: '-', actorAadId: actor.actorAadId, scopeId: ids?.[0] ?? null, action: 'access.review', result: 'ok',
          correlationId: op.correlationId, details: { scopes: review.length, csv: csvFile !== undefined } });
        if (csvFile) {
          // Owner-only: the file lists people and their access.
          await writeFile(csvFile, accessReviewCsv(review), { mode: 0o600 });
          out(`Access review of ${review.length} scope(s), ${review.reduce((n, s) => n + s.members.length, 0)} member(s), written to ${csvFile}.`);
          return 0;
        }
        for (const s of review) {
          out(`${s.name} (${s.kind} ${s.teamsId}${s.enabled ? '' : ', DISABLED'}): ${s.municipalities.map((m) => m.code).join(', ') || 'no municipality'}`);
          for (const m of s.members) out(`  ${m.role.padEnd(11)} ${m.name}\t${m.aadObjectId}\tdeclaration ${m.declaration}`);
        }
        return 0;
      }
      case 'mayors': {
        const rows = await briefingRecipients(deps);
        for (const r of rows) out(`${r.municipality}\t${r.role}\t${r.name}\t${r.aadObjectId}\t${r.reachable}`);
        const unreachable = rows.filter((r) => r.reachable !== 'yes').length;
        out(`${rows.length} recipient(s); ${unreachable} the bot cannot reach: they need the app installed in Teams (or TEAMS_APP_CATALOG_ID with Graph).`);
        return 0;
      }
      case 'deputy': {
        const [code, ...ids] = args;
        if (!code) return usage(command, 'missing: <municipality code>');
        if (config.deploymentFile !== undefined) throw new Error(`Deputies are set in ${config.deploymentFile} (municipalities[].deputies): change them there and run config apply`);
        out(await setDeputies(deps, op, code, ids));
        return 0;
      }
      case 'declaration': {
        const [sub, code] = args;
        if (sub !== 'rotate') return usage(command, sub === undefined ? 'missing: rotate' : `unknown: declaration ${sub}`);
        if (!code) return usage(command, 'missing: <municipality code>');
        out(await rotateDeclaration(deps, op, code));
        return 0;
      }
      case 'retention': {
        const [flag, value] = args;
        if (flag === '--report') {
          if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return usage(command, 'missing: the day after --report (YYYY-MM-DD)');
          process.stdout.write(await retentionReport(deps, value));
          return 0;
        }
        if (flag !== '--dry-run' && flag !== '--run' && flag !== '--pending') return usage(command, flag === undefined ? 'missing: --pending, --dry-run, --run or --report <day>' : `unknown: ${flag}`);
        const outcome = await runRetention(deps, { dryRun: flag !== '--run' });
        if (outcome.kind === 'alreadyRan') {
          out(`Retention already ran on ${outcome.day}.`);
          return 0;
        }
        for (const i of outcome.items) out(`${outcome.kind === 'dryRun' ? 'would ' : ''}${i.action} ${i.reference} (rule ${i.rule})`);
        out(`${outcome.items.length} record(s) ${outcome.kind === 'dryRun' ? 'due' : 'processed'} on ${outcome.day}.`);
        return 0;
      }
      case 'subject': {
        const [municipality, ...rest] = args;
        const query = subjectQuery(rest);
        if (!municipality || municipality.startsWith('--')) return usage(command, 'missing: <municipality>');
        if (!query) return usage(command, 'give exactly one of --bsn, --kvk, --name or --address <postcode> <number>');
        const findings = await findSubject(deps, op, municipality, query);
        for (const s of findings.subjects) out(`subject\t${s.kind}\t${s.displayName}\t${s.scopeName}`);
        for (const r of findings.records) {
          out(`${r.kind}\t${r.reference}\t${r.scopeName}\t${r.verdict.erase ? 'erasable' : `kept (${r.verdict.reason})`}`);
        }
        out(`${findings.subjects.length} subject(s), ${findings.records.length} record(s) in ${findings.municipality.name}.`);
        const exportTo = rest.indexOf('--export') >= 0 ? rest[rest.indexOf('--export') + 1] : undefined;
        if (rest.includes('--export')) {
          if (!exportTo) return usage(command, 'missing: the file after --export');
          // Owner-only: the file holds everything about a person.
          await writeFile(exportTo, `${JSON.stringify(await exportSubject(deps, op, findings), null, 2)}\n`, { mode: 0o600 });
          out(`Export written to ${exportTo}.`);
        }
        if (rest.includes('--erase')) {
          const dryRun = rest.includes('--dry-run');
          const outcome = await eraseSubject(deps, op, findings, { dryRun });
          for (const r of outcome.anonymised) out(`${dryRun ? 'would anonymise' : 'anonymised'} ${r.reference}`);
          for (const r of outcome.kept) out(`kept ${r.reference}: ${r.verdict.erase ? '' : r.verdict.reason}`);
          out(`${outcome.anonymised.length} record(s) ${dryRun ? 'would be anonymised' : 'anonymised'}, ${outcome.kept.length} kept${outcome.erasureId ? ` (erasure ${outcome.erasureId})` : ''}.`);
        }
        return 0;
      }
      default: {
        const [flag, value] = args;
        if (flag !== '--record' && flag !== '--user') return usage(command, 'missing: --record <reference> or --user <aadObjectId>');
        if (!value) return usage(command, `missing: the value after ${flag}`);
        process.stdout.write(toCsv(await auditTrail(deps, op, flag === '--record' ? { reference: value } : { aadObjectId: value })));
        return 0;
      }
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}`);
      return 2;
    }
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

/**
 * `config reload <pid>`: the file is validated here first, so an invalid one is reported to the operator (the bot would
 * keep its configuration too); the database is not opened (the embedded one is the running bot's).
 */
function reloadRunningBot(file: string | undefined, pidArg: string | undefined): number {
  if (file === undefined || pidArg === undefined || !/^\d+$/.test(pidArg)) {
    process.stderr.write(`${file === undefined ? 'no configuration file: set WEERBAAR_CONFIG_FILE as the bot has it' : 'missing: the process id of the running bot'}\n${helpOf('config')}`);
    return 2;
  }
  try {
    loadDeploymentFile(file);
  } catch (err) {
    if (!(err instanceof ConfigFileError)) throw err;
    for (const e of err.errors) process.stderr.write(`${e}\n`);
    process.stderr.write(`${file} is not valid: not sent to the bot.\n`);
    return 1;
  }
  try {
    process.kill(Number(pidArg), 'SIGHUP');
  } catch {
    process.stderr.write(`No process ${pidArg} to signal (is the bot running, under this account?)\n`);
    return 1;
  }
  process.stdout.write(`${file} is valid; process ${pidArg} reloads it now (its log says "configuration reloaded", or why not).\n`);
  return 0;
}

/** The file as the bot uses it: one block per municipality, then the scope links. */
function describeDeployment(d: DeploymentConfig): string[] {
  return [
    ...d.municipalities.flatMap((m) => [
      `${m.code}\t${m.name} (${m.country}, ${m.country === 'NL' ? 'CBS' : 'NIS'} ${m.officialCode})`,
      `  mayors: ${m.mayors.map((p) => p.name).join(', ') || '-'}; deputies: ${m.deputies.length}`,
      `  phenomena: ${m.phenomena.map((p) => `${p.code} (${p.termDays} d)`).join(', ')}`,
      `  legal bases: ${m.legalBases.map((b) => b.code).join(', ')}`,
      `  retention: ${m.retention.map((r) => `${r.status}: anonymise ${r.anonymiseAfterMonths} mo, delete ${r.deleteAfterMonths} mo`).join('; ')}`,
      `  BSN: ${m.allowBsn ? 'allowed' : 'not allowed'}; confidentiality levels: ${m.confidentialityLevels.join(', ')}; declaration: ${m.declaration ? `version ${m.declaration.version}` : 'built-in text'}`,
    ]),
    ...d.scopes.map((s) => `scope ${s.label ?? s.ref} (${s.ref}): ${s.municipalities.join(', ')}`),
    `briefing: ${JSON.stringify(d.briefing)}; pacing: ${JSON.stringify(d.pacing)}`,
  ];
}

runMain('admin', () => main(process.argv.slice(2)));
