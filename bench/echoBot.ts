// The baseline: the smallest bot on the same stack as Weerbaar (restify 11, botbuilder's CloudAdapter through
// teams-ai's TeamsAdapter, a teams-ai Application), answering every message with its text. No database, memory
// storage. Started by bench/run.ts as its own process: node lib/bench/echoBot.js (env PORT).
import { ConfigurationServiceClientCredentialFactory, MemoryStorage, type Request as BotRequest, type Response as BotResponse } from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import restify from 'restify';

const port = Number(process.env.PORT ?? '3979');

// No app id: CloudAdapter accepts unauthenticated requests and replies without a token, as Weerbaar in local mode.
const adapter = new TeamsAdapter({}, new ConfigurationServiceClientCredentialFactory({}));
const app = new Application<TurnState>({
  adapter,
  storage: new MemoryStorage(),
  removeRecipientMention: true,
  // As Weerbaar: no typing indicator and no proactive continuation, so both do the same work per turn.
  startTypingTimer: false,
  longRunningMessages: false,
});
app.activity('message', async (context) => {
  await context.sendActivity(`Echo: ${context.activity.text ?? ''}`);
});

const server = restify.createServer({ name: 'echo', handleUncaughtExceptions: false });
server.server.keepAliveTimeout = 65_000;
server.server.headersTimeout = 66_000;
server.use(restify.plugins.bodyParser({ maxBodySize: 512 * 1024, mapParams: false }));
server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
  // restify's request and response carry everything CloudAdapter reads and calls (src/server.ts wraps them the same way).
  try {
    await adapter.process(req as unknown as BotRequest, res as unknown as BotResponse, (context) => app.run(context).then(() => undefined));
  } catch {
    if (!res.headersSent) res.send(500, { error: 'internal_error' });
  }
});
server.get('/readyz', async (_req: restify.Request, res: restify.Response) => { res.send(200, { status: 'ready' }); });
server.listen(port, '127.0.0.1');

const stop = () => {
  server.server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
