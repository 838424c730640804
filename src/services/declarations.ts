// The declaration gate: which declaration this caller must accept before touching data here, and accepting it.
import type { Caller } from '../domain/caller.js';
import { pendingDeclaration, type DeclarationText } from '../domain/declaration.js';
import { recordAudit } from '../store/audit.js';
import { acceptedVersions, currentDeclarations, recordAcceptance } from '../store/declarations.js';
import { municipalitiesOfScopes } from './accessReview.js';
import type { RequestContext, ServiceDeps } from './context.js';

export interface PendingDeclaration extends DeclarationText { municipalityId: string; municipalityName: string }

/**
 * In a channel: the declaration of that channel's municipality. In personal chat: the first one among the
 * caller's municipalities (each is asked in turn).
 */
export async function declarationToAccept(deps: ServiceDeps, caller: Caller): Promise<PendingDeclaration | undefined> {
  const memberships = caller.place.kind === 'personal' ? caller.memberships : caller.currentScope ? [caller.currentScope] : [];
  // A shared programme team works for several municipalities: each one's declaration is asked.
  const served = await municipalitiesOfScopes(deps, memberships.map((m) => m.scopeId));
  const ids = [...new Set([...memberships.flatMap((m) => (m.municipalityId ? [m.municipalityId] : [])), ...memberships.flatMap((m) => (served.get(m.scopeId) ?? []).map((x) => x.id))])];
  if (ids.length === 0) return undefined;
  const [current, accepted] = await Promise.all([currentDeclarations(deps.prisma, ids), acceptedVersions(deps.prisma, caller.aadObjectId, ids)]);
  for (const id of ids) {
    const pending = pendingDeclaration(current.get(id), accepted.get(id) ?? []);
    if (pending) {
      const m = await deps.prisma.municipality.findUniqueOrThrow({ where: { id }, select: { name: true } });
      return { ...pending, municipalityId: id, municipalityName: m.name };
    }
  }
  return undefined;
}

export async function acceptDeclaration(deps: ServiceDeps, req: RequestContext, caller: Caller, municipalityId: string, version: number): Promise<boolean> {
  const pending = await declarationToAccept(deps, caller);
  // Only the declaration actually shown to this caller can be accepted.
  if (!pending || pending.municipalityId !== municipalityId || pending.version !== version) return false;
  const now = deps.now();
  await deps.prisma.$transaction(async (tx) => {
    await recordAcceptance(tx, { municipalityId, version, tenantId: caller.tenantId, aadObjectId: caller.aadObjectId, acceptedAt: now });
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'declaration.accept',
      recordType: 'Municipality', recordId: municipalityId, result: 'ok', correlationId: req.correlationId, details: { version } });
  });
  return true;
}
