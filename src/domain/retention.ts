// Retention (bewaartermijnen) from a municipality's privacy protocol: which records are due for anonymisation or
// deletion on a given day. Pure: the job asks, the store acts.
export type RetentionAction = 'anonymise' | 'delete';

export interface RetentionRule {
  id: string;
  /** Signals that ended in this status without becoming a case. */
  status: 'afgesloten' | 'overgedragen';
  anonymiseAfterMonths: number;
  deleteAfterMonths: number;
}

// Defaults in the spirit of the model privacy protocols: closed signals that led nowhere go first; handed-over
// signals live on at the partner, so our copy goes sooner still. A municipality's protocol replaces these.
export const DEFAULT_RETENTION: readonly RetentionRule[] = [
  { id: 'afgesloten-zonder-casus', status: 'afgesloten', anonymiseAfterMonths: 12, deleteAfterMonths: 24 },
  { id: 'overgedragen', status: 'overgedragen', anonymiseAfterMonths: 6, deleteAfterMonths: 12 },
];

/** The calendar date `months` after `date` (YYYY-MM-DD); the 31st of a short month falls back to its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export interface RetentionCandidate { status: string; inCase: boolean; endedOn: string; anonymised: boolean }

/** What is due for this record today under these rules: delete, anonymise, or nothing. Due on the term's day itself. */
export function dueAction(c: RetentionCandidate, rules: readonly RetentionRule[], today: string): { action: RetentionAction; rule: RetentionRule } | undefined {
  if (c.inCase) return undefined;
  const rule = rules.find((r) => r.status === c.status);
  if (!rule) return undefined;
  if (addMonths(c.endedOn, rule.deleteAfterMonths) <= today) return { action: 'delete', rule };
  if (!c.anonymised && addMonths(c.endedOn, rule.anonymiseAfterMonths) <= today) return { action: 'anonymise', rule };
  return undefined;
}

export const ANONYMISED = '[geanonimiseerd]';

/**
 * A data subject's request to be erased (AVG art. 17): what may go now. A record still being worked on is kept, on
 * the legal basis it is processed under (art. 17(3)); a signal in a case goes with its case.
 */
export type ErasureVerdict = { erase: true } | { erase: false; reason: 'openSignal' | 'inCase' | 'openCase' };

export function erasureVerdict(record: { kind: 'signal'; status: string; inCase: boolean } | { kind: 'case'; phase: string }): ErasureVerdict {
  if (record.kind === 'case') return record.phase === 'afgesloten' ? { erase: true } : { erase: false, reason: 'openCase' };
  if (record.inCase) return { erase: false, reason: 'inCase' };
  return record.status === 'afgesloten' || record.status === 'overgedragen' ? { erase: true } : { erase: false, reason: 'openSignal' };
}
