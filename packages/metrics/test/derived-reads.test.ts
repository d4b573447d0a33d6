// Each built-in calculator declares the derived tables it reads (`reads`), and `ts.metrics` brings exactly those up to
// date before its first statement, without looking at the SQL. Here the SQL is looked at: every calculator is computed
// and explained once per scope (none, team, repository, person) through a reader that records each statement it is
// asked to run, and the derived tables those statements name must be exactly the ones it declares: one too few would
// read stale rows, one too many would wait for a rebuild it does not need.
import { createTeamState, type DerivedTable, type MetricCalculator, type MetricComputeOptions, type TeamState } from '@teamstate/core';
import { createStoreReader, type StoreReader } from '@teamstate/core/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinMetrics } from '../src/index.js';
import { at, deployment, incident, issue, MARCH, pullRequest, sprint, transition } from './fixtures.js';

const DERIVED = /\b(pull_request_deployments|deployment_rework|incident_deployments)\b/g;
const SCOPES: Partial<MetricComputeOptions>[] = [{}, { team: 'payments' }, { repository: 'acme/api' }, { person: 'ana' }];

/** The derived tables named by the statements each calculator ran, by calculator id. */
const named = new Map<string, Set<string>>();
let ts: TeamState;

/** A reader over the store that notes the derived tables each statement names for calculator `id`. */
function recording(id: string, db: StoreReader): StoreReader {
  const seen = named.get(id) ?? new Set<string>();
  named.set(id, seen);
  return createStoreReader(
    {
      execute: (text, args) => {
        for (const [table] of text.matchAll(DERIVED)) seen.add(table);
        return ts.store.execute(text, args);
      },
    },
    db.workspace,
  );
}

/**
 * The calculator reading through {@link recording}, with `reads` left out: every derived table is brought up to date
 * first, so its statements see what they would with a right declaration.
 */
function recorded(calculator: MetricCalculator): MetricCalculator {
  const { id, title, unit, description, category, better, explain } = calculator;
  return {
    specificationVersion: 'v1',
    id,
    title,
    unit,
    description,
    ...(category === undefined ? {} : { category }),
    ...(better === undefined ? {} : { better }),
    compute: (db, q) => calculator.compute(recording(id, db), q),
    ...(explain === undefined ? {} : { explain: (db, q) => explain.call(calculator, recording(id, db), q) }),
  };
}

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', metrics: builtinMetrics.map(recorded) });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    people: [{ id: 'ana', name: 'Ana', teams: ['payments'] }],
    repositories: [{ id: 'acme/api', team: 'payments' }],
    workItems: [
      pullRequest(1, { createdAt: at(1), mergedAt: at(2), reviews: [{ reviewer: 'ana', state: 'approved', submittedAt: at(1, 5) }] }),
      pullRequest(2, { createdAt: at(3), labels: ['hotfix'], mergedAt: at(4) }),
      issue(1, {
        createdAt: at(1),
        resolvedAt: at(5),
        storyPoints: 3,
        sprint: 's1',
        assignees: ['ana'],
        transitions: [
          transition(at(2), 'To Do', 'In Progress', 'todo', 'in_progress'),
          transition(at(5), 'In Progress', 'Done', 'in_progress', 'done'),
        ],
      }),
    ],
    deployments: [deployment('d1', at(3)), deployment('d2', at(5), { pullRequests: ['pr-acme/api-2'] })],
    incidents: [incident('i1', at(6), { resolvedAt: at(7), repository: 'acme/api' }), incident('i2', at(8), { team: 'payments' })],
    sprints: [sprint('s1', { startAt: at(1), endAt: at(14), completedAt: at(14), state: 'closed', committedItems: ['PAY-1'] })],
  });
  for (const calculator of builtinMetrics) {
    for (const scope of SCOPES) {
      await ts.metrics.compute([calculator.id], { ...MARCH, ...scope });
      await ts.metrics.explain(calculator.id, { ...MARCH, ...scope });
    }
  }
});
afterAll(() => ts.close());

describe('the derived tables each built-in calculator declares it reads', () => {
  for (const calculator of builtinMetrics) {
    it(`${calculator.id}: exactly those its statements name`, () => {
      expect(calculator.reads, `${calculator.id} leaves reads out: declare the derived tables it reads`).toBeDefined();
      const declared: readonly DerivedTable[] = calculator.reads ?? [];
      const read = [...(named.get(calculator.id) ?? [])].sort();
      expect([...declared].sort(), `${calculator.id}: its reads (received), the tables its statements name (expected)`).toEqual(read);
    });
  }
});
