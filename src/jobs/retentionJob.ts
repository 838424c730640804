// The daily retention run. Every process checks hourly; the run's unique day makes sure only one of them (and only
// once a day) carries it out, so several instances can run this job safely.
import type { ServiceDeps } from '../services/context.js';
import { runRetention } from '../services/retention.js';
import { startPeriodicJob } from './periodic.js';

const HOUR_MS = 60 * 60_000;

export function startRetentionJob(deps: ServiceDeps, intervalMs = HOUR_MS): () => void {
  return startPeriodicJob(deps, 'retention', async () => {
    const outcome = await runRetention(deps, { dryRun: false });
    if (outcome.kind === 'done') deps.log.info({ day: outcome.day, items: outcome.items.length }, 'retention applied');
  }, intervalMs);
}
