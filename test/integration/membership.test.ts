// Scopes and rosters: installing registers the scope and pages through the roster; membership events keep
// it current; a removed member loses access at once.
import { linkScope } from '../../src/services/administration';
import { DEMO_TEAM_AAD_GROUP_ID, DEMO_TEAM_ID } from '../../src/store/demoData';
import { DAAN, FATIMA, SANNE, SIGNALEN_HDB, message, repliesTo, startTestBot, type TestBot, type TeamsActivity } from '../support/harness';

let bot: TestBot;
beforeAll(async () => { bot = await startTestBot(); });
afterAll(async () => { await bot.stop(); });
beforeEach(() => bot.stub.clear());

const NOT_ENABLED = 'Weerbaar is in dit kanaal nog niet vrijgegeven. Een beheerder koppelt het kanaal aan de gemeente; daarna kunt u hier werken.';
const NEW_CHANNEL = { id: '19:heidebroek-vastgoed@thread.tacv2', name: 'Vastgoed Heidebroek', municipalityCode: 'HDB' };

function conversationUpdate(fields: Record<string, unknown>, channel = NEW_CHANNEL): TeamsActivity {
  const base = message('', FATIMA, { channel });
  const { text: _text, textFormat: _format, ...rest } = base;
  void _text; void _format;
  return { ...rest, type: 'conversationUpdate', ...fields } as TeamsActivity;
}

describe('installation and roster', () => {
  it('registers a new channel and its whole paged roster when the bot is added', async () => {
    const res = await bot.send(conversationUpdate({ membersAdded: [{ id: '28:weerbaar-bot' }], channelData: {
      tenant: { id: '00000000-0000-0000-0000-0000000000001' }, eventType: 'teamMemberAdded',
      team: { id: DEMO_TEAM_ID, aadGroupId: DEMO_TEAM_AAD_GROUP_ID }, channel: { id: NEW_CHANNEL.id, name: NEW_CHANNEL.name } } }));
    expect(res.status).toBe(200);
    const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: NEW_CHANNEL.id }, include: { members: true } });
    expect(scope).toMatchObject({ kind: 'channel', teamId: DEMO_TEAM_ID, teamAadGroupId: DEMO_TEAM_AAD_GROUP_ID, name: NEW_CHANNEL.name, municipalityId: null });
    // Six demo users on the team roster, fetched in pages of two; the mayor is never enrolled from a roster.
    expect(scope.members.map((m) => m.name).sort()).toEqual(['Daan Jansen', 'Fatima El Amrani', 'Lotte Peeters', 'Pieter Bakker', 'Sanne de Vries']);
    expect(bot.stub.rosterRequests.filter((c) => c === DEMO_TEAM_ID)).toHaveLength(3);
  });

  it('keeps a known channel name when an installation update carries none', async () => {
    const update = conversationUpdate({ type: 'installationUpdate', action: 'add', channelData: {
      tenant: { id: '00000000-0000-0000-0000-0000000000001' }, team: { id: DEMO_TEAM_ID, aadGroupId: DEMO_TEAM_AAD_GROUP_ID },
      channel: { id: SIGNALEN_HDB.id } } }, SIGNALEN_HDB);
    expect((await bot.send(update)).status).toBe(200);
    const scopes = await bot.db.prisma.scope.findMany({ where: { channelId: SIGNALEN_HDB.id } });
    expect(scopes).toHaveLength(1);
    expect(scopes[0]).toMatchObject({ name: 'Signalen Heidebroek', teamId: DEMO_TEAM_ID, teamAadGroupId: DEMO_TEAM_AAD_GROUP_ID });
  });

  it('refuses a new channel until an admin enables it by linking it to its municipality', async () => {
    const before = message('nieuw signaal', DAAN, { channel: NEW_CHANNEL });
    await bot.send(before);
    expect(repliesTo(bot.stub, before)[0].activity.text).toBe(NOT_ENABLED);
    const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: NEW_CHANNEL.id } });
    expect(scope.enabled).toBe(false);
    await linkScope(bot.running.deps, { name: 'beheer', correlationId: 'link0001' }, NEW_CHANNEL.id, 'HDB');
    const after = message('nieuw signaal', DAAN, { channel: NEW_CHANNEL });
    await bot.send(after);
    expect(repliesTo(bot.stub, after)[0].activity.attachments).toHaveLength(1);
  });

  it('takes the roster of a private channel from the channel itself, and refuses a shared channel until enabled', async () => {
    const privateChannel = { id: '19:heidebroek-prive@thread.tacv2', name: 'Prive Heidebroek', municipalityCode: 'HDB' };
    bot.stub.rosters.set(privateChannel.id, [{ id: DAAN.teamsUserId, name: DAAN.name, aadObjectId: DAAN.aadObjectId }]);
    await bot.send(conversationUpdate({ membersAdded: [{ id: '28:weerbaar-bot' }], channelData: {
      tenant: { id: '00000000-0000-0000-0000-0000000000001' }, team: { id: DEMO_TEAM_ID }, channel: { id: privateChannel.id, name: privateChannel.name, membershipType: 'private' } } },
    privateChannel));
    const scope = await bot.db.prisma.scope.findFirstOrThrow({ where: { channelId: privateChannel.id }, include: { members: true } });
    expect(scope.membershipType).toBe('private');
    expect(scope.members.map((m) => m.name)).toEqual([DAAN.name]);
    expect(bot.stub.rosterRequests).toContain(privateChannel.id);

    const shared = { id: '19:gedeeld@thread.tacv2', name: 'Gedeeld met RIEC', municipalityCode: 'HDB' };
    const activity = { ...message('signalen', DAAN, { channel: shared }) };
    (activity.channelData as { channel: Record<string, string> }).channel.membershipType = 'shared';
    await bot.send(activity);
    expect(repliesTo(bot.stub, activity)[0].activity.text).toBe(NOT_ENABLED);
  });

  it('registers an unknown channel on its first message and refuses a sender who is not on the roster', async () => {
    const stranger = { teamsUserId: 'user-id-99', aadObjectId: '00000000-0000-0000-0000-0000000000099', name: 'Onbekende Gebruiker', email: '', roles: {} };
    const channel = { id: '19:onbekend@thread.tacv2', name: 'Onbekend', municipalityCode: 'HDB' };
    const activity = message('signalen', stranger, { channel });
    await bot.send(activity);
    expect(repliesTo(bot.stub, activity)[0].activity.text).toBe(NOT_ENABLED);
    expect(await bot.db.prisma.scope.count({ where: { channelId: channel.id } })).toBe(1);
    expect(await bot.db.prisma.member.count({ where: { aadObjectId: stranger.aadObjectId } })).toBe(0);
  });

  it('takes access away from a removed member at once', async () => {
    const before = message('signalen', SANNE, { channel: SIGNALEN_HDB });
    await bot.send(before);
    expect(repliesTo(bot.stub, before)[0].activity.attachments).toHaveLength(1);

    // Sanne leaves the team: Teams sends membersRemoved; the roster no longer has her either.
    bot.stub.rosters.set(DEMO_TEAM_ID, (bot.stub.rosters.get(DEMO_TEAM_ID) ?? []).filter((m) => m.aadObjectId !== SANNE.aadObjectId));
    await bot.send(conversationUpdate({ membersRemoved: [{ id: SANNE.teamsUserId, aadObjectId: SANNE.aadObjectId }] }, SIGNALEN_HDB));
    expect(await bot.db.prisma.member.count({ where: { aadObjectId: SANNE.aadObjectId, active: true } })).toBe(0);

    const after = message('signalen', SANNE, { channel: SIGNALEN_HDB });
    await bot.send(after);
    expect(repliesTo(bot.stub, after)[0].activity.text).toMatch(/^U bent \(nog\) geen lid/);
    const personal = message('signalen', SANNE, { personal: true });
    await bot.send(personal);
    expect(repliesTo(bot.stub, personal)[0].activity.text).toMatch(/^U bent \(nog\) geen lid/);
  });

  it('gives a new member access once Teams reports them added', async () => {
    const newcomer = { teamsUserId: 'user-id-7', aadObjectId: '00000000-0000-0000-0000-0000000000027', name: 'Nieuwe Collega', email: '', roles: {} };
    await bot.send(conversationUpdate({ membersAdded: [{ id: newcomer.teamsUserId, aadObjectId: newcomer.aadObjectId, name: newcomer.name }] }, SIGNALEN_HDB));
    const activity = message('signalen', newcomer, { channel: SIGNALEN_HDB });
    await bot.send(activity);
    expect(repliesTo(bot.stub, activity)[0].activity.attachments).toHaveLength(1);
    const member = await bot.db.prisma.member.findFirstOrThrow({ where: { aadObjectId: newcomer.aadObjectId } });
    expect(member.role).toBe('member');
  });
});

describe('the periodic roster refresh', () => {
  // A removal Teams never told us about (the bot was down, the event was lost) is found by reading the rosters again.
  it('takes access away from someone no longer on the roster, reading a shared team roster once', async () => {
    const fresh = await startTestBot();
    try {
      // Installing the bot in the channel tells it where the Bot Connector of that scope is.
      expect((await fresh.send(conversationUpdate({ type: 'installationUpdate', action: 'add', channelData: {
        tenant: { id: '00000000-0000-0000-0000-0000000000001' }, team: { id: DEMO_TEAM_ID, aadGroupId: DEMO_TEAM_AAD_GROUP_ID },
        channel: { id: SIGNALEN_HDB.id } } }, SIGNALEN_HDB))).status).toBe(200);
      const first = message('signalen', DAAN, { channel: SIGNALEN_HDB });
      await fresh.send(first);
      expect(repliesTo(fresh.stub, first)[0].activity.attachments).toHaveLength(1);

      fresh.stub.rosters.set(DEMO_TEAM_ID, (fresh.stub.rosters.get(DEMO_TEAM_ID) ?? []).filter((m) => m.aadObjectId !== DAAN.aadObjectId));
      fresh.stub.clear();
      const summary = await fresh.running.refreshRosters(0);
      // Only Signalen Heidebroek has a known Bot Connector yet (the demo's other channels were never installed here).
      expect(summary).toEqual({ rosters: 1, scopes: 1, failed: 0 });
      expect(fresh.stub.rosterRequests.filter((c) => c === DEMO_TEAM_ID).length).toBeGreaterThan(0);
      const hdb = await fresh.db.prisma.scope.findFirstOrThrow({ where: { channelId: SIGNALEN_HDB.id } });
      expect(await fresh.db.prisma.member.findFirst({ where: { scopeId: hdb.id, aadObjectId: DAAN.aadObjectId } })).toMatchObject({ active: false });
      expect(await fresh.db.prisma.member.findFirst({ where: { scopeId: hdb.id, aadObjectId: FATIMA.aadObjectId } })).toMatchObject({ active: true });

      const after = message('signalen', DAAN, { channel: SIGNALEN_HDB });
      await fresh.send(after);
      expect(repliesTo(fresh.stub, after)[0].activity.text).toMatch(/^U bent \(nog\) geen lid/);

      // Not again within the interval; a Bot Connector that cannot be reached is counted and does not stop the rest.
      expect(await fresh.running.refreshRosters(60 * 60_000)).toEqual({ rosters: 0, scopes: 0, failed: 0 });
      await fresh.db.prisma.scope.update({ where: { id: hdb.id }, data: { serviceUrl: 'http://127.0.0.1:9/' } });
      expect(await fresh.running.refreshRosters(0)).toEqual({ rosters: 1, scopes: 0, failed: 1 });
      expect(await fresh.db.prisma.member.count({ where: { scopeId: hdb.id, active: true } })).toBeGreaterThan(0);
    } finally {
      await fresh.stop();
    }
  }, 60_000);
});
