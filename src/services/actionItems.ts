// Action items (actiepunten) the overleg hands out: `mijn acties`, marking one done with a short note that goes into
// the dossier's journal, and the reminders in the channel before the due date and when it has passed (working days,
// public holidays skipped).
import type { Caller } from '../domain/caller.js';
import { isUuid } from '../domain/identifiers.js';
import { mayDecide } from '../domain/overleg.js';
import { localDate } from '../domain/signalIntake.js';
import { checkReason } from '../domain/signalWorkflow.js';
import { addWorkingDays, isWorkingDay, subtractWorkingDays } from '../domain/workingDays.js';
import { recordAudit } from '../store/audit.js';
import { appendSystemEntry } from '../store/journal.js';
import { addressOfScope, type ScopeAddress } from '../store/scopes.js';
import { channelVisibleActions } from './agenda.js';
import { roleIn, scopesFor } from './callers.js';
import type { RequestContext, ServiceDeps } from './context.js';

export interface MyAction { id: string; text: string; dueOn: string; overdue: boolean; reference: string | null; scopeName: string }

const actionInclude = { signal: { select: { reference: true } }, case: { select: { reference: true } } } as const;

/**
 * `mijn acties`: the caller's open action items, in this channel or (in personal chat) in all their channels. In a
 * channel everyone reads the answer: only the items about records the whole channel may see.
 */
/** `audit: false` for the list shown again in answer to a repeated click (it was recorded with the click that did it). */
export async function myActions(deps: ServiceDeps, req: RequestContext, caller: Caller, opts: { audit?: boolean } = {}): Promise<MyAction[]> {
  const scopeIds = scopesFor(caller, 'meeting.view');
  const today = localDate(deps.now());
  const own = await deps.prisma.actionItem.findMany({
    where: { scopeId: { in: scopeIds }, ownerAadId: caller.aadObjectId, status: 'open' }, include: actionInclude, orderBy: [{ dueOn: 'asc' }, { createdAt: 'asc' }], take: 25,
  });
  const rows = caller.place.kind === 'personal' ? own : await onlyChannelVisible(deps, own);
  const scopes = new Map((await deps.prisma.scope.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.scopeId))] } }, select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  if (opts.audit ?? true) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'action.list', result: 'ok',
      correlationId: req.correlationId, details: { count: rows.length } });
  }
  return rows.map((r) => ({ id: r.id, text: r.text, dueOn: r.dueOn, overdue: r.dueOn < today, reference: r.signal?.reference ?? r.case?.reference ?? null,
    scopeName: scopes.get(r.scopeId) ?? '' }));
}

async function onlyChannelVisible<T extends { id: string; scopeId: string }>(deps: ServiceDeps, rows: readonly T[]): Promise<T[]> {
  const visible = new Set<string>();
  for (const scopeId of new Set(rows.map((r) => r.scopeId))) {
    for (const id of await channelVisibleActions(deps, scopeId, rows.filter((r) => r.scopeId === scopeId).map((r) => r.id))) visible.add(id);
  }
  return rows.filter((r) => visible.has(r.id));
}

export type DoneResult = { kind: 'done'; actions: MyAction[] } | { kind: 'alreadyDone'; actions: MyAction[] } | { kind: 'noteRequired' | 'noteTooLong' } | { kind: 'notFound' };

/** The owner (or the chair or coordinator) marks an action done; the note becomes a journal entry in its dossier. */
export async function completeAction(deps: ServiceDeps, req: RequestContext, caller: Caller, actionId: string, note: string): Promise<DoneResult> {
  const row = isUuid(actionId) ? await deps.prisma.actionItem.findFirst({ where: { id: actionId, scopeId: { in: scopesFor(caller, 'meeting.view') } } }) : null;
  if (!row || (row.ownerAadId !== caller.aadObjectId && !mayDecide(roleIn(caller, row.scopeId)))) {
    if (row) {
      await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'action.done', recordType: 'ActionItem',
        recordId: row.id, result: 'denied', correlationId: req.correlationId });
    }
    return { kind: 'notFound' };
  }
  const checked = checkReason(note, true);
  if (!checked.ok) return { kind: checked.code === 'reasonTooLong' ? 'noteTooLong' : 'noteRequired' };
  const now = deps.now();
  const changed = await deps.prisma.$transaction(async (tx) => {
    const done = await tx.actionItem.updateMany({ where: { id: row.id, status: 'open' }, data: { status: 'done', doneAt: now, doneNote: checked.reason } });
    if (done.count !== 1) return false;
    const dossier = row.signalId ? { signalId: row.signalId } : row.caseId ? { caseId: row.caseId } : null;
    if (dossier) await appendSystemEntry(tx, dossier, row.scopeId, caller, now, 'handeling', `Actiepunt afgerond: ${row.text}. ${checked.reason}`);
    await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: row.scopeId, action: 'action.done', recordType: 'ActionItem',
      recordId: row.id, result: 'ok', correlationId: req.correlationId });
    return true;
  });
  const actions = await myActions(deps, req, caller, { audit: changed });
  return { kind: changed ? 'done' : 'alreadyDone', actions };
}

// ---------------------------------------------------------------------------------------------------------------
// Reminders.

export interface DueActionReminder {
  actionId: string;
  kind: 'before' | 'overdue';
  /** Null with the reference: the channel may not see the record the item is about, so the reminder names neither. */
  text: string | null;
  dueOn: string;
  reference: string | null;
  owner: { name: string; teamsUserId: string | null };
  channel: ScopeAddress;
}

/**
 * Claims today's reminders: `workingDaysBefore` working days before the due date, and on the first working day after
 * it. Each kind once per action item (the claim is the day written on the row), whichever process runs first.
 */
export async function claimActionReminders(deps: ServiceDeps, workingDaysBefore: number): Promise<DueActionReminder[]> {
  const today = localDate(deps.now());
  const rows = await deps.prisma.actionItem.findMany({
    where: { status: 'open', dueOn: { lte: addWorkingDays(today, Math.max(1, workingDaysBefore) + 7, 'NL') }, OR: [{ remindedBeforeOn: null }, { remindedOverdueOn: null }] },
    include: actionInclude,
  });
  const scopes = new Map((await deps.prisma.scope.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.scopeId))] }, enabled: true, serviceUrl: { not: null } },
    select: { id: true, tenantId: true, serviceUrl: true, channelId: true, chatId: true, kind: true, municipality: { select: { country: true } } },
  })).map((s) => [s.id, s]));
  const visible = new Set((await onlyChannelVisible(deps, rows)).map((r) => r.id));
  const due: DueActionReminder[] = [];
  for (const r of rows) {
    const scope = scopes.get(r.scopeId);
    const channel = scope && addressOfScope(scope);
    if (!scope || !channel) continue;
    const country = scope.municipality?.country === 'BE' ? 'BE' : 'NL';
    const kind = r.dueOn < today && r.remindedOverdueOn === null && isWorkingDay(today, country) ? 'overdue'
      : workingDaysBefore > 0 && r.dueOn >= today && r.remindedBeforeOn === null && subtractWorkingDays(r.dueOn, workingDaysBefore, country) <= today ? 'before' : undefined;
    if (!kind) continue;
    const claimed = await deps.prisma.actionItem.updateMany({ where: { id: r.id, status: 'open', ...(kind === 'before' ? { remindedBeforeOn: null } : { remindedOverdueOn: null }) },
      data: kind === 'before' ? { remindedBeforeOn: today } : { remindedOverdueOn: today } });
    if (claimed.count !== 1) continue;
    const owner = await deps.prisma.member.findFirst({ where: { scopeId: r.scopeId, aadObjectId: r.ownerAadId }, select: { teamsUserId: true } });
    const shown = visible.has(r.id);
    due.push({ actionId: r.id, kind, text: shown ? r.text : null, dueOn: r.dueOn, reference: shown ? r.signal?.reference ?? r.case?.reference ?? null : null,
      owner: { name: r.ownerName, teamsUserId: owner?.teamsUserId ?? null }, channel });
  }
  return due;
}

/** A reminder that could not be delivered is claimed again at the next run. */
export async function releaseActionReminder(deps: ServiceDeps, reminder: DueActionReminder): Promise<void> {
  await deps.prisma.actionItem.update({ where: { id: reminder.actionId }, data: reminder.kind === 'before' ? { remindedBeforeOn: null } : { remindedOverdueOn: null } });
}
