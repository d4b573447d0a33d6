import { slack } from '@teamstate/connectors/slack';
import { createTeamState, type SyncProgress, type TeamState } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { fixture, rateLimited, SLACK_API, slackJson, useSlackMock } from './helpers/slack-mock.js';

const mock = useSlackMock();

// People already known: ana by email (Slack has it in another case), cat through a configured override.
const bundle = {
  format: 'teamstate.bundle/v1',
  teams: [{ id: 'payments', name: 'Payments' }],
  people: [
    { id: 'ana', name: 'Ana Garcia', email: 'ana@example.com', teams: ['payments'], accounts: [{ provider: 'github', id: 'anag' }] },
    { id: 'catherine', name: 'Cat Jensen', teams: [], accounts: [{ provider: 'slack', id: 'U0CAT', login: 'U0CAT' }] },
  ],
};

async function setup() {
  const waits: number[] = [];
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [
      slack({
        token: 'xoxb-test-token',
        apiUrl: SLACK_API,
        pageIntervalMs: 3000,
        sleep: async (ms) => {
          waits.push(ms);
        },
      }),
    ],
  });
  mock.keep(ts);
  await ts.import(bundle);
  return { ts, waits };
}

async function slackAccounts(ts: TeamState) {
  const rows = await ts.store.execute("SELECT external_id, login, person_id FROM accounts WHERE provider = 'slack' ORDER BY external_id");
  return rows.rows.map((r) => [r.external_id, r.person_id]);
}

describe('slack sync: people from users.list', () => {
  it('pages with a cursor (200 a page, paced for Tier 2), links people by email and overrides, and leaves out bots and deactivated users', async () => {
    const { ts, waits } = await setup();
    const result = await ts.sync();
    expect(result.ok).toBe(true);
    const lists = mock.callsOf('users.list');
    expect(lists.map((c) => c.args)).toEqual([{ limit: '200' }, { limit: '200', cursor: 'dXNlcjpVMENBVA==' }]);
    expect(lists.every((c) => c.authorization === 'Bearer xoxb-test-token')).toBe(true);
    expect(mock.calls.map((c) => c.method)).toEqual(['users.list', 'users.list']); // never one lookup per person
    expect(waits).toEqual([3000]); // the pause between the two pages
    expect(await slackAccounts(ts)).toEqual([
      ['U0ANA', 'ana'], // email, matched case-insensitively
      ['U0BEN', 'ben'], // nobody with that email: a new person
      ['U0CAT', 'catherine'], // the configured override
    ]);
    expect(await ts.people.get('ben')).toMatchObject({ name: 'Ben Okafor', email: 'ben.okafor@example.com' });
    expect((await ts.people.get('ana'))?.accounts?.map((a) => a.provider).sort()).toEqual(['github', 'slack']);
  });

  it("takes people's time zones from Slack's tz, keeps one declared in config or a bundle, and follows Slack's changes", async () => {
    const { ts } = await setup();
    await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'catherine', name: 'Cat Jensen', timeZone: 'America/Chicago' }] });
    await ts.sync();
    const zones = async () => Object.fromEntries((await ts.people.list()).map((p) => [p.id, p.timeZone]));
    expect(await zones()).toEqual({ ana: 'Europe/Madrid', ben: 'Europe/London', catherine: 'America/Chicago' });
    // Ben moves to Lisbon in his Slack profile; a time zone Slack gave follows it, a declared one stays.
    mock.on('users.list', (call) => {
      const page = fixture<{ members: { id: string; tz?: string }[] }>(call.args.cursor ? 'users.list.page-2' : 'users.list.page-1');
      return slackJson({ ...page, members: page.members.map((m) => (m.id === 'U0BEN' ? { ...m, tz: 'Europe/Lisbon' } : m)) });
    });
    await ts.sync();
    expect(await zones()).toEqual({ ana: 'Europe/Madrid', ben: 'Europe/Lisbon', catherine: 'America/Chicago' });
  });

  it('is idempotent: a second sync changes nothing', async () => {
    const { ts } = await setup();
    await ts.sync();
    const before = await ts.export();
    await ts.sync();
    expect(await ts.export()).toEqual(before);
  });

  it('waits out a rate limit for as long as Retry-After says, reporting it, then goes on', async () => {
    const { ts, waits } = await setup();
    mock.on('users.list', (call, index) =>
      index === 0 ? rateLimited(7) : slackJson(fixture(call.args.cursor ? 'users.list.page-2' : 'users.list.page-1')),
    );
    const progress: SyncProgress[] = [];
    const result = await ts.sync({ onProgress: (p) => progress.push(p) });
    expect(result.ok).toBe(true);
    expect(mock.callsOf('users.list')).toHaveLength(3);
    expect(waits).toEqual([7000, 3000]);
    expect(progress).toContainEqual(
      expect.objectContaining({ connector: 'slack', waitingMs: 7000, message: 'Slack rate limit (users.list)' }),
    );
    expect(await slackAccounts(ts)).toHaveLength(3);
  });

  it('fails with the missing scope named and how to add it', async () => {
    const { ts } = await setup();
    mock.on('users.list', () => slackJson(fixture('error.missing_scope')));
    const result = await ts.sync();
    expect(result.ok).toBe(false);
    expect(result.connectors[0]!.error).toEqual({
      code: 'upstream_error',
      message:
        'users.list: Slack answered "missing_scope": the token lacks the users:read.email scope (it has chat:write,users:read): add it under OAuth & Permissions and reinstall the app',
    });
    expect(mock.callsOf('users.list')).toHaveLength(1); // not retried
  });

  it('gives up on a lasting rate limit after five attempts instead of waiting forever', async () => {
    const { ts, waits } = await setup();
    mock.on('users.list', () => rateLimited(1));
    const result = await ts.sync();
    expect(result.ok).toBe(false);
    expect(mock.callsOf('users.list')).toHaveLength(5);
    expect(waits).toEqual([1000, 1000, 1000, 1000]);
  });
});

describe('slack() options', () => {
  it('refuses bad options with the setting and the fix', () => {
    expect(() => slack({ token: '' })).toThrow('slack: token is required: the bot token (xoxb-…)');
    expect(() => slack({ token: 'xoxb-1', apiUrl: 'slack.com/api' })).toThrow(
      'slack: apiUrl: expected an http(s) URL such as https://slack.com/api/, got "slack.com/api"',
    );
    expect(() => slack({ token: 'xoxb-1', approvalChannel: '#approvals' })).toThrow(
      'slack: approvalChannel: expected a channel id such as C0123ABCD, got "#approvals"',
    );
  });

  it('offers interactivity only with a signing secret, and approval requests unless turned off', () => {
    expect(slack({ token: 'xoxb-1' }).interactions).toBeUndefined();
    expect([slack({ token: 'xoxb-1', signingSecret: 's' }).interactions].flat().map((spec) => spec?.path)).toEqual([
      'slack/interactivity',
      'slack/commands',
    ]);
    expect(slack({ token: 'xoxb-1' }).approvalChannel?.id).toBe('slack');
    expect(slack({ token: 'xoxb-1', approvalRequests: false }).approvalChannel).toBeUndefined();
    expect(slack({ token: 'xoxb-1' }).actions?.map((a) => a.type)).toEqual(['slack.message.post', 'slack.dm.send', 'slack.survey.send']);
  });
});
