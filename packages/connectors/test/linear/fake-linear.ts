// A stateful fake of Linear's GraphQL API for tests, seeded from the fixtures in __fixtures__/linear (entities in the
// public API's shapes). Every request is parsed, validated and executed against the schema subset in
// __fixtures__/linear/schema.graphql with graphql-js, so a query the real API would refuse fails here too; answers
// carry Linear's rate-limit headers and the query's complexity, computed the way Linear documents it.
import { readFileSync } from 'node:fs';
import type {
  LinearCycle,
  LinearIssue,
  LinearIssueHistory,
  LinearTeam,
  LinearUser,
  LinearWorkflowState,
} from '@teamstate/connectors/linear';
import {
  buildSchema,
  type DocumentNode,
  execute,
  type FieldNode,
  GraphQLError,
  Kind,
  parse,
  type SelectionSetNode,
  validate,
} from 'graphql';
import { HttpResponse, http } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';

export const LINEAR_URL = 'https://api.linear.app/graphql';

const fixturePath = (name: string) => new URL(`../__fixtures__/linear/${name}`, import.meta.url);
/** Reads a fixture of __fixtures__/linear as the type it holds. */
export const fixture = <T>(name: string): T => JSON.parse(readFileSync(fixturePath(name), 'utf8')) as T;

/** An issue as the fake keeps it: the API's shape, with its whole history (newest first) as a list. */
export type StoredIssue = Omit<LinearIssue, 'history'> & { history: (LinearIssueHistory & { id: string })[] };
/** A cycle as the fake keeps it: its team by key. */
export type StoredCycle = Omit<LinearCycle, 'team'> & { team: string };
export type StoredState = LinearWorkflowState & { position: number; team: string };
export interface StoredComment {
  id: string;
  issueId: string;
  body: string;
  createdAt: string;
  user: LinearUser | null;
}

/** One request the fake answered. */
export interface Received {
  operation: string;
  variables: Record<string, unknown>;
  complexity: number;
}

/** A response a test forces on the next request (of `operation`, when given). */
export interface ForcedResponse {
  operation?: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeLinear {
  server: SetupServer;
  listen(): void;
  close(): void;
  reset(): void;
  received: Received[];
  teams: LinearTeam[];
  states: StoredState[];
  users: LinearUser[];
  cycles: StoredCycle[];
  issues: StoredIssue[];
  comments: StoredComment[];
  /** Issue relations (`blocks`, `related`, `duplicate`), each stored once on its issue. */
  relations: { id: string; type: string; issueId: string; relatedIssueId: string }[];
  /** The account the API key belongs to. */
  viewer: LinearUser;
  /** The next requests get these answers, in order (one naming an operation waits for a request of it). */
  force(...responses: ForcedResponse[]): void;
  /** The instant the fake's writes are stamped with. */
  now: string;
  /** Moves an issue to a state (by name) at `at`, with a history entry. */
  move(identifier: string, to: string, at: string): void;
  /** Remaining budgets it reports (`X-RateLimit-*-Remaining`) and the reset it announces (epoch ms). */
  limits: { requests: number; complexity: number; resetAt: number };
}

const encode = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
const decode = (cursor: unknown) => (typeof cursor === 'string' ? Number(Buffer.from(cursor, 'base64url').toString().slice(2)) : 0);

function connection<T>(all: readonly T[], args: { first?: number | null; after?: string | null }) {
  const start = decode(args.after);
  const first = args.first ?? 50;
  const nodes = all.slice(start, start + first);
  const end = start + nodes.length;
  return {
    nodes,
    pageInfo: {
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length > 0 ? encode(start) : null,
      endCursor: nodes.length > 0 ? encode(end) : null,
    },
  };
}

// biome-ignore lint/suspicious/noExplicitAny: GraphQL filter inputs are free-form
type Filter = any;

function compare(value: string | null | undefined, comparator: Filter): boolean {
  if (!comparator) return true;
  if ('null' in comparator && comparator.null !== undefined && (value === null || value === undefined) !== comparator.null) return false;
  if (comparator.eq !== undefined && value !== comparator.eq) return false;
  if (comparator.in !== undefined && !comparator.in.includes(value)) return false;
  if (comparator.gt !== undefined && !(value && Date.parse(value) > Date.parse(comparator.gt))) return false;
  if (comparator.gte !== undefined && !(value && Date.parse(value) >= Date.parse(comparator.gte))) return false;
  return true;
}

/**
 * Linear's complexity: 0.1 point per scalar field, 1 per object, and a connection's children multiplied by its
 * `first` (50 when not given).
 */
export function complexityOf(document: DocumentNode, variables: Record<string, unknown>): number {
  const argument = (field: FieldNode, name: string): number | undefined => {
    const arg = field.arguments?.find((a) => a.name.value === name);
    if (!arg) return undefined;
    if (arg.value.kind === Kind.INT) return Number(arg.value.value);
    if (arg.value.kind === Kind.VARIABLE) return Number(variables[arg.value.name.value] ?? 50);
    return undefined;
  };
  const cost = (set: SelectionSetNode): number =>
    set.selections.reduce((sum, selection) => {
      if (selection.kind !== Kind.FIELD) return sum;
      if (!selection.selectionSet) return sum + 0.1;
      const children = cost(selection.selectionSet);
      const isConnection = selection.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'nodes');
      return sum + (isConnection ? (argument(selection, 'first') ?? 50) * children : 1 + children);
    }, 0);
  return document.definitions.reduce(
    (sum, definition) => (definition.kind === Kind.OPERATION_DEFINITION ? sum + cost(definition.selectionSet) : sum),
    0,
  );
}

/** Creates the fake with the fixture state (call `listen()`). */
export function createFakeLinear(options: { url?: string } = {}): FakeLinear {
  const url = options.url ?? LINEAR_URL;
  const schema = buildSchema(readFileSync(fixturePath('schema.graphql'), 'utf8'));
  const forced: ForcedResponse[] = [];
  let uuid = 0;
  const fake: FakeLinear = {
    server: undefined as unknown as SetupServer,
    listen: () => fake.server.listen({ onUnhandledFrame: 'error' }),
    close: () => fake.server.close(),
    reset() {
      fake.received.length = 0;
      forced.length = 0;
      fake.teams = fixture('teams.json');
      fake.states = fixture('workflow-states.json');
      fake.users = fixture('users.json');
      fake.cycles = fixture('cycles.json');
      fake.issues = fixture('issues.json');
      fake.comments = [];
      fake.relations = [];
      fake.viewer = fake.users[0]!;
      fake.limits = { requests: 1500, complexity: 250_000, resetAt: Date.parse('2026-03-18T11:00:00Z') };
    },
    received: [],
    teams: [],
    states: [],
    users: [],
    cycles: [],
    issues: [],
    comments: [],
    relations: [],
    viewer: undefined as unknown as LinearUser,
    force: (...responses) => {
      forced.push(...responses);
    },
    now: '2026-03-18T10:00:00.000Z',
    limits: { requests: 0, complexity: 0, resetAt: 0 },
    move(identifier, to, at) {
      const issue = fake.issues.find((i) => i.identifier === identifier)!;
      const state = fake.states.find((s) => s.team === issue.team.key && s.name === to)!;
      const plain = ({ id, name, type }: LinearWorkflowState) => ({ id, name, type });
      issue.history.unshift({
        id: `00000000-0000-4000-8000-${String(++uuid).padStart(12, '0')}`,
        createdAt: at,
        fromState: plain(issue.state),
        toState: plain(state),
        fromCycleId: null,
        toCycleId: null,
      });
      issue.state = plain(state);
      issue.updatedAt = at;
      if (state.type === 'completed') issue.completedAt = at;
      if (state.type === 'started' && !issue.startedAt) issue.startedAt = at;
    },
  };
  fake.reset();

  const teamOf = (key: string) => {
    const team = fake.teams.find((t) => t.key === key)!;
    return {
      ...team,
      states: (args: { first?: number; after?: string }) =>
        connection(
          fake.states.filter((s) => s.team === key),
          args,
        ),
    };
  };
  const teamMatches = (key: string, filter: Filter): boolean => {
    if (!filter) return true;
    const team = fake.teams.find((t) => t.key === key);
    if (!compare(key, filter.key) || !compare(team?.id, filter.id)) return false;
    if (filter.and && !filter.and.every((f: Filter) => teamMatches(key, f))) return false;
    if (filter.or && !filter.or.some((f: Filter) => teamMatches(key, f))) return false;
    return true;
  };
  const cycleMatches = (cycle: StoredCycle, filter: Filter): boolean => {
    if (!filter) return true;
    if (filter.team && !teamMatches(cycle.team, filter.team)) return false;
    if (
      !compare(cycle.id, filter.id) ||
      !compare(cycle.updatedAt, filter.updatedAt) ||
      !compare(cycle.completedAt, filter.completedAt) ||
      !compare(cycle.endsAt, filter.endsAt)
    )
      return false;
    if (filter.and && !filter.and.every((f: Filter) => cycleMatches(cycle, f))) return false;
    if (filter.or && !filter.or.some((f: Filter) => cycleMatches(cycle, f))) return false;
    return true;
  };
  const issueMatches = (issue: StoredIssue, filter: Filter): boolean => {
    if (!filter) return true;
    if (filter.team && !teamMatches(issue.team.key, filter.team)) return false;
    if (!compare(issue.id, filter.id) || !compare(issue.updatedAt, filter.updatedAt) || !compare(issue.createdAt, filter.createdAt))
      return false;
    if (filter.cycle && !compare(issue.cycle?.id ?? null, filter.cycle.id ?? (filter.cycle.null === undefined ? undefined : filter.cycle)))
      return false;
    if (filter.and && !filter.and.every((f: Filter) => issueMatches(issue, f))) return false;
    if (filter.or && !filter.or.some((f: Filter) => issueMatches(issue, f))) return false;
    return true;
  };
  const cycleView = (cycle: StoredCycle) => ({
    ...cycle,
    team: teamOf(cycle.team),
    issues: (args: { first?: number; after?: string }) =>
      connection(fake.issues.filter((i) => i.cycle?.id === cycle.id).map(issueView), args),
  });
  const issueView = (issue: StoredIssue) => ({
    ...issue,
    team: teamOf(issue.team.key),
    cycle: issue.cycle ? cycleView(fake.cycles.find((c) => c.id === issue.cycle!.id)!) : null,
    parent: issue.parent,
    labels: (args: { first?: number; after?: string }) => connection(issue.labels.nodes, args),
    // A relation is stored once, on its issue: `relations` lists it there, `inverseRelations` on the related issue.
    relations: (args: { first?: number; after?: string }) =>
      connection(
        fake.relations
          .filter((r) => r.issueId === issue.id)
          .map((r) => ({ id: r.id, type: r.type, issue: { id: issue.id }, relatedIssue: { id: r.relatedIssueId } })),
        args,
      ),
    inverseRelations: (args: { first?: number; after?: string }) =>
      connection(
        fake.relations
          .filter((r) => r.relatedIssueId === issue.id)
          .map((r) => ({ id: r.id, type: r.type, issue: { id: r.issueId }, relatedIssue: { id: issue.id } })),
        args,
      ),
    history: (args: { first?: number; after?: string }) => connection(issue.history, args),
    comments: (args: { first?: number; after?: string }) => connection(fake.comments.filter((c) => c.issueId === issue.id).reverse(), args),
  });
  const findIssue = (id: string) => {
    const issue = fake.issues.find((i) => i.id === id || i.identifier === id);
    if (!issue) throw new GraphQLError('Entity not found: Issue', { extensions: { code: 'ENTITY_NOT_FOUND' } });
    return issue;
  };
  // Linear answers a list ordered by `updatedAt` newest first.
  const byUpdate = <T extends StoredIssue | StoredCycle>(list: T[], orderBy?: string): T[] =>
    orderBy === 'updatedAt' ? [...list].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)) : list;
  const root = {
    viewer: () => fake.viewer,
    teams: (args: { first?: number; after?: string; filter?: Filter }) =>
      connection(
        fake.teams.filter((t) => teamMatches(t.key, args.filter)).map((t) => teamOf(t.key)),
        args,
      ),
    cycles: (args: { first?: number; after?: string; filter?: Filter; orderBy?: string }) =>
      connection(
        byUpdate(
          fake.cycles.filter((c) => cycleMatches(c, args.filter)),
          args.orderBy,
        ).map(cycleView),
        args,
      ),
    issues: (args: { first?: number; after?: string; filter?: Filter; orderBy?: string }) =>
      connection(
        byUpdate(
          fake.issues.filter((i) => issueMatches(i, args.filter)),
          args.orderBy,
        ).map(issueView),
        args,
      ),
    issue: ({ id }: { id: string }) => issueView(findIssue(id)),
    cycle: ({ id }: { id: string }) => {
      const cycle = fake.cycles.find((c) => c.id === id);
      if (!cycle) throw new GraphQLError('Entity not found: Cycle', { extensions: { code: 'ENTITY_NOT_FOUND' } });
      return cycleView(cycle);
    },
    comment: ({ id }: { id: string }) => {
      const comment = fake.comments.find((c) => c.id === id);
      if (!comment) throw new GraphQLError('Entity not found: Comment', { extensions: { code: 'ENTITY_NOT_FOUND' } });
      return comment;
    },
    commentCreate: ({ input }: { input: { id?: string; issueId: string; body?: string } }) => {
      const issue = findIssue(input.issueId);
      if (input.id && fake.comments.some((c) => c.id === input.id))
        throw new GraphQLError('Comment with this id already exists', { extensions: { code: 'INVALID_INPUT' } });
      const comment: StoredComment = {
        id: input.id ?? `00000000-0000-4000-9000-${String(++uuid).padStart(12, '0')}`,
        issueId: issue.id,
        body: input.body ?? '',
        createdAt: fake.now,
        user: fake.viewer,
      };
      fake.comments.push(comment);
      issue.updatedAt = fake.now;
      return { success: true, comment };
    },
    issueUpdate: ({ id, input }: { id: string; input: { stateId?: string; assigneeId?: string | null } }) => {
      const issue = findIssue(id);
      if (input.stateId !== undefined) {
        const state = fake.states.find((s) => s.id === input.stateId && s.team === issue.team.key);
        if (!state) throw new GraphQLError('Invalid state for this team', { extensions: { code: 'INVALID_INPUT' } });
        fake.move(issue.identifier, state.name, fake.now);
      }
      if (input.assigneeId !== undefined) {
        const user = input.assigneeId === null ? null : fake.users.find((u) => u.id === input.assigneeId);
        if (user === undefined) throw new GraphQLError('User not found', { extensions: { code: 'INVALID_INPUT' } });
        issue.assignee = user;
        issue.updatedAt = fake.now;
      }
      return { success: true, issue: issueView(issue) };
    },
  };

  fake.server = setupServer(
    http.post(url, async ({ request }) => {
      const { query, variables = {} } = (await request.json()) as { query: string; variables?: Record<string, unknown> };
      if (!request.headers.get('authorization'))
        return HttpResponse.json(
          { errors: [{ message: 'Authentication required', extensions: { code: 'AUTHENTICATION_ERROR' } }] },
          { status: 400 },
        );
      const document = parse(query);
      const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
      const complexity = Math.round(complexityOf(document, variables) * 10) / 10;
      fake.received.push({ operation: operation?.name?.value ?? '?', variables, complexity });
      fake.limits.requests -= 1;
      fake.limits.complexity -= complexity;
      const headers = {
        'X-RateLimit-Requests-Limit': '1500',
        'X-RateLimit-Requests-Remaining': String(fake.limits.requests),
        'X-RateLimit-Requests-Reset': String(fake.limits.resetAt),
        'X-RateLimit-Complexity-Limit': '250000',
        'X-RateLimit-Complexity-Remaining': String(fake.limits.complexity),
        'X-RateLimit-Complexity-Reset': String(fake.limits.resetAt),
        'X-Complexity': String(complexity),
      };
      const index = forced.findIndex((answer) => answer.operation === undefined || answer.operation === operation?.name?.value);
      const next = index < 0 ? undefined : forced.splice(index, 1)[0];
      if (next) return HttpResponse.json(next.body ?? {}, { status: next.status, headers: { ...headers, ...next.headers } });
      const errors = validate(schema, document);
      if (errors.length > 0)
        return HttpResponse.json(
          { errors: errors.map((e) => ({ message: e.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) },
          { status: 400, headers },
        );
      if (complexity > 10_000)
        return HttpResponse.json(
          { errors: [{ message: `Query too complex (${complexity})`, extensions: { code: 'QUERY_TOO_COMPLEX' } }] },
          { status: 400, headers },
        );
      const result = await execute({ schema, document, rootValue: root, variableValues: variables });
      const body = {
        data: result.data ?? null,
        ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })) } : {}),
      };
      return HttpResponse.json(body, { status: result.errors && !result.data ? 400 : 200, headers });
    }),
  );
  return fake;
}
