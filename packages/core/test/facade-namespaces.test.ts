import { createTeamState, type TeamState, TeamStateError, unknownId } from '@teamstate/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acmeBundle } from './fixtures/acme-bundle.js';

// Every area is a namespace of the facade (`ts.ai.impact`, `ts.people.link`, `ts.reports.timeline`); the earlier
// top-level names stay as deprecated aliases that answer exactly as the namespaced ones.

let ts: TeamState;
beforeEach(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-03-20T12:00:00Z') });
  await ts.import(acmeBundle());
});
afterEach(() => ts.close());

describe('the facade namespaces', () => {
  it('answers through ts.ai, ts.reports.timeline and ts.people as through the deprecated names', async () => {
    const window = { from: '2026-01-01', to: '2026-04-01' };
    expect(await ts.ai.impact(window)).toEqual(await ts.aiImpact(window));
    expect(await ts.ai.leaderboard(window)).toEqual(await ts.leaderboard(window));
    expect(await ts.reports.timeline('ana', window)).toEqual(await ts.timeline('ana', window));
    expect(await ts.people.resolve([{ provider: 'github', id: '1001' }])).toEqual(['ana']);
    expect(await ts.resolvePeople([{ provider: 'github', id: '1002' }])).toEqual(['ben']);
  });

  it('links an account through ts.people.link, and the alias is the same function', async () => {
    expect(ts.linkAccount).toBe(ts.people.link);
    expect(ts.timeline).toBe(ts.reports.timeline);
    expect(ts.aiImpact).toBe(ts.ai.impact);
    await ts.people.link({ provider: 'github', id: '1002' }, 'cleo');
    expect(await ts.people.resolve([{ provider: 'github', id: '1002' }])).toEqual(['cleo']);
  });
});

describe('ts.records.clear()', () => {
  it('refuses a connector that is not a non-empty id, naming the argument, and leaves the records as they were', async () => {
    for (const connector of ['', '  ', 42, undefined, null]) {
      await expect(ts.records.clear(connector as string), String(connector)).rejects.toThrow(
        /^connector: expected the id of the connector whose sync cursors go \(e\.g\. "demo"\), got /,
      );
    }
    expect((await ts.teams.list()).length).toBeGreaterThan(0);
    await ts.records.clear('demo');
    expect(await ts.teams.list()).toEqual([]);
  });
});

describe('unknownId()', () => {
  it('names the field, quotes the value, suggests the closest id and lists a few known ones', () => {
    const error = unknownId('team', 'paymnets', ['leads', 'payments']);
    expect(error).toBeInstanceOf(TeamStateError);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toBe('team: unknown team "paymnets" (did you mean "payments"?); known: leads, payments');
    expect(unknownId('team', 'zzz', []).message).toBe('team: unknown team "zzz"; known: (none)');
    const many = Array.from({ length: 21 }, (_, i) => `team-${i}`);
    expect(unknownId('team', 'nope', many).message).toBe('team: unknown team "nope"');
    expect(unknownId('name', 'zzz', ['approve', 'list'], { what: 'tool', listAs: 'available: ', list: 'always' }).message).toBe(
      'name: unknown tool "zzz"; available: approve, list',
    );
    expect(unknownId('person', 'anna', ['ana'], { list: 'never' }).message).toBe('person: unknown person "anna" (did you mean "ana"?)');
    expect(unknownId('t', 'x', ['y'], { code: 'invalid_config' }).code).toBe('invalid_config');
  });

  it('is the error of an unknown team or person everywhere, with one code', async () => {
    const refusal = async (work: Promise<unknown>) =>
      (await work.then(
        () => undefined,
        (error: unknown) => error,
      )) as TeamStateError;
    const errors = [
      await refusal(ts.reports.timeline('anna', { from: '2026-01-01', to: '2026-02-01' })),
      await refusal(ts.signals.list({ team: 'paymnets' })),
      await refusal(ts.reports.list({ person: 'anna' })),
      await refusal(ts.tokens.create({ person: 'anna', scopes: ['read'] })),
    ];
    expect(errors.map((e) => e.code)).toEqual(['invalid_argument', 'invalid_argument', 'invalid_argument', 'invalid_argument']);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^person: unknown person "anna" \(did you mean "ana"\?\)/),
      expect.stringMatching(/^team: unknown team "paymnets" \(did you mean "payments"\?\)/),
      expect.stringMatching(/^person: unknown person "anna" \(did you mean "ana"\?\)/),
      'person: unknown person "anna" (did you mean "ana"?)',
    ]);
  });
});
