// In a channel or group chat everyone reads the bot's answer, so it shows only what all of them may see. A record
// the caller may see alone is then "not here", which is a different answer from "no such record".
import type { Caller } from '../domain/caller.js';
import { isUuid } from '../domain/identifiers.js';
import type { Prisma } from '../generated/prisma/client.js';
import { caseVisibility, signalVisibility } from '../store/visibility.js';
import { ownGrantsFor } from './callers.js';
import type { ServiceDeps } from './context.js';

export type RecordWhere = { signal: Prisma.SignalWhereInput } | { case: Prisma.CaseWhereInput };

/** True when the record exists for the caller alone: answer "ask in your personal chat", not "not found". */
export async function visibleOnlyInPersonalChat(deps: ServiceDeps, caller: Caller, record: RecordWhere): Promise<boolean> {
  if (caller.place.kind === 'personal') return false;
  const where: { id?: unknown } = 'signal' in record ? record.signal : record.case;
  if (typeof where.id === 'string' && !isUuid(where.id)) return false;
  if ('signal' in record) {
    const grants = ownGrantsFor(caller, 'signal.view');
    return grants.length > 0 && await deps.prisma.signal.count({ where: { AND: [signalVisibility(grants, caller.aadObjectId), record.signal] } }) > 0;
  }
  const grants = ownGrantsFor(caller, 'case.view');
  return grants.length > 0 && await deps.prisma.case.count({ where: { AND: [caseVisibility(grants, caller.aadObjectId), record.case] } }) > 0;
}
