// Cases at the edge: `casus maken SIG-… SIG-…`, the "Maak casus" button on a discussed signal, phase moves and
// the edit form on the case card.
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Caller } from '../domain/caller.js';
import { changePhase, promoteToCase, shareWithMayor, updateCase, type CaseResult } from '../services/cases.js';
import type { ServiceDeps } from '../services/context.js';
import { answerAsCaller, asCard, replyWith, type Answer } from './answers.js';
import { onExecute } from './execute.js';
import { renderCaseCard, type CaseEditDraft } from './caseCards.js';
import type { AdaptiveCard } from './cards.js';
import { requestOf } from './context.js';
import { refusalText } from './signals.js';
import { t, type StringKey } from './strings.js';
import { readFields } from './submits.js';

const FIELD_LABELS: Record<string, StringKey> = { measures: 'case.measures', title: 'case.editTitle', targetDate: 'case.targetDate', leadAadId: 'case.lead' };

function caseAnswer(caller: Caller, result: CaseResult, success: string, draft?: CaseEditDraft): AdaptiveCard | string {
  const locale = caller.locale;
  switch (result.kind) {
    case 'done': return renderCaseCard(locale, result.detail, { notice: success });
    case 'rejected': {
      const text = t(locale, `reject.${result.code}` as StringKey, { field: result.field ? t(locale, FIELD_LABELS[result.field] ?? 'case.edit') : '' });
      return result.detail ? renderCaseCard(locale, result.detail, { notice: text, tone: 'attention', draft }) : text;
    }
    case 'notFound': return result.missing ? t(locale, 'reject.missing', { references: result.missing.join(', ') }) : t(locale, 'case.noAccess');
    case 'refused': return refusalText(locale, result.reason);
  }
}

export function registerCaseRoutes(app: Application<TurnState>, deps: ServiceDeps): void {
  const withCaller = (context: TurnContext, run: (caller: Caller) => Promise<Answer>) => answerAsCaller(deps, context, run);

  const promote = (caller: Caller, context: TurnContext, which: { references: string[] } | { signalId: string }) => promoteToCase(deps, requestOf(context), caller, which)
    .then((r) => caseAnswer(caller, r, r.kind === 'done' ? t(caller.locale, 'case.created', { reference: r.detail.case.reference }) : ''));

  app.message(/^\s*(casus\s+maken|make\s+case)\b/i, async (context) => {
    const answer = await withCaller(context, (caller) => {
      const references = (context.activity.text ?? '').trim().split(/\s+/).slice(2);
      return promote(caller, context, { references });
    });
    await replyWith(context, answer);
  });

  onExecute(app, 'case.promote', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { signalId } = readFields(data, ['signalId'] as const);
    return promote(caller, context, { signalId });
  })));

  onExecute(app, 'case.phase', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { caseId, to } = readFields(data, ['caseId', 'to'] as const);
    const reason = readFields(data, [`reason_${to}`])[`reason_${to}`];
    const result = await changePhase(deps, requestOf(context), caller, caseId, to, reason);
    return caseAnswer(caller, result, t(caller.locale, 'done.phase'));
  })));

  onExecute(app, 'case.share', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const { caseId, mode } = readFields(data, ['caseId', 'mode'] as const);
    const result = await shareWithMayor(deps, requestOf(context), caller, caseId, mode === 'share');
    return caseAnswer(caller, result, t(caller.locale, mode === 'share' ? 'done.shared' : 'done.unshared'));
  })));

  onExecute(app, 'case.update', async (context, data) => asCard(await withCaller(context, async (caller) => {
    const f = readFields(data, ['caseId', 'title', 'measures', 'leadAadId', 'targetDate'] as const);
    const result = await updateCase(deps, requestOf(context), caller, f.caseId, {
      title: f.title, measures: f.measures.split(','), leadAadId: f.leadAadId, targetDate: f.targetDate,
    });
    // Refused: the edit form keeps what was typed.
    return caseAnswer(caller, result, t(caller.locale, 'done.caseUpdate'), { title: f.title, measures: f.measures, leadAadId: f.leadAadId, targetDate: f.targetDate });
  })));
}
