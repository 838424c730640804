// The life of a signal, from filing to the overleg's decision, as one table. Services check every status change
// here and write the result to the journal; the edge offers exactly the transitions availableTransitions returns.
import type { Role } from './roles.js';

export const SIGNAL_STATUSES = ['nieuw', 'in_verrijking', 'klaar_voor_overleg', 'besproken', 'casus', 'overgedragen', 'afgesloten'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

/** Who a signal can be handed over to (DOMAIN.md: police, OM, RIEC, tax office). */
export const PARTNERS = ['politie', 'om', 'riec', 'belastingdienst', 'anders'] as const;
export type Partner = (typeof PARTNERS)[number];

export const SIGNAL_TRANSITION_NAMES = [
  'verrijken',
  'klaarVoorOverleg',
  'terugNaarVerrijking',
  'bespreken',
  'promoveren',
  'overdragen',
  'afsluiten',
  'heropenen',
] as const;
export type SignalTransitionName = (typeof SIGNAL_TRANSITION_NAMES)[number];

export interface TransitionRule {
  name: SignalTransitionName;
  from: readonly SignalStatus[];
  to: SignalStatus;
  requiresReason: boolean;
  requiresPartner: boolean;
  roles: readonly Role[];
}

// Any officer may start enriching what they filed; the overleg's decisions are for those who run the process.
// The mayor sees aggregates and the admin administers: neither decides on a signal's content (DOMAIN.md).
const ENRICHERS: readonly Role[] = ['member', 'coordinator', 'chair'];
const DECIDERS: readonly Role[] = ['coordinator', 'chair'];

export const SIGNAL_TRANSITIONS: readonly TransitionRule[] = [
  { name: 'verrijken', from: ['nieuw'], to: 'in_verrijking', requiresReason: false, requiresPartner: false, roles: ENRICHERS },
  { name: 'klaarVoorOverleg', from: ['in_verrijking'], to: 'klaar_voor_overleg', requiresReason: false, requiresPartner: false, roles: DECIDERS },
  // Taken off the agenda again, or sent back by the overleg after discussing it: say why, so the reporter understands.
  { name: 'terugNaarVerrijking', from: ['klaar_voor_overleg', 'besproken'], to: 'in_verrijking', requiresReason: true, requiresPartner: false, roles: DECIDERS },
  { name: 'bespreken', from: ['klaar_voor_overleg'], to: 'besproken', requiresReason: false, requiresPartner: false, roles: DECIDERS },
  // From here the casus carries the work; the signal stays linked to it.
  { name: 'promoveren', from: ['besproken'], to: 'casus', requiresReason: false, requiresPartner: false, roles: DECIDERS },
  // Sharing with a partner is a processing of personal data: it needs a recorded ground and recipient.
  { name: 'overdragen', from: ['besproken'], to: 'overgedragen', requiresReason: true, requiresPartner: true, roles: DECIDERS },
  { name: 'afsluiten', from: ['nieuw', 'in_verrijking', 'klaar_voor_overleg', 'besproken'], to: 'afgesloten', requiresReason: true, requiresPartner: false, roles: DECIDERS },
  { name: 'heropenen', from: ['afgesloten', 'overgedragen'], to: 'in_verrijking', requiresReason: true, requiresPartner: false, roles: DECIDERS },
];

/** A reason goes into the journal as the accountability for a decision: a word or two is not an account. */
export const REASON_LIMITS = { min: 5, max: 1000 } as const;

export type ReasonCheck =
  | { ok: true; reason: string | null }
  | { ok: false; code: 'reasonRequired' | 'reasonTooLong' };

/** Trimmed reason; required: REASON_LIMITS.min..max characters; optional: kept when given (max applies) or null. */
export function checkReason(reason: string | undefined, required: boolean): ReasonCheck {
  const text = (reason ?? '').trim();
  if (text.length > REASON_LIMITS.max) return { ok: false, code: 'reasonTooLong' };
  if (required && text.length < REASON_LIMITS.min) return { ok: false, code: 'reasonRequired' };
  return { ok: true, reason: text === '' ? null : text };
}

export type TransitionRefusal =
  | 'unknownTransition'
  | 'notFromThisStatus'
  | 'forbiddenForRole'
  | 'reasonRequired'
  | 'reasonTooLong'
  | 'partnerRequired'
  | 'unknownPartner';

export type TransitionCheck =
  | { ok: true; rule: TransitionRule; to: SignalStatus; reason: string | null; partner: Partner | null }
  | { ok: false; code: TransitionRefusal };

export function isPartner(s: string): s is Partner {
  return (PARTNERS as readonly string[]).includes(s);
}

/**
 * May this role make this transition from this status with this input? Checked in that order, so the refusal
 * names the first thing wrong. A partner given to a transition that does not need one must still be known,
 * and is returned as given.
 */
export function checkTransition(
  from: SignalStatus,
  name: string,
  input: { reason?: string; partner?: string },
  role: Role,
): TransitionCheck {
  const rule = SIGNAL_TRANSITIONS.find((r) => r.name === name);
  if (!rule) return { ok: false, code: 'unknownTransition' };
  if (!rule.from.includes(from)) return { ok: false, code: 'notFromThisStatus' };
  if (!rule.roles.includes(role)) return { ok: false, code: 'forbiddenForRole' };

  const reason = checkReason(input.reason, rule.requiresReason);
  if (!reason.ok) return reason;

  const partnerText = (input.partner ?? '').trim();
  let partner: Partner | null = null;
  if (partnerText !== '') {
    if (!isPartner(partnerText)) return { ok: false, code: 'unknownPartner' };
    partner = partnerText;
  } else if (rule.requiresPartner) return { ok: false, code: 'partnerRequired' };

  return { ok: true, rule, to: rule.to, reason: reason.reason, partner };
}

/** The transitions this role may start from this status, in table order (what the card offers as buttons). */
export function availableTransitions(from: SignalStatus, role: Role): TransitionRule[] {
  return SIGNAL_TRANSITIONS.filter((r) => r.from.includes(from) && r.roles.includes(role));
}

export const SIGNAL_STATUS_LABELS: Record<SignalStatus, { nl: string; en: string }> = {
  nieuw: { nl: 'Nieuw', en: 'New' },
  in_verrijking: { nl: 'In verrijking', en: 'Being enriched' },
  klaar_voor_overleg: { nl: 'Klaar voor overleg', en: 'Ready for the meeting' },
  besproken: { nl: 'Besproken', en: 'Discussed' },
  casus: { nl: 'Casus', en: 'Case' },
  overgedragen: { nl: 'Overgedragen', en: 'Handed over' },
  afgesloten: { nl: 'Afgesloten', en: 'Closed' },
};

export const PARTNER_LABELS: Record<Partner, { nl: string; en: string }> = {
  politie: { nl: 'Politie', en: 'Police' },
  om: { nl: 'Openbaar Ministerie', en: 'Public Prosecution Service' },
  riec: { nl: 'RIEC', en: 'RIEC' },
  belastingdienst: { nl: 'Belastingdienst', en: 'Tax Administration' },
  anders: { nl: 'Anders', en: 'Other' },
};
