// The configuration file into the database: municipalities (with phenomena, deadlines and privacy protocol), their
// declarations and which scopes serve them, in ONE transaction, at start and on every reload. The file is the source
// of truth for these; roles stay in the database (granted with npm run admin or the beheer card). Every change that
// touches access or retention is audited; a file that conflicts with what the database holds is refused as a whole.
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_DECLARATION } from '../domain/declaration.js';
import { formatPath, type ConfiguredMunicipality, type DeploymentConfig } from '../domain/deploymentConfig.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import type { ServiceDeps } from './context.js';

/** Who applies the file: the bot at start or reload (system:config), or an operator from the command line. */
export interface ConfigActor { actorAadId: string; correlationId: string }

export interface SyncSummary {
  created: string[];
  /** Municipality code -> the settings that changed. */
  updated: Record<string, string[]>;
  declarations: string[];
  scopesLinked: number;
  scopesDisabled: number;
  /** Teams ids in the file the bot has not seen yet: linked when it does. */
  scopesPending: number;
  /** What the file leaves alone but an administrator should know (no personal data). */
  warnings: string[];
}

/** The file conflicts with the database (e.g. a declaration version reused with another text): nothing was applied. */
export class ConfigConflictError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'ConfigConflictError';
  }
}

// Settings whose change affects who may see what, or how long data is kept: audited as such.
const ACCESS_FIELDS = new Set(['mayors', 'deputyAadIds', 'confidentialityLevels', 'allowBsn']);
const RETENTION_FIELDS = new Set(['retention']);

function rowOf(m: ConfiguredMunicipality) {
  return {
    name: m.name, country: m.country, officialCode: m.officialCode,
    phenomena: m.phenomena.map((p) => ({ ...p })), legalBases: m.legalBases.map((b) => ({ ...b })), retention: m.retention.map((r) => ({ ...r })),
    allowBsn: m.allowBsn, deputyAadIds: [...m.deputies], mayors: m.mayors.map((p) => ({ ...p })), confidentialityLevels: [...m.confidentialityLevels],
  };
}

type Tx = Prisma.TransactionClient;

async function syncDeclaration(tx: Tx, file: string, index: number, municipalityId: string, code: string, m: ConfiguredMunicipality, errors: string[]): Promise<number | undefined> {
  const wanted = m.declaration ?? { version: DEFAULT_DECLARATION.version, nl: DEFAULT_DECLARATION.nl, en: DEFAULT_DECLARATION.en };
  const existing = await tx.confidentialityDeclaration.findMany({ where: { municipalityId }, orderBy: { version: 'desc' } });
  const path = formatPath(['municipalities', index, 'privacy', 'declaration', 'version']);
  const same = existing.find((d) => d.version === wanted.version);
  if (same) {
    if (m.declaration && (same.textNl !== wanted.nl || same.textEn !== wanted.en)) {
      errors.push(`${file}: ${path}: version ${wanted.version} of ${code}'s declaration exists with another text; give the new text version ${existing[0].version + 1}`);
    }
    return undefined;
  }
  // Without a declaration in the file, whatever the database holds (a rotated version included) stays.
  if (!m.declaration && existing.length > 0) return undefined;
  if (existing.length > 0 && wanted.version < existing[0].version) {
    errors.push(`${file}: ${path}: expected ${existing[0].version} or higher (${code}'s current declaration version), got ${wanted.version}`);
    return undefined;
  }
  await tx.confidentialityDeclaration.create({ data: { municipalityId, version: wanted.version, textNl: wanted.nl, textEn: wanted.en } });
  return wanted.version;
}

/** The scopes of a Teams id (a channel id is unique per tenant; a bot serving several tenants may see it in each). */
const scopesOfRef = (tx: Tx, ref: string) => tx.scope.findMany({ where: { OR: [{ channelId: ref }, { chatId: ref }] }, select: { id: true, tenantId: true, municipalityId: true, enabled: true, serves: { select: { municipalityId: true, position: true } } } });

/** Links a scope to these municipalities (the first its own) and enables it; audited when anything changed. */
export async function linkScopeTo(tx: Tx, scope: { id: string; tenantId: string; municipalityId: string | null; enabled: boolean; serves: { municipalityId: string; position: number }[] },
  municipalities: readonly { id: string; code: string }[], actor: ConfigActor, via: 'config' | 'cli' | 'teams'): Promise<boolean> {
  const current = [...scope.serves].sort((a, b) => a.position - b.position).map((s) => s.municipalityId);
  const wanted = municipalities.map((m) => m.id);
  if (scope.enabled && scope.municipalityId === wanted[0] && isDeepStrictEqual(current, wanted)) return false;
  await tx.scopeMunicipality.deleteMany({ where: { scopeId: scope.id } });
  await tx.scopeMunicipality.createMany({ data: wanted.map((municipalityId, position) => ({ scopeId: scope.id, municipalityId, position })) });
  await tx.scope.update({ where: { id: scope.id }, data: { municipalityId: wanted[0], enabled: true } });
  await recordAudit(tx, { tenantId: scope.tenantId, actorAadId: actor.actorAadId, scopeId: scope.id, action: 'scope.link', recordType: 'Scope', recordId: scope.id,
    result: 'ok', correlationId: actor.correlationId, details: { municipalities: municipalities.map((m) => m.code), via } });
  return true;
}

/**
 * Applies the file to the database. `file` names the file in conflict messages. With `dryRun` everything is checked
 * and summarised, and nothing is kept.
 */
export async function synchroniseConfiguration(deps: ServiceDeps, file: string, config: DeploymentConfig, actor: ConfigActor, opts: { dryRun?: boolean } = {}): Promise<SyncSummary> {
  const summary: SyncSummary = { created: [], updated: {}, declarations: [], scopesLinked: 0, scopesDisabled: 0, scopesPending: 0, warnings: [] };
  const errors: string[] = [];
  const rollback = new Error('dry run');
  const now = deps.now();
  try {
    await deps.prisma.$transaction(async (tx) => {
      const ids = new Map<string, string>();
      for (const [index, m] of config.municipalities.entries()) {
        const data = rowOf(m);
        const existing = await tx.municipality.findUnique({ where: { code: m.code } });
        let id: string;
        if (!existing) {
          id = (await tx.municipality.create({ data: { code: m.code, ...data, configuredAt: now } })).id;
          summary.created.push(m.code);
          await recordAudit(tx, { tenantId: '-', actorAadId: actor.actorAadId, scopeId: null, action: 'config.municipality', recordType: 'Municipality', recordId: id,
            result: 'ok', correlationId: actor.correlationId, details: { code: m.code, created: true } });
        } else {
          id = existing.id;
          const before: Record<string, unknown> = { ...existing };
          const changed = Object.entries(data).filter(([k, v]) => !isDeepStrictEqual(before[k], v)).map(([k]) => k);
          if (changed.includes('country') && await tx.signal.count({ where: { municipalityId: id } }) > 0) {
            errors.push(`${file}: ${formatPath(['municipalities', index, 'country'])}: expected ${existing.country} (the municipality has records), got "${m.country}"`);
          }
          if (changed.length > 0) {
            await tx.municipality.update({ where: { id }, data: { ...data, configuredAt: now } });
            summary.updated[m.code] = changed;
            const scope = await tx.scope.findFirst({ where: { municipalityId: id }, select: { id: true, tenantId: true } });
            await recordAudit(tx, { tenantId: scope?.tenantId ?? '-', actorAadId: actor.actorAadId, scopeId: null, action: 'config.municipality', recordType: 'Municipality',
              recordId: id, result: 'ok', correlationId: actor.correlationId,
              details: { code: m.code, changed, access: changed.some((c) => ACCESS_FIELDS.has(c)), retention: changed.some((c) => RETENTION_FIELDS.has(c)) } });
          }
        }
        ids.set(m.code, id);
        const declared = await syncDeclaration(tx, file, index, id, m.code, m, errors);
        if (declared !== undefined) {
          summary.declarations.push(`${m.code} v${declared}`);
          await recordAudit(tx, { tenantId: '-', actorAadId: actor.actorAadId, scopeId: null, action: 'declaration.version', recordType: 'Municipality', recordId: id,
            result: 'ok', correlationId: actor.correlationId, details: { code: m.code, version: declared } });
        }
      }
      const listed = new Set(config.scopes.map((s) => s.ref));
      const previous = await tx.configuredScope.findMany();
      for (const s of config.scopes) {
        await tx.configuredScope.upsert({ where: { ref: s.ref }, create: { ref: s.ref, kind: s.kind, label: s.label ?? null, municipalityCodes: [...s.municipalities] },
          update: { kind: s.kind, label: s.label ?? null, municipalityCodes: [...s.municipalities] } });
        const scopes = await scopesOfRef(tx, s.ref);
        if (scopes.length === 0) summary.scopesPending++;
        for (const scope of scopes) {
          if (await linkScopeTo(tx, scope, s.municipalities.map((code) => ({ id: ids.get(code) as string, code })), actor, 'config')) summary.scopesLinked++;
        }
      }
      // A scope taken out of the file loses access (disabled); its records stay with their municipality.
      for (const gone of previous.filter((p) => !listed.has(p.ref))) {
        await tx.configuredScope.delete({ where: { ref: gone.ref } });
        for (const scope of await scopesOfRef(tx, gone.ref)) {
          if (!scope.enabled) continue;
          await tx.scope.update({ where: { id: scope.id }, data: { enabled: false } });
          await recordAudit(tx, { tenantId: scope.tenantId, actorAadId: actor.actorAadId, scopeId: scope.id, action: 'scope.disable', recordType: 'Scope', recordId: scope.id,
            result: 'ok', correlationId: actor.correlationId, details: { via: 'config' } });
          summary.scopesDisabled++;
        }
      }
      const others = await tx.municipality.findMany({ where: { code: { notIn: config.municipalities.map((m) => m.code) } }, select: { code: true } });
      for (const o of others) summary.warnings.push(`municipality ${o.code} is in the database but not in the file: it keeps its last settings`);
      if (previous.length === 0) {
        const enabled = await tx.scope.findMany({ where: { enabled: true }, select: { channelId: true, chatId: true } });
        const unlisted = enabled.filter((e) => !listed.has(e.channelId ?? e.chatId ?? '')).length;
        if (unlisted > 0) summary.warnings.push(`${unlisted} enabled scope(s) are not in the file: they keep their link until listed`);
      }
      if (errors.length > 0) throw new ConfigConflictError(errors);
      if (opts.dryRun) throw rollback;
    }, { timeout: 60_000 });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return summary;
}

/** A scope the bot has just registered: the file's link for its Teams id, if any, applies now. */
export async function applyConfiguredLink(tx: Tx, scopeId: string, ref: string): Promise<void> {
  const configured = await tx.configuredScope.findUnique({ where: { ref } });
  if (!configured) return;
  const municipalities = await tx.municipality.findMany({ where: { code: { in: configured.municipalityCodes } }, select: { id: true, code: true } });
  const ordered = configured.municipalityCodes.flatMap((code) => municipalities.filter((m) => m.code === code));
  if (ordered.length === 0) return;
  const scope = await tx.scope.findUniqueOrThrow({ where: { id: scopeId }, select: { id: true, tenantId: true, municipalityId: true, enabled: true, serves: { select: { municipalityId: true, position: true } } } });
  await linkScopeTo(tx, scope, ordered, { actorAadId: 'system:config', correlationId: 'config' }, 'config');
}

/** One line per change, for the command line and the log (codes and counts only). */
export function describeSync(s: SyncSummary): string[] {
  return [
    ...s.created.map((c) => `created municipality ${c}`),
    ...Object.entries(s.updated).map(([c, fields]) => `updated municipality ${c}: ${fields.join(', ')}`),
    ...s.declarations.map((d) => `new declaration ${d}`),
    ...(s.scopesLinked > 0 ? [`linked ${s.scopesLinked} scope(s)`] : []),
    ...(s.scopesDisabled > 0 ? [`disabled ${s.scopesDisabled} scope(s) no longer in the file`] : []),
    ...(s.scopesPending > 0 ? [`${s.scopesPending} scope(s) in the file the bot has not seen yet (linked when it does)`] : []),
    ...s.warnings.map((w) => `warning: ${w}`),
  ];
}
