import type { TeamState, WorkItem } from '@teamstate/core';

// The demo organisation has no AI-assisted pull requests, so the tests import some into the workspace they serve:
// 12 in payments (enough, with its ~30 others, for a comparison with intervals), 3 in platform (too few: "not
// enough data"), none in growth (the panel says there are none). The evidence is what `ai` detection reads on
// import: an agent co-author trailer, or the `ai-assisted` label.

const CLAUDE_TRAILER = { kind: 'trailer' as const, value: 'Co-Authored-By: Claude <noreply@anthropic.com>' };
const HOUR = 3_600_000;

function aiPullRequest(
  repository: string,
  author: string,
  reviewer: string,
  n: number,
  mergedAt: Date,
  cycleHours: number,
  evidence: 'trailer' | 'label',
): WorkItem {
  const createdAt = new Date(mergedAt.getTime() - cycleHours * HOUR);
  return {
    id: `ai-pr-${repository}#${n}`,
    source: 'github',
    kind: 'pull_request',
    key: `${repository}#${n}`,
    title: `AI-assisted change ${n}`,
    state: 'merged',
    repository,
    author,
    createdAt: createdAt.toISOString(),
    updatedAt: mergedAt.toISOString(),
    mergedAt: mergedAt.toISOString(),
    additions: 40 + (n % 100) * 7,
    deletions: 10 + (n % 100),
    labels: evidence === 'label' ? ['ai-assisted'] : [],
    reviews: [{ reviewer, state: 'approved', submittedAt: new Date(createdAt.getTime() + (1 + (n % 4)) * HOUR).toISOString() }],
    ...(evidence === 'trailer' ? { ai: { assisted: true, tools: ['claude'], evidence: [CLAUDE_TRAILER] } } : {}),
  };
}

/** Imports AI-assisted merged PRs into payments (12) and platform (3), merged over the 30 days before `now`. */
export async function importAiPullRequests(ts: TeamState, now: Date): Promise<void> {
  const teams = new Map((await ts.teams.list()).map((team) => [team.id, team]));
  const workItems: WorkItem[] = [];
  for (const [team, count] of [
    ['payments', 12],
    ['platform', 3],
  ] as const) {
    const { repositories, members } = teams.get(team)!;
    for (let i = 0; i < count; i++) {
      const mergedAt = new Date(now.getTime() - (2 + i * 2.3) * 24 * HOUR);
      workItems.push(
        aiPullRequest(
          repositories[i % repositories.length]!,
          members[i % members.length]!,
          members[(i + 1) % members.length]!,
          9000 + i,
          mergedAt,
          6 + ((i * 5) % 17),
          i % 2 === 0 ? 'trailer' : 'label',
        ),
      );
    }
  }
  await ts.import({ format: 'teamstate.bundle/v1', workItems });
}
