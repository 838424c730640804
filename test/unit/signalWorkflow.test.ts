import fc from 'fast-check';
import { ROLES, type Role } from '../../src/domain/roles';
import {
  PARTNERS, SIGNAL_STATUSES, SIGNAL_TRANSITIONS, SIGNAL_TRANSITION_NAMES, availableTransitions, checkReason, checkTransition,
  type SignalStatus,
} from '../../src/domain/signalWorkflow';

// The workflow as the brief states it, written independently of the module's table.
const EXPECTED: Record<string, { from: SignalStatus[]; to: SignalStatus; roles: Role[]; reason: boolean; partner: boolean }> = {
  verrijken: { from: ['nieuw'], to: 'in_verrijking', roles: ['member', 'coordinator', 'chair'], reason: false, partner: false },
  klaarVoorOverleg: { from: ['in_verrijking'], to: 'klaar_voor_overleg', roles: ['coordinator', 'chair'], reason: false, partner: false },
  terugNaarVerrijking: { from: ['klaar_voor_overleg', 'besproken'], to: 'in_verrijking', roles: ['coordinator', 'chair'], reason: true, partner: false },
  bespreken: { from: ['klaar_voor_overleg'], to: 'besproken', roles: ['coordinator', 'chair'], reason: false, partner: false },
  promoveren: { from: ['besproken'], to: 'casus', roles: ['coordinator', 'chair'], reason: false, partner: false },
  overdragen: { from: ['besproken'], to: 'overgedragen', roles: ['coordinator', 'chair'], reason: true, partner: true },
  afsluiten: { from: ['nieuw', 'in_verrijking', 'klaar_voor_overleg', 'besproken'], to: 'afgesloten', roles: ['coordinator', 'chair'], reason: true, partner: false },
  heropenen: { from: ['afgesloten', 'overgedragen'], to: 'in_verrijking', roles: ['coordinator', 'chair'], reason: true, partner: false },
};

const GOOD = { reason: 'Besproken in het overleg van 12 mei.', partner: 'riec' };

describe('signal transition table', () => {
  it('has exactly one rule per transition name, matching the workflow', () => {
    expect(SIGNAL_TRANSITIONS.map((r) => r.name).sort()).toEqual([...SIGNAL_TRANSITION_NAMES].sort());
    expect(Object.keys(EXPECTED).sort()).toEqual([...SIGNAL_TRANSITION_NAMES].sort());
    for (const rule of SIGNAL_TRANSITIONS) {
      const e = EXPECTED[rule.name];
      expect({ from: [...rule.from].sort(), to: rule.to, roles: [...rule.roles].sort(), reason: rule.requiresReason, partner: rule.requiresPartner })
        .toEqual({ from: [...e.from].sort(), to: e.to, roles: [...e.roles].sort(), reason: e.reason, partner: e.partner });
    }
  });

  const combos = SIGNAL_STATUSES.flatMap((from) => SIGNAL_TRANSITION_NAMES.flatMap((name) => ROLES.map((role) => [from, name, role] as const)));
  it.each(combos)('%s --%s--> as %s', (from, name, role) => {
    const e = EXPECTED[name];
    const r = checkTransition(from, name, GOOD, role);
    if (!e.from.includes(from)) expect(r).toEqual({ ok: false, code: 'notFromThisStatus' });
    else if (!e.roles.includes(role)) expect(r).toEqual({ ok: false, code: 'forbiddenForRole' });
    else expect(r).toMatchObject({ ok: true, to: e.to, rule: { name } });
  });

  it('gives the mayor and the admin no transition at all', () => {
    for (const status of SIGNAL_STATUSES) for (const role of ['mayor', 'admin'] as const) expect(availableTransitions(status, role)).toEqual([]);
  });

  it('offers exactly the transitions checkTransition allows', () => {
    for (const status of SIGNAL_STATUSES) for (const role of ROLES) {
      const allowed = SIGNAL_TRANSITION_NAMES.filter((n) => checkTransition(status, n, GOOD, role).ok);
      expect(availableTransitions(status, role).map((r) => r.name)).toEqual(allowed);
    }
  });

  it('leaves a casus to the case workflow: no transition out of casus', () => {
    for (const role of ROLES) expect(availableTransitions('casus', role)).toEqual([]);
  });

  it.each(['bogus', '', 'constructor', '__proto__', 'toString', 'Verrijken'])('refuses the unknown transition %j', (name) =>
    expect(checkTransition('nieuw', name, GOOD, 'chair')).toEqual({ ok: false, code: 'unknownTransition' }));
});

describe('reasons and partners', () => {
  it('requires a reason of at least 5 characters after trimming where the table says so', () => {
    for (const rule of SIGNAL_TRANSITIONS.filter((r) => r.requiresReason)) {
      const from = rule.from[0];
      for (const reason of [undefined, '', '    ', 'kort', '  kort  ']) {
        expect(checkTransition(from, rule.name, { ...GOOD, reason }, 'coordinator')).toEqual({ ok: false, code: 'reasonRequired' });
      }
      expect(checkTransition(from, rule.name, { ...GOOD, reason: '  lang genoeg  ' }, 'coordinator')).toMatchObject({ ok: true, reason: 'lang genoeg' });
    }
  });

  it('refuses a reason over 1000 characters, required or not', () => {
    expect(checkTransition('nieuw', 'afsluiten', { reason: 'x'.repeat(1001) }, 'chair')).toEqual({ ok: false, code: 'reasonTooLong' });
    expect(checkTransition('nieuw', 'verrijken', { reason: 'x'.repeat(1001) }, 'member')).toEqual({ ok: false, code: 'reasonTooLong' });
    expect(checkTransition('nieuw', 'afsluiten', { reason: ` ${'x'.repeat(1000)} ` }, 'chair')).toMatchObject({ ok: true });
  });

  it('keeps an optional reason when given, and null otherwise', () => {
    expect(checkTransition('nieuw', 'verrijken', { reason: ' BAG en KvK nagaan ' }, 'member')).toMatchObject({ ok: true, reason: 'BAG en KvK nagaan' });
    expect(checkTransition('nieuw', 'verrijken', { reason: 'ok' }, 'member')).toMatchObject({ ok: true, reason: 'ok' });
    expect(checkTransition('nieuw', 'verrijken', { reason: '   ' }, 'member')).toMatchObject({ ok: true, reason: null });
    expect(checkTransition('nieuw', 'verrijken', {}, 'member')).toMatchObject({ ok: true, reason: null, partner: null });
  });

  it('requires a known partner for a handover', () => {
    const reason = 'Signaal over witwassen, RIEC pakt op.';
    expect(checkTransition('besproken', 'overdragen', { reason }, 'chair')).toEqual({ ok: false, code: 'partnerRequired' });
    expect(checkTransition('besproken', 'overdragen', { reason, partner: '  ' }, 'chair')).toEqual({ ok: false, code: 'partnerRequired' });
    expect(checkTransition('besproken', 'overdragen', { reason, partner: 'fiod' }, 'chair')).toEqual({ ok: false, code: 'unknownPartner' });
    expect(checkTransition('besproken', 'overdragen', { reason, partner: 'Politie' }, 'chair')).toEqual({ ok: false, code: 'unknownPartner' });
    for (const partner of PARTNERS) {
      expect(checkTransition('besproken', 'overdragen', { reason, partner: ` ${partner} ` }, 'chair'))
        .toEqual({ ok: true, rule: expect.objectContaining({ name: 'overdragen' }), to: 'overgedragen', reason, partner });
    }
  });

  it('checks the reason before the partner', () => {
    expect(checkTransition('besproken', 'overdragen', {}, 'chair')).toEqual({ ok: false, code: 'reasonRequired' });
  });

  it('validates a partner given where none is needed, and returns it', () => {
    expect(checkTransition('nieuw', 'verrijken', { partner: 'fiod' }, 'member')).toEqual({ ok: false, code: 'unknownPartner' });
    expect(checkTransition('nieuw', 'verrijken', { partner: 'politie' }, 'member')).toMatchObject({ ok: true, partner: 'politie' });
  });

  it('checks status before role before input', () => {
    expect(checkTransition('casus', 'afsluiten', {}, 'member')).toEqual({ ok: false, code: 'notFromThisStatus' });
    expect(checkTransition('nieuw', 'afsluiten', {}, 'member')).toEqual({ ok: false, code: 'forbiddenForRole' });
  });

  it('checkReason on its own', () => {
    expect(checkReason(undefined, false)).toEqual({ ok: true, reason: null });
    expect(checkReason('abcd', true)).toEqual({ ok: false, code: 'reasonRequired' });
    expect(checkReason('abcde', true)).toEqual({ ok: true, reason: 'abcde' });
  });
});

describe('walking the workflow', () => {
  const attempt = fc.record({
    name: fc.constantFrom(...SIGNAL_TRANSITION_NAMES, 'bogus'),
    role: fc.constantFrom(...ROLES),
    reason: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
    partner: fc.option(fc.constantFrom(...PARTNERS, 'fiod', ''), { nil: undefined }),
  });

  it('never leaves the status set, and every allowed step is a row of the table', () => {
    fc.assert(fc.property(fc.array(attempt, { maxLength: 40 }), (attempts) => {
      let status: SignalStatus = 'nieuw';
      for (const a of attempts) {
        const r = checkTransition(status, a.name, { reason: a.reason, partner: a.partner }, a.role);
        if (!r.ok) continue;
        expect(r.rule.from).toContain(status);
        expect(r.rule.roles).toContain(a.role);
        expect(r.to).toBe(r.rule.to);
        if (r.rule.requiresReason) expect(r.reason?.length).toBeGreaterThanOrEqual(5);
        if (r.rule.requiresPartner) expect(PARTNERS).toContain(r.partner);
        status = r.to;
        expect(SIGNAL_STATUSES).toContain(status);
      }
    }), { numRuns: 500 });
  });

  it('reaches every status from nieuw', () => {
    const seen = new Set<SignalStatus>(['nieuw']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const rule of SIGNAL_TRANSITIONS) {
        if (rule.from.some((f) => seen.has(f)) && !seen.has(rule.to)) { seen.add(rule.to); grew = true; }
      }
    }
    expect([...seen].sort()).toEqual([...SIGNAL_STATUSES].sort());
  });
});
