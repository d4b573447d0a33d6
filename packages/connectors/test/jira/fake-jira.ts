// A stateful fake of the Jira Cloud REST API for tests, seeded from the recorded fixtures in
// __fixtures__/jira. It answers the way Jira does (envelopes, token paging, field selection, truncated
// embedded changelogs, bulk changelog pages, errors) so jira.js validates every response; tests change
// its state (move an issue, add one) and inject failures (429, 503) at the network boundary via msw.
import { readFileSync } from 'node:fs';
import { HttpResponse, http } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';

export const SITE = 'https://acme.atlassian.net';

// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form Jira JSON
export type Json = any;

/** Reads a fixture file of __fixtures__/jira. */
export function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/jira/${name}`, import.meta.url), 'utf8'));
}

interface StoredIssue {
  /** The issue as search returns it, with every field, without its changelog. */
  issue: Json;
  /** Its complete history, oldest first. */
  histories: Json[];
  /** Histories Jira has but the fixtures do not spell out (other fields): they only count towards `total`. */
  hidden: number;
}

/** A response a test forces on the next matching request. */
export interface ForcedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Json;
}

/** One request the fake received. */
export interface Received {
  method: string;
  path: string;
  search: URLSearchParams;
  body: Json;
}

const EMBEDDED_HISTORIES = 40;
const token = (offset: number) => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
const offsetOf = (value: string | undefined | null) =>
  value ? (JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { o: number }).o : 0;
const epoch = (value: string) => Date.parse(/[+-]\d{4}$/.test(value) ? `${value.slice(0, -2)}:${value.slice(-2)}` : value);
const clone = <T>(value: T): T => structuredClone(value);
const only = (fields: Json, wanted: readonly string[]) =>
  Object.fromEntries(Object.entries(fields).filter(([name]) => wanted.includes(name)));
const jiraError = (status: number, message: string) => HttpResponse.json({ errorMessages: [message], errors: {} }, { status });

/** The fake: its state, what it received, and the msw server that serves it. */
export interface FakeJira {
  server: SetupServer;
  /** Starts intercepting; a request to any other host fails the test. */
  listen(): void;
  close(): void;
  received: Received[];
  /** Requests per route name (e.g. `search`, `bulkfetch`). */
  count(route?: string): number;
  /** The next requests of `route` get these responses, in order. */
  force(route: string, ...responses: ForcedResponse[]): void;
  /** Called for every request with its route name, before it is answered (a crash test kills the process here). */
  onRequest?: (route: string, nth: number) => void;
  /** Server-side cap of changelog histories per bulk page (Jira caps pages too). */
  changelogPageLimit: number;
  sprintPageLimit: number;
  fields: Json[];
  users: Json[];
  sprints: Json[];
  issue(key: string): StoredIssue;
  /** Moves an issue to a status through a new history entry (by `author`, at `at`), bumping `updated`. */
  move(key: string, to: string, at: string, author?: Json): void;
  /** Changes fields of an issue (and records a history when `items` are given). */
  edit(key: string, fields: Record<string, unknown>, at: string, items?: Json[]): void;
  /** Adds an issue (cloned from `template`) with a new id and key. */
  add(template: string, id: string, key: string, changes: Record<string, unknown>): StoredIssue;
  /** Comments added, by issue key, and issues created. */
  comments: Map<string, Json[]>;
  created: Json[];
  /** Next workflow statuses from each status. */
  workflow: Record<string, string[]>;
  /** Projects besides PAY (add one with `addProject`). */
  projects: Json[];
  /** Adds a project (a copy of PAY with another key, id and name), without boards. */
  addProject(key: string, id: string, name: string): Json;
}

/** Creates the fake with the fixture state and an msw server (call `server.listen()`). */
export function createFakeJira(options: { fieldsFixture?: string; deployment?: 'cloud' | 'datacenter' } = {}): FakeJira {
  const dc = options.deployment === 'datacenter';
  const statuses: Json[] = fixture('statuses.json');
  const statusByName = new Map(statuses.map((s) => [s.name, s]));
  const project = fixture('project-PAY.json');
  const boards = fixture('boards-PAY.json');
  const myself = fixture('myself.json');
  const issues = new Map<string, StoredIssue>();
  const bulk = [fixture('changelog-bulkfetch-page-1.json'), fixture('changelog-bulkfetch-page-2.json')];
  for (const page of [1, 2, 3]) {
    for (const issue of fixture(`search-jql-page-${page}.json`).issues) {
      const { changelog, ...rest } = issue;
      const embedded = [...changelog.histories].sort((a: Json, b: Json) => epoch(a.created) - epoch(b.created));
      const full = bulk.flatMap((p) =>
        p.issueChangeLogs.filter((l: Json) => l.issueId === issue.id).flatMap((l: Json) => l.changeHistories),
      );
      const histories = [...full, ...embedded].sort((a, b) => epoch(a.created) - epoch(b.created) || Number(a.id) - Number(b.id));
      issues.set(issue.key, { issue: rest, histories, hidden: changelog.total - histories.length });
    }
  }
  const counts = new Map<string, number>();
  const forced = new Map<string, ForcedResponse[]>();
  let nextHistory = 20_000;
  let nextComment = 30_000;
  const fake: FakeJira = {
    server: undefined as unknown as SetupServer,
    listen: () => fake.server.listen({ onUnhandledFrame: 'error' }),
    close: () => fake.server.close(),
    received: [],
    count: (route) => (route ? (counts.get(route) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    force(route, ...responses) {
      forced.set(route, [...(forced.get(route) ?? []), ...responses]);
    },
    changelogPageLimit: 3,
    sprintPageLimit: 2,
    fields: fixture(options.fieldsFixture ?? 'fields.json'),
    users: fixture('users-assignable.json'),
    sprints: [...fixture('sprints-board-1-page-1.json').values, ...fixture('sprints-board-1-page-2.json').values],
    issue(key) {
      const stored = issues.get(key);
      if (!stored) throw new Error(`the fake has no issue ${key}`);
      return stored;
    },
    move(key, to, at, author = fake.users[0]) {
      const stored = fake.issue(key);
      const from = stored.issue.fields.status;
      const target = statusByName.get(to);
      stored.histories.push({
        id: String(++nextHistory),
        author,
        created: at,
        items: [
          {
            field: 'status',
            fieldtype: 'jira',
            fieldId: 'status',
            from: from.id,
            fromString: from.name,
            to: target.id,
            toString: target.name,
          },
        ],
      });
      stored.issue.fields.status = clone(target);
      stored.issue.fields.updated = at;
    },
    edit(key, fields, at, items) {
      const stored = fake.issue(key);
      Object.assign(stored.issue.fields, clone(fields), { updated: at });
      if (items) stored.histories.push({ id: String(++nextHistory), author: fake.users[0], created: at, items });
    },
    add(template, id, key, changes) {
      const stored: StoredIssue = { issue: clone(fake.issue(template).issue), histories: [], hidden: 0 };
      stored.issue.id = id;
      stored.issue.key = key;
      stored.issue.self = `${SITE}/rest/api/3/issue/${id}`;
      Object.assign(stored.issue.fields, clone(changes));
      issues.set(key, stored);
      return stored;
    },
    comments: new Map(),
    created: [],
    projects: [],
    addProject(key, id, name) {
      const added = { ...clone(project), key, id, name, self: `${SITE}/rest/api/3/project/${id}` };
      fake.projects.push(added);
      return added;
    },
    workflow: {
      'To Do': ['In Progress'],
      'In Progress': ['In Review', 'Blocked', 'Done'],
      'In Review': ['In Progress', 'Done'],
      Blocked: ['In Progress'],
      Done: ['To Do'],
    },
  };

  const byIdOrKey = (value: string) => [...issues.values()].find((s) => s.issue.key === value || s.issue.id === value);

  function matches(stored: StoredIssue, jql: string): boolean {
    const where = jql.replace(/\s+ORDER BY .*$/i, '').trim();
    // `(a AND b) OR (c)`: any of the parenthesised alternatives.
    if (where.startsWith('('))
      return where
        .slice(1, -1)
        .split(/\)\s+OR\s+\(/)
        .some((alternative) => matches(stored, alternative));
    return where.split(/\s+AND\s+/i).every((clause) => {
      const f = stored.issue.fields;
      let m = /^project in \((.+)\)$/i.exec(clause) ?? /^project = (.+)$/i.exec(clause);
      if (m)
        return m[1]!
          .split(',')
          .map((k) => k.trim().replace(/^"|"$/g, ''))
          .includes(f.project.key);
      m = /^updated >= (\d+)$/.exec(clause);
      if (m) return epoch(f.updated) >= Number(m[1]);
      m = /^sprint = (\d+)$/.exec(clause);
      if (m) return (f.customfield_10020 ?? []).some((s: Json) => s.id === Number(m![1]));
      m = /^labels = "(.+)"$/.exec(clause);
      if (m) return (f.labels ?? []).includes(m[1]);
      throw new Error(`the fake does not understand the JQL clause "${clause}"`);
    });
  }

  const search = (jql: string) =>
    [...issues.values()]
      .filter((s) => matches(s, jql))
      .sort((a, b) => epoch(a.issue.fields.updated) - epoch(b.issue.fields.updated) || Number(a.issue.id) - Number(b.issue.id));

  function embeddedChangelog(stored: StoredIssue) {
    const total = stored.histories.length + stored.hidden;
    const shown = total > EMBEDDED_HISTORIES ? stored.histories.slice(-Math.max(0, EMBEDDED_HISTORIES - stored.hidden)) : stored.histories;
    return {
      startAt: 0,
      maxResults: total > EMBEDDED_HISTORIES ? EMBEDDED_HISTORIES : Math.max(total, 1),
      total,
      histories: [...shown].reverse(),
    };
  }

  function searchResult(body: Json) {
    const found = search(body.jql);
    const start = offsetOf(body.nextPageToken);
    const size = Math.min(body.maxResults ?? 50, 5000);
    const page = found.slice(start, start + size).map((stored) => {
      const { expand, id, self, key } = stored.issue;
      const fields = only(stored.issue.fields, body.fields ?? []);
      return {
        expand,
        id,
        self,
        key,
        ...(String(body.expand ?? '').includes('changelog') ? { changelog: embeddedChangelog(stored) } : {}),
        fields: clone(fields),
      };
    });
    const more = start + size < found.length;
    return { issues: page, ...(more ? { nextPageToken: token(start + size) } : {}), isLast: !more };
  }

  function bulkChangelog(body: Json) {
    const wanted = new Set<string>(body.fieldIds ?? []);
    const entries = (body.issueIdsOrKeys as string[])
      .map(byIdOrKey)
      .filter((s): s is StoredIssue => s !== undefined)
      .flatMap((s) =>
        s.histories
          .map((h) => ({ ...h, items: h.items.filter((i: Json) => wanted.size === 0 || wanted.has(i.fieldId)) }))
          .filter((h) => h.items.length > 0)
          .map((h) => ({ issueId: s.issue.id, history: h })),
      )
      .sort((a, b) => epoch(a.history.created) - epoch(b.history.created) || Number(a.issueId) - Number(b.issueId));
    const start = offsetOf(body.nextPageToken);
    const size = Math.min(body.maxResults ?? 1000, fake.changelogPageLimit);
    const page = entries.slice(start, start + size);
    const logs: Json[] = [];
    for (const { issueId, history } of page) {
      const last = logs.at(-1);
      if (last?.issueId === issueId) last.changeHistories.push(clone(history));
      else logs.push({ issueId, changeHistories: [clone(history)] });
    }
    return { issueChangeLogs: logs, ...(start + size < entries.length ? { nextPageToken: token(start + size) } : {}) };
  }

  // Data Center answers REST v2: users by key and name (no account ids or types), Sprint values as
  // strings, rich text as wiki markup, offset paging with `total`, and complete embedded changelogs.
  const userKeys = new Map<string, string>();
  const dcUser = (u: Json): Json => {
    if (!u || typeof u !== 'object' || !u.accountId) return u;
    if (!userKeys.has(u.accountId)) userKeys.set(u.accountId, `JIRAUSER${10100 + userKeys.size}`);
    const name = String(u.displayName)
      .toLowerCase()
      .replace(/[^a-z]+/g, '.');
    return {
      self: `${SITE}/rest/api/2/user?username=${name}`,
      name,
      key: userKeys.get(u.accountId),
      ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
      avatarUrls: u.avatarUrls,
      displayName: u.displayName,
      active: u.active,
      timeZone: u.timeZone,
    };
  };
  const dcSprint = (v: Json) =>
    `com.atlassian.greenhopper.service.sprint.Sprint@${(v.id * 7919).toString(16)}[id=${v.id},rapidViewId=${v.boardId},state=${String(v.state).toUpperCase()},name=${v.name},startDate=${v.startDate},endDate=${v.endDate},completeDate=${v.completeDate ?? '<null>'},activatedDate=${v.startDate},sequence=${v.id},goal=${v.goal ?? ''}]`;
  const dcFields = (fields: Json): Json => {
    const out = { ...fields };
    for (const name of ['assignee', 'reporter', 'creator']) if (name in out) out[name] = dcUser(out[name]);
    if (Array.isArray(out.customfield_10020)) out.customfield_10020 = out.customfield_10020.map(dcSprint);
    if (out.description && typeof out.description === 'object')
      out.description = out.description.content.map((p: Json) => p.content.map((t: Json) => t.text).join('')).join('\n\n');
    return out;
  };
  const dcHistory = (h: Json) => ({ ...h, author: dcUser(h.author) });

  const routes: [string, string, RegExp, (m: RegExpExecArray, url: URL, body: Json) => Response | Promise<Response>][] = [
    [
      'project',
      'GET',
      /^\/rest\/api\/[23]\/project\/([^/]+)$/,
      (m) => {
        const found = [project, ...fake.projects].find((p) => p.key === m[1]);
        return found ? HttpResponse.json(found) : jiraError(404, `No project could be found with key '${m[1]}'.`);
      },
    ],
    ['fields', 'GET', /^\/rest\/api\/[23]\/field$/, () => HttpResponse.json(fake.fields)],
    ['statuses', 'GET', /^\/rest\/api\/[23]\/status$/, () => HttpResponse.json(statuses)],
    [
      'users',
      'GET',
      /^\/rest\/api\/[23]\/user\/assignable\/multiProjectSearch$/,
      (_m, url) => {
        const startAt = Number(url.searchParams.get('startAt') ?? 0);
        const page = fake.users.slice(startAt, startAt + Number(url.searchParams.get('maxResults') ?? 50));
        return HttpResponse.json(dc ? page.map(dcUser) : page);
      },
    ],
    ['boards', 'GET', /^\/rest\/agile\/1\.0\/board$/, () => HttpResponse.json(boards)],
    [
      'board',
      'GET',
      /^\/rest\/agile\/1\.0\/board\/(\d+)$/,
      (m) => {
        const board = boards.values.find((b: Json) => b.id === Number(m[1]));
        return board ? HttpResponse.json(board) : jiraError(404, `Board does not exist or you do not have permission to see it.`);
      },
    ],
    [
      'sprints',
      'GET',
      /^\/rest\/agile\/1\.0\/board\/(\d+)\/sprint$/,
      (m, url) => {
        const board = boards.values.find((b: Json) => b.id === Number(m[1]));
        if (board?.type === 'kanban') return jiraError(400, 'The board does not support sprints');
        const startAt = Number(url.searchParams.get('startAt') ?? 0);
        const values = fake.sprints.slice(startAt, startAt + fake.sprintPageLimit);
        return HttpResponse.json({
          maxResults: fake.sprintPageLimit,
          startAt,
          isLast: startAt + values.length >= fake.sprints.length,
          values,
        });
      },
    ],
    [
      'count',
      'POST',
      /^\/rest\/api\/3\/search\/approximate-count$/,
      (_m, _u, body) => HttpResponse.json({ count: [...issues.values()].filter((s) => matches(s, body.jql)).length }),
    ],
    ['search', 'POST', /^\/rest\/api\/3\/search\/jql$/, (_m, _u, body) => HttpResponse.json(searchResult(body))],
    ['bulkfetch', 'POST', /^\/rest\/api\/3\/changelog\/bulkfetch$/, (_m, _u, body) => HttpResponse.json(bulkChangelog(body))],
    [
      'transitions',
      'GET',
      /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/,
      (m) => {
        const stored = byIdOrKey(m[1]!);
        if (!stored) return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
        const next = fake.workflow[stored.issue.fields.status.name] ?? [];
        return HttpResponse.json({
          expand: 'transitions',
          transitions: next.map((name, i) => ({
            id: String(11 + 10 * i + statuses.findIndex((s) => s.name === name)),
            name: name === 'Done' ? 'Resolve' : name,
            to: statusByName.get(name),
            hasScreen: false,
            isGlobal: false,
            isInitial: false,
            isAvailable: true,
            isConditional: false,
            isLooped: false,
          })),
        });
      },
    ],
    [
      'transition',
      'POST',
      /^\/rest\/api\/3\/issue\/([^/]+)\/transitions$/,
      (m, _u, body) => {
        const stored = byIdOrKey(m[1]!);
        if (!stored) return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
        const next = fake.workflow[stored.issue.fields.status.name] ?? [];
        const to = next.find((name, i) => String(11 + 10 * i + statuses.findIndex((s) => s.name === name)) === body.transition?.id);
        if (!to)
          return HttpResponse.json(
            { errorMessages: [], errors: { transition: 'Transition id is not valid for this issue.' } },
            { status: 400 },
          );
        fake.move(stored.issue.key, to, new Date(Date.parse('2026-03-25T12:00:00Z')).toISOString().replace('Z', '+0000'));
        return new HttpResponse(null, { status: 204 });
      },
    ],
    [
      'comment',
      'POST',
      /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/,
      (m, _u, body) => {
        const stored = byIdOrKey(m[1]!);
        if (!stored) return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
        const id = String(++nextComment);
        const comment = {
          self: `${SITE}/rest/api/3/issue/${stored.issue.id}/comment/${id}`,
          id,
          author: myself,
          body: body.body,
          updateAuthor: myself,
          created: '2026-03-25T12:00:00.000+0000',
          updated: '2026-03-25T12:00:00.000+0000',
          jsdPublic: true,
          properties: body.properties ?? [],
        };
        fake.comments.set(stored.issue.key, [...(fake.comments.get(stored.issue.key) ?? []), comment]);
        const { properties: _, ...shown } = comment;
        return HttpResponse.json(shown, { status: 201 });
      },
    ],
    [
      'comments',
      'GET',
      /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/,
      (m) => {
        const stored = byIdOrKey(m[1]!);
        const list = [...(fake.comments.get(stored?.issue.key) ?? [])].reverse().map(({ properties: _, ...c }) => c);
        return HttpResponse.json({ startAt: 0, maxResults: 50, total: list.length, comments: list });
      },
    ],
    [
      'comment-property',
      'GET',
      /^\/rest\/api\/3\/comment\/(\d+)\/properties\/([^/]+)$/,
      (m) => {
        const comment = [...fake.comments.values()].flat().find((c) => c.id === m[1]);
        const property = comment?.properties.find((p: Json) => p.key === m[2]);
        return property ? HttpResponse.json(property) : jiraError(404, `The property with key '${m[2]}' does not exist.`);
      },
    ],
    [
      'assign',
      'PUT',
      /^\/rest\/api\/3\/issue\/([^/]+)\/assignee$/,
      (m, _u, body) => {
        const stored = byIdOrKey(m[1]!);
        if (!stored) return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
        stored.issue.fields.assignee =
          body.accountId === null ? null : clone(fake.users.find((u) => u.accountId === body.accountId) ?? null);
        return new HttpResponse(null, { status: 204 });
      },
    ],
    [
      'create',
      'POST',
      /^\/rest\/api\/3\/issue$/,
      (_m, _u, body) => {
        const number = [...issues.values()].length + 1;
        const id = String(10_000 + number + 100);
        const key = `${body.fields.project.key}-${number + 100}`;
        fake.created.push({ id, key, body });
        fake.add('PAY-5', id, key, { summary: body.fields.summary, labels: body.fields.labels ?? [], customfield_10020: null });
        return HttpResponse.json({ id, key, self: `${SITE}/rest/api/3/issue/${id}` }, { status: 201 });
      },
    ],
    [
      'issue',
      'GET',
      /^\/rest\/api\/3\/issue\/([^/]+)$/,
      (m, url) => {
        const stored = byIdOrKey(m[1]!);
        if (!stored) return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
        const wanted = (url.searchParams.get('fields') ?? '').split(',');
        const fields = only(stored.issue.fields, wanted);
        return HttpResponse.json({
          expand: stored.issue.expand,
          id: stored.issue.id,
          self: stored.issue.self,
          key: stored.issue.key,
          fields: clone(fields),
        });
      },
    ],
    ['myself', 'GET', /^\/rest\/api\/3\/myself$/, () => HttpResponse.json(myself)],
    [
      'search',
      'POST',
      /^\/rest\/api\/2\/search$/,
      (_m, _u, body) => {
        if (!dc) return jiraError(410, 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.');
        const found = search(body.jql);
        const startAt = body.startAt ?? 0;
        const maxResults = body.maxResults ?? 50;
        const page = found.slice(startAt, startAt + maxResults).map((stored) => ({
          expand: stored.issue.expand,
          id: stored.issue.id,
          self: stored.issue.self.replace('/api/3/', '/api/2/'),
          key: stored.issue.key,
          ...((body.expand ?? []).includes('changelog')
            ? {
                changelog: {
                  startAt: 0,
                  maxResults: stored.histories.length,
                  total: stored.histories.length + stored.hidden,
                  histories: stored.histories.map(dcHistory),
                },
              }
            : {}),
          fields: dcFields(only(stored.issue.fields, body.fields ?? [])),
        }));
        return HttpResponse.json({ expand: 'schema,names', startAt, maxResults, total: found.length, issues: page });
      },
    ],
    [
      'issue-v2',
      'GET',
      /^\/rest\/api\/2\/issue\/([^/]+)$/,
      (m, url) => {
        const stored = byIdOrKey(m[1]!);
        if (!stored) return jiraError(404, 'Issue Does Not Exist');
        const wanted = (url.searchParams.get('fields') ?? '').split(',');
        return HttpResponse.json({
          id: stored.issue.id,
          key: stored.issue.key,
          fields: dcFields(only(stored.issue.fields, wanted)),
          ...(url.searchParams.get('expand') === 'changelog'
            ? {
                changelog: {
                  startAt: 0,
                  maxResults: stored.histories.length,
                  total: stored.histories.length,
                  histories: stored.histories.map(dcHistory),
                },
              }
            : {}),
        });
      },
    ],
  ];

  fake.server = setupServer(
    http.all(`${SITE}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const body = request.method === 'GET' || request.method === 'DELETE' ? undefined : await request.json().catch(() => undefined);
      fake.received.push({ method: request.method, path: url.pathname, search: url.searchParams, body });
      for (const [name, method, pattern, handle] of routes) {
        const m = pattern.exec(url.pathname);
        if (!m || method !== request.method) continue;
        const nth = (counts.get(name) ?? 0) + 1;
        counts.set(name, nth);
        fake.onRequest?.(name, nth);
        const next = forced.get(name)?.shift();
        if (next)
          return HttpResponse.json(next.body ?? { errorMessages: [`forced ${next.status}`], errors: {} }, {
            status: next.status,
            headers: next.headers,
          });
        return handle(m, url, body);
      }
      return jiraError(404, `the fake has no route for ${request.method} ${url.pathname}`);
    }),
  );
  return fake;
}

/** An issue link as Jira's search answer carries it (`fields.issuelinks[]`). */
export function issueLink(fake: FakeJira, type: 'Blocks' | 'Relates', direction: 'inwardIssue' | 'outwardIssue', key: string) {
  const other = fake.issue(key).issue;
  return {
    id: String(10_000 + Number(other.id)),
    self: `https://acme.atlassian.net/rest/api/3/issueLink/${10_000 + Number(other.id)}`,
    type:
      type === 'Blocks'
        ? {
            id: '10000',
            name: 'Blocks',
            inward: 'is blocked by',
            outward: 'blocks',
            self: 'https://acme.atlassian.net/rest/api/3/issueLinkType/10000',
          }
        : {
            id: '10003',
            name: 'Relates',
            inward: 'relates to',
            outward: 'relates to',
            self: 'https://acme.atlassian.net/rest/api/3/issueLinkType/10003',
          },
    [direction]: {
      id: other.id,
      key,
      self: `https://acme.atlassian.net/rest/api/3/issue/${other.id}`,
      fields: { summary: other.fields.summary },
    },
  };
}
