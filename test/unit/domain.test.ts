import { isAllowed } from '../../src/domain/access';
import { scopeKeyOf } from '../../src/domain/caller';
import { NL_PHENOMENA } from '../../src/domain/phenomena';
import { formatReference, normaliseReference } from '../../src/domain/reference';
import { localDate, validateSignal, type SignalDraft } from '../../src/domain/signalIntake';

const draft = (o: Partial<SignalDraft> = {}): SignalDraft => ({
  scopeId: 's', phenomenon: 'drugslab', description: 'Chemische lucht uit een schuur achter de woning.', location: 'Dorpsstraat 3, Heidebroek', observedOn: '2026-11-01', ...o,
});

describe('signal validation', () => {
  const today = '2026-11-23';
  it('accepts a complete signal and trims it', () => {
    const r = validateSignal(draft({ description: '  Chemische lucht uit een schuur.  \n\n\n\nTweede alinea. ' }), NL_PHENOMENA, today);
    expect(r).toEqual({ ok: true, value: expect.objectContaining({ description: 'Chemische lucht uit een schuur.  \n\nTweede alinea.' }) });
  });
  it('reports every field error at once', () => {
    const r = validateSignal(draft({ phenomenon: '', description: 'x'.repeat(4001), location: '  ', observedOn: '2026-02-30' }), NL_PHENOMENA, today);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([
      { field: 'phenomenon', code: 'required' },
      { field: 'description', code: 'tooLong', limit: 4000 },
      { field: 'location', code: 'required' },
      { field: 'observedOn', code: 'invalidDate' },
    ]);
  });
  it('refuses an observed date in the future but accepts today', () => {
    expect(validateSignal(draft({ observedOn: '2026-11-24' }), NL_PHENOMENA, today)).toMatchObject({ ok: false, errors: [{ field: 'observedOn', code: 'dateInFuture' }] });
    expect(validateSignal(draft({ observedOn: today }), NL_PHENOMENA, today).ok).toBe(true);
  });
  it('takes today in Dutch local time, not UTC', () => {
    expect(localDate(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(localDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
  });
});

describe('references', () => {
  it('formats and normalises', () => {
    expect(formatReference('SIG', 2026, 1)).toBe('SIG-2026-0001');
    expect(formatReference('SIG', 2026, 12345)).toBe('SIG-2026-12345');
    expect(normaliseReference(' sig-2026-0042 ')).toBe('SIG-2026-0042');
    expect(normaliseReference('SIG-26-1')).toBeUndefined();
  });
});

describe('scope keys', () => {
  it('keys a channel by tenant, team and channel, never by thread', () => {
    expect(scopeKeyOf('t', { kind: 'channel', teamId: 'g', teamAadGroupId: undefined, channelId: '19:c@thread.tacv2', channelName: undefined })).toBe('channel:t:g:19:c@thread.tacv2');
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
  });
});
