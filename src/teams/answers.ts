// How a handler's answer (a card, or a line of text) reaches the user: as a reply, or as the card of an invoke.
import type { TurnContext } from 'botbuilder';
import type { Caller } from '../domain/caller.js';
import type { ServiceDeps } from '../services/context.js';
import { callerOf } from './callers.js';
import { asAttachment, renderNotice, type AdaptiveCard } from './cards.js';
import { localeFor, refusalText } from './signals.js';

export type Answer = AdaptiveCard | string;

/** An invoke answers with a card: a line of text becomes a notice. */
export const asCard = (answer: Answer): AdaptiveCard => (typeof answer === 'string' ? renderNotice(answer, 'attention') : answer);

export const replyWith = async (context: TurnContext, answer: Answer): Promise<void> => {
  await context.sendActivity(typeof answer === 'string' ? answer : { attachments: [asAttachment(answer)] });
};

/** Runs `run` for the caller of this turn; an unidentified sender gets the usual refusal. */
export async function answerAsCaller(deps: ServiceDeps, context: TurnContext, run: (caller: Caller) => Promise<Answer>): Promise<Answer> {
  const caller = await callerOf(deps, context);
  return caller ? run(caller) : refusalText(localeFor(context, caller), 'unidentified');
}
