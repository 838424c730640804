// Installs the bot's app for a mayor who does not have it (Graph: POST /users/{id}/teamwork/installedApps, application
// permission TeamsAppInstallation.ReadWriteSelfForUser.All). Teams then sends the bot the installation event from the
// new personal chat, which is remembered as the person's conversation and releases their waiting cards.
import { GraphError } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../logger.js';
import type { AppInstaller, InstallOutcome } from '../services/deliveries.js';
import { GraphSignInError, GraphTransportError, retryAfterMs, type GraphSession } from './session.js';

export class GraphAppInstaller implements AppInstaller {
  /** `catalogAppId`: the app's id in the organisation's app catalog (not the manifest id). */
  constructor(private readonly graph: GraphSession, private readonly catalogAppId: string, private readonly log: Logger) {}

  async install(tenantId: string, aadObjectId: string, signal?: AbortSignal): Promise<InstallOutcome> {
    // The app's token is for its own tenant only.
    if (tenantId.toLowerCase() !== this.graph.tenantId.toLowerCase()) return { kind: 'refused' };
    const body = { 'teamsApp@odata.bind': `${this.graph.baseUrl}/v1.0/appCatalogs/teamsApps/${encodeURIComponent(this.catalogAppId)}` };
    try {
      await this.graph.call(signal, (c) => c.api(`/users/${encodeURIComponent(aadObjectId)}/teamwork/installedApps`).option('signal', signal).post(body) as Promise<unknown>);
      return { kind: 'installed' };
    } catch (err) {
      const status = err instanceof GraphError ? err.statusCode : 0;
      // Installed already: its installation event came before we listened, or is on its way.
      if (status === 409) return { kind: 'installed' };
      const waitingHelps = err instanceof GraphSignInError ? !err.permanent
        : err instanceof GraphTransportError ? err.network
          : status === 429 || status >= 500;
      if (waitingHelps) return { kind: 'unavailable', retryAfterMs: err instanceof GraphError ? retryAfterMs(err.headers) : undefined };
      this.log.warn({ status, signIn: err instanceof GraphSignInError, transport: err instanceof GraphTransportError ? err.code : undefined },
        'Graph refused to install the app for a recipient');
      return { kind: 'refused' };
    }
  }
}
