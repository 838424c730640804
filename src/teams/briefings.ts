// The mayor at the edge: `briefing` in her personal chat, `briefing sturen` by a coordinator, the crisis alert's
// Gelezen / Bel mij (the channel is told), Crisis melden on a case card, and the cards the outbox delivers (the
// briefing, the alert) through the paced connector. A personal chat with the bot is remembered for those deliveries.
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { BriefingPeriod } from '../domain/briefing.js';
import type { Caller } from '../domain/caller.js';
import { briefingForDelivery, briefingOnDemand, sendAdHocBriefing } from '../services/briefings.js';
import type { ServiceDeps } from '../services/context.js';
import { acknowledgeCrisis, alertForDelivery, crisisDeliveryAnswered, markCaseCrisis } from '../services/crisis.js';
import { rememberConversation, type DeliveryChannel } from '../services/deliveries.js';
import { identityOf } from './activity.js';
import { answerAsCaller, asCard, replyWith, type Answer } from './answers.js';
import type { Bot } from './app.js';
import { renderBriefingCard, renderCrisisCard } from './briefingCards.js';
import { asAttachment, renderNotice } from './cards.js';
import type { ConnectorSender } from './connector.js';
import { requestOf } from './context.js';
import { onExecute } from './execute.js';
import { inConversation } from './proactive.js';
import { refusalText } from './signals.js';
import { CHANNEL_LOCALE, formatTime, t } from './strings.js';
import { readFields } from './submits.js';

// A mayor's language is not known outside a turn: Dutch.
const MAYOR_LOCALE = 'nl';

/** What the outbox's delivery job sends: the stored briefing or the alert, rendered and paced. */
export function deliveryChannel(deps: ServiceDeps, sender: ConnectorSender): DeliveryChannel {
  return {
    async send(d, at, signal) {
      if (d.kind === 'briefing' && d.briefingId) {
        const view = await briefingForDelivery(deps, d.briefingId);
        if (view === 'withdrawn') return { kind: 'unneeded' };
        return view ? sender.send(at, renderBriefingCard(MAYOR_LOCALE, view), view.municipality, signal) : { kind: 'rejected' };
      }
      if (await crisisDeliveryAnswered(deps, d)) return { kind: 'unneeded' };
      const alert = d.alertId ? await alertForDelivery(deps, d.alertId) : undefined;
      return alert ? sender.send(at, renderCrisisCard(MAYOR_LOCALE, alert), `CRISIS ${alert.summary.reference}`, signal) : { kind: 'rejected' };
    },
    remove: (at, activityId) => sender.remove(at, activityId),
  };
}

/** Remembers where the bot can reach this person: their personal chat (the installation, or any message there). */
export async function rememberPersonalChat(deps: ServiceDeps, context: TurnContext): Promise<void> {
  const a = context.activity;
  const identity = identityOf(a);
  if (a.conversation?.conversationType !== 'personal' || !identity || !a.from?.id || !a.serviceUrl) return;
  await rememberConversation(deps, { tenantId: identity.tenantId, aadObjectId: identity.aadObjectId, teamsUserId: a.from.id, serviceUrl: a.serviceUrl, conversationId: a.conversation.id });
}

export function registerBriefingRoutes(app: Application<TurnState>, bot: () => Pick<Bot, 'adapter'>, botAppId: string, deps: ServiceDeps, period: BriefingPeriod): void {
  const withCaller = (context: TurnContext, run: (caller: Caller) => Promise<Answer>) => answerAsCaller(deps, context, run);

  app.message(/^\s*briefing\s*$/i, async (context) => {
    await replyWith(context, await withCaller(context, async (caller) => {
      const result = await briefingOnDemand(deps, requestOf(context), caller, period);
      if (result.kind === 'refused') {
        if (result.reason === 'mayorOnly' || result.reason === 'personalOnly') return t(caller.locale, `briefing.${result.reason}`);
        return refusalText(caller.locale, result.reason);
      }
      // One card per municipality she is mayor of (usually one).
      const [first, ...rest] = result.views.map((v) => renderBriefingCard(caller.locale, v));
      for (const card of rest) await context.sendActivity({ attachments: [asAttachment(card)] });
      return first;
    }));
  });

  app.message(/^\s*(briefing\s+sturen|send\s+(a\s+)?briefing)\s*$/i, async (context) => {
    await replyWith(context, await withCaller(context, async (caller) => {
      if (caller.place.kind === 'personal') return t(caller.locale, 'briefing.channelOnly');
      const result = await sendAdHocBriefing(deps, requestOf(context), caller, period);
      if (result.kind === 'sent') {
        const sent = t(caller.locale, 'briefing.sent', { municipality: result.municipality, count: result.recipients });
        return result.unreachable === 0 ? sent : `${sent} ${t(caller.locale, 'briefing.unreachable', { count: result.unreachable })}`;
      }
      if (result.kind === 'noMayor') return t(caller.locale, 'briefing.noMayor');
      return refusalText(caller.locale, result.reason);
    }));
  });

  onExecute(app, 'crisis.ack', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { alertId, kind } = readFields(data, ['alertId', 'kind'] as const);
    const result = await acknowledgeCrisis(deps, requestOf(context), caller, alertId, kind);
    if (result.kind === 'notFound') return t(caller.locale, 'crisis.notFound');
    if (result.first && result.channel) {
      // The coordinators in the record's channel see the answer at once.
      const key = `crisis.channel.${kind === 'call' ? 'call' : 'read'}${result.byDeputy ? '.deputy' : ''}` as const;
      const text = t(CHANNEL_LOCALE, key, { name: caller.name, reference: result.alert.summary.reference, time: formatTime(CHANNEL_LOCALE, deps.now()) });
      const failure = await inConversation(bot(), botAppId, result.channel, async (ctx) => { await ctx.sendActivity(text); });
      if (failure !== undefined) deps.log.warn({ err: failure, alertId }, 'crisis answer not posted in the channel');
    }
    return renderCrisisCard(caller.locale, result.alert, t(caller.locale, kind === 'call' ? 'crisis.thanks.call' : 'crisis.thanks.read'));
  })), { updatesMessage: false });

  onExecute(app, 'case.crisis', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { caseId } = readFields(data, ['caseId'] as const);
    const result = await markCaseCrisis(deps, requestOf(context), caller, caseId);
    switch (result.kind) {
      case 'marked':
        if (result.recipients === 0) return renderNotice(t(caller.locale, 'crisis.marked.nobody'), 'attention');
        if (result.reachable < result.recipients) {
          return renderNotice(t(caller.locale, 'crisis.marked.unreachable', { count: result.recipients - result.reachable, total: result.recipients }), 'attention');
        }
        return renderNotice(t(caller.locale, result.deputiesOnly ? 'crisis.marked.deputy' : 'crisis.marked'));
      case 'already': return renderNotice(t(caller.locale, 'crisis.already'), 'attention');
      case 'closed': return renderNotice(t(caller.locale, 'crisis.closed'), 'attention');
      case 'notFound': return t(caller.locale, 'case.noAccess');
      case 'refused': return refusalText(caller.locale, result.reason);
    }
  })), { updatesMessage: false });
}
