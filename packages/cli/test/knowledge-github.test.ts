import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FakeGitHubKnowledge,
  filesOf,
  knowledgeFixturesDir,
  serveFakeGitHubKnowledge,
} from '../../connectors/test/github/fake-github-knowledge.js';
import { runCli } from './run-cli.js';

// `knowledge.github` in the config, as a subprocess against the fake GitHub served on 127.0.0.1 (issue 19).
const TOKEN = 'ghp_CliKnowledgeTokenNeverPrinted0000000';
const root = mkdtempSync(join(tmpdir(), 'teamstate-knowledge-github-cli-'));
const fake = new FakeGitHubKnowledge();
let server: Awaited<ReturnType<typeof serveFakeGitHubKnowledge>>;
beforeAll(async () => {
  fake.repository('acme/handbook', filesOf(join(knowledgeFixturesDir, 'handbook')));
  server = await serveFakeGitHubKnowledge(() => fake);
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function project(name: string, config: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'teamstate.config.yaml'), config);
  return dir;
}

describe('knowledge.github', () => {
  it('teamstate knowledge sync indexes the repositories of connectors.github; a re-run is one request per repository', async () => {
    const dir = project(
      'sync',
      `database: team.db\nconnectors:\n  github: { token: \${GITHUB_TOKEN}, repositories: [acme/handbook], baseUrl: ${server.url} }\nknowledge:\n  github: {}\n`,
    );
    const env = { GITHUB_TOKEN: TOKEN };
    const first = await runCli(['knowledge', 'sync'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/knowledge github: 6 added, 0 updated, 0 unchanged, 0 removed, 0 skipped/);
    expect(first.stderr).toMatch(/knowledge github: repositories/);
    expect(`${first.stdout}${first.stderr}`).not.toContain(TOKEN);
    fake.requests.length = 0;
    const again = JSON.parse((await runCli(['knowledge', 'sync', '--json'], { cwd: dir, env })).stdout);
    expect(again.sources[0]).toMatchObject({ source: 'github', added: 0, unchanged: 6 });
    expect(fake.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/api/v3/repos/acme/handbook/git/trees/HEAD?recursive=1 304']);
    const search = JSON.parse((await runCli(['knowledge', 'search', 'roll back with argo cd', '--json'], { cwd: dir, env })).stdout);
    expect(search.passages[0].document.uri).toBe(`${server.url}/acme/handbook/blob/main/docs/runbooks/deploy-rollback.md`);
  });

  it('refuses knowledge.github without connectors.github, naming the field', async () => {
    const dir = project('missing', 'database: team.db\nknowledge:\n  github: { repositories: [acme/handbook] }\n');
    const result = await runCli(['knowledge', 'sync'], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('knowledge.github: needs connectors.github');
  });
});
