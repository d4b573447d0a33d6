import { describe, expect, it } from 'vitest';
import { FakeGitHub, type FakePullRequest, type FakeWorld } from './github/fake-github.js';
import { fixture, NOW, openTeamState, teamOfRepository, testConnector, useFakeGitHub, world } from './github/github-test-kit.js';

// AI detection on synced pull requests: the sync reads commit messages and git identities in the same GraphQL page
// it already reads, and every PR's `ai` lands in the store (and the export).

const kit = useFakeGitHub();
const aiWorld = (): FakeWorld => {
  const w = world();
  const web = w.repositories.find((r) => r.nameWithOwner === 'acme/web')!;
  web.pullRequests.push(...fixture<{ pullRequests: FakePullRequest[] }>('ai-pull-requests.json').pullRequests);
  web.pullRequests.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  return w;
};
const base = { org: 'acme', repositories: ['acme/api', 'acme/web'], teamOfRepository };

describe('github sync: AI evidence', () => {
  it('stores ai for every PR from trailers, bot authors (GraphQL form), labels and footers, and never from look-alikes', async () => {
    kit.fake = new FakeGitHub(aiWorld(), { now: () => NOW });
    const ts = await openTeamState([testConnector(base)]);
    expect((await ts.sync()).ok).toBe(true);
    const items = (await ts.export()).workItems;
    const ai = (key: string) => items.find((w) => w.key === key)!.ai;

    expect(ai('acme/web#301')).toEqual({
      assisted: true,
      tools: ['claude'],
      evidence: [
        { kind: 'trailer', value: 'Co-Authored-By: Claude <noreply@anthropic.com>' },
        { kind: 'body', value: 'Generated with [Claude Code](https://claude.com/claude-code)' },
      ],
    });
    // Copilot's coding agent: a Bot author without `[bot]` in GraphQL, its commits, its body marker.
    expect(ai('acme/web#302')).toMatchObject({ assisted: true, tools: ['copilot'] });
    expect(ai('acme/web#302')!.evidence).toContainEqual({ kind: 'author', value: 'copilot-swe-agent[bot]' });
    expect(ai('acme/web#302')!.evidence).toContainEqual({
      kind: 'author',
      value: 'copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>',
    });
    expect(ai('acme/web#303')).toMatchObject({ assisted: true, tools: ['claude'] });
    expect(ai('acme/web#303')!.evidence[0]).toEqual({ kind: 'author', value: 'claude[bot]' });
    // The agent's trailer is on the 33rd commit: read through the last commits.
    expect(ai('acme/web#307')).toEqual({
      assisted: true,
      tools: ['cursor'],
      evidence: [{ kind: 'trailer', value: 'Co-authored-by: Cursor Agent <cursoragent@cursor.com>' }],
    });
    expect(ai('acme/web#308')).toEqual({ assisted: true, tools: [], evidence: [{ kind: 'label', value: 'ai-assisted' }] });
    expect(ai('acme/web#309')).toMatchObject({ assisted: true, tools: ['codex'] });

    // A human co-author called Claude, prose naming tools, Dependabot, Renovate, and every fixture PR of people.
    const none = { assisted: null, tools: [], evidence: [] };
    for (const key of ['acme/web#304', 'acme/web#305', 'acme/web#306', 'acme/api#101', 'acme/api#104']) expect(ai(key), key).toEqual(none);
    expect(items.filter((w) => w.kind === 'pull_request').every((w) => w.ai !== undefined)).toBe(true);
    await ts.close();
  });

  it('asks for commits in the pull request page itself: not one request more than for PRs without them', async () => {
    const requestsFor = async (w: FakeWorld) => {
      kit.fake = new FakeGitHub(w, { now: () => NOW });
      const ts = await openTeamState([testConnector(base)]);
      await ts.sync();
      await ts.close();
      return kit.fake.requests.map((r) => r.operation ?? `${r.method} ${r.path}`);
    };
    const withCommits = await requestsFor(aiWorld());
    const bare = aiWorld();
    for (const repository of bare.repositories)
      for (const pr of repository.pullRequests)
        pr.commits = pr.commits.slice(0, 1).map(({ commit }) => ({ commit: { authoredDate: commit.authoredDate } }));
    expect(withCommits).toEqual(await requestsFor(bare));
    expect(withCommits.filter((op) => op === 'TeamstatePullRequests')).toHaveLength(2);
  });
});
