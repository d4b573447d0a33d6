// The same delivery history served as Jira (the fake Jira site, msw) and as Linear (the fake Linear API, msw) gives the
// same value for every metric both can express: flow (throughput, wip, aging_wip, flow_efficiency) and sprint
// (sprint_completion, velocity) metrics, for the team and for the whole workspace, over several windows. The Linear
// world is derived from the Jira site's issues, changelogs and sprints, entity by entity, so nothing is typed twice.
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeJira, fixture as jiraFixture } from '../jira/fake-jira.js';
import { testConnector as jiraConnector, NOW } from '../jira/jira-test-setup.js';
import { createFakeLinear, type StoredCycle, type StoredIssue, type StoredState } from './fake-linear.js';
import { testConnector as linearConnector } from './linear-test-setup.js';

// biome-ignore lint/suspicious/noExplicitAny: Jira's JSON as the fake keeps it
type Json = any;

const jira = createFakeJira();
const linear = createFakeLinear();
const server = setupServer(...jira.server.listHandlers(), ...linear.server.listHandlers());
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const CATEGORY_TYPE: Record<string, string> = { new: 'unstarted', indeterminate: 'started', done: 'completed' };
const uuid = (kind: number, n: number) => `00000000-0000-4000-${String(8000 + kind)}-${String(n).padStart(12, '0')}`;
const iso = (jiraTime: string) => new Date(jiraTime.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).toISOString();
const sprintIds = (value: string | null | undefined): number[] =>
  value
    ? value
        .split(',')
        .map((s) => Number(s.trim()))
        .filter(Number.isFinite)
    : [];

/** Replaces the fake Linear's world with the Jira site's: team PAY, its statuses as states, sprints as cycles, issues. */
function mirrorJiraIntoLinear(): void {
  const team = { id: uuid(1, 1), key: 'PAY', name: 'Payments' };
  const statuses: Json[] = jiraFixture('statuses.json');
  const states: StoredState[] = statuses.map((s, n) => ({
    id: uuid(2, n + 1),
    name: s.name,
    type: CATEGORY_TYPE[s.statusCategory.key]!,
    position: n,
    team: 'PAY',
  }));
  const state = (name: string) => {
    const found = states.find((s) => s.name === name)!;
    return { id: found.id, name: found.name, type: found.type };
  };
  const cycles: StoredCycle[] = jira.sprints
    .filter((s: Json) => s.startDate && s.endDate)
    .map((s: Json) => ({
      id: uuid(3, s.id),
      number: s.id,
      name: s.name,
      startsAt: s.startDate,
      endsAt: s.endDate,
      completedAt: s.state === 'closed' ? s.completeDate : null,
      updatedAt: s.completeDate ?? s.startDate,
      team: 'PAY',
    }));
  const users = new Map<string, StoredIssue['assignee']>();
  const userOf = (u: Json) => {
    if (!u?.accountId) return null;
    if (!users.has(u.accountId))
      users.set(u.accountId, {
        id: uuid(4, users.size + 1),
        name: u.displayName,
        displayName: u.displayName.split(' ')[0].toLowerCase(),
        email: u.emailAddress ?? '',
        active: true,
      });
    return users.get(u.accountId)!;
  };
  const cycleOf = (ids: number[]) => (ids.length > 0 ? uuid(3, Math.max(...ids)) : null);
  const issues: StoredIssue[] = [];
  for (let n = 1; n <= 7; n++) {
    const { issue, histories } = jira.issue(`PAY-${n}`);
    const f = issue.fields;
    const history: StoredIssue['history'] = [];
    for (const h of histories)
      for (const item of h.items) {
        const at = iso(h.created);
        if (item.fieldId === 'status')
          history.push({
            id: uuid(5, history.length + 100 * n),
            createdAt: at,
            fromState: state(item.fromString),
            toState: state(item.toString),
            fromCycleId: null,
            toCycleId: null,
          });
        if (item.fieldId === 'customfield_10020')
          history.push({
            id: uuid(5, history.length + 100 * n),
            createdAt: at,
            fromState: null,
            toState: null,
            fromCycleId: cycleOf(sprintIds(item.from)),
            toCycleId: cycleOf(sprintIds(item.to)),
          });
      }
    const done = f.status.statusCategory.key === 'done';
    const lastDone = history.filter((h) => h.toState?.type === 'completed' && h.fromState?.type !== 'completed').at(-1)?.createdAt;
    const sprints = (f.customfield_10020 ?? []).map((s: Json) => s.id).filter((id: number) => cycles.some((c) => c.number === id));
    issues.push({
      id: uuid(6, n),
      identifier: issue.key,
      title: f.summary,
      description: null,
      url: `https://linear.app/acme/issue/${issue.key.toLowerCase()}`,
      createdAt: iso(f.created),
      updatedAt: iso(f.updated),
      startedAt: null,
      completedAt: done ? (f.resolutiondate ? iso(f.resolutiondate) : (lastDone ?? null)) : null,
      canceledAt: null,
      dueDate: f.duedate ?? null,
      estimate: f.customfield_10016 ?? f.customfield_10028 ?? null,
      team,
      state: state(f.status.name),
      assignee: userOf(f.assignee),
      creator: userOf(f.reporter ?? f.creator),
      cycle: sprints.length > 0 ? { id: uuid(3, Math.max(...sprints)) } : null,
      project: null,
      parent: null,
      labels: { nodes: (f.labels ?? []).map((name: string) => ({ name })) },
      history: history.reverse(),
    });
  }
  linear.teams = [team];
  linear.states = states;
  linear.cycles = cycles;
  linear.users = [...users.values()].filter((u) => u !== null);
  linear.issues = issues;
}

const FLOW_AND_SPRINT = ['throughput', 'wip', 'aging_wip', 'flow_efficiency', 'sprint_completion', 'velocity'];
const WINDOWS = [
  { from: '2026-02-01T00:00:00Z', to: '2026-03-25T12:00:00Z' },
  { from: '2026-03-02T09:00:00Z', to: '2026-03-16T10:00:00Z' },
  { from: '2026-03-09T00:00:00Z', to: '2026-03-23T00:00:00Z' },
];

// Jira's issue types (story, epic) have no Linear counterpart: the work item kind is left out of the comparison (it only
// labels evidence rows, never changes a value).
const withoutKinds = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withoutKinds)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (k === 'kind' ? [] : [[k, withoutKinds(v)]])))
      : value;

async function metricsOf(ts: TeamState) {
  const out: Record<string, unknown> = {};
  for (const window of WINDOWS)
    for (const team of [undefined, 'payments'])
      out[`${window.from}..${window.to} ${team ?? 'all'}`] = withoutKinds(
        await ts.metrics.compute(FLOW_AND_SPRINT, { ...window, ...(team ? { team } : {}) }),
      );
  return out;
}

async function synced(connector: ReturnType<typeof jiraConnector>): Promise<TeamState> {
  const ts = await createTeamState({ database: ':memory:', connectors: [connector], metrics: builtinMetrics, clock: () => NOW });
  await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }] });
  const result = await ts.sync();
  expect(result.ok, JSON.stringify(result)).toBe(true);
  return ts;
}

describe('the same history from Jira and from Linear', () => {
  it('gives identical flow and sprint metrics', async () => {
    mirrorJiraIntoLinear();
    const fromJira = await synced(jiraConnector());
    const fromLinear = await synced(linearConnector({ teams: ['PAY'] }));
    const jiraMetrics = await metricsOf(fromJira);
    // The comparison means something only when the metrics have values.
    const all = jiraMetrics[`${WINDOWS[0]!.from}..${WINDOWS[0]!.to} payments`] as Record<string, { value: number | null }>;
    for (const id of FLOW_AND_SPRINT) expect(all[id]?.value, id).not.toBeNull();
    expect(await metricsOf(fromLinear)).toEqual(jiraMetrics);

    // Same statuses, categories and transition instants on every issue; same committed scope per sprint (by name).
    const shape = async (ts: TeamState) => {
      const bundle = await ts.export();
      const sprintName = new Map(bundle.sprints?.map((s) => [s.id, s.name]));
      const keyOf = new Map(bundle.workItems?.map((w) => [w.id, w.key]));
      return {
        items: bundle.workItems
          ?.map((w) => ({
            key: w.key,
            state: w.state,
            statusCategory: w.statusCategory,
            resolvedAt: w.resolvedAt,
            storyPoints: w.storyPoints,
            sprint: w.sprint ? sprintName.get(w.sprint) : undefined,
            transitions: w.transitions,
          }))
          .sort((a, b) => a.key.localeCompare(b.key)),
        sprints: bundle.sprints
          ?.map((s) => ({ name: s.name, state: s.state, committed: (s.committedItems ?? []).map((id) => keyOf.get(id)).sort() }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    };
    expect(await shape(fromLinear)).toEqual(await shape(fromJira));
    await fromJira.close();
    await fromLinear.close();
  });
});
