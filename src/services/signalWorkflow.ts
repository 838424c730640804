// Moving a signal through its workflow and assigning it: the rule in domain/, the write (status, history,
// audit) in one transaction that only succeeds if nobody moved the signal in between.
import type { Caller } from '../domain/caller.js';
import { isAllowed } from '../domain/access.js';
import { checkTransition, PARTNER_LABELS, SIGNAL_STATUS_LABELS, type Partner, type SignalStatus, type SignalTransitionName, type TransitionRefusal } from '../domain/signalWorkflow.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import { findOfficer } from '../store/scopes.js';
import { appendSystemEntry } from '../store/journal.js';
import { assignSignal as writeAssignee, changeSignalStatus, findSignal, recordStatusChange } from '../store/signals.js';
import { signalVisibility } from '../store/visibility.js';
import { grantsFor, refusalFor, roleIn, type Refusal } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { detailOf, type SignalDetail } from './signals.js';

export type WorkflowResult =
  | { kind: 'done'; detail: SignalDetail }
  | { kind: 'rejected'; code: TransitionRefusal | 'changedMeanwhile' | 'unknownAssignee'; detail: SignalDetail }
  | { kind: 'notFound' }
  | { kind: 'refused'; reason: Refusal };

async function visibleSignal(deps: ServiceDeps, caller: Caller, signalId: string) {
  const grants = grantsFor(caller, 'signal.view');
  return grants.length === 0 ? null : findSignal(deps.prisma, signalVisibility(grants, caller.aadObjectId), { id: signalId });
}

export interface SignalStep { name: SignalTransitionName; to: SignalStatus; reason: string | null; partner: Partner | null }

/**
 * One checked step of a signal's workflow inside the caller's transaction: the status (only if nobody moved it
 * meanwhile), its history and the journal's system entry. False when the signal was no longer in `from`.
 */
export async function applySignalStep(tx: Prisma.TransactionClient, s: { id: string; scopeId: string; status: SignalStatus }, step: SignalStep,
  actor: { aadObjectId: string; name: string }, now: Date): Promise<boolean> {
  const ok = await changeSignalStatus(tx, s.id, s.status, {
    status: step.to, statusReason: step.reason, statusChangedAt: now,
    handedOverTo: step.to === 'overgedragen' ? step.partner : step.to === 'in_verrijking' ? null : undefined,
  });
  if (!ok) return false;
  await recordStatusChange(tx, { signalId: s.id, transition: step.name, fromState: s.status, toState: step.to, reason: step.reason,
    partner: step.partner, actorAadId: actor.aadObjectId, actorName: actor.name, at: now });
  await appendSystemEntry(tx, { signalId: s.id }, s.scopeId, { aadObjectId: actor.aadObjectId, name: actor.name }, now, 'statuswijziging',
    `Status: ${SIGNAL_STATUS_LABELS[s.status].nl} → ${SIGNAL_STATUS_LABELS[step.to].nl}.`
    + (step.partner ? ` Overgedragen aan: ${PARTNER_LABELS[step.partner].nl}.` : '') + (step.reason ? ` Reden: ${step.reason}` : ''));
  return true;
}

export async function transitionSignal(deps: ServiceDeps, req: RequestContext, caller: Caller, signalId: string, transition: string,
  input: { reason?: string; partner?: string }): Promise<WorkflowResult> {
  const row = await visibleSignal(deps, caller, signalId);
  if (!row) return grantsFor(caller, 'signal.view').length === 0 ? { kind: 'refused', reason: refusalFor(caller, 'signal.view') } : { kind: 'notFound' };
  const role = roleIn(caller, row.scopeId);
  const check = role ? checkTransition(row.status, transition, input, role) : { ok: false as const, code: 'forbiddenForRole' as const };
  if (!check.ok) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'signal.transition',
      recordType: 'Signal', recordId: row.id, result: 'denied', correlationId: req.correlationId, details: { transition: transition.slice(0, 40), code: check.code } });
    return { kind: 'rejected', code: check.code, detail: await detailOf(deps, caller, row) };
  }
  // Promotion creates a case; that use case lives in services/cases.ts and calls back into this table.
  if (check.rule.name === 'promoveren') return { kind: 'rejected', code: 'unknownTransition', detail: await detailOf(deps, caller, row) };
  const now = deps.now();
  const moved = await deps.prisma.$transaction(async (tx) => {
    if (!await applySignalStep(tx, row, { name: check.rule.name, to: check.to, reason: check.reason, partner: check.partner }, caller, now)) return false;
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'signal.transition',
      recordType: 'Signal', recordId: row.id, result: 'ok', correlationId: req.correlationId,
      details: { transition: check.rule.name, from: row.status, to: check.to, partner: check.partner } });
    return true;
  });
  const fresh = await visibleSignal(deps, caller, signalId) ?? row;
  if (!moved) return { kind: 'rejected', code: 'changedMeanwhile', detail: await detailOf(deps, caller, fresh) };
  return { kind: 'done', detail: await detailOf(deps, caller, fresh) };
}

export async function assignSignal(deps: ServiceDeps, req: RequestContext, caller: Caller, signalId: string, assigneeAadId: string | null): Promise<WorkflowResult> {
  const row = await visibleSignal(deps, caller, signalId);
  if (!row) return grantsFor(caller, 'signal.view').length === 0 ? { kind: 'refused', reason: refusalFor(caller, 'signal.view') } : { kind: 'notFound' };
  const role = roleIn(caller, row.scopeId);
  if (!role || !isAllowed(role, 'signal.assign')) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'signal.assign',
      recordType: 'Signal', recordId: row.id, result: 'denied', correlationId: req.correlationId });
    return { kind: 'rejected', code: 'forbiddenForRole', detail: await detailOf(deps, caller, row) };
  }
  // Only an active officer of the signal's own scope can be its assignee.
  const assignee = assigneeAadId === null ? null : await findOfficer(deps.prisma, row.scopeId, assigneeAadId);
  if (assigneeAadId !== null && !assignee) return { kind: 'rejected', code: 'unknownAssignee', detail: await detailOf(deps, caller, row) };
  await deps.prisma.$transaction(async (tx) => {
    // A repeated click (a double-click, Teams' retry) asks for what is already so: nothing to record a second time.
    await tx.$executeRaw`SELECT 1 FROM "Signal" WHERE id = ${row.id}::uuid FOR UPDATE`;
    const current = await tx.signal.findUnique({ where: { id: row.id }, select: { assigneeAadId: true } });
    if ((current?.assigneeAadId ?? null) === (assignee?.aadObjectId ?? null)) return;
    await writeAssignee(tx, row.id, assignee ? { aadObjectId: assignee.aadObjectId, name: assignee.name } : null);
    await appendSystemEntry(tx, { signalId: row.id }, row.scopeId, { aadObjectId: caller.aadObjectId, name: caller.name }, deps.now(), 'statuswijziging',
      assignee ? `Toegewezen aan ${assignee.name}.` : 'Toewijzing ingetrokken.');
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'signal.assign',
      recordType: 'Signal', recordId: row.id, result: 'ok', correlationId: req.correlationId, details: { assigned: assignee !== null } });
  });
  const fresh = await visibleSignal(deps, caller, signalId) ?? row;
  return { kind: 'done', detail: await detailOf(deps, caller, fresh) };
}
