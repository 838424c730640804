// Running the overleg at the edge: `agenda`, `overleg starten` / `overleg afronden` (or the card's buttons), the
// chair's decisions per item, the minutes and their PDF, `mijn acties`, and Teams' meetingStart / meetingEnd events.
// The overleg card in the channel is one message for everyone (the occurrence records which); every member's client
// refreshes it into their own view, in which only the chair and the coordinator get buttons.
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Caller } from '../domain/caller.js';
import { completeAction, myActions } from '../services/actionItems.js';
import { AGENDA_ITEM_EDITS, agendaFor, editAgenda, findOccurrence, overlegView, type AgendaEdit, type OccurrenceRow, type OverlegView } from '../services/agenda.js';
import type { Refusal } from '../services/callers.js';
import type { ServiceDeps } from '../services/context.js';
import { decide, decisionForm, finishOverleg, readOverleg, recordOverlegCard, startOverleg } from '../services/decisions.js';
import { requestMinutesPdf } from '../services/minutesExport.js';
import { meetingEnded, meetingStarted, type AgendaPost } from '../services/overlegPosts.js';
import { cardAudience } from '../services/scopes.js';
import { localDate } from '../domain/signalIntake.js';
import { answerAsCaller, asCard, replyWith, type Answer } from './answers.js';
import { asAttachment, renderNotice, type AdaptiveCard } from './cards.js';
import { requestOf } from './context.js';
import { onExecute } from './execute.js';
import { DECISION_FORM_FIELDS, decisionDraftOf, noteFieldOf, renderActionList, renderDecisionForm, renderMinutesCard, renderOverlegCard } from './overlegCards.js';
import { refusalText } from './signals.js';
import { CHANNEL_LOCALE, formatDate, t } from './strings.js';
import { readFields } from './submits.js';

/** What the overleg sends by itself (the agenda before the meeting, the minutes after meetingEnd), through `inConversation`. */
export interface OverlegSender {
  /** False: not delivered (the post is released, to be claimed again at the next run). */
  postAgenda(post: AgendaPost): Promise<boolean>;
  postMinutes(minutes: Parameters<typeof renderMinutesCard>[1], at: AgendaPost['at']): Promise<void>;
}


/** Why not: in a personal chat the overleg's commands belong in the channel; elsewhere the usual refusal. */
const refusedText = (caller: Caller, reason: Refusal): string =>
  (reason === 'noScope' && caller.place.kind === 'personal' ? t(caller.locale, 'overleg.channelOnly') : refusalText(caller.locale, reason));

/** The channel's shared message: no viewer's buttons; every member's client refreshes it into their own. */
export async function sharedOverlegCard(deps: ServiceDeps, occ: OccurrenceRow, opts: { sober?: boolean } = {}): Promise<AdaptiveCard> {
  const view = await overlegView(deps, null, occ);
  return renderOverlegCard(CHANNEL_LOCALE, view, { sober: opts.sober, refreshUserIds: opts.sober ? [] : await cardAudience(deps, occ.scopeId, 60) });
}

export function registerOverlegRoutes(app: Application<TurnState>, deps: ServiceDeps, sender: OverlegSender, publicBaseUrl: () => string): void {
  const withCaller = (context: TurnContext, run: (caller: Caller) => Promise<Answer>) => answerAsCaller(deps, context, run);
  const today = () => localDate(deps.now());

  /** The viewer's own card, refreshed for every member of the scope. */
  const ownCard = async (caller: Caller, view: OverlegView, notice?: string, tone?: 'good' | 'attention') =>
    renderOverlegCard(caller.locale, view, { notice, tone, refreshUserIds: await cardAudience(deps, view.scopeId, 60) });

  /** The shared card as a new message in this conversation, recorded as the occurrence's card. */
  const postShared = async (context: TurnContext, occ: OccurrenceRow) => {
    const sent = await context.sendActivity({ attachments: [asAttachment(await sharedOverlegCard(deps, occ))] });
    if (sent?.id) await recordOverlegCard(deps, occ.id, { serviceUrl: context.activity.serviceUrl, conversationId: context.activity.conversation.id }, sent.id);
  };

  /**
   * After a change, the message everyone reads shows the new state (the viewer's own answer shows it with buttons).
   * Only the occurrence's recorded card is updated in place: a button on another message (the meeting card offers
   * start and agenda too) must not turn that message into the overleg card, so the card is posted anew there.
   */
  const updateShared = async (context: TurnContext, occurrenceId: string) => {
    const occ = await findOccurrence(deps, { id: occurrenceId });
    if (!occ) return;
    const messageId = context.activity.replyToId;
    // A channel's conversation id names the thread too (;messageid=…): the channel is what must match.
    const here = context.activity.conversation.id.split(';')[0];
    if (messageId && messageId === occ.cardActivityId && occ.cardConversationId?.split(';')[0] === here) {
      await context.updateActivity({ id: messageId, type: ActivityTypes.Message, attachments: [asAttachment(await sharedOverlegCard(deps, occ))] });
      return;
    }
    await postShared(context, occ);
  };

  app.message(/^\s*agenda\s*$/i, async (context) => {
    let occ: OccurrenceRow | undefined;
    const answer = await withCaller(context, async (caller) => {
      const result = await agendaFor(deps, requestOf(context), caller);
      if (result.kind === 'refused') return refusedText(caller, result.reason);
      if (result.kind === 'none') return t(caller.locale, 'overleg.none');
      occ = result.occ;
      return '';
    });
    // The agenda in the channel is the occurrence's card from now on: the coordinator's edits update it.
    if (occ) await postShared(context, occ);
    else await replyWith(context, answer);
  });

  // The meeting card's Agenda button: the agenda of that meeting's next occurrence, for the one who asked.
  onExecute(app, 'agenda.open', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { meetingId } = readFields(data, ['meetingId'] as const);
    const result = await agendaFor(deps, requestOf(context), caller, meetingId);
    if (result.kind === 'refused') return refusalText(caller.locale, result.reason);
    if (result.kind === 'none') return t(caller.locale, 'overleg.none');
    return ownCard(caller, await overlegView(deps, caller, result.occ));
  })), { updatesMessage: false });

  const start = async (context: TurnContext, caller: Caller, target: { meetingId?: string; occurrenceId?: string } = {}): Promise<{ answer: Answer; occurrenceId?: string }> => {
    const result = await startOverleg(deps, requestOf(context), caller, target);
    switch (result.kind) {
      case 'started':
      case 'running':
        return { answer: await ownCard(caller, result.view, t(caller.locale, result.kind === 'started' ? 'overleg.started' : 'overleg.running')), occurrenceId: result.view.occurrenceId };
      case 'closed': return { answer: await ownCard(caller, result.view, t(caller.locale, 'overleg.closed'), 'attention') };
      case 'noneToday': return { answer: t(caller.locale, 'overleg.noneToday') };
      case 'strategic': return { answer: t(caller.locale, 'overleg.strategic') };
      case 'notToday': return { answer: t(caller.locale, 'overleg.notToday', { date: formatDate(caller.locale, result.date) }) };
      case 'notFound': return { answer: t(caller.locale, 'meeting.notFound') };
      case 'refused': return { answer: refusedText(caller, result.reason) };
    }
  };

  app.message(/^\s*(overleg\s+starten|start\s+(the\s+)?meeting)\s*$/i, async (context) => {
    let occurrenceId: string | undefined;
    const answer = await withCaller(context, async (caller) => {
      const started = await start(context, caller);
      occurrenceId = started.occurrenceId;
      return started.answer;
    });
    const occ = occurrenceId !== undefined && typeof answer !== 'string' ? await findOccurrence(deps, { id: occurrenceId }) : null;
    // The card in the channel is the shared one; the chair's buttons come with the refresh.
    if (occ) await postShared(context, occ);
    else await replyWith(context, answer);
  });

  // From the agenda card (its occurrence) or the meeting card (the meeting: today's occurrence).
  onExecute(app, 'overleg.start', async (context, data) => {
    const fields = readFields(data, ['meetingId', 'occurrenceId'] as const);
    const target = fields.occurrenceId !== '' ? { occurrenceId: fields.occurrenceId } : { meetingId: fields.meetingId };
    let occurrenceId: string | undefined;
    const answer = await withCaller(context, async (caller) => {
      const started = await start(context, caller, target);
      occurrenceId = started.occurrenceId;
      return started.answer;
    });
    if (occurrenceId !== undefined) await updateShared(context, occurrenceId);
    return asCard(answer);
  }, { updatesMessage: false });

  // Universal Actions: each member's client asks for its own version; also the way back from a decision form.
  onExecute(app, 'overleg.refresh', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { occurrenceId } = readFields(data, ['occurrenceId'] as const);
    const view = await readOverleg(deps, requestOf(context), caller, occurrenceId);
    return view ? ownCard(caller, view) : t(caller.locale, 'meeting.notFound');
  })), { updatesMessage: false });

  onExecute(app, 'agenda.edit', async (context, data) => {
    const fields = readFields(data, ['op', 'itemId', 'occurrenceId', 'reference'] as const);
    let changed: string | undefined;
    const answer = await withCaller(context, async (caller) => {
      const op = AGENDA_ITEM_EDITS.find((o) => o === fields.op);
      // What the card does not offer is refused, not guessed.
      if (fields.op !== 'add' && op === undefined) return t(caller.locale, 'overleg.unknownEdit');
      const edit: AgendaEdit = op === undefined ? { op: 'add', reference: fields.reference } : { op, itemId: fields.itemId };
      const result = await editAgenda(deps, requestOf(context), caller, fields.occurrenceId, edit);
      switch (result.kind) {
        case 'done':
          changed = result.occ.id;
          return ownCard(caller, await overlegView(deps, caller, result.occ), t(caller.locale, 'overleg.edited'));
        case 'started': return ownCard(caller, await overlegView(deps, caller, result.occ), t(caller.locale, 'overleg.frozen'), 'attention');
        case 'unknownReference': return ownCard(caller, await overlegView(deps, caller, result.occ), t(caller.locale, 'overleg.unknownReference'), 'attention');
        case 'notFound': return t(caller.locale, 'meeting.notFound');
        case 'refused': return refusalText(caller.locale, result.reason);
      }
    });
    if (changed) await updateShared(context, changed);
    return asCard(answer);
  }, { updatesMessage: false });

  // The decision form of an item: for the one who asked only (no refresh), in place of the overleg card.
  onExecute(app, 'overleg.item', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { itemId } = readFields(data, ['itemId'] as const);
    const form = await decisionForm(deps, caller, itemId);
    switch (form.kind) {
      case 'form': return renderDecisionForm(caller.locale, form.form, { today: today() });
      case 'notRunning': return ownCard(caller, form.view, t(caller.locale, 'overleg.notRunning'), 'attention');
      case 'hidden': return ownCard(caller, form.view, t(caller.locale, 'overleg.hidden'), 'attention');
      case 'notFound': return t(caller.locale, 'meeting.notFound');
      case 'refused': return refusalText(caller.locale, form.reason);
    }
  })), { updatesMessage: false });

  onExecute(app, 'overleg.decide', async (context, data) => {
    const meta = readFields(data, ['itemId', 'version', 'correctsId', 'nonce'] as const);
    const draft = decisionDraftOf(readFields(data, DECISION_FORM_FIELDS));
    let changed: string | undefined;
    const answer = await withCaller(context, async (caller) => {
      const result = await decide(deps, requestOf(context), caller, meta.itemId, { version: meta.version, correctsId: meta.correctsId, nonce: meta.nonce || requestOf(context).correlationId, draft });
      switch (result.kind) {
        case 'decided':
          changed = result.view.occurrenceId;
          return ownCard(caller, result.view, t(caller.locale, 'overleg.decided'));
        case 'duplicate': return ownCard(caller, result.view, t(caller.locale, 'overleg.duplicate'));
        // The decision that won has brought the shared card up to date already (it may be this click's own twin).
        case 'conflict':
          return ownCard(caller, result.view, result.by ? t(caller.locale, 'overleg.conflict', { by: result.by }) : t(caller.locale, 'overleg.conflictAnon'), 'attention');
        case 'invalid': return renderDecisionForm(caller.locale, result.form, { today: today(), draft, errors: result.errors, nonce: meta.nonce });
        case 'impossible': return ownCard(caller, result.view, t(caller.locale, result.why === 'actionClosed' ? 'overleg.actionClosed' : 'overleg.impossible'), 'attention');
        case 'notRunning': return ownCard(caller, result.view, t(caller.locale, 'overleg.notRunning'), 'attention');
        case 'hidden': return ownCard(caller, result.view, t(caller.locale, 'overleg.hidden'), 'attention');
        case 'notFound': return t(caller.locale, 'meeting.notFound');
        case 'refused': return refusalText(caller.locale, result.reason);
      }
    });
    if (changed) await updateShared(context, changed);
    return asCard(answer);
  }, { updatesMessage: false });

  const finish = async (context: TurnContext, caller: Caller, occurrenceId?: string): Promise<{ answer: Answer; minutes?: AdaptiveCard; occurrenceId?: string }> => {
    const result = await finishOverleg(deps, requestOf(context), caller, occurrenceId);
    switch (result.kind) {
      case 'closed': return { answer: await ownCard(caller, await overlegView(deps, caller, result.occ), t(caller.locale, 'overleg.state.closed')),
        minutes: renderMinutesCard(CHANNEL_LOCALE, result.minutes), occurrenceId: result.occ.id };
      case 'alreadyClosed': return { answer: t(caller.locale, 'overleg.closed') };
      case 'notStarted': return { answer: t(caller.locale, 'overleg.notStarted') };
      case 'noneToday': return { answer: t(caller.locale, 'overleg.noneToday') };
      case 'notFound': return { answer: t(caller.locale, 'meeting.notFound') };
      case 'refused': return { answer: refusedText(caller, result.reason) };
    }
  };

  app.message(/^\s*(overleg\s+afronden|finish\s+(the\s+)?meeting)\s*$/i, async (context) => {
    let minutes: AdaptiveCard | undefined;
    const answer = await withCaller(context, async (caller) => {
      const finished = await finish(context, caller);
      minutes = finished.minutes;
      return finished.answer;
    });
    // The minutes are the answer the channel needs; the overleg card itself shows it closed at its next refresh.
    await replyWith(context, minutes ?? answer);
  });

  onExecute(app, 'overleg.finish', async (context, data) => {
    const { occurrenceId } = readFields(data, ['occurrenceId'] as const);
    let minutes: AdaptiveCard | undefined;
    let closed: string | undefined;
    const answer = await withCaller(context, async (caller) => {
      const finished = await finish(context, caller, occurrenceId);
      minutes = finished.minutes;
      closed = finished.occurrenceId;
      return finished.answer;
    });
    if (minutes) await context.sendActivity({ attachments: [asAttachment(minutes)] });
    if (closed) await updateShared(context, closed);
    return asCard(answer);
  }, { updatesMessage: false });

  onExecute(app, 'minutes.export', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { occurrenceId } = readFields(data, ['occurrenceId'] as const);
    const link = await requestMinutesPdf(deps, requestOf(context), caller, occurrenceId, publicBaseUrl());
    return link.kind === 'link' ? renderNotice(t(caller.locale, 'minutes.link', { url: link.url }), 'default', true) : t(caller.locale, 'meeting.notFound');
  })), { updatesMessage: false });

  app.message(/^\s*(mijn\s+acties|mijn\s+actiepunten|my\s+actions|my\s+action\s+items)\s*$/i, async (context) => {
    await replyWith(context, await withCaller(context, async (caller) => renderActionList(caller.locale, await myActions(deps, requestOf(context), caller))));
  });

  onExecute(app, 'action.done', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { actionId } = readFields(data, ['actionId'] as const);
    const note = readFields(data, [noteFieldOf(actionId)])[noteFieldOf(actionId)];
    const result = await completeAction(deps, requestOf(context), caller, actionId, note);
    switch (result.kind) {
      case 'done': return renderActionList(caller.locale, result.actions, { text: t(caller.locale, 'actions.done'), tone: 'good' });
      case 'alreadyDone': return renderActionList(caller.locale, result.actions, { text: t(caller.locale, 'actions.alreadyDone'), tone: 'attention' });
      case 'noteRequired': return renderActionList(caller.locale, await myActions(deps, requestOf(context), caller), { text: t(caller.locale, 'actions.noteRequired'), tone: 'attention' });
      case 'noteTooLong': return renderActionList(caller.locale, await myActions(deps, requestOf(context), caller), { text: t(caller.locale, 'actions.noteTooLong'), tone: 'attention' });
      case 'notFound': return t(caller.locale, 'actions.notFound');
    }
  })), { updatesMessage: false });

  // Teams' meeting events, in the meeting's chat. Unreliable, so only ever in addition to the scheduled agenda post.
  app.meetings.start(async (context) => {
    const posts = await meetingStarted(deps, { serviceUrl: context.activity.serviceUrl, conversationId: context.activity.conversation.id });
    for (const post of posts) await sender.postAgenda(post);
  });
  app.meetings.end(async (context) => {
    const ended = await meetingEnded(deps, { conversationId: context.activity.conversation.id }, requestOf(context).correlationId);
    if (ended) await sender.postMinutes(ended.minutes, ended.at);
  });
}
