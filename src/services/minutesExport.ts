// The minutes (besluitenlijst) of an overleg as a PDF: a one-time link for someone of the channel, valid 15 minutes;
// the request and the download are audited.
import type { Caller } from '../domain/caller.js';
import { isUuid } from '../domain/identifiers.js';
import { PARTNER_LABELS, type Partner } from '../domain/signalWorkflow.js';
import { renderReportPdf, reportStamp as stamp } from '../exports/reportPdf.js';
import { recordAudit } from '../store/audit.js';
import { findOccurrence } from './agenda.js';
import { scopesFor } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { DECISION_LABELS, minutesOf } from './decisions.js';
import { hashLinkToken, isLinkToken, newLink } from './oneTimeLinks.js';

export async function requestMinutesPdf(deps: ServiceDeps, req: RequestContext, caller: Caller, occurrenceId: string, publicBaseUrl: string):
  Promise<{ kind: 'link'; url: string } | { kind: 'notFound' }> {
  const occ = isUuid(occurrenceId) ? await findOccurrence(deps, { id: occurrenceId, scopeId: { in: scopesFor(caller, 'meeting.view') } }) : null;
  if (!occ) return { kind: 'notFound' };
  const now = deps.now();
  const { token, tokenHash, expiresAt } = newLink(now);
  await deps.prisma.$transaction(async (tx) => {
    await tx.minutesExport.create({ data: { tokenHash, occurrenceId: occ.id, scopeId: occ.scopeId, requestedByAadId: caller.aadObjectId, createdAt: now, expiresAt } });
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: occ.scopeId, action: 'minutes.export.request',
      recordType: 'MeetingOccurrence', recordId: occ.id, result: 'ok', correlationId: req.correlationId });
  });
  return { kind: 'link', url: `${publicBaseUrl}/exports/${token}` };
}

/** The PDF behind a valid, unused, unexpired link (which is then used up); undefined otherwise. */
export async function downloadMinutesPdf(deps: ServiceDeps, token: string, correlationId: string): Promise<{ pdf: Buffer; filename: string } | undefined> {
  if (!isLinkToken(token)) return undefined;
  const now = deps.now();
  const usable = { tokenHash: hashLinkToken(token), downloadedAt: null, expiresAt: { gt: now } };
  const exp = await deps.prisma.minutesExport.findFirst({ where: usable });
  // The overleg may be gone since the link was made (its meeting deleted): nothing to download.
  const occ = exp ? await findOccurrence(deps, { id: exp.occurrenceId, scopeId: exp.scopeId }) : null;
  if (!exp || !occ) return undefined;
  const m = await minutesOf(deps, occ);
  const requester = await deps.prisma.member.findFirst({ where: { scopeId: exp.scopeId, aadObjectId: exp.requestedByAadId }, select: { name: true } });
  const pdf = await renderReportPdf({
    title: `Besluitenlijst ${m.title}`,
    subtitle: `${m.scopeName} · ${m.date}${m.closedAt ? ` · afgerond ${stamp(m.closedAt)}` : ' · nog niet afgerond'}`,
    sections: [
      { heading: 'Besluiten', entries: m.decisions.map((d) => ({
        heading: `${d.number}. ${d.reference || 'Agendapunt'}: ${DECISION_LABELS[d.kind]}${d.corrected ? ' (gecorrigeerd)' : ''}${d.correction ? ' (correctie)' : ''}`,
        text: [d.title.nl, d.partner ? `Partner: ${PARTNER_LABELS[d.partner as Partner].nl}.` : '', d.text ?? '', d.effect].filter(Boolean).join(' '),
        meta: `door ${d.by}, ${stamp(d.at)}`,
      })) },
      { heading: 'Actiepunten', lines: m.actions.map((a) => `- ${a.text} (${a.owner}, uiterlijk ${a.dueOn})${a.reference ? ` · ${a.reference}` : ''}`) },
    ],
    footer: `Besluitenlijst van ${m.scopeName}, opgevraagd door ${requester?.name ?? exp.requestedByAadId} op ${stamp(exp.createdAt)}`,
  });
  // The link is used up by a download that worked, not before: a failed render leaves it usable. Of two at once, one gets it.
  const claimed = await deps.prisma.minutesExport.updateMany({ where: { id: exp.id, ...usable }, data: { downloadedAt: now } });
  if (claimed.count !== 1) return undefined;
  const scope = await deps.prisma.scope.findUniqueOrThrow({ where: { id: exp.scopeId }, select: { tenantId: true } });
  await recordAudit(deps.prisma, { tenantId: scope.tenantId, actorAadId: exp.requestedByAadId, scopeId: exp.scopeId, action: 'minutes.export', recordType: 'MeetingOccurrence',
    recordId: exp.occurrenceId, result: 'ok', correlationId, details: { decisions: m.decisions.length, bytes: pdf.length } });
  return { pdf, filename: `besluitenlijst-${m.date}.pdf` };
}
