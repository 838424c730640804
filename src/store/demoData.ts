// Demo data for local runs: the same tenant, users, team and channels as .m365agentsplayground.yml,
// so the Agents Playground talks to a bot that already knows its scopes and roles.
import type { Role } from '../domain/roles.js';
import type { Country } from './types.js';

export const DEMO_TENANT_ID = '00000000-0000-0000-0000-0000000000001';
export const DEMO_TEAM_AAD_GROUP_ID = '00000000-0000-0000-0000-000000000031';
// The team's own id is its General channel's id in Teams.
export const DEMO_TEAM_ID = '19:programmateam-general@thread.tacv2';

export interface DemoMunicipality { code: string; name: string; country: Country }
export interface DemoChannel { id: string; name: string; municipalityCode: string }
export interface DemoUser { teamsUserId: string; aadObjectId: string; name: string; email: string; roles: Record<string, Role> }

export const DEMO_MUNICIPALITIES: readonly DemoMunicipality[] = [
  { code: 'HDB', name: 'Gemeente Heidebroek', country: 'NL' },
  { code: 'ZTL', name: 'Stad Zoutelaar', country: 'BE' },
];

export const DEMO_CHANNELS: readonly DemoChannel[] = [
  { id: '19:heidebroek-signalen@thread.tacv2', name: 'Signalen Heidebroek', municipalityCode: 'HDB' },
  { id: '19:heidebroek-kerngroep@thread.tacv2', name: 'Kerngroep Heidebroek', municipalityCode: 'HDB' },
  { id: '19:zoutelaar-signalen@thread.tacv2', name: 'Signalen Zoutelaar', municipalityCode: 'ZTL' },
];

const SIG_HDB = DEMO_CHANNELS[0].id;
const KERN_HDB = DEMO_CHANNELS[1].id;
const SIG_ZTL = DEMO_CHANNELS[2].id;

// The first user is the Playground's current user: a coordinator, so the demo shows the most.
export const DEMO_USERS: readonly DemoUser[] = [
  { teamsUserId: 'user-id-0', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Fatima El Amrani', email: 'f.elamrani@heidebroek.example',
    roles: { [SIG_HDB]: 'coordinator', [KERN_HDB]: 'coordinator', [SIG_ZTL]: 'member' } },
  { teamsUserId: 'user-id-1', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Sanne de Vries', email: 's.devries@heidebroek.example',
    roles: { [SIG_HDB]: 'member' } },
  { teamsUserId: 'user-id-2', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Daan Jansen', email: 'd.jansen@heidebroek.example',
    roles: { [SIG_HDB]: 'member', [KERN_HDB]: 'member' } },
  { teamsUserId: 'user-id-3', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Pieter Bakker', email: 'p.bakker@heidebroek.example',
    roles: { [SIG_HDB]: 'chair', [KERN_HDB]: 'chair' } },
  { teamsUserId: 'user-id-4', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Ingrid Hoekstra', email: 'burgemeester@heidebroek.example',
    roles: { [KERN_HDB]: 'mayor' } },
  { teamsUserId: 'user-id-5', aadObjectId: '00000000-0000-0000-0000-0000000000025', name: 'Lotte Peeters', email: 'l.peeters@zoutelaar.example',
    roles: { [SIG_ZTL]: 'coordinator' } },
];
