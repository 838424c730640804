// The only reader of process.env. Validated once at start; a bad value stops the process with a message that
// names the variable.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { GraphConfig } from './graph/session.js';
import type { OutboxOptions } from './jobs/outbox.js';
import type { PacingLimits } from './jobs/pacer.js';

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface BotAuthConfig {
  appId: string;
  appPassword: string;
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  tenantId: string | undefined;
  /** Where the Bot Connector's signing keys are published, and the issuer its tokens carry (other clouds; the tests' loopback). */
  openIdMetadataUrl?: string;
  tokenIssuer?: string;
}

export interface Config {
  mode: 'production' | 'development' | 'test';
  host: string;
  port: number;
  /** Absent in local mode: then authentication is off and we only bind to loopback. */
  bot: BotAuthConfig | undefined;
  allowedTenantIds: readonly string[];
  database: DatabaseConfig;
  /** Production with the embedded database was explicitly accepted (PGlite does not fsync). */
  embeddedDatabaseOverride: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  demoData: boolean;
  /** Where users reach this bot's HTTP endpoints (export download links); undefined: the listen address. */
  publicBaseUrl: string | undefined;
  /** Run the daily retention job in this process (off in tests, which run retention themselves). */
  retentionJob: boolean;
  /** Read every scope's roster again this often (hours; 0: only on install, membership events and unknown callers). */
  rosterRefreshHours: number;
  /** Post a meeting's reminder this many working days before it (0: none). */
  meetingReminderWorkingDays: number;
  /** Post the agenda in the channel this many minutes before each meeting (0: only on request). */
  agendaLeadMinutes: number;
  /** Remind an action item's owner this many working days before its due date (0: only when overdue). */
  actionReminderWorkingDays: number;
  /** The mayors' scheduled briefing: its period, and when it goes out (a week: on this weekday, 0 Sunday .. 6 Saturday). */
  briefing: { period: 'week' | 'month' | 'quarter'; weekday: number; time: string };
  /** An unanswered crisis alert is sent again after this many minutes (and escalated to the deputy), at most this often. */
  crisis: { repeatMinutes: number; maxRepeats: number };
  /** The briefing schedule and pacing from the environment, before the configuration file's values (a reload starts from these). */
  envDefaults: { briefing: Config['briefing']; pacing: PacingLimits };
  /** The bot's own sends per tenant per second (Teams allows 30 to 50); per conversation Teams' own 7/s and 60/30 s. */
  pacing: PacingLimits;
  /** Where meetings go: the local calendar (.ics, no network) or Microsoft Graph. */
  calendar: { kind: 'local' } | { kind: 'graph'; graph: GraphConfig };
  /** With Graph: install the app for mayors the bot cannot reach yet (its id in the organisation's app catalog). */
  appInstall?: { graph: GraphConfig; catalogAppId: string };
  /** The durable jobs (the calendar calls): leases, polling, retries. */
  outbox: OutboxOptions;
  /**
   * The deployment's configuration file (WEERBAAR_CONFIG_FILE) as given; undefined: none. Read and validated by
   * deploymentFile.ts when the bot starts (this module stays free of our own runtime imports: the tests' setup loads it).
   */
  deploymentFile: string | undefined;
  projectRoot: string;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, detail: string) {
    super(`Configuration error in ${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

const emptyToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const booleanFlag = (fallback: boolean) =>
  z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional())
    .transform((v) => (v === undefined ? fallback : ['true', '1', 'yes'].includes(v)));

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['production', 'development', 'test']).default('development')),
  HOST: optionalString,
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
  BOT_ID: optionalString,
  BOT_PASSWORD: optionalString,
  BOT_TYPE: z.preprocess(emptyToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant')),
  BOT_TENANT_ID: optionalString,
  ALLOWED_TENANT_IDS: optionalString,
  BOT_OPENID_METADATA_URL: z.preprocess(emptyToUndefined, z.string()
    .regex(/^(https:\/\/[^\s/]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\]))(:\d+)?\/\S*$/, 'must be an https URL of an OpenID configuration (plain http only on loopback)').optional()),
  BOT_TOKEN_ISSUER: optionalString,
  DATABASE_URL: z.preprocess(emptyToUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL').optional()),
  PGLITE_DIR: optionalString,
  ALLOW_EMBEDDED_DB_IN_PRODUCTION: booleanFlag(false),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  DEMO_DATA: booleanFlag(false),
  RETENTION_JOB: z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0', 'yes', 'no']).optional()),
  ROSTER_REFRESH_HOURS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(168).optional()),
  MEETING_REMINDER_WORKING_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(5).default(1)),
  PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.string().regex(/^https?:\/\/[^\s/]+(:\d+)?$/, 'must be a base URL like https://weerbaar.example.org').optional()),
  AGENDA_LEAD_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(7 * 24 * 60).default(60)),
  ACTION_REMINDER_WORKING_DAYS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(10).default(1)),
  BRIEFING_PERIOD: z.preprocess(emptyToUndefined, z.enum(['week', 'month', 'quarter']).default('week')),
  BRIEFING_WEEKDAY: z.preprocess(emptyToUndefined, z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']).default('monday')),
  BRIEFING_TIME: z.preprocess(emptyToUndefined, z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time like 08:00').default('08:00')),
  CRISIS_REPEAT_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(24 * 60).default(15)),
  CRISIS_MAX_REPEATS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(20).default(3)),
  PACE_TENANT_PER_SECOND: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(50).default(30)),
  CALENDAR: z.preprocess(emptyToUndefined, z.enum(['local', 'graph']).default('local')),
  GRAPH_TENANT_ID: optionalString,
  GRAPH_CLIENT_ID: optionalString,
  GRAPH_CLIENT_SECRET: optionalString,
  GRAPH_CERTIFICATE_PATH: optionalString,
  GRAPH_AUTHORITY_HOST: z.preprocess(emptyToUndefined, z.string().regex(/^https:\/\/[^\s/]+(:\d+)?\/?$/, 'must be an https base URL like https://login.microsoftonline.com')
    .default('https://login.microsoftonline.com')),
  GRAPH_BASE_URL: z.preprocess(emptyToUndefined, z.string()
    .regex(/^(https:\/\/[^\s/]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\]))(:\d+)?\/?$/, 'must be an https base URL like https://graph.microsoft.com (plain http only on loopback)')
    .default('https://graph.microsoft.com')),
  GRAPH_MAX_CONCURRENCY: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(4).default(4)),
  GRAPH_CA_FILE: optionalString,
  TEAMS_APP_CATALOG_ID: z.preprocess(emptyToUndefined, z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'must be the app\'s id in the organisation\'s app catalog (a GUID; Teams admin center > Manage apps > the app > App ID)').optional()),
  OUTBOX_MAX_ATTEMPTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(50).default(10)),
  OUTBOX_RETRY_BASE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(600_000).default(5_000)),
  OUTBOX_LEASE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(2).max(3_600).default(120)),
  OUTBOX_POLL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(10).max(600_000).default(2_000)),
  WEERBAAR_CONFIG_FILE: optionalString,
});

// Tenant ids as Teams sends them: the Agents Playground's mock tenant has 13 digits in its last group.
const TEAMS_TENANT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;
// An Entra tenant that issues tokens: a real GUID.
const ENTRA_TENANT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function findProjectRoot(): string {
  // src/ under ts-jest, lib/src/ after tsc: both sit below the directory holding package.json.
  return path.resolve(__dirname, __dirname.includes(`${path.sep}lib${path.sep}`) ? '../..' : '..');
}

/** The app's Graph connection, needed for the Graph calendar and for installing the app (`because` names which). */
function graphOf(e: z.infer<typeof envSchema>, bot: BotAuthConfig | undefined, because: 'CALENDAR=graph' | 'TEAMS_APP_CATALOG_ID'): GraphConfig {
  // The bot's own app registration is enough for Graph (docs/graph-permissions.md); a separate one may be named.
  const clientId = e.GRAPH_CLIENT_ID ?? bot?.appId;
  if (clientId === undefined) throw new ConfigError('GRAPH_CLIENT_ID', `is required with ${because} (or set BOT_ID)`);
  const tenantId = e.GRAPH_TENANT_ID ?? bot?.tenantId;
  if (tenantId === undefined || !ENTRA_TENANT.test(tenantId)) {
    throw new ConfigError('GRAPH_TENANT_ID', `is required with ${because}: the tenant id (GUID) ${because === 'CALENDAR=graph' ? 'whose mailboxes hold the meetings' : 'of the mayors'}`);
  }
  const readable = (variable: string, file: string) => {
    try {
      return fs.readFileSync(path.resolve(file), 'utf8');
    } catch {
      throw new ConfigError(variable, `cannot read ${file}`);
    }
  };
  let credential: GraphConfig['credential'];
  if (e.GRAPH_CERTIFICATE_PATH !== undefined) {
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(readable('GRAPH_CERTIFICATE_PATH', e.GRAPH_CERTIFICATE_PATH))) {
      throw new ConfigError('GRAPH_CERTIFICATE_PATH', 'must be a PEM file with the certificate and its private key');
    }
    credential = { kind: 'certificate', pemPath: path.resolve(e.GRAPH_CERTIFICATE_PATH) };
  } else {
    const secret = e.GRAPH_CLIENT_SECRET ?? (e.GRAPH_CLIENT_ID === undefined ? bot?.appPassword || undefined : undefined);
    if (secret === undefined) throw new ConfigError('GRAPH_CLIENT_SECRET', `is required with ${because} (or GRAPH_CERTIFICATE_PATH, which is preferred)`);
    credential = { kind: 'secret', secret };
  }
  return {
    tenantId, clientId, credential, authorityHost: e.GRAPH_AUTHORITY_HOST.replace(/\/$/, ''), baseUrl: e.GRAPH_BASE_URL.replace(/\/$/, ''),
    maxConcurrency: e.GRAPH_MAX_CONCURRENCY,
    ...(e.GRAPH_CA_FILE === undefined ? {} : { trustedCa: readable('GRAPH_CA_FILE', e.GRAPH_CA_FILE) }),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  const projectRoot = findProjectRoot();
  const mode = e.NODE_ENV;

  const allowedTenantIds = (e.ALLOWED_TENANT_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const badTenant = allowedTenantIds.find((t) => !TEAMS_TENANT.test(t));
  if (badTenant !== undefined) throw new ConfigError('ALLOWED_TENANT_IDS', `"${badTenant}" is not a tenant id (GUID)`);

  let bot: BotAuthConfig | undefined;
  if (e.BOT_ID !== undefined) {
    if (e.BOT_TYPE !== 'UserAssignedMSI' && e.BOT_PASSWORD === undefined) {
      throw new ConfigError('BOT_PASSWORD', 'is required when BOT_ID is set');
    }
    if (e.BOT_TYPE !== 'MultiTenant' && e.BOT_TENANT_ID === undefined) {
      throw new ConfigError('BOT_TENANT_ID', `is required when BOT_TYPE is ${e.BOT_TYPE}`);
    }
    bot = { appId: e.BOT_ID, appPassword: e.BOT_PASSWORD ?? '', appType: e.BOT_TYPE, tenantId: e.BOT_TENANT_ID,
      ...(e.BOT_OPENID_METADATA_URL === undefined ? {} : { openIdMetadataUrl: e.BOT_OPENID_METADATA_URL }),
      ...(e.BOT_TOKEN_ISSUER === undefined ? {} : { tokenIssuer: e.BOT_TOKEN_ISSUER }) };
  } else if (e.BOT_OPENID_METADATA_URL !== undefined || e.BOT_TOKEN_ISSUER !== undefined) {
    throw new ConfigError(e.BOT_OPENID_METADATA_URL !== undefined ? 'BOT_OPENID_METADATA_URL' : 'BOT_TOKEN_ISSUER', 'has no effect without BOT_ID (authentication is off)');
  }

  const database: DatabaseConfig = e.DATABASE_URL !== undefined
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'pglite', dataDir: path.resolve(projectRoot, e.PGLITE_DIR ?? '.data/pglite') };

  if (mode === 'production') {
    if (bot === undefined) throw new ConfigError('BOT_ID', 'is required in production (NODE_ENV=production): authentication is never off there');
    if (allowedTenantIds.length === 0) throw new ConfigError('ALLOWED_TENANT_IDS', 'is required in production: list the tenant ids this bot serves');
    if (database.kind === 'pglite' && !e.ALLOW_EMBEDDED_DB_IN_PRODUCTION) {
      throw new ConfigError('DATABASE_URL', 'is required in production: the embedded database does not fsync (set ALLOW_EMBEDDED_DB_IN_PRODUCTION=true to accept that risk)');
    }
  }

  // Without authentication anyone who can reach the port can talk to the bot: loopback only.
  const host = bot === undefined ? '127.0.0.1' : (e.HOST ?? '0.0.0.0');
  if (bot === undefined && e.HOST !== undefined && !['127.0.0.1', 'localhost', '::1'].includes(e.HOST)) {
    throw new ConfigError('HOST', 'must be a loopback address while BOT_ID is not set (authentication is off)');
  }

  // One Graph connection serves the calendar and the app installs; its files are read once.
  const graph = e.CALENDAR === 'graph' ? graphOf(e, bot, 'CALENDAR=graph')
    : e.TEAMS_APP_CATALOG_ID !== undefined ? graphOf(e, bot, 'TEAMS_APP_CATALOG_ID') : undefined;

  const envDefaults = {
    briefing: { period: e.BRIEFING_PERIOD, weekday: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].indexOf(e.BRIEFING_WEEKDAY),
      time: e.BRIEFING_TIME },
    pacing: { perConversationPerSecond: 7, perConversationPer30s: 60, perTenantPerSecond: e.PACE_TENANT_PER_SECOND },
  };

  return {
    mode,
    host,
    envDefaults,
    deploymentFile: e.WEERBAAR_CONFIG_FILE,
    agendaLeadMinutes: e.AGENDA_LEAD_MINUTES,
    actionReminderWorkingDays: e.ACTION_REMINDER_WORKING_DAYS,
    briefing: { ...envDefaults.briefing },
    crisis: { repeatMinutes: e.CRISIS_REPEAT_MINUTES, maxRepeats: e.CRISIS_MAX_REPEATS },
    pacing: { ...envDefaults.pacing },
    calendar: e.CALENDAR === 'graph' && graph ? { kind: 'graph', graph } : { kind: 'local' },
    ...(e.TEAMS_APP_CATALOG_ID === undefined || !graph ? {} : { appInstall: { graph, catalogAppId: e.TEAMS_APP_CATALOG_ID } }),
    outbox: {
      concurrency: e.GRAPH_MAX_CONCURRENCY, leaseMs: e.OUTBOX_LEASE_SECONDS * 1000, pollMs: e.OUTBOX_POLL_MS,
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS, backoffBaseMs: e.OUTBOX_RETRY_BASE_MS, backoffMaxMs: 10 * 60_000,
    },
    port: e.PORT,
    bot,
    allowedTenantIds,
    database,
    embeddedDatabaseOverride: e.ALLOW_EMBEDDED_DB_IN_PRODUCTION,
    logLevel: e.LOG_LEVEL,
    demoData: e.DEMO_DATA,
    publicBaseUrl: e.PUBLIC_BASE_URL,
    retentionJob: e.RETENTION_JOB === undefined ? mode !== 'test' : ['true', '1', 'yes'].includes(e.RETENTION_JOB),
    // Tests refresh rosters themselves.
    rosterRefreshHours: e.ROSTER_REFRESH_HOURS ?? (mode === 'test' ? 0 : 6),
    meetingReminderWorkingDays: e.MEETING_REMINDER_WORKING_DAYS,
    projectRoot,
  };
}
