// Reading card submits: every value a string, absent ones empty, unknown keys ignored. The domain validates.
import { z } from 'zod';
import { SIGNAL_FIELDS, type SignalDraft } from '../domain/signalIntake.js';

// Strings and numbers are values; an object or array where a field should be (a crafted request) counts as empty.
const text = z.preprocess((v) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : ''), z.string());

/** The string fields of a submit; anything else in it is ignored. */
export function readFields<K extends string>(data: unknown, keys: readonly K[]): Record<K, string> {
  const source = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  return Object.fromEntries(keys.map((k) => [k, text.parse(source[k]).slice(0, 10_000)])) as Record<K, string>;
}

export function readDraft(data: unknown): SignalDraft {
  return readFields(data, SIGNAL_FIELDS);
}
