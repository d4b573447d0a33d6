// A stateful fake of the Statuspage REST API v1 for one page, seeded from __fixtures__/statuspage; served through msw.
import { readFileSync } from 'node:fs';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

export const STATUSPAGE = 'https://api.statuspage.test/v1';
export const PAGE = 'kctbh9vrtdwd';
// biome-ignore lint/suspicious/noExplicitAny: fixtures are free-form Statuspage JSON
export type Json = any;

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../__fixtures__/statuspage/${name}`, import.meta.url), 'utf8'));

export function createFakeStatuspage() {
  const incidents: Json[] = fixture('incidents.json');
  const writes: { method: string; body: Json }[] = [];
  /** Statuses to answer the next writes with instead (a 5xx after which the write may or may not have landed). */
  const failures: number[] = [];
  const failed = () => {
    const status = failures.shift();
    return status ? HttpResponse.json({ error: 'Internal Server Error' }, { status }) : undefined;
  };
  let made = 0;
  const base = `${STATUSPAGE}/pages/${PAGE}`;
  const server = setupServer(
    http.all(`${STATUSPAGE}/*`, ({ request }) =>
      request.headers.get('authorization') === 'OAuth sp-test-token'
        ? undefined
        : HttpResponse.json({ error: 'Unauthorized' }, { status: 401 }),
    ),
    http.get(`${base}/components`, () => HttpResponse.json(fixture('components.json'))),
    http.get(`${base}/incidents`, ({ request }) => {
      const search = new URL(request.url).searchParams;
      const q = search.get('q');
      const page = Number(search.get('page') ?? 1);
      const list = q ? incidents.filter((i) => i.name.includes(q)) : incidents;
      return HttpResponse.json(q ? list : list.slice((page - 1) * 100, page * 100));
    }),
    http.get(`${base}/incidents/:id`, ({ params }) => {
      const incident = incidents.find((i) => i.id === params.id);
      return incident ? HttpResponse.json(incident) : HttpResponse.json({ error: 'Not found' }, { status: 404 });
    }),
    http.post(`${base}/incidents`, async ({ request }) => {
      const { incident: body } = (await request.json()) as Json;
      writes.push({ method: 'POST', body });
      const failure = failed();
      if (failure) return failure;
      const id = `new${String(++made).padStart(9, '0')}`;
      const at = '2026-03-18T10:00:00.000Z';
      const incident = {
        ...incidents[0],
        id,
        name: body.name,
        status: body.status,
        impact: body.impact_override ?? 'none',
        created_at: at,
        updated_at: at,
        resolved_at: null,
        metadata: body.metadata ?? {},
        incident_updates: [
          { id: `u${id}`, incident_id: id, status: body.status, body: body.body, created_at: at, updated_at: at, display_at: at },
        ],
        components: [],
      };
      incidents.unshift(incident);
      return HttpResponse.json(incident, { status: 201 });
    }),
    http.patch(`${base}/incidents/:id`, async ({ params, request }) => {
      const { incident: body } = (await request.json()) as Json;
      writes.push({ method: 'PATCH', body });
      const failure = failed();
      if (failure) return failure;
      const incident = incidents.find((i) => i.id === params.id);
      if (!incident) return HttpResponse.json({ error: 'Not found' }, { status: 404 });
      if (body.status) incident.status = body.status;
      incident.incident_updates.unshift({
        id: `u${incident.incident_updates.length}${incident.id}`,
        incident_id: incident.id,
        status: incident.status,
        body: body.body,
        created_at: '2026-03-18T10:00:00.000Z',
        updated_at: '2026-03-18T10:00:00.000Z',
        display_at: '2026-03-18T10:00:00.000Z',
      });
      return HttpResponse.json(incident);
    }),
  );
  return {
    url: STATUSPAGE,
    incidents,
    writes,
    failures,
    listen: () => server.listen({ onUnhandledFrame: 'error' }),
    close: () => server.close(),
  };
}
