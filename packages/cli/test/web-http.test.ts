import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '@teamstate/connectors/demo';
import { type Approval, approvalContentHash, createTeamState, type SignalDetector, silentLogger, type TeamState } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { createHttpServer } from '../src/server/create-http-server.js';
import { identityProviders } from '../src/server/oauth/identity-provider.js';
import { webFromConfig } from '../src/server/web/web-from-config.js';
import { createWebRoutes } from '../src/server/web/web-routes.js';

// The web page for approvers and leads (docs/web.md) over plain HTTP: its security headers, cookies, CSRF tokens,
// escaping of what people and assistants wrote, token and GitHub sign-in (a fake GitHub: a real local HTTP server
// answering with GitHub's payloads). Real store, real HTTP server.

const fixture = (name: string) => readFileSync(new URL(`__fixtures__/oauth/${name}`, import.meta.url), 'utf8');
const GITHUB_APP = { clientId: 'Iv1.8a61f9b3a7aba766', clientSecret: randomBytes(20).toString('hex') };
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** A fake GitHub (web at /, API at /api/v3; `next` signs in) and Slack OpenID Connect (Ben Okafor, U01BEN). */
async function fakeGitHub(): Promise<{ base: string; next: { login: string; id: number }; close(): Promise<void> }> {
  const state = { next: { login: 'anag', id: 1001 } };
  const codes = new Map<string, { login: string; id: number }>();
  const tokens = new Map<string, { login: string; id: number }>();
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const json = (status: number, body: string) =>
      void response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    if (url.pathname === '/login/oauth/access_token') {
      const user = codes.get(form.get('code') ?? '');
      if (!user || form.get('client_secret') !== GITHUB_APP.clientSecret) return json(200, fixture('github-bad-code.json'));
      const answer = JSON.parse(fixture('github-access-token.json')) as { access_token: string };
      answer.access_token = `gho_${randomBytes(18).toString('hex')}`;
      tokens.set(answer.access_token, user);
      return json(200, JSON.stringify(answer));
    }
    if (url.pathname === '/api/v3/user') {
      const user = tokens.get(/^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '');
      if (!user) return json(401, '{"message":"Bad credentials"}');
      return json(200, JSON.stringify({ ...JSON.parse(fixture('github-user.json')), login: user.login, id: user.id }));
    }
    if (url.pathname === '/api/openid.connect.token')
      return form.get('code') === 'slack-code' && form.get('client_secret') === 'slack-secret'
        ? json(200, fixture('slack-openid-token.json'))
        : json(200, '{"ok":false,"error":"invalid_code"}');
    if (url.pathname === '/api/openid.connect.userInfo') return json(200, fixture('slack-openid-userinfo.json'));
    if (url.pathname === '/code') {
      const code = randomBytes(10).toString('hex');
      codes.set(code, state.next);
      return json(200, JSON.stringify({ code }));
    }
    return json(404, '{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get next() {
      return state.next;
    },
    set next(user) {
      state.next = user;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A browser without JavaScript: keeps the session cookie (sent over http here, as the test's server is local). */
class Visitor {
  cookie: string | undefined;
  constructor(readonly base: string) {}
  async get(path: string): Promise<Response> {
    return this.#keep(await fetch(`${this.base}${path}`, { redirect: 'manual', headers: this.#headers() }));
  }
  async post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.#keep(
      await fetch(`${this.base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...this.#headers(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      }),
    );
  }
  /** The CSRF token of the first form of `html`. */
  static csrf(html: string): string {
    const token = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error(`no CSRF token in ${html}`);
    return token;
  }
  async signInWithToken(token: string): Promise<void> {
    const page = await (await this.get('/signin')).text();
    const answer = await this.post('/signin', { csrf_token: Visitor.csrf(page), token });
    expect(answer.status, await answer.text()).toBe(303);
  }
  #headers(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }
  #keep(response: Response): Response {
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    return response;
  }
}

/** A person-level wellbeing signal about everyone: what the policy's privacy.wellbeing (default leads) limits. */
const lateNights: SignalDetector = {
  specificationVersion: 'v1',
  kind: 'person.test_late_nights',
  title: 'Late nights',
  description: 'Every person, to check who reads whose wellbeing.',
  wellbeing: true,
  async detect(db) {
    const people = await db.all<{ id: string }>({ text: 'SELECT id FROM people WHERE workspace = ? ORDER BY id', args: [db.workspace] });
    return people.map((p) => ({
      severity: 'info' as const,
      subject: { type: 'person' as const, id: p.id },
      title: `${p.id} works late`,
      evidence: {},
    }));
  },
};

let ts: TeamState;
let http: Server;
let base: string;
let github: Awaited<ReturnType<typeof fakeGitHub>>;
let pending: Approval;
let decider: string;
let reader: string;

beforeAll(async () => {
  github = await fakeGitHub();
  ts = await createTeamState({
    database: ':memory:',
    connectors: [demo()],
    metrics: builtinMetrics,
    signals: [lateNights],
    policy: { actions: { 'demo.note.add': { risk: 'low', mode: 'ask' } } },
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'pay', name: `Payments ${HOSTILE}` }],
    people: [
      { id: 'ana', name: `Ana ${HOSTILE}`, teams: ['pay'] },
      { id: 'ben', name: 'Ben', teams: ['pay'] },
    ],
  });
  await ts.people.resolve([
    { provider: 'github', id: '1001', login: 'anag', person: 'ana' },
    { provider: 'slack', id: 'U01BEN', person: 'ben' },
  ]);
  await ts.signals.refresh();
  pending = await ts.actions.propose({
    type: 'demo.note.add',
    target: 'PAY-1',
    params: { key: 'PAY-1', text: HOSTILE },
    reason: `asked ${HOSTILE}`,
    requestedBy: 'assistant',
  });
  decider = (await ts.tokens.create({ person: 'ana', scopes: ['read', 'decide'] })).token;
  reader = (await ts.tokens.create({ person: 'ben' })).token;
  const routes = createWebRoutes(ts, {
    providers: identityProviders({
      github: { ...GITHUB_APP, baseUrl: `${github.base}/api/v3` },
      slack: { clientId: '4242.1717', clientSecret: 'slack-secret', baseUrl: github.base },
    }),
    publicUrl: 'http://127.0.0.1',
  });
  http = createHttpServer(ts, routes);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (http) await new Promise((resolve) => http.close(resolve));
  await ts?.close();
  await github?.close();
});

describe('the web page over HTTP', () => {
  it('sends a signed-out visitor to /signin, whose page allows no script and sets an HttpOnly, SameSite=Lax cookie', async () => {
    const visitor = new Visitor(base);
    for (const path of ['/', '/approvals', '/policy', '/signals', '/dashboards', `/approvals/${pending.id}`]) {
      const answer = await visitor.get(path);
      expect(answer.status, path).toBe(303);
      expect(answer.headers.get('location')).toBe('/signin');
    }
    const page = await visitor.get('/signin');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // Not no-referrer: a browser would then send `Origin: null` with every form, which the Origin check refuses.
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    const cookie = page.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^teamstate_web=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Lax$/);
    const html = await page.text();
    // Every configured identity provider is offered.
    expect(html).toContain('<a href="/signin/github">Sign in with GitHub</a><a href="/signin/slack">Sign in with Slack</a>');
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
  });

  it('marks the cookie Secure unless the public address is http on loopback', async () => {
    const routes = createWebRoutes(ts, { publicUrl: 'https://teamstate.acme.example' });
    const response = {
      headers: {} as Record<string, string | number | readonly string[]>,
      writeHead(_status: number, headers: Record<string, string>) {
        Object.assign(this.headers, headers);
        return this;
      },
      end() {},
    };
    const request = { method: 'GET', url: '/signin', headers: {} };
    // The route reads only the method, URL and cookie header; it answers through writeHead and end.
    await routes['/signin']!(request as never, response as never, Buffer.alloc(0));
    expect(String(response.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('signs in with a token, says who is signed in on every page, and escapes what people and assistants wrote', async () => {
    const ana = new Visitor(base);
    await ana.signInWithToken(decider);
    for (const path of ['/approvals', `/approvals/${pending.id}`, '/policy', '/signals', '/dashboards', '/dashboards?team=pay']) {
      const answer = await ana.get(path);
      const html = await answer.text();
      expect(answer.status, `${path}: ${html}`).toBe(200);
      expect(html, path).toContain('Signed in as Ana &#60;script&#62;alert(1)&#60;/script&#62;');
      expect(html, path).not.toContain(HOSTILE);
      expect(html, path).not.toMatch(/<script|<style|\sstyle=/i);
      // Every form carries the session's CSRF token.
      const forms = html.match(/<form[\s\S]*?<\/form>/g) ?? [];
      expect(forms.length, path).toBeGreaterThan(0);
      for (const form of forms) expect(form, path).toMatch(/name="csrf_token" value="[\w-]{40,}"/);
    }
    const detail = await (await ana.get(`/approvals/${pending.id}`)).text();
    expect(detail).toContain(`data-testid="params-sha256">${approvalContentHash(pending)}<`);
    expect(detail).toContain('approval.proposed');
  });

  it('refuses a decision without the CSRF token, or with another session’s, and leaves the approval pending', async () => {
    const ana = new Visitor(base);
    await ana.signInWithToken(decider);
    const sha256 = approvalContentHash(pending);
    const none = await ana.post(`/approvals/${pending.id}`, { decision: 'approve', sha256 });
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('no valid CSRF token');
    const other = new Visitor(base);
    await other.signInWithToken(decider);
    const otherToken = Visitor.csrf(await (await other.get('/approvals')).text());
    const wrong = await ana.post(`/approvals/${pending.id}`, { decision: 'approve', sha256, csrf_token: otherToken });
    expect(wrong.status).toBe(403);
    // No session at all: the same refusal, before any decision.
    const stranger = await new Visitor(base).post(`/approvals/${pending.id}`, { decision: 'approve', sha256, csrf_token: otherToken });
    expect(stranger.status).toBe(403);
    expect((await ts.approvals.get(pending.id))?.status).toBe('pending');
  });

  it('answers a bad window with the field and the fix, and a malformed approval path with 404', async () => {
    const ana = new Visitor(base);
    await ana.signInWithToken(decider);
    const bad = await ana.get('/dashboards?from=yesterday');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('from: invalid ISO timestamp &#34;yesterday&#34; (expected e.g. 2026-03-01T00:00:00Z');
    expect((await ana.get('/approvals/%E0%A4%A')).status).toBe(404);
    expect((await ana.get('/signin/%E0%A4%A')).status).toBe(404);
  });

  it('lets a token without decide read but not decide', async () => {
    const ben = new Visitor(base);
    await ben.signInWithToken(reader);
    const page = await (await ben.get(`/approvals/${pending.id}`)).text();
    expect(page).toContain('data-testid="cannot-decide"');
    expect(page).not.toContain('value="approve"');
    const answer = await ben.post(`/approvals/${pending.id}`, {
      decision: 'approve',
      sha256: approvalContentHash(pending),
      csrf_token: Visitor.csrf(page),
    });
    expect(answer.status).toBe(409);
    expect(await answer.text()).toContain('cannot decide: sign in with a token that has the decide scope');
    expect((await ts.approvals.get(pending.id))?.status).toBe('pending');
  });

  it('refuses an unknown token and an approval changed since the page was shown', async () => {
    const page = await new Visitor(base).get('/signin');
    const visitor = new Visitor(base);
    const html = await (await visitor.get('/signin')).text();
    expect(page.status).toBe(200);
    const refused = await visitor.post('/signin', {
      csrf_token: Visitor.csrf(html),
      token: `tst_${randomBytes(32).toString('base64url')}`,
    });
    expect(refused.status).toBe(401);
    const ana = new Visitor(base);
    await ana.signInWithToken(decider);
    const detail = await (await ana.get(`/approvals/${pending.id}`)).text();
    const stale = await ana.post(`/approvals/${pending.id}`, {
      decision: 'approve',
      sha256: '0'.repeat(64),
      csrf_token: Visitor.csrf(detail),
    });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('the approval changed since this page was shown');
    expect((await ts.approvals.get(pending.id))?.status).toBe('pending');
  });

  it('signs in through GitHub as the linked person, and refuses an unlinked account with the fix', async () => {
    const ana = new Visitor(base);
    const start = await ana.get('/signin/github');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${github.base}/login/oauth/authorize`);
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://127.0.0.1/oauth/callback/web');
    const state = authorize.searchParams.get('state') ?? '';
    const { code } = (await (await fetch(`${github.base}/code`)).json()) as { code: string };
    // Another browser cannot finish this sign-in: the state is bound to the session that started it.
    expect((await new Visitor(base).get(`/oauth/callback/web?code=${code}&state=${state}`)).status).toBe(400);
    const back = await ana.get(`/oauth/callback/web?code=${code}&state=${state}`);
    expect(back.status).toBe(303);
    expect(await (await ana.get('/approvals')).text()).toContain('Signed in as Ana &#60;script&#62;');

    github.next = { login: 'ulla', id: 1009 };
    const ulla = new Visitor(base);
    const again = new URL((await ulla.get('/signin/github')).headers.get('location') ?? '');
    const second = (await (await fetch(`${github.base}/code`)).json()) as { code: string };
    const refused = await ulla.get(`/oauth/callback/web?code=${second.code}&state=${again.searchParams.get('state')}`);
    expect(refused.status).toBe(403);
    const text = await refused.text();
    expect(text).toContain('the GitHub account ulla (id 1009) is not linked to a person in teamstate');
    expect(text).toContain('teamstate people link github:1009 &#60;your person id&#62;');
    expect((await ulla.get('/approvals')).status).toBe(303);
  });

  it('signs in through Slack (OpenID Connect) as the person the Slack user is linked to', async () => {
    const ben = new Visitor(base);
    const start = await ben.get('/signin/slack');
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${github.base}/openid/connect/authorize`);
    const back = await ben.get(`/oauth/callback/web?code=slack-code&state=${authorize.searchParams.get('state')}`);
    expect(back.status).toBe(303);
    const page = await (await ben.get(`/approvals/${pending.id}`)).text();
    expect(page).toContain('Signed in as Ben');
    // A provider's sign-in may decide (the person proved who they are); a token sign-in needs decide.
    expect(page).toContain('data-testid="approve-form"');
    const own = await ts.actions.propose({
      type: 'demo.note.add',
      target: 'PAY-3',
      params: { key: 'PAY-3', text: 'noted' },
      reason: 'asked',
      requestedBy: 'assistant',
    });
    const detail = await (await ben.get(`/approvals/${own.id}`)).text();
    const decided = await ben.post(`/approvals/${own.id}`, {
      decision: 'approve',
      sha256: approvalContentHash(own),
      csrf_token: Visitor.csrf(detail),
    });
    expect(decided.status).toBe(303);
    const [entry] = await ts.audit.list({ approvalId: own.id, type: 'approval.decided' });
    expect(entry?.data).toMatchObject({ authentication: { method: 'signin', account: 'slack:U01BEN' } });
  });

  it('approves as the signed-in person with the token recorded, runs the action and shows the outcome', async () => {
    const ana = new Visitor(base);
    await ana.signInWithToken(decider);
    const detail = await (await ana.get(`/approvals/${pending.id}`)).text();
    const answer = await ana.post(`/approvals/${pending.id}`, {
      decision: 'approve',
      sha256: approvalContentHash(pending),
      csrf_token: Visitor.csrf(detail.slice(detail.indexOf('data-testid="approve-form"'))),
      reason: 'checked',
    });
    expect(answer.status, await answer.text()).toBe(303);
    const approval = await ts.approvals.get(pending.id);
    expect(approval).toMatchObject({ status: 'executed', decidedBy: 'ana', decision: 'approve' });
    const [decided] = await ts.audit.list({ approvalId: pending.id, type: 'approval.decided' });
    expect(JSON.stringify(decided?.data)).toContain('"method":"token"');
    const after = await (await ana.get(`/approvals/${pending.id}`)).text();
    expect(after).toContain('data-testid="status">executed<');
    expect(after).toContain('approval.executed');
  });
});

describe('deciding and reading policy changes in the web page', () => {
  const propose = (text: string) =>
    ts.actions.propose({
      type: 'demo.note.add',
      target: 'PAY-2',
      params: { key: 'PAY-2', text },
      reason: 'asked',
      requestedBy: 'assistant',
    });
  const decide = async (visitor: Visitor, approval: Approval, fields: Record<string, string>) => {
    const page = await (await visitor.get(`/approvals/${approval.id}`)).text();
    return visitor.post(`/approvals/${approval.id}`, { sha256: approvalContentHash(approval), csrf_token: Visitor.csrf(page), ...fields });
  };

  it('declines with a reason, and modifies the params (refusing params that are not a JSON object)', async () => {
    const ana = new Visitor(base);
    await ana.signInWithToken(decider);
    const declined = await propose('please decline');
    expect((await decide(ana, declined, { decision: 'decline', reason: 'not now' })).status).toBe(303);
    expect(await ts.approvals.get(declined.id)).toMatchObject({ status: 'declined', decision: 'decline', decisionReason: 'not now' });

    const modified = await propose('a typo in the note');
    const malformed = await decide(ana, modified, { decision: 'modify', params: '["not", "an object"]' });
    expect(malformed.status).toBe(409);
    expect(await malformed.text()).toContain('params: expected the edited params as a JSON object.');
    expect((await ts.approvals.get(modified.id))?.status).toBe('pending');
    const edited = { key: 'PAY-2', text: 'the note, corrected' };
    expect((await decide(ana, modified, { decision: 'modify', params: JSON.stringify(edited) })).status).toBe(303);
    expect(await ts.approvals.get(modified.id)).toMatchObject({ status: 'executed', decision: 'modify', params: edited });
    const page = await (await ana.get(`/approvals/${modified.id}`)).text();
    expect(page).toContain('the note, corrected');
    expect(page).not.toContain('data-testid="approve-form"');
  });

  it('shows the active policy and a pending policy change with its sha256 and simulation', async () => {
    const change = await ts.policy.propose({
      document: 'actions:\n  demo.note.add: { risk: low, mode: auto }\n',
      requestedBy: 'ben',
    });
    const ana = new Visitor(base);
    await ana.signInWithToken(decider);
    const html = await (await ana.get('/policy')).text();
    expect(html).toContain(`hash <code>${ts.policy.hash}</code>`);
    expect(html).toContain(`href="/approvals/${change.id}"`);
    expect(html).toContain(String(change.params.sha256));
    const simulation = change.params.simulation as { days: number; proposals: number; changed: unknown[] };
    expect(html).toContain(`Of the last ${simulation.days} days&#39; ${simulation.proposals} proposals:`);
    expect(simulation.changed.length).toBeGreaterThan(0);
    expect(html).toContain('demo.note.add: { risk: low, mode: auto }');
  });
});

describe('signals in the web page', () => {
  it('shows each person their own wellbeing signal and not a teammate’s (privacy.wellbeing: leads)', async () => {
    expect((await ts.signals.list()).map((s) => s.title)).toEqual(expect.arrayContaining(['ana works late', 'ben works late']));
    const ana = new Visitor(base);
    await ana.signInWithToken(decider);
    const html = await (await ana.get('/signals')).text();
    expect(html).toContain('ana works late');
    expect(html).not.toContain('ben works late');
  });
});

describe('web sessions', () => {
  it('end 8 hours after sign-in, on the injected clock, and at sign-out', async () => {
    let now = new Date('2026-11-20T09:00:00Z');
    const server = createHttpServer(ts, createWebRoutes(ts, { publicUrl: 'http://127.0.0.1', clock: () => now }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const ana = new Visitor(local);
      await ana.signInWithToken(decider);
      now = new Date('2026-11-20T16:59:00Z');
      expect((await ana.get('/approvals')).status).toBe(200);
      now = new Date('2026-11-20T17:00:00Z');
      expect((await ana.get('/approvals')).headers.get('location')).toBe('/signin');

      const ben = new Visitor(local);
      await ben.signInWithToken(reader);
      const page = await (await ben.get('/approvals')).text();
      const out = await ben.post('/signout', { csrf_token: Visitor.csrf(page) });
      expect(out.status).toBe(303);
      expect(out.headers.get('set-cookie')).toMatch(/^teamstate_web=; Max-Age=0;/);
      expect((await ben.get('/approvals')).headers.get('location')).toBe('/signin');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('server.web in the config', () => {
  // Made in beforeAll, not while collecting: a run that filters these tests out skips afterAll too.
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'teamstate-web-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const loaded = (yaml: string) => {
    const path = join(dir, 'teamstate.config.yaml');
    writeFileSync(path, yaml);
    return loadConfig(path, {});
  };

  it('serves the web page by default, with each identity provider of auth:, and not with server.web: false', () => {
    expect(Object.keys(webFromConfig(ts, loaded('workspace: default\n'), silentLogger) ?? {})).toEqual(
      expect.arrayContaining(['/', '/signin', '/approvals', '/approvals/*', '/policy', '/signals', '/dashboards']),
    );
    expect(webFromConfig(ts, loaded('server: { web: false }\n'), silentLogger)).toBeUndefined();
  });

  it('refuses a server.web that is not true or false, naming it', () => {
    expect(() => loaded('server: { web: sometimes }\n')).toThrow(/server\.web/);
  });
});
