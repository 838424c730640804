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

  private async call(at: PersonalAddress, method: 'POST' | 'PUT' | 'DELETE', activityId: string | undefined, body?: unknown): Promise<SendOutcome> {
    // The token first: from the booked moment on, nothing may stand between the booking and the send.
    const authorization = await this.authorization();
    await this.pacer.wait(at.tenantId, at.conversationId);
    const url = `${at.serviceUrl.replace(/\/$/, '')}/v3/conversations/${encodeURIComponent(at.conversationId)}/activities${activityId ? `/${encodeURIComponent(activityId)}` : ''}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method, headers: { 'content-type': 'application/json', ...authorization }, body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
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
    if (res.status === 403 || res.status === 404) return { kind: 'gone' };
    return { kind: 'rejected' };
  }

  send(at: PersonalAddress, card: AdaptiveCard, summary: string): Promise<SendOutcome> {
    return this.call(at, 'POST', undefined, { type: 'message', summary, attachments: [asAttachment(card)] });
  }

  update(at: PersonalAddress, activityId: string, card: AdaptiveCard): Promise<SendOutcome> {
    return this.call(at, 'PUT', activityId, { type: 'message', id: activityId, attachments: [asAttachment(card)] });
  }

  remove(at: PersonalAddress, activityId: string): Promise<SendOutcome> {
    return this.call(at, 'DELETE', activityId);
  }
}
