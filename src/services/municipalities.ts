// A municipality's configuration as the forms and rules need it, with the country defaults filled in.
import { defaultLegalBases, type LegalBasis } from '../domain/legalBases.js';
import { defaultPhenomena, type Phenomenon } from '../domain/phenomena.js';
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from '../domain/signalIntake.js';
import type { ServiceDeps } from './context.js';

export interface MunicipalityConfig {
  id: string;
  name: string;
  country: 'NL' | 'BE';
  phenomena: readonly Phenomenon[];
  legalBases: readonly LegalBasis[];
  allowBsn: boolean;
  /** The confidentiality levels its privacy protocol uses (all when it names none). */
  confidentialityLevels: readonly Confidentiality[];
}

function listOf<T extends { code: string }>(value: unknown, fallback: readonly T[]): readonly T[] {
  const ok = Array.isArray(value) && value.length > 0
    && value.every((p) => typeof p === 'object' && p !== null && typeof (p as { code?: unknown }).code === 'string');
  return ok ? (value as T[]) : fallback;
}

export async function municipalityConfigs(deps: ServiceDeps, ids: readonly string[]): Promise<Map<string, MunicipalityConfig>> {
  const rows = await deps.prisma.municipality.findMany({ where: { id: { in: [...new Set(ids)] } } });
  return new Map(rows.map((m) => [m.id, {
    id: m.id, name: m.name, country: m.country,
    phenomena: listOf(m.phenomena, defaultPhenomena(m.country)),
    legalBases: listOf(m.legalBases, defaultLegalBases(m.country)),
    allowBsn: m.allowBsn,
    confidentialityLevels: m.confidentialityLevels.length === 0 ? CONFIDENTIALITY_LEVELS
      : CONFIDENTIALITY_LEVELS.filter((l) => m.confidentialityLevels.includes(l)),
  }]));
}

/** Phenomenon codes to their names in both languages, for cards that show another municipality's figures. */
export function phenomenonNames(config: MunicipalityConfig | undefined): Record<string, { nl: string; en: string }> {
  return Object.fromEntries((config?.phenomena ?? []).map((p) => [p.code, { nl: p.nl, en: p.en }]));
}
