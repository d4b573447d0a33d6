import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '@teamstate/connectors/demo';
import { slack } from '@teamstate/connectors/slack';
import { type Approval, approvalContentHash, createTeamState, formatMetricValue } from '@teamstate/core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDatabase, runCli } from './run-cli.js';
import { serveWhile } from './serve-while.js';

// The web page (docs/web.md) in headless Chromium (Debian's /usr/bin/chromium) against a real `teamstate serve` on the
// demo workspace: sign in with a token, find the pending approval, see its sha256, approve it and see it executed by
// serve's demo connector; a cross-site form post without the CSRF token is refused; the dashboards show exactly what
// `teamstate metrics --json` prints; no console errors and no request to anything but the server. A Slack post approved
// in the browser is sent by serve to Slack (a local server answering with Slack's recorded payloads).

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `chromium not found at ${CHROMIUM}: install the Debian package chromium (apt-get install chromium) to run the web browser test`,
  );

const dir = mkdtempSync(join(tmpdir(), 'teamstate-web-browser-'));
const slackFixture = (name: string) =>
  readFileSync(new URL(`../../connectors/test/__fixtures__/slack/${name}.json`, import.meta.url), 'utf8');
const SLACK_TOKEN = 'xoxb-web-test-token-never-shown';
const database = join(dir, 'demo.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withStore<T>(fn: (ts: Awaited<ReturnType<typeof createTeamState>>) => Promise<T>): Promise<T> {
  const ts = await createTeamState({ database, connectors: [demo()] });
  try {
    return await fn(ts);
  } finally {
    await ts.close();
  }
}

/** Another site, on another port: a page whose form posts a decision to the server without a CSRF token. */
async function hostileSite(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      `<!doctype html><html><body><form method="post" action="${target}"><input type="hidden" name="decision" value="approve"><button type="submit" id="go">Win a prize</button></form></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

/** A fake Slack API: answers `chat.postMessage` and `conversations.info` with Slack's payloads, and records each call. */
async function fakeSlack(): Promise<{ api: string; posts: Record<string, string>[]; server: Server }> {
  const posts: Record<string, string>[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const args = (request.headers['content-type'] ?? '').includes('json')
        ? (JSON.parse(text) as Record<string, string>)
        : Object.fromEntries(new URLSearchParams(text));
      const method = (request.url ?? '').replace(/^\/api\//, '');
      response.writeHead(200, { 'content-type': 'application/json' });
      if (method === 'chat.postMessage') posts.push(args);
      const answers: Record<string, () => string> = {
        'chat.postMessage': () => JSON.stringify({ ...JSON.parse(slackFixture('chat.postMessage')), channel: args.channel }),
        'conversations.info': () => slackFixture('conversations.info'),
      };
      response.end(answers[method]?.() ?? '{"ok":false,"error":"unknown_method"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, posts, server };
}

describe.skipIf(!hasChromium)('the web page in headless Chromium against teamstate serve', () => {
  let browser: Browser;
  let token: string;
  let approver: string;

  beforeAll(async () => {
    const built = await demoDatabase(database);
    expect(built.code, built.stderr).toBe(0);
    // The demo prints who may approve its pending action.
    approver = /approve \S+ --as (\S+)/.exec(built.stdout)?.[1] ?? '';
    expect(approver).not.toBe('');
    const created = await runCli(['--db', database, 'tokens', 'create', '--person', approver, '--scopes', 'read,decide', '--json']);
    expect(created.code, created.stderr).toBe(0);
    token = (JSON.parse(created.stdout) as { token: string }).token;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A browser context whose every page reports console errors, failed requests and requests outside `origin`. */
  async function watched(origin: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext();
    const problems: string[] = [];
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('request', (request) => {
      if (new URL(request.url()).origin !== origin) problems.push(`request outside the server: ${request.url()}`);
    });
    return { context, page, problems };
  }

  it('signs in, approves the pending action with its sha256 shown, sees it executed, and refuses a cross-site post', {
    timeout: 180_000,
  }, async () => {
    await serveWhile({ cwd: dir, env: process.env, args: ['--db', database] }, async (base) => {
      const { context, page, problems } = await watched(base);
      await page.goto(`${base}/approvals`);
      expect(new URL(page.url()).pathname).toBe('/signin');
      await page.fill('input[name="token"]', token);
      await page.click('button[type="submit"]:has-text("Sign in")');
      await page.waitForURL(`${base}/approvals`);
      const name = await withStore(async (ts) => (await ts.people.get(approver))?.name);
      expect(await page.locator('[data-testid="signed-in"]').textContent()).toBe(`Signed in as ${name}`);

      const [waiting] = await withStore((ts) => ts.approvals.list({ status: 'pending', type: 'demo.note.add' }));
      expect(waiting).toBeDefined();
      const pending = waiting as Approval;
      await page.click(`[data-testid="pending-approvals"] a:has-text("${pending.id}")`);
      await page.waitForURL(`${base}/approvals/${pending.id}`);
      expect(await page.locator('[data-testid="params-sha256"]').textContent()).toBe(approvalContentHash(pending));
      expect(await page.locator('[data-testid="status"]').textContent()).toBe('pending');

      // Another pending approval, and another site whose form posts a decision on it without the CSRF token.
      const second = await withStore((ts) =>
        ts.actions.propose({
          type: 'demo.note.add',
          target: 'PAY-1',
          params: { key: 'PAY-1', text: 'from the web test' },
          reason: 'asked',
          requestedBy: 'assistant',
        }),
      );
      expect(second.status).toBe('pending');
      const hostile = await hostileSite(`${base}/approvals/${second.id}`);
      try {
        const other = await context.newPage();
        await other.goto(hostile.url);
        const [refused] = await Promise.all([
          other.waitForResponse((response) => response.url() === `${base}/approvals/${second.id}`),
          other.click('#go'),
        ]);
        expect(refused.status()).toBe(403);
        expect(await other.textContent('body')).toContain('no valid CSRF token');
        await other.close();
      } finally {
        await new Promise((resolve) => hostile.server.close(resolve));
      }
      expect(await withStore(async (ts) => (await ts.approvals.get(second.id))?.status)).toBe('pending');

      await page.fill('[data-testid="approve-form"] input[name="reason"]', 'checked in the browser');
      await page.click('[data-testid="approve-form"] button[value="approve"]');
      await page.waitForURL(`${base}/approvals/${pending.id}`);
      expect(await page.locator('[data-testid="status"]').textContent()).toBe('executed');
      const trail = await page.locator('[data-testid="ledger-trail"]').textContent();
      expect(trail).toContain('approval.decided');
      expect(trail).toContain('approval.executed');
      const done = await withStore((ts) => ts.approvals.get(pending.id));
      expect(done).toMatchObject({ status: 'executed', decidedBy: approver, decisionReason: 'checked in the browser' });

      for (const path of ['/policy', '/signals']) {
        const answer = await page.goto(`${base}${path}`);
        expect(answer?.status(), path).toBe(200);
        expect(await page.locator('[data-testid="signed-in"]').textContent()).toBe(`Signed in as ${name}`);
      }
      expect(problems).toEqual([]);
      await context.close();
    });
  });

  it('shows on the dashboards exactly the numbers teamstate metrics --json prints', async () => {
    const to = new Date();
    to.setUTCMinutes(0, 0, 0);
    const window = { from: new Date(to.getTime() - 30 * 86_400_000).toISOString(), to: to.toISOString() };
    const team = 'payments';
    await serveWhile({ cwd: dir, env: process.env, args: ['--db', database] }, async (base) => {
      const { context, page, problems } = await watched(base);
      await page.goto(`${base}/signin`);
      await page.fill('input[name="token"]', token);
      await page.click('button[type="submit"]:has-text("Sign in")');
      await page.waitForURL(`${base}/approvals`);
      // The filter form (with its CSRF token) leads to the GET the dashboards are linked by.
      await page.goto(`${base}/dashboards`);
      await page.selectOption('select[name="team"]', team);
      await page.fill('input[name="from"]', window.from);
      await page.fill('input[name="to"]', window.to);
      await page.click('button:has-text("Show")');
      await page.waitForURL((url) => url.pathname === '/dashboards' && url.searchParams.get('team') === team);
      expect(new URL(page.url()).searchParams.get('from')).toBe(window.from);

      const tiles = await page.locator('[data-metric]').evaluateAll((elements) =>
        elements.map((e) => ({
          id: e.getAttribute('data-metric') ?? '',
          value: e.getAttribute('data-value') ?? '',
          text: e.querySelector('.value')?.textContent ?? '',
        })),
      );
      const ids = [...new Set(tiles.map((t) => t.id))];
      expect(ids).toEqual(
        expect.arrayContaining([
          'deployment_frequency',
          'lead_time_for_changes',
          'change_failure_rate',
          'time_to_restore_service',
          'pr_cycle_time',
          'wip',
          'flow_efficiency',
          'rework_rate',
          'build_success_rate',
        ]),
      );
      const printed = await runCli([
        '--db',
        database,
        'metrics',
        ...ids,
        '--team',
        team,
        '--from',
        window.from,
        '--to',
        window.to,
        '--json',
      ]);
      expect(printed.code, printed.stderr).toBe(0);
      const cli = JSON.parse(printed.stdout) as Record<string, { value: number | null; unit: string }>;
      for (const tile of tiles) {
        expect(JSON.parse(tile.value), tile.id).toEqual(cli[tile.id]!.value);
        expect(tile.text, tile.id).toBe(formatMetricValue(cli[tile.id]!.value, cli[tile.id]!.unit));
      }
      expect(tiles.some((t) => JSON.parse(t.value) !== null)).toBe(true);
      expect(problems).toEqual([]);
      await context.close();
    });
  });
  it('sends an approved Slack post to Slack once, from serve', async () => {
    const slackApi = await fakeSlack();
    const project = join(dir, 'slack-project');
    mkdirSync(project, { recursive: true });
    const policy = { actions: { 'slack.message.post': { risk: 'low' as const, mode: 'ask' as const } } };
    writeFileSync(
      join(project, 'teamstate.config.yaml'),
      [
        'database: team.db',
        'connectors:',
        `  slack: { token: \${SLACK_BOT_TOKEN}, signingSecret: \${SLACK_SIGNING_SECRET}, apiUrl: ${slackApi.api} }`,
        'teams:',
        '  - { id: payments, name: Payments, members: [ana, ben] }',
        'people:',
        '  - { id: ana, name: Ana Garcia, slack: U0ANA }',
        '  - { id: ben, name: Ben Tanaka, slack: U0BEN }',
        `policy: ${JSON.stringify(policy)}`,
        '',
      ].join('\n'),
    );
    const env = { ...process.env, SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: 'web-test-signing-secret' };
    try {
      expect((await runCli(['sync', '--only', 'config'], { cwd: project, env })).code).toBe(0);
      const created = await runCli(['tokens', 'create', '--person', 'ana', '--scopes', 'read,decide', '--json'], { cwd: project, env });
      expect(created.code, created.stderr).toBe(0);
      const anaToken = (JSON.parse(created.stdout) as { token: string }).token;
      const proposer = await createTeamState({
        database: join(project, 'team.db'),
        connectors: [slack({ token: SLACK_TOKEN, apiUrl: slackApi.api })],
        policy,
      });
      const proposed = await proposer.actions
        .propose({
          type: 'slack.message.post',
          target: 'C0GENERAL',
          params: { channel: 'C0GENERAL', text: 'Deploy of acme/api is done' },
          reason: 'the team asked to hear about deploys',
          requestedBy: 'assistant',
          onBehalfOf: 'ben',
        })
        .finally(() => proposer.close());
      expect(proposed.status).toBe('pending');
      await serveWhile({ cwd: project, env, args: [] }, async (base) => {
        const { context, page, problems } = await watched(base);
        await page.goto(`${base}/signin`);
        await page.fill('input[name="token"]', anaToken);
        await page.click('button[type="submit"]:has-text("Sign in")');
        await page.waitForURL(`${base}/approvals`);
        await page.click(`[data-testid="pending-approvals"] a:has-text("${proposed.id}")`);
        expect(await page.locator('[data-testid="params-sha256"]').textContent()).toBe(approvalContentHash(proposed));
        await page.click('[data-testid="approve-form"] button[value="approve"]');
        await page.waitForURL(`${base}/approvals/${proposed.id}`);
        expect(await page.locator('[data-testid="status"]').textContent()).toBe('executed');
        expect(problems).toEqual([]);
        await context.close();
      });
      expect(slackApi.posts.map((post) => [post.channel, post.text])).toEqual([['C0GENERAL', 'Deploy of acme/api is done']]);
    } finally {
      await new Promise((resolve) => slackApi.server.close(resolve));
    }
  });
});
