// Audit events are chained like the journal: each event's hash covers its content and the previous event's hash
// in the same chain (one chain per scope, and a global one), so a changed, removed or reordered event shows.
import { createHash } from 'node:crypto';
import { GENESIS_HASH } from './journal.js';

export interface AuditContent {
  chain: string;
  seq: number;
  at: string;
  tenantId: string;
  actorAadId: string;
  scopeId: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  result: string;
  correlationId: string;
  details: unknown;
  prevHash: string;
}

/** JSON with object keys sorted, so the same details always hash the same on every engine (jsonb reorders keys). */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function sealAudit(c: AuditContent): string {
  const canonical = stableJson([c.chain, c.seq, c.at, c.tenantId, c.actorAadId, c.scopeId, c.action, c.recordType, c.recordId, c.result,
    c.correlationId, c.details ?? null, c.prevHash]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export const auditChainOf = (scopeId: string | null): string => (scopeId ? `scope:${scopeId}` : 'global');

export type AuditBreak = { seq: number; problem: 'sequenceGap' | 'prevHashMismatch' | 'hashMismatch' | 'headMismatch' };

/** The first broken link of one chain (events in stored order), or null. */
export function verifyAuditChain(events: readonly (AuditContent & { hash: string })[], head: { seq: number; hash: string } | null): AuditBreak | null {
  let prev = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.seq !== i + 1) return { seq: e.seq, problem: 'sequenceGap' };
    if (e.prevHash !== prev) return { seq: e.seq, problem: 'prevHashMismatch' };
    if (sealAudit(e) !== e.hash) return { seq: e.seq, problem: 'hashMismatch' };
    prev = e.hash;
  }
  if (head && (head.seq !== events.length || head.hash !== prev)) return { seq: Math.min(head.seq, events.length + 1), problem: 'headMismatch' };
  return null;
}
