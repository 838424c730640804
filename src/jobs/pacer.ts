// Pacing for the bot's own sends, within Teams' limits: per conversation 7 a second and 60 per 30 seconds, per tenant
// a configurable rate (default 30 a second). Sliding windows per key; a send waits for the first moment every window
// it falls in has room, and counts as sent from then (a refused send counts too: Teams counted it).
export interface PacingLimits { perConversationPerSecond: number; perConversationPer30s: number; perTenantPerSecond: number }

interface Window { key: string; limit: number; ms: number }

/**
 * Headroom: a send is booked here, then leaves when the event loop gets to it, and arrives later still. A loop held up
 * by other work (a long query; the embedded database runs on the same thread) sends several booked sends at once.
 * Windows 60 % wider keep Teams' count within the limit across such a hold-up (40 % still let 31 through on a fully
 * loaded machine); Teams' 429s, retried, cover the rest.
 */
export const SLACK = 1.6;

export class Pacer {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly limits: PacingLimits, private readonly clock: () => number = Date.now) {}

  /**
   * Resolves when a send to this conversation of this tenant may go, and books it. The check and the booking happen in
   * one turn of the event loop, so no two callers take the same room; a conversation that must wait holds up no other.
   */
  wait(tenantId: string, conversationId: string, signal?: AbortSignal): Promise<void> {
    const windows: Window[] = [
      { key: `c1:${conversationId}`, limit: this.limits.perConversationPerSecond, ms: 1_000 * SLACK },
      { key: `c30:${conversationId}`, limit: this.limits.perConversationPer30s, ms: 30_000 * SLACK },
      { key: `t1:${tenantId}`, limit: this.limits.perTenantPerSecond, ms: 1_000 * SLACK },
    ];
    return this.book(windows, signal);
  }

  /** Books the first free moment; an aborted wait books nothing and rejects with the signal's reason. */
  private async book(windows: Window[], signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock();
      let until = now;
      for (const w of windows) {
        const times = (this.sent.get(w.key) ?? []).filter((t) => t > now - w.ms);
        if (times.length > 0) this.sent.set(w.key, times); else this.sent.delete(w.key);
        // Full: wait until the oldest send in the window leaves it.
        if (times.length >= w.limit) until = Math.max(until, times[times.length - w.limit] + w.ms);
      }
      if (until <= now) {
        for (const w of windows) this.sent.set(w.key, [...(this.sent.get(w.key) ?? []), now]);
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const aborted = () => { clearTimeout(timer); reject(signal?.reason); };
        const timer = setTimeout(() => { signal?.removeEventListener('abort', aborted); resolve(); }, until - now + 1);
        signal?.addEventListener('abort', aborted, { once: true });
      });
    }
  }
}
