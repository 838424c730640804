// Waiting for what a bot does on its own (the outbox, a periodic job): polled, with a deadline that names what was awaited.

/** Resolves once `check` holds; throws after `timeoutMs` with "timed out waiting until <what>". */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
