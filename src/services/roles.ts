// Role management: an admin of a scope gives a member of that scope a role. Every change is audited.
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { ROLES, type Role } from '../domain/roles.js';
import { recordAudit } from '../store/audit.js';
import { membersNamed } from '../store/scopes.js';
import { refusalFor, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';

export type RoleResult =
  | { kind: 'done'; name: string; role: Role }
  | { kind: 'unknownRole' }
  | { kind: 'noMatch' }
  | { kind: 'ambiguous'; names: string[] }
  | { kind: 'refused'; reason: Refusal };

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);

/** `rol <persoon> <rol>` in a channel: the person is found among that channel's members by (part of) their name. */
export async function setRoleInScope(deps: ServiceDeps, req: RequestContext, caller: Caller, who: string, role: string): Promise<RoleResult> {
  const scope = caller.currentScope;
  if (!scope || !isAllowed(scope.role, 'role.manage')) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: scope?.scopeId ?? null, action: 'role.set',
      result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: scope ? 'forbidden' : refusalFor(caller) };
  }
  const wanted = role.trim().toLowerCase();
  if (!isRole(wanted)) return { kind: 'unknownRole' };
  const query = who.trim().replace(/^@/, '');
  const matches = await membersNamed(deps.prisma, [scope.scopeId], query, { activeOnly: true });
  if (matches.length === 0) return { kind: 'noMatch' };
  if (matches.length > 1) return { kind: 'ambiguous', names: matches.map((m) => m.name) };
  const target = matches[0];
  await deps.prisma.$transaction(async (tx) => {
    await tx.member.update({ where: { id: target.id }, data: { role: wanted } });
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: scope.scopeId, action: 'role.set', recordType: 'Member',
      recordId: target.id, result: 'ok', correlationId: req.correlationId, details: { from: target.role, to: wanted } });
  });
  return { kind: 'done', name: target.name, role: wanted };
}
