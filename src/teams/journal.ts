// The journal at the edge: `journaal <ref>`, the Journaal button on signal and case cards, adding entries (inline,
// embedded in the card, as a dialog), corrections, paging, export links and the chain check.
import { CardFactory, type TaskModuleTaskInfo, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Caller } from '../domain/caller.js';
import { localDate } from '../domain/signalIntake.js';
import type { ServiceDeps } from '../services/context.js';
import { requestExport } from '../services/exports.js';
import { addEntry, readJournal, verifyForCaller, type AddEntryResult, type DossierRef } from '../services/journal.js';
import { isUuid } from '../domain/identifiers.js';
import { normaliseReference, referenceKind } from '../domain/reference.js';
import { answerAsCaller, asCard, replyWith, type Answer } from './answers.js';
import { callerOf } from './callers.js';
import { onExecute } from './execute.js';
import { markdownUrl, renderNotice, type AdaptiveCard } from './cards.js';
import { requestOf } from './context.js';
import { entryErrorText, renderEntryForm, renderJournalCard } from './journalCards.js';
import { localeFor, refusalText } from './signals.js';
import { formatDateTime, t } from './strings.js';
import { readFields } from './submits.js';

/**
 * The dossier a journal button is about: by its id when the card carries one (a reference can name a signal in each
 * municipality the caller works for), else by the reference typed or shown.
 */
function dossierOf(data: unknown): { reference: string } | DossierRef {
  const { reference, dossierId } = readFields(data, ['reference', 'dossierId'] as const);
  const normalised = normaliseReference(reference);
  if (!isUuid(dossierId) || !normalised) return { reference };
  return referenceKind(normalised) === 'case' ? { caseId: dossierId } : { signalId: dossierId };
}

const ENTRY_KEYS = ['kind', 'text', 'occurredOn', 'occurredTime', 'source', 'sourceReliability', 'informationReliability', 'legalBasis', 'links'] as const;

export function registerJournalRoutes(app: Application<TurnState>, deps: ServiceDeps, publicBaseUrl: () => string): void {
  const today = () => localDate(deps.now());

  async function showJournal(caller: Caller, context: TurnContext, by: { reference: string } | DossierRef, page = 1, notice?: string, tone?: 'good' | 'attention'): Promise<AdaptiveCard | string> {
    const result = await readJournal(deps, requestOf(context), caller, by, page);
    const shown = 'reference' in by ? by.reference.slice(0, 40) : '';
    if (result.kind === 'refused') return refusalText(caller.locale, result.reason);
    if (result.kind === 'notFound') return t(caller.locale, 'notFound', { reference: shown });
    if (result.kind === 'ambiguous') return t(caller.locale, 'journal.ambiguous', { reference: shown });
    return renderJournalCard(caller.locale, result.page, { today: today(), notice, tone });
  }

  const withCaller = async (context: TurnContext, run: (caller: Caller) => Promise<Answer>): Promise<AdaptiveCard> =>
    asCard(await answerAsCaller(deps, context, run));

  /** The answer to an add: the journal with a notice, or the form again with the errors and the input kept. */
  function afterAdd(caller: Caller, result: AddEntryResult, mode: 'inline' | 'dialog', draft: Record<(typeof ENTRY_KEYS)[number], string>, nonce: string): AdaptiveCard | string {
    const locale = caller.locale;
    switch (result.kind) {
      case 'added': return renderJournalCard(locale, result.page, { today: today(), notice: t(locale, 'journal.added', { sequence: result.sequence }) });
      case 'duplicate': return renderJournalCard(locale, result.page, { today: today(), notice: t(locale, 'journal.duplicate') });
      case 'invalid': return renderEntryForm(locale, result.page, { mode, today: today(), draft, errors: result.errors, nonce });
      case 'notFound': return t(locale, 'signal.noAccess');
      case 'refused': return refusalText(locale, result.reason);
    }
  }

  app.message(/^\s*(journaal|journal)\s+(controleren|verify)\s*$/i, async (context) => {
    const caller = await callerOf(deps, context);
    if (!caller) return void (await context.sendActivity(refusalText(localeFor(context, caller), 'unidentified')));
    const report = await verifyForCaller(deps, requestOf(context), caller);
    if ('kind' in report) return void (await context.sendActivity(refusalText(caller.locale, report.reason)));
    await context.sendActivity(report.broken.length === 0
      ? t(caller.locale, 'journal.verify.ok', { dossiers: report.dossiers, entries: report.entries })
      : t(caller.locale, 'journal.verify.broken', { dossiers: report.dossiers, entries: report.entries,
        list: report.broken.map((b) => `${b.reference} #${b.break.sequence} (${b.break.problem})`).join('; ') }));
  });

  app.message(/^\s*(journaal|journal)(\s+\S+)?\s*$/i, async (context) => {
    const caller = await callerOf(deps, context);
    const reference = (context.activity.text ?? '').trim().split(/\s+/)[1] ?? '';
    if (!caller) return void (await context.sendActivity(refusalText(localeFor(context, caller), 'unidentified')));
    if (reference === '') return void (await context.sendActivity(t(caller.locale, 'usage.signal')));
    const answer = await showJournal(caller, context, { reference });
    await replyWith(context, answer);
  });

  onExecute(app, 'journal.show', (context, data) => withCaller(context, (caller) => showJournal(caller, context, dossierOf(data))));

  onExecute(app, 'journal.page', (context, data) => withCaller(context, (caller) => {
    const f = readFields(data, ['page'] as const);
    return showJournal(caller, context, dossierOf(data), Math.max(1, Number.parseInt(f.page, 10) || 1));
  }));

  onExecute(app, 'journal.add', (context, data) => withCaller(context, async (caller) => {
    const f = readFields(data, ['nonce'] as const);
    const draft = readFields(data, ENTRY_KEYS);
    const nonce = f.nonce || requestOf(context).correlationId;
    return afterAdd(caller, await addEntry(deps, requestOf(context), caller, dossierOf(data), draft, nonce), 'inline', draft, nonce);
  }));

  onExecute(app, 'journal.correct', (context, data) => withCaller(context, async (caller) => {
    const f = readFields(data, ['nonce', 'sequence'] as const);
    const sequence = Number.parseInt(f.sequence, 10);
    const text = readFields(data, [`correction_${f.sequence}`])[`correction_${f.sequence}`];
    const draft = { kind: 'correctie', text, occurredOn: today(), occurredTime: '', source: '', sourceReliability: '', informationReliability: '', legalBasis: '', links: '' };
    const result = await addEntry(deps, requestOf(context), caller, dossierOf(data), draft, f.nonce || requestOf(context).correlationId,
      Number.isInteger(sequence) && sequence > 0 ? sequence : -1);
    if (result.kind === 'invalid') {
      // Say what is wrong: the text (too short, too long), or an entry that is not there; the typed text stays.
      const textError = result.errors.find((e) => e.field === 'text');
      const notice = !textError ? t(caller.locale, 'journal.correctUnknown', { sequence: f.sequence })
        : textError.code === 'required' || textError.code === 'tooShort' ? t(caller.locale, 'journal.correctError') : entryErrorText(caller.locale, textError);
      return renderJournalCard(caller.locale, result.page, { today: today(), notice, tone: 'attention', correction: { sequence, text } });
    }
    return afterAdd(caller, result, 'inline', draft, f.nonce);
  }));

  app.taskModules.fetch('journal.form', async (context, _state, data): Promise<TaskModuleTaskInfo | string> => {
    const caller = await callerOf(deps, context);
    if (!caller) return refusalText(localeFor(context, caller), 'unidentified');
    const result = await readJournal(deps, requestOf(context), caller, dossierOf(data));
    if (result.kind !== 'page') return result.kind === 'refused' ? refusalText(caller.locale, result.reason) : t(caller.locale, 'signal.noAccess');
    return { title: t(caller.locale, 'journal.formTitle', { reference: result.page.dossier.reference }), width: 'large', height: 'large',
      card: CardFactory.adaptiveCard(renderEntryForm(caller.locale, result.page, { mode: 'dialog', today: today() })) };
  });

  app.taskModules.submit('journal.form', async (context, _state, data): Promise<TaskModuleTaskInfo | string> => {
    const caller = await callerOf(deps, context);
    if (!caller) return refusalText(localeFor(context, caller), 'unidentified');
    const f = readFields(data, ['nonce'] as const);
    const draft = readFields(data, ENTRY_KEYS);
    const nonce = f.nonce || requestOf(context).correlationId;
    const result = await addEntry(deps, requestOf(context), caller, dossierOf(data), draft, nonce);
    if (result.kind === 'invalid') {
      return { title: t(caller.locale, 'journal.formTitle', { reference: result.page.dossier.reference }), width: 'large', height: 'large',
        card: CardFactory.adaptiveCard(renderEntryForm(caller.locale, result.page, { mode: 'dialog', today: today(), draft, errors: result.errors, nonce })) };
    }
    const answer = afterAdd(caller, result, 'dialog', draft, nonce);
    return typeof answer === 'string' ? answer : result.kind === 'added' ? t(caller.locale, 'journal.added', { sequence: result.sequence }) : t(caller.locale, 'journal.duplicate');
  });

  // The link is answered to the requester only (the journal card has no refresh, so Teams replaces it for them alone).
  onExecute(app, 'dossier.export', (context, data) => withCaller(context, async (caller) => {
    const f = readFields(data, ['recipient', 'legalBasis'] as const);
    const result = await requestExport(deps, requestOf(context), caller, dossierOf(data), { recipient: f.recipient, legalBasis: f.legalBasis }, publicBaseUrl());
    switch (result.kind) {
      case 'link': return renderNotice(t(caller.locale, 'export.ready', { reference: result.reference, url: markdownUrl(result.url), time: formatDateTime(caller.locale, result.expiresAt) }), 'default', true);
      case 'invalid': return showJournal(caller, context, dossierOf(data), 1, t(caller.locale, `export.invalid.${result.field}`), 'attention');
      case 'notFound': return t(caller.locale, 'signal.noAccess');
      case 'refused': return refusalText(caller.locale, result.reason);
    }
  }));
}
