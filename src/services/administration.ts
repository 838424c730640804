// Administration from the command line (npm run admin): bootstrapping the first admin, linking a channel to its
// municipality, and the audit trail of a record or a person. The actor is the operator's account; every change
// is audited like any other.
import { isEntraObjectId, isUuid } from '../domain/identifiers.js';
import type { Role } from '../domain/roles.js';
import { normaliseReference } from '../domain/reference.js';
import { DEFAULT_DECLARATION } from '../domain/declaration.js';
import { recordAudit } from '../store/audit.js';
import { linkScopeTo } from './configuration.js';
import { alertRecipientsOf } from './briefings.js';
import type { ServiceDeps } from './context.js';

export interface Operator { name: string; correlationId: string }

async function scopeByIdOrChannel(deps: ServiceDeps, ref: string) {
  return deps.prisma.scope.findFirst({ where: isUuid(ref) ? { id: ref } : { OR: [{ channelId: ref }, { chatId: ref }] } });
}

export async function listScopes(deps: ServiceDeps) {
  const rows = await deps.prisma.scope.findMany({ include: { municipality: { select: { code: true } }, _count: { select: { members: { where: { active: true } } } } }, orderBy: { name: 'asc' } });
  return rows.map((s) => ({ id: s.id, name: s.name, kind: s.kind, channelId: s.channelId ?? s.chatId ?? '', municipality: s.municipality?.code ?? '-', members: s._count.members }));
}

export async function setRoleAsOperator(deps: ServiceDeps, op: Operator, scopeRef: string, aadObjectId: string, role: Role, name?: string): Promise<string> {
  const scope = await scopeByIdOrChannel(deps, scopeRef);
  if (!scope) throw new Error(`No scope with id or channel id ${scopeRef}`);
  return deps.prisma.$transaction(async (tx) => {
    const member = await tx.member.upsert({
      where: { scopeId_aadObjectId: { scopeId: scope.id, aadObjectId } },
      create: { scopeId: scope.id, aadObjectId, name: name ?? aadObjectId, role },
      update: { role, active: true, ...(name ? { name } : {}) },
    });
    await recordAudit(tx, { tenantId: scope.tenantId, actorAadId: `operator:${op.name}`, scopeId: scope.id, action: 'role.set', recordType: 'Member',
      recordId: member.id, result: 'ok', correlationId: op.correlationId, details: { to: role, via: 'cli' } });
    return `${member.name} is ${role} in ${scope.name}`;
  });
}

/** Links a scope (by id, channel id or chat id) to one or more municipalities (by code; the first is its own) and enables it. */
export async function linkScope(deps: ServiceDeps, op: Operator, scopeRef: string, municipalityCodes: string | readonly string[]): Promise<string> {
  const scope = await scopeByIdOrChannel(deps, scopeRef);
  if (!scope) throw new Error(`No scope with id or channel id ${scopeRef}`);
  const codes = [...new Set((typeof municipalityCodes === 'string' ? [municipalityCodes] : municipalityCodes).map((c) => c.toUpperCase()))];
  const found = await deps.prisma.municipality.findMany({ where: { code: { in: codes } }, select: { id: true, code: true, name: true } });
  const missing = codes.find((c) => !found.some((m) => m.code === c));
  if (missing !== undefined) throw new Error(`No municipality with code ${missing}`);
  const ordered = codes.map((c) => found.find((m) => m.code === c) as { id: string; code: string; name: string });
  await deps.prisma.$transaction(async (tx) => {
    const current = await tx.scope.findUniqueOrThrow({ where: { id: scope.id }, select: { id: true, tenantId: true, municipalityId: true, enabled: true,
      serves: { select: { municipalityId: true, position: true } } } });
    // Linking is the admin's go-ahead: the scope is enabled from now on.
    await linkScopeTo(tx, current, ordered, { actorAadId: `operator:${op.name}`, correlationId: op.correlationId }, 'cli');
  });
  return `${scope.name} is linked to ${ordered.map((m) => m.name).join(', ')} and enabled`;
}

/** Takes a role back: to member (the base role that follows the Teams roster); a mayor, enrolled explicitly, loses the scope. */
export async function revokeRoleAsOperator(deps: ServiceDeps, op: Operator, scopeRef: string, aadObjectId: string): Promise<string> {
  const scope = await scopeByIdOrChannel(deps, scopeRef);
  if (!scope) throw new Error(`No scope with id or channel id ${scopeRef}`);
  const member = await deps.prisma.member.findUnique({ where: { scopeId_aadObjectId: { scopeId: scope.id, aadObjectId } } });
  if (!member || !member.active) throw new Error(`${aadObjectId} is not a member of ${scope.name}`);
  if (member.role === 'member') throw new Error(`${member.name} has no role beyond member in ${scope.name} (membership itself follows the Teams roster)`);
  return deps.prisma.$transaction(async (tx) => {
    const data = member.role === 'mayor' ? { active: false } : { role: 'member' as const };
    await tx.member.update({ where: { id: member.id }, data });
    await recordAudit(tx, { tenantId: scope.tenantId, actorAadId: `operator:${op.name}`, scopeId: scope.id, action: 'role.revoke', recordType: 'Member',
      recordId: member.id, result: 'ok', correlationId: op.correlationId, details: { from: member.role, to: member.role === 'mayor' ? 'none' : 'member', via: 'cli' } });
    return member.role === 'mayor' ? `${member.name} is no longer mayor in ${scope.name} (removed from the scope)` : `${member.name} is member in ${scope.name} (was ${member.role})`;
  });
}

/**
 * A new version of a municipality's confidentiality declaration, with the current text: everyone is asked to accept it
 * again before their next access (the yearly renewal, or after an incident).
 */
export async function rotateDeclaration(deps: ServiceDeps, op: Operator, municipalityCode: string): Promise<string> {
  const municipality = await deps.prisma.municipality.findUnique({ where: { code: municipalityCode.toUpperCase() } });
  if (!municipality) throw new Error(`No municipality with code ${municipalityCode}`);
  return deps.prisma.$transaction(async (tx) => {
    const current = await tx.confidentialityDeclaration.findFirst({ where: { municipalityId: municipality.id }, orderBy: { version: 'desc' } });
    const version = (current?.version ?? 0) + 1;
    await tx.confidentialityDeclaration.create({ data: { municipalityId: municipality.id, version, textNl: current?.textNl ?? DEFAULT_DECLARATION.nl, textEn: current?.textEn ?? DEFAULT_DECLARATION.en } });
    const scope = await tx.scope.findFirst({ where: { municipalityId: municipality.id }, select: { tenantId: true } });
    await recordAudit(tx, { tenantId: scope?.tenantId ?? '-', actorAadId: `operator:${op.name}`, scopeId: null, action: 'declaration.version', recordType: 'Municipality',
      recordId: municipality.id, result: 'ok', correlationId: op.correlationId, details: { code: municipality.code, version, via: 'cli' } });
    return `${municipality.name}: declaration version ${version}; everyone accepts it again before their next access`;
  });
}

/** Who receives a municipality's briefings and alerts, and whether the bot can reach them (their personal chat with it). */
export interface RecipientRow { municipality: string; role: 'mayor' | 'deputy'; aadObjectId: string; name: string; reachable: 'yes' | 'no chat' | 'removed' }

export async function briefingRecipients(deps: ServiceDeps): Promise<RecipientRow[]> {
  const municipalities = await deps.prisma.municipality.findMany({ orderBy: { code: 'asc' }, select: { id: true, code: true } });
  const rows: RecipientRow[] = [];
  for (const m of municipalities) {
    const { tenantId, mayors, deputies } = await alertRecipientsOf(deps.prisma, m.id);
    const people = [...mayors.map((p) => ({ role: 'mayor' as const, aadObjectId: p.aadObjectId, name: p.name })),
      ...deputies.map((aadObjectId) => ({ role: 'deputy' as const, aadObjectId, name: '' }))];
    for (const p of people) {
      const ref = tenantId ? await deps.prisma.conversationRef.findUnique({ where: { tenantId_aadObjectId: { tenantId, aadObjectId: p.aadObjectId } } }) : null;
      const name = p.name || (await deps.prisma.member.findFirst({ where: { aadObjectId: p.aadObjectId }, select: { name: true } }))?.name || p.aadObjectId;
      rows.push({ municipality: m.code, role: p.role, aadObjectId: p.aadObjectId, name, reachable: !ref ? 'no chat' : ref.goneAt ? 'removed' : 'yes' });
    }
  }
  return rows;
}

/** Who stands in for the mayor of a municipality (an unanswered crisis alert is escalated to them). */
export async function setDeputies(deps: ServiceDeps, op: Operator, municipalityCode: string, aadObjectIds: readonly string[]): Promise<string> {
  const notAnId = aadObjectIds.find((id) => !isEntraObjectId(id));
  if (notAnId !== undefined) throw new Error(`"${notAnId}" is not an Entra object id (a GUID, as in Entra ID > Users > the person > Object ID)`);
  const municipality = await deps.prisma.municipality.findUnique({ where: { code: municipalityCode.toUpperCase() } });
  if (!municipality) throw new Error(`No municipality with code ${municipalityCode}`);
  const scope = await deps.prisma.scope.findFirst({ where: { municipalityId: municipality.id }, select: { id: true, tenantId: true } });
  const deputies = [...new Set(aadObjectIds.map((id) => id.toLowerCase()))];
  await deps.prisma.$transaction(async (tx) => {
    await tx.municipality.update({ where: { id: municipality.id }, data: { deputyAadIds: deputies } });
    await recordAudit(tx, { tenantId: scope?.tenantId ?? '', actorAadId: `operator:${op.name}`, scopeId: scope?.id ?? null, action: 'municipality.deputies',
      recordType: 'Municipality', recordId: municipality.id, result: 'ok', correlationId: op.correlationId, details: { deputies: deputies.length } });
  });
  return deputies.length === 0 ? `${municipality.name} has no deputy` : `${municipality.name}: ${deputies.length} ${deputies.length === 1 ? 'deputy' : 'deputies'} set`;
}

export interface AuditRow { at: string; actor: string; action: string; recordType: string; recordId: string; scopeId: string; result: string; correlationId: string }

/** Who did what to a record (by reference), or what one person did and saw. Reading the trail is audited too. */
export async function auditTrail(deps: ServiceDeps, op: Operator, filter: { reference: string } | { aadObjectId: string }): Promise<AuditRow[]> {
  let where;
  if ('reference' in filter) {
    const reference = normaliseReference(filter.reference);
    if (!reference) throw new Error(`Not a reference: ${filter.reference}`);
    const [signals, cases] = await Promise.all([
      deps.prisma.signal.findMany({ where: { reference }, select: { id: true } }),
      deps.prisma.case.findMany({ where: { reference }, select: { id: true } }),
    ]);
    where = { recordId: { in: [...signals, ...cases].map((r) => r.id) } };
  } else {
    where = { actorAadId: filter.aadObjectId };
  }
  const rows = await deps.prisma.auditEvent.findMany({ where, orderBy: { id: 'asc' }, take: 100_000 });
  await recordAudit(deps.prisma, { tenantId: '-', actorAadId: `operator:${op.name}`, scopeId: null, action: 'audit.read', result: 'ok',
    correlationId: op.correlationId, details: 'reference' in filter ? { reference: filter.reference } : { user: filter.aadObjectId } });
  return rows.map((r) => ({ at: r.at.toISOString(), actor: r.actorAadId, action: r.action, recordType: r.recordType ?? '', recordId: r.recordId ?? '',
    scopeId: r.scopeId ?? '', result: r.result, correlationId: r.correlationId }));
}

/** RFC 4180 CSV: quoted where needed, so the file opens cleanly in a spreadsheet. */
export function toCsv(rows: readonly AuditRow[]): string {
  const header: (keyof AuditRow)[] = ['at', 'actor', 'action', 'recordType', 'recordId', 'scopeId', 'result', 'correlationId'];
  const cell = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(r[h])).join(','))].join('\r\n') + '\r\n';
}
