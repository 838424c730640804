// The mayor at the edge: `briefing` in her personal chat, `briefing sturen` by a coordinator, the crisis alert's
// Gelezen / Bel mij (the channel is told), Crisis melden on a case card, and the cards the outbox delivers (the
// briefing, the alert) through the paced connector. A personal chat with the bot is remembered for those deliveries.
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { BriefingPeriod } from '../domain/briefing.js';
import type { Caller } from '../domain/caller.js';
import { briefingForDelivery, briefingOnDemand, sendAdHocBriefing } from '../services/briefings.js';
import type { ServiceDeps } from '../services/context.js';
import { acknowledgeCrisis, alertForDelivery, markCaseCrisis } from '../services/crisis.js';
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
import { t } from './strings.js';
import { readFields } from './submits.js';

// A mayor's language is not known outside a turn: Dutch.
const MAYOR_LOCALE = 'nl';

/** What the outbox's delivery job sends: the stored briefing or the alert, rendered and paced. */
export function deliveryChannel(deps: ServiceDeps, sender: ConnectorSender): DeliveryChannel {
  return {
    async send(d, at) {
      if (d.kind === 'briefing' && d.briefingId) {
        const view = await briefingForDelivery(deps, d.briefingId);
        return view ? sender.send(at, renderBriefingCard(MAYOR_LOCALE, view, deps.now()), view.municipality) : { kind: 'rejected' };
      }
      const alert = d.alertId ? await alertForDelivery(deps, d.alertId) : undefined;
      return alert ? sender.send(at, renderCrisisCard(MAYOR_LOCALE, alert), `CRISIS ${alert.summary.reference}`) : { kind: 'rejected' };
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
      if (result.kind === 'refused') return result.reason === 'mayorOnly' ? t(caller.locale, 'briefing.mayorOnly') : refusalText(caller.locale, result.reason);
      // One card per municipality she is mayor of (usually one).
      const [first, ...rest] = result.views.map((v) => renderBriefingCard(caller.locale, v, deps.now()));
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
      const at = new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' }).format(deps.now());
      const text = t('nl', kind === 'call' ? 'crisis.channel.call' : 'crisis.channel.read', { name: caller.name, reference: result.alert.summary.reference, time: at });
      const failure = await inConversation(bot(), botAppId, result.channel, async (ctx) => { await ctx.sendActivity(text); });
      if (failure !== undefined) deps.log.warn({ err: failure, alertId }, 'crisis answer not posted in the channel');
    }
    return renderCrisisCard(caller.locale, result.alert, t(caller.locale, kind === 'call' ? 'crisis.thanks.call' : 'crisis.thanks.read'));
  })), { updatesMessage: false });

  onExecute(app, 'case.crisis', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { caseId } = readFields(data, ['caseId'] as const);
    const result = await markCaseCrisis(deps, requestOf(context), caller, caseId);
    switch (result.kind) {
      case 'marked': return renderNotice(t(caller.locale, 'crisis.marked'));
      case 'already': return renderNotice(t(caller.locale, 'crisis.already'), 'attention');
      case 'notFound': return t(caller.locale, 'signal.noAccess');
      case 'refused': return refusalText(caller.locale, result.reason);
    }
  })), { updatesMessage: false });
}
