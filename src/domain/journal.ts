// The dossier journal: append-only entries, each sealed with a hash over its content and the previous entry's
// hash in the same dossier, so that a changed, removed or reordered entry breaks the chain.
import { createHash } from 'node:crypto';
import { ANONYMISED } from './retention.js';
import { cleanText } from './signalIntake.js';

export const ENTRY_KINDS = ['handeling', 'waarneming', 'verkregen_informatie', 'contact_partner', 'besluit', 'statuswijziging', 'correctie'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Kinds an officer writes; statuswijziging is written by the system, correctie through "corrigeer". */
export const USER_ENTRY_KINDS = ['handeling', 'waarneming', 'verkregen_informatie', 'contact_partner', 'besluit'] as const;

export const GENESIS_HASH = '0'.repeat(64);

/** Everything an entry's hash covers. */
export interface SealedContent {
  dossier: string;
  sequence: number;
  kind: string;
  text: string;
  occurredAt: string;
  source: string | null;
  sourceReliability: string | null;
  informationReliability: string | null;
  legalBasis: string | null;
  authorAadId: string;
  authorName: string;
  links: readonly string[];
  correctsSequence: number | null;
  recordedAt: string;
  prevHash: string;
}

/** Canonical form: fixed key order, so the same content always gives the same hash on every engine. */
export function sealOf(c: SealedContent): string {
  const canonical = JSON.stringify([
    c.dossier, c.sequence, c.kind, c.text, c.occurredAt, c.source, c.sourceReliability, c.informationReliability, c.legalBasis,
    c.authorAadId, c.authorName, [...c.links], c.correctsSequence, c.recordedAt, c.prevHash,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

export interface StoredEntry extends SealedContent { hash: string }

export type ChainBreak =
  | { sequence: number; problem: 'hashMismatch' }
  | { sequence: number; problem: 'headMismatch' }
  | { sequence: number; problem: 'prevHashMismatch' }
  | { sequence: number; problem: 'sequenceGap'; expected: number };

/**
 * Walks one dossier's entries (in stored order) and returns the first broken link, or null for an intact chain.
 * Content changes break the entry's own hash; removed or reordered entries break the sequence or the link.
 */
/**
 * `anonymised`: retention replaced the personal content of this dossier's entries; their own hashes no longer
 * match by design, so for those entries only the links (sequence, previous hash) are checked.
 */
export function verifyChain(entries: readonly StoredEntry[], head?: { hash: string | null; length: number }, anonymised = false): ChainBreak | null {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.sequence !== i + 1) return { sequence: e.sequence, problem: 'sequenceGap', expected: i + 1 };
    if (e.prevHash !== prevHash) return { sequence: e.sequence, problem: 'prevHashMismatch' };
    if (!(anonymised && e.text === ANONYMISED) && sealOf(e) !== e.hash) return { sequence: e.sequence, problem: 'hashMismatch' };
    prevHash = e.hash;
  }
  // The dossier row remembers the last hash and length: a removed last entry shows here.
  if (head && (head.length !== entries.length || (head.hash ?? GENESIS_HASH) !== prevHash)) {
    return { sequence: Math.min(head.length, entries.length + 1), problem: 'headMismatch' };
  }
  return null;
}

export const ENTRY_LIMITS = { text: { min: 3, max: 8000 }, source: { max: 300 }, link: { max: 500 }, links: 10 } as const;

export type EntryField = 'kind' | 'text' | 'occurredOn' | 'occurredTime' | 'source' | 'sourceReliability' | 'informationReliability' | 'legalBasis' | 'links';
export type EntryErrorCode = 'required' | 'tooShort' | 'tooLong' | 'unknownChoice' | 'invalidDate' | 'invalidTime' | 'dateInFuture' | 'timeInFuture' | 'invalidLink';

export interface EntryDraft { kind: string; text: string; occurredOn: string; occurredTime: string; source: string; sourceReliability: string; informationReliability: string; legalBasis: string; links: string }
export interface EntryError { field: EntryField; code: EntryErrorCode; limit?: number }
export interface ValidEntry {
  kind: EntryKind; text: string; occurredOn: string; occurredTime: string | null; source: string | null; sourceReliability: string | null;
  informationReliability: string | null; legalBasis: string | null; links: string[];
}

const RELIABILITY = { source: ['A', 'B', 'C', 'D'], information: ['1', '2', '3', '4'] } as const;

/**
 * Validates an entry an officer writes. Obtained information needs its source and both reliabilities; links are
 * references (SIG-/CASE-) or https URLs.
 */
export function validateEntry(d: EntryDraft, ctx: { legalBases: readonly string[]; today: string; nowTime: string; allowCorrection: boolean }):
  { ok: true; value: ValidEntry } | { ok: false; errors: EntryError[] } {
  const errors: EntryError[] = [];
  const kinds: readonly string[] = ctx.allowCorrection ? [...USER_ENTRY_KINDS, 'correctie'] : USER_ENTRY_KINDS;
  const kind = d.kind.trim();
  if (kind === '') errors.push({ field: 'kind', code: 'required' });
  else if (!kinds.includes(kind)) errors.push({ field: 'kind', code: 'unknownChoice' });
  const text = cleanText(d.text);
  if (text === '') errors.push({ field: 'text', code: 'required' });
  else if (text.length < ENTRY_LIMITS.text.min) errors.push({ field: 'text', code: 'tooShort', limit: ENTRY_LIMITS.text.min });
  else if (text.length > ENTRY_LIMITS.text.max) errors.push({ field: 'text', code: 'tooLong', limit: ENTRY_LIMITS.text.max });
  const occurredOn = d.occurredOn.trim();
  if (occurredOn === '') errors.push({ field: 'occurredOn', code: 'required' });
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(occurredOn) || Number.isNaN(Date.parse(`${occurredOn}T00:00:00Z`))
    || new Date(`${occurredOn}T00:00:00Z`).toISOString().slice(0, 10) !== occurredOn) errors.push({ field: 'occurredOn', code: 'invalidDate' });
  else if (occurredOn > ctx.today) errors.push({ field: 'occurredOn', code: 'dateInFuture' });
  const occurredTime = d.occurredTime.trim();
  if (occurredTime !== '' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(occurredTime)) errors.push({ field: 'occurredTime', code: 'invalidTime' });
  else if (occurredTime !== '' && occurredOn === ctx.today && occurredTime > ctx.nowTime) errors.push({ field: 'occurredTime', code: 'timeInFuture' });
  const source = d.source.trim();
  if (source.length > ENTRY_LIMITS.source.max) errors.push({ field: 'source', code: 'tooLong', limit: ENTRY_LIMITS.source.max });
  const sr = d.sourceReliability.trim();
  const ir = d.informationReliability.trim();
  if (kind === 'verkregen_informatie') {
    if (source === '') errors.push({ field: 'source', code: 'required' });
    if (sr === '') errors.push({ field: 'sourceReliability', code: 'required' });
    if (ir === '') errors.push({ field: 'informationReliability', code: 'required' });
  }
  if (sr !== '' && !(RELIABILITY.source as readonly string[]).includes(sr)) errors.push({ field: 'sourceReliability', code: 'unknownChoice' });
  if (ir !== '' && !(RELIABILITY.information as readonly string[]).includes(ir)) errors.push({ field: 'informationReliability', code: 'unknownChoice' });
  const legalBasis = d.legalBasis.trim();
  if (legalBasis !== '' && !ctx.legalBases.includes(legalBasis)) errors.push({ field: 'legalBasis', code: 'unknownChoice' });
  const links = d.links.split(/[\s,]+/).map((l) => l.trim()).filter(Boolean);
  if (links.length > ENTRY_LIMITS.links || links.some((l) => l.length > ENTRY_LIMITS.link.max || !(/^(SIG|CASE)-\d{4}-\d{4,}$/i.test(l) || /^https:\/\/\S+$/.test(l)))) {
    errors.push({ field: 'links', code: 'invalidLink' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      kind: kind as EntryKind, text, occurredOn, occurredTime: occurredTime || null, source: source || null, sourceReliability: sr || null,
      informationReliability: ir || null, legalBasis: legalBasis || null, links: links.map((l) => (/^https:/.test(l) ? l : l.toUpperCase())),
    },
  };
}
