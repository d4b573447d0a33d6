import { describe, expect, it } from 'vitest';
import { at, issue, MARCH, metric, open, pullRequest } from './fixtures.js';

describe('throughput', () => {
  it('is null when nothing was merged or resolved in the window', async () => {
    const ts = await open({ workItems: [pullRequest(1, { createdAt: at(1) }), issue(1, { createdAt: at(1) })] });
    expect(await metric(ts, 'throughput')).toEqual({ value: null, unit: 'count', pullRequests: 0, issues: 0 });
  });

  it('counts pull requests merged (value) and issues resolved in the half-open window', async () => {
    const ts = await open({
      workItems: [
        pullRequest(1, { createdAt: at(1), mergedAt: MARCH.from }),
        pullRequest(2, { createdAt: at(1), mergedAt: '2026-03-31T23:59:59.999Z' }),
        pullRequest(3, { createdAt: at(1), mergedAt: MARCH.to }),
        pullRequest(4, { createdAt: at(1), closedAt: at(3) }),
        pullRequest(5, { createdAt: at(1), mergedAt: at(5), repository: 'acme/web', author: 'cy' }),
        issue(1, { createdAt: at(1), resolvedAt: at(4), assignees: ['ben'] }),
        issue(2, { createdAt: at(1), resolvedAt: '2026-04-01T01:00:00+02:00' }), // 2026-03-31T23:00Z
        issue(3, { createdAt: at(1), resolvedAt: at(4), team: 'growth', kind: 'bug' }),
        issue(4, { createdAt: at(1) }),
      ],
    });
    expect(await metric(ts, 'throughput')).toMatchObject({ value: 3, pullRequests: 3, issues: 3 });
    expect(await metric(ts, 'throughput', { team: 'payments' })).toMatchObject({ value: 2, issues: 2 });
    expect(await metric(ts, 'throughput', { person: 'ben' })).toMatchObject({ value: 0, issues: 1 });
    const explanation = await ts.metrics.explain('throughput', MARCH);
    expect(explanation.rows.map((row) => row.key)).toEqual(['acme/api#1', 'PAY-1', 'PAY-3', 'acme/web#5', 'PAY-2', 'acme/api#2']);
  });
});
