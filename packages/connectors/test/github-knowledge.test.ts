import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubKnowledge } from '@teamstate/connectors/github';
import { createTeamState, type KnowledgeSource, type TeamState } from '@teamstate/core';
import { knowledgeSourceContract } from '@teamstate/core/testing';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  blobSha,
  FakeGitHubKnowledge,
  fakeGitHubKnowledgeHandlers,
  filesOf,
  type GitBlob,
  type GitTree,
  knowledgeFixture,
  knowledgeFixturesDir,
} from './github/fake-github-knowledge.js';
import { TOKEN } from './github/github-test-kit.js';

const handbook = () => filesOf(join(knowledgeFixturesDir, 'handbook'));
const apiDocs = () =>
  new Map([
    ['README.md', Buffer.from('# Payments API\n\nThe HTTP API that takes card payments.\n')],
    ['docs/errors.md', Buffer.from('# Error codes\n\n## card_declined\n\nThe issuer declined the card; do not retry.\n')],
  ]);
const BASE = 'https://github.com/acme/handbook/blob/main';
const NOW = new Date('2026-03-10T12:00:00Z');

let fake = new FakeGitHubKnowledge();
const server = setupServer(...fakeGitHubKnowledgeHandlers(() => fake));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const world = () => {
  const next = new FakeGitHubKnowledge();
  next.repository('acme/handbook', handbook());
  next.repository('acme/api', apiDocs(), { private: true, defaultBranch: 'trunk' });
  return next;
};

const source = (options: Partial<Parameters<typeof githubKnowledge>[0]> = {}): KnowledgeSource =>
  githubKnowledge({ token: TOKEN, repositories: ['acme/handbook', 'acme/api'], sleep: async () => {}, ...options });

describe('githubKnowledge', () => {
  let ts: TeamState;
  const open = async (sources: KnowledgeSource[] = [source()]) => {
    ts = await createTeamState({ database: ':memory:', clock: () => NOW, knowledge: { sources } });
    return ts;
  };
  beforeEach(() => {
    fake = world();
  });
  afterEach(async () => {
    await ts?.close();
  });

  it('serves the recorded payload shapes (the fixture tree is what the fake answers, blob shas are git object ids)', () => {
    const tree = fake.tree(fake.repositories.get('acme/handbook')!);
    expect(tree).toEqual(knowledgeFixture<GitTree>('git-tree-handbook.json'));
    expect(tree.truncated).toBe(false);
    const blob = knowledgeFixture<GitBlob>('git-blob.json');
    expect(blob.sha).toBe(blobSha(Buffer.from(blob.content, 'base64')));
    expect(tree.tree.find((entry) => entry.path === 'README.md')?.sha).toBe(blob.sha);
  });

  it('indexes the default paths (markdown only) of every repository on the first sync, linking each file on GitHub', async () => {
    await open();
    const progress: string[] = [];
    const result = await ts.knowledge.sync({ onProgress: (p) => progress.push(`${p.phase} ${p.done}/${p.total}`) });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    // handbook: README, CONTRIBUTING, 2 docs, 1 ADR, 1 runbook (restart.sh and src/ left out); api: README, docs/errors.md.
    expect(result.sources[0]).toMatchObject({ source: 'github', added: 8, updated: 0, removed: 0, skipped: 0 });
    expect(result.warnings).toEqual([]);
    expect(progress).toContain('repositories 2/2');
    // Per repository: the tree, the repository (its default branch) and one blob per file (CODEOWNERS included).
    expect(
      fake.requests.filter((r) => r.path.startsWith('/repos/acme/handbook')).map((r) => r.path.replace(/[0-9a-f]{40}/, '<sha>')),
    ).toEqual([
      '/repos/acme/handbook/git/trees/HEAD?recursive=1',
      '/repos/acme/handbook',
      ...Array(7).fill('/repos/acme/handbook/git/blobs/<sha>'),
    ]);
    const [best] = await ts.knowledge.search('how do I roll back a deployment with argo cd?');
    expect(best?.document).toMatchObject({
      source: 'github',
      uri: `${BASE}/docs/runbooks/deploy-rollback.md`,
      title: 'Rolling back a deployment',
    });
    // The default branch comes from the repository: acme/api's is trunk.
    const [errors] = await ts.knowledge.search('card declined error code');
    expect(errors?.document.uri).toBe('https://github.com/acme/api/blob/trunk/docs/errors.md');
    expect(await ts.knowledge.search('kubectl rollout restart')).toEqual([]);
  });

  it('re-syncs an unchanged repository with exactly one conditional request, answered 304, writing nothing', async () => {
    await open();
    await ts.knowledge.sync();
    fake.requests.length = 0;
    const again = await ts.knowledge.sync();
    expect(again.sources[0]).toMatchObject({ status: 'succeeded', added: 0, updated: 0, removed: 0, unchanged: 8, chunks: 0 });
    expect(fake.requests).toEqual([
      { method: 'GET', path: '/repos/acme/handbook/git/trees/HEAD?recursive=1', status: 304 },
      { method: 'GET', path: '/repos/acme/api/git/trees/HEAD?recursive=1', status: 304 },
    ]);
    expect(fake.counted).toBe(0);
  });

  it('fetches only the blob that changed, and removes a deleted file from the index', async () => {
    await open();
    await ts.knowledge.sync();
    const files = fake.repositories.get('acme/handbook')!.files;
    files.set('docs/onboarding.md', Buffer.from('# Onboarding\n\n## Your first week\n\nShadow the incident commander for a day.\n'));
    files.delete('runbooks/paging.md');
    fake.requests.length = 0;
    const result = await ts.knowledge.sync();
    expect(result.sources[0]).toMatchObject({ added: 0, updated: 1, removed: 1, unchanged: 6 });
    const onboarding = blobSha(files.get('docs/onboarding.md')!);
    expect(fake.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/repos/acme/handbook/git/trees/HEAD?recursive=1 200',
      '/repos/acme/handbook 200',
      `/repos/acme/handbook/git/blobs/${onboarding} 200`,
      '/repos/acme/api/git/trees/HEAD?recursive=1 304',
    ]);
    expect((await ts.knowledge.search('shadow the incident commander'))[0]?.document.uri).toBe(`${BASE}/docs/onboarding.md`);
    const paging = await ts.knowledge.search('acknowledge pagerduty page');
    expect(paging.map((p) => p.document.uri)).not.toContain(`${BASE}/runbooks/paging.md`);
  });

  it('skips a binary or non-UTF-8 markdown file with a warning naming it, indexing the rest', async () => {
    const files = fake.repositories.get('acme/handbook')!.files;
    files.set('docs/diagram.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    files.set('docs/legacy.md', Buffer.from('# Caf\xe9 menu\n', 'latin1'));
    await open();
    const result = await ts.knowledge.sync();
    expect(result.sources[0]).toMatchObject({ status: 'succeeded', added: 8, skipped: 2 });
    expect(result.warnings).toEqual([
      expect.stringMatching(/^acme\/handbook\/docs\/diagram\.md: skipped, the file is binary/),
      expect.stringMatching(/^acme\/handbook\/docs\/legacy\.md: skipped, the file is not UTF-8/),
    ]);
  });

  it('warns about a repository that does not exist or cannot be read, naming it, and leaves its documents as they were', async () => {
    await open([source({ repositories: ['acme/handbook', 'acme/gone'] })]);
    const first = await ts.knowledge.sync();
    expect(first.ok).toBe(true);
    expect(first.warnings).toEqual([expect.stringContaining('acme/gone: skipped, GitHub answers 404')]);
    expect(first.warnings[0]).toContain('knowledge.github.repositories');
    // The handbook disappears (renamed, or the token lost access): its documents stay, nothing is removed.
    fake.repositories.delete('acme/handbook');
    const second = await ts.knowledge.sync();
    expect(second.sources[0]).toMatchObject({ status: 'succeeded', removed: 0, unchanged: 6, skipped: 2 });
    expect(second.warnings[0]).toMatch(/^acme\/handbook: skipped, GitHub answers 404.*left as they were/);
    expect((await ts.knowledge.search('roll back with argo cd')).length).toBeGreaterThan(0);
  });

  it('warns about a repository the credentials may not read (403), naming it, and syncs the others', async () => {
    fake.forbidden.add('acme/api');
    await open();
    const result = await ts.knowledge.sync();
    expect(result.sources[0]).toMatchObject({ status: 'succeeded', added: 6, skipped: 1 });
    expect(result.warnings).toEqual([expect.stringMatching(/^acme\/api: skipped, GitHub answers 403: .*Contents: read/)]);
  });

  it('removes the CODEOWNERS rules when the file is deleted', async () => {
    await open([source({ repositories: ['acme/handbook'] })]);
    await ts.import({
      format: 'teamstate.bundle/v1',
      people: [{ id: 'alice', name: 'Alice', accounts: [{ provider: 'github', id: '101', login: 'alice' }] }],
    });
    await ts.knowledge.sync();
    expect((await ts.knowledge.whoKnows('roll back a deployment')).map((p) => p.person.id)).toEqual(['alice']);
    fake.repositories.get('acme/handbook')!.files.delete('.github/CODEOWNERS');
    const result = await ts.knowledge.sync();
    expect(result.sources[0]).toMatchObject({ status: 'succeeded', removed: 0, unchanged: 6 });
    expect(await ts.knowledge.whoKnows('roll back a deployment')).toEqual([]);
  });

  it('fails the sync on bad credentials without removing anything or showing the token', async () => {
    await open();
    await ts.knowledge.sync();
    fake.outage = 401;
    const failed = await ts.knowledge.sync();
    expect(failed.sources[0]).toMatchObject({ status: 'failed', removed: 0 });
    expect(failed.sources[0]?.error?.message).toContain('credentials');
    expect(JSON.stringify(failed)).not.toContain(TOKEN);
    expect((await ts.knowledge.search('roll back with argo cd')).length).toBeGreaterThan(0);
  });

  it('warns about a truncated tree and keeps the files it did not list', async () => {
    await open([source({ repositories: ['acme/handbook'] })]);
    await ts.knowledge.sync();
    fake.repositories.get('acme/handbook')!.truncateAfter = 6;
    fake.repositories.get('acme/handbook')!.files.set('README.md', Buffer.from('# Payments handbook\n\nNew intro.\n'));
    const result = await ts.knowledge.sync();
    expect(result.warnings).toEqual([
      expect.stringMatching(/^acme\/handbook: the tree is larger than GitHub returns in one request \(truncated\)/),
    ]);
    expect(result.sources[0]).toMatchObject({ status: 'succeeded', removed: 0, updated: 1 });
  });

  it('reads the whole tree again when the globs change, and indexes only what they match', async () => {
    await open([source({ repositories: ['acme/handbook'] })]);
    await ts.knowledge.sync();
    await ts.close();
    ts = await createTeamState({
      database: ':memory:',
      clock: () => NOW,
      knowledge: { sources: [source({ repositories: ['acme/handbook'], paths: ['adr/*.md'] })] },
    });
    const only = await ts.knowledge.sync();
    expect(only.sources[0]).toMatchObject({ added: 1 });
  });

  it('limits a repository to the configured teams (visibility), also for documents kept unchanged (304)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'teamstate-github-knowledge-'));
    const database = join(folder, 'teamstate.db');
    try {
      ts = await createTeamState({ database, clock: () => NOW, knowledge: { sources: [source({ repositories: ['acme/api'] })] } });
      await ts.knowledge.sync();
      expect((await ts.knowledge.search('card declined', { teams: [] })).length).toBeGreaterThan(0);
      await ts.close();
      // The same repository, now limited to payments: the tree answers 304 and the kept documents take the visibility.
      ts = await createTeamState({
        database,
        clock: () => NOW,
        knowledge: { sources: [source({ repositories: ['acme/api'], visibility: ['payments'] })] },
      });
      fake.requests.length = 0;
      const result = await ts.knowledge.sync();
      expect(fake.requests.map((r) => r.status)).toEqual([304]);
      expect(result.sources[0]).toMatchObject({ updated: 2, unchanged: 0 });
      expect(await ts.knowledge.search('card declined', { teams: [] })).toEqual([]);
      expect((await ts.knowledge.search('card declined', { teams: ['payments'] })).length).toBeGreaterThan(0);
      await ts.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('stores CODEOWNERS, and who_knows names the owners of matching documents with the rule and the file', async () => {
    await open([source({ repositories: ['acme/handbook'] })]);
    await ts.import({
      format: 'teamstate.bundle/v1',
      teams: [
        { id: 'sre', name: 'SRE' },
        { id: 'payments', name: 'Payments' },
      ],
      people: [
        { id: 'alice', name: 'Alice', teams: ['payments'], accounts: [{ provider: 'github', id: '101', login: 'Alice' }] },
        { id: 'dan', name: 'Dan', teams: ['sre'] },
        { id: 'carol', name: 'Carol', email: 'carol@acme.example' },
      ],
    });
    await ts.knowledge.sync();
    const people = await ts.knowledge.whoKnows('roll back a deployment');
    const alice = people.find((p) => p.person.id === 'alice');
    expect(alice?.evidence).toContainEqual({
      kind: 'codeowner',
      title: 'Rolling back a deployment',
      ref: `${BASE}/.github/CODEOWNERS#L5`,
      at: NOW.toISOString(),
      rule: '/docs/runbooks/ @alice @acme/sre',
    });
    // @acme/sre is expanded to the members of the workspace's team `sre`.
    expect(people.find((p) => p.person.id === 'dan')?.evidence.map((e) => e.kind)).toEqual(['codeowner']);
    // An email owner (and the last matching rule wins: adr/ is Carol's, not the default @acme/payments).
    const adr = await ts.knowledge.whoKnows('ledger postgresql decision');
    expect(adr.map((p) => p.person.id)).toContain('carol');
    expect(adr.find((p) => p.person.id === 'carol')?.evidence[0]).toMatchObject({
      kind: 'codeowner',
      rule: 'adr/ @carol carol@acme.example',
    });
  });
});

// The conformance suite every knowledge source runs, over the fake GitHub.
knowledgeSourceContract({
  name: 'githubKnowledge',
  create: () => source(),
  reset: () => {
    fake = world();
  },
  change: () => void fake.repositories.get('acme/handbook')!.files.set('docs/onboarding.md', Buffer.from('# Onboarding\n\nChanged.\n')),
  remove: () => void fake.repositories.get('acme/api')!.files.delete('docs/errors.md'),
  fail: () => {
    fake.outage = 500;
  },
});
