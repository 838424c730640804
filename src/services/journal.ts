// The dossier journal: add entries (validated, idempotent per card, one transaction with audit), read them a page
// at a time with corrections beside what they correct, write system entries, verify every chain.
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { validateEntry, verifyChain, type ChainBreak, type EntryDraft, type EntryError } from '../domain/journal.js';
import { normaliseReference, referenceKind } from '../domain/reference.js';
import { localDate, localTime } from '../domain/signalIntake.js';
import { recordAudit } from '../store/audit.js';
import { isUniqueViolation } from '../store/errors.js';
import { appendEntry, dossiers, entriesBySequence, pageOfEntries, type DossierRef, type JournalRow } from '../store/journal.js';
import { findSubmission, insertSubmission } from '../store/submissions.js';
import { caseVisibility, signalVisibility } from '../store/visibility.js';
import { grantsFor, refusalFor, roleIn, scopesFor, type Refusal } from './callers.js';
import { visibleOnlyInPersonalChat, type RecordWhere } from './audience.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { municipalityConfigs } from './municipalities.js';


export type { DossierRef };
export interface Dossier { ref: DossierRef; id: string; reference: string; title: string; scopeId: string; municipalityId: string }

export interface EntryView {
  sequence: number; kind: string; text: string; occurredAt: Date; source: string | null; reliability: string | null; legalBasis: string | null;
  authorName: string; links: string[]; recordedAt: Date; correctsSequence: number | null;
  /** Corrections of this entry, shown together with it. */
  corrections: { sequence: number; text: string; authorName: string; recordedAt: Date }[];
}

export interface JournalPage { dossier: Dossier; entries: EntryView[]; total: number; page: number; pageSize: number; mayWrite: boolean; mayExport: boolean; legalBases: { code: string; nl: string; en: string }[] }

export type JournalResult = { kind: 'page'; page: JournalPage } | { kind: 'notFound' } | { kind: 'ambiguous' } | { kind: 'refused'; reason: Refusal };
export type AddEntryResult =
  | { kind: 'added'; page: JournalPage; sequence: number }
  | { kind: 'duplicate'; page: JournalPage }
  | { kind: 'invalid'; errors: EntryError[]; page: JournalPage }
  | { kind: 'notFound' } | { kind: 'refused'; reason: Refusal };

export const JOURNAL_PAGE_SIZE = 5;

/** Which record a reference or id names, before anyone's visibility is applied. */
function dossierWhere(by: { reference: string } | DossierRef): RecordWhere | undefined {
  if (!('reference' in by)) return 'signalId' in by ? { signal: { id: by.signalId } } : { case: { id: by.caseId } };
  const reference = normaliseReference(by.reference);
  if (!reference) return undefined;
  return referenceKind(reference) === 'signal' ? { signal: { reference } } : { case: { reference } };
}

/** Finds a signal or case by reference or id among what the caller may see. */
export async function visibleDossier(deps: ServiceDeps, caller: Caller, by: { reference: string } | DossierRef): Promise<Dossier | null> {
  const where = dossierWhere(by);
  if (where === undefined || !readsJournals(caller)) return null;
  if ('signal' in where) {
    const s = await deps.prisma.signal.findFirst({ where: { AND: [signalVisibility(grantsFor(caller, 'signal.view'), caller.aadObjectId), where.signal] } });
    return s ? { ref: { signalId: s.id }, id: s.id, reference: s.reference, title: `${s.street} ${s.houseNumber}, ${s.place}`, scopeId: s.scopeId, municipalityId: s.municipalityId } : null;
  }
  const c = await deps.prisma.case.findFirst({ where: { AND: [caseVisibility(grantsFor(caller, 'case.view'), caller.aadObjectId), where.case] } });
  return c ? { ref: { caseId: c.id }, id: c.id, reference: c.reference, title: c.title, scopeId: c.scopeId, municipalityId: c.municipalityId } : null;
}

/** May read journals from here (everyone reading along too). */
const readsJournals = (caller: Caller) => grantsFor(caller, 'journal.read').length > 0;

async function visibleCount(deps: ServiceDeps, caller: Caller, by: { reference: string }): Promise<number> {
  const where = dossierWhere(by);
  if (where === undefined) return 0;
  return 'signal' in where
    ? deps.prisma.signal.count({ where: { AND: [signalVisibility(grantsFor(caller, 'signal.view'), caller.aadObjectId), where.signal] } })
    : deps.prisma.case.count({ where: { AND: [caseVisibility(grantsFor(caller, 'case.view'), caller.aadObjectId), where.case] } });
}

/** Nothing visible here: "ask in your personal chat" when the caller sees it there, else "not found". */
export async function missingDossier(deps: ServiceDeps, caller: Caller, by: { reference: string } | DossierRef): Promise<{ kind: 'notFound' } | { kind: 'refused'; reason: 'audience' }> {
  const where = dossierWhere(by);
  return where !== undefined && await visibleOnlyInPersonalChat(deps, caller, where) ? { kind: 'refused', reason: 'audience' } : { kind: 'notFound' };
}

function reliabilityOf(r: JournalRow): string | null {
  return r.sourceReliability || r.informationReliability ? `${r.sourceReliability ?? ''}${r.informationReliability ?? ''}` : null;
}

async function pageOf(deps: ServiceDeps, caller: Caller, dossier: Dossier, page: number): Promise<JournalPage> {
  const safePage = Math.max(1, Math.min(page, 10_000));
  const { rows, total } = await pageOfEntries(deps.prisma, dossier.ref, (safePage - 1) * JOURNAL_PAGE_SIZE, JOURNAL_PAGE_SIZE);
  // Corrections sit beside what they correct, wherever they fall in the paging.
  const corrections = await deps.prisma.journalEntry.findMany({
    where: { dossier: rows[0]?.dossier ?? '', correctsSequence: { in: rows.map((r) => r.sequence) } }, orderBy: { sequence: 'asc' } });
  const role = roleIn(caller, dossier.scopeId);
  const configs = await municipalityConfigs(deps, [dossier.municipalityId]);
  return {
    dossier,
    entries: rows.map((r) => ({
      sequence: r.sequence, kind: r.kind, text: r.text, occurredAt: r.occurredAt, source: r.source, reliability: reliabilityOf(r), legalBasis: r.legalBasis,
      authorName: r.authorName, links: r.links, recordedAt: r.recordedAt, correctsSequence: r.correctsSequence,
      corrections: corrections.filter((c) => c.correctsSequence === r.sequence)
        .map((c) => ({ sequence: c.sequence, text: c.text, authorName: c.authorName, recordedAt: c.recordedAt })),
    })),
    total,
    page: safePage,
    pageSize: JOURNAL_PAGE_SIZE,
    mayWrite: role !== undefined && isAllowed(role, 'journal.write'),
    mayExport: role !== undefined && isAllowed(role, 'dossier.export'),
    legalBases: [...(configs.get(dossier.municipalityId)?.legalBases ?? [])],
  };
}

export async function readJournal(deps: ServiceDeps, req: RequestContext, caller: Caller, by: { reference: string } | DossierRef, page = 1): Promise<JournalResult> {
  const audit = (dossier: Dossier | null, details: Record<string, string | number>) => recordAudit(deps.prisma, { tenantId: caller.tenantId,
    actorAadId: caller.aadObjectId, scopeId: dossier?.scopeId ?? caller.currentScope?.scopeId ?? null, action: 'journal.read',
    recordType: dossier ? ('signalId' in dossier.ref ? 'Signal' : 'Case') : undefined, recordId: dossier?.id,
    result: dossier ? 'ok' : 'denied', correlationId: req.correlationId, details: { page, ...details } });
  if (!readsJournals(caller)) {
    const reason = refusalFor(caller, 'journal.read');
    await audit(null, { reason });
    return { kind: 'refused', reason };
  }
  // In personal chat a reference can name a signal in each municipality: then the caller picks one from its card.
  if ('reference' in by && await visibleCount(deps, caller, by) > 1) {
    await audit(null, { reason: 'ambiguous' });
    return { kind: 'ambiguous' };
  }
  const dossier = await visibleDossier(deps, caller, by);
  await audit(dossier, {});
  return dossier ? { kind: 'page', page: await pageOf(deps, caller, dossier, page) } : missingDossier(deps, caller, by);
}

export async function addEntry(deps: ServiceDeps, req: RequestContext, caller: Caller, by: { reference: string } | DossierRef, draft: EntryDraft,
  nonce: string, correctsSequence?: number): Promise<AddEntryResult> {
  if (!readsJournals(caller)) return { kind: 'refused', reason: refusalFor(caller, 'journal.read') };
  const dossier = await visibleDossier(deps, caller, by);
  if (!dossier) return missingDossier(deps, caller, by);
  if (await findSubmission(deps.prisma, { nonce, aadObjectId: caller.aadObjectId })) return { kind: 'duplicate', page: await pageOf(deps, caller, dossier, 1) };
  const role = roleIn(caller, dossier.scopeId);
  if (!role || !isAllowed(role, 'journal.write')) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: dossier.scopeId, action: 'journal.add',
      recordId: dossier.id, result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: 'forbidden' };
  }
  const now = deps.now();
  const configs = await municipalityConfigs(deps, [dossier.municipalityId]);
  const checked = validateEntry(correctsSequence ? { ...draft, kind: 'correctie' } : draft, {
    legalBases: (configs.get(dossier.municipalityId)?.legalBases ?? []).map((b) => b.code), today: localDate(now), nowTime: localTime(now),
    allowCorrection: correctsSequence !== undefined,
  });
  const errors: EntryError[] = checked.ok ? [] : [...checked.errors];
  if (correctsSequence !== undefined && (await entriesBySequence(deps.prisma, dossier.ref, [correctsSequence])).length === 0) errors.push({ field: 'kind', code: 'unknownChoice' });
  if (!checked.ok || errors.length > 0) return { kind: 'invalid', errors, page: await pageOf(deps, caller, dossier, 1) };
  const v = checked.value;
  try {
    const entry = await deps.prisma.$transaction(async (tx) => {
      await insertSubmission(tx, { nonce, aadObjectId: caller.aadObjectId }, 'journal', dossier.scopeId, dossier.id);
      const row = await appendEntry(tx, dossier.ref, dossier.scopeId, {
        kind: v.kind, text: v.text, occurredAt: localInstant(v.occurredOn, v.occurredTime), source: v.source, sourceReliability: v.sourceReliability,
        informationReliability: v.informationReliability, legalBasis: v.legalBasis, authorAadId: caller.aadObjectId, authorName: caller.name,
        links: v.links, correctsSequence: correctsSequence ?? null, recordedAt: now,
      });
      await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: dossier.scopeId, action: 'journal.add',
        recordType: 'signalId' in dossier.ref ? 'Signal' : 'Case', recordId: dossier.id, result: 'ok', correlationId: req.correlationId,
        details: { sequence: row.sequence, kind: v.kind } });
      return row;
    });
    return { kind: 'added', sequence: entry.sequence, page: await pageOf(deps, caller, dossier, 1) };
  } catch (err) {
    if (!isUniqueViolation(err) || !await findSubmission(deps.prisma, { nonce, aadObjectId: caller.aadObjectId })) throw err;
    return { kind: 'duplicate', page: await pageOf(deps, caller, dossier, 1) };
  }
}

/** Local date (and time) to an instant: noon when no time is known, so the date never shifts across time zones. */
function localInstant(date: string, time: string | null): string {
  const probe = new Date(`${date}T${time ?? '12:00'}:00Z`);
  // Europe/Amsterdam is UTC+1 or +2: find the offset that gives back this local wall time.
  for (const offset of [1, 2]) {
    const candidate = new Date(probe.getTime() - offset * 3_600_000);
    if (localDate(candidate) === date && localTime(candidate) === (time ?? '12:00')) return candidate.toISOString();
  }
  return probe.toISOString();
}

export interface VerificationReport { dossiers: number; entries: number; broken: { reference: string; dossier: string; break: ChainBreak }[] }

/** Walks every chain (or the caller's scopes' chains) and reports the first broken link per dossier. */
export async function verifyJournals(deps: ServiceDeps, scopeIds?: readonly string[]): Promise<VerificationReport> {
  const report: VerificationReport = { dossiers: 0, entries: 0, broken: [] };
  for await (const d of dossiers(deps.prisma, scopeIds)) {
    report.dossiers++;
    report.entries += d.entries.length;
    const found = verifyChain(d.entries, { hash: d.head, length: d.length }, d.anonymised);
    if (found) report.broken.push({ reference: d.reference, dossier: d.dossier, break: found });
  }
  return report;
}

/** The admin command in Teams: verify the chains of the scopes where the caller may. */
export async function verifyForCaller(deps: ServiceDeps, req: RequestContext, caller: Caller): Promise<VerificationReport | { kind: 'refused'; reason: Refusal }> {
  const scopeIds = scopesFor(caller, 'journal.verify');
  if (scopeIds.length === 0) return { kind: 'refused', reason: refusalFor(caller) };
  const report = await verifyJournals(deps, scopeIds);
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'journal.verify',
    result: 'ok', correlationId: req.correlationId, details: { dossiers: report.dossiers, broken: report.broken.length } });
  return report;
}
