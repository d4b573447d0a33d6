/**
 * The OpenAPI 3.1 document of the REST API, served at `GET /v1/openapi.json`. Tests validate every response of a
 * run against it (JSON Schema 2020-12), so it states what the server answers, not an aspiration.
 */
export function openApiDocument(publicUrl: string | undefined): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'teamstate REST API',
      version: '1',
      description:
        'Propose actions, read and decide approvals through the policy and the audit ledger, and read teams, metrics and signals. Errors are RFC 9457 problem details.',
    },
    ...(publicUrl ? { servers: [{ url: publicUrl.replace(/\/+$/, '') }] } : {}),
    security: [{ bearer: [] }],
    paths: PATHS,
    components: COMPONENTS,
  };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });
const ok = (description: string, schema: unknown) => ({ description, content: json(schema) });
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/Problem${status}` }]));
const query = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const pathId = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

const PATHS = {
  '/v1/openapi.json': {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      security: [],
      responses: { '200': ok('The OpenAPI 3.1 document', { type: 'object' }) },
    },
  },
  '/v1/actions/propose': {
    post: {
      operationId: 'propose',
      summary: 'Propose an action; the policy runs it, holds it for approval or refuses it (scope propose)',
      requestBody: { required: true, content: json(ref('Proposal')) },
      responses: {
        '201': ok('The approval the proposal became', ref('Proposed')),
        ...problems(400, 401, 403, 409, 429),
      },
    },
  },
  '/v1/approvals': {
    get: {
      operationId: 'listApprovals',
      summary: 'Approvals, newest first (scope read)',
      parameters: [query('status', 'Only this status', { type: 'string', enum: STATUSES() })],
      responses: {
        '200': ok('The approvals', {
          type: 'object',
          required: ['approvals'],
          properties: { approvals: { type: 'array', items: ref('Approval') } },
        }),
        ...problems(400, 401, 403),
      },
    },
  },
  '/v1/approvals/{id}': {
    get: {
      operationId: 'getApproval',
      summary: 'One approval and its ledger trail, as `teamstate approvals show --json` (scope read)',
      parameters: [pathId('id', 'The approval id (`action_id` of a proposal)')],
      responses: { '200': ok('The approval and its history', ref('ApprovalShown')), ...problems(401, 403, 404) },
    },
  },
  '/v1/approvals/{id}/decision': {
    post: {
      operationId: 'decide',
      summary: 'Approve, decline or modify (edit the params, then approve) a pending approval (scope decide)',
      parameters: [pathId('id', 'The approval id')],
      requestBody: { required: true, content: json(ref('Decision')) },
      responses: {
        '200': ok('The approval status after the decision (executed when this server ran it)', {
          type: 'object',
          required: ['status'],
          properties: { status: { type: 'string', enum: STATUSES() } },
        }),
        ...problems(400, 401, 403, 404, 409),
      },
    },
  },
  '/v1/teams': {
    get: {
      operationId: 'listTeams',
      summary: 'Teams (scope read)',
      responses: {
        '200': ok('The teams', { type: 'object', required: ['teams'], properties: { teams: { type: 'array', items: ref('Team') } } }),
        ...problems(401, 403),
      },
    },
  },
  '/v1/teams/{id}/metrics': {
    get: {
      operationId: 'teamMetrics',
      summary: "A team's metrics over a window, as `teamstate metrics --json` (scope read)",
      parameters: [
        pathId('id', 'The team id'),
        query('from', 'Start of the window (ISO date or timestamp; default 30 days before `to`)'),
        query('to', 'End of the window (default now)'),
        query('metrics', 'Metric ids, comma-separated (default: the default metrics)'),
      ],
      responses: { '200': ok("The team's metrics", ref('TeamMetrics')), ...problems(400, 401, 403, 404) },
    },
  },
  '/v1/signals': {
    get: {
      operationId: 'listSignals',
      summary: 'Open signals, most severe first (scope read; wellbeing signals only of whom the caller may read)',
      parameters: [query('team', 'Only this team')],
      responses: {
        '200': ok('The signals', {
          type: 'object',
          required: ['signals'],
          properties: { signals: { type: 'array', items: ref('Signal') } },
        }),
        ...problems(401, 403, 404),
      },
    },
  },
};

function STATUSES(): string[] {
  return ['auto', 'pending', 'approved', 'executing', 'executed', 'failed', 'declined', 'expired', 'denied'];
}

const timestamp = { type: 'string', description: 'ISO 8601 timestamp' };

const PROBLEM_TITLES: Record<number, string> = {
  400: 'The request is malformed (its body, a parameter)',
  401: 'No valid bearer token; `WWW-Authenticate` says how to get one',
  403: 'The credential lacks a scope, or its person may not do this',
  404: 'No such approval, team or route',
  409: 'The approval is not pending (already decided, expired) or a precondition changed',
  429: 'Over the policy limit `limits.proposals_per_hour`; `retryAfter` seconds',
};

const COMPONENTS = {
  securitySchemes: {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'A personal token (`teamstate tokens create`), an OAuth access token of remote sign-in, or the server token',
    },
  },
  responses: Object.fromEntries(
    Object.entries(PROBLEM_TITLES).map(([status, description]) => [
      `Problem${status}`,
      { description, content: { 'application/problem+json': { schema: ref('Problem') } } },
    ]),
  ),
  schemas: {
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details; `code` is the teamstate error code',
      required: ['type', 'title', 'status', 'detail'],
      properties: {
        type: { type: 'string', format: 'uri' },
        title: { type: 'string' },
        status: { type: 'integer', minimum: 400, maximum: 599 },
        detail: { type: 'string' },
        code: { type: 'string' },
        retryAfter: { type: 'number' },
      },
    },
    Proposal: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'target', 'params'],
      properties: {
        type: { type: 'string', minLength: 1, maxLength: 200, examples: ['github.pr.merge'] },
        target: { type: 'string', minLength: 1, maxLength: 500, examples: ['acme/api#42'] },
        params: { type: 'object' },
        reason: { type: 'string', minLength: 1, maxLength: 2000 },
      },
    },
    Proposed: {
      type: 'object',
      additionalProperties: false,
      required: ['action_id', 'status', 'risk', 'ttl'],
      properties: {
        action_id: { type: 'string', description: 'The approval id' },
        status: { type: 'string', enum: STATUSES() },
        risk: { type: 'string', enum: ['low', 'medium', 'high'] },
        ttl: { type: 'integer', minimum: 0, description: 'Whole seconds left to decide (0 when nobody needs to)' },
      },
    },
    Decision: {
      type: 'object',
      additionalProperties: false,
      required: ['decision'],
      properties: {
        decision: { type: 'string', enum: ['approve', 'decline', 'modify'] },
        params: { type: 'object', description: 'The edited params, for modify' },
        reason: { type: 'string', minLength: 1, maxLength: 2000 },
      },
    },
    Approval: {
      type: 'object',
      required: [
        'id',
        'type',
        'target',
        'params',
        'reason',
        'requestedBy',
        'status',
        'mode',
        'risk',
        'policyHash',
        'approvers',
        'createdAt',
      ],
      properties: {
        id: { type: 'string' },
        type: { type: 'string' },
        target: { type: 'string' },
        params: { type: 'object' },
        reason: { type: 'string' },
        requestedBy: { type: 'string' },
        onBehalfOf: { type: 'string' },
        status: { type: 'string', enum: STATUSES() },
        mode: { type: 'string', enum: ['auto', 'ask', 'require_approval', 'deny'] },
        risk: { type: 'string', enum: ['low', 'medium', 'high'] },
        policyHash: { type: 'string' },
        approvers: { type: 'array', items: { type: 'string' } },
        createdAt: timestamp,
        expiresAt: timestamp,
        decision: { type: 'string' },
        decidedAt: timestamp,
        decidedBy: { type: 'string' },
        executedAt: timestamp,
        error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
      },
    },
    ApprovalShown: {
      type: 'object',
      required: ['approval', 'history'],
      properties: {
        approval: ref('Approval'),
        history: {
          type: 'array',
          description: 'The audit ledger entries of the approval, oldest first',
          items: {
            type: 'object',
            required: ['type', 'at'],
            properties: { type: { type: 'string' }, at: timestamp, actor: { type: 'string' } },
          },
        },
      },
    },
    Team: {
      type: 'object',
      required: ['id', 'name'],
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        members: { type: 'array', items: { type: 'string' } },
        leads: { type: 'array', items: { type: 'string' } },
      },
    },
    TeamMetrics: {
      type: 'object',
      required: ['team', 'window', 'metrics'],
      properties: {
        team: { type: 'string' },
        window: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } },
        metrics: {
          type: 'object',
          description: 'By metric id, the value object `teamstate metrics --json` prints',
          additionalProperties: {
            type: 'object',
            required: ['value', 'unit'],
            properties: { value: { type: ['number', 'null'] }, unit: { type: 'string' } },
          },
        },
      },
    },
    Signal: {
      type: 'object',
      required: ['fingerprint', 'kind', 'severity', 'subject', 'title', 'status'],
      properties: {
        fingerprint: { type: 'string' },
        kind: { type: 'string' },
        severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
        subject: { type: 'object', required: ['type', 'id'], properties: { type: { type: 'string' }, id: { type: 'string' } } },
        team: { type: 'string' },
        title: { type: 'string' },
        evidence: { type: 'object' },
        status: { type: 'string' },
        firstSeenAt: timestamp,
        lastSeenAt: timestamp,
      },
    },
  },
};
