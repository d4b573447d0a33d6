import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { github } from '@teamstate/connectors/github';
import { createTeamState } from '@teamstate/core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { useFakeGitHub } from '../../connectors/test/github/github-test-kit.js';
import { loadConfig } from '../src/config/load-config.js';
import { connectorsForAction } from '../src/config/open-with-connectors.js';
import { runCli } from './run-cli.js';

// Finding 8 of the security review: `teamstate approvals approve` loaded no connectors, so what it approved stayed
// `approved` unless an MCP server happened to wait on it. The CLI runs here, in process, with GitHub behind msw: the
// process that approves runs the action when its config has the action's connector (and loads only that one), and
// says so; without it, it says which process will.
const TOKEN = 'ghp_ApproveHereTokenNeverPrinted00000000';
const CLAUDE = '# CLAUDE.md\n\nUse pnpm.\n';

// The fake GitHub behind msw, fresh for each test (the connectors' own test kit and fixtures).
const kit = useFakeGitHub();
const root = mkdtempSync(join(tmpdir(), 'teamstate-approve-here-'));
let dir: string;
let run = 0;

afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(async () => {
  kit.fake.repository('acme/api').files = { 'CLAUDE.md': CLAUDE };
  dir = join(root, `project-${++run}`);
  mkdirSync(dir, { recursive: true });
  const people = ['people:', '  - { id: ana, name: Ana }', '  - { id: ben, name: Ben }'];
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    [
      'database: team.db',
      'approvals: { localTrust: true }',
      'connectors:',
      '  github: { token: ${GITHUB_TOKEN}, repositories: [acme/api] }',
      ...people,
      '',
    ].join('\n'),
  );
  // The same database, from a config without GitHub (a laptop that only decides).
  writeFileSync(join(dir, 'decide-only.yaml'), ['database: team.db', 'approvals: { localTrust: true }', ...people, ''].join('\n'));
  writeFileSync(
    join(dir, 'bundle.json'),
    JSON.stringify({
      format: 'teamstate.bundle/v1',
      repositories: [{ id: 'acme/api' }],
      aiFeedback: ['Forgot the refund fixtures', 'No refund tests again'].map((text, i) => ({
        id: `f${i}`,
        person: i === 0 ? 'ana' : 'ben',
        category: 'missing_tests',
        text,
        repository: 'acme/api',
        paths: ['services/payments/refund.ts'],
        createdAt: new Date(Date.now() - (i + 1) * 86_400_000).toISOString(),
      })),
    }),
  );
  expect((await cli(['sync', '--only', 'config'])).code).toBe(0);
  expect((await cli(['import', 'bundle.json'])).code).toBe(0);
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env: { GITHUB_TOKEN: TOKEN, HOME: dir } });

/** `teamstate feedback propose-rules` under the built-in policy: it waits for a person; returns the approval id. */
async function proposeRules(): Promise<string> {
  const proposed = await cli(['feedback', 'propose-rules', '--repository', 'acme/api', '--format', 'claude']);
  expect(proposed.code, proposed.stderr).toBe(0);
  return /Waiting for approval (apr_[0-9a-f]{24})/.exec(proposed.stdout)![1]!;
}

const status = async (id: string) => JSON.parse((await cli(['--json', 'approvals', 'show', id])).stdout).approval;

describe('teamstate approvals approve runs what it approves when its config has the connector', () => {
  it('opens the pull request of feedback propose-rules at once and prints the result', async () => {
    const id = await proposeRules();
    const approved = await cli(['approvals', 'approve', id, '--as', 'ana']);
    expect(approved.code, approved.stderr).toBe(0);
    const [pr] = kit.fake.repository('acme/api').openedPulls ?? [];
    expect(pr).toMatchObject({ base: 'main', state: 'open' });
    expect(approved.stdout).toMatch(
      new RegExp(
        `^Approved ${id} as ana\\. Executed here: \\{"number":${pr!.number},"url":"https://github\\.com/acme/api/pull/${pr!.number}",`,
      ),
    );
    expect(await status(id)).toMatchObject({ status: 'executed', result: { number: pr!.number } });
    expect(approved.stdout + approved.stderr).not.toContain(TOKEN);

    // Exactly once: another process with the connector finds nothing left to run.
    const server = await createTeamState({
      database: join(dir, 'team.db'),
      connectors: [github({ token: TOKEN, repositories: ['acme/api'] })],
    });
    try {
      expect((await server.approvals.reconcile()).executed).toEqual([]);
    } finally {
      await server.close();
    }
    expect(kit.fake.repository('acme/api').openedPulls).toHaveLength(1);
  });

  it('without the connector in its config, leaves it approved and says which process runs it', async () => {
    const id = await proposeRules();
    const approved = await cli(['--config', 'decide-only.yaml', 'approvals', 'approve', id, '--as', 'ana']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toBe(
      `Approved ${id} as ana; no connector for github.pr.open_file_change here: a process with that connector (teamstate serve) will run it.\n`,
    );
    expect((await status(id)).status).toBe('approved');
    expect(kit.fake.repository('acme/api').openedPulls ?? []).toEqual([]);
  });

  it('builds only the connector of the action type', async () => {
    const file = join(dir, 'all.yaml');
    writeFileSync(
      file,
      [
        'connectors:',
        '  demo: {}',
        '  github: { token: ghp_x, repositories: [acme/api] }',
        '  slack: { token: xoxb-1 }',
        '  jira: { host: https://acme.atlassian.net, bearerToken: x, projects: [PAY] }',
        '',
      ].join('\n'),
    );
    const loaded = loadConfig(file, {});
    const ids = async (type: string) => (await connectorsForAction(loaded, type)).map((c) => c.id);
    expect(await ids('github.pr.open_file_change')).toEqual(['github']);
    expect(await ids('slack.message.post')).toEqual(['slack']);
    expect(await ids('demo.note.add')).toEqual(['demo']);
    expect(await ids('github.pr.teleport')).toEqual([]);
    expect(await ids('confluence.page.edit')).toEqual([]);
  });
});
