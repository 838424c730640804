// Use cases of signals: prepare the form, file (validated, one transaction with reference, submission key and
// audit), list and open. Every read goes through the caller's scopes.
import { randomUUID } from 'node:crypto';
import type { Caller, Membership } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { defaultPhenomena, type Phenomenon } from '../domain/phenomena.js';
import { formatReference, normaliseReference } from '../domain/reference.js';
import { localDate, validateSignal, type FieldError, type SignalDraft } from '../domain/signalIntake.js';
import { recordAudit } from '../store/audit.js';
import { isUniqueViolation } from '../store/errors.js';
import { findSignalById, findSignalByReference, insertSignal, listSignals as listSignalRows, takeNextNumber, type SignalRow } from '../store/signals.js';
import { findSubmission, insertSubmission } from '../store/submissions.js';
import { scopesFor } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';

export interface SignalView {
  id: string;
  reference: string;
  phenomenon: Phenomenon;
  description: string;
  location: string;
  observedOn: string;
  status: string;
  reporterName: string;
  scopeName: string;
  createdAt: Date;
}

export interface FormScope { scopeId: string; name: string; phenomena: readonly Phenomenon[] }

export type Refusal = 'noScope' | 'notLinked' | 'forbidden';

export type FormResult =
  | { kind: 'form'; scopes: FormScope[]; fixedScopeId: string | undefined }
  | { kind: 'refused'; reason: Refusal };

export type FileResult =
  | { kind: 'created'; signal: SignalView }
  | { kind: 'duplicate'; signal: SignalView }
  | { kind: 'invalid'; errors: FieldError[]; form: Extract<FormResult, { kind: 'form' }> }
  | { kind: 'refused'; reason: Refusal };

export type OpenResult = { kind: 'found'; signal: SignalView } | { kind: 'notFound' } | { kind: 'refused'; reason: Refusal };
export type ListResult = { kind: 'list'; signals: SignalView[]; total: number } | { kind: 'refused'; reason: Refusal };

const LIST_SIZE = 10;
const SIGNAL_KIND = 'SIG';

function phenomenaOf(m: { country: 'NL' | 'BE'; phenomena: unknown }): readonly Phenomenon[] {
  const list = m.phenomena;
  if (Array.isArray(list) && list.every((p): p is Phenomenon => typeof p === 'object' && p !== null && typeof (p as Phenomenon).code === 'string')) {
    return list;
  }
  return defaultPhenomena(m.country);
}

function toView(row: SignalRow, phenomena: readonly Phenomenon[]): SignalView {
  return {
    id: row.id,
    reference: row.reference,
    phenomenon: phenomena.find((p) => p.code === row.phenomenon) ?? { code: row.phenomenon, nl: row.phenomenon, en: row.phenomenon },
    description: row.description,
    location: row.location,
    observedOn: row.observedOn.toISOString().slice(0, 10),
    status: row.status,
    reporterName: row.reporterName,
    scopeName: row.scope.name,
    createdAt: row.createdAt,
  };
}

async function phenomenaByMunicipality(deps: ServiceDeps, ids: readonly string[]): Promise<Map<string, readonly Phenomenon[]>> {
  const rows = await deps.prisma.municipality.findMany({ where: { id: { in: [...new Set(ids)] } } });
  return new Map(rows.map((m) => [m.id, phenomenaOf(m)]));
}

async function viewsOf(deps: ServiceDeps, rows: readonly SignalRow[]): Promise<SignalView[]> {
  const lists = await phenomenaByMunicipality(deps, rows.map((r) => r.municipalityId));
  return rows.map((r) => toView(r, lists.get(r.municipalityId) ?? []));
}

function refusalFor(caller: Caller): Refusal {
  if (caller.place.kind !== 'personal' && caller.currentScope === undefined) return 'noScope';
  if (caller.place.kind === 'personal' && caller.memberships.length === 0) return 'noScope';
  return 'forbidden';
}

/** The scopes the caller can file in from here, each with its municipality's phenomena. */
export async function prepareSignalForm(deps: ServiceDeps, caller: Caller): Promise<FormResult> {
  const candidates: Membership[] = caller.place.kind === 'personal'
    ? caller.memberships.filter((m) => isAllowed(m.role, 'signal.file'))
    : caller.currentScope && isAllowed(caller.currentScope.role, 'signal.file') ? [caller.currentScope] : [];
  if (candidates.length === 0) return { kind: 'refused', reason: refusalFor(caller) };
  const linked = candidates.filter((m): m is Membership & { municipalityId: string } => m.municipalityId !== null);
  if (linked.length === 0) return { kind: 'refused', reason: 'notLinked' };
  const lists = await phenomenaByMunicipality(deps, linked.map((m) => m.municipalityId));
  const scopes = linked.map((m) => ({ scopeId: m.scopeId, name: m.scopeName, phenomena: lists.get(m.municipalityId) ?? [] }));
  return { kind: 'form', scopes, fixedScopeId: caller.place.kind === 'personal' ? undefined : scopes[0].scopeId };
}

async function answerFromSubmission(deps: ServiceDeps, caller: Caller, nonce: string): Promise<SignalView | undefined> {
  const done = await findSubmission(deps.prisma, { nonce, aadObjectId: caller.aadObjectId });
  if (!done) return undefined;
  const row = await findSignalById(deps.prisma, [done.scopeId], done.recordId);
  return row ? (await viewsOf(deps, [row]))[0] : undefined;
}

export async function fileSignal(deps: ServiceDeps, req: RequestContext, caller: Caller, draft: SignalDraft, nonce: string): Promise<FileResult> {
  const previous = await answerFromSubmission(deps, caller, nonce);
  if (previous) return { kind: 'duplicate', signal: previous };

  const form = await prepareSignalForm(deps, caller);
  if (form.kind === 'refused') {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null,
      action: 'signal.file', result: 'denied', correlationId: req.correlationId, details: { reason: form.reason } });
    return form;
  }
  const target = form.scopes.find((s) => s.scopeId === (form.fixedScopeId ?? draft.scopeId));
  const phenomena = target?.phenomena ?? [...new Map(form.scopes.flatMap((s) => s.phenomena).map((p) => [p.code, p])).values()];
  const checked = validateSignal(draft, phenomena, localDate(deps.now()));
  const errors: FieldError[] = target ? [] : [{ field: 'scope', code: draft.scopeId === '' ? 'required' : 'unknownChoice' }];
  if (!checked.ok) errors.push(...checked.errors);
  if (!checked.ok || !target) return { kind: 'invalid', errors, form };

  const membership = caller.memberships.find((m) => m.scopeId === target.scopeId);
  if (!membership?.municipalityId) return { kind: 'refused', reason: 'notLinked' };
  const municipalityId = membership.municipalityId;
  const now = deps.now();
  const year = Number(localDate(now).slice(0, 4));
  const signalId = randomUUID();
  try {
    const row = await deps.prisma.$transaction(async (tx) => {
      // First, so a concurrent repeat of this submit fails here before taking a number.
      await insertSubmission(tx, { nonce, aadObjectId: caller.aadObjectId }, 'signal', target.scopeId, signalId);
      const sequence = await takeNextNumber(tx, municipalityId, SIGNAL_KIND, year);
      const created = await insertSignal(tx, {
        id: signalId, scopeId: target.scopeId, municipalityId, reference: formatReference(SIGNAL_KIND, year, sequence),
        ...checked.value, reporterAadId: caller.aadObjectId, reporterName: caller.name,
      });
      await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: target.scopeId, action: 'signal.file',
        recordType: 'Signal', recordId: created.id, result: 'ok', correlationId: req.correlationId });
      return created;
    });
    deps.log.info({ correlationId: req.correlationId, signalId: row.id, scopeId: row.scopeId }, 'signal filed');
    return { kind: 'created', signal: toView(row, target.phenomena) };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const again = await answerFromSubmission(deps, caller, nonce);
    if (again) return { kind: 'duplicate', signal: again };
    throw err;
  }
}

export async function openSignal(deps: ServiceDeps, req: RequestContext, caller: Caller, referenceText: string): Promise<OpenResult> {
  const scopeIds = scopesFor(caller, 'signal.view');
  const reference = normaliseReference(referenceText);
  if (scopeIds.length === 0) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null,
      action: 'signal.view', result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: refusalFor(caller) };
  }
  const row = reference === undefined ? null : await findSignalByReference(deps.prisma, scopeIds, reference);
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row?.scopeId ?? caller.currentScope?.scopeId ?? null,
    action: 'signal.view', recordType: 'Signal', recordId: row?.id, result: row ? 'ok' : 'denied', correlationId: req.correlationId,
    details: row ? undefined : { found: false } });
  if (!row) return { kind: 'notFound' };
  return { kind: 'found', signal: (await viewsOf(deps, [row]))[0] };
}

export async function listSignals(deps: ServiceDeps, req: RequestContext, caller: Caller): Promise<ListResult> {
  const scopeIds = scopesFor(caller, 'signal.list');
  if (scopeIds.length === 0) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null,
      action: 'signal.list', result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: refusalFor(caller) };
  }
  const { rows, total } = await listSignalRows(deps.prisma, scopeIds, LIST_SIZE);
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null,
    action: 'signal.list', recordType: 'Signal', result: 'ok', correlationId: req.correlationId,
    details: { count: rows.length, scopes: scopeIds } });
  return { kind: 'list', signals: await viewsOf(deps, rows), total };
}
