// The overleg itself: the chair starts it, decides per agenda item (one transaction: the decision, the record's
// status or phase, its journal, the action items and the audit; of two people deciding at once one wins), corrects
// a decision with a new one, and closes the overleg with its minutes (besluitenlijst).
import type { Caller } from '../domain/caller.js';
import { CASE_PHASE_LABELS, CASE_PHASE_MOVES, type CasePhase } from '../domain/caseWorkflow.js';
import { isUuid } from '../domain/identifiers.js';
import { zonedInstant } from '../domain/meetings.js';
import { caseDecisionPath, decisionPathNeedsReason, mayDecide, signalDecisionPath, validateDecision, type AgendaItemKind, type DecisionDraft, type DecisionError, type DecisionKind,
  type ValidDecision } from '../domain/overleg.js';
import { localDate } from '../domain/signalIntake.js';
import { PARTNER_LABELS, SIGNAL_STATUS_LABELS, SIGNAL_TRANSITIONS, type SignalStatus } from '../domain/signalWorkflow.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordAudit } from '../store/audit.js';
import { isUniqueViolation } from '../store/errors.js';
import { appendSystemEntry } from '../store/journal.js';
import { officersOf } from '../store/scopes.js';
import { findSubmission, insertSubmission } from '../store/submissions.js';
import { findSignals } from '../store/signals.js';
import { findOccurrence, isOperational, nextDateOf, occurrenceOf, overlegView, refreshAgenda, type AgendaItemView, type OccurrenceRow, type OverlegView } from './agenda.js';
import { refusalFor, roleIn, scopesFor, type Refusal } from './callers.js';
import { applyPhaseStep, caseTitleFor, createCaseFrom } from './cases.js';
import type { RequestContext, ServiceDeps } from './context.js';
import { applySignalStep } from './signalWorkflow.js';

export const DECISION_LABELS: Record<DecisionKind, string> = {
  verrijken: 'verder verrijken', casus: 'opschalen naar casus', overdragen: 'overdragen aan partner', afsluiten: 'afsluiten', verlengen: 'nieuwe deadline', vervallen: 'vervallen',
};

type Place = { kind: 'refused'; reason: Refusal } | { kind: 'notFound' };

/** The occurrence a caller means in their channel: of this meeting, or the scope's meeting today (the nearest start). */
async function occurrenceHere(deps: ServiceDeps, caller: Caller, meetingId?: string): Promise<OccurrenceRow | Place | { kind: 'noneToday' }> {
  if (caller.place.kind === 'personal') return { kind: 'refused', reason: 'noScope' };
  const scopeIds = scopesFor(caller, 'meeting.view');
  if (scopeIds.length === 0) return { kind: 'refused', reason: refusalFor(caller, 'meeting.view') };
  const now = deps.now();
  const today = localDate(now);
  const meetings = await deps.prisma.meeting.findMany({
    where: { scopeId: { in: scopeIds }, status: { not: 'cancelled' }, ...(meetingId !== undefined ? { id: isUuid(meetingId) ? meetingId : '00000000-0000-0000-0000-000000000000' } : {}) },
    select: { id: true, scopeId: true, startDate: true, startTime: true, recurrence: true },
  });
  if (meetingId !== undefined && meetings.length === 0) return { kind: 'notFound' };
  // Today's running overleg first (one left unfinished on another day does not get in the way); then today's, the
  // one whose start is nearest.
  const running = await findOccurrence(deps, { meetingId: { in: meetings.map((m) => m.id) }, date: today, startedAt: { not: null }, closedAt: null });
  if (running) return running;
  const todays = meetings.filter((m) => nextDateOf(m, today) === today)
    .sort((a, b) => Math.abs(zonedInstant(today, a.startTime).getTime() - now.getTime()) - Math.abs(zonedInstant(today, b.startTime).getTime() - now.getTime()));
  if (todays.length === 0) return { kind: 'noneToday' };
  return occurrenceOf(deps, todays[0], today);
}

/** One occurrence by id, in the caller's channels. */
async function occurrenceById(deps: ServiceDeps, caller: Caller, occurrenceId: string): Promise<OccurrenceRow | Place> {
  if (caller.place.kind === 'personal') return { kind: 'refused', reason: 'noScope' };
  const occ = isUuid(occurrenceId) ? await findOccurrence(deps, { id: occurrenceId, scopeId: { in: scopesFor(caller, 'meeting.view') } }) : null;
  return occ ?? { kind: 'notFound' };
}

export type StartResult = { kind: 'started' | 'running'; view: OverlegView } | { kind: 'closed'; view: OverlegView } | { kind: 'noneToday' }
  /** A kerngroep or driehoek has figures, nothing to decide: it is not started. */
  | { kind: 'strategic' }
  /** The card's occurrence is on another day. */
  | { kind: 'notToday'; date: string }
  | Place;

/**
 * `overleg starten`: the agenda is taken as it stands (the rules add no more), and decisions can be recorded. The
 * agenda card names its occurrence, which must be today's; the meeting card and the command mean today's.
 */
export async function startOverleg(deps: ServiceDeps, req: RequestContext, caller: Caller, target: { meetingId?: string; occurrenceId?: string } = {}): Promise<StartResult> {
  const found = target.occurrenceId !== undefined ? await occurrenceById(deps, caller, target.occurrenceId) : await occurrenceHere(deps, caller, target.meetingId);
  if (!('id' in found)) return found;
  const role = roleIn(caller, found.scopeId);
  if (!mayDecide(role)) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: found.scopeId, action: 'overleg.start',
      recordType: 'MeetingOccurrence', recordId: found.id, result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: 'forbidden' };
  }
  if (!isOperational(found.meeting.kind)) return { kind: 'strategic' };
  if (found.date !== localDate(deps.now())) return { kind: 'notToday', date: found.date };
  if (found.closedAt !== null) return { kind: 'closed', view: await overlegView(deps, caller, found) };
  if (found.startedAt !== null) return { kind: 'running', view: await overlegView(deps, caller, found) };
  await refreshAgenda(deps, found);
  const started = await deps.prisma.meetingOccurrence.updateMany({ where: { id: found.id, startedAt: null }, data: { startedAt: deps.now(), startedByAadId: caller.aadObjectId } });
  if (started.count === 1) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: found.scopeId, action: 'overleg.start',
      recordType: 'MeetingOccurrence', recordId: found.id, result: 'ok', correlationId: req.correlationId });
  }
  const occ = await findOccurrence(deps, { id: found.id }) as OccurrenceRow;
  return { kind: started.count === 1 ? 'started' : 'running', view: await overlegView(deps, caller, occ) };
}

/** The overleg card of an occurrence as this viewer may see it. */
export async function viewOverleg(deps: ServiceDeps, caller: Caller, occurrenceId: string): Promise<OverlegView | undefined> {
  const occ = isUuid(occurrenceId) ? await findOccurrence(deps, { id: occurrenceId, scopeId: { in: scopesFor(caller, 'meeting.view') } }) : null;
  return occ ? overlegView(deps, caller, occ) : undefined;
}

/** The same when someone opens or refreshes the card: a read of what is on the agenda, so it is audited. */
export async function readOverleg(deps: ServiceDeps, req: RequestContext, caller: Caller, occurrenceId: string): Promise<OverlegView | undefined> {
  const view = await viewOverleg(deps, caller, occurrenceId);
  await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: view?.scopeId ?? caller.currentScope?.scopeId ?? null,
    action: 'overleg.view', recordType: 'MeetingOccurrence', recordId: view?.occurrenceId, result: view ? 'ok' : 'denied', correlationId: req.correlationId });
  return view;
}

// ---------------------------------------------------------------------------------------------------------------
// Deciding.

export interface DecisionFormData {
  view: OverlegView;
  itemId: string;
  members: { aadObjectId: string; name: string }[];
  /** Correcting this decision (the one that stands on the item). */
  correcting: { id: string; kind: DecisionKind; by: string } | null;
}

/** hidden: the item's record is not one everyone in the channel may see, so it is not decided here. */
export type DecisionFormResult = { kind: 'form'; form: DecisionFormData } | { kind: 'notRunning' | 'hidden'; view: OverlegView } | Place;

/** The decision form of an item, for the chair or coordinator while the overleg runs. */
export async function decisionForm(deps: ServiceDeps, caller: Caller, itemId: string): Promise<DecisionFormResult> {
  const item = isUuid(itemId) ? await deps.prisma.agendaItem.findFirst({ where: { id: itemId, removedAt: null, occurrence: { scopeId: { in: scopesFor(caller, 'meeting.view') } } },
    include: { occurrence: true } }) : null;
  if (!item) return { kind: 'notFound' };
  if (!mayDecide(roleIn(caller, item.occurrence.scopeId))) return { kind: 'refused', reason: 'forbidden' };
  const view = await viewOverleg(deps, caller, item.occurrenceId) as OverlegView;
  if (!view.mayDecide) return { kind: 'notRunning', view };
  const shown = view.items.find((i) => i.id === item.id);
  // The card offers no button for it; a verb sent anyway is refused here too.
  if (!shown?.visible) return { kind: 'hidden', view };
  const standing = shown.decisions.filter((d) => d.correctedById === null).at(-1);
  return { kind: 'form', form: { view, itemId: item.id, members: await officersOf(deps.prisma, item.occurrence.scopeId),
    correcting: standing ? { id: standing.id, kind: standing.kind, by: standing.by } : null } };
}

export type DecideResult =
  | { kind: 'decided'; view: OverlegView }
  | { kind: 'duplicate'; view: OverlegView }
  /** Someone else decided this item first: the current state, and who. */
  | { kind: 'conflict'; view: OverlegView; by: string | null }
  | { kind: 'invalid'; errors: DecisionError[]; form: DecisionFormData }
  /** The record cannot go where the decision points (a signal that is already in a case), or the action item is no longer open. */
  | { kind: 'impossible'; view: OverlegView; why: 'record' | 'actionClosed' }
  | { kind: 'notRunning' | 'hidden'; view: OverlegView }
  | Place;

class LostRace extends Error {}
/** The overleg was closed between the form's check and the decision's transaction. */
class NoLongerRunning extends Error {}

const CASUS_TARGET: SignalStatus = 'besproken';

/** A decision on an agenda item. `version` is the item's decision version the form was made on; `nonce` makes a repeated submit harmless. */
export async function decide(deps: ServiceDeps, req: RequestContext, caller: Caller, itemId: string, input: { version: string; nonce: string; correctsId: string;
  draft: DecisionDraft }): Promise<DecideResult> {
  const previous = await findSubmission(deps.prisma, { nonce: input.nonce, aadObjectId: caller.aadObjectId });
  const formResult = await decisionForm(deps, caller, itemId);
  if (formResult.kind !== 'form') {
    if (formResult.kind === 'refused' || formResult.kind === 'hidden') {
      await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: caller.currentScope?.scopeId ?? null, action: 'overleg.decide',
        recordType: 'AgendaItem', recordId: isUuid(itemId) ? itemId : undefined, result: 'denied', correlationId: req.correlationId,
        details: formResult.kind === 'hidden' ? { reason: 'hidden' } : undefined });
    }
    return formResult;
  }
  const form = formResult.form;
  if (previous) return { kind: 'duplicate', view: form.view };
  // Every read scoped by the channel the form was made in, even where the ids came from our own rows.
  const scopeId = form.view.scopeId;
  const item = await deps.prisma.agendaItem.findFirst({ where: { id: itemId, removedAt: null, occurrence: { scopeId } }, include: { occurrence: { include: { meeting: true } } } });
  if (!item) return { kind: 'notFound' };
  const kind = item.kind as AgendaItemKind;
  const version = Number(input.version);
  const standing = form.correcting;
  // Deciding again without correcting, or correcting a decision that no longer stands: someone was first.
  if (version !== item.decisionVersion || (standing?.id ?? '') !== input.correctsId) {
    return { kind: 'conflict', view: form.view, by: standing?.by ?? null };
  }
  const today = localDate(deps.now());
  const checked = validateDecision(input.draft, { itemKind: kind, correcting: standing !== null, today, memberIds: new Set(form.members.map((m) => m.aadObjectId)) });
  if (!checked.ok) return { kind: 'invalid', errors: checked.errors, form };
  const d = checked.value;
  const meeting = item.occurrence.meeting;
  const headline = `Besluit ${meeting.title} (${item.occurrence.date})`;
  const stepReason = d.text ?? `${headline}: ${DECISION_LABELS[d.kind]}.`;

  // What the decision does, planned before the transaction (reads outside it: PGlite has one session).
  const signal = item.signalId ? (await findSignals(deps.prisma, { scopeId }, [item.signalId]))[0] : undefined;
  const theCase = item.caseId ? await deps.prisma.case.findFirst({ where: { id: item.caseId, scopeId } }) : null;
  const action = item.actionItemId ? await deps.prisma.actionItem.findFirst({ where: { id: item.actionItemId, scopeId } }) : null;
  const signalPath = signal ? signalDecisionPath(signal.status, d.kind, { current: signal.handedOverTo, wanted: d.partner }) : undefined;
  const casePath = theCase ? caseDecisionPath(theCase.phase as CasePhase, d.kind) : undefined;
  if ((kind === 'signal' && signalPath === undefined) || (kind === 'case' && casePath === undefined) || (kind === 'action' && !action)) {
    return { kind: 'impossible', view: form.view, why: 'record' };
  }
  // Done or dropped: nothing left to decide (not a race someone else won).
  if (action && action.status !== 'open') return { kind: 'impossible', view: form.view, why: 'actionClosed' };
  const needsReason = (signalPath !== undefined && decisionPathNeedsReason({ signal: signalPath }))
    || (theCase !== null && casePath !== undefined && decisionPathNeedsReason({ casePhase: { from: theCase.phase as CasePhase, to: casePath } }));
  if (needsReason && d.text === null) return { kind: 'invalid', errors: [{ field: 'text', code: 'reasonRequired' }], form };
  const caseTitle = signal && d.kind === 'casus' ? await caseTitleFor(deps, [signal]) : '';
  const owners = new Map(form.members.map((m) => [m.aadObjectId, m.name]));
  const now = deps.now();

  try {
    await deps.prisma.$transaction(async (tx) => {
      // The overleg must still run when the decision lands. This write holds the occurrence's row until the commit, so
      // a close either comes first (and the decision is refused) or waits for it (and its minutes include it).
      const running = await tx.meetingOccurrence.updateMany({ where: { id: item.occurrenceId, scopeId: item.occurrence.scopeId, startedAt: { not: null }, closedAt: null },
        data: { closedAt: null } });
      if (running.count !== 1) throw new NoLongerRunning();
      // Of two people deciding this item at once, only one moves its version.
      const won = await tx.agendaItem.updateMany({ where: { id: item.id, decisionVersion: version }, data: { decisionVersion: { increment: 1 } } });
      if (won.count !== 1) throw new LostRace();
      // What the decision did, for the decision's record and (where it may say less) for the dossier's journal.
      const effects: string[] = [];
      const journalEffects: string[] = [];
      const note = (effect: string, inJournal = effect) => { effects.push(effect); journalEffects.push(inJournal); };
      let dossier: { signalId: string } | { caseId: string } | null = null;
      let madeCaseId: string | null = null;
      if (signal && signalPath) {
        dossier = { signalId: signal.id };
        let status = signal.status;
        for (const name of signalPath) {
          const rule = SIGNAL_TRANSITIONS.find((t) => t.name === name);
          if (!rule) throw new LostRace();
          const ok = await applySignalStep(tx, { id: signal.id, scopeId: signal.scopeId, status }, { name, to: rule.to, reason: rule.requiresReason ? stepReason : null,
            partner: rule.requiresPartner ? d.partner : null }, caller, now);
          if (!ok) throw new LostRace();
          status = rule.to;
        }
        if (d.kind === 'casus' && status === CASUS_TARGET) {
          const made = await createCaseFrom(deps, tx, [{ ...signal, status }], caller, caseTitle);
          if (!made) throw new LostRace();
          madeCaseId = made.id;
          // The signal's journal does not name the case, which may be more confidential (as createCaseFrom does).
          note(`Casus ${made.reference} aangemaakt.`, 'Opgeschaald naar een casus.');
        } else {
          note(status === signal.status ? `Status blijft ${SIGNAL_STATUS_LABELS[status].nl}.` : `Status: ${SIGNAL_STATUS_LABELS[signal.status].nl} → ${SIGNAL_STATUS_LABELS[status].nl}.`);
        }
      } else if (theCase && casePath) {
        dossier = { caseId: theCase.id };
        let phase = theCase.phase as CasePhase;
        for (const to of casePath) {
          const move = CASE_PHASE_MOVES.find((mv) => mv.from === phase && mv.to === to);
          if (!move) throw new LostRace();
          const reason = d.kind === 'overdragen' && d.partner ? `Overgedragen aan ${PARTNER_LABELS[d.partner].nl}: ${stepReason}` : stepReason;
          if (!await applyPhaseStep(tx, { id: theCase.id, scopeId: theCase.scopeId, phase }, { kind: move.kind, to, reason: move.requiresReason ? reason : null }, caller, now)) {
            throw new LostRace();
          }
          phase = to;
        }
        const label = (p: string) => CASE_PHASE_LABELS[p as CasePhase]?.nl ?? p;
        note(phase === theCase.phase ? `Fase blijft ${label(phase)}.` : `Fase: ${label(theCase.phase)} → ${label(phase)}.`);
      } else if (action) {
        dossier = action.signalId ? { signalId: action.signalId } : action.caseId ? { caseId: action.caseId } : null;
        const changed = await tx.actionItem.updateMany({ where: { id: action.id, scopeId, status: 'open' },
          data: d.kind === 'verlengen' ? { dueOn: d.newDueOn as string, remindedBeforeOn: null, remindedOverdueOn: null } : { status: 'cancelled' } });
        if (changed.count !== 1) throw new LostRace();
        note(d.kind === 'verlengen' ? `Nieuwe deadline: ${d.newDueOn}.` : 'Actiepunt vervallen.');
      }
      // A correction replaces the decision: the work it handed out stops with it. The decision's record counts them
      // (it is kept longer than the journal's texts); the journal names them.
      if (standing) {
        const dropped = await tx.actionItem.findMany({ where: { decisionId: standing.id, scopeId: item.occurrence.scopeId, status: 'open' }, select: { id: true, text: true } });
        if (dropped.length > 0) {
          await tx.actionItem.updateMany({ where: { id: { in: dropped.map((a) => a.id) }, status: 'open' }, data: { status: 'cancelled' } });
          note(`${dropped.length} open actiepunt(en) van het gecorrigeerde besluit vervallen.`,
            `Open actiepunten van het gecorrigeerde besluit vervallen: ${dropped.map((a) => a.text).join('; ')}.`);
        }
      }
      const decision = await tx.decision.create({ data: {
        occurrenceId: item.occurrenceId, agendaItemId: item.id, scopeId: item.occurrence.scopeId, kind: d.kind, partner: d.partner, text: d.text,
        effect: { text: effects.join(' '), caseId: madeCaseId } as Prisma.InputJsonValue, decidedByAadId: caller.aadObjectId, decidedByName: caller.name, decidedAt: now,
        correctsId: standing?.id ?? null,
      } });
      const actionDossier = madeCaseId ? { caseId: madeCaseId } : dossier;
      for (const a of d.actions) {
        await tx.actionItem.create({ data: {
          scopeId: item.occurrence.scopeId, decisionId: decision.id, text: a.text, ownerAadId: a.ownerAadId, ownerName: owners.get(a.ownerAadId) ?? '', dueOn: a.dueOn,
          createdByAadId: caller.aadObjectId, ...(actionDossier && 'signalId' in actionDossier ? { signalId: actionDossier.signalId } : {}),
          ...(actionDossier && 'caseId' in actionDossier ? { caseId: actionDossier.caseId } : {}),
        } });
      }
      if (dossier) await appendSystemEntry(tx, dossier, item.occurrence.scopeId, caller, now, 'besluit', journalText(headline, d, journalEffects, standing));
      await insertSubmission(tx, { nonce: input.nonce, aadObjectId: caller.aadObjectId }, 'decision', item.occurrence.scopeId, decision.id);
      await recordAudit(tx, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: item.occurrence.scopeId, action: 'overleg.decide',
        recordType: 'AgendaItem', recordId: item.id, result: 'ok', correlationId: req.correlationId,
        details: { decision: decision.id, kind: d.kind, item: kind, corrects: standing?.id ?? null, actions: d.actions.length } });
    });
  } catch (err) {
    if (err instanceof NoLongerRunning) return { kind: 'notRunning', view: await viewOverleg(deps, caller, item.occurrenceId) as OverlegView };
    if (err instanceof LostRace || isUniqueViolation(err)) {
      const view = await viewOverleg(deps, caller, item.occurrenceId) as OverlegView;
      if (isUniqueViolation(err) && await findSubmission(deps.prisma, { nonce: input.nonce, aadObjectId: caller.aadObjectId })) return { kind: 'duplicate', view };
      const latest = view.items.find((i) => i.id === item.id)?.decisions.at(-1);
      return { kind: 'conflict', view, by: latest?.by ?? null };
    }
    throw err;
  }
  return { kind: 'decided', view: await viewOverleg(deps, caller, item.occurrenceId) as OverlegView };
}

function journalText(headline: string, d: ValidDecision, effects: readonly string[], corrects: { kind: DecisionKind; by: string } | null): string {
  return [
    `${headline}: ${DECISION_LABELS[d.kind]}.`,
    d.partner ? `Partner: ${PARTNER_LABELS[d.partner].nl}.` : '',
    corrects ? `Corrigeert het eerdere besluit (${DECISION_LABELS[corrects.kind]}, ${corrects.by}).` : '',
    d.text ? `Toelichting: ${d.text}` : '',
    d.actions.length > 0 ? `Actiepunten: ${d.actions.map((a) => `${a.text} (uiterlijk ${a.dueOn})`).join('; ')}.` : '',
    ...effects,
  ].filter(Boolean).join(' ');
}

// ---------------------------------------------------------------------------------------------------------------
// Closing, and the minutes.

export interface MinutesView {
  occurrenceId: string;
  scopeId: string;
  scopeName: string;
  title: string;
  kind: string;
  date: string;
  closedAt: Date | null;
  decisions: { number: number; reference: string; title: AgendaItemView['title']; kind: DecisionKind; partner: string | null; text: string | null; by: string; at: Date;
    effect: string; corrected: boolean; correction: boolean }[];
  actions: { text: string; owner: string; dueOn: string; reference: string }[];
}

export async function minutesOf(deps: ServiceDeps, occ: OccurrenceRow): Promise<MinutesView> {
  const view = await overlegView(deps, null, occ);
  const decisions = view.items.flatMap((item) => item.decisions.map((d) => ({
    number: item.number, reference: item.visible ? item.reference : '', title: item.visible ? item.title : { nl: '', en: '' }, kind: d.kind, partner: d.partner, text: d.text,
    by: d.by, at: d.at, effect: d.effect, corrected: d.correctedById !== null, correction: d.correctsId !== null,
  })));
  const actions = view.items.flatMap((item) => item.decisions.filter((d) => d.correctedById === null)
    .flatMap((d) => d.actions.map((a) => ({ text: a.text, owner: a.owner, dueOn: a.dueOn, reference: item.visible ? item.reference : '' }))));
  return { occurrenceId: occ.id, scopeId: occ.scopeId, scopeName: view.scopeName, title: view.title, kind: view.kind, date: occ.date, closedAt: occ.closedAt, decisions, actions };
}

export type FinishResult = { kind: 'closed' | 'alreadyClosed'; minutes: MinutesView; occ: OccurrenceRow } | { kind: 'notStarted' } | { kind: 'noneToday' } | Place;

/** `overleg afronden`: the running overleg of this channel is closed; its minutes go to the channel once. */
export async function finishOverleg(deps: ServiceDeps, req: RequestContext, caller: Caller, occurrenceId?: string): Promise<FinishResult> {
  const found = occurrenceId !== undefined ? await occurrenceById(deps, caller, occurrenceId) : await occurrenceHere(deps, caller);
  if (!('id' in found)) return found;
  if (!mayDecide(roleIn(caller, found.scopeId))) {
    await recordAudit(deps.prisma, { tenantId: caller.tenantId, actorAadId: caller.aadObjectId, scopeId: found.scopeId, action: 'overleg.finish',
      recordType: 'MeetingOccurrence', recordId: found.id, result: 'denied', correlationId: req.correlationId });
    return { kind: 'refused', reason: 'forbidden' };
  }
  return closeOccurrence(deps, found, caller.aadObjectId, req.correlationId, caller.tenantId);
}

/** Closes a started occurrence once (the chair's command or Teams' meetingEnd); a second close finds it closed. */
export async function closeOccurrence(deps: ServiceDeps, occ: OccurrenceRow, by: string, correlationId: string, tenantId: string): Promise<FinishResult> {
  if (occ.startedAt === null) return { kind: 'notStarted' };
  const closed = await deps.prisma.meetingOccurrence.updateMany({ where: { id: occ.id, closedAt: null }, data: { closedAt: deps.now(), closedByAadId: by } });
  if (closed.count === 1) {
    await recordAudit(deps.prisma, { tenantId, actorAadId: by, scopeId: occ.scopeId, action: 'overleg.finish', recordType: 'MeetingOccurrence', recordId: occ.id,
      result: 'ok', correlationId });
  }
  const fresh = await findOccurrence(deps, { id: occ.id }) as OccurrenceRow;
  return { kind: closed.count === 1 ? 'closed' : 'alreadyClosed', minutes: await minutesOf(deps, fresh), occ: fresh };
}

/** The message in the channel that is the occurrence's overleg card (the last one posted): the one updated in place. */
export async function recordOverlegCard(deps: ServiceDeps, occurrenceId: string, at: { serviceUrl: string; conversationId: string }, activityId: string): Promise<void> {
  await deps.prisma.meetingOccurrence.update({ where: { id: occurrenceId }, data: { cardServiceUrl: at.serviceUrl, cardConversationId: at.conversationId, cardActivityId: activityId } });
}
