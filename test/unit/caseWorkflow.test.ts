import { ROLES } from '../../src/domain/roles';
import {
  CASE_PHASES, CASE_PHASE_LABELS, CASE_PHASE_MOVES, MEASURES, MEASURE_LABELS, availablePhaseChanges, checkPhaseChange,
  type CasePhase,
} from '../../src/domain/caseWorkflow';

// The rule as the brief states it, by position in the phase order, independent of the module's table.
const OPEN: CasePhase[] = ['signalering', 'verrijking', 'interventie', 'evaluatie'];
function expectedMove(from: CasePhase, to: CasePhase): { kind: string; reason: boolean } | 'samePhase' | 'notAdjacent' {
  if (from === to) return 'samePhase';
  if (from === 'afgesloten') return to === 'evaluatie' ? { kind: 'reopen', reason: true } : 'notAdjacent';
  if (to === 'afgesloten') return { kind: 'close', reason: true };
  const step = OPEN.indexOf(to) - OPEN.indexOf(from);
  if (step === 1) return { kind: 'forward', reason: false };
  if (step === -1) return { kind: 'back', reason: true };
  return 'notAdjacent';
}

const REASON = 'Sluiting uitgevoerd, evaluatie volgt in het overleg.';

describe('case phase changes', () => {
  const combos = CASE_PHASES.flatMap((from) => CASE_PHASES.flatMap((to) => ROLES.map((role) => [from, to, role] as const)));

  it.each(combos)('%s -> %s as %s', (from, to, role) => {
    const e = expectedMove(from, to);
    const withReason = checkPhaseChange(from, to, REASON, role);
    const without = checkPhaseChange(from, to, undefined, role);
    if (typeof e === 'string') {
      expect(withReason).toEqual({ ok: false, code: e });
      expect(without).toEqual({ ok: false, code: e });
    } else if (role !== 'coordinator' && role !== 'chair') {
      expect(withReason).toEqual({ ok: false, code: 'forbiddenForRole' });
    } else {
      expect(withReason).toEqual({ ok: true, move: { from, to, kind: e.kind, requiresReason: e.reason }, to, reason: REASON });
      expect(without).toEqual(e.reason ? { ok: false, code: 'reasonRequired' } : { ok: true, move: expect.anything(), to, reason: null });
    }
  });

  it('has exactly the moves the rule describes', () => {
    const expected = CASE_PHASES.flatMap((from) => CASE_PHASES.map((to) => ({ from, to, e: expectedMove(from, to) })))
      .filter((x) => typeof x.e !== 'string').length;
    expect(CASE_PHASE_MOVES).toHaveLength(expected);
  });

  it('trims reasons and bounds them', () => {
    expect(checkPhaseChange('verrijking', 'signalering', '  kort ', 'chair')).toEqual({ ok: false, code: 'reasonRequired' });
    expect(checkPhaseChange('verrijking', 'signalering', '  meer info nodig ', 'chair')).toMatchObject({ ok: true, reason: 'meer info nodig' });
    expect(checkPhaseChange('evaluatie', 'afgesloten', 'x'.repeat(1001), 'chair')).toEqual({ ok: false, code: 'reasonTooLong' });
    expect(checkPhaseChange('signalering', 'verrijking', 'x'.repeat(1001), 'chair')).toEqual({ ok: false, code: 'reasonTooLong' });
    expect(checkPhaseChange('signalering', 'verrijking', ' BAG opgevraagd ', 'coordinator')).toMatchObject({ ok: true, reason: 'BAG opgevraagd' });
  });

  it('offers exactly the moves checkPhaseChange allows (given a reason)', () => {
    for (const from of CASE_PHASES) for (const role of ROLES) {
      const allowed = CASE_PHASES.filter((to) => checkPhaseChange(from, to, REASON, role).ok);
      expect(availablePhaseChanges(from, role).map((m) => m.to).sort()).toEqual(allowed.sort());
    }
  });
});

describe('labels', () => {
  it('names every phase and measure in Dutch and English', () => {
    for (const p of CASE_PHASES) expect(CASE_PHASE_LABELS[p]).toEqual({ nl: expect.any(String), en: expect.any(String) });
    for (const m of MEASURES) expect(MEASURE_LABELS[m]).toEqual({ nl: expect.any(String), en: expect.any(String) });
    expect(MEASURE_LABELS.sluiting_13b.nl).toBe('Sluiting (art. 13b Opiumwet)');
    expect(CASE_PHASE_LABELS.verrijking.nl).toBe('Verrijking/analyse');
  });
});
