import { describe, expect, it } from 'vitest';
import { at, deployment, MARCH, metric, open, pullRequest } from './fixtures.js';

describe('rework_rate', () => {
  it('is null without production deployments in the window', async () => {
    expect(await metric(await open({}), 'rework_rate')).toMatchObject({ value: null, rework: 0, total: 0, unit: 'ratio' });
  });

  it('is the share of production deployments shipping a rework-labelled or reverting pull request', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: at(1), mergedAt: at(2), labels: ['HotFix'] }),
        pullRequest(2, { createdAt: at(1), mergedAt: at(4), title: 'Revert "Change 1"' }),
        pullRequest(3, { createdAt: at(1), mergedAt: at(6), title: 'Reverting nothing' }),
        pullRequest(4, { createdAt: at(1), mergedAt: at(8), labels: ['incident', 'backend'] }),
        pullRequest(5, { createdAt: at(1), mergedAt: at(10), labels: ['cleanup'] }),
      ],
      deployments: [
        deployment('listed', at(3), { pullRequests: ['pr-acme/api-1'] }),
        deployment('heuristic-revert', at(5)),
        deployment('plain', at(7)),
        deployment('staging', at(9), { environment: 'staging' }),
        deployment('after-staging', at(9, 1)),
        deployment('cleanup', at(11)),
      ],
    });
    expect(await metric(ts, 'rework_rate')).toMatchObject({ rework: 3, total: 5, value: 0.6 });
    const explanation = await ts.metrics.explain('rework_rate', MARCH);
    expect(explanation.rows.map((row) => [row.deployment, row.rework, row.reworkPullRequests])).toEqual([
      ['listed', true, ['acme/api#1']],
      ['heuristic-revert', true, ['acme/api#2']],
      ['plain', false, []],
      ['after-staging', true, ['acme/api#4']],
      ['cleanup', false, []],
    ]);
  });

  it('uses the configured rework labels', async () => {
    const ts = await open(
      {
        workItems: [
          pullRequest(1, { createdAt: at(1), mergedAt: at(2), labels: ['hotfix'] }),
          pullRequest(2, { createdAt: at(1), mergedAt: at(4), labels: ['Rollback'] }),
        ],
        deployments: [deployment('a', at(3)), deployment('b', at(5))],
      },
      { reworkLabels: ['rollback'] },
    );
    expect(await metric(ts, 'rework_rate')).toMatchObject({ rework: 1, total: 2, value: 0.5 });
  });

  it('matches whole labels only: LIKE wildcards, quotes and a label holding another in its text never count', async () => {
    const ts = await open(
      {
        workItems: [
          pullRequest(1, { createdAt: at(1), mergedAt: at(2), labels: ['hotXfix', '50 percent'] }), // wildcards are literal
          pullRequest(2, { createdAt: at(1), mergedAt: at(4), labels: ['x","hot_fix'] }), // one label quoting another
          pullRequest(3, { createdAt: at(1), mergedAt: at(6), labels: ['say "ship"', 'backend'] }),
          pullRequest(4, { createdAt: at(1), mergedAt: at(8), labels: ['50%'] }),
        ],
        deployments: [deployment('a', at(3)), deployment('b', at(5)), deployment('c', at(7)), deployment('d', at(9))],
      },
      { reworkLabels: ['hot_fix', '50%', 'Say "Ship"'] },
    );
    const result = await metric(ts, 'rework_rate');
    expect(result).toMatchObject({ rework: 2, total: 4, value: 0.5 });
    const explanation = await ts.metrics.explain('rework_rate', MARCH);
    expect(explanation.rows.filter((row) => row.rework).map((row) => row.deployment)).toEqual(['c', 'd']);
  });
});
