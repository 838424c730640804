// A job every process runs on a timer. The work itself must be safe to run in several processes at once (the
// retention run's unique day; a roster refresh is idempotent); a tick that is still running skips the next.
import type { ServiceDeps } from '../services/context.js';

export function startPeriodicJob(deps: ServiceDeps, name: string, run: () => Promise<void>, intervalMs: number, firstAfterMs = 5_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await run();
    } catch (err) {
      deps.log.error({ err, job: name }, 'job failed; it is tried again at its next interval');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), firstAfterMs);
  const timer = setInterval(() => void tick(), intervalMs);
  first.unref();
  timer.unref();
  return () => { clearTimeout(first); clearInterval(timer); };
}
