// Microsoft 365 as the bot sees it when CALENDAR=graph: a loopback Entra token endpoint (TLS) and a loopback Graph,
// with the demo organiser and officers' mailboxes, and the settings that point the bot at them.
import { DEMO_USERS } from '../../src/store/demoData';
import { startEntraStub, type EntraStub } from './entraStub';
import { startGraphStub, type GraphStub } from './graphStub';

export const ORGANISER = 'overleg@heidebroek.example';

export interface GraphWorld {
  entra: EntraStub;
  graph: GraphStub;
  /** Settings for the bot: the Graph calendar with a client secret (or, with `certificate`, the client certificate). */
  env(opts?: { certificate?: boolean }): Record<string, string>;
  close(): Promise<void>;
}

export async function startGraphWorld(): Promise<GraphWorld> {
  const entra = await startEntraStub();
  const graph = await startGraphStub((token) => entra.isValid(token));
  graph.mailboxes.add(ORGANISER);
  for (const u of DEMO_USERS) if (u.email) graph.mailboxes.add(u.email.toLowerCase());
  return {
    entra, graph,
    env: (opts = {}) => ({
      CALENDAR: 'graph', GRAPH_TENANT_ID: entra.tenantId, GRAPH_CLIENT_ID: entra.clientId,
      ...(opts.certificate ? { GRAPH_CERTIFICATE_PATH: entra.certificatePath } : { GRAPH_CLIENT_SECRET: entra.clientSecret }),
      GRAPH_AUTHORITY_HOST: entra.url, GRAPH_BASE_URL: graph.url, GRAPH_CA_FILE: entra.caFile,
    }),
    close: async () => { await graph.close(); await entra.close(); },
  };
}
