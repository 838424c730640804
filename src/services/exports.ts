// Exporting a dossier: the request (who, for whom, on what basis) gives a one-time download link valid for 15
// minutes; using it produces the PDF. Both steps are audited; only a hash of the link's token is stored.
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { ENTRY_LIMITS } from '../domain/journal.js';
import { SIGNAL_STATUS_LABELS, type SignalStatus } from '../domain/signalWorkflow.js';
import { renderReportPdf, reportStamp as stamp } from '../exports/reportPdf.js';
import { recordAudit } from '../store/audit.js';
import { allEntries } from '../store/journal.js';
import { subjectsOf } from '../store/subjects.js';
import { refusalFor, roleIn, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { missingDossier, visibleDossier, type DossierRef } from './journal.js';
import { municipalityConfigs } from './municipalities.js';
import { hashLinkToken, isLinkToken, newLink } from './oneTimeLinks.js';

export type ExportRequestResult =
  | { kind: 'link'; url: string; expiresAt: Date; reference: string }
  | { kind: 'invalid'; field: 'recipient' | 'legalBasis' }
  | { kind: 'notFound' } | { kind: 'refused'; reason: Refusal };

export async function requestExport(deps: ServiceDeps, req: RequestContext, caller: Caller, by: { reference: string } | DossierRef, input: { recipient: string; legalBasis: string },
  publicBaseUrl: string): Promise<ExportRequestResult> {
  const dossier = await visibleDossier(deps, caller, by);
  if (!dossier) return caller.memberships.length === 0 ? { kind: 'refused', reason: refusalFor(caller) } : missingDossier(deps, caller, by);
  const role = roleIn(caller, dossier.scopeId);
  const audit = (result: 'ok' | 'denied' | 'invalid', details: Record<string, string>) => recordAudit(deps.prisma, {
    tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: dossier.scopeId, action: 'dossier.export.request',
    recordType: 'signalId' in dossier.ref ? 'Signal' : 'Case', recordId: dossier.id, result, correlationId: req.correlationId, details });
  if (!role || !isAllowed(role, 'dossier.export')) {
    await audit('denied', {});
    return { kind: 'refused', reason: 'forbidden' };
  }
  const recipient = input.recipient.trim().replace(/\s+/g, ' ');
  if (recipient.length < 3 || recipient.length > ENTRY_LIMITS.source.max) return { kind: 'invalid', field: 'recipient' };
  const bases = (await municipalityConfigs(deps, [dossier.municipalityId])).get(dossier.municipalityId)?.legalBases ?? [];
  if (!bases.some((b) => b.code === input.legalBasis)) return { kind: 'invalid', field: 'legalBasis' };
  const now = deps.now();
  const { token, tokenHash, expiresAt } = newLink(now);
  await deps.prisma.$transaction(async (tx) => {
    await tx.dossierExport.create({ data: {
      tokenHash, scopeId: dossier.scopeId, ...('signalId' in dossier.ref ? { signalId: dossier.id } : { caseId: dossier.id }),
      reference: dossier.reference, recipient, legalBasis: input.legalBasis, requestedByAadId: caller.aadObjectId, requestedByName: caller.name, createdAt: now, expiresAt,
    } });
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: dossier.scopeId, action: 'dossier.export.request',
      recordType: 'signalId' in dossier.ref ? 'Signal' : 'Case', recordId: dossier.id, result: 'ok', correlationId: req.correlationId,
      details: { recipient, legalBasis: input.legalBasis } });
  });
  return { kind: 'link', url: `${publicBaseUrl}/exports/${token}`, expiresAt, reference: dossier.reference };
}

export type DownloadResult = { kind: 'pdf'; pdf: Buffer; filename: string } | { kind: 'gone' };

/** Produces the PDF for a valid, unused, unexpired link; marks it used. */
export async function downloadExport(deps: ServiceDeps, token: string, correlationId: string): Promise<DownloadResult> {
  if (!isLinkToken(token)) return { kind: 'gone' };
  const now = deps.now();
  const claimed = await deps.prisma.dossierExport.updateMany({
    where: { tokenHash: hashLinkToken(token), downloadedAt: null, expiresAt: { gt: now } }, data: { downloadedAt: now } });
  if (claimed.count !== 1) return { kind: 'gone' };
  const exp = await deps.prisma.dossierExport.findUniqueOrThrow({ where: { tokenHash: hashLinkToken(token) } });
  const scope = await deps.prisma.scope.findUniqueOrThrow({ where: { id: exp.scopeId } });
  const ref = exp.signalId ? { signalId: exp.signalId } : { caseId: exp.caseId ?? '' };
  const [entries, subjects, history] = await Promise.all([
    allEntries(deps.prisma, ref),
    subjectsOf(deps.prisma, ref),
    deps.prisma.statusChange.findMany({ where: exp.signalId ? { signalId: exp.signalId } : { caseId: exp.caseId }, orderBy: { at: 'asc' } }),
  ]);
  let title = exp.reference;
  let subtitle = '';
  let facts: { label: string; value: string }[] = [];
  if (exp.signalId) {
    const s = await deps.prisma.signal.findFirstOrThrow({ where: { id: exp.signalId, scopeId: exp.scopeId } });
    title = `Signaal ${s.reference}`;
    subtitle = `${s.street} ${s.houseNumber}, ${s.postcode} ${s.place}`;
    facts = [
      { label: 'Fenomeen', value: s.phenomenon }, { label: 'Status', value: SIGNAL_STATUS_LABELS[s.status as SignalStatus]?.nl ?? s.status },
      { label: 'Omschrijving', value: s.description }, { label: 'Waargenomen', value: `${s.observedOn.toISOString().slice(0, 10)}${s.observedTime ? ` ${s.observedTime}` : ''}` },
      { label: 'Bron', value: `${s.sourceType} (${s.sourceNature}), betrouwbaarheid ${s.sourceReliability}${s.informationReliability}` },
      { label: 'Grondslag vastlegging', value: s.legalBasis }, { label: 'Vertrouwelijkheid', value: s.confidentiality }, { label: 'Gemeld door', value: s.reporterName },
    ];
  } else {
    const c = await deps.prisma.case.findFirstOrThrow({ where: { id: exp.caseId ?? '', scopeId: exp.scopeId }, include: { signals: { select: { reference: true } } } });
    title = `Casus ${c.reference}`;
    subtitle = c.title;
    facts = [{ label: 'Fase', value: c.phase }, { label: 'Maatregelen', value: c.measures.join(', ') || 'geen' },
      { label: 'Casusregisseur', value: c.leadName ?? 'geen' }, { label: 'Signalen', value: c.signals.map((s) => s.reference).join(', ') }];
  }
  const pdf = await renderReportPdf({
    title, subtitle,
    sections: [
      { heading: 'Gegevens', facts },
      { heading: 'Betrokkenen', lines: subjects.map((s) => `- ${s.displayName}`) },
      { heading: 'Statusgeschiedenis', lines: history.map((h) => `${stamp(h.at)}  ${h.fromState || '-'} → ${h.toState} (${h.actorName})${h.reason ? `: ${h.reason}` : ''}`) },
      { heading: 'Journaal', entries: entries.map((e) => ({
        heading: `#${e.sequence} ${e.kind}${e.correctsSequence ? ` (corrigeert #${e.correctsSequence})` : ''} · ${stamp(e.occurredAt)}`, text: e.text,
        meta: [`door ${e.authorName}, vastgelegd ${stamp(e.recordedAt)}`, e.source ? `bron: ${e.source}` : '', e.legalBasis ? `grondslag: ${e.legalBasis}` : '',
          e.links.length > 0 ? `koppelingen: ${e.links.join(', ')}` : '', `hash ${e.hash.slice(0, 16)}`].filter(Boolean).join(' · '),
      })) },
    ],
    footer: `Geëxporteerd door ${exp.requestedByName} op ${stamp(exp.createdAt)} voor ${exp.recipient}; grondslag: ${exp.legalBasis}; kanaal: ${scope.name}`,
  });
  await recordAudit(deps.prisma, { tenantId: scope.tenantId, actorAadId: exp.requestedByAadId, scopeId: exp.scopeId, action: 'dossier.export',
    recordType: exp.signalId ? 'Signal' : 'Case', recordId: exp.signalId ?? exp.caseId ?? undefined, result: 'ok', correlationId,
    details: { recipient: exp.recipient, legalBasis: exp.legalBasis, entries: entries.length, bytes: pdf.length } });
  return { kind: 'pdf', pdf, filename: `${exp.reference}.pdf` };
}
