import type { WorkItem } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { at, MARCH, metric, open, pullRequest } from './fixtures.js';

// time_to_tenth_pr against the definition computed independently over the same records (docs/metrics.md).

const joined: Record<string, string | undefined> = { ana: at(2, 9), ben: undefined, cy: '2026-02-10T09:00:00Z', dee: at(20) };
const prs: WorkItem[] = [
  ...Array.from({ length: 12 }, (_, i) => pullRequest(i + 1, { author: 'ana', createdAt: at(3 + i, 10) })),
  ...Array.from({ length: 10 }, (_, i) => pullRequest(100 + i, { author: 'ben', createdAt: at(5 + 2 * i, 7.5) })),
  ...Array.from({ length: 11 }, (_, i) => pullRequest(200 + i, { author: 'cy', repository: 'acme/web', createdAt: at(1 + i, 12) })),
  ...Array.from({ length: 4 }, (_, i) => pullRequest(300 + i, { author: 'dee', createdAt: at(21 + i) })),
];

/** Days from joining (declared, else the first PR) to the tenth PR, median over those who joined in the window and opened ten. */
function truth(people: readonly string[], from: string, to: string): number | null {
  const days: number[] = [];
  for (const person of people) {
    const mine = prs
      .filter((p) => p.author === person)
      .map((p) => Date.parse(p.createdAt))
      .sort((a, b) => a - b);
    const start = joined[person] ? Date.parse(joined[person]!) : mine[0]!;
    if (start < Date.parse(from) || start >= Date.parse(to) || mine.length < 10) continue;
    days.push((mine[9]! - start) / 86_400_000);
  }
  days.sort((a, b) => a - b);
  if (days.length === 0) return null;
  const mid = (days.length - 1) / 2;
  return days[Math.floor(mid)]! + (days[Math.ceil(mid)]! - days[Math.floor(mid)]!) * (mid - Math.floor(mid));
}

describe('time_to_tenth_pr', () => {
  it('equals the independent computation: the median days to the tenth PR of the people who joined in the window', async () => {
    const ts = await open({});
    try {
      await ts.import({
        format: 'teamstate.bundle/v1',
        people: [
          { id: 'ana', name: 'Ana', joinedAt: joined.ana },
          { id: 'cy', name: 'Cy', joinedAt: joined.cy },
          { id: 'dee', name: 'Dee', teams: ['payments'], joinedAt: joined.dee },
        ],
        workItems: prs,
      });
      const all = await metric(ts, 'time_to_tenth_pr');
      expect(all.value).toBe(truth(['ana', 'ben', 'cy', 'dee'], MARCH.from, MARCH.to));
      expect(all).toMatchObject({ unit: 'days', joined: 3, reached: 2 });
      expect((await metric(ts, 'time_to_tenth_pr', { team: 'payments' })).value).toBe(truth(['ana', 'ben', 'dee'], MARCH.from, MARCH.to));
      expect((await metric(ts, 'time_to_tenth_pr', { person: 'ana' })).value).toBe(truth(['ana'], MARCH.from, MARCH.to));
      const february = { from: '2026-02-01T00:00:00Z', to: '2026-03-01T00:00:00Z' };
      expect((await metric(ts, 'time_to_tenth_pr', february)).value).toBe(truth(['cy'], february.from, february.to));
      const explained = await ts.metrics.explain('time_to_tenth_pr', MARCH);
      expect(explained.rows.map((r) => r.person)).toEqual(['ana', 'ben', 'dee']);
    } finally {
      await ts.close();
    }
  });
});
