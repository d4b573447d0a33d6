// A stateful fake of the PagerDuty REST API v2 for tests, seeded from the recorded payloads in
// __fixtures__/pagerduty: offset paging (two items a page), since/until on created_at, incident_key lookup, writes
// that need a `From` header, and injected failures (429 with Retry-After) at the network boundary via msw.
import { readFileSync } from 'node:fs';
import { HttpResponse, http } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';

export const PAGERDUTY = 'https://api.pagerduty.test';
// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form PagerDuty JSON
export type Json = any;

export function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../__fixtures__/pagerduty/${name}`, import.meta.url), 'utf8'));
}

export interface Received {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
  body: Json;
}

export function createFakePagerDuty() {
  const incidents: Json[] = [...fixture('incidents-page-1.json').incidents, ...fixture('incidents-page-2.json').incidents];
  const oncalls: Json[] = [...fixture('oncalls-page-1.json').oncalls, ...fixture('oncalls-page-2.json').oncalls];
  const logEntries = new Map<string, Json[]>(incidents.map((i) => [i.id, fixture(`log-entries-${i.id}.json`).log_entries as Json[]]));
  const received: Received[] = [];
  const forced: { status: number; headers?: Record<string, string> }[] = [];
  let created = 0;
  const record = async (request: Request) => {
    const url = new URL(request.url);
    const text = request.method === 'GET' ? '' : await request.text();
    received.push({
      method: request.method,
      path: url.pathname,
      search: url.searchParams,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    });
    const force = forced.shift();
    return force ? new HttpResponse(JSON.stringify({ error: { message: 'Rate Limit Exceeded', code: 2020 } }), force) : undefined;
  };
  const unauthorized = (request: Request) => request.headers.get('authorization') !== 'Token token=pd-test-token';
  const page = <T>(list: T[], search: URLSearchParams) => {
    const offset = Number(search.get('offset') ?? 0);
    const limit = Math.min(Number(search.get('limit') ?? 25), 2);
    return { items: list.slice(offset, offset + limit), limit, offset, more: offset + limit < list.length };
  };
  const notFound = () => HttpResponse.json({ error: { message: 'Not Found', code: 2100 } }, { status: 404 });
  // Writes are made as a PagerDuty user: the From email must be one. The answer to another names it (the connector
  // must keep it out of its errors all the same).
  const users = new Set<string>(['oncall-bot@acme.example', ...oncalls.map((o) => String(o.user.email).toLowerCase())]);
  const badFrom = (request: Request) => {
    const from = request.headers.get('from');
    if (!from) return withoutFrom();
    return users.has(from.toLowerCase())
      ? undefined
      : HttpResponse.json(
          {
            error: {
              message: 'Invalid Input Provided',
              code: 2001,
              errors: [`Requester with email ${from} is not a user of this account.`],
            },
          },
          { status: 400 },
        );
  };
  const withoutFrom = () =>
    HttpResponse.json(
      { error: { message: 'Invalid Input Provided', code: 2001, errors: ['A valid From header is required.'] } },
      { status: 400 },
    );
  const server: SetupServer = setupServer(
    http.all(`${PAGERDUTY}/*`, async ({ request }) => {
      const forcedResponse = await record(request);
      if (forcedResponse) return forcedResponse;
      if (unauthorized(request)) return HttpResponse.json({ error: { message: 'Unauthorized', code: 2006 } }, { status: 401 });
      return undefined;
    }),
    http.get(`${PAGERDUTY}/services`, ({ request }) => {
      const { items, ...rest } = page(fixture('services.json').services, new URL(request.url).searchParams);
      return HttpResponse.json({ services: items, ...rest, total: null });
    }),
    http.get(`${PAGERDUTY}/incidents`, ({ request }) => {
      const search = new URL(request.url).searchParams;
      const key = search.get('incident_key');
      if (key)
        return HttpResponse.json({
          incidents: incidents.filter((i) => i.incident_key === key),
          limit: 1,
          offset: 0,
          more: false,
          total: null,
        });
      const since = Date.parse(search.get('since') ?? '1970-01-01T00:00:00Z');
      const until = Date.parse(search.get('until') ?? '2100-01-01T00:00:00Z');
      const services = search.getAll('service_ids[]');
      const matching = incidents
        .filter((i) => Date.parse(i.created_at) >= since && Date.parse(i.created_at) < until)
        .filter((i) => services.length === 0 || services.includes(i.service.id))
        .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
      const { items, ...rest } = page(matching, search);
      return HttpResponse.json({ incidents: items, ...rest, total: null });
    }),
    http.get(`${PAGERDUTY}/incidents/:id`, ({ params }) => {
      const incident = incidents.find((i) => i.id === params.id);
      return incident ? HttpResponse.json({ incident }) : notFound();
    }),
    http.get(`${PAGERDUTY}/incidents/:id/log_entries`, ({ params, request }) => {
      const entries = logEntries.get(String(params.id));
      if (!entries) return notFound();
      const { items, ...rest } = page(entries, new URL(request.url).searchParams);
      return HttpResponse.json({ log_entries: items, ...rest, total: null });
    }),
    // Shifts overlapping [since, until] (both default to now), of the escalation policies asked for; users are
    // references unless `include[]=users` asks for the whole user (with its email), as the real API does.
    http.get(`${PAGERDUTY}/oncalls`, ({ request }) => {
      const search = new URL(request.url).searchParams;
      const since = Date.parse(search.get('since') ?? '');
      const until = Date.parse(search.get('until') ?? '');
      if (Number.isNaN(since) || Number.isNaN(until) || until - since > 90 * 86_400_000)
        return HttpResponse.json(
          { error: { message: 'Invalid Input Provided', code: 2001, errors: ['since and until must be within 90 days'] } },
          { status: 400 },
        );
      const policies = search.getAll('escalation_policy_ids[]');
      const users = search.getAll('include[]').includes('users');
      const matching = oncalls
        .filter((o) => policies.length === 0 || policies.includes(o.escalation_policy.id))
        .filter((o) => (o.start === null || Date.parse(o.start) <= until) && (o.end === null || Date.parse(o.end) > since))
        .map((o) =>
          users
            ? o
            : {
                ...o,
                user: { id: o.user.id, type: 'user_reference', summary: o.user.summary, self: o.user.self, html_url: o.user.html_url },
              },
        );
      const { items, ...rest } = page(matching, search);
      return HttpResponse.json({ oncalls: items, ...rest, total: null });
    }),
    http.put(`${PAGERDUTY}/incidents/:id`, ({ params, request }) => {
      const refused = badFrom(request);
      if (refused) return refused;
      const incident = incidents.find((i) => i.id === params.id);
      if (!incident) return notFound();
      const change = received.at(-1)!.body.incident;
      if (change.status) incident.status = change.status;
      if (change.escalation_level) incident.escalation_level = change.escalation_level;
      if (change.status === 'resolved') incident.resolved_at = '2026-03-18T10:00:00Z';
      return HttpResponse.json({ incident });
    }),
    http.post(`${PAGERDUTY}/incidents`, ({ request }) => {
      const refused = badFrom(request);
      if (refused) return refused;
      const body = received.at(-1)!.body.incident;
      const existing = incidents.find((i) => body.incident_key && i.incident_key === body.incident_key);
      if (existing) return HttpResponse.json({ error: { message: 'Incident Already Exists', code: 2001 } }, { status: 400 });
      const id = `QNEW${String(++created).padStart(6, '0')}`;
      const incident = {
        ...incidents[0],
        id,
        title: body.title,
        status: 'triggered',
        urgency: body.urgency,
        incident_key: body.incident_key,
        service: { id: body.service.id, type: 'service_reference', summary: body.service.id },
        created_at: '2026-03-18T10:00:00Z',
        resolved_at: null,
        html_url: `https://acme.pagerduty.com/incidents/${id}`,
      };
      incidents.push(incident);
      logEntries.set(id, []);
      return HttpResponse.json({ incident }, { status: 201 });
    }),
  );
  return {
    url: PAGERDUTY,
    incidents,
    oncalls,
    received,
    /** PagerDuty users' emails (writes need one as From). */
    users,
    /** The next requests get these statuses (429 with Retry-After). */
    force: (...responses: { status: number; headers?: Record<string, string> }[]) => forced.push(...responses),
    listen: () => server.listen({ onUnhandledFrame: 'error' }),
    close: () => server.close(),
    reset: () => {
      received.length = 0;
    },
  };
}
