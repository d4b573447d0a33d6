import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTeamState,
  type TeamState,
  TeamStateError,
  type TeamStateOptions,
  type UnapprovedPolicyChange,
  unapprovedPolicyChange,
} from '../src/index.js';
import { createTestConnector, createTestWorld, teamBundle, testPolicy } from './fixtures/test-connector.js';
import { tempFolders } from './helpers/temp-folders.js';

const temp = tempFolders();

const T0 = Date.parse('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
let now = T0;
let open: TeamState[] = [];

afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

/** Opens the database as the CLI does (the approved policy runs), with `policy` as the configured one. */
async function openApproved(database: string, policy: TeamStateOptions['policy'], changes: UnapprovedPolicyChange[] = []) {
  const ts = await createTeamState({
    database,
    signals: [unapprovedPolicyChange],
    connectors: [createTestConnector(createTestWorld())],
    policy,
    approvedPolicy: { onUnapprovedChange: (change) => changes.push(change) },
    clock: () => new Date(now),
  });
  open.push(ts);
  return ts;
}

const freshDatabase = () => `file:${join(temp.folder('ts-policy-'), 'teamstate.db')}`;
const note = { type: 'test.note.add', target: 'notes', params: { text: 'hello' }, reason: 'say hello', requestedBy: 'bot' };
const denyNotes = { ...testPolicy, actions: { ...testPolicy.actions, 'test.note.add': { mode: 'deny' as const } } };
const denyNotesText = `actions:
  "test.*": { mode: ask }
  test.pr.merge: { mode: require_approval, risk: high }
  test.issue.*: { mode: deny }
  test.item.read: { mode: auto }
  test.note.add: { mode: deny }
approvers: { high: [team:leads], default: [team:payments, cat] }
ttl: { default: 24h, high: 4h }
limits: { max_channel_size_auto_post: 10 }
`;

describe('the approved policy', () => {
  it('adopts the configured policy as version 1 on first open, on the ledger', async () => {
    now = T0;
    const ts = await openApproved(freshDatabase(), testPolicy);
    const active = await ts.policy.active();
    expect(active).toMatchObject({ version: 1, proposedBy: 'config', approvedBy: 'config', at: '2026-03-02T09:00:00.000Z' });
    expect(active?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(ts.policy.version).toBe(1);
    const entries = await ts.audit.list({ limit: 10 });
    expect(entries.map((e) => e.type)).toEqual(['policy.adopted']);
    expect(entries[0]?.data).toMatchObject({ version: 1, hash: active?.hash });
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('keeps running the approved version when the configured one changes, until a change is approved', async () => {
    now = T0;
    const database = freshDatabase();
    const first = await openApproved(database, testPolicy);
    await first.import(teamBundle);
    await first.close();

    // The config now denies notes: not approved, so notes still ask, and the change is reported once.
    const changes: UnapprovedPolicyChange[] = [];
    const ts = await openApproved(database, denyNotes, changes);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.active.version).toBe(1);
    expect((await ts.actions.propose(note)).status).toBe('pending');
    await ts.signals.refresh();
    const [signal, ...others] = await ts.signals.list({ kind: 'policy.unapproved_change' });
    expect(others).toEqual([]);
    expect(signal).toMatchObject({ status: 'open', severity: 'warning', subject: { type: 'policy', id: 'default' } });
    expect(signal?.title).toContain('teamstate policy propose');

    const change = await ts.policy.propose({ document: denyNotesText, requestedBy: 'ben' });
    expect(change).toMatchObject({
      type: 'policy.change',
      status: 'pending',
      mode: 'require_approval',
      risk: 'high',
      approvers: ['team:leads'],
    });
    expect(change.params).toMatchObject({ document: denyNotesText });
    expect(change.params.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(change.params.simulation).toMatchObject({
      days: 30,
      proposals: 1,
      changed: [{ type: 'test.note.add', before: 'ask', after: 'deny' }],
    });

    const approved = await ts.approvals.decide(change.id, { decision: 'approve', by: 'ana' });
    expect(approved).toMatchObject({ status: 'executed', result: { version: 2 } });
    expect((await ts.policy.history()).map((v) => [v.version, v.proposedBy, v.approvedBy])).toEqual([
      [1, 'config', 'config'],
      [2, 'ben', 'ana'],
    ]);
    expect((await ts.policy.active())?.text).toBe(denyNotesText);
    // The running process picks the new version up at once, and the unapproved change is settled.
    expect((await ts.actions.propose({ ...note, params: { text: 'again' } })).status).toBe('denied');
    await ts.signals.refresh();
    expect(await ts.signals.list({ kind: 'policy.unapproved_change' })).toEqual([]);
    expect((await ts.audit.list({ limit: 100 })).map((e) => e.type)).toContain('policy.version_stored');
    expect((await ts.audit.verify()).ok).toBe(true);
    await ts.close();

    const quiet: UnapprovedPolicyChange[] = [];
    const later = await openApproved(database, denyNotes, quiet);
    expect(quiet).toEqual([]);
    expect(later.policy.version).toBe(2);
  });

  it('always holds a policy change for a high-risk approver, whatever the policy says', async () => {
    now = T0;
    const ts = await openApproved(freshDatabase(), { actions: { '*': { mode: 'auto' } }, approvers: { high: ['ana'] } });
    await ts.import(teamBundle);
    const change = await ts.policy.propose({ document: 'actions: {}\n', requestedBy: 'ben' });
    expect(change).toMatchObject({ status: 'pending', mode: 'require_approval', risk: 'high', approvers: ['ana'] });
    const refused = await ts.approvals.decide(change.id, { decision: 'approve', by: 'ben' }).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(refused) && refused.code).toBe('self_decision');
  });

  it('refuses a bad document naming the field, and proposes nothing', async () => {
    now = T0;
    const ts = await openApproved(freshDatabase(), testPolicy);
    await ts.import(teamBundle);
    const error = await ts.policy
      .propose({ document: 'actions:\n  test.pr.merge: { mode: yes }\n', requestedBy: 'ben' })
      .catch((e: unknown) => e);
    expect(TeamStateError.isInstance(error) && error.code).toBe('invalid_policy');
    expect((error as Error).message).toContain(
      'policy.actions["test.pr.merge"].mode: expected one of auto|ask|require_approval|deny, got "yes"',
    );
    expect(await ts.approvals.list()).toEqual([]);
  });

  it('leaves an embedding app its own policy: nothing is stored without approvedPolicy', async () => {
    const ts = await createTeamState({ database: ':memory:', policy: testPolicy });
    open.push(ts);
    expect(await ts.policy.active()).toBeUndefined();
    expect(await ts.policy.history()).toEqual([]);
    expect(ts.policy.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('ts.policy.simulate', () => {
  it("replays the window's proposals under the candidate", async () => {
    now = T0;
    const ts = await openApproved(freshDatabase(), testPolicy);
    await ts.import(teamBundle);
    // 40 days ago: out of a 30-day window.
    now = T0 - 40 * DAY;
    await ts.actions.propose({ ...note, params: { text: 'old' } });
    now = T0 - 2 * DAY;
    const asked = await ts.actions.propose(note);
    const read = await ts.actions.propose({ ...note, type: 'test.item.read', params: { key: 'X-1' } });
    const merge = await ts.actions.propose({
      ...note,
      type: 'test.pr.merge',
      target: 'acme/api#42',
      params: { repository: 'acme/api', number: 42, expectedHeadSha: 'abc123' },
    });
    const closed = await ts.actions.propose({ ...note, type: 'test.issue.close', params: { key: 'PAY-1' } });
    now = T0;
    const candidate = { actions: { 'test.*': { mode: 'deny' }, 'test.item.read': { mode: 'auto' }, 'test.issue.close': { mode: 'ask' } } };
    const simulation = await ts.policy.simulate(candidate, { days: 30 });
    // Proposed in the same millisecond: in id order.
    const byId = (a: { approvalId: string }, b: { approvalId: string }) => (a.approvalId < b.approvalId ? -1 : 1);
    expect({ ...simulation, changed: [...simulation.changed].sort(byId) }).toEqual({
      days: 30,
      proposals: 4,
      before: { auto: 1, ask: 1, require_approval: 1, deny: 1 },
      after: { auto: 1, ask: 1, require_approval: 0, deny: 2 },
      changed: [
        { approvalId: asked.id, type: 'test.note.add', target: 'notes', before: 'ask', after: 'deny' },
        { approvalId: merge.id, type: 'test.pr.merge', target: 'acme/api#42', before: 'require_approval', after: 'deny' },
        { approvalId: closed.id, type: 'test.issue.close', target: 'notes', before: 'deny', after: 'ask' },
      ].sort(byId),
    });
    expect(simulation.changed).toEqual([...simulation.changed].sort(byId));
    expect(read.mode).toBe('auto');
    expect((await ts.policy.simulate(candidate, { days: 60 })).proposals).toBe(5);
    const error = await ts.policy.simulate(candidate, { days: 0 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('days: expected a whole number of days from 1 to 3650, got 0');
  });
});

describe('approval provenance', () => {
  it('records the proposing model and a 32-hex trace id without an OpenTelemetry SDK', async () => {
    now = T0;
    const ts = await openApproved(freshDatabase(), testPolicy);
    await ts.import(teamBundle);
    const approval = await ts.actions.propose({ ...note, modelVersion: 'claude-opus-4' });
    expect(approval.modelVersion).toBe('claude-opus-4');
    expect(approval.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(await ts.approvals.get(approval.id)).toMatchObject({ modelVersion: 'claude-opus-4', traceId: approval.traceId });
    const plain = await ts.actions.propose({ ...note, params: { text: 'other' } });
    expect(plain.modelVersion).toBeUndefined();
    expect(plain.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(plain.traceId).not.toBe(approval.traceId);
  });
});
