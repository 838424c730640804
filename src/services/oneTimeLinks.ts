// One-time download links (a dossier PDF, an audit trail CSV): a random token in the link, only its hash stored,
// valid for 15 minutes.
import { createHash, randomBytes } from 'node:crypto';

export const LINK_TTL_MS = 15 * 60_000;

export function newLink(now: Date): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashLinkToken(token), expiresAt: new Date(now.getTime() + LINK_TTL_MS) };
}

export const hashLinkToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The shape of a token we hand out: anything else is not looked up at all. */
export const isLinkToken = (token: string): boolean => /^[A-Za-z0-9_-]{20,100}$/.test(token);
