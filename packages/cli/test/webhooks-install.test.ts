import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakeRequest } from '../../connectors/test/github/fake-github.js';
import { useFakeGitHub } from '../../connectors/test/github/github-test-kit.js';
import { runCli } from './run-cli.js';

// Issue 50: `teamstate webhooks install` creates or repairs the GitHub organisation hook pointing at server.publicUrl,
// through `github.webhook.create` (ask by default), and re-running it changes nothing. GitHub is behind msw (the
// connectors' fake, with the hooks API answered from a realistic fixture); the CLI runs in process.
const TOKEN = 'ghp_WebhookInstallTokenNeverPrinted000000';
const SECRET = 'whsec_install_NeverPrinted_0000';
const hooksFixture = readFileSync(new URL('../../connectors/test/__fixtures__/github/org-hooks.json', import.meta.url), 'utf8');

interface Hook {
  id: number;
  name: string;
  active: boolean;
  events: string[];
  config: { url: string; content_type: string; insecure_ssl: string; secret?: string };
  [key: string]: unknown;
}

const kit = useFakeGitHub();
const root = mkdtempSync(join(tmpdir(), 'teamstate-webhooks-install-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dir: string;
let run = 0;
/** The organisation's hooks as GitHub holds them (secrets in clear here; the API answers `********`). */
let hooks: Hook[];
let writes: { method: string; path: string; body: Record<string, unknown> }[];

beforeEach(async () => {
  hooks = JSON.parse(hooksFixture) as Hook[];
  writes = [];
  kit.fake.intercept((request: FakeRequest) => {
    const match = /^\/orgs\/acme\/hooks(?:\/(\d+))?$/.exec(request.path);
    if (!match) return undefined;
    const shown = (hook: Hook) => ({ ...hook, config: { ...hook.config, ...(hook.config.secret ? { secret: '********' } : {}) } });
    if (request.method === 'GET') return { status: 200, body: hooks.map(shown) };
    const body = JSON.parse(request.body) as { active?: boolean; events?: string[]; config?: Hook['config'] };
    writes.push({ method: request.method, path: request.path, body });
    if (request.method === 'POST') {
      const hook: Hook = {
        id: 412345679 + hooks.length,
        type: 'Organization',
        name: 'web',
        active: body.active ?? true,
        events: body.events ?? ['push'],
        config: body.config!,
        created_at: new Date().toISOString(),
        updated_at: new Date().toISOString(),
      };
      hooks.push(hook);
      return { status: 201, body: shown(hook) };
    }
    const hook = hooks.find((h) => h.id === Number(match[1]));
    if (!hook) return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
    Object.assign(hook, {
      active: body.active ?? hook.active,
      events: body.events ?? hook.events,
      config: { ...hook.config, ...body.config },
    });
    return { status: 200, body: shown(hook) };
  });
  dir = join(root, `project-${++run}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'teamstate.config.yaml'),
    [
      'database: team.db',
      'approvals: { localTrust: true }',
      'server: { publicUrl: "https://teamstate.acme.dev" }',
      'connectors:',
      '  github: { token: ${GITHUB_TOKEN}, org: acme, webhookSecret: ${GITHUB_WEBHOOK_SECRET} }',
      'people:',
      '  - { id: ana, name: Ana }',
      '',
    ].join('\n'),
  );
  // The config's people (the approver) are stored.
  expect((await cli(['sync', '--only', 'config'])).code).toBe(0);
});

const cli = (args: string[]) => runCli(args, { cwd: dir, env: { GITHUB_TOKEN: TOKEN, GITHUB_WEBHOOK_SECRET: SECRET, HOME: dir } });

async function install(...flags: string[]) {
  const result = await cli(['--json', 'webhooks', 'install', ...flags]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout + result.stderr).not.toContain(SECRET);
  expect(result.stdout + result.stderr).not.toContain(TOKEN);
  return JSON.parse(result.stdout) as {
    dryRun: boolean;
    webhooks: {
      source: string;
      scope: string;
      status: string;
      detail: string;
      action?: { type: string; approval?: { id: string; status: string } };
    }[];
  };
}

const approvals = async () =>
  (JSON.parse((await cli(['--json', 'approvals', 'list'])).stdout) as { approvals: { id: string; status: string }[] }).approvals;

describe('teamstate webhooks install (issue 50)', () => {
  it('--dry-run lists what it would do and proposes nothing', async () => {
    const planned = await install('--dry-run');
    expect(planned).toEqual({
      dryRun: true,
      webhooks: [
        {
          source: 'github',
          scope: 'organization acme',
          status: 'create',
          detail: 'a hook sending deployment_status, pull_request, pull_request_review to https://teamstate.acme.dev/webhooks/github',
          action: { type: 'github.webhook.create', target: 'github:acme' },
        },
      ],
    });
    expect(writes).toEqual([]);
    expect(await approvals()).toEqual([]);
  });

  it('proposes the hook through the policy (ask), creates it once approved, and re-running changes nothing', async () => {
    const first = await install();
    const approval = first.webhooks[0]!.action!.approval!;
    expect(approval.status).toBe('pending');
    // Re-running while it waits proposes nothing new.
    expect((await install()).webhooks[0]!.action!.approval).toEqual(approval);
    expect(await approvals()).toHaveLength(1);
    expect(writes).toEqual([]);

    const approved = await cli(['approvals', 'approve', approval.id, '--as', 'ana']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(writes).toEqual([
      {
        method: 'POST',
        path: '/orgs/acme/hooks',
        body: {
          name: 'web',
          active: true,
          events: ['deployment_status', 'pull_request', 'pull_request_review'],
          config: { url: 'https://teamstate.acme.dev/webhooks/github', content_type: 'json', insecure_ssl: '0', secret: SECRET },
        },
      },
    ]);
    // The unrelated hook is untouched.
    expect(hooks[0]!.config.url).toBe('https://ci.acme.dev/github/events');

    for (let again = 0; again < 2; again++) {
      const rerun = await install();
      expect(rerun.webhooks).toEqual([
        {
          source: 'github',
          scope: 'organization acme',
          status: 'ok',
          detail: `hook ${hooks[1]!.id} sends deployment_status, pull_request, pull_request_review to https://teamstate.acme.dev/webhooks/github`,
        },
      ]);
    }
    expect(writes).toHaveLength(1);
    expect(await approvals()).toHaveLength(1);
    const text = await cli(['webhooks', 'install']);
    expect(text.stdout).toContain('Every webhook is installed.');
  });

  it('repairs a hook that points at teamstate but lost events or was turned off', async () => {
    hooks.push({
      id: 412345700,
      name: 'web',
      active: false,
      events: ['pull_request'],
      config: { url: 'https://teamstate.acme.dev/webhooks/github', content_type: 'json', insecure_ssl: '0', secret: 'old' },
    });
    const planned = await install('--dry-run');
    expect(planned.webhooks[0]).toMatchObject({
      status: 'repair',
      detail: 'hook 412345700: inactive; events deployment_status, pull_request_review missing',
    });
    const { id } = (await install()).webhooks[0]!.action!.approval!;
    expect((await cli(['approvals', 'approve', id, '--as', 'ana'])).code).toBe(0);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(['PATCH /orgs/acme/hooks/412345700']);
    expect(hooks.find((h) => h.id === 412345700)).toMatchObject({ active: true, config: { secret: SECRET } });
    expect((await install()).webhooks[0]!.status).toBe('ok');
  });

  it('refuses without server.publicUrl, naming the setting and the fix', async () => {
    writeFileSync(join(dir, 'teamstate.config.yaml'), 'database: team.db\nconnectors:\n  github: { token: ${GITHUB_TOKEN}, org: acme }\n');
    const result = await cli(['webhooks', 'install', '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /server\.publicUrl: not set in .*teamstate\.config\.yaml; set it to the public https URL of teamstate serve/,
    );
  });
});
