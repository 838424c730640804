// Lists, worklist, search and opening a record by reference; the search message extension.
import { CardFactory, type MessagingExtensionResult, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Caller, Locale } from '../domain/caller.js';
import { normaliseReference, referenceKind } from '../domain/reference.js';
import { openCase, listCases } from '../services/cases.js';
import type { ServiceDeps } from '../services/context.js';
import { listSignals, openSignal, search, worklist, type ListQuery, type ListResult } from '../services/signals.js';
import { replyWith } from './answers.js';
import { callerOf } from './callers.js';
import { onExecute } from './execute.js';
import { renderCaseCard } from './caseCards.js';
import { asAttachment, renderNotice, type AdaptiveCard } from './cards.js';
import { requestOf } from './context.js';
import { renderList, renderWorklist, type ListRequest } from './listCards.js';
import { localeFor, refusalText, signalCardFor } from './signals.js';
import { t } from './strings.js';
import { readFields } from './submits.js';

export const SEARCH_COMMAND = 'findRecord';

const LIST_KINDS = ['recent', 'mine', 'open', 'overdue', 'cases', 'status', 'phenomenon', 'assignee', 'search'] as const;

function toQuery(r: ListRequest): ListQuery | 'cases' | { search: string } {
  switch (r.list) {
    case 'recent': case 'mine': case 'open': case 'overdue': return { kind: r.list };
    case 'cases': return 'cases';
    case 'status': return { kind: 'status', status: r.value };
    case 'phenomenon': return { kind: 'phenomenon', phenomenon: r.value };
    case 'assignee': return { kind: 'assignee', aadObjectId: r.value === '' ? null : r.value };
    case 'search': return { search: r.value };
  }
}

/** A list request from card data ("meer", a worklist row); anything unexpected becomes the first page of recent. */
function readListRequest(data: unknown): ListRequest {
  const f = readFields(data, ['list', 'value', 'label', 'page'] as const);
  const page = Math.max(1, Math.min(Number.parseInt(f.page, 10) || 1, 1000));
  const list = (LIST_KINDS as readonly string[]).includes(f.list) ? (f.list as ListRequest['list']) : 'recent';
  if (list === 'status' || list === 'phenomenon' || list === 'assignee' || list === 'search') return { list, value: f.value, label: f.label || undefined, page };
  return { list, page } as ListRequest;
}

export function registerListRoutes(app: Application<TurnState>, deps: ServiceDeps): void {
  async function runList(caller: Caller, context: TurnContext, request: ListRequest): Promise<AdaptiveCard | string> {
    const query = toQuery(request);
    const req = requestOf(context);
    const result: ListResult = query === 'cases' ? await listCases(deps, req, caller, request.page)
      : 'search' in query ? await search(deps, req, caller, query.search, request.page)
        : await listSignals(deps, req, caller, query, request.page);
    if (result.kind === 'refused') return refusalText(caller.locale, result.reason);
    return renderList(caller.locale, request, result);
  }

  /** audience 'interactor': the card answers a click in someone else's list, so it must not replace that message for all. */
  /** By reference, or (from a list row) by id, which stays unambiguous across municipalities. */
  async function openRecord(caller: Caller, context: TurnContext, text: string, audience: 'everyone' | 'interactor' = 'everyone',
    byId?: { kind: 'signal' | 'case'; id: string }): Promise<AdaptiveCard | string> {
    const locale = caller.locale;
    const reference = normaliseReference(text);
    if (!reference && !byId) return t(locale, 'notFound', { reference: text.slice(0, 40) });
    const shown = reference ?? text.slice(0, 40);
    if (byId ? byId.kind === 'case' : referenceKind(shown) === 'case') {
      const result = await openCase(deps, requestOf(context), caller, byId ? { id: byId.id } : { reference: shown });
      if (result.kind === 'refused') return refusalText(locale, result.reason);
      return result.kind === 'done' ? renderCaseCard(locale, result.detail) : t(locale, 'notFound', { reference: shown });
    }
    const result = await openSignal(deps, requestOf(context), caller, byId ? { id: byId.id } : { reference: shown });
    if (result.kind === 'refused') return refusalText(locale, result.reason);
    if (result.kind === 'ambiguous') return runList(caller, context, { list: 'search', value: shown, page: 1 });
    return result.kind === 'found' ? signalCardFor(deps, caller, result.detail, undefined, undefined, audience) : t(locale, 'notFound', { reference: shown });
  }

  /** Handlers that need a known caller; an unidentified sender gets the usual refusal. */
  function withCaller(handler: (caller: Caller, context: TurnContext, text: string) => Promise<AdaptiveCard | string>) {
    return async (context: TurnContext) => {
      const caller = await callerOf(deps, context);
      if (!caller) return void (await context.sendActivity(refusalText(localeFor(context, caller), 'unidentified')));
      await replyWith(context, await handler(caller, context, (context.activity.text ?? '').trim()));
    };
  }

  const lists: [RegExp, ListRequest][] = [
    [/^\s*(signalen|signals)\s*$/i, { list: 'recent', page: 1 }],
    [/^\s*(mijn\s+signalen|my\s+signals)\s*$/i, { list: 'mine', page: 1 }],
    [/^\s*(open\s+signalen|open\s+signals)\s*$/i, { list: 'open', page: 1 }],
    [/^\s*(over\s+tijd|overdue)\s*$/i, { list: 'overdue', page: 1 }],
    [/^\s*(casussen|cases)\s*$/i, { list: 'cases', page: 1 }],
  ];
  for (const [pattern, request] of lists) app.message(pattern, withCaller((caller, context) => runList(caller, context, request)));

  app.message(/^\s*(werklijst|worklist|overzicht|overview)\s*$/i, withCaller(async (caller, context) => {
    const result = await worklist(deps, requestOf(context), caller);
    return result.kind === 'refused' ? refusalText(caller.locale, result.reason) : renderWorklist(caller.locale, result.worklist);
  }));

  app.message(/^\s*(zoek|search)(\s+.*)?$/i, withCaller(async (caller, context, text) => {
    const query = text.replace(/^\s*(zoek|search)\s*/i, '').trim();
    if (query === '') return t(caller.locale, 'usage.search');
    return runList(caller, context, { list: 'search', value: query.slice(0, 200), page: 1 });
  }));

  app.message(/^\s*(signaal|signal|open|casus|case)(\s+\S+)?\s*$/i, withCaller(async (caller, context, text) => {
    const reference = text.split(/\s+/)[1] ?? '';
    return reference === '' ? t(caller.locale, 'usage.signal') : openRecord(caller, context, reference);
  }));

  const cardList = async (context: TurnContext, data: unknown) => {
    const caller = await callerOf(deps, context);
    if (!caller) return renderNotice(refusalText(localeFor(context, caller), 'unidentified'), 'attention');
    const answer = await runList(caller, context, readListRequest(data));
    return typeof answer === 'string' ? renderNotice(answer, 'attention') : answer;
  };
  onExecute(app, 'list.more', (context, data) => cardList(context, data));
  onExecute(app, 'list.show', (context, data) => cardList(context, data));

  onExecute(app, 'record.open', async (context, data) => {
    const caller = await callerOf(deps, context);
    const locale: Locale = localeFor(context, caller);
    if (!caller) return renderNotice(refusalText(locale, 'unidentified'), 'attention');
    const f = readFields(data, ['reference', 'id', 'kind'] as const);
    const kind: 'signal' | 'case' | undefined = f.kind === 'signal' ? 'signal' : f.kind === 'case' ? 'case' : undefined;
    const byId = kind && /^[0-9a-f-]{36}$/.test(f.id) ? { kind, id: f.id } : undefined;
    const answer = await openRecord(caller, context, f.reference, 'interactor', byId);
    return typeof answer === 'string' ? renderNotice(answer, 'attention') : answer;
  });

  // teams-ai reads a query's parameters with forEach and their names without a check: a crafted query whose
  // parameters are not a list of objects would end in an exception, so they are made one before it routes.
  app.turn('beforeTurn', async (context) => {
    const a = context.activity;
    if (a.type === 'invoke' && a.name === 'composeExtension/query' && typeof a.value === 'object' && a.value !== null) {
      const value = a.value as { parameters?: unknown };
      value.parameters = Array.isArray(value.parameters) ? value.parameters.filter((p) => typeof p === 'object' && p !== null) : [];
    }
    return true;
  });

  // The search message extension: find a signal or case and insert its card into the conversation.
  app.messageExtensions.query(SEARCH_COMMAND, async (context, _state, query): Promise<MessagingExtensionResult> => {
    const caller = await callerOf(deps, context);
    const text = String((query.parameters as Record<string, unknown>).query ?? '').trim().slice(0, 200);
    if (!caller || text === '') return { type: 'result', attachmentLayout: 'list', attachments: [] };
    // Teams asks in pages (skip, count); our search pages by ten.
    const skip = Number(query.skip);
    const found = await search(deps, requestOf(context), caller, text, Math.floor(Math.max(0, Number.isFinite(skip) ? skip : 0) / 10) + 1);
    if (found.kind === 'refused') return { type: 'message', text: refusalText(caller.locale, found.reason) };
    const attachments = [];
    for (const item of found.items) {
      const card = await openRecord(caller, context, item.reference, 'everyone', { kind: item.kind, id: item.id });
      if (typeof card === 'string') continue;
      const preview = CardFactory.thumbnailCard(`${item.reference} · ${item.title[caller.locale]}`, item.subtitle);
      attachments.push({ ...asAttachment(card), preview });
    }
    return { type: 'result', attachmentLayout: 'list', attachments };
  });
}
