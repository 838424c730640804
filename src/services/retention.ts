// Retention enforced by the system: once a day, signals that did not become a case are anonymised and later
// deleted per the municipality's privacy protocol. Each record touched gets a tombstone, an audit event and (when
// anonymised) a journal entry; a dry run shows the same plan and changes nothing.
import { ANONYMISED, DEFAULT_RETENTION, dueAction, type RetentionAction, type RetentionRule } from '../domain/retention.js';
import { localDate } from '../domain/signalIntake.js';
import { addDays } from '../domain/workingDays.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import { isUniqueViolation } from '../store/errors.js';
import { appendSystemEntry } from '../store/journal.js';
import type { ServiceDeps } from './context.js';

export interface RetentionItem { recordType: 'Signal'; recordId: string; reference: string; scopeId: string; municipalityId: string; tenantId: string; action: RetentionAction; rule: string }
export type RetentionOutcome =
  | { kind: 'dryRun'; day: string; items: RetentionItem[] }
  | { kind: 'done'; day: string; runId: string; items: RetentionItem[] }
  | { kind: 'alreadyRan'; day: string };

const SYSTEM = { aadObjectId: 'system:retention', name: 'Weerbaar (privacyprotocol)' };

function rulesOf(value: unknown): readonly RetentionRule[] {
  const ok = Array.isArray(value) && value.length > 0 && value.every((r) => typeof r === 'object' && r !== null
    && typeof (r as RetentionRule).id === 'string' && typeof (r as RetentionRule).anonymiseAfterMonths === 'number' && typeof (r as RetentionRule).deleteAfterMonths === 'number');
  return ok ? (value as RetentionRule[]) : DEFAULT_RETENTION;
}

/** What is due today, over all municipalities: the plan a run carries out and a dry run shows. */
export async function planRetention(deps: ServiceDeps, today: string): Promise<RetentionItem[]> {
  const municipalities = await deps.prisma.municipality.findMany({ select: { id: true, retention: true } });
  const rules = new Map(municipalities.map((m) => [m.id, rulesOf(m.retention)]));
  const candidates = await deps.prisma.signal.findMany({
    where: { status: { in: ['afgesloten', 'overgedragen'] }, caseId: null },
    select: { id: true, reference: true, scopeId: true, municipalityId: true, status: true, statusChangedAt: true, anonymisedAt: true, scope: { select: { tenantId: true } } },
    orderBy: [{ statusChangedAt: 'asc' }, { reference: 'asc' }],
  });
  return candidates.flatMap((s): RetentionItem[] => {
    const due = dueAction({ status: s.status, inCase: false, endedOn: localDate(s.statusChangedAt), anonymised: s.anonymisedAt !== null }, rules.get(s.municipalityId) ?? DEFAULT_RETENTION, today);
    return due ? [{ recordType: 'Signal', recordId: s.id, reference: s.reference, scopeId: s.scopeId, municipalityId: s.municipalityId, tenantId: s.scope.tenantId,
      action: due.action, rule: due.rule.id }] : [];
  });
}

/** Lets this transaction change the journal (the append-only trigger makes this one exception). */
export const allowJournalChange = (tx: Prisma.TransactionClient) => tx.$executeRawUnsafe("SET LOCAL weerbaar.retention = 'on'");

async function removeSubjectLinks(tx: Prisma.TransactionClient, of: { signalId: string } | { caseId: string }): Promise<void> {
  const links = await tx.subjectLink.findMany({ where: of, select: { subjectId: true } });
  await tx.subjectLink.deleteMany({ where: of });
  // A subject nothing points at any more is personal data without a purpose.
  for (const { subjectId } of links) {
    if (await tx.subjectLink.count({ where: { subjectId } }) === 0) await tx.subject.delete({ where: { id: subjectId } });
  }
}

/**
 * Replaces a signal's personal content (description, address, names, journal texts) and unlinks its subjects; the
 * journal says why. The caller's transaction must allow the journal change.
 */
export async function anonymiseSignal(tx: Prisma.TransactionClient, signalId: string, scopeId: string, at: Date, why: string): Promise<void> {
  const signal = await tx.signal.findUniqueOrThrow({ where: { id: signalId }, select: { postcode: true } });
  await tx.signal.update({ where: { id: signalId }, data: {
    description: ANONYMISED, street: ANONYMISED, houseNumber: '', bagId: null, observedTime: null, reporterName: ANONYMISED, assigneeName: null,
    // The postcode's four digits stay: the area, for trends, without the building.
    postcode: signal.postcode.slice(0, 4), statusReason: null, sourceMessageUrl: null, sourceMessageAuthor: null, anonymisedAt: at,
  } });
  await removeSubjectLinks(tx, { signalId });
  await tx.statusChange.updateMany({ where: { signalId }, data: { reason: null } });
  await tx.journalEntry.updateMany({ where: { signalId }, data: { text: ANONYMISED, source: null, links: [] } });
  await anonymiseOverleg(tx, { signalId });
  await appendSystemEntry(tx, { signalId }, scopeId, SYSTEM, at, 'statuswijziging', why);
}

/**
 * What the overleg wrote about a record: the explanations of the decisions on it, on its action items and of those
 * that handed its action items out; the action items' texts and notes. Before the record goes: its foreign keys are
 * then set to null, and nothing would find these any more.
 */
async function anonymiseOverleg(tx: Prisma.TransactionClient, of: { signalId: string } | { caseId: string }): Promise<void> {
  await tx.decision.updateMany({ where: { OR: [{ agendaItem: of }, { agendaItem: { actionItem: of } }, { actionItems: { some: of } }] }, data: { text: null } });
  await tx.actionItem.updateMany({ where: of, data: { text: ANONYMISED, doneNote: null } });
}

/** The same for a closed case, with its signals. */
export async function anonymiseCase(tx: Prisma.TransactionClient, caseId: string, scopeId: string, at: Date, why: string): Promise<void> {
  const signals = await tx.signal.findMany({ where: { caseId, anonymisedAt: null }, select: { id: true } });
  for (const s of signals) await anonymiseSignal(tx, s.id, scopeId, at, why);
  await tx.case.update({ where: { id: caseId }, data: { title: ANONYMISED, phaseReason: null, leadName: null, anonymisedAt: at } });
  await removeSubjectLinks(tx, { caseId });
  await tx.statusChange.updateMany({ where: { caseId }, data: { reason: null } });
  await tx.journalEntry.updateMany({ where: { caseId }, data: { text: ANONYMISED, source: null, links: [] } });
  await anonymiseOverleg(tx, { caseId });
  await appendSystemEntry(tx, { caseId }, scopeId, SYSTEM, at, 'statuswijziging', why);
}

async function remove(tx: Prisma.TransactionClient, item: RetentionItem): Promise<void> {
  await anonymiseOverleg(tx, { signalId: item.recordId });
  await removeSubjectLinks(tx, { signalId: item.recordId });
  await tx.journalEntry.deleteMany({ where: { signalId: item.recordId } });
  await tx.statusChange.deleteMany({ where: { signalId: item.recordId } });
  await tx.cardSubmission.deleteMany({ where: { recordId: item.recordId } });
  await tx.dossierExport.deleteMany({ where: { signalId: item.recordId } });
  await tx.signal.delete({ where: { id: item.recordId } });
}

/** The daily run. Only one process gets a given day (the unique day row); the others answer alreadyRan. */
export async function runRetention(deps: ServiceDeps, opts: { dryRun: boolean }): Promise<RetentionOutcome> {
  const now = deps.now();
  const day = localDate(now);
  if (opts.dryRun) return { kind: 'dryRun', day, items: await planRetention(deps, day) };
  let runId: string;
  try {
    runId = (await deps.prisma.retentionRun.create({ data: { day, startedAt: now } })).id;
  } catch (err) {
    if (isUniqueViolation(err)) return { kind: 'alreadyRan', day };
    throw err;
  }
  const items = await planRetention(deps, day);
  for (const item of items) {
    await deps.prisma.$transaction(async (tx) => {
      await allowJournalChange(tx);
      if (item.action === 'anonymise') await anonymiseSignal(tx, item.recordId, item.scopeId, now, `Geanonimiseerd volgens bewaartermijn "${item.rule}".`);
      else await remove(tx, item);
      await tx.tombstone.create({ data: { runId, recordType: item.recordType, recordId: item.recordId, reference: item.reference, scopeId: item.scopeId,
        municipalityId: item.municipalityId, action: item.action, rule: item.rule, at: now } });
      await recordAudit(tx, { tenantId: item.tenantId, actorAadId: SYSTEM.aadObjectId, scopeId: item.scopeId, action: `retention.${item.action}`,
        recordType: item.recordType, recordId: item.recordId, result: 'ok', correlationId: runId.slice(0, 8), details: { rule: item.rule, reference: item.reference } });
    });
  }
  await deps.prisma.retentionRun.update({ where: { id: runId }, data: {
    finishedAt: deps.now(), anonymised: items.filter((i) => i.action === 'anonymise').length, deleted: items.filter((i) => i.action === 'delete').length } });
  deps.log.info({ day, runId, anonymised: items.filter((i) => i.action === 'anonymise').length, deleted: items.filter((i) => i.action === 'delete').length }, 'retention run done');
  return { kind: 'done', day, runId, items };
}

/** The report of a day's run: its tombstones as CSV (no personal data in them). */
export async function retentionReport(deps: ServiceDeps, day: string): Promise<string> {
  const run = await deps.prisma.retentionRun.findUnique({ where: { day }, include: { tombstones: { orderBy: { id: 'asc' } } } });
  const lines = ['day,reference,recordType,recordId,scopeId,action,rule,at'];
  for (const t of run?.tombstones ?? []) lines.push([day, t.reference, t.recordType, t.recordId, t.scopeId, t.action, t.rule, t.at.toISOString()].join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** When retention runs next: today (the hourly job has not run it yet) or tomorrow; and what is due today, per municipality. */
export async function nextRetention(deps: ServiceDeps, municipalityIds?: readonly string[]): Promise<{ day: string; due: number }> {
  const today = localDate(deps.now());
  const ran = await deps.prisma.retentionRun.findUnique({ where: { day: today }, select: { id: true } });
  const plan = ran ? [] : await planRetention(deps, today);
  const due = plan.filter((i) => municipalityIds === undefined || municipalityIds.includes(i.municipalityId)).length;
  return { day: ran ? addDays(today, 1) : today, due };
}
