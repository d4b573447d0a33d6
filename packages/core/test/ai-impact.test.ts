import { type AiImpact, type BundleInput, createTeamState, type TeamState, type WorkItem } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';

// ts.aiImpact() checked against an independent plain-TS computation over the same records.

const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 2); // Monday 2026-03-02
const iso = (ms: number) => new Date(ms).toISOString();
const claude = {
  assisted: true,
  tools: ['claude'],
  evidence: [{ kind: 'trailer' as const, value: 'Co-Authored-By: Claude <noreply@anthropic.com>' }],
};
const copilot = { assisted: true, tools: ['copilot'], evidence: [{ kind: 'author' as const, value: 'copilot-swe-agent[bot]' }] };

interface Spec {
  n: number;
  ai?: WorkItem['ai'];
  cycleHours: number;
  reviewAfterHours?: number;
  changesRequested: number;
  size?: number;
  repository?: string;
}

function pr(spec: Spec): WorkItem {
  const created = START + spec.n * 5 * HOUR;
  const merged = created + spec.cycleHours * HOUR;
  const reviews: WorkItem['reviews'] = [];
  for (let i = 0; i < spec.changesRequested; i++)
    reviews.push({
      reviewer: 'ben',
      state: 'changes_requested',
      submittedAt: iso(created + (spec.reviewAfterHours ?? 1) * HOUR + i * 60_000),
    });
  if (spec.reviewAfterHours !== undefined) reviews.push({ reviewer: 'ben', state: 'approved', submittedAt: iso(merged - 60_000) });
  // The author's own review never counts as the first review.
  reviews.unshift({ reviewer: 'ana', state: 'commented', submittedAt: iso(created + 60_000) });
  return {
    id: `pr-${spec.n}`,
    source: 'github',
    kind: 'pull_request',
    key: `${spec.repository ?? 'acme/api'}#${spec.n}`,
    title: `Change ${spec.n}`,
    state: 'merged',
    repository: spec.repository ?? 'acme/api',
    author: 'ana',
    createdAt: iso(created),
    mergedAt: iso(merged),
    ...(spec.size === undefined ? {} : { additions: spec.size, deletions: 0 }),
    reviews: reviews.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt)),
    ...(spec.ai ? { ai: spec.ai } : {}),
  };
}

// 16 AI-assisted PRs (fast, small) and 20 others (slow, large), over three weeks.
const specs: Spec[] = [];
for (let n = 1; n <= 36; n++) {
  const isAi = n % 9 < 4;
  specs.push({
    n,
    ai: isAi ? (n % 2 === 0 ? claude : copilot) : undefined,
    cycleHours: isAi ? 3 + (n % 5) : 30 + ((n * 7) % 23),
    reviewAfterHours: n % 6 === 0 ? undefined : isAi ? 1 + (n % 3) : 4 + (n % 7),
    changesRequested: isAi ? n % 3 : n % 2,
    size: n % 10 === 0 ? undefined : isAi ? 40 + n : 300 + n * 3,
    repository: n % 4 === 0 ? 'acme/web' : 'acme/api',
  });
}
const window = { from: iso(START), to: iso(START + 21 * 24 * HOUR) };

// The definitions, written out again: numpy-style median, hours.
function median(list: number[]): number | null {
  if (list.length === 0) return null;
  const sorted = [...list].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}
function expected(items: WorkItem[]) {
  const cohort = (group: WorkItem[]) => ({
    n: group.length,
    cycleTimeHoursP50: median(group.map((w) => (Date.parse(w.mergedAt!) - Date.parse(w.createdAt)) / HOUR)),
    timeToFirstReviewHoursP50: median(
      group.flatMap((w) => {
        const first = w.reviews!.find((r) => r.reviewer !== w.author);
        return first ? [(Date.parse(first.submittedAt) - Date.parse(w.createdAt)) / HOUR] : [];
      }),
    ),
    reviewRoundsMean: group.reduce((sum, w) => sum + w.reviews!.filter((r) => r.state === 'changes_requested').length, 0) / group.length,
    sizeP50: median(group.flatMap((w) => (w.additions === undefined ? [] : [w.additions + (w.deletions ?? 0)]))),
    // No PR of the fixture is reverted or reworked.
    reworkedShare: 0,
  });
  return { assisted: cohort(items.filter((w) => w.ai?.assisted)), other: cohort(items.filter((w) => !w.ai?.assisted)) };
}

let ts: TeamState | undefined;
afterEach(async () => {
  await ts?.close();
  ts = undefined;
});
async function open(items: WorkItem[]): Promise<TeamState> {
  ts = await createTeamState({ database: ':memory:' });
  const bundle: BundleInput = {
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments' }],
    people: [
      { id: 'ana', name: 'Ana', teams: ['payments'] },
      { id: 'ben', name: 'Ben', teams: ['payments'] },
    ],
    repositories: [{ id: 'acme/api', team: 'payments' }, { id: 'acme/web' }],
    workItems: items,
  };
  await ts.import(bundle);
  return ts;
}

describe('ts.aiImpact()', () => {
  it('compares AI-assisted and other merged PRs as an independent computation does', async () => {
    const items = specs.map(pr);
    const t = await open(items);
    const impact = await t.aiImpact(window);
    const truth = expected(items);
    expect(impact.assisted).toEqual(truth.assisted);
    expect(impact.other).toEqual(truth.other);
    expect(impact.assisted.n).toBe(16);
    expect(impact.comparison.cycleTimeHours.difference).toBeCloseTo(truth.assisted.cycleTimeHoursP50! - truth.other.cycleTimeHoursP50!, 9);
    // A large, consistent effect: the whole interval is below zero.
    expect(impact.comparison.cycleTimeHours.direction).toBe('lower');
    expect(impact.comparison.cycleTimeHours.interval![1]).toBeLessThan(0);
    expect(impact.comparison.sizeLines.direction).toBe('lower');
    for (const d of Object.values(impact.comparison)) {
      if (d.interval) expect(d.interval[0]).toBeLessThanOrEqual(d.interval[1]);
    }
    expect(impact.verdict).toMatch(
      /^16 AI-assisted vs 20 other merged pull requests\. Cycle time p50: lower for AI-assisted PRs by [\d.]+ h \(95% interval -[\d.]+ h to -[\d.]+ h\);/,
    );
    // Weekly adoption and tools, counted again.
    const weeks = [0, 1, 2].map((w) => {
      const [from, to] = [START + w * 7 * 24 * HOUR, START + (w + 1) * 7 * 24 * HOUR];
      const merged = items.filter((i) => Date.parse(i.mergedAt!) >= from && Date.parse(i.mergedAt!) < to);
      const assisted = merged.filter((i) => i.ai?.assisted).length;
      return {
        week: iso(from),
        from: iso(from),
        to: iso(to),
        partial: false,
        merged: merged.length,
        assisted,
        share: merged.length ? assisted / merged.length : null,
      };
    });
    expect(impact.weekly).toEqual(weeks);
    const count = (tool: string) => items.filter((i) => i.ai?.tools.includes(tool)).length;
    expect(impact.tools.map((t) => [t.tool, t.n])).toEqual(
      [
        ['claude', count('claude')],
        ['copilot', count('copilot')],
      ].sort((a, b) => (b[1] as number) - (a[1] as number) || String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('is reproducible: the same seed gives the same intervals', async () => {
    const t = await open(specs.map(pr));
    const a = await t.aiImpact({ ...window, seed: 7 });
    expect(await t.aiImpact({ ...window, seed: 7 })).toEqual(a);
    const b: AiImpact = await t.aiImpact({ ...window, seed: 8 });
    expect(b.assisted).toEqual(a.assisted);
    expect(b.comparison.cycleTimeHours.difference).toBe(a.comparison.cycleTimeHours.difference);
  });

  it('says "not enough data" below the minimum sample, and scopes by repository and team', async () => {
    const t = await open(specs.map(pr));
    const web = await t.aiImpact({ ...window, repository: 'acme/web' });
    expect(web.assisted.n + web.other.n).toBe(specs.filter((s) => s.repository === 'acme/web').length);
    expect(web.verdict).toMatch(/^Not enough data: \d+ AI-assisted and \d+ other merged pull requests; at least 10 of each are needed/);
    expect(web.comparison.cycleTimeHours).toMatchObject({ interval: null, direction: 'not enough data' });
    const team = await t.aiImpact({ ...window, team: 'payments' });
    expect(team.assisted.n + team.other.n).toBe(specs.filter((s) => s.repository !== 'acme/web').length);
    expect((await t.aiImpact({ ...window, minSample: 30 })).verdict).toMatch(/^Not enough data: 16 AI-assisted and 20 other/);
    const empty = await t.aiImpact({ from: '2025-01-01', to: '2025-02-01' });
    expect(empty.assisted).toEqual({
      n: 0,
      cycleTimeHoursP50: null,
      timeToFirstReviewHoursP50: null,
      reviewRoundsMean: null,
      sizeP50: null,
      reworkedShare: null,
    });
    expect(empty.weekly.every((w) => w.share === null)).toBe(true);
  });

  it('counts a PR reverted or reworked within 21 days of its merge, and not one fixed later or merely mentioned', async () => {
    const items = specs.map(pr);
    const merged = (id: string) => Date.parse(items.find((i) => i.id === id)!.mergedAt!);
    const later = (id: string, days: number) => iso(merged(id) + days * 24 * HOUR);
    const followUp = (n: number, of: string, days: number, extra: Partial<WorkItem>): WorkItem => ({
      id: `fix-${n}`,
      source: 'github',
      kind: 'pull_request',
      key: `acme/api#${n}`,
      title: `Follow-up ${n}`,
      state: 'merged',
      repository: 'acme/api',
      author: 'ben',
      createdAt: later(of, days - 1),
      mergedAt: later(of, days),
      ...extra,
    });
    const t = await open([
      ...items,
      // pr-1 (AI-assisted) is reverted the GitHub way; pr-2 (other) gets a hotfix naming it; pr-3's revert comes too late;
      // pr-5 is only mentioned by a PR without a rework label; #100 names neither #1 nor #10.
      followUp(901, 'pr-1', 2, { title: 'Revert "Change 1"', body: 'Reverts acme/api#1' }),
      followUp(902, 'pr-2', 5, { title: 'Fix the crash from #2', labels: ['hotfix'] }),
      followUp(903, 'pr-3', 30, { title: 'Revert "Change 3"' }),
      followUp(904, 'pr-5', 1, { title: 'Docs for #5' }),
      followUp(905, 'pr-9', 1, { title: 'Hotfix for #100 and more', labels: ['hotfix'] }),
    ]);
    const impact = await t.aiImpact({ from: window.from, to: iso(Date.parse(window.to) + 60 * 24 * HOUR) });
    const reworked = (id: string) => (id === 'pr-1' || id === 'pr-2' ? 1 : 0);
    const share = (assisted: boolean) => {
      const group = items.filter((i) => Boolean(i.ai?.assisted) === assisted);
      return group.reduce((sum, i) => sum + reworked(i.id), 0) / (group.length + (assisted ? 0 : 5));
    };
    expect(impact.assisted.reworkedShare).toBeCloseTo(share(true), 12);
    expect(impact.other.reworkedShare).toBeCloseTo(share(false), 12);
  });

  it('refuses a bad window or option, naming it', async () => {
    const t = await open([]);
    await expect(t.aiImpact({ from: 'March', to: '2026-04-01' })).rejects.toThrow(/from: invalid ISO timestamp "March"/);
    await expect(t.aiImpact({ from: '2026-04-01', to: '2026-03-01' })).rejects.toThrow(/to: must be after from/);
    await expect(t.aiImpact({ ...window, minSample: 0 })).rejects.toThrow(/minSample: expected a whole number of at least 2/);
  });
});
