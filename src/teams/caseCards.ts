// The case card: phase, measures, lead, target date, its signals and subjects; buttons by role.
import type { Locale } from '../domain/caller.js';
import { CASE_PHASE_LABELS, MEASURES, MEASURE_LABELS } from '../domain/caseWorkflow.js';
import type { CaseDetail } from '../services/cases.js';
import { compile, escapeMarkdown, type AdaptiveCard, type Choice } from './cards.js';
import caseJson from './cards/case.json';
import { formatDate, formatDateTime, t } from './strings.js';

interface CaseMoveButton { title: string; to: string; needsReason: boolean; reasonLabel: string; reasonError: string; confirm: string; caseId: string }
interface CaseCardData {
  notice: string; noticeColor: string; title: string; subtitle: string; phase: string; phaseDetail: string;
  facts: { title: string; value: string }[]; subjectsTitle: string; subjects: string[]; related: string; footer: string; caseId: string;
  reference: string; journalTitle: string;
  moves: CaseMoveButton[];
  share: { enabled: boolean; title: string; mode: 'share' | 'unshare' };
  crisis: { enabled: boolean; title: string; question: string; confirm: string };
  edit: { enabled: boolean; title: string; titleLabel: string; measuresLabel: string; leadLabel: string; targetLabel: string; confirm: string;
    measures: Choice[]; members: Choice[]; values: { title: string; measures: string; lead: string; targetDate: string } };
}
const caseTemplate = compile<CaseCardData>(caseJson);

/** What someone typed into the edit form: after a refusal the form shows it again instead of the stored values. */
export interface CaseEditDraft { title: string; measures: string; leadAadId: string; targetDate: string }

export function renderCaseCard(locale: Locale, d: CaseDetail, opts: { notice?: string; tone?: 'good' | 'attention'; draft?: CaseEditDraft } = {}): AdaptiveCard {
  const c = d.case;
  const related = [...d.related.signals, ...d.related.cases];
  return caseTemplate({
    notice: opts.notice ?? '',
    noticeColor: opts.tone === 'attention' ? 'Attention' : 'Good',
    title: t(locale, 'case.title', { reference: c.reference }),
    subtitle: c.title,
    phase: CASE_PHASE_LABELS[c.phase][locale],
    phaseDetail: c.phaseReason ? t(locale, 'signal.statusReason', { reason: c.phaseReason }) : '',
    facts: [
      { title: t(locale, 'case.measures'), value: c.measures.length > 0 ? c.measures.map((m) => MEASURE_LABELS[m][locale]).join(', ') : t(locale, 'case.noMeasures') },
      { title: t(locale, 'case.lead'), value: c.lead?.name ?? t(locale, 'case.noLead') },
      { title: t(locale, 'case.targetDate'), value: c.targetDate ? formatDate(locale, c.targetDate) : t(locale, 'case.noTargetDate') },
      { title: t(locale, 'case.signals'), value: c.signals.join(', ') },
      { title: t(locale, 'signal.scope'), value: c.scopeName },
      { title: t(locale, 'case.mayor'), value: c.sharedWithMayorAt ? t(locale, 'case.sharedSince', { date: formatDateTime(locale, c.sharedWithMayorAt) }) : t(locale, 'case.notShared') },
    ],
    subjectsTitle: t(locale, 'signal.subjects'),
    subjects: d.subjects.map((s) => escapeMarkdown(s.displayName)),
    related: related.length > 0 ? t(locale, 'signal.related', { references: related.join(', ') }) : '',
    footer: `${t(locale, 'signal.recorded', { date: formatDateTime(locale, c.createdAt) })} ${t(locale, 'form.confidential.channel')}`,
    caseId: c.id,
    reference: c.reference,
    journalTitle: t(locale, 'journal.button'),
    share: { enabled: d.mayShare, title: t(locale, c.sharedWithMayorAt ? 'case.unshare' : 'case.share'), mode: c.sharedWithMayorAt === null ? 'share' : 'unshare' },
    // A crisis is reported once; the mayor is alerted at once.
    crisis: { enabled: d.mayUpdate && c.crisisAt === null && c.phase !== 'afgesloten', title: t(locale, 'crisis.mark'), question: t(locale, 'crisis.markQuestion'),
      confirm: t(locale, 'crisis.markConfirm') },
    moves: d.phaseChanges.map((m) => ({
      title: m.kind === 'forward' || m.kind === 'back'
        ? t(locale, m.kind === 'forward' ? 'case.move.forward' : 'case.move.back', { phase: CASE_PHASE_LABELS[m.to][locale] })
        : t(locale, m.kind === 'close' ? 'case.move.close' : 'case.move.reopen'),
      to: m.to, needsReason: m.requiresReason, reasonLabel: t(locale, 'action.reason'), reasonError: t(locale, 'action.reasonError'),
      confirm: t(locale, 'action.confirm'), caseId: c.id,
    })),
    edit: {
      enabled: d.mayUpdate,
      title: t(locale, 'case.edit'), titleLabel: t(locale, 'case.editTitle'), measuresLabel: t(locale, 'case.measures'), leadLabel: t(locale, 'case.lead'),
      targetLabel: t(locale, 'case.targetDate'), confirm: t(locale, 'case.editSave'),
      measures: MEASURES.map((m) => ({ title: MEASURE_LABELS[m][locale], value: m })),
      members: d.members.map((m) => ({ title: m.name, value: m.aadObjectId })),
      values: opts.draft
        ? { title: opts.draft.title, measures: opts.draft.measures, lead: opts.draft.leadAadId, targetDate: opts.draft.targetDate }
        : { title: c.title, measures: c.measures.join(','), lead: c.lead?.aadObjectId ?? '', targetDate: c.targetDate ?? '' },
    },
  });
}
