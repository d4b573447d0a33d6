// Small hand-built bundles for the metric tests: two teams, three people, two repositories, and builders for
// the records each test adds. Every test imports its bundle into a fresh in-memory libSQL store.
import {
  type BundleInput,
  createTeamState,
  type Deployment,
  type Incident,
  type MetricComputeOptions,
  type MetricResult,
  type MetricSettings,
  type Sprint,
  type TeamState,
  type WorkItem,
} from '@teamstate/core';
import { builtinMetrics } from '../src/index.js';

/** March 2026 (31 days), the window most tests use. */
export const MARCH = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' } as const;

/** `2026-03-<day>T<hour>:00:00Z` (hours may exceed 24 or be fractional). */
export function at(day: number, hour = 0): string {
  return new Date(Date.UTC(2026, 2, day) + hour * 3_600_000).toISOString();
}

type Records = Omit<BundleInput, 'format' | 'teams' | 'people' | 'repositories'>;

/** Opens a fresh in-memory teamstate with the built-in metrics and imports the base org plus `records`. */
export async function open(records: Records, metricSettings?: MetricSettings): Promise<TeamState> {
  const ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics, metricSettings });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [
      { id: 'payments', name: 'Payments' },
      { id: 'growth', name: 'Growth' },
    ],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'] },
      { id: 'ben', name: 'Ben', teams: ['payments'] },
      { id: 'cy', name: 'Cy', teams: ['growth'] },
    ],
    repositories: [
      { id: 'acme/api', team: 'payments' },
      { id: 'acme/web', team: 'growth' },
    ],
    ...records,
  });
  return ts;
}

/** Computes one metric. */
export async function metric(ts: TeamState, id: string, query: Partial<MetricComputeOptions> = {}): Promise<MetricResult> {
  const results = await ts.metrics.compute([id], { ...MARCH, ...query });
  return results[id]!;
}

/** A pull request `acme/api#<n>` by ana (override anything). */
export function pullRequest(n: number, fields: Partial<WorkItem> & { createdAt: string }): WorkItem {
  const repository = fields.repository ?? 'acme/api';
  return {
    id: `pr-${repository}-${n}`,
    source: 'github',
    kind: 'pull_request',
    key: `${repository}#${n}`,
    title: `Change ${n}`,
    state: fields.mergedAt ? 'merged' : 'open',
    repository,
    author: 'ana',
    ...fields,
  };
}

/** A Jira-style issue `PAY-<n>` of team payments (override anything). */
export function issue(n: number, fields: Partial<WorkItem> & { createdAt: string }): WorkItem {
  return {
    id: `PAY-${n}`,
    source: 'jira',
    kind: 'story',
    key: `PAY-${n}`,
    title: `Story ${n}`,
    state: 'To Do',
    team: 'payments',
    ...fields,
  };
}

/** A status transition. */
export function transition(time: string, from: string | null, to: string, fromCategory: string | null, toCategory: string) {
  return { at: time, from, to, fromCategory, toCategory } as NonNullable<WorkItem['transitions']>[number];
}

/** A successful production deployment of acme/api (override anything). */
export function deployment(id: string, finishedAt: string, fields: Partial<Deployment> = {}): Deployment {
  return { id, repository: 'acme/api', environment: 'production', status: 'success', finishedAt, ...fields };
}

/** An incident (override anything). */
export function incident(id: string, createdAt: string, fields: Partial<Incident> = {}): Incident {
  return { id, title: `Incident ${id}`, createdAt, ...fields };
}

/** A sprint of team payments. */
export function sprint(id: string, fields: Partial<Sprint> & { startAt: string; endAt: string }): Sprint {
  return { id, name: id, team: 'payments', state: 'closed', ...fields };
}

/** Hours between two ISO instants. */
export const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;
