// The beheer card: a scope's municipalities, members with their roles and declaration status, and the next retention
// run; the roles are inputs, saved with one Action.Execute. One typed function renders it from cards/beheer.json.
import type { Locale } from '../domain/caller.js';
import { ROLES, type Role } from '../domain/roles.js';
import { CARD_MEMBER_LIMIT, type BeheerView, type RoleChangeError } from '../services/beheer.js';
import { compile, type AdaptiveCard, type Choice } from './cards.js';
import beheerJson from './cards/beheer.json';
import { formatDate, t, type StringKey } from './strings.js';

interface BeheerData {
  title: string; notice: string; noticeColor: string; scopeId: string;
  municipalities: string; retention: string; memberCount: string; more: string; footer: string;
  labels: { municipalities: string; retention: string; members: string; rolesHeading: string; rolesIntro: string; save: string; refresh: string };
  roleChoices: Choice[];
  members: { inputId: string; name: string; role: string; roleLabel: string; declaration: string; declarationColor: string; error: string }[];
}
const beheerTemplate = compile<BeheerData>(beheerJson);

/** The input id of a member's role on the card. */
export const roleInputId = (memberId: string): string => `role_${memberId}`;

export interface BeheerCardOptions {
  notice?: string;
  tone?: 'good' | 'attention';
  /** The roles as submitted, kept on the card when it comes back with errors. */
  chosen?: Readonly<Record<string, string>>;
  errors?: readonly RoleChangeError[];
}

export function renderBeheerCard(locale: Locale, view: BeheerView, opts: BeheerCardOptions = {}): AdaptiveCard {
  const members = view.scope.members.slice(0, CARD_MEMBER_LIMIT);
  return beheerTemplate({
    title: t(locale, 'beheer.title', { scope: view.scope.name }),
    notice: opts.notice ?? '',
    noticeColor: opts.tone === 'attention' ? 'Attention' : 'Good',
    scopeId: view.scope.scopeId,
    municipalities: view.municipalities.length === 0 ? t(locale, 'beheer.noMunicipality')
      : view.municipalities.map((m) => t(locale, 'beheer.municipality', { name: m.name, code: m.code, kind: m.country === 'NL' ? 'CBS' : 'NIS', official: m.officialCode ?? '-' })).join('; '),
    retention: t(locale, 'beheer.retentionDue', { date: formatDate(locale, view.retention.day), due: view.retention.due }),
    memberCount: String(view.scope.members.length),
    more: view.scope.members.length > members.length ? t(locale, 'beheer.more', { shown: members.length, total: view.scope.members.length }) : '',
    footer: t(locale, 'beheer.footer'),
    labels: {
      municipalities: t(locale, 'beheer.municipalities'), retention: t(locale, 'beheer.retention'), members: t(locale, 'beheer.members'),
      rolesHeading: t(locale, 'beheer.rolesHeading'), rolesIntro: t(locale, 'beheer.rolesIntro'), save: t(locale, 'beheer.save'), refresh: t(locale, 'beheer.refresh'),
    },
    roleChoices: ROLES.map((r) => ({ title: t(locale, `role.${r}` as StringKey), value: r })),
    members: members.map((m) => {
      const error = opts.errors?.find((e) => e.memberId === m.memberId);
      return {
        inputId: roleInputId(m.memberId),
        name: m.name,
        role: opts.chosen?.[m.memberId] ?? m.role,
        roleLabel: t(locale, 'beheer.roleOf', { name: m.name }),
        declaration: t(locale, `beheer.declaration.${m.declaration}`),
        declarationColor: m.declaration === 'pending' ? 'Warning' : 'Default',
        error: error ? t(locale, `beheer.error.${error.code}`) : '',
      };
    }),
  });
}

export const roleName = (locale: Locale, role: Role): string => t(locale, `role.${role}` as StringKey);
