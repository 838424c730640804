// Scopes and their members. Every lookup of personal data elsewhere starts from the scope ids returned here.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { Membership } from '../domain/caller.js';
import type { Role } from '../domain/roles.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface ScopeRegistration {
  key: string;
  kind: 'channel' | 'groupChat';
  tenantId: string;
  teamId?: string;
  teamAadGroupId?: string;
  membershipType?: string;
  channelId?: string;
  chatId?: string;
  /** Absent on some activities (installation updates, General): then the id stands in until a name arrives. */
  name: string | undefined;
  serviceUrl?: string;
  rosterConversationId?: string;
}

export interface RosterEntry {
  aadObjectId: string;
  teamsUserId: string | undefined;
  name: string;
  email?: string;
}

/** Where the bot posts by itself in a scope: its channel or group chat, through the Bot Connector it was installed from. */
export interface ScopeAddress { tenantId: string; serviceUrl: string; conversationId: string; kind: 'channel' | 'groupChat' }

/** A scope's address; undefined until the bot was installed there (no Bot Connector address yet). */
export function addressOfScope(s: { tenantId: string; serviceUrl: string | null; channelId: string | null; chatId: string | null; kind: string }): ScopeAddress | undefined {
  const conversationId = s.channelId ?? s.chatId;
  return s.serviceUrl && conversationId ? { tenantId: s.tenantId, serviceUrl: s.serviceUrl, conversationId, kind: s.kind === 'channel' ? 'channel' : 'groupChat' } : undefined;
}

export async function findScopeByKey(db: Db, key: string) {
  return db.scope.findUnique({ where: { key }, include: { municipality: true } });
}

export async function registerScope(db: Db, reg: ScopeRegistration) {
  const { key, name, ...rest } = reg;
  // A rename or a new service URL updates; a missing name never overwrites a known one; the municipality link
  // is configuration and is left alone.
  return db.scope.upsert({
    where: { key },
    create: { key, ...rest, name: name ?? reg.channelId ?? reg.chatId ?? key },
    update: { ...(name ? { name } : {}), ...(rest.serviceUrl ? { serviceUrl: rest.serviceUrl } : {}),
      ...(rest.teamAadGroupId ? { teamAadGroupId: rest.teamAadGroupId } : {}),
      ...(rest.rosterConversationId ? { rosterConversationId: rest.rosterConversationId } : {}) },
  });
}

/** Replace the roster: present users become (or stay) active with their role kept, absent users are deactivated. */
export async function replaceRoster(db: PrismaClient, scopeId: string, roster: readonly RosterEntry[], at: Date): Promise<{ added: number; removed: number; mayorsNotEnrolled: number }> {
  return db.$transaction(async (tx) => {
    const current = await tx.member.findMany({ where: { scopeId } });
    // A mayor is on the team roster but sees aggregates only: mayors are given a scope explicitly, never by a roster.
    const { tenantId } = await tx.scope.findUniqueOrThrow({ where: { id: scopeId }, select: { tenantId: true } });
    const mayors = new Set((await tx.member.findMany({ where: { role: 'mayor', scope: { tenantId }, aadObjectId: { in: roster.map((r) => r.aadObjectId) } },
      select: { aadObjectId: true } })).map((m) => m.aadObjectId));
    const present = new Set(roster.map((r) => r.aadObjectId));
    const known = new Map(current.map((m) => [m.aadObjectId, m]));
    let added = 0;
    for (const r of roster) {
      const m = known.get(r.aadObjectId);
      if (!m && mayors.has(r.aadObjectId)) continue;
      if (!m) {
        // Upsert: two roster syncs of one scope can run at once (installation and membership events arrive together).
        await tx.member.upsert({
          where: { scopeId_aadObjectId: { scopeId, aadObjectId: r.aadObjectId } },
          create: { scopeId, aadObjectId: r.aadObjectId, teamsUserId: r.teamsUserId, name: r.name, email: r.email ?? null },
          update: { active: true, name: r.name },
        });
        added++;
      } else if (!m.active || m.name !== r.name || (r.teamsUserId && m.teamsUserId !== r.teamsUserId) || (r.email && m.email !== r.email)) {
        if (!m.active) added++;
        await tx.member.update({ where: { id: m.id }, data: { active: true, name: r.name, teamsUserId: r.teamsUserId ?? m.teamsUserId, email: r.email ?? m.email } });
      }
    }
    const gone = current.filter((m) => m.active && !present.has(m.aadObjectId)).map((m) => m.id);
    if (gone.length > 0) await tx.member.updateMany({ where: { id: { in: gone } }, data: { active: false } });
    await tx.scope.update({ where: { id: scopeId }, data: { rosterSyncedAt: at } });
    const enrolled = new Set(current.map((m) => m.aadObjectId));
    return { added, removed: gone.length, mayorsNotEnrolled: [...mayors].filter((id) => !enrolled.has(id)).length };
  });
}

export async function addMembers(db: Db, scopeId: string, entries: readonly RosterEntry[]): Promise<void> {
  for (const e of entries) {
    await db.member.upsert({
      where: { scopeId_aadObjectId: { scopeId, aadObjectId: e.aadObjectId } },
      create: { scopeId, aadObjectId: e.aadObjectId, teamsUserId: e.teamsUserId, name: e.name, email: e.email ?? null },
      update: { active: true, name: e.name, ...(e.email ? { email: e.email } : {}) },
    });
  }
}

export async function deactivateMembers(db: Db, scopeIds: readonly string[], aadObjectIds: readonly string[]): Promise<number> {
  const r = await db.member.updateMany({ where: { scopeId: { in: [...scopeIds] }, aadObjectId: { in: [...aadObjectIds] }, active: true }, data: { active: false } });
  return r.count;
}

export async function scopeIdsOfTeam(db: Db, tenantId: string, teamId: string): Promise<string[]> {
  const rows = await db.scope.findMany({ where: { tenantId, teamId }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** The scopes this user is an active member of, within their own tenant only. */
export async function membershipsOf(db: Db, tenantId: string, aadObjectId: string): Promise<Membership[]> {
  const rows = await db.member.findMany({
    // Only enabled scopes count: a channel Teams told us about stays closed until an admin enables it.
    where: { aadObjectId, active: true, scope: { tenantId, enabled: true } },
    include: { scope: { select: { id: true, name: true, municipalityId: true } } },
    orderBy: { scope: { name: 'asc' } },
  });
  return rows.map((m) => ({ scopeId: m.scope.id, scopeName: m.scope.name, role: m.role as Role, municipalityId: m.scope.municipalityId }));
}

/** The enabled scopes of these municipalities, within one tenant. */
export async function scopesOfMunicipalities(db: Db, tenantId: string, municipalityIds: readonly string[]): Promise<string[]> {
  const rows = await db.scope.findMany({ where: { tenantId, enabled: true, municipalityId: { in: [...municipalityIds] } }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** The distinct roles of a scope's active members: who reads what is posted there. */
export async function rolesPresent(db: Db, scopeId: string): Promise<Role[]> {
  const rows = await db.member.findMany({ where: { scopeId, active: true }, select: { role: true }, distinct: ['role'] });
  return rows.map((r) => r.role as Role);
}

/**
 * Members of these scopes whose name contains `query` (case-insensitive); one whose whole name it is wins over the
 * rest. At most six, enough to say "more than one matches". `activeOnly: false` finds people who have left too.
 */
export async function membersNamed(db: Db, scopeIds: readonly string[], query: string, opts: { activeOnly: boolean }) {
  const members = await db.member.findMany({
    where: { scopeId: { in: [...scopeIds] }, name: { contains: query, mode: 'insensitive' }, ...(opts.activeOnly ? { active: true } : {}) },
    distinct: ['aadObjectId'], take: 6,
  });
  const exact = members.filter((m) => m.name.toLowerCase() === query.toLowerCase());
  return exact.length === 1 ? exact : members;
}

/** Roles that can carry work: assignee of a signal, lead of a case. */
const OFFICER_ROLES: Role[] = ['member', 'coordinator', 'chair'];

/** The active officers of a scope, by name: the choices for assignee and case lead. */
export async function officersOf(db: Db, scopeId: string): Promise<{ aadObjectId: string; name: string }[]> {
  const rows = await db.member.findMany({ where: { scopeId, active: true, role: { in: OFFICER_ROLES } }, orderBy: { name: 'asc' }, take: 100 });
  return rows.map((m) => ({ aadObjectId: m.aadObjectId, name: m.name }));
}

export async function findOfficer(db: Db, scopeId: string, aadObjectId: string): Promise<{ aadObjectId: string; name: string } | null> {
  return db.member.findFirst({ where: { scopeId, aadObjectId, active: true, role: { in: OFFICER_ROLES } }, select: { aadObjectId: true, name: true } });
}
