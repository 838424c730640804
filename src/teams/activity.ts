// Reads what we need from a Teams activity: who, from which tenant, from which place. Nothing else trusts
// the raw activity.
import type { Activity } from 'botbuilder';
import type { ConversationPlace, Identity } from '../domain/caller.js';
import { localeOf } from './strings.js';

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string; aadGroupId?: string; name?: string };
  channel?: { id?: string; name?: string; membershipType?: string };
}

function channelDataOf(activity: Partial<Activity>): TeamsChannelData {
  const cd: unknown = activity.channelData;
  return typeof cd === 'object' && cd !== null ? (cd as TeamsChannelData) : {};
}

export function tenantIdOf(activity: Partial<Activity>): string | undefined {
  return channelDataOf(activity).tenant?.id ?? activity.conversation?.tenantId ?? undefined;
}

/** Undefined when the activity carries no user we can identify (no tenant or no Entra object id). */
export function identityOf(activity: Partial<Activity>): Identity | undefined {
  const tenantId = tenantIdOf(activity);
  const aadObjectId = activity.from?.aadObjectId;
  if (!tenantId || !aadObjectId) return undefined;
  return { tenantId, aadObjectId, name: activity.from?.name ?? '', locale: localeOf(activity.locale) };
}

/** The Teams place; the thread part (";messageid=") of a channel conversation id is never part of it. */
export function placeOf(activity: Partial<Activity>): ConversationPlace {
  const cd = channelDataOf(activity);
  const conversation = activity.conversation;
  const type = conversation?.conversationType;
  if (type === 'channel' || (cd.team && type !== 'personal' && type !== 'groupChat')) {
    const channelId = cd.channel?.id ?? conversation?.id.split(';')[0] ?? '';
    const teamId = cd.team?.id ?? '';
    // General has no channel of its own in channelData: its id is the team id.
    const channelName = cd.channel?.name ?? (channelId === teamId ? 'General' : undefined);
    const m = cd.channel?.membershipType;
    return { kind: 'channel', teamId, teamAadGroupId: cd.team?.aadGroupId, channelId, channelName, membershipType: m === 'private' || m === 'shared' ? m : 'standard' };
  }
  if (type === 'groupChat' && conversation?.id) {
    return { kind: 'groupChat', chatId: conversation.id, chatName: conversation.name };
  }
  return { kind: 'personal' };
}

/**
 * The conversation that holds the roster of a place: the team (its id) for a standard channel, the channel itself
 * for a private or shared one (they have their own members), the chat otherwise.
 */
export function rosterConversationOf(activity: Partial<Activity>): string | undefined {
  const cd = channelDataOf(activity);
  const m = cd.channel?.membershipType;
  if ((m === 'private' || m === 'shared') && cd.channel?.id) return cd.channel.id;
  return cd.team?.id ?? activity.conversation?.id;
}
