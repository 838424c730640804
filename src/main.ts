// Starts and stops the whole bot: database, demo data, Teams application, HTTP server. Used by index.ts and
// by the tests, which start it on a random loopback port.
import type { Config } from './config.js';
import { ConfigFileError, loadDeploymentFile, withDeployment } from './deploymentFile.js';
import type { DeploymentConfig } from './domain/deploymentConfig.js';
import { ConfigConflictError, describeSync, synchroniseConfiguration, type ConfigActor } from './services/configuration.js';
import type { Logger } from './logger.js';
import type { ServiceDeps } from './services/context.js';
import { downloadAuditCsv } from './services/auditTrails.js';
import { downloadExport } from './services/exports.js';
import { downloadMinutesPdf } from './services/minutesExport.js';
import { MEETING_SYNC_JOB, meetingInvitation, type MeetingCalendar } from './services/meetings.js';
import { meetingSyncJob } from './services/meetingCalendar.js';
import { DELIVERY_JOB, deliveryJob } from './services/deliveries.js';
import { issueScheduledBriefings, withdrawBriefing } from './services/briefings.js';
import { repeatUnanswered } from './services/crisis.js';
import { GraphCalendar } from './calendar/graph.js';
import { GraphAppInstaller } from './graph/appInstaller.js';
import { GraphSession } from './graph/session.js';
import { LocalCalendar } from './calendar/local.js';
import type { CalendarPort } from './calendar/port.js';
import { OutboxWorker } from './jobs/outbox.js';
import { startPeriodicJob } from './jobs/periodic.js';
import { startRetentionJob } from './jobs/retentionJob.js';
import { refreshRosters, type RosterRefreshSummary } from './teams/rosterRefresh.js';
import { sendMeetingReminders, type ReminderSummary } from './teams/meetingReminders.js';
import { postDueAgendas, sendActionReminders, type PostSummary } from './teams/overlegPosts.js';
import { createBot } from './teams/app.js';
import { closeServer, createServer, listen } from './server.js';
import { openDb, type Database } from './store/db.js';
import { seedDemoData } from './store/seed.js';

export interface RunningBot {
  port: number;
  url: string;
  db: Database;
  deps: ServiceDeps;
  /** Reads the rosters not read for `olderThanMs` again now (what the periodic job does). */
  refreshRosters(olderThanMs?: number): Promise<RosterRefreshSummary>;
  /** Posts the meeting reminders due now (what the hourly job does). */
  sendMeetingReminders(): Promise<ReminderSummary>;
  /** Posts the agendas due now (what the job every five minutes does). */
  postDueAgendas(): Promise<PostSummary>;
  /** Posts today's action item reminders (what the hourly job does). */
  sendActionReminders(): Promise<PostSummary>;
  /** Issues the scheduled briefings due now, returning how many (what the job every ten minutes does). */
  issueBriefings(): Promise<number>;
  /** Sends unanswered crisis alerts again and escalates them (what the job every minute does). */
  repeatCrisisAlerts(): Promise<number>;
  /**
   * Reads the configuration file again (SIGHUP; npm run admin -- config reload sends it): validated and applied in one transaction, or, when it
   * is invalid or conflicts with the database, nothing changes and the previous configuration stays.
   */
  reloadConfiguration(actor?: ConfigActor): Promise<ReloadOutcome>;
  /** The briefing schedule and pacing in force (the environment's, overridden by the configuration file). */
  settings(): Pick<Config, 'briefing' | 'pacing'>;
  /** Takes a briefing back from the chats it reached. */
  withdrawBriefing(briefingId: string): Promise<{ removed: number; failed: number }>;
  stop(): Promise<void>;
}

export type ReloadOutcome = { kind: 'noFile' } | { kind: 'applied'; changes: string[] } | { kind: 'invalid'; errors: string[] };

const SYSTEM_ACTOR: ConfigActor = { actorAadId: 'system:config', correlationId: 'config' };

/** The log gets where a problem is, never the value found there (a name could be in it). */
const withoutValues = (errors: readonly string[]) => errors.map((e) => e.replace(/, got .*$/, ''));

export interface StartOptions {
  /** An already opened database (tests); otherwise opened from config and closed on stop. */
  db?: Database;
  now?: () => Date;
}

export async function startBot(config: Config, log: Logger, opts: StartOptions = {}): Promise<RunningBot> {
  const db = opts.db ?? await openDb(config.database, config.projectRoot);
  try {
    if (config.demoData) {
      const seeded = await seedDemoData(db.prisma);
      log.info(seeded, 'demo data loaded');
    }
    const deps: ServiceDeps = { prisma: db.prisma, log, now: opts.now ?? (() => new Date()) };
    // The file's municipalities, protocol and scope links into the database before the first request; a conflict refuses the start.
    const applyFile = async (file: string, deployment: DeploymentConfig, actor: ConfigActor) => {
      try {
        return describeSync(await synchroniseConfiguration(deps, file, deployment, actor));
      } catch (err) {
        throw err instanceof ConfigConflictError ? new ConfigFileError(file, err.errors) : err;
      }
    };
    const takeLive = (deployment: DeploymentConfig | undefined) => {
      const live = withDeployment(config.envDefaults, deployment);
      // The jobs read these on every run and the pacer on every send: a reload takes effect at once.
      config.briefing = live.briefing;
      Object.assign(config.pacing, live.pacing);
    };
    if (config.deploymentFile !== undefined) {
      const deployment = loadDeploymentFile(config.deploymentFile);
      log.info({ file: config.deploymentFile, changes: await applyFile(config.deploymentFile, deployment, SYSTEM_ACTOR) }, 'configuration file applied');
      takeLive(deployment);
    }
    let reloading = Promise.resolve<unknown>(undefined);
    const reloadConfiguration = (actor: ConfigActor = SYSTEM_ACTOR): Promise<ReloadOutcome> => {
      // One reload at a time: two SIGHUPs in a row apply the file twice, in order.
      const run = reloading.then(async (): Promise<ReloadOutcome> => {
        const file = config.deploymentFile;
        if (file === undefined) return { kind: 'noFile' };
        try {
          const next = loadDeploymentFile(file);
          const changes = await applyFile(file, next, actor);
          takeLive(next);
          log.info({ file, changes }, 'configuration reloaded');
          return { kind: 'applied', changes };
        } catch (err) {
          if (!(err instanceof ConfigFileError)) throw err;
          log.error({ file, problems: withoutValues(err.errors) }, 'configuration NOT reloaded: the file is not valid; the previous configuration stays');
          return { kind: 'invalid', errors: [...err.errors] };
        }
      });
      reloading = run.catch(() => undefined);
      return run;
    };
    let listenUrl = '';
    const publicBaseUrl = () => config.publicBaseUrl ?? listenUrl;
    // One Graph session (token cache, concurrency) for the calendar and app installs: both come from the same settings.
    const graphConfig = config.calendar.kind === 'graph' ? config.calendar.graph : config.appInstall?.graph;
    const graph = graphConfig ? new GraphSession(graphConfig, log) : undefined;
    const calendarPort: CalendarPort = config.calendar.kind === 'graph' && graph ? new GraphCalendar(graph) : new LocalCalendar();
    const installer = config.appInstall && graph ? new GraphAppInstaller(graph, config.appInstall.catalogAppId, log) : undefined;
    // The jobs' handlers need the bot (to update cards, to deliver), and the bot needs the outbox: handlers come after.
    const outbox = new OutboxWorker(deps, config.outbox);
    deps.outbox = outbox;
    const calendar: MeetingCalendar = { port: calendarPort, jobs: outbox };
    const bot = createBot(config, deps, publicBaseUrl, calendar);
    outbox.handle(MEETING_SYNC_JOB, meetingSyncJob(deps, calendarPort, bot.updateMeetingCard));
    outbox.handle(DELIVERY_JOB, deliveryJob(deps, bot.deliveries, installer));
    const server = createServer({
      bot, log, ready: () => db.ready(),
      // Dossier PDFs, audit trail CSVs and minutes share the link shape; a token is found in at most one of them.
      meetingInvitation: (token) => meetingInvitation(deps, token),
      downloadExport: async (token, correlationId) => {
        const dossier = await downloadExport(deps, token, correlationId);
        if (dossier.kind === 'pdf') return { body: dossier.pdf, contentType: 'application/pdf', filename: dossier.filename };
        const trail = await downloadAuditCsv(deps, token, correlationId);
        if (trail) return { body: trail.csv, contentType: 'text/csv; charset=utf-8', filename: trail.filename };
        const minutes = await downloadMinutesPdf(deps, token, correlationId);
        return minutes ? { body: minutes.pdf, contentType: 'application/pdf', filename: minutes.filename } : undefined;
      },
    });
    const port = await listen(server, config.host, config.port);
    const url = `http://${config.host}:${port}`;
    listenUrl = url;
    log.info({ url: `${url}/api/messages`, database: db.kind, auth: config.bot !== undefined, calendar: calendarPort.kind, appInstall: installer !== undefined }, 'Weerbaar is listening');
    outbox.start();
    const stopRetention = config.retentionJob ? startRetentionJob(deps) : () => undefined;
    const refreshInterval = config.rosterRefreshHours * 60 * 60_000;
    const refresh = (olderThanMs = refreshInterval) => refreshRosters(bot, config.bot?.appId ?? '', deps, olderThanMs);
    const stopRosters = refreshInterval > 0
      // Half the interval: a roster read just after the last tick is still read at the next one.
      ? startPeriodicJob(deps, 'roster refresh', async () => { deps.log.info(await refresh(refreshInterval / 2), 'rosters refreshed'); }, refreshInterval, 60_000)
      : () => undefined;
    const remind = () => sendMeetingReminders(bot, config.bot?.appId ?? '', deps, config.meetingReminderWorkingDays, config.publicBaseUrl ?? listenUrl);
    // Hourly; tests post reminders themselves, on their own clock.
    const stopReminders = config.mode !== 'test' && config.meetingReminderWorkingDays > 0
      ? startPeriodicJob(deps, 'meeting reminders', async () => { const r = await remind(); if (r.sent + r.failed > 0) deps.log.info(r, 'meeting reminders'); }, 60 * 60_000, 90_000)
      : () => undefined;
    const agendas = () => postDueAgendas(bot.overleg, deps, config.agendaLeadMinutes);
    const actionReminders = () => sendActionReminders(bot, config.bot?.appId ?? '', deps, config.actionReminderWorkingDays);
    const briefings = () => issueScheduledBriefings(deps, config.briefing);
    const crisisRepeats = () => repeatUnanswered(deps, config.crisis.repeatMinutes, config.crisis.maxRepeats);
    const every = (name: string, run: () => Promise<unknown>, intervalMs: number, firstAfterMs: number) =>
      startPeriodicJob(deps, name, async () => { const result = await run(); deps.log.debug({ job: name, result }, 'periodic job ran'); }, intervalMs, firstAfterMs);
    // Tests run these themselves, on their own clock.
    const stopJobs = config.mode === 'test' ? [] : [
      ...(config.agendaLeadMinutes > 0 ? [every('agendas', agendas, 5 * 60_000, 60_000)] : []),
      every('action reminders', actionReminders, 60 * 60_000, 120_000),
      every('briefings', briefings, 10 * 60_000, 150_000),
      every('crisis repeats', crisisRepeats, 60_000, 30_000),
    ];
    return {
      port, url, db, deps,
      refreshRosters: refresh,
      sendMeetingReminders: remind,
      postDueAgendas: agendas,
      sendActionReminders: actionReminders,
      issueBriefings: briefings,
      repeatCrisisAlerts: crisisRepeats,
      withdrawBriefing: (briefingId) => withdrawBriefing(deps, bot.deliveries, briefingId),
      reloadConfiguration,
      settings: () => ({ briefing: { ...config.briefing }, pacing: { ...config.pacing } }),
      stop: async () => {
        await outbox.stop();
        for (const stopJob of stopJobs) stopJob();
        stopReminders();
        stopRosters();
        stopRetention();
        await closeServer(server);
        if (!opts.db) await db.close();
      },
    };
  } catch (err) {
    if (!opts.db) await db.close();
    throw err;
  }
}
