import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'teamstate-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, config: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(dir, 'teamstate.config.yaml'), config);
  return dir;
}

const TOKEN = 'ghp_S3cr3tT0kenValue1234567890';

describe('configuration', () => {
  it('config check loads and validates what the other commands load: an invalid policy, inline or in a file, is not "valid" (issue 17)', async () => {
    const inline = project('check-inline-policy', 'policy:\n  actions:\n    github.pr.merge: { mode: yes }\n');
    const bad = await runCli(['config', 'check'], { cwd: inline });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/actions\["github\.pr\.merge"\]\.mode/);
    const file = project('check-file-policy', 'policy: ./policy.yaml\n');
    writeFileSync(join(file, 'policy.yaml'), 'ttl: { default: soon }\n');
    const badFile = await runCli(['config', 'check'], { cwd: file });
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toMatch(/ttl\.default/);
    writeFileSync(join(file, 'policy.yaml'), 'actions:\n  "*": { mode: deny }\n');
    expect((await runCli(['config', 'check'], { cwd: file })).code).toBe(0);
  });

  it('shows where a config file is not valid YAML: line and column, the message, the line itself and a caret (finding 6)', async () => {
    const dir = project('yaml-error', 'database: team.db\nteams:\n  - { id: payments, name: Payments\nworkspace: acme\n');
    const bad = await runCli(['config', 'check'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      [
        `error: config file ${join(dir, 'teamstate.config.yaml')} is not valid YAML: line 4, column 1: Flow map in block collection must be sufficiently indented and end with a }`,
        '    4 | workspace: acme',
        '      | ^',
        '',
      ].join('\n'),
    );
    // The line as written: a reference to a variable is shown as such, and the caret points into the line as written.
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'connectors:\n  github: { token: ${GITHUB_TOKEN}, org: acme, org: again }\n');
    const duplicate = await runCli(['config', 'check'], { cwd: dir });
    expect(duplicate.stderr).toBe(
      [
        `error: config file ${join(dir, 'teamstate.config.yaml')} is not valid YAML: line 2, column 48: Map keys must be unique`,
        '    2 |   github: { token: ${GITHUB_TOKEN}, org: acme, org: again }',
        '      |                                                ^',
        '',
      ].join('\n'),
    );
    // A secret written in the file is not echoed: the value of a secret key on the line shown is masked.
    writeFileSync(
      join(dir, 'teamstate.config.yaml'),
      'connectors:\n  github: { token: ghp_LiteralSecret0000000000, org: acme, org: again }\n',
    );
    const literal = await runCli(['config', 'check'], { cwd: dir });
    expect(literal.stderr).toContain('    2 |   github: { token: ********, org: acme, org: again }\n');
    expect(literal.stderr).not.toContain('ghp_LiteralSecret');
    // The same for a policy file the config names, and for JSON.
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'policy: ./policy.yaml\n');
    writeFileSync(join(dir, 'policy.yaml'), 'actions:\n\t"*": { mode: deny }\n');
    const policy = await runCli(['config', 'check'], { cwd: dir });
    expect(policy.stderr).toContain(
      `policy file ${join(dir, 'policy.yaml')} is not valid YAML: line 2, column 1: Tabs are not allowed as indentation\n`,
    );
    // A policy file given on the command line (--policy, TEAMSTATE_POLICY) is shown the same way.
    const given = await runCli(['--db', join(dir, 'none.db'), 'approvals', '--policy', 'policy.yaml', 'list'], { cwd: dir });
    expect(given.code).toBe(1);
    expect(given.stderr).toContain(
      'policy: is not valid YAML or JSON: line 2, column 1: Tabs are not allowed as indentation\n    2 | \\t"*": { mode: deny }\n      | ^\n',
    );
    rmSync(join(dir, 'teamstate.config.yaml'));
    writeFileSync(join(dir, 'teamstate.config.json'), '{\n  "database": "team.db"\n  "workspace": "acme"\n}\n');
    const json = await runCli(['config', 'check'], { cwd: dir });
    // (The message is Node's own.)
    expect(json.stderr).toMatch(/is not valid JSON: line 3, column 3: Expected .+\n {4}3 \| {3}"workspace": "acme"\n {6}\| {3}\^\n$/);
  });

  it('config check validates the surveys settings, naming the one that is wrong (issue 20)', async () => {
    const dir = project('check-surveys', 'surveys:\n  enabled: true\n  quietHours: "22-06"\n');
    const bad = await runCli(['config', 'check'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('surveys.quietHours: expected HH:MM-HH:MM');
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'surveys:\n  enabled: true\n  quietHours: "22:00-06:30"\n  sample: 0.5\n');
    expect((await runCli(['config', 'check'], { cwd: dir })).code).toBe(0);
  });

  it('checks auth: and server.publicUrl for remote MCP sign-in, masking the client secret (docs/remote-mcp.md)', async () => {
    const secret = 'f0e1d2c3b4a5968778695a4b3c2d1e0f12345678';
    const dir = project(
      'auth',
      'auth:\n  github: { clientId: Iv1.8a61f9b3a7aba766, clientSecret: ${GITHUB_OAUTH_SECRET}, baseUrl: https://github.acme.example }\nserver: { publicUrl: https://teamstate.acme.example }\n',
    );
    const checked = await runCli(['--json', 'config', 'check'], { cwd: dir, env: { GITHUB_OAUTH_SECRET: secret } });
    expect(checked.code, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout).config.auth.github).toMatchObject({ clientId: 'Iv1.8a61f9b3a7aba766', clientSecret: '********' });
    expect(checked.stdout).not.toContain(secret);
    writeFileSync(
      join(dir, 'teamstate.config.yaml'),
      'auth:\n  github: { clientId: a, clientSecret: b }\n  slack: { clientId: c, clientSecret: d }\nserver: { publicUrl: "http://teamstate.acme.example/x" }\n',
    );
    const bad = await runCli(['config', 'check'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('auth: configure exactly one provider');
    expect(bad.stderr).toContain('server.publicUrl: expected the public origin, e.g. https://teamstate.acme.example');
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'auth:\n  github: { clientId: a, clientSecret: b }\n');
    const serve = await runCli(['--db', join(dir, 'team.db'), 'serve', '--port', '0'], { cwd: dir });
    expect(serve.code).not.toBe(0);
    expect(serve.stderr).toContain('server.publicUrl: required with auth:');
  });

  it('is found walking up from the working directory; config check masks secrets', async () => {
    const dir = project(
      'valid',
      `database: data/team.db
workspace: acme
connectors:
  github: { token: \${GITHUB_TOKEN}, org: \${GITHUB_ORG}, repositories: [acme/api], baseUrl: https://ghe.acme.example/api/v3 }
teams:
  - { id: payments, name: Payments, members: [ana], repositories: [acme/api], jiraProjects: [PAY] }
people:
  - { id: ana, name: Ana Garcia, email: ana@acme.example, github: anag }
`,
    );
    const result = await runCli(['config', 'check'], { cwd: join(dir, 'sub', 'deeper'), env: { GITHUB_TOKEN: TOKEN, GITHUB_ORG: 'acme' } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${join(dir, 'teamstate.config.yaml')} is valid`);
    expect(result.stdout).toContain(`database   file:${join(dir, 'data', 'team.db')}`);
    expect(result.stdout).toContain('workspace  acme');
    expect(result.stdout).toContain('token: "********"');
    expect(result.stdout).toContain('org: acme');
    expect(result.stdout).toContain('email: ana@acme.example');
    expect(result.stdout).not.toContain(TOKEN);
    const json = await runCli(['--json', 'config', 'check'], { cwd: dir, env: { GITHUB_TOKEN: TOKEN, GITHUB_ORG: 'acme' } });
    expect(JSON.parse(json.stdout).config.connectors.github.token).toBe('********');
    expect(json.stdout).not.toContain(TOKEN);
  });

  it('reports an unknown key with its path and a suggestion, and a wrong type, and nothing runs', async () => {
    const dir = project('typo', 'databse: x.db\nteams:\n  - { id: payments, name: 7, repos: [acme/api] }\n');
    const result = await runCli(['config', 'check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('databse: unknown key (did you mean "database"?)');
    expect(result.stderr).toContain('teams[0].repos: unknown key (did you mean "repositories"?)');
    expect(result.stderr).toMatch(/teams\[0\]\.name: .*string/);
    const sync = await runCli(['sync'], { cwd: dir });
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain('databse: unknown key');
  });

  it('names a missing environment variable without printing other secrets', async () => {
    const dir = project('missing-env', 'connectors:\n  slack: { token: ${SLACK_BOT_TOKEN}, signingSecret: ${SLACK_SIGNING_SECRET} }\n');
    const result = await runCli(['config', 'check'], {
      cwd: dir,
      env: { SLACK_SIGNING_SECRET: 'sig-secret-value', SLACK_BOT_TOKEN: undefined },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('connectors.slack.token: environment variable SLACK_BOT_TOKEN is not set');
    expect(result.stderr).not.toContain('sig-secret-value');
  });

  it('explains that there is no config file, and a --config that does not exist', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const none = await runCli(['config', 'check'], { cwd: empty });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no teamstate\.config\.yaml found in .* \(run `teamstate init`, or pass --config <file>\)/);
    const missing = await runCli(['--config', 'nope.yaml', 'config', 'check'], { cwd: empty });
    expect(missing.stderr).toContain('--config: nope.yaml does not exist');
  });

  it('syncs the teams, repositories and people the config declares into its database', async () => {
    const dir = project(
      'sync',
      'database: team.db\nteams:\n  - { id: payments, name: Payments, members: [ana, bob], repositories: [acme/api, acme/ledger] }\npeople:\n  - { id: ana, name: Ana Garcia }\n',
    );
    const result = await runCli(['--json', 'sync'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      connectors: [{ connector: 'config', status: 'succeeded', batches: 1, records: 4 }],
    });
    expect(result.stderr).toContain('member "bob" of team "payments" is not known yet');
    const exported = JSON.parse((await runCli(['export'], { cwd: join(dir, 'sub') })).stdout);
    expect(exported.repositories).toEqual([
      { id: 'acme/api', team: 'payments' },
      { id: 'acme/ledger', team: 'payments' },
    ]);
    expect(exported.people).toEqual([{ id: 'ana', name: 'Ana Garcia', teams: ['payments'], accounts: [] }]);
  });

  it("declares people's time zones (IANA names, checked), which sync writes to the people (issue 18)", async () => {
    const dir = project('time-zones', 'database: team.db\npeople:\n  - { id: ana, name: Ana Garcia, timeZone: Europe/Berlin }\n');
    expect((await runCli(['sync'], { cwd: dir })).code).toBe(0);
    expect(JSON.parse((await runCli(['export'], { cwd: dir })).stdout).people).toEqual([
      { id: 'ana', name: 'Ana Garcia', teams: [], accounts: [], timeZone: 'Europe/Berlin' },
    ]);
    const bad = project('bad-time-zone', 'database: team.db\npeople:\n  - { id: ana, name: Ana Garcia, timeZone: "+01:00" }\n');
    const check = await runCli(['config', 'check'], { cwd: bad });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('people[0].timeZone: expected an IANA time zone, e.g. Europe/Berlin');
  });

  it('applies the config first with --only, so a connector run alone finds the teams the config declares (issue 17)', async () => {
    const dir = project(
      'only-config',
      'database: team.db\nconnectors:\n  demo: {}\nteams:\n  - { id: platform-x, name: Platform X, repositories: [acme/x] }\n',
    );
    const result = await runCli(['--json', '--now', '2026-11-21T10:00:00Z', 'sync', '--only', 'demo'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).connectors.map((c: { connector: string }) => c.connector)).toEqual(['config', 'demo']);
    const exported = JSON.parse((await runCli(['export'], { cwd: dir })).stdout);
    expect(exported.teams).toContainEqual({ id: 'platform-x', name: 'Platform X' });
    expect(exported.repositories).toContainEqual({ id: 'acme/x', team: 'platform-x' });
  });

  it('refuses --only for a connector that is not configured (exit 1)', async () => {
    const dir = project('only', 'teams: []\n');
    const result = await runCli(['sync', '--only', 'github'], { cwd: dir, env: { TEAMSTATE_DB: join(dir, 'x.db') } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: only: no connector "github" is configured (configured: config)\n');
  });
});

describe('identity overrides from the config', () => {
  it('are stored as accounts linked to the person', async () => {
    const dir = project('overrides', 'database: team.db\npeople:\n  - { id: ana, name: Ana Garcia, github: anag, slack: U01ANA }\n');
    expect((await runCli(['sync'], { cwd: dir })).code).toBe(0);
    const exported = JSON.parse((await runCli(['export'], { cwd: dir })).stdout);
    expect(exported.people[0].accounts).toEqual([
      { provider: 'github', id: 'anag', login: 'anag' },
      { provider: 'slack', id: 'U01ANA', login: 'U01ANA' },
    ]);
  });
});

describe('policy from the config', () => {
  it('is validated with the field path when a command opens the store', async () => {
    const dir = project('bad-policy', 'database: team.db\npolicy:\n  actions:\n    github.pr.merge: { mode: yes }\n');
    const result = await runCli(['approvals', 'list'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The policy in ${join(dir, 'teamstate.config.yaml')}`);
    expect(result.stderr).toMatch(/actions\["github\.pr\.merge"\]\.mode/);
  });

  it('is read from the file the config names and applies to approvals', async () => {
    const dir = project('file-policy', 'database: team.db\npolicy: ./policy.yaml\n');
    writeFileSync(join(dir, 'policy.yaml'), 'actions:\n  "*": { mode: deny }\n');
    writeFileSync(join(dir, 'empty.json'), JSON.stringify({ format: 'teamstate.bundle/v1' }));
    expect((await runCli(['import', 'empty.json'], { cwd: dir })).code).toBe(0); // read commands need an existing database
    const result = await runCli(['--json', 'approvals', 'list'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const missing = project('missing-policy', 'database: team.db\npolicy: ./nope.yaml\n');
    expect((await runCli(['approvals', 'list'], { cwd: missing })).stderr).toMatch(/policy: \.\/nope\.yaml does not exist/);
  });
});

describe('Ctrl-C during sync', () => {
  it('stops at a batch boundary, says so, exits 1, and keeps only whole batches', async () => {
    const dir = project('interrupt', 'database: team.db\nconnectors:\n  demo: { scale: large }\n');
    const now = '2026-11-21T10:00:00Z';
    const child = spawn(process.execPath, [BIN, '--json', '--now', now, 'sync'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
      if (stderr.includes('demo: work items') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('stopping at the next batch boundary');
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.connectors.find((c: { connector: string }) => c.connector === 'demo').status).toBe('aborted');
    // Batches are all or nothing: the stored work items are whole batches of 2,000 (or all of them, when
    // a busy machine delivered the interrupt after the last work-item batch).
    const ts = await createTeamState({ database: join(dir, 'team.db') });
    const stored = Number((await ts.store.execute('SELECT count(*) AS n FROM work_items')).rows[0]!.n);
    await ts.close();
    expect(stored % 2000 === 0 || stored === demoBundle({ now: new Date(now), scale: 'large' }).workItems.length).toBe(true);
  });
});

describe('config ai:', () => {
  it('extends the AI detection lists for import and sync; a wrong entry is refused with its path', async () => {
    const dir = project(
      'ai-lists',
      'database: team.db\nai:\n  labels: [{ name: llm-generated, tool: acme }]\n  bots: [{ login: "acme-agent[bot]", tool: acme }]\n',
    );
    const bundle = {
      format: 'teamstate.bundle/v1',
      repositories: [{ id: 'acme/api' }],
      workItems: [
        {
          id: 'pr-1',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/api#1',
          title: 'One',
          state: 'merged',
          createdAt: '2026-03-02T10:00:00Z',
          mergedAt: '2026-03-03T10:00:00Z',
          labels: ['llm-generated'],
        },
        {
          id: 'pr-2',
          source: 'github',
          kind: 'pull_request',
          key: 'acme/api#2',
          title: 'Two',
          state: 'merged',
          createdAt: '2026-03-02T10:00:00Z',
          mergedAt: '2026-03-03T10:00:00Z',
          labels: ['dependencies'],
        },
      ],
    };
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
    expect((await runCli(['import', 'bundle.json'], { cwd: dir })).code).toBe(0);
    const items = JSON.parse((await runCli(['export'], { cwd: dir })).stdout).workItems;
    expect(items.map((item: { ai: unknown }) => item.ai)).toEqual([
      { assisted: true, tools: ['acme'], evidence: [{ kind: 'label', value: 'llm-generated' }] },
      { assisted: null, tools: [], evidence: [] },
    ]);
    const share = JSON.parse(
      (await runCli(['--json', 'metrics', 'ai_assisted_share', '--from', '2026-03-01', '--to', '2026-04-01'], { cwd: dir })).stdout,
    );
    expect(share.ai_assisted_share).toMatchObject({ value: 0.5, assisted: 1, total: 2 });

    const bad = project('ai-bad', 'ai:\n  coAuthors: [{ email: nope, tool: x }]\n');
    const check = await runCli(['config', 'check'], { cwd: bad });
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/ai\.coAuthors\[0\]\.email: expected an email, or \*@domain/);
  });
});
