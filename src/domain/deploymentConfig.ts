// The deployment's configuration file (WEERBAAR_CONFIG_FILE, YAML or JSON): municipalities, which Teams scopes
// serve which municipalities, phenomena, privacy protocol, deadlines, briefing schedule and pacing. Pure: text in,
// either a resolved configuration or errors that each name the file, the path in it and what is expected.
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { defaultLegalBases, type LegalBasis } from './legalBases.js';
import { WEEKDAYS } from './meetings.js';
import { DEFAULT_TERM_DAYS, defaultPhenomena, type Phenomenon } from './phenomena.js';
import { DEFAULT_RETENTION, type RetentionRule } from './retention.js';
import { CONFIDENTIALITY_LEVELS, type Confidentiality } from './signalIntake.js';

export type Country = 'NL' | 'BE';

export interface ConfiguredMayor { aadObjectId: string; name: string }
export interface ConfiguredDeclaration { version: number; nl: string; en: string }

/** One municipality as the file describes it, with the country defaults applied. */
export interface ConfiguredMunicipality {
  code: string;
  name: string;
  country: Country;
  /** CBS code (NL, "GM0363") or NIS code (BE, "11002"). */
  officialCode: string;
  mayors: readonly ConfiguredMayor[];
  deputies: readonly string[];
  phenomena: readonly Phenomenon[];
  legalBases: readonly LegalBasis[];
  retention: readonly RetentionRule[];
  allowBsn: boolean;
  confidentialityLevels: readonly Confidentiality[];
  /** Absent: the built-in text (version 1). */
  declaration: ConfiguredDeclaration | undefined;
}

/** A Teams channel or group chat (by its Teams id) and the municipalities it works for, the first being its own. */
export interface ConfiguredScope { ref: string; kind: 'channel' | 'groupChat'; label: string | undefined; municipalities: readonly string[] }

export interface DeploymentConfig {
  municipalities: readonly ConfiguredMunicipality[];
  scopes: readonly ConfiguredScope[];
  /** Each absent: the environment's value (BRIEFING_*, PACE_TENANT_PER_SECOND). */
  briefing: { period?: 'week' | 'month' | 'quarter'; weekday?: number; time?: string };
  pacing: { tenantPerSecond?: number };
}

export type ParseResult = { ok: true; config: DeploymentConfig } | { ok: false; errors: string[] };

const ENTRA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;
const CODE = /^[A-Z]{2,8}$/;
const ITEM_CODE = /^[a-z][a-z0-9_]{1,39}$/;

const text = (max: number) => z.string().trim().min(1, 'expected a non-empty text').max(max, `expected at most ${max} characters`);
const itemCode = z.string().regex(ITEM_CODE, 'expected a code of lower-case letters, digits and _ (2 to 40), like "drugslab"');
const aadId = z.string().regex(ENTRA_ID, 'expected an Entra object id (a GUID, Entra ID > Users > the person > Object ID)');
const phenomenonDef = z.object({ code: itemCode, nl: text(80), en: text(80), termDays: z.number().int().min(1).max(250).optional() }).strict();
const legalBasisDef = z.object({ code: itemCode, nl: text(160), en: text(160) }).strict();
const listChange = <T extends z.ZodTypeAny>(item: T) => z.object({
  /** The list to start from: the country's defaults (default) or none. */
  base: z.enum(['NL', 'BE', 'none']).optional(),
  add: z.array(item).default([]),
  remove: z.array(itemCode).default([]),
}).strict();

const municipalitySchema = z.object({
  code: z.string().regex(CODE, 'expected a short code of 2 to 8 capital letters, like "HDB"'),
  name: text(100),
  country: z.enum(['NL', 'BE']),
  officialCode: z.union([z.string(), z.number()]).transform(String),
  mayors: z.array(z.object({ aadObjectId: aadId, name: text(100) }).strict()).default([]),
  deputies: z.array(aadId).default([]),
  phenomena: listChange(phenomenonDef).optional(),
  deadlines: z.record(z.number().int().min(1, 'expected at least 1 working day').max(250, 'expected at most 250 working days')).default({}),
  privacy: z.object({
    legalBases: listChange(legalBasisDef).optional(),
    retention: z.array(z.object({
      id: itemCode.or(z.string().regex(/^[a-z][a-z0-9_-]{1,39}$/, 'expected a rule id like "afgesloten-zonder-casus"')),
      status: z.enum(['afgesloten', 'overgedragen']),
      anonymiseAfterMonths: z.number().int().min(0).max(120),
      deleteAfterMonths: z.number().int().min(1).max(240),
    }).strict()).optional(),
    allowBsn: z.boolean().default(false),
    confidentialityLevels: z.array(z.enum(CONFIDENTIALITY_LEVELS)).min(1, 'expected at least one level').optional(),
    declaration: z.object({ version: z.number().int().min(1).max(1000), nl: text(4000), en: text(4000) }).strict().optional(),
  }).strict().default({}),
}).strict();

const scopeSchema = z.object({
  channelId: z.string().regex(/^19:\S+@thread\.(tacv2|skype)$/, 'expected a Teams channel id like "19:…@thread.tacv2"').optional(),
  chatId: z.string().regex(/^19:\S+$/, 'expected a Teams chat id like "19:…@thread.v2"').optional(),
  name: text(100).optional(),
  municipalities: z.array(z.string()).min(1, 'expected at least one municipality code'),
}).strict();

const fileSchema = z.object({
  municipalities: z.array(municipalitySchema).min(1, 'expected at least one municipality'),
  scopes: z.array(scopeSchema).default([]),
  briefing: z.object({
    period: z.enum(['week', 'month', 'quarter']).optional(),
    weekday: z.enum(WEEKDAYS).optional(),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time like "08:00"').optional(),
  }).strict().default({}),
  pacing: z.object({ tenantPerSecond: z.number().int().min(1).max(50).optional() }).strict().default({}),
}).strict();

type FileShape = z.infer<typeof fileSchema>;
type Path = readonly (string | number)[];

export function formatPath(path: Path): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out === '' ? p : `${out}.${p}`), '') || '(top level)';
}

const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v));

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** What was expected, in the words an administrator reads. */
function describe(issue: z.ZodIssue, root: unknown): string {
  const got = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return got === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}, got ${shown(got)}`;
    case 'invalid_enum_value':
      return `expected ${issue.options.map((o) => shown(o)).join(issue.options.length === 2 ? ' or ' : ', ')}, got ${shown(got)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'too_small':
      if (!issue.message.startsWith('expected')) {
        return issue.type === 'array' ? `expected at least ${String(issue.minimum)} item(s)` : `expected at least ${String(issue.minimum)}, got ${shown(got)}`;
      }
      return `${issue.message}, got ${shown(got)}`;
    case 'too_big':
      if (!issue.message.startsWith('expected')) return `expected at most ${String(issue.maximum)}${issue.type === 'string' ? ' characters' : ''}, got ${shown(got)}`;
      return `${issue.message}, got ${shown(got)}`;
    case 'invalid_string':
      return `${issue.message}, got ${shown(got)}`;
    case 'invalid_union':
      return `expected a text, got ${shown(got)}`;
    default:
      return issue.message;
  }
}

/** Checks across entries: codes unique, references known, terms consistent. */
function crossCheck(file: FileShape): { path: Path; message: string }[] {
  const errors: { path: Path; message: string }[] = [];
  const codes = new Map<string, number>();
  const official = new Map<string, number>();
  file.municipalities.forEach((m, i) => {
    const at = (...p: (string | number)[]): Path => ['municipalities', i, ...p];
    if (codes.has(m.code)) errors.push({ path: at('code'), message: `"${m.code}" is used twice (also municipalities[${codes.get(m.code)}])` });
    codes.set(m.code, i);
    const expectedOfficial = m.country === 'NL' ? /^GM\d{4}$/ : /^\d{5}$/;
    if (!expectedOfficial.test(m.officialCode)) {
      errors.push({ path: at('officialCode'), message: m.country === 'NL'
        ? `expected a CBS municipality code like "GM0363", got ${shown(m.officialCode)}`
        : `expected a NIS code of 5 digits like "11002", got ${shown(m.officialCode)}` });
    } else if (official.has(m.officialCode)) {
      errors.push({ path: at('officialCode'), message: `"${m.officialCode}" is used twice (also municipalities[${official.get(m.officialCode)}])` });
    }
    official.set(m.officialCode, i);
    if (m.privacy.allowBsn && m.country === 'BE') errors.push({ path: at('privacy', 'allowBsn'), message: 'expected false: the BSN is a Dutch number, a Belgian municipality cannot allow it' });
    const base = m.phenomena?.base ?? m.country;
    const known = new Set([...(base === 'none' ? [] : defaultPhenomena(base)).map((p) => p.code)]);
    m.phenomena?.remove.forEach((c, j) => {
      if (!known.has(c)) errors.push({ path: at('phenomena', 'remove', j), message: `"${c}" is not in the ${base} defaults` });
    });
    m.phenomena?.add.forEach((p, j) => {
      if (known.has(p.code) && !m.phenomena?.remove.includes(p.code)) errors.push({ path: at('phenomena', 'add', j, 'code'), message: `"${p.code}" is already in the ${base} defaults (change its term under deadlines)` });
      known.add(p.code);
    });
    for (const c of m.phenomena?.remove ?? []) if (!m.phenomena?.add.some((p) => p.code === c)) known.delete(c);
    if (known.size === 0) errors.push({ path: at('phenomena'), message: 'expected at least one phenomenon' });
    for (const c of Object.keys(m.deadlines)) {
      if (!known.has(c)) errors.push({ path: at('deadlines', c), message: `"${c}" is not one of this municipality's phenomena (${[...known].join(', ')})` });
    }
    const basisBase = m.privacy.legalBases?.base ?? m.country;
    const bases = new Set((basisBase === 'none' ? [] : defaultLegalBases(basisBase)).map((b) => b.code));
    m.privacy.legalBases?.remove.forEach((c, j) => {
      if (!bases.has(c)) errors.push({ path: at('privacy', 'legalBases', 'remove', j), message: `"${c}" is not in the ${basisBase} defaults` });
    });
    for (const c of m.privacy.legalBases?.remove ?? []) bases.delete(c);
    for (const b of m.privacy.legalBases?.add ?? []) bases.add(b.code);
    if (bases.size === 0) errors.push({ path: at('privacy', 'legalBases'), message: 'expected at least one legal basis' });
    const statuses = new Set<string>();
    m.privacy.retention?.forEach((r, j) => {
      if (r.deleteAfterMonths <= r.anonymiseAfterMonths) {
        errors.push({ path: at('privacy', 'retention', j, 'deleteAfterMonths'), message: `expected more than anonymiseAfterMonths (${r.anonymiseAfterMonths}), got ${r.deleteAfterMonths}` });
      }
      if (statuses.has(r.status)) errors.push({ path: at('privacy', 'retention', j, 'status'), message: `"${r.status}" has a rule already` });
      statuses.add(r.status);
    });
    const levels = m.privacy.confidentialityLevels ?? [];
    if (new Set(levels).size !== levels.length) errors.push({ path: at('privacy', 'confidentialityLevels'), message: 'expected each level once' });
    const mayors = new Set<string>();
    m.mayors.forEach((p, j) => {
      if (mayors.has(p.aadObjectId.toLowerCase())) errors.push({ path: at('mayors', j, 'aadObjectId'), message: 'is listed twice' });
      mayors.add(p.aadObjectId.toLowerCase());
    });
  });
  const refs = new Map<string, number>();
  file.scopes.forEach((s, i) => {
    const ref = s.channelId ?? s.chatId;
    if ((s.channelId === undefined) === (s.chatId === undefined)) {
      errors.push({ path: ['scopes', i], message: 'expected exactly one of channelId or chatId' });
    } else if (ref !== undefined) {
      if (refs.has(ref)) errors.push({ path: ['scopes', i, s.channelId ? 'channelId' : 'chatId'], message: `is listed twice (also scopes[${refs.get(ref)}])` });
      refs.set(ref, i);
    }
    s.municipalities.forEach((c, j) => {
      if (!codes.has(c)) errors.push({ path: ['scopes', i, 'municipalities', j], message: `expected one of the municipalities' codes (${[...codes.keys()].join(', ')}), got ${shown(c)}` });
    });
    if (new Set(s.municipalities).size !== s.municipalities.length) errors.push({ path: ['scopes', i, 'municipalities'], message: 'expected each municipality once' });
  });
  return errors;
}

function resolve(file: FileShape): DeploymentConfig {
  return {
    municipalities: file.municipalities.map((m): ConfiguredMunicipality => {
      const base = m.phenomena?.base ?? m.country;
      const removed = new Set(m.phenomena?.remove ?? []);
      const phenomena = [...(base === 'none' ? [] : defaultPhenomena(base)).filter((p) => !removed.has(p.code)), ...(m.phenomena?.add ?? [])]
        .map((p) => ({ ...p, termDays: m.deadlines[p.code] ?? p.termDays ?? DEFAULT_TERM_DAYS }));
      const basisBase = m.privacy.legalBases?.base ?? m.country;
      const removedBases = new Set(m.privacy.legalBases?.remove ?? []);
      const legalBases = [...(basisBase === 'none' ? [] : defaultLegalBases(basisBase)).filter((b) => !removedBases.has(b.code)), ...(m.privacy.legalBases?.add ?? [])];
      return {
        code: m.code, name: m.name, country: m.country, officialCode: m.officialCode,
        mayors: m.mayors.map((p) => ({ aadObjectId: p.aadObjectId.toLowerCase(), name: p.name })),
        deputies: [...new Set(m.deputies.map((d) => d.toLowerCase()))],
        phenomena, legalBases: legalBases.map((b) => ({ ...b })),
        retention: (m.privacy.retention ?? DEFAULT_RETENTION).map((r) => ({ ...r })),
        allowBsn: m.privacy.allowBsn,
        // In the order of sensitivity, whatever the file's order.
        confidentialityLevels: CONFIDENTIALITY_LEVELS.filter((l) => (m.privacy.confidentialityLevels ?? CONFIDENTIALITY_LEVELS).includes(l)),
        declaration: m.privacy.declaration,
      };
    }),
    scopes: file.scopes.map((s) => ({ ref: (s.channelId ?? s.chatId) as string, kind: s.channelId ? 'channel' : 'groupChat', label: s.name, municipalities: s.municipalities })),
    briefing: {
      ...(file.briefing.period ? { period: file.briefing.period } : {}),
      ...(file.briefing.weekday ? { weekday: WEEKDAYS.indexOf(file.briefing.weekday) } : {}),
      ...(file.briefing.time ? { time: file.briefing.time } : {}),
    },
    pacing: file.pacing.tenantPerSecond === undefined ? {} : { tenantPerSecond: file.pacing.tenantPerSecond },
  };
}

/**
 * Parses and validates the file's text. `fileName` is how errors name the file (the path as configured). YAML is a
 * superset of JSON, so one parser reads both; a syntax error names its line and column.
 */
export function parseDeploymentConfig(fileName: string, source: string): ParseResult {
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.slice(0, 5).map((e) => {
      const at = e.linePos?.[0];
      const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      return at ? `${fileName}:${at.line}:${at.col}: syntax error: ${what}` : `${fileName}: syntax error: ${what}`;
    }) };
  }
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return { ok: false, errors: [`${fileName}: (top level): is empty (expected municipalities and scopes)`] };
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.slice(0, 20).map((i) => `${fileName}: ${formatPath(i.path)}: ${describe(i, data)}`) };
  }
  const cross = crossCheck(parsed.data);
  if (cross.length > 0) return { ok: false, errors: cross.slice(0, 20).map((e) => `${fileName}: ${formatPath(e.path)}: ${e.message}`) };
  return { ok: true, config: resolve(parsed.data) };
}
