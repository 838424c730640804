// Loads the demo world (idempotent): municipalities, the Playground team's channels as scopes, members and roles.
import type { PrismaClient } from '../generated/prisma/client.js';
import { DEFAULT_DECLARATION } from '../domain/declaration.js';
import { defaultPhenomena } from '../domain/phenomena.js';
import { scopeKeyOf } from '../domain/caller.js';
import { DEMO_CHANNELS, DEMO_MUNICIPALITIES, DEMO_TEAM_AAD_GROUP_ID, DEMO_TEAM_ID, DEMO_TENANT_ID, DEMO_USERS } from './demoData.js';

export async function seedDemoData(db: PrismaClient): Promise<{ municipalities: number; scopes: number; members: number }> {
  return db.$transaction(async (tx) => {
    const municipalityIds = new Map<string, string>();
    for (const m of DEMO_MUNICIPALITIES) {
      const row = await tx.municipality.upsert({
        where: { code: m.code },
        create: { code: m.code, name: m.name, country: m.country, phenomena: defaultPhenomena(m.country).map((p) => ({ ...p })) },
        update: {},
      });
      municipalityIds.set(m.code, row.id);
      await tx.confidentialityDeclaration.upsert({
        where: { municipalityId_version: { municipalityId: row.id, version: DEFAULT_DECLARATION.version } },
        create: { municipalityId: row.id, version: DEFAULT_DECLARATION.version, textNl: DEFAULT_DECLARATION.nl, textEn: DEFAULT_DECLARATION.en },
        update: {},
      });
    }
    let members = 0;
    for (const c of DEMO_CHANNELS) {
      const key = scopeKeyOf(DEMO_TENANT_ID, { kind: 'channel', teamId: DEMO_TEAM_ID, teamAadGroupId: DEMO_TEAM_AAD_GROUP_ID, channelId: c.id, channelName: c.name, membershipType: 'standard' });
      if (key === undefined) continue;
      const scope = await tx.scope.upsert({
        where: { key },
        create: {
          key, kind: 'channel', tenantId: DEMO_TENANT_ID, teamId: DEMO_TEAM_ID, teamAadGroupId: DEMO_TEAM_AAD_GROUP_ID, channelId: c.id, name: c.name,
          rosterConversationId: DEMO_TEAM_ID, municipalityId: municipalityIds.get(c.municipalityCode), enabled: true,
        },
        update: {},
      });
      const municipalityId = municipalityIds.get(c.municipalityCode);
      if (municipalityId !== undefined) {
        await tx.scopeMunicipality.upsert({ where: { scopeId_municipalityId: { scopeId: scope.id, municipalityId } }, create: { scopeId: scope.id, municipalityId, position: 0 }, update: {} });
      }
      for (const u of DEMO_USERS) {
        const role = u.roles[c.id];
        if (role === undefined) continue;
        await tx.member.upsert({
          where: { scopeId_aadObjectId: { scopeId: scope.id, aadObjectId: u.aadObjectId } },
          create: { scopeId: scope.id, aadObjectId: u.aadObjectId, teamsUserId: u.teamsUserId, name: u.name, email: u.email, role },
          update: {},
        });
        members++;
      }
    }
    return { municipalities: DEMO_MUNICIPALITIES.length, scopes: DEMO_CHANNELS.length, members };
  });
}
