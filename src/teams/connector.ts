// The bot's own sends to a person (briefings, crisis alerts) straight to the Bot Connector's REST API (v3): one
// attempt per call, paced within Teams' limits, and its outcome classified for the outbox, which retries with backoff
// honouring Retry-After. (botbuilder's own client retries 429 and 5xx by itself, unpaced: fine for replies, not for
// hundreds of mayors at once.)
import { AuthenticationConstants, type ServiceClientCredentialsFactory } from 'botframework-connector';
import type { BotAuthConfig } from '../config.js';
import { retryAfterHeaderMs } from '../http/retryAfter.js';
import type { Pacer } from '../jobs/pacer.js';
import type { PersonalAddress, SendOutcome } from '../services/deliveries.js';
import type { AdaptiveCard } from './cards.js';
import { asAttachment } from './cards.js';

/**
 * A 403 that means this person's chat is closed to the bot (it was removed, or the person blocked it), as opposed to
 * one about the bot itself (disabled by an admin, another tenant), which must not make us forget the chat.
 */
function conversationClosed(body: string): boolean {
  try {
    const code = (JSON.parse(body) as { error?: { code?: unknown } }).error?.code;
    return code === 'BotNotInConversationRoster' || code === 'ConversationBlockedByUser';
  } catch {
    return false;
  }
}

export class ConnectorSender {
  constructor(private readonly credentials: ServiceClientCredentialsFactory, private readonly bot: BotAuthConfig | undefined, private readonly pacer: Pacer) {}

  /** The bot's token for the Bot Connector; none in local mode (no BOT_ID), where the connector is the Playground. */
  private async authorization(): Promise<Record<string, string>> {
    if (!this.bot) return {};
    const loginEndpoint = this.bot.appType === 'MultiTenant' ? AuthenticationConstants.ToChannelFromBotLoginUrl
      : `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${this.bot.tenantId}`;
    const creds = await this.credentials.createCredentials(this.bot.appId, AuthenticationConstants.ToChannelFromBotOAuthScope, loginEndpoint, true) as unknown as
      { getToken?: (forceRefresh?: boolean) => Promise<string> };
    return creds.getToken ? { authorization: `Bearer ${await creds.getToken()}` } : {};
  }

  private async call(at: PersonalAddress, method: 'POST' | 'DELETE', activityId: string | undefined, body?: unknown, signal?: AbortSignal): Promise<SendOutcome> {
    // The token first: from the booked moment on, nothing may stand between the booking and the send.
    const authorization = await this.authorization();
    try {
      await this.pacer.wait(at.tenantId, at.conversationId, signal);
    } catch {
      // The job's time is up before the pacing let it go: nothing was sent; the outbox tries again.
      return { kind: 'retry', reason: 'network' };
    }
    const url = `${at.serviceUrl.replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(at.conversationId)}/activities${activityId ? `/${encodeURIComponent(activityId)}` : ''}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method, headers: { 'content-type': 'application/json', ...authorization }, body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000),
      });
    } catch {
      return { kind: 'retry', reason: 'network' };
    }
    const text = await res.text().catch(() => '');
    if (res.ok) {
      let id = activityId ?? '';
      try { id = (JSON.parse(text) as { id?: string }).id ?? id; } catch { /* an empty body (an update or a delete) */ }
      return { kind: 'sent', activityId: id };
    }
    if (res.status === 429) return { kind: 'retry', reason: 'throttled', retryAfterMs: retryAfterHeaderMs(res.headers.get('retry-after')) };
    if (res.status >= 500) return { kind: 'retry', reason: 'unavailable', retryAfterMs: retryAfterHeaderMs(res.headers.get('retry-after')) };
    if (res.status === 404 || (res.status === 403 && conversationClosed(text))) return { kind: 'gone' };
    return { kind: 'rejected' };
  }

  send(at: PersonalAddress, card: AdaptiveCard, summary: string, signal?: AbortSignal): Promise<SendOutcome> {
    return this.call(at, 'POST', undefined, { type: 'message', summary, attachments: [asAttachment(card)] }, signal);
  }

  remove(at: PersonalAddress, activityId: string): Promise<SendOutcome> {
    return this.call(at, 'DELETE', activityId);
  }
}
