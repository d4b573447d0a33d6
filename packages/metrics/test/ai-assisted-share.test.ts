import type { AiAssessment, WorkItem } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { at, MARCH, metric, open, pullRequest } from './fixtures.js';

const claude: AiAssessment = {
  assisted: true,
  tools: ['claude'],
  evidence: [{ kind: 'trailer', value: 'Co-Authored-By: Claude <noreply@anthropic.com>' }],
};
const none: AiAssessment = { assisted: false, tools: [], evidence: [{ kind: 'survey', value: 'none' }] };

// The definition, computed independently of SQL over the same records (docs/metrics.md#ai-metrics).
function truth(items: readonly WorkItem[], from: string, to: string, keep: (item: WorkItem) => boolean = () => true): number | null {
  const merged = items.filter(
    (item) =>
      item.kind === 'pull_request' &&
      item.mergedAt &&
      Date.parse(item.mergedAt) >= Date.parse(from) &&
      Date.parse(item.mergedAt) < Date.parse(to) &&
      keep(item),
  );
  if (merged.length === 0) return null;
  // What the store settles `ai` to: given evidence, or a label/body that says so.
  const assisted = merged.filter(
    (item) =>
      item.ai?.assisted === true || item.labels?.includes('ai-assisted') || /^🤖 Generated with \[Claude Code\]/mu.test(item.body ?? ''),
  );
  return assisted.length / merged.length;
}

describe('ai_assisted_share', () => {
  it('is null without merged pull requests in the window', async () => {
    const ts = await open({
      workItems: [pullRequest(1, { createdAt: at(1), ai: claude }), pullRequest(2, { createdAt: at(1), mergedAt: MARCH.to, ai: claude })],
    });
    expect(await metric(ts, 'ai_assisted_share')).toEqual({
      value: null,
      unit: 'ratio',
      assisted: 0,
      total: 0,
      notAssisted: 0,
      unknown: 0,
    });
  });

  it('divides merged AI-assisted PRs by all merged PRs in [from, to), bots included, scopes applied; matches the definition', async () => {
    const workItems: WorkItem[] = [
      pullRequest(1, { createdAt: at(1), mergedAt: MARCH.from, ai: claude }),
      pullRequest(2, { createdAt: at(1), mergedAt: at(3), labels: ['ai-assisted'] }),
      pullRequest(3, { createdAt: at(1), mergedAt: at(4), body: 'Fix\n\n🤖 Generated with [Claude Code](https://claude.ai/code)' }),
      pullRequest(4, { createdAt: at(1), mergedAt: at(5), ai: none }),
      // Dependabot's PR: no author person, no evidence, in the denominator.
      { ...pullRequest(5, { createdAt: at(1), mergedAt: at(6), labels: ['dependencies'] }), author: undefined },
      pullRequest(6, { createdAt: at(1), mergedAt: at(7), body: 'We tried Copilot; not used in the end.' }),
      pullRequest(7, { createdAt: at(1), mergedAt: at(8), repository: 'acme/web', author: 'cy', ai: claude }),
      pullRequest(8, { createdAt: at(1), mergedAt: MARCH.to, ai: claude }),
      pullRequest(9, { createdAt: at(1), closedAt: at(9), ai: claude }),
    ];
    const ts = await open({ workItems });
    expect(await metric(ts, 'ai_assisted_share')).toEqual({
      value: 4 / 7,
      unit: 'ratio',
      assisted: 4,
      total: 7,
      notAssisted: 1,
      unknown: 2,
    });
    expect((await metric(ts, 'ai_assisted_share')).value).toBeCloseTo(truth(workItems, MARCH.from, MARCH.to)!, 12);
    expect((await metric(ts, 'ai_assisted_share', { repository: 'acme/web' })).value).toBe(1);
    expect((await metric(ts, 'ai_assisted_share', { team: 'payments' })).value).toBeCloseTo(
      truth(workItems, MARCH.from, MARCH.to, (item) => item.repository === 'acme/api')!,
      12,
    );
    const early = { from: MARCH.from, to: at(4) };
    expect((await metric(ts, 'ai_assisted_share', early)).value).toBe(truth(workItems, early.from, early.to));
    const explanation = await ts.metrics.explain('ai_assisted_share', MARCH);
    expect(explanation.rows[0]).toEqual({ key: 'acme/api#1', mergedAt: '2026-03-01T00:00:00.000Z', ai: 'assisted', tools: ['claude'] });
    expect(explanation.rows.map((row) => row.ai)).toEqual([
      'assisted',
      'assisted',
      'assisted',
      'not assisted',
      'no evidence',
      'no evidence',
      'assisted',
    ]);
    await ts.close();
  });
});
