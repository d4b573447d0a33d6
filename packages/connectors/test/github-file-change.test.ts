import { type ActionContext, type ActionType, silentLogger, type TeamState, TeamStateError } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { blobSha } from './github/fake-github.js';
import { NOW, openTeamState, teamOfRepository, testConnector, useFakeGitHub } from './github/github-test-kit.js';

// The GitHub connector's repository file reader and github.pr.open_file_change (docs/ai-feedback.md, issue 21),
// against the fake GitHub's REST contents, git refs and pulls endpoints.
const kit = useFakeGitHub();
const policy = {
  actions: { 'github.pr.open_file_change': { mode: 'require_approval' as const } },
  approvers: { high: ['lead'] },
};

let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

const CLAUDE = '# CLAUDE.md\n\nRun `pnpm test` before pushing.\n';
const NEW = `${CLAUDE}\n<!-- teamstate:ai-feedback:start -->\n## Lessons from AI feedback\n<!-- teamstate:ai-feedback:end -->\n`;

async function setup() {
  const repo = kit.fake.repository('acme/api');
  repo.defaultBranch = 'trunk';
  repo.files = { 'CLAUDE.md': CLAUDE, '.cursor/rules/tests.mdc': '---\nalwaysApply: true\n---\n' };
  const connector = testConnector({ repositories: ['acme/api'], teamOfRepository });
  const ts = await openTeamState([connector], { policy });
  await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'lead', name: 'Lea Lead' }] });
  open.push(ts);
  const action = connector.actions!.find((a) => a.type === 'github.pr.open_file_change')! as ActionType;
  return { ts, connector, action, repo };
}

const context = (idempotencyKey: string, proposedState?: unknown): ActionContext => ({
  workspace: 'default',
  approvalId: 'apr_test',
  idempotencyKey,
  requestedBy: 'assistant',
  target: 'acme/api:CLAUDE.md',
  limits: {},
  deadline: new Date(NOW.getTime() + 3_600_000),
  proposedState,
  log: silentLogger,
  now: () => NOW,
});

const params = (extra: Record<string, unknown> = {}) => ({
  repository: 'acme/api',
  path: 'CLAUDE.md',
  content: NEW,
  baseSha: blobSha(CLAUDE),
  title: 'Agent rules from AI feedback',
  body: 'Suggested by teamstate from 3 reports.',
  ...extra,
});
const propose = (ts: TeamState, p: Record<string, unknown>) =>
  ts.actions.propose({
    type: 'github.pr.open_file_change',
    target: `acme/api:${p.path}`,
    params: p,
    reason: 'rules',
    requestedBy: 'assistant',
  });
const writes = () => kit.fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql').map((r) => `${r.method} ${r.path}`);

describe('repositoryFiles', () => {
  it('reads a file from the default branch with its blob sha; a missing file is null; a directory is not a file', async () => {
    const { connector } = await setup();
    const ctx = { workspace: 'default', log: silentLogger, now: () => NOW };
    expect(await connector.repositoryFiles!.read('acme/api', 'CLAUDE.md', ctx)).toEqual({
      repository: 'acme/api',
      path: 'CLAUDE.md',
      defaultBranch: 'trunk',
      content: CLAUDE,
      sha: blobSha(CLAUDE),
    });
    expect(kit.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/api',
      'GET /repos/acme/api/contents/CLAUDE.md',
    ]);
    expect(await connector.repositoryFiles!.read('acme/api', 'AGENTS.md', ctx)).toMatchObject({ content: null, sha: null });
    expect(await connector.repositoryFiles!.read('acme/api', '.cursor/rules', ctx)).toMatchObject({
      content: null,
      notAFile: 'a directory',
    });
  });
});

describe('github.pr.open_file_change', () => {
  it('after approval, makes a branch from the default branch, commits the file and opens the pull request', async () => {
    const { ts, repo } = await setup();
    const proposed = await propose(ts, params());
    expect(proposed).toMatchObject({ status: 'pending', risk: 'high' });
    expect(writes()).toEqual([]);
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided.status, JSON.stringify(decided.error)).toBe('executed');
    const result = decided.result as { number: number; url: string; branch: string; base: string };
    expect(result).toEqual({
      number: expect.any(Number),
      url: `https://github.com/acme/api/pull/${result.number}`,
      branch: expect.stringMatching(/^teamstate\/claude-md-[0-9a-f]{10}$/),
      base: 'trunk',
    });
    expect(writes()).toEqual(['POST /repos/acme/api/git/refs', 'PUT /repos/acme/api/contents/CLAUDE.md', 'POST /repos/acme/api/pulls']);
    expect(repo.branches![result.branch]!.files['CLAUDE.md']).toBe(NEW);
    expect(repo.branches!.trunk!.files['CLAUDE.md']).toBe(CLAUDE);
    expect(repo.openedPulls).toEqual([
      {
        number: result.number,
        title: 'Agent rules from AI feedback',
        body: 'Suggested by teamstate from 3 reports.',
        head: result.branch,
        base: 'trunk',
        state: 'open',
        merged: false,
      },
    ]);
  });

  it('creates a new file when there was none (no baseSha)', async () => {
    const { ts, repo } = await setup();
    const proposed = await propose(ts, params({ path: 'AGENTS.md', baseSha: undefined }));
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided.status).toBe('executed');
    const { branch } = decided.result as { branch: string };
    expect(repo.branches![branch]!.files['AGENTS.md']).toBe(NEW);
  });

  it('fails the approval as stale when the file changed on the default branch after the proposal; nothing written', async () => {
    const { ts, repo } = await setup();
    const proposed = await propose(ts, params());
    repo.branches!.trunk!.files['CLAUDE.md'] = `${CLAUDE}Someone else's edit.\n`;
    const decided = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(decided.status).toBe('failed');
    expect(decided.error?.code).toBe('stale');
    expect(decided.error?.message).toMatch(
      new RegExp(
        `CLAUDE\\.md on trunk changed since the change was made \\(it was ${blobSha(CLAUDE).slice(0, 12)}, it is now [0-9a-f]{12}\\)`,
      ),
    );
    expect(writes()).toEqual([]);
  });

  it('refuses the proposal when the file is no longer the baseSha the diff was made against, or a new file now exists', async () => {
    const { ts } = await setup();
    const stale = await propose(ts, params({ baseSha: 'b'.repeat(40) })).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(stale)).toBe(true);
    expect((stale as Error).message).toMatch(/CLAUDE\.md on trunk changed since the change was made \(it was bbbbbbbbbbbb, it is now/);
    const exists = await propose(ts, params({ baseSha: undefined })).catch((e: unknown) => e);
    expect((exists as Error).message).toMatch(/\(it did not exist, it is now [0-9a-f]{12}\)/);
    expect(writes()).toEqual([]);
  });

  it('is idempotent: a re-run finds the branch, the commit and the pull request an earlier run made', async () => {
    const { ts, action, repo } = await setup();
    // The pull request call fails the first time, after the branch and the commit were made.
    kit.fake.intercept((r) =>
      r.method === 'POST' && r.path === '/repos/acme/api/pulls' ? { status: 502, body: { message: 'Server Error' } } : undefined,
    );
    const proposed = await propose(ts, params());
    const failed = await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' });
    expect(failed.status).toBe('failed');
    expect(await action.checkExecuted!(params(), context(proposed.idempotencyKey))).toEqual({ executed: false });
    kit.fake.clearInterceptors();
    const state = { defaultBranch: 'trunk', sha: blobSha(CLAUDE) };
    const retried = (await action.execute(params(), context(proposed.idempotencyKey, state))) as { number: number; branch: string };
    expect(writes()).toEqual([
      'POST /repos/acme/api/git/refs',
      'PUT /repos/acme/api/contents/CLAUDE.md',
      'POST /repos/acme/api/pulls',
      'POST /repos/acme/api/pulls',
    ]);
    const again = await action.execute(params(), context(proposed.idempotencyKey, state));
    expect(again).toEqual({ ...retried, alreadyOpened: true });
    expect(writes()).toHaveLength(4);
    expect(repo.openedPulls).toHaveLength(1);
    expect(await action.checkExecuted!(params(), context(proposed.idempotencyKey))).toEqual({
      executed: true,
      result: { ...retried, alreadyOpened: true },
    });
  });

  it('refuses params that point outside the repository', async () => {
    const { ts } = await setup();
    const refused = await propose(ts, params({ path: '../etc/passwd' })).catch((e: unknown) => e);
    expect((refused as Error).message).toMatch(/path: expected a path inside the repository/);
  });
});

// Finding 4 of the security review: the action wrote any file (a push-triggered workflow runs with the repository's
// secrets before anyone merges) to any repository. It writes agent-instruction files of tracked repositories only.
describe('github.pr.open_file_change writes only agent-instruction files of tracked repositories', () => {
  const ALLOWED = [
    'CLAUDE.md',
    'AGENTS.md',
    'packages/x/AGENTS.md',
    'services/payments/CLAUDE.md',
    '.cursor/rules/tests.mdc',
    '.cursor/rules/ai-feedback-services-payments.mdc',
    '.github/copilot-instructions.md',
    '.github/instructions/ai-feedback.instructions.md',
  ];
  const REFUSED = [
    '.github/workflows/x.yml',
    '.github/workflows/CLAUDE.md.yml',
    'package.json',
    'claude.md',
    'Agents.md',
    'CLAUDE.md.bak',
    'docs/CLAUDE.md/x',
    '.cursor/rules/nested/tests.mdc',
    '.cursor/rules/.mdc',
    'src/.cursor/rules/tests.mdc',
    '.github/instructions/a/b.instructions.md',
    '.github/instructions/.instructions.md',
    'x/.github/copilot-instructions.md',
    '.github/COPILOT-INSTRUCTIONS.md',
    'CLAUDE.md\u0000.github/workflows/x.yml',
    'docs/\u0007CLAUDE.md',
    'docs\u001b[8m/CLAUDE.md',
    '\u202eCLAUDE.md',
    './CLAUDE.md',
    'a/./CLAUDE.md',
    'a/../CLAUDE.md',
    '/CLAUDE.md',
    'a//CLAUDE.md',
    'a\\CLAUDE.md',
  ];

  it('accepts CLAUDE.md and AGENTS.md in any folder, the other files exactly as listed; refuses every other path', async () => {
    const { action } = await setup();
    const accepts = (path: string) => action.params.safeParse(params({ path })).success;
    expect(ALLOWED.filter((path) => !accepts(path))).toEqual([]);
    expect(REFUSED.filter(accepts)).toEqual([]);
  });

  it('refuses a workflow file, a NUL in the path and a repository the connector does not track when proposed, naming the field and the allowed files', async () => {
    const { ts } = await setup();
    const workflow = await propose(ts, params({ path: '.github/workflows/x.yml', baseSha: undefined })).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(workflow) && workflow.code).toBe('invalid_params');
    expect((workflow as Error).message).toContain(
      'params.path: ".github/workflows/x.yml" is not an agent-instructions file; allowed: CLAUDE.md or AGENTS.md (in any folder), .cursor/rules/<name>.mdc, .github/copilot-instructions.md, .github/instructions/<name>.instructions.md',
    );
    const nul = await propose(ts, params({ path: 'CLAUDE.md\u0000.github/workflows/x.yml' })).catch((e: unknown) => e);
    // Core refuses a NUL in any text of a proposal before the action's own check sees it.
    expect((nul as Error).message).toContain('params.path: contains a NUL character (U+0000) at index 9; remove it');
    const elsewhere = await propose(ts, { ...params(), repository: 'acme/web' }).catch((e: unknown) => e);
    expect(TeamStateError.isInstance(elsewhere) && elsewhere.code).toBe('invalid_params');
    expect((elsewhere as Error).message).toContain(
      'params.repository: acme/web is not a repository the GitHub connector tracks (connectors.github.repositories: acme/api)',
    );
    expect(await ts.approvals.list({})).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('takes the repositories of its org when it tracks an organisation, in any spelling of the name', async () => {
    const connector = testConnector({ org: 'acme' });
    const action = connector.actions!.find((a) => a.type === 'github.pr.open_file_change')! as ActionType;
    expect(action.params.safeParse(params({ repository: 'Acme/web' })).success).toBe(true);
    const other = action.params.safeParse(params({ repository: 'evil/api' }));
    expect(other.success).toBe(false);
    expect(other.error?.issues[0]?.message).toBe('evil/api is not a repository the GitHub connector tracks (connectors.github.org: acme)');
  });

  it('refuses to run a path or a repository outside them even when the executor is handed one (a row edited in the database)', async () => {
    const { action } = await setup();
    const run = (p: Record<string, unknown>) => action.execute(p, context('7f1c9d0e-8b9f-4f39-9a0e-5d1f0e6c2a11')).catch((e: unknown) => e);
    const workflow = await run(params({ path: '.github/workflows/x.yml', content: 'on: push\n' }));
    expect((workflow as Error).message).toMatch(/^path: "\.github\/workflows\/x\.yml" is not an agent-instructions file; allowed: /);
    const elsewhere = await run(params({ repository: 'acme/web' }));
    expect((elsewhere as Error).message).toMatch(/^repository: acme\/web is not a repository the GitHub connector tracks/);
    const nul = await run(params({ path: 'CLAUDE.md\u0000x' }));
    expect((nul as Error).message).toMatch(/^path: must not contain control or invisible formatting characters/);
    expect(writes()).toEqual([]);
  });

  it('needs an approver under the built-in policy: the person the assistant proposed for cannot approve it', async () => {
    const repo = kit.fake.repository('acme/api');
    repo.defaultBranch = 'trunk';
    repo.files = { 'CLAUDE.md': CLAUDE };
    const ts = await openTeamState([testConnector({ repositories: ['acme/api'], teamOfRepository })]);
    open.push(ts);
    await ts.import({
      format: 'teamstate.bundle/v1',
      people: [
        { id: 'ana', name: 'Ana' },
        { id: 'lead', name: 'Lea Lead' },
      ],
    });
    const proposed = await ts.actions.propose({
      type: 'github.pr.open_file_change',
      target: 'acme/api:CLAUDE.md',
      params: params(),
      reason: 'rules',
      requestedBy: 'assistant',
      onBehalfOf: 'ana',
    });
    expect(proposed).toMatchObject({ status: 'pending', mode: 'require_approval', risk: 'high' });
    await expect(ts.approvals.decide(proposed.id, { decision: 'approve', by: 'ana' })).rejects.toMatchObject({ code: 'self_decision' });
    expect(writes()).toEqual([]);
    expect((await ts.approvals.decide(proposed.id, { decision: 'approve', by: 'lead' })).status).toBe('executed');
  });
});
