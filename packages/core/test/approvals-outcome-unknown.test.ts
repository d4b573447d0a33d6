import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Connector, createTeamState, defineActionType, type TeamState, UpstreamError } from '../src/index.js';
import { testConnector } from '../src/testing/index.js';
import { teamBundle } from './fixtures/test-connector.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');

/**
 * The upstream the probe action writes to. Every write is answered 503 (the caller cannot tell whether it landed);
 * `lands` says whether it took effect anyway, `checkFails` makes the read that checks it fail too.
 */
interface Upstream {
  lands: boolean;
  checkFails: boolean;
  writes: string[];
  labels: Set<string>;
  checks: number;
}

const upstream = (options: Partial<Upstream> = {}): Upstream => ({
  lands: false,
  checkFails: false,
  writes: [],
  labels: new Set(),
  checks: 0,
  ...options,
});

const unavailable = () =>
  new UpstreamError(
    'Probe POST /labels failed with 503: Service Unavailable (the write was not sent again: it may or may not have taken effect)',
    {
      statusCode: 503,
      isRetryable: false,
      outcomeUnknown: true,
      request: { method: 'POST', path: '/labels' },
    },
  );

/** `probe.label.add`, whose write always answers 503, with `checkExecuted` unless `checkable` is false. */
function probeConnector(world: Upstream, checkable = true): Connector {
  return testConnector({
    id: 'probe',
    actions: [
      defineActionType({
        type: 'probe.label.add',
        description: 'Add a label',
        risk: 'high',
        params: z.strictObject({ label: z.string().min(1) }),
        async execute(params) {
          world.writes.push(params.label);
          if (world.lands) world.labels.add(params.label);
          throw unavailable();
        },
        checkExecuted: checkable
          ? async (params) => {
              world.checks++;
              if (world.checkFails) throw new Error('Probe GET /labels failed: connect ECONNREFUSED');
              return world.labels.has(params.label)
                ? { executed: true, result: { label: params.label, present: true } }
                : { executed: false };
            }
          : undefined,
      }),
    ],
  });
}

const open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open.splice(0)) await ts.close();
});

async function approvedProbe(world: Upstream, checkable = true) {
  const ts = await createTeamState({
    database: ':memory:',
    connectors: [probeConnector(world, checkable)],
    policy: { actions: { 'probe.*': { mode: 'require_approval', risk: 'high' } }, approvers: { high: ['team:leads'] } },
    clock: () => new Date(T0),
  });
  open.push(ts);
  await ts.import(teamBundle);
  const proposed = await ts.actions.propose({
    type: 'probe.label.add',
    target: 'acme/api#42',
    params: { label: 'ready' },
    reason: 'CI green',
    requestedBy: 'bot',
  });
  expect(proposed.status).toBe('pending');
  await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' });
  const settled = await ts.approvals.get(proposed.id);
  const audit = await ts.audit.list({ approvalId: proposed.id });
  expect((await ts.audit.verify()).ok).toBe(true);
  return { settled, audit };
}

describe('an executor whose write may have landed', () => {
  it('is executed, with the check s result and a reconciled audit entry, when the check finds the write took effect', async () => {
    const world = upstream({ lands: true });
    const { settled, audit } = await approvedProbe(world);
    expect(settled).toMatchObject({ status: 'executed', result: { label: 'ready', present: true } });
    expect(settled?.error).toBeUndefined();
    expect(audit.find((e) => e.type === 'approval.executed')?.data).toMatchObject({ reconciled: true, result: { present: true } });
    expect(world.writes).toEqual(['ready']);
    expect(world.checks).toBe(1);
  });

  it('fails saying the upstream answered with an error and the write had not taken effect when the check finds nothing', async () => {
    const world = upstream({ lands: false });
    const { settled } = await approvedProbe(world);
    expect(settled).toMatchObject({ status: 'failed', error: { code: 'executor_error' } });
    expect(settled?.error?.message).toMatch(/Probe POST \/labels failed with 503/);
    expect(settled?.error?.message).toMatch(/the upstream answered with an error and the write had not taken effect; it was not retried/);
    expect(world.writes).toEqual(['ready']);
    expect(world.checks).toBe(1);
  });

  it('fails as outcome unknown, telling the person to check the target, when the check fails too', async () => {
    const world = upstream({ lands: true, checkFails: true });
    const { settled } = await approvedProbe(world);
    expect(settled).toMatchObject({ status: 'failed', error: { code: 'executor_error' } });
    expect(settled?.error?.message).toMatch(/outcome unknown: check the target before proposing again/);
    expect(settled?.error?.message).toMatch(/checking whether it took effect failed \(Probe GET \/labels failed: connect ECONNREFUSED\)/);
    expect(world.writes).toEqual(['ready']);
    expect(world.checks).toBe(1);
  });

  it('fails as outcome unknown, telling the person to check the target, when the action type cannot check', async () => {
    const world = upstream({ lands: true });
    const { settled } = await approvedProbe(world, false);
    expect(settled).toMatchObject({ status: 'failed', error: { code: 'executor_error' } });
    expect(settled?.error?.message).toMatch(/Probe POST \/labels failed with 503/);
    expect(settled?.error?.message).toMatch(/outcome unknown: check the target before proposing again/);
    expect(world.writes).toEqual(['ready']);
    expect(world.checks).toBe(0);
  });
});
