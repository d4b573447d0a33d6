import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTeamState, type TeamState } from '@teamstate/core';
import { builtinMetrics, builtinSignals } from '@teamstate/metrics';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHub, fakeGitHubHandlers } from '../../../connectors/test/github/fake-github.js';
import { NOW, testConnector, world } from '../../../connectors/test/github/github-test-kit.js';
import { createHttpServer } from '../../src/server/create-http-server.js';
import { createRestApi } from '../../src/server/rest/rest-api.js';
import { openApiValidator, type Seen } from './openapi-validator.js';

// The REST API of `teamstate serve` (/v1), in process over a real libSQL file with GitHub behind msw: a proposal, a
// decision and its execution exactly once upstream; scopes, malformed bodies and repeated decisions answered as RFC
// 9457 problems; and every answer of the run validated against the OpenAPI document the server itself serves.
const kit = { fake: new FakeGitHub(world(), { now: () => NOW }) };
// GitHub is faked at the network boundary; the test's own calls to the server on 127.0.0.1 go through.
const upstream = setupServer(
  ...fakeGitHubHandlers(() => kit.fake, 'https://api.github.com'),
  http.all('http://127.0.0.1:*', () => passthrough()),
);
beforeAll(() => upstream.listen({ onUnhandledFrame: 'error' }));
afterAll(() => upstream.close());
const dir = mkdtempSync(join(tmpdir(), 'teamstate-rest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SHARED = 'shared-token-of-this-server-0123456789abcdef';

let ts: TeamState;
let base: string;
let close: () => Promise<void>;
const seen: Seen[] = [];
let run = 0;

beforeEach(async () => {
  kit.fake = new FakeGitHub(world(), { now: () => NOW });
  ts = await createTeamState({
    database: `file:${join(dir, `rest-${++run}.db`)}`,
    connectors: [testConnector({ repositories: ['acme/api'] })],
    clock: () => NOW,
    metrics: builtinMetrics,
    signals: builtinSignals,
  });
  await ts.import({
    format: 'teamstate.bundle/v1',
    teams: [{ id: 'payments', name: 'Payments', members: ['ana', 'ben'] }],
    people: [
      { id: 'ana', name: 'Ana', email: 'ana@acme.example' },
      { id: 'ben', name: 'Ben', email: 'ben@acme.example' },
    ],
    repositories: [{ id: 'acme/api', team: 'payments' }],
  });
  const server = createHttpServer(ts, { '/v1/*': createRestApi(ts, { ts, sharedToken: SHARED, log: silent }) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterEach(async () => {
  await close();
  await ts.close();
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** One call; the answer is recorded for the OpenAPI check at the end. */
async function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  seen.push({
    method,
    path: new URL(path, base).pathname,
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: json,
  });
  return { status: response.status, headers: response.headers, json };
}

const token = async (person: string, scopes: ('read' | 'propose' | 'write' | 'decide')[]) =>
  (await ts.tokens.create({ person, scopes })).token;

const comment = {
  type: 'github.pr.comment',
  target: 'acme/api#103',
  params: { repository: 'acme/api', number: 103, body: 'Ship it after the fixtures land.' },
};
const commentsOnPr = () => kit.fake.repository('acme/api').comments?.['103']?.length ?? 0;

describe('REST /v1', () => {
  it('proposes, decides with a decide token and executes exactly once against the upstream', async () => {
    const ana = await token('ana', ['read', 'propose']);
    const ben = await token('ben', ['read', 'decide']);
    const proposed = await call('POST', '/v1/actions/propose', ana, { ...comment, reason: 'the review asked for it' });
    expect(proposed.status).toBe(201);
    expect(proposed.json).toMatchObject({ action_id: expect.stringMatching(/^apr_/), status: 'pending', risk: expect.any(String) });
    expect(Number.isInteger(proposed.json.ttl)).toBe(true);
    const id = proposed.json.action_id as string;

    const shown = await call('GET', `/v1/approvals/${id}`, ana);
    expect(shown.status).toBe(200);
    expect(shown.json.approval).toMatchObject({ id, status: 'pending', requestedBy: 'ana', params: comment.params });

    // The proposer cannot decide what they proposed, even with a decide token.
    const anaDecides = await call('POST', `/v1/approvals/${id}/decision`, await token('ana', ['read', 'decide']), { decision: 'approve' });
    expect(anaDecides.status).toBe(403);
    expect(anaDecides.json.code).toBe('self_decision');

    const decided = await call('POST', `/v1/approvals/${id}/decision`, ben, { decision: 'approve', reason: 'fine' });
    expect(decided.status, JSON.stringify(decided.json)).toBe(200);
    expect(decided.json).toEqual({ status: 'executed' });
    expect(commentsOnPr()).toBe(1);

    // Deciding again is a conflict; running it again (the watch of another server) changes nothing upstream.
    const again = await call('POST', `/v1/approvals/${id}/decision`, ben, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.json).toMatchObject({ status: 409, code: 'approval_not_pending', title: 'Conflict' });
    await ts.approvals.reconcile();
    await ts.approvals.execute(id).catch(() => undefined);
    expect(commentsOnPr()).toBe(1);

    const trail = await call('GET', `/v1/approvals/${id}`, ben);
    expect(trail.json.approval).toMatchObject({ status: 'executed', decidedBy: 'ben' });
    expect((trail.json.history as { type: string }[]).map((e) => e.type)).toEqual(
      expect.arrayContaining(['approval.proposed', 'approval.executed']),
    );
  });

  it('modifies the params, then approves and runs the modified ones', async () => {
    const proposed = await call('POST', '/v1/actions/propose', await token('ana', ['propose']), comment);
    const id = proposed.json.action_id as string;
    const params = { ...comment.params, body: 'Edited by the approver.' };
    const decided = await call('POST', `/v1/approvals/${id}/decision`, await token('ben', ['decide']), { decision: 'modify', params });
    expect(decided.json).toEqual({ status: 'executed' });
    expect(kit.fake.repository('acme/api').comments?.['103']?.map((c) => c.body)).toEqual([
      expect.stringContaining('Edited by the approver.'),
    ]);
  });

  it('refuses a decision without decide as a 403 problem, and nothing runs', async () => {
    const ana = await token('ana', ['read', 'propose', 'write']);
    const id = (await call('POST', '/v1/actions/propose', ana, comment)).json.action_id as string;
    const refused = await call('POST', `/v1/approvals/${id}/decision`, await token('ben', ['read', 'propose', 'write']), {
      decision: 'approve',
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.json).toMatchObject({
      status: 403,
      title: 'Forbidden',
      type: expect.any(String),
      detail: expect.stringContaining('decide'),
    });
    expect((await ts.approvals.get(id))?.status).toBe('pending');
    expect(commentsOnPr()).toBe(0);
  });

  it('answers 401 with WWW-Authenticate without a valid token, and 400 to a malformed body', async () => {
    const missing = await call('GET', '/v1/teams');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm="teamstate"/);
    const wrong = await call('GET', '/v1/teams', 'tst_not-a-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const ana = await token('ana', ['read', 'propose']);
    const notJson = await call('POST', '/v1/actions/propose', ana, '{"type":');
    expect(notJson.status).toBe(400);
    const noTarget = await call('POST', '/v1/actions/propose', ana, { type: 'github.pr.comment', params: {} });
    expect(noTarget.status).toBe(400);
    expect(noTarget.json.detail).toContain('target');
    const badDecision = await call('POST', '/v1/approvals/apr_000000000000000000000000/decision', await token('ben', ['decide']), {
      decision: 'maybe',
    });
    expect(badDecision.status).toBe(400);
    expect(await ts.approvals.list({})).toEqual([]);
  });

  it('reads teams, metrics, signals and approvals as objects, and records an unpersoned proposal as api:<token>', async () => {
    const ana = await token('ana', ['read']);
    expect((await call('GET', '/v1/teams', ana)).json).toEqual({ teams: [expect.objectContaining({ id: 'payments', name: 'Payments' })] });
    const metrics = await call(
      'GET',
      '/v1/teams/payments/metrics?from=2026-02-08T12:00:00.000Z&to=2026-03-10T12:00:00.000Z&metrics=deployment_frequency,lead_time_for_changes',
      ana,
    );
    expect(metrics.status, JSON.stringify(metrics.json)).toBe(200);
    const expected = await ts.metrics.compute(['deployment_frequency', 'lead_time_for_changes'], {
      from: '2026-02-08T12:00:00.000Z',
      to: '2026-03-10T12:00:00.000Z',
      team: 'payments',
    });
    expect(metrics.json).toEqual(
      JSON.parse(
        JSON.stringify({
          team: 'payments',
          window: { from: '2026-02-08T12:00:00.000Z', to: '2026-03-10T12:00:00.000Z' },
          metrics: expected,
        }),
      ),
    );
    expect((await call('GET', '/v1/teams/nobody/metrics', ana)).status).toBe(404);
    expect((await call('GET', '/v1/teams/payments/metrics?metrics=no_such_metric', ana)).status).toBe(400);
    expect((await call('GET', '/v1/signals?team=payments', ana)).json).toEqual({ signals: expect.any(Array) });
    const proposed = await call('POST', '/v1/actions/propose', SHARED, comment);
    expect(proposed.status).toBe(201);
    const listed = await call('GET', '/v1/approvals?status=pending', ana);
    expect(listed.json.approvals).toEqual([expect.objectContaining({ id: proposed.json.action_id, requestedBy: 'api:shared' })]);
    expect((await call('GET', '/v1/approvals?status=whatever', ana)).status).toBe(400);
    expect((await call('GET', '/v1/approvals/apr_000000000000000000000000', ana)).status).toBe(404);
    expect((await call('POST', '/v1/actions/propose', ana, comment)).status).toBe(403);
  });

  it('serves an OpenAPI 3.1 document that every answer of this run validates against', async () => {
    const served = await call('GET', '/v1/openapi.json');
    expect(served.status).toBe(200);
    expect(served.json.openapi).toBe('3.1.0');
    const validate = openApiValidator(served.json);
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.map(validate).filter(Boolean)).toEqual([]);
  });
});
