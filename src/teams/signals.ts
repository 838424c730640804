// The signal feature at the edge: commands, the form as inline card (Action.Execute) and as dialog
// (task/fetch + task/submit), list and open. Parses the activity, calls a service, renders.
import { CardFactory, type TaskModuleTaskInfo, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import type { Caller, Locale } from '../domain/caller.js';
import { localDate, type SignalDraft } from '../domain/signalIntake.js';
import type { ServiceDeps } from '../services/context.js';
import { fileSignal, listSignals, openSignal, prepareSignalForm, type FileResult, type Refusal } from '../services/signals.js';
import { callerOf } from './callers.js';
import { asAttachment, renderNotice, renderSignalCard, renderSignalForm, renderSignalList, type AdaptiveCard } from './cards.js';
import { requestOf } from './context.js';
import { localeOf, t, type StringKey } from './strings.js';

const text = z.preprocess((v) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)), z.string());
const submitSchema = z.object({
  nonce: text, scopeId: text, phenomenon: text, description: text, location: text, observedOn: text,
}).passthrough();

type Submitted = z.infer<typeof submitSchema>;

function parseSubmit(data: unknown): Submitted {
  const parsed = submitSchema.safeParse(typeof data === 'object' && data !== null ? data : {});
  return parsed.success ? parsed.data : submitSchema.parse({});
}

const draftOf = (s: Submitted): SignalDraft => ({
  scopeId: s.scopeId, phenomenon: s.phenomenon, description: s.description, location: s.location, observedOn: s.observedOn,
});

const refusalText = (locale: Locale, reason: Refusal | 'unidentified'): string =>
  t(locale, `refused.${reason === 'unidentified' ? 'noScope' : reason}` as StringKey);

export function registerSignalRoutes(app: Application<TurnState>, deps: ServiceDeps): void {
  const today = () => localDate(deps.now());
  const localeFor = (context: TurnContext, caller: Caller | undefined): Locale => caller?.locale ?? localeOf(context.activity.locale);

  async function formFor(caller: Caller, mode: 'inline' | 'dialog'): Promise<AdaptiveCard | Refusal> {
    const form = await prepareSignalForm(deps, caller);
    if (form.kind === 'refused') return form.reason;
    return renderSignalForm(caller.locale, { mode, scopes: form.scopes, fixedScopeId: form.fixedScopeId, today: today() });
  }

  async function submit(context: TurnContext, data: unknown, mode: 'inline' | 'dialog'): Promise<{ result: FileResult | { kind: 'refused'; reason: 'unidentified' }; card: AdaptiveCard; locale: Locale }> {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    if (!caller) return { result: { kind: 'refused', reason: 'unidentified' }, card: renderNotice(refusalText(locale, 'unidentified'), 'attention'), locale };
    const submitted = parseSubmit(data);
    // A submit without a nonce (not from our card) is still processed once, just not recognised if repeated.
    const nonce = submitted.nonce !== '' ? submitted.nonce : requestOf(context).correlationId;
    const result = await fileSignal(deps, requestOf(context), caller, draftOf(submitted), nonce);
    switch (result.kind) {
      case 'created':
      case 'duplicate':
        return { result, locale, card: renderSignalCard(locale, result.signal, t(locale, 'signal.saved', { reference: result.signal.reference })) };
      case 'invalid':
        return { result, locale, card: renderSignalForm(locale, { mode, scopes: result.form.scopes, fixedScopeId: result.form.fixedScopeId,
          today: today(), draft: draftOf(submitted), errors: result.errors, nonce }) };
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

  app.message(/^\s*(signalen|signals)\s*$/i, async (context) => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    if (!caller) return void (await context.sendActivity(refusalText(locale, 'unidentified')));
    const result = await listSignals(deps, requestOf(context), caller);
    if (result.kind === 'refused') await context.sendActivity(refusalText(locale, result.reason));
    else await context.sendActivity({ attachments: [asAttachment(renderSignalList(locale, result.signals, result.total))] });
  });

  app.message(/^\s*(signaal|signal)(\s+.*)?$/i, async (context) => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    const reference = (context.activity.text ?? '').trim().split(/\s+/)[1] ?? '';
    if (reference === '') return void (await context.sendActivity(t(locale, 'usage.signal')));
    if (!caller) return void (await context.sendActivity(refusalText(locale, 'unidentified')));
    const result = await openSignal(deps, requestOf(context), caller, reference);
    if (result.kind === 'refused') await context.sendActivity(refusalText(locale, result.reason));
    else if (result.kind === 'notFound') await context.sendActivity(t(locale, 'notFound', { reference: reference.slice(0, 40) }));
    else await context.sendActivity({ attachments: [asAttachment(renderSignalCard(locale, result.signal))] });
  });

  // The help card's button: the help card turns into the form.
  app.adaptiveCards.actionExecute('signal.openForm', async (context) => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    const form = caller ? await formFor(caller, 'inline') : 'unidentified';
    return typeof form === 'string' ? renderNotice(refusalText(locale, form), 'attention') : form;
  });

  app.adaptiveCards.actionExecute('signal.submit', async (context, _state, data) => {
    const { card } = await submit(context, data, 'inline');
    return card;
  });

  app.taskModules.fetch('signal.form', async (context): Promise<TaskModuleTaskInfo | string> => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    const form = caller ? await formFor(caller, 'dialog') : 'unidentified';
    if (typeof form === 'string') return refusalText(locale, form);
    return { title: t(locale, 'form.title'), width: 'medium', height: 'large', card: CardFactory.adaptiveCard(form) };
  });

  app.taskModules.submit('signal.form', async (context, _state, data): Promise<TaskModuleTaskInfo | string> => {
    const { result, card, locale } = await submit(context, data, 'dialog');
    switch (result.kind) {
      case 'invalid':
        return { title: t(locale, 'form.title'), width: 'medium', height: 'large', card: CardFactory.adaptiveCard(card) };
      case 'created':
        // The dialog closes; the conversation gets the signal card (once: a repeated submit only gets the message).
        await context.sendActivity({ attachments: [asAttachment(renderSignalCard(locale, result.signal))] });
        return t(locale, 'signal.saved', { reference: result.signal.reference });
      case 'duplicate':
        return t(locale, 'signal.saved', { reference: result.signal.reference });
      case 'refused':
        return refusalText(locale, result.reason);
    }
  });
}
