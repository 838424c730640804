import fc from 'fast-check';
import { CASE_PHASES, CASE_PHASE_MOVES, type CasePhase } from '../../src/domain/caseWorkflow';
import {
  AGENDA_ITEM_KINDS, DECISIONS_FOR, DECISION_KINDS, caseDecisionPath, decisionPathNeedsReason, quarterOf, signalDecisionPath, strategicFigures, validateDecision,
  type ActionDraft, type AgendaItemKind, type DecisionDraft, type DecisionKind, type SignalFact,
} from '../../src/domain/overleg';
import {
  PARTNERS, SIGNAL_STATUSES, SIGNAL_TRANSITION_NAMES, checkTransition, type SignalStatus, type SignalTransitionName,
} from '../../src/domain/signalWorkflow';

// ---------------------------------------------------------------------------------------------------------------
// signalDecisionPath

// Worked out by hand from SIGNAL_TRANSITIONS without promoveren (every other transition is open to both chair and
// coordinator): breadth first, ties broken by table order. For casus the target is besproken.
const SIGNAL_PATHS: Record<SignalStatus, Record<DecisionKind, SignalTransitionName[] | undefined>> = {
  nieuw: {
    verrijken: ['verrijken'],
    casus: ['verrijken', 'klaarVoorOverleg', 'bespreken'],
    overdragen: ['verrijken', 'klaarVoorOverleg', 'bespreken', 'overdragen'],
    afsluiten: ['afsluiten'],
    verlengen: undefined,
    vervallen: undefined,
  },
  in_verrijking: {
    verrijken: [],
    casus: ['klaarVoorOverleg', 'bespreken'],
    overdragen: ['klaarVoorOverleg', 'bespreken', 'overdragen'],
    afsluiten: ['afsluiten'],
    verlengen: undefined,
    vervallen: undefined,
  },
  klaar_voor_overleg: {
    verrijken: ['terugNaarVerrijking'],
    casus: ['bespreken'],
    overdragen: ['bespreken', 'overdragen'],
    afsluiten: ['afsluiten'],
    verlengen: undefined,
    vervallen: undefined,
  },
  besproken: {
    // The overleg may send a discussed signal back to enrichment directly.
    verrijken: ['terugNaarVerrijking'],
    casus: [],
    overdragen: ['overdragen'],
    afsluiten: ['afsluiten'],
    verlengen: undefined,
    vervallen: undefined,
  },
  casus: {
    verrijken: undefined,
    casus: undefined,
    overdragen: undefined,
    afsluiten: undefined,
    verlengen: undefined,
    vervallen: undefined,
  },
  overgedragen: {
    verrijken: ['heropenen'],
    casus: ['heropenen', 'klaarVoorOverleg', 'bespreken'],
    overdragen: [],
    afsluiten: ['heropenen', 'afsluiten'],
    verlengen: undefined,
    vervallen: undefined,
  },
  afgesloten: {
    verrijken: ['heropenen'],
    casus: ['heropenen', 'klaarVoorOverleg', 'bespreken'],
    overdragen: ['heropenen', 'klaarVoorOverleg', 'bespreken', 'overdragen'],
    afsluiten: [],
    verlengen: undefined,
    vervallen: undefined,
  },
};

const SIGNAL_TARGETS: Partial<Record<DecisionKind, SignalStatus>> = {
  verrijken: 'in_verrijking', casus: 'besproken', overdragen: 'overgedragen', afsluiten: 'afgesloten',
};

const FULL_INPUT = { reason: 'een reden', partner: 'politie' };

/** One step as both deciders may take it, promotion excluded; the status it leads to, or undefined. */
function deciderStep(from: SignalStatus, name: SignalTransitionName, input: { reason?: string; partner?: string } = FULL_INPUT): SignalStatus | undefined {
  if (name === 'promoveren') return undefined;
  const asChair = checkTransition(from, name, input, 'chair');
  const asCoordinator = checkTransition(from, name, input, 'coordinator');
  if (!asChair.ok || !asCoordinator.ok) return undefined;
  expect(asCoordinator.to).toBe(asChair.to);
  return asChair.to;
}

/** Brute force: does any sequence of at most `maxLen` decider steps take `from` to `target`? */
function reachableWithin(from: SignalStatus, target: SignalStatus, maxLen: number): boolean {
  if (from === target) return true;
  if (maxLen === 0) return false;
  return SIGNAL_TRANSITION_NAMES.some((name) => {
    const to = deciderStep(from, name);
    return to !== undefined && reachableWithin(to, target, maxLen - 1);
  });
}

describe('signalDecisionPath', () => {
  const combos = SIGNAL_STATUSES.flatMap((from) => DECISION_KINDS.map((kind) => [from, kind, SIGNAL_PATHS[from][kind]] as const));

  it('the hand-made table covers every status and decision kind', () => {
    expect(Object.keys(SIGNAL_PATHS).sort()).toEqual([...SIGNAL_STATUSES].sort());
    for (const from of SIGNAL_STATUSES) expect(Object.keys(SIGNAL_PATHS[from]).sort()).toEqual([...DECISION_KINDS].sort());
    expect(combos).toHaveLength(SIGNAL_STATUSES.length * DECISION_KINDS.length);
  });

  it.each(combos)('from %s, decision %s: %j', (from, kind, expected) => {
    expect(signalDecisionPath(from, kind)).toEqual(expected);
  });

  it('has no path for verlengen and vervallen, nor for a signal that is a casus', () => {
    for (const from of SIGNAL_STATUSES) {
      expect(signalDecisionPath(from, 'verlengen')).toBeUndefined();
      expect(signalDecisionPath(from, 'vervallen')).toBeUndefined();
    }
    for (const kind of DECISION_KINDS) expect(signalDecisionPath('casus', kind)).toBeUndefined();
  });

  it('never promotes: promotion is left to the case that the casus decision makes', () => {
    for (const from of SIGNAL_STATUSES) for (const kind of DECISION_KINDS) expect(signalDecisionPath(from, kind) ?? []).not.toContain('promoveren');
  });

  it('returns a fresh array each time (callers may keep it)', () => {
    const a = signalDecisionPath('nieuw', 'casus');
    a?.push('afsluiten');
    expect(signalDecisionPath('nieuw', 'casus')).toEqual(['verrijken', 'klaarVoorOverleg', 'bespreken']);
  });

  it('every path replays through checkTransition as chair, ends at the target, and is a shortest one', () => {
    fc.assert(fc.property(fc.constantFrom(...SIGNAL_STATUSES), fc.constantFrom(...DECISION_KINDS), (from, kind) => {
      const path = signalDecisionPath(from, kind);
      const target = SIGNAL_TARGETS[kind];
      if (path === undefined) {
        // Only where the target truly cannot be reached (7 steps would visit every status).
        if (target !== undefined) expect(reachableWithin(from, target, SIGNAL_STATUSES.length)).toBe(false);
        return;
      }
      expect(target).toBeDefined();
      let status: SignalStatus = from;
      for (const name of path) {
        const r = checkTransition(status, name, FULL_INPUT, 'chair');
        expect(r).toMatchObject({ ok: true });
        if (!r.ok) return;
        expect(checkTransition(status, name, FULL_INPUT, 'coordinator')).toMatchObject({ ok: true, to: r.to });
        status = r.to;
      }
      expect(status).toBe(target);
      if (path.length > 0) expect(reachableWithin(from, target as SignalStatus, path.length - 1)).toBe(false);
    }), { numRuns: 200 });
  });

  it('finds a path wherever one exists (brute force over up to 7 steps)', () => {
    for (const from of SIGNAL_STATUSES) for (const kind of DECISION_KINDS) {
      const target = SIGNAL_TARGETS[kind];
      const reachable = target !== undefined && reachableWithin(from, target, SIGNAL_STATUSES.length);
      expect(signalDecisionPath(from, kind) !== undefined).toBe(reachable);
    }
  });

  it('hands a signal handed over to one partner over to another by reopening it first; to the same partner is no change', () => {
    expect(signalDecisionPath('overgedragen', 'overdragen', { current: 'politie', wanted: 'om' })).toEqual(['heropenen', 'klaarVoorOverleg', 'bespreken', 'overdragen']);
    expect(signalDecisionPath('overgedragen', 'overdragen', { current: 'politie', wanted: 'politie' })).toEqual([]);
  });

  // Only a hand-over decision carries a partner: no other decision may pass through a hand-over on its way.
  it('only an overdragen decision hands the signal over, and every path replays with the input its decision form carries', () => {
    for (const from of SIGNAL_STATUSES) for (const kind of DECISION_KINDS) {
      const path = signalDecisionPath(from, kind);
      if (path === undefined) continue;
      if (kind !== 'overdragen') expect(path).not.toContain('overdragen');
      let status: SignalStatus = from;
      for (const name of path) {
        const r = checkTransition(status, name, { reason: 'een reden', partner: kind === 'overdragen' ? 'politie' : undefined }, 'chair');
        expect(r).toMatchObject({ ok: true });
        if (!r.ok) break;
        status = r.to;
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// caseDecisionPath

// By hand from CASE_PHASE_MOVES: the phases passed through, start excluded.
const CASE_PATHS: Record<CasePhase, Record<DecisionKind, CasePhase[] | undefined>> = {
  signalering: { verrijken: ['verrijking'], casus: undefined, overdragen: ['afgesloten'], afsluiten: ['afgesloten'], verlengen: undefined, vervallen: undefined },
  verrijking: { verrijken: [], casus: undefined, overdragen: ['afgesloten'], afsluiten: ['afgesloten'], verlengen: undefined, vervallen: undefined },
  interventie: { verrijken: ['verrijking'], casus: undefined, overdragen: ['afgesloten'], afsluiten: ['afgesloten'], verlengen: undefined, vervallen: undefined },
  evaluatie: { verrijken: ['interventie', 'verrijking'], casus: undefined, overdragen: ['afgesloten'], afsluiten: ['afgesloten'], verlengen: undefined, vervallen: undefined },
  afgesloten: { verrijken: ['evaluatie', 'interventie', 'verrijking'], casus: undefined, overdragen: [], afsluiten: [], verlengen: undefined, vervallen: undefined },
};

const CASE_TARGETS: Partial<Record<DecisionKind, CasePhase>> = { verrijken: 'verrijking', overdragen: 'afgesloten', afsluiten: 'afgesloten' };

const isMove = (from: CasePhase, to: CasePhase) => CASE_PHASE_MOVES.some((m) => m.from === from && m.to === to);

function caseReachableWithin(from: CasePhase, target: CasePhase, maxLen: number): boolean {
  if (from === target) return true;
  if (maxLen === 0) return false;
  return CASE_PHASES.some((to) => isMove(from, to) && caseReachableWithin(to, target, maxLen - 1));
}

describe('caseDecisionPath', () => {
  const combos = CASE_PHASES.flatMap((from) => DECISION_KINDS.map((kind) => [from, kind, CASE_PATHS[from][kind]] as const));

  it('the hand-made table covers every phase and decision kind', () => {
    expect(Object.keys(CASE_PATHS).sort()).toEqual([...CASE_PHASES].sort());
    for (const from of CASE_PHASES) expect(Object.keys(CASE_PATHS[from]).sort()).toEqual([...DECISION_KINDS].sort());
  });

  it.each(combos)('from %s, decision %s: %j', (from, kind, expected) => {
    expect(caseDecisionPath(from, kind)).toEqual(expected);
  });

  it('walks only moves of CASE_PHASE_MOVES, ends at the target, excludes the start and is a shortest path', () => {
    for (const from of CASE_PHASES) for (const kind of DECISION_KINDS) {
      const path = caseDecisionPath(from, kind);
      const target = CASE_TARGETS[kind];
      if (target === undefined) { expect(path).toBeUndefined(); continue; }
      expect(path).toBeDefined();
      if (path === undefined) continue;
      const phases = [from, ...path];
      for (let i = 1; i < phases.length; i++) expect(isMove(phases[i - 1], phases[i])).toBe(true);
      expect(phases.at(-1)).toBe(target);
      expect(path.slice(0, -1)).not.toContain(target);
      if (from === target) expect(path).toEqual([]);
      else expect(caseReachableWithin(from, target, path.length - 1)).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// validateDecision

const TODAY = '2026-05-12';
const MEMBERS: ReadonlySet<string> = new Set(['aad-anna', 'aad-bram']);
const REASON = 'Besproken, RIEC pakt het op.';

const draft = (over: Partial<DecisionDraft> = {}): DecisionDraft => ({ kind: 'verrijken', partner: '', text: '', newDueOn: '', actions: [], ...over });
const ctx = (itemKind: AgendaItemKind, correcting = false) => ({ itemKind, correcting, today: TODAY, memberIds: MEMBERS });
const row = (text: string, ownerAadId: string, dueOn: string): ActionDraft => ({ text, ownerAadId, dueOn });
const EMPTY_ROW = row('', '', '');
const GOOD_ROW = row('BAG nagaan', 'aad-anna', '2026-06-01');

/** A draft that is valid for this kind whatever it needs. */
const complete = (kind: DecisionKind): DecisionDraft => draft({ kind, partner: 'politie', text: REASON, newDueOn: '2026-06-30' });

function errorsOf(d: DecisionDraft, c = ctx('signal')) {
  const r = validateDecision(d, c);
  return r.ok ? [] : r.errors;
}

describe('decisionPathNeedsReason', () => {
  it('is true when a signal is sent back or reopened on the way, as those steps ask for a reason by hand too', () => {
    expect(decisionPathNeedsReason({ signal: signalDecisionPath('klaar_voor_overleg', 'verrijken') ?? [] })).toBe(true);
    expect(decisionPathNeedsReason({ signal: signalDecisionPath('afgesloten', 'verrijken') ?? [] })).toBe(true);
    expect(decisionPathNeedsReason({ signal: signalDecisionPath('in_verrijking', 'verrijken') ?? [] })).toBe(false);
    expect(decisionPathNeedsReason({ signal: signalDecisionPath('klaar_voor_overleg', 'casus') ?? [] })).toBe(false);
  });

  it('is true when a case moves back or closes on the way, false when it only moves forward or stays', () => {
    const needs = (from: CasePhase, kind: DecisionKind) => decisionPathNeedsReason({ casePhase: { from, to: caseDecisionPath(from, kind) ?? [] } });
    expect(needs('evaluatie', 'verrijken')).toBe(true);
    expect(needs('interventie', 'afsluiten')).toBe(true);
    expect(needs('verrijking', 'verrijken')).toBe(false);
    expect(needs('signalering', 'verrijken')).toBe(false);
  });
});

describe('validateDecision: what may be decided', () => {
  // Written independently of DECISIONS_FOR.
  const ALLOWED: Record<AgendaItemKind, DecisionKind[]> = {
    signal: ['verrijken', 'casus', 'overdragen', 'afsluiten'],
    case: ['verrijken', 'overdragen', 'afsluiten'],
    action: ['verlengen', 'vervallen'],
  };

  it('DECISIONS_FOR offers exactly these, in this order', () => {
    expect(Object.keys(DECISIONS_FOR).sort()).toEqual([...AGENDA_ITEM_KINDS].sort());
    for (const k of AGENDA_ITEM_KINDS) expect(DECISIONS_FOR[k]).toEqual(ALLOWED[k]);
  });

  const combos = AGENDA_ITEM_KINDS.flatMap((item) => DECISION_KINDS.map((kind) => [item, kind] as const));
  it.each(combos)('on a %s item, %s', (item, kind) => {
    const r = validateDecision(complete(kind), ctx(item));
    if (ALLOWED[item].includes(kind)) expect(r).toMatchObject({ ok: true, value: { kind } });
    else expect(r).toEqual({ ok: false, errors: [{ field: 'kind', code: 'unknownChoice' }] });
  });

  it.each(['bogus', 'Verrijken', 'promoveren', 'klaarVoorOverleg', 'constructor', '__proto__'])('refuses the unknown kind %j', (kind) => {
    expect(validateDecision(draft({ kind, text: REASON }), ctx('signal'))).toEqual({ ok: false, errors: [{ field: 'kind', code: 'unknownChoice' }] });
  });

  it.each(['', '   ', '\t\n'])('requires a kind (%j)', (kind) => {
    expect(validateDecision(draft({ kind }), ctx('case'))).toEqual({ ok: false, errors: [{ field: 'kind', code: 'required' }] });
  });

  it('trims the kind', () => {
    expect(validateDecision(draft({ kind: '  casus ' }), ctx('signal'))).toEqual({ ok: true, value: { kind: 'casus', partner: null, text: null, newDueOn: null, actions: [] } });
  });
});

describe('validateDecision: partner', () => {
  it.each(['', '   '])('requires a partner for overdragen (%j)', (partner) => {
    expect(errorsOf(draft({ kind: 'overdragen', partner, text: REASON }))).toEqual([{ field: 'partner', code: 'required' }]);
  });

  it.each(['fiod', 'Politie', 'POLITIE', 'belasting dienst', 'constructor'])('refuses the unknown partner %j', (partner) => {
    expect(errorsOf(draft({ kind: 'overdragen', partner, text: REASON }), ctx('case'))).toEqual([{ field: 'partner', code: 'unknownChoice' }]);
  });

  it.each([...PARTNERS])('accepts the partner %s (trimmed) and returns it', (partner) => {
    expect(validateDecision(draft({ kind: 'overdragen', partner: `  ${partner} `, text: ` ${REASON} ` }), ctx('signal')))
      .toEqual({ ok: true, value: { kind: 'overdragen', partner, text: REASON, newDueOn: null, actions: [] } });
  });

  it('ignores a partner, even an unknown one, on any other decision', () => {
    for (const kind of ['verrijken', 'casus', 'afsluiten'] as const) {
      expect(validateDecision(draft({ kind, partner: 'fiod', text: REASON }), ctx('signal'))).toMatchObject({ ok: true, value: { partner: null } });
      expect(validateDecision(draft({ kind, partner: 'politie', text: REASON }), ctx('signal'))).toMatchObject({ ok: true, value: { partner: null } });
    }
    expect(validateDecision(draft({ kind: 'vervallen', partner: 'riec', text: REASON }), ctx('action'))).toMatchObject({ ok: true, value: { partner: null } });
  });
});

describe('validateDecision: the reason', () => {
  const NEEDS_REASON: DecisionKind[] = ['afsluiten', 'overdragen', 'vervallen'];
  const combos = AGENDA_ITEM_KINDS.flatMap((item) => DECISIONS_FOR[item].flatMap((kind) => [false, true].map((correcting) => [item, kind, correcting] as const)));

  it.each(combos)('on a %s item, %s, correcting: %s', (item, kind, correcting) => {
    const needed = NEEDS_REASON.includes(kind) || correcting;
    const base = complete(kind);
    for (const text of ['', '    ', 'kort', '  kort  ', '\n abcd \t']) {
      const r = validateDecision({ ...base, text }, ctx(item, correcting));
      if (needed) expect(r).toEqual({ ok: false, errors: [{ field: 'text', code: 'reasonRequired' }] });
      else expect(r).toMatchObject({ ok: true, value: { text: text.trim() === '' ? null : text.trim() } });
    }
    expect(validateDecision({ ...base, text: 'abcde' }, ctx(item, correcting))).toMatchObject({ ok: true, value: { text: 'abcde' } });
    expect(validateDecision({ ...base, text: `  ${REASON}\n` }, ctx(item, correcting))).toMatchObject({ ok: true, value: { text: REASON } });
  });

  it('refuses a text over 1000 characters, required or not', () => {
    for (const text of ['x'.repeat(1001), ` ${'x'.repeat(1001)} `, 'x'.repeat(2000), 'x'.repeat(2001), 'x'.repeat(50_000)]) {
      expect(errorsOf(draft({ kind: 'verrijken', text }))).toEqual([{ field: 'text', code: 'reasonTooLong' }]);
      expect(errorsOf(draft({ kind: 'afsluiten', text }))).toEqual([{ field: 'text', code: 'reasonTooLong' }]);
    }
  });

  it('keeps a text of exactly 1000 characters after trimming', () => {
    const text = 'x'.repeat(1000);
    expect(validateDecision(draft({ kind: 'afsluiten', text: `\n ${text} \n` }), ctx('signal'))).toMatchObject({ ok: true, value: { text } });
  });

  // A long text is refused whole, never cut to fit.
  it('refuses, rather than silently truncates, a long text whose first 1000 characters would pass', () => {
    const text = `${'x'.repeat(1000)} ${'y'.repeat(1500)}`;
    expect(validateDecision(draft({ kind: 'afsluiten', text }), ctx('signal'))).toEqual({ ok: false, errors: [{ field: 'text', code: 'reasonTooLong' }] });
  });
});

describe('validateDecision: a new deadline', () => {
  it.each([
    ['', 'required'], ['   ', 'required'], ['2026-02-30', 'invalidDate'], ['2026-13-01', 'invalidDate'], ['12-06-2026', 'invalidDate'],
    ['2026-6-1', 'invalidDate'], ['2026-06-01T00:00', 'invalidDate'], ['morgen', 'invalidDate'], ['2026-05-11', 'inThePast'], ['2025-12-31', 'inThePast'],
  ])('verlengen to %j: %s', (newDueOn, code) => {
    expect(validateDecision(draft({ kind: 'verlengen', newDueOn }), ctx('action'))).toEqual({ ok: false, errors: [{ field: 'newDueOn', code }] });
  });

  it.each([[TODAY, TODAY], [' 2026-05-13 ', '2026-05-13'], ['2028-02-29', '2028-02-29']])('verlengen to %j gives %s', (newDueOn, expected) => {
    expect(validateDecision(draft({ kind: 'verlengen', newDueOn }), ctx('action')))
      .toEqual({ ok: true, value: { kind: 'verlengen', partner: null, text: null, newDueOn: expected, actions: [] } });
  });

  it('ignores the date field on every other decision', () => {
    expect(validateDecision(draft({ kind: 'vervallen', newDueOn: 'onzin', text: REASON }), ctx('action'))).toMatchObject({ ok: true, value: { newDueOn: null } });
    expect(validateDecision(draft({ kind: 'verrijken', newDueOn: '2027-01-01' }), ctx('case'))).toMatchObject({ ok: true, value: { newDueOn: null } });
  });
});

describe('validateDecision: action items', () => {
  const withRows = (...actions: ActionDraft[]) => draft({ kind: 'verrijken', actions });

  it('ignores rows that are empty or only whitespace', () => {
    expect(validateDecision(withRows(EMPTY_ROW, row('  ', ' ', '\t'), EMPTY_ROW), ctx('signal')))
      .toEqual({ ok: true, value: { kind: 'verrijken', partner: null, text: null, newDueOn: null, actions: [] } });
  });

  it.each([
    row('BAG nagaan', '', ''), row('', 'aad-anna', ''), row('', '', '2026-06-01'), row('BAG nagaan', 'aad-anna', ''), row('BAG nagaan', '', '2026-06-01'),
    row('', 'aad-anna', '2026-06-01'), row('BAG nagaan', '  ', '2026-06-01'), row('x', '', ''),
  ])('refuses a partly filled row %j as incomplete', (a) => {
    expect(errorsOf(withRows(a))).toEqual([{ field: 'action1', code: 'incomplete' }]);
  });

  it.each(['ab', ' a ', '  ab  ', 'a\n\t'])('refuses the action text %j as too short', (text) => {
    expect(errorsOf(withRows(row(text, 'aad-anna', '2026-06-01')))).toEqual([{ field: 'action1', code: 'tooShort' }]);
  });

  it('accepts an action text of exactly 3 characters, counted after collapsing whitespace', () => {
    expect(validateDecision(withRows(row(' a \n\t b ', 'aad-anna', '2026-06-01')), ctx('signal'))).toMatchObject({ ok: true, value: { actions: [row('a b', 'aad-anna', '2026-06-01')] } });
    expect(validateDecision(withRows(row('abc', 'aad-anna', '2026-06-01')), ctx('signal'))).toMatchObject({ ok: true });
  });

  it('refuses an action text over 300 characters', () => {
    expect(errorsOf(withRows(row('x'.repeat(301), 'aad-anna', '2026-06-01')))).toEqual([{ field: 'action1', code: 'tooLong' }]);
    expect(validateDecision(withRows(row(`  ${'x'.repeat(300)}  `, 'aad-anna', '2026-06-01')), ctx('signal'))).toMatchObject({ ok: true });
  });

  it.each(['aad-carla', 'AAD-ANNA', 'aad-anna-2'])('refuses the owner %j who is not a member', (owner) => {
    expect(errorsOf(withRows(row('BAG nagaan', owner, '2026-06-01')))).toEqual([{ field: 'action1', code: 'unknownMember' }]);
  });

  it.each(['2026-06-31', '2026-02-29', '01-06-2026', 'volgende week', '2026-6-1'])('refuses the due date %j', (dueOn) => {
    expect(errorsOf(withRows(row('BAG nagaan', 'aad-anna', dueOn)))).toEqual([{ field: 'action1', code: 'invalidDate' }]);
  });

  it('refuses a due date in the past, accepts today', () => {
    expect(errorsOf(withRows(row('BAG nagaan', 'aad-anna', '2026-05-11')))).toEqual([{ field: 'action1', code: 'inThePast' }]);
    expect(validateDecision(withRows(row('BAG nagaan', 'aad-anna', TODAY)), ctx('signal'))).toMatchObject({ ok: true, value: { actions: [row('BAG nagaan', 'aad-anna', TODAY)] } });
  });

  it('names the row by its position, empty rows included', () => {
    expect(errorsOf(withRows(EMPTY_ROW, row('BAG', 'aad-carla', '2026-06-01'), row('ab', 'aad-anna', '2026-06-01'))))
      .toEqual([{ field: 'action2', code: 'unknownMember' }, { field: 'action3', code: 'tooShort' }]);
    expect(errorsOf(withRows(GOOD_ROW, EMPTY_ROW, row('BAG nagaan', 'aad-bram', '2020-01-01')))).toEqual([{ field: 'action3', code: 'inThePast' }]);
  });

  it('ignores a fourth row, valid or not', () => {
    expect(validateDecision(withRows(GOOD_ROW, EMPTY_ROW, EMPTY_ROW, row('ab', '', 'x')), ctx('signal'))).toMatchObject({ ok: true, value: { actions: [GOOD_ROW] } });
    expect(validateDecision(withRows(GOOD_ROW, GOOD_ROW, GOOD_ROW, row('Vierde actie', 'aad-bram', '2026-07-01')), ctx('signal')))
      .toMatchObject({ ok: true, value: { actions: [GOOD_ROW, GOOD_ROW, GOOD_ROW] } });
  });

  it('returns the actions trimmed, with whitespace in the text collapsed', () => {
    const r = validateDecision(draft({ kind: 'afsluiten', text: REASON, actions: [
      row('  Eigenaar   pand\n\tbenaderen ', ' aad-bram ', ' 2026-06-15 '), EMPTY_ROW, row('KvK  checken', 'aad-anna', TODAY),
    ] }), ctx('case'));
    expect(r).toEqual({ ok: true, value: { kind: 'afsluiten', partner: null, text: REASON, newDueOn: null, actions: [
      row('Eigenaar pand benaderen', 'aad-bram', '2026-06-15'), row('KvK checken', 'aad-anna', TODAY),
    ] } });
  });

  it('collects every error, in form order', () => {
    expect(validateDecision(draft({ kind: 'overdragen', partner: '', text: 'kort', newDueOn: 'x', actions: [row('ab', 'aad-anna', TODAY), row('iets', '', '')] }), ctx('action')))
      .toEqual({ ok: false, errors: [
        { field: 'kind', code: 'unknownChoice' }, { field: 'partner', code: 'required' }, { field: 'text', code: 'reasonRequired' },
        { field: 'action1', code: 'tooShort' }, { field: 'action2', code: 'incomplete' },
      ] });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// quarterOf

describe('quarterOf', () => {
  it.each([
    ['2026-01-01', '2026-01-01', '2026-03-31', '2025-10-01', '2025-12-31'],
    ['2026-03-31', '2026-01-01', '2026-03-31', '2025-10-01', '2025-12-31'],
    ['2026-04-01', '2026-04-01', '2026-06-30', '2026-01-01', '2026-03-31'],
    ['2026-06-30', '2026-04-01', '2026-06-30', '2026-01-01', '2026-03-31'],
    ['2026-07-01', '2026-07-01', '2026-09-30', '2026-04-01', '2026-06-30'],
    ['2026-09-30', '2026-07-01', '2026-09-30', '2026-04-01', '2026-06-30'],
    ['2026-10-01', '2026-10-01', '2026-12-31', '2026-07-01', '2026-09-30'],
    ['2026-12-31', '2026-10-01', '2026-12-31', '2026-07-01', '2026-09-30'],
    ['2028-02-29', '2028-01-01', '2028-03-31', '2027-10-01', '2027-12-31'],
    ['2025-01-15', '2025-01-01', '2025-03-31', '2024-10-01', '2024-12-31'],
    ['2000-02-29', '2000-01-01', '2000-03-31', '1999-10-01', '1999-12-31'],
  ])('%s is in %s..%s, after %s..%s', (date, from, to, pFrom, pTo) => {
    expect(quarterOf(date)).toEqual({ from, to, previous: { from: pFrom, to: pTo } });
  });

  it('every day of 2024..2028 lies in its quarter, which follows right after the previous one', () => {
    for (let t = Date.UTC(2024, 0, 1); t <= Date.UTC(2028, 11, 31); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const q = quarterOf(date);
      expect(date >= q.from && date <= q.to).toBe(true);
      expect(q.previous.to < q.from).toBe(true);
      const dayAfterPrevious = new Date(Date.parse(`${q.previous.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      expect(dayAfterPrevious).toBe(q.from);
      expect(quarterOf(q.previous.from)).toMatchObject(q.previous);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// strategicFigures

const fact = (phenomenon: string, postcode: string, filedOn: string): SignalFact => ({ phenomenon, postcode, filedOn });

describe('strategicFigures', () => {
  // 2026-05-12: the last full quarter is Q1 2026, compared with Q4 2025.
  const SIGNALS: SignalFact[] = [
    // Q1 2026
    fact('drugs', '1011AB', '2026-01-01'),
    fact('drugs', '1011CD', '2026-02-15'),
    fact('drugs', '1012EF', '2026-03-31'),
    fact('drugs', '1012ZZ', '2026-03-15'),
    fact('mensenhandel', '1011 GH', '2026-03-01'),
    fact('mensenhandel', '1012AA', '2026-02-02'),
    fact('witwassen', '1012BB', '2026-01-20'),
    fact('witwassen', '2000AA', '2026-01-21'),
    fact('vastgoed', 'onbekend', '2026-02-10'),
    fact('vastgoed', '10', '2026-02-11'),
    // Q4 2025
    fact('drugs', '2000AA', '2025-10-01'),
    fact('witwassen', '2000AB', '2025-12-31'),
    fact('witwassen', '2000AC', '2025-11-11'),
    fact('witwassen', '', '2025-11-12'),
    fact('fraude', '3000XX', '2025-10-15'),
    // outside both quarters
    fact('drugs', '2000AA', '2025-09-30'),
    fact('drugs', '2000AA', '2026-04-01'),
    fact('heling', '2000AA', '2026-05-01'),
    fact('heling', '2000AA', '2024-12-31'),
  ];

  it('counts the last full quarter against the one before it', () => {
    expect(strategicFigures(SIGNALS, ['verrijking', 'signalering', 'verrijking', 'afgesloten', 'interventie'], '2026-05-12')).toEqual({
      period: { from: '2026-01-01', to: '2026-03-31' },
      previous: { from: '2025-10-01', to: '2025-12-31' },
      byPhenomenon: [
        { phenomenon: 'drugs', current: 4, previous: 1 },
        { phenomenon: 'witwassen', current: 2, previous: 3 },
        { phenomenon: 'mensenhandel', current: 2, previous: 0 },
        { phenomenon: 'vastgoed', current: 2, previous: 0 },
        { phenomenon: 'fraude', current: 0, previous: 1 },
      ],
      // 1012: 4, 1011: 3 (one written with a space), 2000: 1 this quarter (left out; its Q4 signals do not count).
      byArea: [{ area: '1012', count: 4 }, { area: '1011', count: 3 }],
      casesByPhase: [{ phase: 'afgesloten', count: 1 }, { phase: 'interventie', count: 1 }, { phase: 'signalering', count: 1 }, { phase: 'verrijking', count: 2 }],
      total: { current: 10, previous: 5 },
    });
  });

  it('looks back into the year before from the first quarter', () => {
    const r = strategicFigures(SIGNALS, [], '2026-02-10');
    expect(r.period).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(r.previous).toEqual({ from: '2025-07-01', to: '2025-09-30' });
    expect(r.total).toEqual({ current: 5, previous: 1 });
    expect(r.byPhenomenon).toEqual([
      { phenomenon: 'witwassen', current: 3, previous: 0 },
      { phenomenon: 'drugs', current: 1, previous: 1 },
      { phenomenon: 'fraude', current: 1, previous: 0 },
    ]);
    expect(r.byArea).toEqual([{ area: '2000', count: 3 }]);
    expect(r.casesByPhase).toEqual([]);
  });

  it('ignores signals outside both quarters entirely', () => {
    const outside = [fact('heling', '4000AA', '2025-09-30'), fact('heling', '4000AA', '2026-04-01'), fact('heling', '4000AB', '2026-04-02'), fact('heling', '4000AC', '2024-01-01')];
    expect(strategicFigures(outside, [], '2026-05-12')).toMatchObject({ byPhenomenon: [], byArea: [], total: { current: 0, previous: 0 } });
    const r = strategicFigures([...SIGNALS, ...outside], [], '2026-05-12');
    expect(r.byPhenomenon.map((p) => p.phenomenon)).not.toContain('heling');
    expect(r.total).toEqual({ current: 10, previous: 5 });
  });

  it('leaves out postcodes that do not start with four digits, but still counts their signals', () => {
    const odd = ['', 'onbekend', '101AB', 'AB1011', ' 1011AB', '1O11AB', '10-11AB'].flatMap((postcode) => [1, 2, 3].map(() => fact('drugs', postcode, '2026-02-01')));
    const r = strategicFigures(odd, [], '2026-05-12', { minAreaCount: 1 });
    expect(r.byArea).toEqual([]);
    expect(r.total.current).toBe(odd.length);
    expect(r.byPhenomenon).toEqual([{ phenomenon: 'drugs', current: odd.length, previous: 0 }]);
    expect(strategicFigures([fact('drugs', '1011', '2026-02-01'), fact('drugs', '10115', '2026-02-01')], [], '2026-05-12', { minAreaCount: 1 }).byArea)
      .toEqual([{ area: '1011', count: 2 }]);
  });

  it('keeps areas of at least minAreaCount (3 by default), at most topAreas (5 by default), by count then area', () => {
    const counts: Record<string, number> = { 5000: 3, 4000: 3, 6000: 4, 7000: 3, 8000: 3, 9000: 3, 1000: 2, 1100: 1 };
    const signals = Object.entries(counts).flatMap(([area, n]) => Array.from({ length: n }, (_, i) => fact('drugs', `${area}A${i}`, '2026-02-01')));
    const at = (opts?: { minAreaCount?: number; topAreas?: number }) => strategicFigures(signals, [], '2026-05-12', opts).byArea;
    expect(at()).toEqual([
      { area: '6000', count: 4 }, { area: '4000', count: 3 }, { area: '5000', count: 3 }, { area: '7000', count: 3 }, { area: '8000', count: 3 },
    ]);
    expect(at({ minAreaCount: 2, topAreas: 10 })).toEqual([
      { area: '6000', count: 4 }, { area: '4000', count: 3 }, { area: '5000', count: 3 }, { area: '7000', count: 3 }, { area: '8000', count: 3 },
      { area: '9000', count: 3 }, { area: '1000', count: 2 },
    ]);
    expect(at({ minAreaCount: 4 })).toEqual([{ area: '6000', count: 4 }]);
    expect(at({ minAreaCount: 5 })).toEqual([]);
    expect(at({ topAreas: 2 })).toEqual([{ area: '6000', count: 4 }, { area: '4000', count: 3 }]);
    expect(at({ minAreaCount: 1, topAreas: 100 })).toHaveLength(8);
  });

  it('orders phenomena by current, then previous, then name', () => {
    const signals = [
      fact('b', '1', '2026-02-01'), fact('a', '1', '2026-02-01'), fact('c', '1', '2026-02-01'), fact('c', '1', '2025-11-01'),
      fact('d', '1', '2025-11-01'), fact('d', '1', '2025-11-02'), fact('e', '1', '2025-11-01'),
    ];
    expect(strategicFigures(signals, [], '2026-04-01').byPhenomenon.map((p) => p.phenomenon)).toEqual(['c', 'a', 'b', 'd', 'e']);
  });

  it('matches an independent count over random signals in 2025..2027', () => {
    const DAY = 86_400_000;
    const dateIn = (fromY: number, toY: number) => fc.integer({ min: Date.UTC(fromY, 0, 1) / DAY, max: Date.UTC(toY, 11, 31) / DAY })
      .map((d) => new Date(d * DAY).toISOString().slice(0, 10));
    const postcode = fc.oneof(
      fc.tuple(fc.constantFrom('1011', '1012', '2000', '3511', '9999'), fc.constantFrom('AB', 'CD', ' XY', '')).map(([a, b]) => a + b),
      fc.constantFrom('', 'onbekend', '101', 'B-1000', ' 1011AB'),
    );
    const signal = fc.record({ phenomenon: fc.constantFrom('drugs', 'fraude', 'heling', 'mensenhandel', 'witwassen', 'vastgoed'), postcode, filedOn: dateIn(2025, 2027) });
    const quarterIndex = (d: string) => Number(d.slice(0, 4)) * 4 + Math.floor((Number(d.slice(5, 7)) - 1) / 3);

    fc.assert(fc.property(
      fc.array(signal, { maxLength: 80 }), dateIn(2025, 2028), fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: 7 }), { nil: undefined }), fc.array(fc.constantFrom(...CASE_PHASES), { maxLength: 10 }),
      (signals, date, minAreaCount, topAreas, phases) => {
        const cur = quarterIndex(date) - 1;
        const now = signals.filter((s) => quarterIndex(s.filedOn) === cur);
        const then = signals.filter((s) => quarterIndex(s.filedOn) === cur - 1);
        const tally = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});
        const nowBy = tally(now.map((s) => s.phenomenon));
        const thenBy = tally(then.map((s) => s.phenomenon));
        const names = [...new Set([...Object.keys(nowBy), ...Object.keys(thenBy)])];
        const areas = tally(now.map((s) => s.postcode).filter((p) => /^[0-9]{4}/.test(p)).map((p) => p.slice(0, 4)));

        const opts: { minAreaCount?: number; topAreas?: number } = {};
        if (minAreaCount !== undefined) opts.minAreaCount = minAreaCount;
        if (topAreas !== undefined) opts.topAreas = topAreas;
        const r = strategicFigures(signals, phases, date, opts);

        expect(r.total).toEqual({ current: now.length, previous: then.length });
        expect(Object.fromEntries(r.byPhenomenon.map((p) => [p.phenomenon, [p.current, p.previous]])))
          .toEqual(Object.fromEntries(names.map((n) => [n, [nowBy[n] ?? 0, thenBy[n] ?? 0]])));
        expect(r.byPhenomenon).toHaveLength(names.length);
        for (let i = 1; i < r.byPhenomenon.length; i++) {
          const [a, b] = [r.byPhenomenon[i - 1], r.byPhenomenon[i]];
          expect(a.current > b.current || (a.current === b.current && (a.previous > b.previous || (a.previous === b.previous && a.phenomenon < b.phenomenon)))).toBe(true);
        }

        const kept = Object.entries(areas).filter(([, n]) => n >= (minAreaCount ?? 3))
          .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : 1)).slice(0, topAreas ?? 5).map(([area, count]) => ({ area, count }));
        expect(r.byArea).toEqual(kept);

        const phaseCounts = tally(phases);
        expect(r.casesByPhase).toEqual(Object.keys(phaseCounts).sort().map((phase) => ({ phase, count: phaseCounts[phase] })));
        expect(r.casesByPhase.reduce((s, p) => s + p.count, 0)).toBe(phases.length);
      },
    ), { numRuns: 300 });
  });
});
