import { afterEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState, TeamStateError } from '../src/index.js';
import { createTestConnector, createTestWorld, type TestWorld, teamBundle, testPolicy } from './fixtures/test-connector.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;

let now = T0;
let open: TeamState[] = [];

async function setup(world: TestWorld = createTestWorld(), policy: unknown = testPolicy) {
  now = T0;
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [createTestConnector(world)],
    policy: policy as never,
    clock: () => new Date(now),
  });
  open.push(ts);
  await ts.import(teamBundle);
  return { ts, world };
}

afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

const note = { type: 'test.note.add', target: 'notes', params: { text: 'hello' }, reason: 'say hello', requestedBy: 'bot' };
const merge = {
  type: 'test.pr.merge',
  target: 'acme/api#42',
  params: { repository: 'acme/api', number: 42, expectedHeadSha: 'abc123' },
  reason: 'CI green',
  requestedBy: 'bot',
};

async function refusal(promise: Promise<unknown>): Promise<TeamStateError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}

describe('propose', () => {
  it('runs auto actions at once, holds ask and require_approval, records deny', async () => {
    const { ts, world } = await setup();
    const read = await ts.actions.propose({ ...note, type: 'test.item.read', params: { key: 'X-1' } });
    expect(read).toMatchObject({ status: 'executed', mode: 'auto', result: { done: true } });
    const asked = await ts.actions.propose(note);
    expect(asked).toMatchObject({ status: 'pending', mode: 'ask', risk: 'low', approvers: [], expiresAt: '2026-03-03T09:00:00.000Z' });
    const merged = await ts.actions.propose(merge);
    expect(merged).toMatchObject({ status: 'pending', mode: 'require_approval', risk: 'high', approvers: ['team:leads'] });
    expect(merged.expiresAt).toBe('2026-03-02T13:00:00.000Z');
    const closed = await ts.actions.propose({ ...note, type: 'test.issue.close', params: { key: 'PAY-1' } });
    expect(closed).toMatchObject({ status: 'denied', mode: 'deny', decidedBy: 'policy' });
    expect(world.executions.map((e) => e.type)).toEqual(['test.item.read']);
    expect(asked.policyHash).toBe(ts.policy.hash);
    expect(ts.policy.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
