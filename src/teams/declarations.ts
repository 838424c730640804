// The declaration gate at the edge: any turn that could touch data in a scope whose declaration the user has not
// accepted gets the declaration card instead (a dialog or message extension gets a pointer to it).
import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Caller } from '../domain/caller.js';
import type { ServiceDeps } from '../services/context.js';
import { acceptDeclaration, declarationToAccept, type PendingDeclaration } from '../services/declarations.js';
import { callerOf } from './callers.js';
import { answerExecute, onExecute } from './execute.js';
import { asAttachment, compile, renderHelpCard, renderNotice, type AdaptiveCard } from './cards.js';
import declarationJson from './cards/declaration.json';
import { requestOf } from './context.js';
import { localeFor } from './signals.js';
import { t } from './strings.js';
import { readFields } from './submits.js';

interface DeclarationData { title: string; intro: string; text: string; version: string; accept: string; municipalityId: string; versionNumber: string }
const declarationTemplate = compile<DeclarationData>(declarationJson);

export function renderDeclaration(caller: Caller, d: PendingDeclaration): AdaptiveCard {
  const locale = caller.locale;
  return declarationTemplate({
    title: t(locale, 'declaration.title'),
    intro: t(locale, 'declaration.intro', { municipality: d.municipalityName }),
    text: d[locale],
    version: t(locale, 'declaration.version', { version: d.version }),
    accept: t(locale, 'declaration.accept'),
    municipalityId: d.municipalityId,
    versionNumber: String(d.version),
  });
}

const ACCEPT_VERB = 'declaration.accept';

/** Turns that touch no data pass the gate: installation and roster events, the help text, the accept itself. */
function passesGate(context: TurnContext): boolean {
  const a = context.activity;
  if (a.type === ActivityTypes.Message) return /^\s*(help|hulp|\?)\s*$/i.test(a.text ?? '');
  if (a.type !== ActivityTypes.Invoke) return true;
  return a.name === 'adaptiveCard/action' && (a.value as { action?: { verb?: string } } | undefined)?.action?.verb === ACCEPT_VERB;
}

/** The gate itself, for app.turn('beforeTurn'): true lets the turn through. */
export async function declarationGate(deps: ServiceDeps, context: TurnContext): Promise<boolean> {
  if (passesGate(context)) return true;
  const caller = await callerOf(deps, context);
  if (!caller) return true; // the handlers refuse an unidentified caller themselves
  const pending = await declarationToAccept(deps, caller);
  if (!pending) return true;
  const card = renderDeclaration(caller, pending);
  const a = context.activity;
  if (a.type === ActivityTypes.Message) {
    await context.sendActivity({ attachments: [asAttachment(card)] });
  } else if (a.name === 'adaptiveCard/action') {
    await answerExecute(context, card);
  } else {
    const text = t(caller.locale, 'declaration.first');
    const body = a.name?.startsWith('composeExtension/query') ? { composeExtension: { type: 'message', text } } : { task: { type: 'message', value: text } };
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
  }
  return false;
}

export function registerDeclarationRoutes(app: Application<TurnState>, deps: ServiceDeps): void {
  onExecute(app, ACCEPT_VERB, async (context, data) => {
    const caller = await callerOf(deps, context);
    const locale = localeFor(context, caller);
    if (!caller) return renderNotice(t(locale, 'refused.noScope'), 'attention');
    const f = readFields(data, ['municipalityId', 'version'] as const);
    const accepted = await acceptDeclaration(deps, requestOf(context), caller, f.municipalityId, Number.parseInt(f.version, 10));
    if (!accepted) return renderNotice(t(locale, 'declaration.stale'), 'attention');
    // Another municipality of this caller may still ask; otherwise show what they can do now.
    const next = await declarationToAccept(deps, caller);
    return next ? renderDeclaration(caller, next) : renderHelpCard(locale, false, t(locale, 'declaration.thanks'));
  });
}
