// A counting mock of Jira Cloud for the sync benchmark: `issues` issues with `transitions` status changes
// each, generated on demand page by page (nothing is held in memory), answered in the shapes of the
// recorded fixtures so jira.js validates every response. Counts requests per route.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON
type Json = any;

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../test/__fixtures__/jira/${name}`, import.meta.url), 'utf8'));

const DAY = 86_400_000;
const START = Date.parse('2025-01-06T09:00:00Z');
const SPRINT_DAYS = 14;
const USERS = 50;
// The n-th of `count` moves: back and forth between In Progress and In Review, the last one to Done.
const target = (n: number, count: number) => (n === count - 1 ? 'Done' : n % 2 === 0 ? 'In Progress' : 'In Review');

/** The mock and what it counted. */
export interface MockJira {
  url: string;
  /** Requests per route. */
  counts: Record<string, number>;
  close(): Promise<void>;
}

const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
const token = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
const offsetOf = (value: unknown) =>
  typeof value === 'string' ? (JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { o: number }).o : 0;

/** Starts the mock on a free local port. */
export async function startMockJira(options: { issues: number; transitions: number }): Promise<MockJira> {
  const statuses: Json[] = fixture('statuses.json');
  const statusByName = new Map(statuses.map((s) => [s.name, s]));
  const template = fixture('search-jql-page-1.json').issues[1];
  const users: Json[] = Array.from({ length: USERS }, (_, n) => ({
    ...fixture('users-assignable.json')[0],
    accountId: `5b10a2844c2016570${String(n).padStart(7, '0')}`,
    emailAddress: `dev${n}@acme.example`,
    displayName: `Developer ${n}`,
    self: `https://acme.atlassian.net/rest/api/3/user?accountId=5b10a2844c2016570${String(n).padStart(7, '0')}`,
  }));
  const sprintCount = Math.ceil((options.issues * 30 * 60_000) / (SPRINT_DAYS * DAY)) + 1;
  const sprint = (n: number) => {
    const start = START + n * SPRINT_DAYS * DAY;
    const end = start + SPRINT_DAYS * DAY - 2 * 3_600_000;
    const state = n === sprintCount - 1 ? 'active' : 'closed';
    return {
      id: n + 1,
      self: `https://acme.atlassian.net/rest/agile/1.0/sprint/${n + 1}`,
      state,
      name: `PAY Sprint ${n + 1}`,
      startDate: new Date(start).toISOString(),
      endDate: new Date(end).toISOString(),
      ...(state === 'closed' ? { completeDate: new Date(end + 3_600_000).toISOString() } : {}),
      createdDate: new Date(start - 3 * DAY).toISOString(),
      originBoardId: 1,
      goal: '',
    };
  };
  // Issue i is created 30 minutes after issue i-1, joins its sprint a day before the sprint starts, and
  // moves through `transitions` statuses an hour apart; `updated` grows with i, as the search orders by it.
  const issue = (i: number, withChangelog: boolean) => {
    const created = START - DAY + i * 30 * 60_000;
    const sprintIndex = Math.min(sprintCount - 1, Math.floor((created + DAY - START) / (SPRINT_DAYS * DAY)));
    const joined = created + 60_000;
    const histories: Json[] = [
      {
        id: String(1_000_000 + i * 20),
        author: users[i % USERS],
        created: jiraTime(joined),
        items: [
          {
            field: 'Sprint',
            fieldtype: 'custom',
            fieldId: 'customfield_10020',
            from: null,
            fromString: null,
            to: String(sprintIndex + 1),
            toString: `PAY Sprint ${sprintIndex + 1}`,
          },
        ],
      },
    ];
    let current = 'To Do';
    for (let t = 0; t < options.transitions; t++) {
      const next = target(t, options.transitions);
      const from = statusByName.get(current);
      const to = statusByName.get(next);
      histories.push({
        id: String(1_000_000 + i * 20 + t + 1),
        author: users[(i + t) % USERS],
        created: jiraTime(created + (t + 1) * 3_600_000),
        items: [
          { field: 'status', fieldtype: 'jira', fieldId: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name },
        ],
      });
      current = next;
    }
    const updated = created + (options.transitions + 1) * 3_600_000;
    const id = String(100_000 + i);
    const key = `PAY-${i + 1}`;
    return {
      expand: template.expand,
      id,
      self: `https://acme.atlassian.net/rest/api/3/issue/${id}`,
      key,
      ...(withChangelog
        ? { changelog: { startAt: 0, maxResults: histories.length, total: histories.length, histories: histories.reverse() } }
        : {}),
      fields: {
        ...template.fields,
        summary: `Generated issue ${i + 1}`,
        status: statusByName.get(current),
        assignee: users[i % USERS],
        reporter: users[(i + 7) % USERS],
        creator: users[(i + 7) % USERS],
        created: jiraTime(created),
        updated: jiraTime(updated),
        resolutiondate: current === 'Done' ? jiraTime(updated) : null,
        customfield_10016: [1, 2, 3, 5, 8][i % 5],
        customfield_10020: [{ ...sprint(sprintIndex), boardId: 1 }],
      },
    };
  };
  const updatedOf = (i: number) => START - DAY + i * 30 * 60_000 + (options.transitions + 1) * 3_600_000;

  const counts: Record<string, number> = {};
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      const route = (name: string) => {
        counts[name] = (counts[name] ?? 0) + 1;
      };
      const reply = (name: string, answer: unknown) => {
        route(name);
        json(res, 200, answer);
      };
      const path = url.pathname;
      if (path === '/rest/api/3/project/PAY') return reply('project', fixture('project-PAY.json'));
      if (path === '/rest/api/3/field') return reply('fields', fixture('fields.json'));
      if (path === '/rest/api/3/status') return reply('statuses', statuses);
      if (path === '/rest/api/3/user/assignable/multiProjectSearch') {
        route('users');
        const startAt = Number(url.searchParams.get('startAt') ?? 0);
        return json(res, 200, users.slice(startAt, startAt + Number(url.searchParams.get('maxResults') ?? 50)));
      }
      if (path === '/rest/agile/1.0/board') return reply('boards', fixture('boards-PAY.json'));
      if (path === '/rest/agile/1.0/board/1/sprint') {
        route('sprints');
        const startAt = Number(url.searchParams.get('startAt') ?? 0);
        const values = Array.from({ length: Math.max(0, Math.min(50, sprintCount - startAt)) }, (_, n) => sprint(startAt + n));
        return json(res, 200, { maxResults: 50, startAt, isLast: startAt + values.length >= sprintCount, values });
      }
      if (path === '/rest/api/3/search/approximate-count') return reply('count', { count: options.issues });
      if (path === '/rest/api/3/search/jql') {
        route('search');
        const since = /updated >= (\d+)/.exec(body.jql)?.[1];
        let first = 0;
        if (since) while (first < options.issues && updatedOf(first) < Number(since)) first++;
        const start = first + offsetOf(body.nextPageToken);
        const size = Math.min(body.maxResults ?? 50, 100);
        const end = Math.min(options.issues, start + size);
        const issues = Array.from({ length: Math.max(0, end - start) }, (_, n) => {
          const full = issue(start + n, String(body.expand ?? '').includes('changelog'));
          const fields = Object.fromEntries(Object.entries(full.fields).filter(([name]) => body.fields.includes(name)));
          return { ...full, fields };
        });
        const more = end < options.issues;
        return json(res, 200, { issues, ...(more ? { nextPageToken: token(end - first) } : {}), isLast: !more });
      }
      route('other');
      json(res, 404, { errorMessages: [`no mock for ${req.method} ${path}`], errors: {} });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
