// Who has access to what: per scope its municipalities and its active members with their roles and whether they
// accepted the current confidentiality declaration. The yearly BIO access review (CSV) and the beheer card read it.
import { currentDeclarations } from '../store/declarations.js';
import type { Role } from '../domain/roles.js';
import type { ServiceDeps } from './context.js';

export interface ReviewMember {
  memberId: string;
  aadObjectId: string;
  name: string;
  role: Role;
  /** The current declaration of each municipality the scope serves: accepted (its version) or not. */
  declaration: 'accepted' | 'pending' | 'none';
  since: Date;
  changedAt: Date;
}

export interface ReviewScope {
  scopeId: string;
  name: string;
  kind: string;
  teamsId: string;
  tenantId: string;
  enabled: boolean;
  municipalities: { id: string; code: string; name: string }[];
  members: ReviewMember[];
}

/** The scopes' municipalities in order: the ones it serves, else its own (a scope linked before several were possible). */
export async function municipalitiesOfScopes(deps: ServiceDeps, scopeIds: readonly string[]): Promise<Map<string, { id: string; code: string; name: string }[]>> {
  const scopes = await deps.prisma.scope.findMany({ where: { id: { in: [...scopeIds] } }, select: { id: true, municipality: { select: { id: true, code: true, name: true } },
    serves: { orderBy: { position: 'asc' }, select: { municipality: { select: { id: true, code: true, name: true } } } } } });
  return new Map(scopes.map((s) => [s.id, s.serves.length > 0 ? s.serves.map((x) => x.municipality) : s.municipality ? [s.municipality] : []]));
}

/** The review of one scope (by id) or of every scope; members only while active (they have access). */
export async function accessReview(deps: ServiceDeps, scopeIds?: readonly string[]): Promise<ReviewScope[]> {
  const scopes = await deps.prisma.scope.findMany({
    where: scopeIds ? { id: { in: [...scopeIds] } } : {},
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, kind: true, channelId: true, chatId: true, tenantId: true, enabled: true,
      members: { where: { active: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, aadObjectId: true, name: true, role: true, createdAt: true, updatedAt: true } } },
  });
  const municipalities = await municipalitiesOfScopes(deps, scopes.map((s) => s.id));
  const municipalityIds = [...new Set([...municipalities.values()].flat().map((m) => m.id))];
  const current = await currentDeclarations(deps.prisma, municipalityIds);
  const accepted = await deps.prisma.declarationAcceptance.findMany({
    where: { municipalityId: { in: municipalityIds }, aadObjectId: { in: [...new Set(scopes.flatMap((s) => s.members.map((m) => m.aadObjectId)))] } },
    select: { municipalityId: true, version: true, aadObjectId: true },
  });
  const has = new Set(accepted.map((a) => `${a.municipalityId}:${a.version}:${a.aadObjectId}`));
  return scopes.map((s) => {
    const served = municipalities.get(s.id) ?? [];
    const declared = served.flatMap((m) => { const d = current.get(m.id); return d ? [{ municipalityId: m.id, version: d.version }] : []; });
    return {
      scopeId: s.id, name: s.name, kind: s.kind, teamsId: s.channelId ?? s.chatId ?? '', tenantId: s.tenantId, enabled: s.enabled, municipalities: served,
      members: s.members.map((m) => ({
        memberId: m.id, aadObjectId: m.aadObjectId, name: m.name, role: m.role, since: m.createdAt, changedAt: m.updatedAt,
        declaration: declared.length === 0 ? 'none' as const : declared.every((d) => has.has(`${d.municipalityId}:${d.version}:${m.aadObjectId}`)) ? 'accepted' as const : 'pending' as const,
      })),
    };
  });
}

const cell = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** RFC 4180 CSV, one row per member per scope: what the yearly access review (BIO) signs off. */
export function accessReviewCsv(review: readonly ReviewScope[]): string {
  const header = ['scope', 'scopeId', 'teamsId', 'enabled', 'municipalities', 'member', 'aadObjectId', 'role', 'declaration', 'memberSince', 'lastChange'];
  const rows = review.flatMap((s) => s.members.map((m) => [s.name, s.scopeId, s.teamsId, String(s.enabled), s.municipalities.map((x) => x.code).join(' '),
    m.name, m.aadObjectId, m.role, m.declaration, m.since.toISOString().slice(0, 10), m.changedAt.toISOString().slice(0, 10)]));
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
