// A data subject's request to the municipality (inzageverzoek, verwijderverzoek): find everything about a person,
// company or address in the municipality's channels, export it for the privacy officer, and erase it where the
// protocol allows. Run by an operator from the command line; every step is audited, without the personal data.
import { randomUUID } from 'node:crypto';
import { normaliseHouseNumber, normalisePostcode } from '../domain/identifiers.js';
import { erasureVerdict, type ErasureVerdict } from '../domain/retention.js';
import { matchKeyOf } from '../domain/subjects.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import type { Operator } from './administration.js';
import type { ServiceDeps } from './context.js';
import { allowJournalChange, anonymiseCase, anonymiseSignal } from './retention.js';

export type SubjectQuery =
  | { kind: 'bsn'; bsn: string }
  | { kind: 'kvk'; kvk: string }
  | { kind: 'name'; name: string; birthDate?: string }
  | { kind: 'address'; postcode: string; houseNumber: string };

export interface FoundRecord {
  kind: 'signal' | 'case';
  id: string;
  reference: string;
  scopeId: string;
  scopeName: string;
  /** A signal's case, if it has one. */
  caseId: string | null;
  verdict: ErasureVerdict;
}

export interface Findings {
  municipality: { id: string; code: string; name: string; tenantId: string };
  subjects: { id: string; kind: string; displayName: string; scopeName: string }[];
  records: FoundRecord[];
}

const personal = (q: SubjectQuery): Prisma.SubjectWhereInput[] => {
  switch (q.kind) {
    case 'bsn': return [{ bsn: q.bsn.trim() }];
    case 'kvk': return [{ kvk: q.kvk.trim() }];
    case 'name': {
      const name = q.name.trim();
      const byName: Prisma.SubjectWhereInput = { name: { equals: name, mode: 'insensitive' }, ...(q.birthDate ? { birthDate: new Date(`${q.birthDate}T00:00:00Z`) } : {}) };
      // The match key folds accents and punctuation the way subjects are matched when filed.
      return q.birthDate ? [byName, { matchKey: matchKeyOf({ kind: 'person', name, birthDate: q.birthDate, bsn: null }) }] : [byName];
    }
    case 'address': {
      const postcode = normalisePostcode('NL', q.postcode) ?? normalisePostcode('BE', q.postcode) ?? q.postcode.trim();
      const houseNumber = normaliseHouseNumber(q.houseNumber) ?? q.houseNumber.trim();
      return [{ kind: 'address', matchKey: { startsWith: `address:${postcode.replace(/\s/g, '')}|${houseNumber.toUpperCase()}|` } }];
    }
  }
};

/** Everything linked to the subjects matching the query, in the municipality's scopes. */
export async function findSubject(deps: ServiceDeps, op: Operator, municipalityCode: string, query: SubjectQuery): Promise<Findings> {
  const municipality = await deps.prisma.municipality.findUnique({ where: { code: municipalityCode.toUpperCase() } });
  if (!municipality) throw new Error(`No municipality with code ${municipalityCode}`);
  const scopes = await deps.prisma.scope.findMany({ where: { municipalityId: municipality.id }, select: { id: true, name: true, tenantId: true } });
  const scopeName = new Map(scopes.map((s) => [s.id, s.name]));
  const subjects = await deps.prisma.subject.findMany({
    where: { scopeId: { in: scopes.map((s) => s.id) }, OR: personal(query) },
    include: { links: { include: { signal: { select: { id: true, reference: true, scopeId: true, status: true, caseId: true } },
      case: { select: { id: true, reference: true, scopeId: true, phase: true } } } } },
    orderBy: { createdAt: 'asc' },
  });
  const records = new Map<string, FoundRecord>();
  for (const subject of subjects) {
    for (const link of subject.links) {
      if (link.signal) {
        const s = link.signal;
        records.set(s.id, { kind: 'signal', id: s.id, reference: s.reference, scopeId: s.scopeId, scopeName: scopeName.get(s.scopeId) ?? '', caseId: s.caseId,
          verdict: erasureVerdict({ kind: 'signal', status: s.status, inCase: s.caseId !== null }) });
      }
      if (link.case) {
        const c = link.case;
        records.set(c.id, { kind: 'case', id: c.id, reference: c.reference, scopeId: c.scopeId, scopeName: scopeName.get(c.scopeId) ?? '', caseId: null,
          verdict: erasureVerdict({ kind: 'case', phase: c.phase }) });
      }
    }
  }
  const tenantId = scopes[0]?.tenantId ?? '-';
  await recordAudit(deps.prisma, { tenantId, actorAadId: `operator:${op.name}`, scopeId: null, action: 'subject.find', result: 'ok',
    correlationId: op.correlationId, details: { municipality: municipality.code, by: query.kind, subjects: subjects.length, records: records.size } });
  return {
    municipality: { id: municipality.id, code: municipality.code, name: municipality.name, tenantId },
    subjects: subjects.map((s) => ({ id: s.id, kind: s.kind, displayName: s.displayName, scopeName: scopeName.get(s.scopeId) ?? '' })),
    records: [...records.values()],
  };
}

const date = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/**
 * The inzage export: what is stored about the subject, the records it appears in with their journals, and to whom
 * a dossier was handed (recipients). Officers' names are left out: they are other people's personal data; the
 * privacy officer reviews the export (and what art. 23 AVG allows to withhold) before it goes out.
 */
export async function exportSubject(deps: ServiceDeps, op: Operator, findings: Findings): Promise<unknown> {
  const subjectRows = await deps.prisma.subject.findMany({ where: { id: { in: findings.subjects.map((s) => s.id) } }, orderBy: { createdAt: 'asc' } });
  const signalIds = findings.records.filter((r) => r.kind === 'signal').map((r) => r.id);
  const caseIds = findings.records.filter((r) => r.kind === 'case').map((r) => r.id);
  const [signals, cases, journal, handedOver] = await Promise.all([
    deps.prisma.signal.findMany({ where: { id: { in: signalIds } }, orderBy: [{ createdAt: 'asc' }, { reference: 'asc' }] }),
    deps.prisma.case.findMany({ where: { id: { in: caseIds } }, orderBy: [{ createdAt: 'asc' }, { reference: 'asc' }] }),
    deps.prisma.journalEntry.findMany({ where: { OR: [{ signalId: { in: signalIds } }, { caseId: { in: caseIds } }] }, orderBy: [{ dossier: 'asc' }, { sequence: 'asc' }] }),
    deps.prisma.dossierExport.findMany({ where: { OR: [{ signalId: { in: signalIds } }, { caseId: { in: caseIds } }] }, orderBy: { createdAt: 'asc' } }),
  ]);
  const journalOf = (of: { signalId?: string; caseId?: string }) => journal.filter((e) => (of.signalId ? e.signalId === of.signalId : e.caseId === of.caseId))
    .map((e) => ({ sequence: e.sequence, kind: e.kind, occurredAt: e.occurredAt.toISOString(), recordedAt: e.recordedAt.toISOString(), text: e.text, legalBasis: e.legalBasis }));
  const verdictOf = (id: string) => findings.records.find((r) => r.id === id)?.verdict;
  const report = {
    municipality: findings.municipality.name,
    madeAt: deps.now().toISOString(),
    subjects: subjectRows.map((s) => ({ kind: s.kind, displayName: s.displayName, name: s.name, birthDate: date(s.birthDate), bsn: s.bsn, kvk: s.kvk,
      street: s.street, houseNumber: s.houseNumber, postcode: s.postcode, place: s.place, bagId: s.bagId, recordedAt: s.createdAt.toISOString() })),
    signals: signals.map((s) => ({
      reference: s.reference, phenomenon: s.phenomenon, status: s.status, description: s.description, address: `${s.street} ${s.houseNumber}, ${s.postcode} ${s.place}`.trim(),
      observedOn: date(s.observedOn), recordedAt: s.createdAt.toISOString(), legalBasis: s.legalBasis, confidentiality: s.confidentiality,
      source: { type: s.sourceType, nature: s.sourceNature }, erasable: verdictOf(s.id)?.erase ?? false, journal: journalOf({ signalId: s.id }),
    })),
    cases: cases.map((c) => ({
      reference: c.reference, title: c.title, phase: c.phase, measures: c.measures, recordedAt: c.createdAt.toISOString(), confidentiality: c.confidentiality,
      erasable: verdictOf(c.id)?.erase ?? false, journal: journalOf({ caseId: c.id }),
    })),
    recipients: handedOver.map((x) => ({ reference: x.reference, recipient: x.recipient, legalBasis: x.legalBasis, at: x.createdAt.toISOString() })),
  };
  await recordAudit(deps.prisma, { tenantId: findings.municipality.tenantId, actorAadId: `operator:${op.name}`, scopeId: null, action: 'subject.export', result: 'ok',
    correlationId: op.correlationId, details: { municipality: findings.municipality.code, subjects: findings.subjects.length, records: findings.records.length } });
  return report;
}

export interface ErasureOutcome { erasureId: string | null; anonymised: FoundRecord[]; kept: FoundRecord[] }

/**
 * Erases what the protocol allows: closed records are anonymised (their subjects unlinked, and deleted once nothing
 * points at them), each with a tombstone, a journal entry and an audit event; what is still being worked on is kept
 * and reported with the reason. A dry run shows the same and changes nothing.
 */
export async function eraseSubject(deps: ServiceDeps, op: Operator, findings: Findings, opts: { dryRun: boolean }): Promise<ErasureOutcome> {
  const anonymised = findings.records.filter((r) => r.verdict.erase);
  // A signal in a case that goes, goes with its case.
  const goesWithCase = (r: FoundRecord) => r.caseId !== null && anonymised.some((c) => c.id === r.caseId);
  const kept = findings.records.filter((r) => !r.verdict.erase && !goesWithCase(r));
  if (opts.dryRun) return { erasureId: null, anonymised, kept };
  const now = deps.now();
  const why = 'Geanonimiseerd op verzoek van een betrokkene (AVG art. 17).';
  const erasureId = randomUUID();
  await deps.prisma.$transaction(async (tx) => {
    await allowJournalChange(tx);
    await tx.erasure.create({ data: { id: erasureId, tenantId: findings.municipality.tenantId, municipalityId: findings.municipality.id, operator: op.name, at: now,
      subjects: findings.subjects.length, anonymised: anonymised.length, kept: kept.length } });
    for (const r of anonymised) {
      if (r.kind === 'case') await anonymiseCase(tx, r.id, r.scopeId, now, why);
      else await anonymiseSignal(tx, r.id, r.scopeId, now, why);
      await tx.tombstone.create({ data: { erasureId, recordType: r.kind === 'case' ? 'Case' : 'Signal', recordId: r.id, reference: r.reference, scopeId: r.scopeId,
        municipalityId: findings.municipality.id, action: 'anonymise', rule: 'verwijderverzoek', at: now } });
      await recordAudit(tx, { tenantId: findings.municipality.tenantId, actorAadId: `operator:${op.name}`, scopeId: r.scopeId, action: 'subject.erase',
        recordType: r.kind === 'case' ? 'Case' : 'Signal', recordId: r.id, result: 'ok', correlationId: op.correlationId, details: { erasure: erasureId } });
    }
    // A subject whose every link went is already deleted; one that only appears in kept records stays, for them.
    await recordAudit(tx, { tenantId: findings.municipality.tenantId, actorAadId: `operator:${op.name}`, scopeId: null, action: 'subject.erase', result: 'ok',
      correlationId: op.correlationId, details: { erasure: erasureId, anonymised: anonymised.length, kept: kept.length } });
  });
  return { erasureId, anonymised, kept };
}
