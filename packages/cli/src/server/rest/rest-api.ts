import type { IncomingMessage } from 'node:http';
import {
  type Approval,
  type ApprovalStatus,
  defaultMetricIds,
  type Logger,
  metricWindow,
  NotFoundError,
  redactSecrets,
  type TeamState,
} from '@teamstate/core';
import { z } from 'zod';
import type { Route } from '../create-http-server.js';
import { openApiDocument } from './openapi.js';
import { sendError, sendJson, sendProblem } from './problem.js';
import { type RestCaller, type RestCredentials, restCaller } from './rest-callers.js';

/** Options of {@link createRestApi}. */
export interface RestApiOptions extends RestCredentials {
  /** The protected resource metadata URL (with OAuth sign-in), named in every 401's `WWW-Authenticate`. */
  resourceMetadataUrl?: string;
  /** The server's public address, the OpenAPI document's `servers` entry. */
  publicUrl?: string;
  log: Logger;
}

const APPROVAL_STATUSES = ['auto', 'pending', 'approved', 'executing', 'executed', 'failed', 'declined', 'expired', 'denied'] as const;

const proposalBody = z.strictObject({
  type: z.string().min(1).max(200),
  target: z.string().min(1).max(500),
  params: z.record(z.string(), z.unknown()),
  reason: z.string().min(1).max(2000).optional(),
});

const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'decline', 'modify']),
  params: z.record(z.string(), z.unknown()).optional(),
  reason: z.string().min(1).max(2000).optional(),
});

/** One REST call as the router sees it. */
interface Call {
  method: string;
  path: string[];
  query: URLSearchParams;
  body: Buffer;
  caller: RestCaller;
}

type Answer = { status: number; body: unknown } | { problem: [status: number, code: string, detail: string] };

/**
 * The REST API under `/v1/*` of `teamstate serve` (docs/rest-api.md): proposals, approvals and their decisions with
 * the credentials of `/mcp` (a `decide` token too), through the same policy, ledger and exactly-once execution as every
 * surface; reads of teams, metrics, signals and approvals as the caller (the one reading rule); an OpenAPI 3.1 document
 * at `/v1/openapi.json`; every error an RFC 9457 problem.
 */
export function createRestApi(ts: TeamState, options: RestApiOptions): Route {
  const callers = new WeakMap<IncomingMessage, RestCaller>();
  const metadata = options.resourceMetadataUrl ? `, resource_metadata="${options.resourceMetadataUrl.replace(/["\\]/g, '')}"` : '';
  const isDocument = (request: IncomingMessage) => request.method === 'GET' && pathOf(request) === '/v1/openapi.json';
  return {
    async refuse(request, response) {
      if (isDocument(request)) return false;
      const caller = await restCaller(options, request);
      if (caller === 'missing' || caller === 'invalid') {
        const challenge =
          caller === 'missing'
            ? `Bearer realm="teamstate"${metadata}`
            : `Bearer realm="teamstate", error="invalid_token", error_description="the access token is invalid, expired or revoked"${metadata}`;
        sendProblem(
          response,
          401,
          caller === 'missing' ? 'unauthenticated' : 'invalid_token',
          caller === 'missing'
            ? 'missing "Authorization: Bearer <token>" header: create a token with teamstate tokens create --person <you>'
            : 'the bearer token is unknown, revoked or expired',
          { 'www-authenticate': challenge },
        );
        return true;
      }
      callers.set(request, caller);
      return false;
    },
    async handle(request, response, body) {
      if (isDocument(request)) return sendJson(response, 200, openApiDocument(options.publicUrl));
      const caller = callers.get(request);
      if (!caller) return sendProblem(response, 401, 'unauthenticated', 'missing "Authorization: Bearer <token>" header');
      const url = new URL(request.url ?? '/', 'http://localhost');
      const call: Call = {
        method: request.method ?? 'GET',
        path: url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent),
        query: url.searchParams,
        body,
        caller,
      };
      try {
        const answer = await route(ts, call);
        if ('problem' in answer) return sendProblem(response, ...answer.problem);
        return sendJson(response, answer.status, answer.body);
      } catch (error) {
        if (sendError(response, error)) return;
        options.log.error(
          `${call.method} ${url.pathname} failed: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
        );
        return sendProblem(response, 500, 'internal_error', 'internal error; the server log has the details');
      }
    },
  };
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

const problem = (status: number, code: string, detail: string): Answer => ({ problem: [status, code, detail] });

/** The answer to one authenticated call. */
async function route(ts: TeamState, call: Call): Promise<Answer> {
  const { method, path } = call;
  const [head, id, tail, ...rest] = path;
  const wrongMethod = (allowed: string) => problem(405, 'method_not_allowed', `${method} /v1/${path.join('/')}: use ${allowed}`);
  if (rest.length === 0 && head === 'actions' && id === 'propose' && tail === undefined)
    return method === 'POST' ? propose(ts, call) : wrongMethod('POST');
  if (head === 'approvals' && rest.length === 0) {
    if (id === undefined) return method === 'GET' ? listApprovals(ts, call) : wrongMethod('GET');
    if (tail === undefined) return method === 'GET' ? showApproval(ts, call, id) : wrongMethod('GET');
    if (tail === 'decision') return method === 'POST' ? decide(ts, call, id) : wrongMethod('POST');
  }
  if (head === 'teams' && rest.length === 0) {
    if (id === undefined) return method === 'GET' ? listTeams(ts, call) : wrongMethod('GET');
    if (tail === 'metrics') return method === 'GET' ? teamMetrics(ts, call, id) : wrongMethod('GET');
  }
  if (head === 'signals' && id === undefined) return method === 'GET' ? listSignals(ts, call) : wrongMethod('GET');
  return problem(404, 'not_found', `no route for ${method} /v1/${path.join('/')} (GET /v1/openapi.json lists them)`);
}

/** Refuses a caller without `scope`: 403, naming the scope and how to get a token with it. */
function lacks(caller: RestCaller, scope: string): Answer | undefined {
  if (caller.scopes.includes(scope)) return undefined;
  return problem(
    403,
    'insufficient_scope',
    `this credential has no ${scope} scope (it has ${caller.scopes.join(', ') || 'none'}); create a token with teamstate tokens create --person <you> --scopes ${scope}`,
  );
}

/** The JSON body of a call checked against `schema`, or the 400 problem naming what is wrong. */
function parseBody<T>(call: Call, schema: z.ZodType<T>): T | Answer {
  let json: unknown;
  try {
    json = JSON.parse(call.body.toString('utf8'));
  } catch {
    return problem(400, 'invalid_argument', 'the request body is not valid JSON');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  return problem(400, 'invalid_argument', `the request body is malformed: ${issues}`);
}

const isAnswer = (value: unknown): value is Answer =>
  typeof value === 'object' && value !== null && 'problem' in value && Array.isArray((value as { problem: unknown }).problem);

/** Whole seconds until `approval` expires (0 when it does not wait for anyone). */
function ttlOf(ts: TeamState, approval: Approval): number {
  if (approval.expiresAt === undefined) return 0;
  return Math.max(0, Math.floor((Date.parse(approval.expiresAt) - ts.now().getTime()) / 1000));
}

async function propose(ts: TeamState, call: Call): Promise<Answer> {
  const refused = lacks(call.caller, 'propose');
  if (refused) return refused;
  const input = parseBody(call, proposalBody);
  if (isAnswer(input)) return input;
  const requestedBy = call.caller.person ?? call.caller.name;
  const approval = await ts.actions.propose({
    type: input.type,
    target: input.target,
    params: input.params,
    reason: input.reason ?? `proposed through the REST API by ${requestedBy}`,
    requestedBy,
  });
  return { status: 201, body: { action_id: approval.id, status: approval.status, risk: approval.risk, ttl: ttlOf(ts, approval) } };
}

async function showApproval(ts: TeamState, call: Call, id: string): Promise<Answer> {
  const refused = lacks(call.caller, 'read');
  if (refused) return refused;
  const approval = await ts.approvals.get(id);
  if (!approval) throw new NotFoundError('approval', id);
  const history = await ts.audit.list({ approvalId: id, limit: 1000 });
  return { status: 200, body: { approval, history } };
}

async function listApprovals(ts: TeamState, call: Call): Promise<Answer> {
  const refused = lacks(call.caller, 'read');
  if (refused) return refused;
  const status = call.query.get('status') ?? undefined;
  if (status !== undefined && !(APPROVAL_STATUSES as readonly string[]).includes(status))
    return problem(400, 'invalid_argument', `status: expected one of ${APPROVAL_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
  const approvals = await ts.approvals.list({ status: status as ApprovalStatus | undefined, limit: 500 });
  return { status: 200, body: { approvals } };
}

async function decide(ts: TeamState, call: Call, id: string): Promise<Answer> {
  const refused = lacks(call.caller, 'decide');
  if (refused) return refused;
  const input = parseBody(call, decisionBody);
  if (isAnswer(input)) return input;
  const by = call.caller.person;
  if (by === undefined)
    return problem(403, 'forbidden', 'this credential acts for no person, and only a person decides: use a personal token with decide');
  const approval = await ts.approvals.decide(id, {
    decision: input.decision,
    by,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    ...(input.params === undefined ? {} : { params: input.params }),
    authentication: call.caller.authentication,
  });
  return { status: 200, body: { status: approval.status } };
}

/** The facade reading as the caller (the one reading rule). */
const reader = (ts: TeamState, caller: RestCaller) => ts.as({ ...(caller.person ? { person: caller.person } : {}), scopes: caller.scopes });

async function listTeams(ts: TeamState, call: Call): Promise<Answer> {
  const refused = lacks(call.caller, 'read');
  if (refused) return refused;
  return { status: 200, body: { teams: await reader(ts, call.caller).teams.list() } };
}

async function requireTeam(ts: TeamState, team: string): Promise<void> {
  const teams = await ts.teams.list();
  if (!teams.some((t) => t.id === team)) throw new NotFoundError('team', team);
}

async function teamMetrics(ts: TeamState, call: Call, team: string): Promise<Answer> {
  const refused = lacks(call.caller, 'read');
  if (refused) return refused;
  await requireTeam(ts, team);
  const known = ts.metrics.list();
  const asked = call.query.get('metrics');
  const ids = asked
    ? asked
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean)
    : defaultMetricIds(known);
  const unknown = ids.filter((id) => !known.some((metric) => metric.id === id));
  if (unknown.length > 0)
    return problem(
      400,
      'invalid_argument',
      `metrics: unknown metric ${unknown.join(', ')}; GET /v1/openapi.json describes them, teamstate metrics --list lists them`,
    );
  const bounds = { from: call.query.get('from') ?? undefined, to: call.query.get('to') ?? undefined };
  for (const [name, value] of Object.entries(bounds))
    if (value !== undefined && Number.isNaN(Date.parse(value)))
      return problem(400, 'invalid_argument', `${name}: expected an ISO date or timestamp, got ${JSON.stringify(value)}`);
  const window = metricWindow({ ...(bounds.from ? { from: bounds.from } : {}), ...(bounds.to ? { to: bounds.to } : {}) }, ts.now());
  const metrics = await reader(ts, call.caller).metrics.compute(ids, { ...window, team });
  return { status: 200, body: { team, window, metrics } };
}

async function listSignals(ts: TeamState, call: Call): Promise<Answer> {
  const refused = lacks(call.caller, 'read');
  if (refused) return refused;
  const team = call.query.get('team') ?? undefined;
  if (team !== undefined) await requireTeam(ts, team);
  const view = reader(ts, call.caller);
  await ts.signals.refresh({ maxAgeMs: 60_000 });
  const signals = await view.signals.list({ ...(team ? { team } : {}) });
  return { status: 200, body: { signals } };
}
