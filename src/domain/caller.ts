import type { Role } from './roles.js';

export type Locale = 'nl' | 'en';

/** Where an activity came from, reduced to what decides the scope. */
export type ConversationPlace =
  // teamId is the team's thread id (its General channel id): unlike the AAD group id, Teams sends it on every
  // channel activity.
  | { kind: 'channel'; teamId: string; teamAadGroupId: string | undefined; channelId: string; channelName: string | undefined; membershipType: 'standard' | 'private' | 'shared' }
  | { kind: 'groupChat'; chatId: string; chatName: string | undefined }
  | { kind: 'personal' };

export interface Identity {
  tenantId: string;
  aadObjectId: string;
  name: string;
  locale: Locale;
}

/** A scope the caller belongs to, with their role there. */
export interface Membership {
  scopeId: string;
  scopeName: string;
  role: Role;
  municipalityId: string | null;
}

/** Who is asking, from where, and which scopes they may use. Built for every activity. */
export interface Caller extends Identity {
  place: ConversationPlace;
  memberships: readonly Membership[];
  /** The scope of the conversation the activity came from; undefined in personal chat or an unknown scope. */
  currentScope: Membership | undefined;
  /** This channel or chat is registered but not (yet) enabled by an admin. */
  placeDisabled: boolean;
  /** The roles of everyone who reads what the bot posts here (the scope's active members); empty in personal chat. */
  readers: readonly Role[];
  /** Every scope of the municipalities this caller is mayor of: where cases may be shared with them. */
  mayorOf: readonly string[];
}

/** The scope key of a place: a channel (never the thread) or a group chat. Personal chats have none. */
export function scopeKeyOf(tenantId: string, place: ConversationPlace): string | undefined {
  switch (place.kind) {
    case 'channel': return `channel:${tenantId}:${place.teamId}:${place.channelId}`;
    case 'groupChat': return `chat:${tenantId}:${place.chatId}`;
    case 'personal': return undefined;
  }
}
