import { isAllowed, sharedSight, sightOf } from '../../src/domain/access';
import { scopeKeyOf } from '../../src/domain/caller';
import { NL_PHENOMENA } from '../../src/domain/phenomena';
import { formatReference, normaliseReference } from '../../src/domain/reference';
import { NL_LEGAL_BASES } from '../../src/domain/legalBases';
import { emptyDraft, localDate, localTime, validateSignal, type IntakeContext, type SignalDraft } from '../../src/domain/signalIntake';

const ctx: IntakeContext = { phenomena: NL_PHENOMENA, legalBases: NL_LEGAL_BASES, allowBsn: false, country: 'NL', today: '2026-11-23', nowTime: '10:00' };
const draft = (o: Partial<SignalDraft> = {}): SignalDraft => ({
  ...emptyDraft(), phenomenon: 'drugslab', description: 'Chemische lucht uit een schuur achter de woning.', street: 'Dorpsstraat', houseNumber: '3',
  postcode: '1234AB', place: 'Heidebroek', observedOn: '2026-11-01', sourceType: 'burger', sourceNature: 'zacht', sourceReliability: 'C',
  informationReliability: '3', urgency: 'hoog', problemType: 'standaard', confidentiality: 'vertrouwelijk', legalBasis: 'gemw_172', ...o,
});

describe('signal validation', () => {
  it('accepts a complete signal, normalises it and links its address as a subject', () => {
    const r = validateSignal(draft({ description: '  Chemische lucht uit een schuur.  \n\n\n\nTweede alinea. ' }), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.description).toBe('Chemische lucht uit een schuur.  \n\nTweede alinea.');
    expect(r.value.address).toEqual({ street: 'Dorpsstraat', houseNumber: '3', postcode: '1234 AB', place: 'Heidebroek', bagId: null });
    expect(r.value.subjects).toEqual([{ kind: 'address', street: 'Dorpsstraat', houseNumber: '3', postcode: '1234 AB', place: 'Heidebroek', bagId: null }]);
    expect(r.value.informationReliability).toBe(3);
  });
  it('reports every field error at once', () => {
    const r = validateSignal(draft({ phenomenon: '', description: 'x'.repeat(4001), place: '  ', observedOn: '2026-02-30', postcode: '0123 AB', sourceReliability: 'E' }), ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([
      { field: 'phenomenon', code: 'required' },
      { field: 'description', code: 'tooLong', limit: 4000 },
      { field: 'postcode', code: 'invalidPostcode', limit: 'NL' },
      { field: 'place', code: 'required' },
      { field: 'observedOn', code: 'invalidDate' },
      { field: 'sourceReliability', code: 'unknownChoice' },
    ]);
  });
  it('refuses an observed date or time in the future but accepts now', () => {
    expect(validateSignal(draft({ observedOn: '2026-11-24' }), ctx)).toMatchObject({ ok: false, errors: [{ field: 'observedOn', code: 'dateInFuture' }] });
    expect(validateSignal(draft({ observedOn: '2026-11-23', observedTime: '10:01' }), ctx)).toMatchObject({ ok: false, errors: [{ field: 'observedTime', code: 'timeInFuture' }] });
    expect(validateSignal(draft({ observedOn: '2026-11-23', observedTime: '10:00' }), ctx).ok).toBe(true);
  });
  it('checks subjects: KvK of 8 digits, BSN only where allowed and only when it passes the 11-proof', () => {
    expect(validateSignal(draft({ company1Name: 'Loods BV', company1Kvk: '1234567' }), ctx)).toMatchObject({ ok: false, errors: [{ field: 'company1Kvk', code: 'invalidKvk' }] });
    expect(validateSignal(draft({ person1Name: 'J. Jansen', person1Bsn: '111222333' }), ctx)).toMatchObject({ ok: false, errors: [{ field: 'person1Bsn', code: 'bsnNotAllowed' }] });
    const withBsn = { ...ctx, allowBsn: true };
    expect(validateSignal(draft({ person1Name: 'J. Jansen', person1Bsn: '111222334' }), withBsn)).toMatchObject({ ok: false, errors: [{ field: 'person1Bsn', code: 'invalidBsn' }] });
    const ok = validateSignal(draft({ person1Name: 'J. Jansen', person1Bsn: '111222333', company1Name: 'Loods BV', company1Kvk: '12345678' }), withBsn);
    expect(ok.ok && ok.value.subjects.map((s) => s.kind)).toEqual(['address', 'person', 'company']);
  });
  it('takes today and now in Dutch local time, not UTC', () => {
    expect(localDate(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(localDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(localTime(new Date('2026-06-30T22:30:00Z'))).toBe('00:30');
  });
});

describe('references', () => {
  it('formats and normalises', () => {
    expect(formatReference('SIG', 2026, 1)).toBe('SIG-2026-0001');
    expect(formatReference('SIG', 2026, 12345)).toBe('SIG-2026-12345');
    expect(formatReference('CASE', 2026, 7)).toBe('CASE-2026-0007');
    expect(normaliseReference(' sig-2026-0042 ')).toBe('SIG-2026-0042');
    expect(normaliseReference('SIG-26-1')).toBeUndefined();
  });
});

describe('scope keys', () => {
  it('keys a channel by tenant, team and channel, never by thread', () => {
    expect(scopeKeyOf('t', { kind: 'channel', teamId: 'g', teamAadGroupId: undefined, channelId: '19:c@thread.tacv2', channelName: undefined, membershipType: 'standard' })).toBe('channel:t:g:19:c@thread.tacv2');
    expect(scopeKeyOf('t', { kind: 'groupChat', chatId: '19:x@thread.v2', chatName: undefined })).toBe('chat:t:19:x@thread.v2');
    expect(scopeKeyOf('t', { kind: 'personal' })).toBeUndefined();
  });
});

describe('access policy', () => {
  it('lets officers work with signals and keeps the mayor to aggregates', () => {
    for (const role of ['member', 'coordinator', 'chair', 'admin'] as const) expect(isAllowed(role, 'signal.view')).toBe(true);
    expect(isAllowed('mayor', 'signal.view')).toBe(false);
    expect(isAllowed('mayor', 'signal.list')).toBe(false);
    expect(isAllowed('mayor', 'signal.file')).toBe(false);
    expect(isAllowed('member', 'signal.assign')).toBe(false);
    expect(isAllowed('coordinator', 'case.create')).toBe(true);
  });
});

describe('what a channel may be shown', () => {
  it('is what every role reading there may see', () => {
    expect(sharedSight(['coordinator', 'chair'], 'signal.view')).toEqual({ levels: ['intern', 'vertrouwelijk', 'geheim'], sharedOnly: false });
    // One member present takes the secret level away from everyone's answers in that channel.
    expect(sharedSight(['coordinator', 'member', 'chair'], 'signal.view')).toEqual({ levels: ['intern', 'vertrouwelijk'], sharedOnly: false });
    expect(sharedSight(['member', 'admin'], 'signal.view')).toEqual({ levels: ['intern'], sharedOnly: false });
  });

  it('shows no signal where the mayor reads along, and only the cases shared with her', () => {
    expect(sharedSight(['coordinator', 'mayor'], 'signal.list')).toBeNull();
    expect(sharedSight(['coordinator', 'member', 'mayor'], 'case.view')).toEqual({ levels: ['intern', 'vertrouwelijk'], sharedOnly: true });
    expect(sightOf('mayor', 'case.view')).toEqual({ levels: ['intern', 'vertrouwelijk', 'geheim'], sharedOnly: true });
    expect(sharedSight(['coordinator', 'mayor'], 'journal.read')).toBeNull();
  });

  it('is the caller\'s own sight when they are alone', () => {
    for (const role of ['member', 'coordinator', 'chair', 'mayor', 'admin'] as const) {
      for (const action of ['signal.view', 'case.view', 'journal.read'] as const) expect(sharedSight([role], action)).toEqual(sightOf(role, action));
    }
  });
});
