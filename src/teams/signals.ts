// The signal feature at the edge: the form (inline with Action.Execute, as a dialog, and from a message via
// the message action), the signal card with its per-viewer refresh, transitions and assignment.
import { CardFactory, type TaskModuleTaskInfo, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Caller, Locale } from '../domain/caller.js';
import { recogniseFromText } from '../domain/recognise.js';
import { localDate } from '../domain/signalIntake.js';
import type { ServiceDeps } from '../services/context.js';
import { cardAudience } from '../services/scopes.js';
import type { Refusal } from '../services/callers.js';
import { fileSignal, openSignal, prepareSignalForm, type FileResult, type SignalDetail } from '../services/signals.js';
import { assignSignal, transitionSignal } from '../services/signalWorkflow.js';
import { callerOf } from './callers.js';
import { onExecute } from './execute.js';
import { asAttachment, renderNotice, type AdaptiveCard } from './cards.js';
import { requestOf } from './context.js';
import { renderSignalCard, renderSignalForm } from './signalCards.js';
import { localeOf, t, type StringKey } from './strings.js';
import { readDraft, readFields } from './submits.js';

export const MESSAGE_ACTION_COMMAND = 'createSignalFromMessage';
const MAX_REFRESH_USERS = 60;

export const refusalText = (locale: Locale, reason: Refusal | 'unidentified'): string =>
  t(locale, `refused.${reason === 'unidentified' ? 'noScope' : reason}` as StringKey);

export const localeFor = (context: TurnContext, caller: Caller | undefined): Locale => caller?.locale ?? localeOf(context.activity.locale);

/**
 * The signal card for this viewer, refreshed per user for everyone in the signal's scope (Universal Actions).
 * A card with a refresh replaces the shared message for everyone (teams-ai does that); a rejection or a card
 * opened from a list is for the one who asked, so it goes without.
 */
export async function signalCardFor(deps: ServiceDeps, caller: Caller, detail: SignalDetail, notice?: string, tone?: 'good' | 'attention',
  audience: 'everyone' | 'interactor' = 'everyone'): Promise<AdaptiveCard> {
  const refreshUserIds = audience === 'everyone' ? await cardAudience(deps, detail.signal.scopeId, MAX_REFRESH_USERS) : [];
  return renderSignalCard(caller.locale, detail, { notice, tone, refreshUserIds });
}

/** Strips the HTML of a Teams message body to plain text. */
function plainText(html: string): string {
  return html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '\n').replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").trim();
}

interface MessagePayload { body?: { content?: string }; from?: { user?: { displayName?: string } }; linkToMessage?: string }

export function registerSignalRoutes(app: Application<TurnState>, deps: ServiceDeps): void {
  const today = () => localDate(deps.now());

  async function formFor(caller: Caller, mode: 'inline' | 'dialog'): Promise<AdaptiveCard | Refusal> {
    const form = await prepareSignalForm(deps, caller);
    if (form.kind === 'refused') return form.reason;
    return renderSignalForm(caller.locale, { mode, scopes: form.scopes, fixedScopeId: form.fixedScopeId, today: today() });
  }

  type SubmitOutcome = { result: FileResult | { kind: 'refused'; reason: 'unidentified' }; card: AdaptiveCard; locale: Locale };

  async function submit(context: TurnContext, data: unknown, mode: 'inline' | 'dialog' | 'extension'): Promise<SubmitOutcome> {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    if (!caller) return { result: { kind: 'refused', reason: 'unidentified' }, card: renderNotice(refusalText(locale, 'unidentified'), 'attention'), locale };
    const meta = readFields(data, ['nonce', 'sourceUrl', 'sourceAuthor'] as const);
    // A submit without a nonce (not from our card) is still processed once, just not recognised if repeated.
    const nonce = meta.nonce !== '' ? meta.nonce : requestOf(context).correlationId;
    // Only the message action's own form names a source message, and only an https link to it is kept.
    const fromMessage = mode === 'extension' && /^https:\/\/\S+$/.test(meta.sourceUrl) ? { url: meta.sourceUrl, author: meta.sourceAuthor.slice(0, 200) } : undefined;
    const draft = readDraft(data);
    const result = await fileSignal(deps, requestOf(context), caller, draft, nonce,
      fromMessage ? { messageUrl: fromMessage.url, messageAuthor: fromMessage.author } : {});
    switch (result.kind) {
      case 'created':
      case 'duplicate':
        return { result, locale, card: await signalCardFor(deps, caller, result.detail, t(locale, 'signal.saved', { reference: result.detail.signal.reference })) };
      case 'filedOutOfSight':
        // Without a refresh: this answer reaches the filer alone, the channel keeps the (empty) form.
        return { result, locale, card: renderNotice(t(locale, 'signal.savedOutOfSight', { reference: result.reference })) };
      case 'invalid':
        return { result, locale, card: renderSignalForm(locale, { mode, scopes: result.form.scopes, fixedScopeId: result.form.fixedScopeId,
          today: today(), draft, errors: result.errors, nonce, fromMessage }) };
      case 'refused':
        return { result, locale, card: renderNotice(refusalText(locale, result.reason), 'attention') };
    }
  }

  app.message(/^\s*(nieuw\s+signaal|new\s+signal)\s*$/i, async (context) => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    const form = caller ? await formFor(caller, 'inline') : 'unidentified';
    if (typeof form === 'string') await context.sendActivity(refusalText(locale, form));
    else await context.sendActivity({ attachments: [asAttachment(form)] });
  });

  // The help card's button: the help card turns into the form.
  onExecute(app, 'signal.openForm', async (context) => {
    const caller = await callerOf(deps, context);
    const form = caller ? await formFor(caller, 'inline') : 'unidentified';
    return typeof form === 'string' ? renderNotice(refusalText(localeFor(context, caller), form), 'attention') : form;
  });

  onExecute(app, 'signal.submit', async (context, data) => (await submit(context, data, 'inline')).card);

  app.taskModules.fetch('signal.form', async (context): Promise<TaskModuleTaskInfo | string> => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    const form = caller ? await formFor(caller, 'dialog') : 'unidentified';
    if (typeof form === 'string') return refusalText(locale, form);
    return { title: t(locale, 'form.title'), width: 'large', height: 'large', card: CardFactory.adaptiveCard(form) };
  });

  /** A dialog submit (the form's own dialog or the message action's): keep it open on errors, else close it. */
  async function dialogSubmit(context: TurnContext, data: unknown, mode: 'dialog' | 'extension'): Promise<TaskModuleTaskInfo | string> {
    const { result, card, locale } = await submit(context, data, mode);
    switch (result.kind) {
      case 'invalid':
        return { title: t(locale, mode === 'dialog' ? 'form.title' : 'extension.title'), width: 'large', height: 'large', card: CardFactory.adaptiveCard(card) };
      case 'created':
        // The dialog closes; the conversation gets the signal card (once: a repeated submit only gets the message).
        await context.sendActivity({ attachments: [asAttachment(card)] });
        return t(locale, 'signal.saved', { reference: result.detail.signal.reference });
      case 'duplicate':
        return t(locale, 'signal.saved', { reference: result.detail.signal.reference });
      case 'filedOutOfSight':
        return t(locale, 'signal.savedOutOfSight', { reference: result.reference });
      case 'refused':
        return refusalText(locale, result.reason);
    }
  }

  app.taskModules.submit('signal.form', (context, _state, data) => dialogSubmit(context, data, 'dialog'));

  // "Maak signaal van dit bericht": the form pre-filled with the message, its author, a link, and what can be recognised.
  app.messageExtensions.fetchTask(MESSAGE_ACTION_COMMAND, async (context): Promise<TaskModuleTaskInfo | string> => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    if (!caller) return refusalText(locale, 'unidentified');
    const form = await prepareSignalForm(deps, caller);
    if (form.kind === 'refused') return refusalText(locale, form.reason);
    const value = (context.activity.value ?? {}) as { messagePayload?: MessagePayload };
    const payload = value.messagePayload ?? {};
    const text = plainText(payload.body?.content ?? '').slice(0, 4000);
    const author = (payload.from?.user?.displayName ?? '').slice(0, 200);
    const url = (payload.linkToMessage ?? '').slice(0, 2000);
    const country = form.scopes[0]?.municipality.country ?? 'NL';
    const recognised = recogniseFromText(text, country, today());
    const card = renderSignalForm(locale, {
      mode: 'extension', scopes: form.scopes, fixedScopeId: form.fixedScopeId, today: today(),
      draft: {
        description: text, street: recognised.street ?? '', houseNumber: recognised.houseNumber ?? '', postcode: recognised.postcode ?? '',
        place: recognised.place ?? '', observedOn: recognised.observedOn ?? today(), company1Kvk: recognised.kvk ?? '',
        sourceType: 'collega',
      },
      fromMessage: { url, author },
    });
    return { title: t(locale, 'extension.title'), width: 'large', height: 'large', card: CardFactory.adaptiveCard(card) };
  });

  app.messageExtensions.submitAction(MESSAGE_ACTION_COMMAND, (context, _state, data) => dialogSubmit(context, data, 'extension'));

  // Universal Actions: every viewer's client asks for its own version of a signal card, for that viewer only.
  onExecute(app, 'signal.refresh', async (context, data) => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    const { signalId } = readFields(data, ['signalId'] as const);
    const result = caller ? await openSignal(deps, requestOf(context), caller, { id: signalId }) : undefined;
    return caller && result?.kind === 'found' ? signalCardFor(deps, caller, result.detail) : renderNotice(t(locale, 'signal.noAccess'), 'attention');
  }, { updatesMessage: false });

  onExecute(app, 'signal.transition', async (context, data) => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    if (!caller) return renderNotice(refusalText(locale, 'unidentified'), 'attention');
    const { signalId, transition } = readFields(data, ['signalId', 'transition'] as const);
    const input = readFields(data, [`reason_${transition}`, `partner_${transition}`]);
    const result = await transitionSignal(deps, requestOf(context), caller, signalId, transition,
      { reason: input[`reason_${transition}`], partner: input[`partner_${transition}`] });
    switch (result.kind) {
      case 'done': return signalCardFor(deps, caller, result.detail, t(locale, `done.${transition}` as StringKey));
      case 'rejected': return signalCardFor(deps, caller, result.detail, t(locale, `reject.${result.code}` as StringKey), 'attention', 'interactor');
      case 'notFound': return renderNotice(t(locale, 'signal.noAccess'), 'attention');
      case 'refused': return renderNotice(refusalText(locale, result.reason), 'attention');
    }
  });

  onExecute(app, 'signal.assign', async (context, data) => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    if (!caller) return renderNotice(refusalText(locale, 'unidentified'), 'attention');
    const { signalId, assigneeAadId } = readFields(data, ['signalId', 'assigneeAadId'] as const);
    const result = await assignSignal(deps, requestOf(context), caller, signalId, assigneeAadId === '' ? null : assigneeAadId);
    switch (result.kind) {
      case 'done': return signalCardFor(deps, caller, result.detail, t(locale, 'done.assign'));
      case 'rejected': return signalCardFor(deps, caller, result.detail, t(locale, `reject.${result.code}` as StringKey), 'attention', 'interactor');
      case 'notFound': return renderNotice(t(locale, 'signal.noAccess'), 'attention');
      case 'refused': return renderNotice(refusalText(locale, result.reason), 'attention');
    }
  });
}
