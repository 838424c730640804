// The daily retention run. Every process checks hourly; the run's unique day makes sure only one of them (and only
// once a day) carries it out, so several instances can run this job safely.
import type { ServiceDeps } from '../services/context.js';
import { runRetention } from '../services/retention.js';

const HOUR_MS = 60 * 60_000;

export function startRetentionJob(deps: ServiceDeps, intervalMs = HOUR_MS): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const outcome = await runRetention(deps, { dryRun: false });
      if (outcome.kind === 'done') deps.log.info({ day: outcome.day, items: outcome.items.length }, 'retention applied');
    } catch (err) {
      deps.log.error({ err }, 'retention run failed; it is tried again next hour');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 5_000);
  const timer = setInterval(() => void tick(), intervalMs);
  first.unref();
  timer.unref();
  return () => { clearTimeout(first); clearInterval(timer); };
}
