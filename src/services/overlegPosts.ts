// What the overleg posts by itself: the agenda in the channel a while before each meeting (and in the meeting's own
// Teams chat once the bot is there), and the minutes when Teams says the meeting ended. Teams' meetingStart and
// meetingEnd events are unreliable, so the agenda never depends on them: the scheduled post comes first, the events
// only add to it. Each post is claimed once per occurrence (a timestamp on the row), whichever process is first.
import { meetingThreadOf, zonedInstant } from '../domain/meetings.js';
import { localDate } from '../domain/signalIntake.js';
import { addressOfScope, type ScopeAddress } from '../store/scopes.js';
import type { ServiceDeps } from './context.js';
import { findOccurrence, nextDateOf, occurrenceOf, refreshAgenda, type OccurrenceRow } from './agenda.js';
import { closeOccurrence, type MinutesView } from './decisions.js';
import { meetingsGoingOnFrom } from './meetings.js';

export type PostAddress = ScopeAddress;
export interface AgendaPost { occ: OccurrenceRow; where: 'channel' | 'chat'; at: PostAddress }

const meetingSelect = {
  id: true, scopeId: true, startDate: true, startTime: true, recurrence: true, chatServiceUrl: true, chatConversationId: true,
  scope: { select: { tenantId: true, serviceUrl: true, channelId: true, chatId: true, kind: true } },
} as const;

type MeetingForPosts = { id: string; scopeId: string; chatServiceUrl: string | null; chatConversationId: string | null;
  scope: { tenantId: string; serviceUrl: string | null; channelId: string | null; chatId: string | null; kind: string } };

/** Claims the agenda posts of one occurrence not made yet: the channel's, and the meeting chat's when the bot is there. */
async function claimPosts(deps: ServiceDeps, m: MeetingForPosts, occ: OccurrenceRow, chatToo: boolean): Promise<AgendaPost[]> {
  const posts: AgendaPost[] = [];
  const now = deps.now();
  const channel = addressOfScope(m.scope);
  if (channel) {
    const claimed = await deps.prisma.meetingOccurrence.updateMany({ where: { id: occ.id, agendaPostedAt: null }, data: { agendaPostedAt: now } });
    if (claimed.count === 1) posts.push({ occ, where: 'channel', at: channel });
  }
  if (chatToo && m.chatServiceUrl && m.chatConversationId) {
    const claimed = await deps.prisma.meetingOccurrence.updateMany({ where: { id: occ.id, agendaChatPostedAt: null }, data: { agendaChatPostedAt: now } });
    if (claimed.count === 1) posts.push({ occ, where: 'chat', at: { tenantId: m.scope.tenantId, serviceUrl: m.chatServiceUrl, conversationId: m.chatConversationId, kind: 'groupChat' } });
  }
  if (posts.length > 0) await refreshAgenda(deps, occ);
  return posts;
}

/** The agendas due now: meetings starting within `leadMinutes` whose agenda has not been posted. */
export async function claimAgendaPosts(deps: ServiceDeps, leadMinutes: number): Promise<AgendaPost[]> {
  if (leadMinutes <= 0) return [];
  const now = deps.now();
  const today = localDate(now);
  const meetings = await deps.prisma.meeting.findMany({
    where: { ...meetingsGoingOnFrom(today), scope: { enabled: true, serviceUrl: { not: null } } }, select: meetingSelect,
  });
  const posts: AgendaPost[] = [];
  for (const m of meetings) {
    const date = nextDateOf(m, today);
    if (date === undefined) continue;
    const start = zonedInstant(date, m.startTime).getTime();
    if (now.getTime() < start - leadMinutes * 60_000 || now.getTime() > start) continue;
    posts.push(...await claimPosts(deps, m, await occurrenceOf(deps, m, date), true));
  }
  return posts;
}

/** A post that could not be delivered is claimed again at the next run. */
export async function releaseAgendaPost(deps: ServiceDeps, post: AgendaPost): Promise<void> {
  await deps.prisma.meetingOccurrence.update({ where: { id: post.occ.id }, data: post.where === 'channel' ? { agendaPostedAt: null } : { agendaChatPostedAt: null } });
}

/** The planned meeting a Teams meeting belongs to, by its join link's chat thread. */
async function meetingOfThread(deps: ServiceDeps, conversationId: string) {
  const candidates = await deps.prisma.meeting.findMany({ where: { status: { not: 'cancelled' }, joinUrl: { not: null } }, select: { ...meetingSelect, joinUrl: true } });
  return candidates.find((m) => m.joinUrl !== null && meetingThreadOf(m.joinUrl) === conversationId.split(';')[0]);
}

/**
 * Teams says a meeting started, in its chat: remember the chat (the bot is there now) and post today's agenda there,
 * and in the channel if the scheduled post has not happened.
 */
export async function meetingStarted(deps: ServiceDeps, chat: { serviceUrl: string; conversationId: string }): Promise<AgendaPost[]> {
  const m = await meetingOfThread(deps, chat.conversationId);
  if (!m) return [];
  await deps.prisma.meeting.update({ where: { id: m.id }, data: { chatServiceUrl: chat.serviceUrl, chatConversationId: chat.conversationId } });
  const today = localDate(deps.now());
  if (nextDateOf(m, today) !== today) return [];
  return claimPosts(deps, { ...m, chatServiceUrl: chat.serviceUrl, chatConversationId: chat.conversationId }, await occurrenceOf(deps, m, today), true);
}

/** Teams says a meeting ended: a started overleg of today is closed, and its minutes go to the channel (once). */
export async function meetingEnded(deps: ServiceDeps, chat: { conversationId: string }, correlationId: string): Promise<{ minutes: MinutesView; at: PostAddress } | undefined> {
  const m = await meetingOfThread(deps, chat.conversationId);
  if (!m) return undefined;
  const occ = await findOccurrence(deps, { meetingId: m.id, date: localDate(deps.now()) });
  const at = addressOfScope(m.scope);
  if (!occ || !at) return undefined;
  const closed = await closeOccurrence(deps, occ, 'system:teams', correlationId, m.scope.tenantId);
  if (closed.kind !== 'closed') return undefined;
  return { minutes: closed.minutes, at };
}
