// The reminder in the channel before each occurrence of a meeting: on the working day(s) before it, holidays of the
// municipality's country skipped. Each occurrence is claimed once (a unique row), so several processes send it once;
// a send that failed is tried again at the next run, a few times.
import { occurrencesBetween, type Recurrence } from '../domain/meetings.js';
import { localDate, localTime } from '../domain/signalIntake.js';
import { addWorkingDays, subtractWorkingDays } from '../domain/workingDays.js';
import { isUniqueViolation } from '../store/errors.js';
import { addressOfScope, type ScopeAddress } from '../store/scopes.js';
import type { ServiceDeps } from './context.js';
import { meetingsGoingOnFrom, viewOf, type MeetingView } from './meetings.js';

const MAX_ATTEMPTS = 5;
const RETRY_AFTER_MS = 10 * 60_000;
/** How far ahead to look: further than any run of holidays and weekends. */
const HORIZON_WORKING_DAYS = 10;

export interface DueReminder { reminderId: string; occurrence: string; view: MeetingView; channel: ScopeAddress }

/** Claims the reminders due today and not sent yet. */
export async function claimDueReminders(deps: ServiceDeps, workingDaysBefore: number, publicBaseUrl: string): Promise<DueReminder[]> {
  if (workingDaysBefore <= 0) return [];
  const today = localDate(deps.now());
  const meetings = await deps.prisma.meeting.findMany({
    where: { ...meetingsGoingOnFrom(today), scope: { enabled: true, serviceUrl: { not: null } } },
    include: { scope: { select: { name: true, tenantId: true, serviceUrl: true, channelId: true, chatId: true, kind: true, municipality: { select: { country: true } } } } },
  });
  const due: DueReminder[] = [];
  for (const m of meetings) {
    const country = m.scope.municipality?.country === 'BE' ? 'BE' : 'NL';
    const channel = addressOfScope(m.scope);
    if (!channel) continue;
    const horizon = addWorkingDays(today, HORIZON_WORKING_DAYS, country);
    const next = occurrencesBetween({ startDate: m.startDate, recurrence: m.recurrence as unknown as Recurrence }, today, horizon)
      .find((day) => subtractWorkingDays(day, workingDaysBefore, country) <= today && (day > today || m.startTime > localTime(deps.now())));
    if (!next) continue;
    const reminder = await claim(deps, m.id, next);
    if (reminder) {
      due.push({ reminderId: reminder, occurrence: next, view: await viewOf(deps, null, m, publicBaseUrl),
        channel });
    }
  }
  return due;
}

/** The reminder's id when this process may send it now: new, or unsent with attempts left. */
async function claim(deps: ServiceDeps, meetingId: string, occurrence: string): Promise<string | undefined> {
  const now = deps.now();
  try {
    return (await deps.prisma.meetingReminder.create({ data: { meetingId, occurrence, attempts: 1, claimedAt: now } })).id;
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  // Not while another process may still be sending it.
  const retried = await deps.prisma.meetingReminder.updateMany({
    where: { meetingId, occurrence, sentAt: null, attempts: { lt: MAX_ATTEMPTS }, claimedAt: { lt: new Date(now.getTime() - RETRY_AFTER_MS) } },
    data: { attempts: { increment: 1 }, claimedAt: now },
  });
  if (retried.count !== 1) return undefined;
  return (await deps.prisma.meetingReminder.findUniqueOrThrow({ where: { meetingId_occurrence: { meetingId, occurrence } } })).id;
}

export async function markReminderSent(deps: ServiceDeps, reminderId: string): Promise<void> {
  await deps.prisma.meetingReminder.update({ where: { id: reminderId }, data: { sentAt: deps.now() } });
}
