import type { TeamState, WorkItem } from '@teamstate/core';

// The demo organisation's teams use AI assistants to different degrees: payments and platform enough for a
// comparison with intervals, growth has barely started (a few AI-assisted PRs: "not enough data"). For the third
// state of the AI panel, the tests import a small team of their own whose pull requests show no AI at all.

const HOUR = 3_600_000;

/** The team {@link importTeamWithoutAi} adds. */
export const TEAM_WITHOUT_AI = 'research';

/** Imports the team `research` (one person, one repository) with 4 merged pull requests, none AI-assisted, before `now`. */
export async function importTeamWithoutAi(ts: TeamState, now: Date): Promise<void> {
  const repository = 'acme/research-notebooks';
  const workItems: WorkItem[] = [0, 1, 2, 3].map((i) => {
    const mergedAt = new Date(now.getTime() - (2 + i * 5) * 24 * HOUR);
    const createdAt = new Date(mergedAt.getTime() - (8 + i * 3) * HOUR);
    return {
      id: `research-pr-${i + 1}`,
      source: 'github',
      kind: 'pull_request',
      key: `${repository}#${i + 1}`,
      title: `Notebook cleanup ${i + 1}`,
      state: 'merged',
      repository,
      team: TEAM_WITHOUT_AI,
      author: 'rui-research',
      createdAt: createdAt.toISOString(),
      updatedAt: mergedAt.toISOString(),
      mergedAt: mergedAt.toISOString(),
      additions: 30 + i * 11,
      deletions: 5 + i,
      reviews: [{ reviewer: 'ana-garcia', state: 'approved', submittedAt: new Date(createdAt.getTime() + 2 * HOUR).toISOString() }],
    };
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: TEAM_WITHOUT_AI, name: 'Research' }],
    people: [{ id: 'rui-research', name: 'Rui Costa', teams: [TEAM_WITHOUT_AI] }],
    repositories: [{ id: repository, team: TEAM_WITHOUT_AI }],
    workItems,
  });
}
