// Administration in Teams: `rol <persoon> <rol>` (admins of the channel only) and `audit <SIG-…|CASE-…|naam>` (the
// audit trail, for admins, where only admins read along: in practice their personal chat).
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { ServiceDeps } from '../services/context.js';
import { readAuditTrail } from '../services/auditTrails.js';
import { setRoleInScope } from '../services/roles.js';
import { renderAuditTrail } from './auditCards.js';
import { asAttachment } from './cards.js';
import { callerOf } from './callers.js';
import { requestOf } from './context.js';
import { localeFor, refusalText } from './signals.js';
import { t, type StringKey } from './strings.js';

export function registerAdminRoutes(app: Application<TurnState>, deps: ServiceDeps, publicBaseUrl: () => string): void {
  app.message(/^\s*(audit|audittrail)(\s+.*)?$/i, async (context) => {
    const caller = await callerOf(deps, context);
    if (!caller) return void (await context.sendActivity(refusalText(localeFor(context, caller), 'unidentified')));
    const locale = caller.locale;
    const query = (context.activity.text ?? '').trim().split(/\s+/).slice(1).join(' ').slice(0, 200);
    if (query === '') return void (await context.sendActivity(t(locale, 'audit.usage')));
    const result = await readAuditTrail(deps, requestOf(context), caller, query, publicBaseUrl());
    switch (result.kind) {
      case 'trail': return void (await context.sendActivity({ attachments: [asAttachment(renderAuditTrail(locale, result))] }));
      case 'notFound': return void (await context.sendActivity(t(locale, 'notFound', { reference: query.slice(0, 40) })));
      case 'noMatch': return void (await context.sendActivity(t(locale, 'role.noMatch')));
      case 'ambiguous': return void (await context.sendActivity(t(locale, 'role.ambiguous', { names: result.names.join(', ') })));
      case 'refused': return void (await context.sendActivity(refusalText(locale, result.reason)));
    }
  });

  app.message(/^\s*(rol|role)\s+(.+)\s+(\S+)\s*$/i, async (context) => {
    const caller = await callerOf(deps, context);
    if (!caller) return void (await context.sendActivity(refusalText(localeFor(context, caller), 'unidentified')));
    const m = /^\s*(?:rol|role)\s+(.+)\s+(\S+)\s*$/i.exec(context.activity.text ?? '');
    const result = await setRoleInScope(deps, requestOf(context), caller, m?.[1] ?? '', m?.[2] ?? '');
    const locale = caller.locale;
    switch (result.kind) {
      case 'done': return void (await context.sendActivity(t(locale, 'role.done', { name: result.name, role: t(locale, `role.${result.role}` as StringKey) })));
      case 'unknownRole': return void (await context.sendActivity(t(locale, 'role.unknown')));
      case 'noMatch': return void (await context.sendActivity(t(locale, 'role.noMatch')));
      case 'ambiguous': return void (await context.sendActivity(t(locale, 'role.ambiguous', { names: result.names.join(', ') })));
      case 'refused': return void (await context.sendActivity(refusalText(locale, result.reason)));
    }
  });
}
