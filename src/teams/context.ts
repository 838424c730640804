// Per-turn bookkeeping shared by handlers and the one error handler.
import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { RequestContext } from '../services/context.js';

const CORRELATION_ID = Symbol('weerbaar.correlationId');

export function requestOf(context: TurnContext): RequestContext {
  let id = context.turnState.get(CORRELATION_ID) as string | undefined;
  if (id === undefined) {
    id = randomUUID().slice(0, 8);
    context.turnState.set(CORRELATION_ID, id);
  }
  return { correlationId: id };
}
