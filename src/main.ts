// Starts and stops the whole bot: database, demo data, Teams application, HTTP server. Used by index.ts and
// by the tests, which start it on a random loopback port.
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { ServiceDeps } from './services/context.js';
import { downloadAuditCsv } from './services/auditTrails.js';
import { downloadExport } from './services/exports.js';
import { downloadMinutesPdf } from './services/minutesExport.js';
import { MEETING_SYNC_JOB, meetingInvitation, type MeetingCalendar } from './services/meetings.js';
import { meetingSyncJob } from './services/meetingCalendar.js';
import { GraphCalendar } from './calendar/graph.js';
import { LocalCalendar } from './calendar/local.js';
import type { CalendarPort } from './calendar/port.js';
import { OutboxWorker } from './jobs/outbox.js';
import { startPeriodicJob } from './jobs/periodic.js';
import { startRetentionJob } from './jobs/retentionJob.js';
import { refreshRosters, type RosterRefreshSummary } from './teams/rosterRefresh.js';
import { sendMeetingReminders, type ReminderSummary } from './teams/meetingReminders.js';
import { postDueAgendas, sendActionReminders, type PostSummary } from './teams/overlegPosts.js';
import { createBot, type Bot } from './teams/app.js';
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
  stop(): Promise<void>;
}

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
    let listenUrl = '';
    const publicBaseUrl = () => config.publicBaseUrl ?? listenUrl;
    const calendarPort: CalendarPort = config.calendar.kind === 'graph' ? new GraphCalendar(config.calendar.graph, log) : new LocalCalendar();
    // The meeting's card in its channel follows the calendar's answer; the bot that updates it is made below.
    const bots: { current?: Bot } = {};
    const outbox = new OutboxWorker(deps, {
      [MEETING_SYNC_JOB]: meetingSyncJob(deps, calendarPort, async (meetingId) => { await bots.current?.updateMeetingCard(meetingId); }),
    }, config.outbox);
    const calendar: MeetingCalendar = { port: calendarPort, jobs: outbox };
    const bot = createBot(config, deps, publicBaseUrl, calendar);
    bots.current = bot;
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
    log.info({ url: `${url}/api/messages`, database: db.kind, auth: config.bot !== undefined, calendar: calendarPort.kind }, 'Weerbaar is listening');
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
    // Tests post agendas and action reminders themselves, on their own clock.
    const stopOverlegJobs = config.mode === 'test' ? [] : [
      ...(config.agendaLeadMinutes > 0 ? [startPeriodicJob(deps, 'agendas', async () => { const r = await agendas(); if (r.sent + r.failed > 0) deps.log.info(r, 'agendas posted'); },
        5 * 60_000, 60_000)] : []),
      startPeriodicJob(deps, 'action reminders', async () => { const r = await actionReminders(); if (r.sent + r.failed > 0) deps.log.info(r, 'action reminders'); },
        60 * 60_000, 120_000),
    ];
    return {
      port, url, db, deps,
      refreshRosters: refresh,
      sendMeetingReminders: remind,
      postDueAgendas: agendas,
      sendActionReminders: actionReminders,
      stop: async () => {
        await outbox.stop();
        for (const stopJob of stopOverlegJobs) stopJob();
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
