import { createTeamState, type TeamState, type WorkItem } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, connect } from './fixtures/connect.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
let ts: TeamState;
let server: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-04-01T00:00:00Z') });
  // 12 PRs with Claude's trailer merged in about 3 h, 12 others in about 31 h.
  const workItems: WorkItem[] = Array.from({ length: 24 }, (_, i) => {
    const created = Date.UTC(2026, 2, 2) + i * 13 * HOUR;
    const ai = i % 2 === 1;
    return {
      id: `pr-${i}`,
      source: 'github',
      kind: 'pull_request',
      key: `acme/api#${i}`,
      title: `Change ${i}`,
      state: 'merged',
      repository: 'acme/api',
      createdAt: iso(created),
      mergedAt: iso(created + (ai ? 3 + (i % 4) / 3 : 31 + (i % 5) / 7) * HOUR),
      additions: ai ? 80 : 300,
      deletions: 0,
      ...(ai
        ? {
            ai: {
              assisted: true,
              tools: ['claude'],
              evidence: [{ kind: 'trailer' as const, value: 'Co-Authored-By: Claude <noreply@anthropic.com>' }],
            },
          }
        : {}),
    };
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    repositories: [{ id: 'acme/api', team: 'payments' }],
    workItems,
  });
  server = await connect(ts);
});
afterAll(async () => {
  await server.close();
  await ts.close();
});

describe('ai_impact', () => {
  it('answers with ts.aiImpact() over the same window, hours to 2 decimals and shares to 4', async () => {
    const answer = await call<{
      assisted: { n: number; cycleTimeHoursP50: number };
      comparison: { cycleTimeHours: { difference: number; direction: string; interval: [number, number] } };
      verdict: string;
      weekly: { share: number | null }[];
      tools: { tool: string; n: number }[];
    }>(server.client, 'ai_impact', { team: 'payments' });
    const impact = await ts.aiImpact({ from: '2026-03-02T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', team: 'payments' });
    expect(answer.assisted.n).toBe(12);
    expect(answer.assisted.cycleTimeHoursP50).toBe(Number(impact.assisted.cycleTimeHoursP50!.toFixed(2)));
    expect(answer.comparison.cycleTimeHours.direction).toBe('lower');
    expect(answer.comparison.cycleTimeHours.interval[1]).toBeLessThan(0);
    expect(answer.verdict).toMatch(/^12 AI-assisted vs 12 other merged pull requests\. Cycle time p50: lower/);
    for (const week of answer.weekly) if (week.share !== null) expect(String(week.share).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(4);
    expect(answer.tools).toEqual([{ tool: 'claude', n: 12, cycleTimeHoursP50: expect.any(Number) }]);
    const small = await call<{ verdict: string }>(server.client, 'ai_impact', { minSample: 20 });
    expect(small.verdict).toMatch(/^Not enough data: 12 AI-assisted and 12 other/);
  });

  it('refuses an unknown team or a bad minSample, naming the argument', async () => {
    expect(await callError(server.client, 'ai_impact', { team: 'nope' })).toMatch(/^team: /);
    expect(await callError(server.client, 'ai_impact', { minSample: 1 })).toMatch(/^minSample: /);
  });
});
