// The beheer card's use cases: an admin of a scope sees its municipalities, members, roles and declaration status
// and the next retention run, and changes roles from the card. Reading the member list and every change are audited.
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import type { Role } from '../domain/roles.js';
import { recordAudit } from '../store/audit.js';
import { accessReview, type ReviewScope } from './accessReview.js';
import { refusalFor, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { nextRetention } from './retention.js';
import { isRole } from './roles.js';

/** More than this many members do not fit one card (Teams keeps cards under 28 KB); the rest: npm run admin -- access. */
export const CARD_MEMBER_LIMIT = 40;

export interface BeheerView {
  scope: ReviewScope;
  municipalities: { code: string; name: string; country: string; officialCode: string | null }[];
  retention: { day: string; due: number };
}

export type BeheerResult = { kind: 'view'; view: BeheerView } | { kind: 'refused'; reason: Refusal };

export type RoleChangeError = { memberId: string; code: 'unknownRole' | 'lastAdmin' };
export type RoleChangeResult =
  | { kind: 'done'; view: BeheerView; changed: { name: string; from: Role; to: Role }[] }
  | { kind: 'invalid'; view: BeheerView; errors: RoleChangeError[] }
  | { kind: 'refused'; reason: Refusal };

async function scopeOfAdmin(deps: ServiceDeps, req: RequestContext, caller: Caller, action: string): Promise<{ scopeId: string } | { refused: Refusal }> {
  const scope = caller.currentScope;
  if (!scope || !isAllowed(scope.role, 'role.manage')) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: scope?.scopeId ?? null, action, result: 'denied', correlationId: req.correlationId });
    return { refused: scope ? 'forbidden' : refusalFor(caller) };
  }
  return { scopeId: scope.scopeId };
}

async function viewOf(deps: ServiceDeps, scopeId: string): Promise<BeheerView> {
  const [scope] = await accessReview(deps, [scopeId]);
  const rows = await deps.prisma.municipality.findMany({ where: { id: { in: scope.municipalities.map((m) => m.id) } }, select: { id: true, code: true, name: true, country: true, officialCode: true } });
  const municipalities = scope.municipalities.flatMap((m) => rows.filter((r) => r.id === m.id)).map((r) => ({ code: r.code, name: r.name, country: r.country, officialCode: r.officialCode }));
  return { scope, municipalities, retention: await nextRetention(deps, scope.municipalities.map((m) => m.id)) };
}

export async function beheerOverview(deps: ServiceDeps, req: RequestContext, caller: Caller): Promise<BeheerResult> {
  const admin = await scopeOfAdmin(deps, req, caller, 'access.review');
  if ('refused' in admin) return { kind: 'refused', reason: admin.refused };
  const view = await viewOf(deps, admin.scopeId);
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: admin.scopeId, action: 'access.review', recordType: 'Scope',
    recordId: admin.scopeId, result: 'ok', correlationId: req.correlationId, details: { members: view.scope.members.length, via: 'teams' } });
  return { kind: 'view', view };
}

/**
 * Role changes from the card: `wanted` maps member ids to the role chosen for them (unchanged ones included). All or
 * nothing: an unknown role, or taking the last admin's role away (nobody could manage the scope then), changes nothing.
 */
export async function changeRoles(deps: ServiceDeps, req: RequestContext, caller: Caller, wanted: Readonly<Record<string, string>>): Promise<RoleChangeResult> {
  const admin = await scopeOfAdmin(deps, req, caller, 'role.set');
  if ('refused' in admin) return { kind: 'refused', reason: admin.refused };
  const members = await deps.prisma.member.findMany({ where: { scopeId: admin.scopeId, active: true }, select: { id: true, name: true, role: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] });
  const errors: RoleChangeError[] = [];
  const changes: { id: string; name: string; from: Role; to: Role }[] = [];
  for (const m of members) {
    const choice = wanted[m.id];
    if (choice === undefined || choice === '' || choice === m.role) continue;
    if (!isRole(choice)) errors.push({ memberId: m.id, code: 'unknownRole' });
    else changes.push({ id: m.id, name: m.name, from: m.role, to: choice });
  }
  const adminsAfter = members.filter((m) => (changes.find((c) => c.id === m.id)?.to ?? m.role) === 'admin').length;
  if (adminsAfter === 0) for (const c of changes.filter((x) => x.from === 'admin')) errors.push({ memberId: c.id, code: 'lastAdmin' });
  if (errors.length > 0) return { kind: 'invalid', view: await viewOf(deps, admin.scopeId), errors };
  if (changes.length > 0) {
    await deps.prisma.$transaction(async (tx) => {
      for (const c of changes) {
        await tx.member.update({ where: { id: c.id }, data: { role: c.to } });
        await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: admin.scopeId, action: 'role.set', recordType: 'Member', recordId: c.id,
          result: 'ok', correlationId: req.correlationId, details: { from: c.from, to: c.to, via: 'beheer' } });
      }
    });
  }
  return { kind: 'done', view: await viewOf(deps, admin.scopeId), changed: changes.map(({ name, from, to }) => ({ name, from, to })) };
}
