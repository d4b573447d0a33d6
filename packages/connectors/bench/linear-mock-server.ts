// A counting mock of Linear's GraphQL API for the sync benchmark: `issues` issues spread over `teams` teams, each with
// its creation, a cycle assignment and `transitions` state changes in its history, generated on demand page by page in
// the shapes of the public schema (as the fixtures in test/__fixtures__/linear). Answers the connector's operations by
// name, honouring the filters it sends (team keys, `updatedAt > cursor`), newest update first as Linear orders them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const DAY = 86_400_000;
const START = Date.parse('2025-01-06T09:00:00Z');
const CYCLE_DAYS = 14;
const USERS = 50;
const STATES = ['Backlog', 'Todo', 'In Progress', 'In Review', 'Done'] as const;
const TYPES: Record<(typeof STATES)[number], string> = {
  Backlog: 'backlog',
  Todo: 'unstarted',
  'In Progress': 'started',
  'In Review': 'started',
  Done: 'completed',
};

/** The mock and what it counted. */
export interface MockLinear {
  url: string;
  /** Requests per operation. */
  counts: Record<string, number>;
  close(): Promise<void>;
}

const id = (kind: number, team: number, n: number) =>
  `${String(kind).padStart(8, '0')}-${String(team).padStart(4, '0')}-4000-8000-${String(n).padStart(12, '0')}`;
const cursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
const offsetOf = (value: unknown) => (typeof value === 'string' ? Number(Buffer.from(value, 'base64url').toString().slice(2)) : 0);

/** Starts the mock on a free local port. */
export async function startMockLinear(options: { issues: number; teams: number; transitions: number }): Promise<MockLinear> {
  const counts: Record<string, number> = {};
  const keys = Array.from({ length: options.teams }, (_, t) => `T${t}`);
  const teams = keys.map((key, t) => ({ id: id(1, t, 0), key, name: `Team ${t}` }));
  const state = (t: number, name: (typeof STATES)[number]) => ({ id: id(2, t, STATES.indexOf(name)), name, type: TYPES[name] });
  const users = Array.from({ length: USERS }, (_, n) => ({
    id: id(3, 0, n),
    name: `Developer ${n}`,
    displayName: `dev${n}`,
    email: `dev${n}@acme.example`,
    active: true,
  }));
  // Issue i (of team i % teams) is created 30 minutes after issue i-1 and updated last `transitions` hours later.
  const createdOf = (i: number) => START - DAY + i * 30 * 60_000;
  const updatedOf = (i: number) => createdOf(i) + (options.transitions + 1) * 3_600_000;
  const cycleCount = Math.ceil((options.issues * 30 * 60_000) / (CYCLE_DAYS * DAY)) + 1;
  const cycleIndexOf = (i: number) => Math.min(cycleCount - 1, Math.floor((createdOf(i) + DAY - START) / (CYCLE_DAYS * DAY)));
  const cycle = (t: number, n: number) => {
    const startsAt = START + n * CYCLE_DAYS * DAY;
    const endsAt = startsAt + CYCLE_DAYS * DAY;
    const closed = n < cycleCount - 1;
    return {
      id: id(4, t, n),
      number: n + 1,
      name: null,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      completedAt: closed ? new Date(endsAt).toISOString() : null,
      updatedAt: new Date(closed ? endsAt : startsAt).toISOString(),
      team: { id: teams[t]!.id, key: teams[t]!.key },
    };
  };
  const issue = (i: number) => {
    const t = i % options.teams;
    const created = createdOf(i);
    const cycleId = id(4, t, cycleIndexOf(i));
    const history: unknown[] = [
      { createdAt: new Date(created).toISOString(), fromState: null, toState: state(t, 'Backlog'), fromCycleId: null, toCycleId: null },
      { createdAt: new Date(created + 60_000).toISOString(), fromState: null, toState: null, fromCycleId: null, toCycleId: cycleId },
    ];
    let from: (typeof STATES)[number] = 'Backlog';
    for (let n = 0; n < options.transitions; n++) {
      const to = n === options.transitions - 1 ? 'Done' : n % 2 === 0 ? 'In Progress' : 'In Review';
      history.push({
        createdAt: new Date(created + (n + 1) * 3_600_000).toISOString(),
        fromState: state(t, from),
        toState: state(t, to),
        fromCycleId: null,
        toCycleId: null,
      });
      from = to;
    }
    const done = from === 'Done';
    const updated = new Date(updatedOf(i)).toISOString();
    return {
      id: id(5, t, i),
      identifier: `${teams[t]!.key}-${i + 1}`,
      title: `Issue ${i + 1}`,
      description: 'Steps to reproduce: open the checkout, pay with a saved card.',
      url: `https://linear.app/acme/issue/${teams[t]!.key.toLowerCase()}-${i + 1}`,
      createdAt: new Date(created).toISOString(),
      updatedAt: updated,
      startedAt: new Date(created + 3_600_000).toISOString(),
      completedAt: done ? new Date(created + options.transitions * 3_600_000).toISOString() : null,
      canceledAt: null,
      dueDate: null,
      estimate: (i % 5) + 1,
      team: teams[t],
      state: state(t, from),
      assignee: users[i % USERS],
      creator: users[(i + 7) % USERS],
      cycle: { id: cycleId },
      project: { id: id(6, t, 0), name: `Project ${t}` },
      parent: null,
      labels: { nodes: [{ name: i % 4 === 0 ? 'Bug' : 'Feature' }] },
      history: { nodes: history.reverse(), pageInfo: { hasNextPage: false, endCursor: null } },
    };
  };
  const page = <T>(total: number, at: (n: number) => T, first: number, after: unknown) => {
    const start = offsetOf(after);
    const end = Math.min(total, start + first);
    const nodes = Array.from({ length: Math.max(0, end - start) }, (_, n) => at(start + n));
    return { nodes, pageInfo: { hasNextPage: end < total, endCursor: nodes.length > 0 ? cursor(end) : null } };
  };
  // biome-ignore lint/suspicious/noExplicitAny: GraphQL variables
  const answer = (operation: string, variables: any) => {
    const wanted: string[] = variables.teamFilter?.key?.in ?? variables.issueFilter?.team?.key?.in ?? keys;
    const teamIndexes = keys.flatMap((key, t) => (wanted.includes(key) ? [t] : []));
    if (operation === 'TeamstateSync') {
      const data: Record<string, unknown> = {};
      if (variables.teamFilter) data.teams = { nodes: teamIndexes.map((t) => teams[t]) };
      if (variables.cycleFilter) {
        const since: string | undefined = variables.cycleFilter.and?.[1]?.or?.[0]?.updatedAt?.gt;
        const now: string | undefined = variables.cycleFilter.and?.[1]?.or?.[1]?.endsAt?.gt;
        const all = teamIndexes
          .flatMap((t) => Array.from({ length: cycleCount }, (_, n) => cycle(t, n)))
          .filter((c) => !since || c.updatedAt > since || (now !== undefined && c.endsAt > now));
        data.cycles = page(all.length, (n) => all[n], 100, variables.cycleAfter);
      }
      if (variables.issueFilter) {
        const since: string | undefined = variables.issueFilter.updatedAt?.gt;
        // Newest update first; only the teams asked for.
        const matching: number[] = [];
        for (let i = options.issues - 1; i >= 0; i--) {
          if (!teamIndexes.includes(i % options.teams)) continue;
          if (since && new Date(updatedOf(i)).toISOString() <= since) break;
          matching.push(i);
        }
        data.issues = page(matching.length, (n) => issue(matching[n]!), variables.first, variables.issueAfter);
      }
      return data;
    }
    return undefined;
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as { query: string; variables: Record<string, unknown> };
      const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '?';
      counts[operation] = (counts[operation] ?? 0) + 1;
      const data = answer(operation, body.variables ?? {});
      const headers = {
        'Content-Type': 'application/json',
        'X-RateLimit-Requests-Remaining': '100000',
        'X-RateLimit-Complexity-Remaining': '100000000',
        'X-Complexity': '1',
      };
      res.writeHead(data ? 200 : 400, headers);
      res.end(JSON.stringify(data ? { data } : { errors: [{ message: `no mock for ${operation}` }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
