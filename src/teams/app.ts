// Wires the teams-ai Application: adapter (auth from config), database-backed turn state, tenant allow-list,
// feature routes and the one error handler.
import { ActivityTypes, CallerIdConstants, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type Activity, type TurnContext } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Config } from '../config.js';
import type { ServiceDeps } from '../services/context.js';
import type { MeetingCalendar } from '../services/meetings.js';
import { tenantIdOf } from './activity.js';
import { renderNotice } from './cards.js';
import { requestOf } from './context.js';
import { declarationGate, registerDeclarationRoutes } from './declarations.js';
import { registerHelpRoutes } from './help.js';
import { registerMembershipRoutes } from './membership.js';
import { registerAdminRoutes } from './admin.js';
import { registerBeheerRoutes } from './beheer.js';
import { registerCaseRoutes } from './cases.js';
import { registerJournalRoutes } from './journal.js';
import { meetingCardUpdater, type MeetingCardUpdater } from './meetingChannel.js';
import { registerMeetingRoutes } from './meetings.js';
import { registerOverlegRoutes, type OverlegSender } from './overleg.js';
import { overlegSender } from './overlegPosts.js';
import { deliveryChannel, registerBriefingRoutes, rememberPersonalChat } from './briefings.js';
import { ConnectorSender } from './connector.js';
import { Pacer } from '../jobs/pacer.js';
import type { DeliveryChannel } from '../services/deliveries.js';
import { registerListRoutes } from './lists.js';
import { registerSignalRoutes } from './signals.js';
import { DatabaseStorage } from './storage.js';
import { localeOf, t } from './strings.js';

export interface Bot {
  adapter: TeamsAdapter;
  /** Whether the request carries a token the Bot Connector signed for this bot (always, with authentication off). */
  authenticate(activity: Partial<Activity>, authorization: string): Promise<boolean>;
  app: Application<TurnState>;
  /** Brings a meeting's card in its channel up to date (after the calendar answered, a change, a cancel). */
  updateMeetingCard: MeetingCardUpdater;
  /** Posts the overleg's own messages (the agenda before the meeting, the minutes after Teams' meetingEnd). */
  overleg: OverlegSender;
  /** Sends the cards the outbox delivers to a person (briefings, crisis alerts), paced. */
  deliveries: DeliveryChannel;
}

function createAdapter(config: Config): { adapter: TeamsAdapter; credentials: ConfigurationServiceClientCredentialFactory; authenticate: Bot['authenticate'] } {
  const bot = config.bot;
  const credentials = new ConfigurationServiceClientCredentialFactory(bot === undefined ? {} : {
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId,
  });
  // Where inbound tokens' keys are published (another cloud, the tests' loopback). Naming one setting replaces the
  // whole public-cloud set in the Bot Framework, so the others are spelled out with their public-cloud values.
  const cloud = bot?.openIdMetadataUrl === undefined && bot?.tokenIssuer === undefined ? {} : {
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: bot.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: bot.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
  // The Bot Framework answers 500 to a token whose signature or dates fail (only its own errors count as 401), so the
  // token is checked here first, with the same settings, and every failure is a refusal.
  const authentication = new ConfigurationBotFrameworkAuthentication(cloud, credentials);
  const authenticate = async (activity: Partial<Activity>, authorization: string) => {
    if (bot === undefined) return true;
    try {
      await authentication.authenticateRequest(activity as Activity, authorization);
      return true;
    } catch {
      return false;
    }
  };
  return { adapter: new TeamsAdapter(cloud, credentials), credentials, authenticate };
}

/** Answers a turn whose sender we must not serve (or could not), in the shape its activity type expects. */
export async function answerWithText(context: TurnContext, text: string): Promise<void> {
  const { activity } = context;
  if (activity.type !== ActivityTypes.Invoke) {
    if (activity.type === ActivityTypes.Message) await context.sendActivity(text);
    return;
  }
  const body = activity.name === 'adaptiveCard/action'
    ? { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: renderNotice(text, 'attention') }
    : activity.name?.startsWith('task/') ? { task: { type: 'message', value: text } } : { message: text };
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

/** Whether a key is new within the last `ttlMs` (remembering at most `max` keys); records it. */
function recentIds(ttlMs: number, max: number): (key: string) => boolean {
  const seen = new Map<string, number>();
  return (key) => {
    const now = Date.now();
    for (const [k, at] of seen) {
      if (at > now - ttlMs && seen.size < max) break;
      seen.delete(k);
    }
    if (seen.has(key)) return false;
    seen.set(key, now);
    return true;
  };
}

/** publicBaseUrl: read when a link is made, since the listen port may only be known after start. */
export function createBot(config: Config, deps: ServiceDeps, publicBaseUrl: () => string, calendar: MeetingCalendar): Bot {
  const { adapter, credentials, authenticate } = createAdapter(config);
  const app = new Application<TurnState>({
    adapter,
    botAppId: config.bot?.appId,
    storage: new DatabaseStorage(deps.prisma),
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });

  app.turn('beforeTurn', async (context) => {
    const tenantId = tenantIdOf(context.activity);
    if (config.allowedTenantIds.length === 0 || (tenantId !== undefined && config.allowedTenantIds.includes(tenantId))) return true;
    deps.log.warn({ correlationId: requestOf(context).correlationId, tenantId, type: context.activity.type }, 'activity from a tenant not on the allow-list refused');
    await answerWithText(context, t(localeOf(context.activity.locale), 'refused.tenant'));
    return false;
  });
  // Teams delivers a message again when the answer was slow (after 15 s), with the same activity id: it is answered
  // once. (Per process: a retry that reaches another instance is answered again; the writes behind it are idempotent.)
  const seenMessages = recentIds(10 * 60_000, 20_000);
  app.turn('beforeTurn', async (context) => {
    const { type, id, conversation } = context.activity;
    if (type !== ActivityTypes.Message || !id) return true;
    return seenMessages(`${conversation?.id ?? ''}|${id}`);
  });
  // Where the bot can reach someone by itself later: their personal chat, from any activity there.
  app.turn('beforeTurn', async (context) => { await rememberPersonalChat(deps, context); return true; });
  app.turn('beforeTurn', (context) => declarationGate(deps, context));

  registerMembershipRoutes(app, deps);
  registerDeclarationRoutes(app, deps);
  registerAdminRoutes(app, deps, publicBaseUrl);
  registerBeheerRoutes(app, deps);
  registerSignalRoutes(app, deps);
  registerCaseRoutes(app, deps);
  registerJournalRoutes(app, deps, publicBaseUrl);
  registerListRoutes(app, deps);
  const updateMeetingCard = meetingCardUpdater({ adapter }, config.bot?.appId ?? '', deps, publicBaseUrl);
  const overleg = overlegSender({ adapter }, config.bot?.appId ?? '', deps);
  registerOverlegRoutes(app, deps, overleg, publicBaseUrl);
  registerBriefingRoutes(app, () => ({ adapter }), config.bot?.appId ?? '', deps, config.briefing.period);
  registerMeetingRoutes(app, deps, calendar, updateMeetingCard, publicBaseUrl);
  registerHelpRoutes(app);

  // The one error handler: the log gets the error's type and code (src/logger.ts), the user a short apology with the
  // correlation id. The invoke's name under a key of its own: `name` is redacted (it is a person's name elsewhere).
  app.error(async (context, error) => {
    const { correlationId } = requestOf(context);
    deps.log.error({ err: error, correlationId, type: context.activity.type, invoke: context.activity.name }, 'turn failed');
    try {
      await answerWithText(context, t(localeOf(context.activity.locale), 'error.internal', { correlationId }));
    } catch (sendError) {
      deps.log.error({ err: sendError, correlationId }, 'could not deliver the apology');
    }
  });

  const deliveries = deliveryChannel(deps, new ConnectorSender(credentials, config.bot, new Pacer(config.pacing)));
  return { adapter, authenticate, app, updateMeetingCard, overleg, deliveries };
}
