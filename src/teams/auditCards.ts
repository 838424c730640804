// The audit trail card: the latest events of a record or a person, and the one-time CSV link for all of them.
import type { Locale } from '../domain/caller.js';
import type { TrailResult } from '../services/auditTrails.js';
import { compile, type AdaptiveCard } from './cards.js';
import auditTrailJson from './cards/auditTrail.json';
import { formatDateTime, t } from './strings.js';

interface AuditTrailData {
  title: string; intro: string; empty: string; footer: string; csvTitle: string; csvUrl: string;
  events: { at: string; line: string; color: string }[];
}
const auditTrailTemplate = compile<AuditTrailData>(auditTrailJson);

export function renderAuditTrail(locale: Locale, trail: Extract<TrailResult, { kind: 'trail' }>): AdaptiveCard {
  return auditTrailTemplate({
    title: t(locale, 'audit.title', { label: trail.label }),
    intro: t(locale, 'audit.intro', { shown: trail.events.length, total: trail.total }),
    empty: t(locale, 'audit.empty'),
    footer: t(locale, 'audit.footer', { time: formatDateTime(locale, trail.expiresAt) }),
    csvTitle: t(locale, 'audit.csv'),
    csvUrl: trail.csvUrl,
    events: trail.events.map((e) => ({
      at: formatDateTime(locale, e.at),
      line: [e.actor, e.action, e.record, e.result === 'ok' ? '' : t(locale, 'audit.denied')].filter(Boolean).join(' · '),
      color: e.result === 'ok' ? 'Default' : 'Attention',
    })),
  });
}
