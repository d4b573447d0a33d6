import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobSha, FakeGitHub, type FakeWorld } from '../../connectors/test/github/fake-github.js';
import { type FakeGitHubServer, serveFakeGitHub } from '../../connectors/test/github/serve-fake-github.js';
import { runCli } from './run-cli.js';

// `teamstate feedback propose-rules` (docs/ai-feedback.md, issue 21): the suggestion's diff against the file on the
// fake GitHub's default branch, proposed as github.pr.open_file_change through the policy.
const fixtures = new URL('../../connectors/test/__fixtures__/github/', import.meta.url);
const TOKEN = 'ghp_CliTestTokenNeverPrinted000000000000';
const CLAUDE = '# CLAUDE.md\n\nUse pnpm.\n';
const root = mkdtempSync(join(tmpdir(), 'teamstate-propose-rules-'));
let fake: FakeGitHub;
let server: FakeGitHubServer;
let dir: string;

beforeAll(async () => {
  fake = new FakeGitHub(JSON.parse(readFileSync(new URL('world.json', fixtures), 'utf8')) as FakeWorld, { now: () => new Date() });
  fake.repository('acme/api').files = { 'CLAUDE.md': CLAUDE };
  server = await serveFakeGitHub(() => fake);
  dir = join(root, 'project');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    `database: team.db
connectors:
  github: { token: \${GITHUB_TOKEN}, repositories: [acme/api], baseUrl: ${server.url} }
policy:
  actions:
    github.pr.open_file_change: { mode: auto }
`,
  );
  const now = Date.now();
  const feedback = (id: string, person: string, text: string, daysAgo: number) => ({
    id,
    person,
    category: 'missing_tests',
    text,
    tool: 'claude-code',
    repository: 'acme/api',
    paths: ['services/payments/refund.ts'],
    createdAt: new Date(now - daysAgo * 86_400_000).toISOString(),
  });
  writeFileSync(
    join(dir, 'bundle.json'),
    JSON.stringify({
      format: 'teamstate.bundle/v1',
      people: [
        { id: 'ana', name: 'Ana' },
        { id: 'ben', name: 'Ben' },
      ],
      repositories: [{ id: 'acme/api' }],
      aiFeedback: [feedback('f1', 'ana', 'Forgot the refund fixtures', 3), feedback('f2', 'ben', 'No refund tests again', 10)],
    }),
  );
  const imported = await runCli(['import', 'bundle.json'], { cwd: dir, env: { GITHUB_TOKEN: TOKEN } });
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env: { GITHUB_TOKEN: TOKEN } });

describe('teamstate feedback propose-rules', () => {
  it('--dry-run prints the diff against CLAUDE.md on the default branch and proposes nothing', async () => {
    const result = await cli(['feedback', 'propose-rules', '--repository', 'acme/api', '--format', 'claude', '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('--- a/CLAUDE.md\n+++ b/CLAUDE.md\n');
    expect(result.stdout).toContain(' Use pnpm.\n+\n+<!-- teamstate:ai-feedback:start -->\n+## Lessons from AI feedback\n');
    expect(result.stdout).toContain('_Evidence: 2 reports by 2 people about claude-code');
    expect(fake.repository('acme/api').openedPulls ?? []).toEqual([]);
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('proposes github.pr.open_file_change through the policy; auto here, so the pull request opens', async () => {
    const result = await cli(['feedback', 'propose-rules', '--repository', 'acme/api', '--format', 'cursor']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('--- /dev/null\n+++ b/.cursor/rules/ai-feedback-services-payments.mdc\n');
    expect(result.stdout).toMatch(/Opened https:\/\/github\.com\/acme\/api\/pull\/\d+ \(approval apr_/);
    const [pr] = fake.repository('acme/api').openedPulls!;
    expect(pr).toMatchObject({
      title: 'Agent rules from AI feedback (.cursor/rules/ai-feedback-services-payments.mdc)',
      base: 'main',
      state: 'open',
    });
    expect(pr!.body).toContain('missing_tests in `services/payments/**` (TypeScript): 2 reports');
    expect(fake.repository('acme/api').branches![pr!.head]!.files['.cursor/rules/ai-feedback-services-payments.mdc']).toMatch(
      /^---\ndescription: "Lessons from AI feedback in services\/payments\/\*\* \(teamstate\)"\nglobs: "services\/payments\/\*\*"\nalwaysApply: false\n---\n/,
    );
    // The file on the default branch is untouched: the change waits in the pull request.
    expect(fake.repository('acme/api').branches!.main!.files['CLAUDE.md']).toBe(CLAUDE);
    expect(blobSha(CLAUDE)).toMatch(/^[0-9a-f]{40}$/);
  });

  it('teamstate feedback effect: once the rule PR merged, its category per 100 AI-assisted PRs before and after', async () => {
    const [pr] = fake.repository('acme/api').openedPulls!;
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const item = (number: number, mergedDaysAgo: number, labels: string[]) => ({
      id: `acme/api#${number}`,
      source: 'github',
      kind: 'pull_request',
      key: `acme/api#${number}`,
      title: `PR ${number}`,
      state: 'merged',
      repository: 'acme/api',
      createdAt: ago(30),
      mergedAt: ago(mergedDaysAgo),
      labels,
    });
    writeFileSync(
      join(dir, 'merged.json'),
      JSON.stringify({
        format: 'teamstate.bundle/v1',
        workItems: [item(pr!.number, 2, []), item(900, 5, ['ai-assisted']), item(901, 8, ['ai-copilot']), item(902, 1, ['ai-assisted'])],
      }),
    );
    expect((await cli(['import', 'merged.json'])).code).toBe(0);
    const json = await cli(['feedback', 'effect', '--weeks', '2', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const effect = JSON.parse(json.stdout);
    expect(effect.rules).toHaveLength(1);
    expect(effect.rules[0]).toMatchObject({ repository: 'acme/api', pullRequest: pr!.number, complete: false });
    expect(effect.rules[0].categories).toEqual([
      {
        category: 'missing_tests',
        before: expect.objectContaining({ feedback: 2, aiPullRequests: 2, ratePer100: 100 }),
        after: expect.objectContaining({ feedback: 0, aiPullRequests: 1, ratePer100: 0 }),
        change: -100,
      },
    ]);
    const table = await cli(['feedback', 'effect', '--weeks', '2']);
    expect(table.stdout).toMatch(
      new RegExp(`acme/api#${pr!.number}\\s+\\d{4}-\\d{2}-\\d{2} \\(so far\\)\\s+missing_tests\\s+2/2 = 100\\s+0/1 = 0\\s+-100`),
    );
  });

  it('refuses an unknown format and --now, naming them', async () => {
    const format = await cli(['feedback', 'propose-rules', '--repository', 'acme/api', '--format', 'windsurf']);
    expect(format.code).toBe(1);
    expect(format.stderr).toMatch(/format: unknown format "windsurf"; expected one of claude, agents, cursor, copilot/);
    const now = await cli(['feedback', 'propose-rules', '--repository', 'acme/api', '--format', 'claude', '--now', '2026-01-01T00:00:00Z']);
    expect(now.code).toBe(2);
    expect(now.stderr).toMatch(/--now: feedback propose-rules records what happens at the real time/);
  });
});
