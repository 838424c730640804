export type ReferencePrefix = 'SIG' | 'CASE';

/** Human reference of a record, e.g. SIG-2026-0001 or CASE-2026-0001: prefix, year, sequence padded to four digits. */
export function formatReference(prefix: ReferencePrefix, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(4, '0')}`;
}

export const REFERENCE_PATTERN = /^(SIG|CASE)-(\d{4})-(\d{4,})$/i;

export function normaliseReference(text: string): string | undefined {
  const m = REFERENCE_PATTERN.exec(text.trim());
  return m ? `${m[1].toUpperCase()}-${m[2]}-${m[3]}` : undefined;
}

export function referenceKind(reference: string): 'signal' | 'case' {
  return reference.startsWith('CASE-') ? 'case' : 'signal';
}
