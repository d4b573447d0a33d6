// A stateful fake of the Opsgenie REST API at the network boundary (msw), seeded from __fixtures__/opsgenie: teams,
// Incident API records with their associated alert ids (`/v1/incidents/{id}/associated-alert-ids`: ids only, at most
// 25 a page, each alert read at `/v2/alerts/{id}`) and logs, schedules whose final timeline is built from weekly
// rotations, and the alert actions (answered 202, as Opsgenie does), with a log of every request.
import { readFileSync } from 'node:fs';
import type { OgAlert, OgIncident, OgLog, OgSchedule, OgTeam } from '@teamstate/connectors/opsgenie';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

export const OPSGENIE = 'https://api.opsgenie.acme.test';
export const OPSGENIE_KEY = 'og-test-key-5f2c9a1e-do-not-log';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../__fixtures__/opsgenie/${name}`, import.meta.url), 'utf8')) as T;

/** The fake's state: what the fixtures hold, and every request received. */
export function createFakeOpsgenie() {
  const teams = fixture<{ data: OgTeam[] }>('teams.json').data;
  const incidents = fixture<{ data: OgIncident[] }>('incidents.json').data;
  const alerts = fixture<Record<string, OgAlert[]>>('alerts.json');
  const logs = fixture<Record<string, OgLog[]>>('logs.json');
  const schedules = fixture<{ data: OgSchedule[] }>('schedules.json').data;
  const rotations = fixture<Record<string, { start: string; hours: number; users: string[] }>>('rotations.json');
  const requests: { method: string; path: string; search: URLSearchParams; body?: Record<string, unknown> }[] = [];
  const created: OgAlert[] = [];
  /** Statuses to answer the next writes with instead (a 5xx after which the write may or may not have landed). */
  const failures: number[] = [];
  /** Statuses to answer the next writes with after carrying them out (the write landed; only its answer was lost). */
  const failuresAfterLanding: number[] = [];
  const allAlerts = () => [...Object.values(alerts).flat(), ...created];
  const ok = (data: unknown) => HttpResponse.json({ data, took: 0.01, requestId: 'b2c3d4e5-0000-4000-8000-000000000001' });
  const accepted = () =>
    HttpResponse.json({ result: 'Request will be processed', took: 0.01, requestId: `req-${requests.length}` }, { status: 202 });
  const notFound = (what: string) =>
    HttpResponse.json({ message: `${what} does not exist`, took: 0.001, requestId: 'none' }, { status: 404 });
  const paged = (items: unknown[], url: URL, maxLimit = 100) => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 20), maxLimit);
    const slice = items.slice(offset, offset + limit);
    const more = offset + limit < items.length;
    return HttpResponse.json({
      data: slice,
      paging: { ...(more ? { next: `${url.origin}${url.pathname}?offset=${offset + limit}&limit=${limit}` } : {}), first: url.toString() },
      took: 0.02,
      requestId: 'b2c3d4e5-0000-4000-8000-000000000002',
    });
  };
  /** The shifts of a schedule's rotation overlapping [from, to). */
  const periods = (schedule: string, from: number, to: number) => {
    const rotation = rotations[schedule];
    if (!rotation) return [];
    const out: { startDate: string; endDate: string; type: string; recipient: { id: string; type: string; name: string } }[] = [];
    const span = rotation.hours * 3_600_000;
    for (let start = Date.parse(rotation.start), i = 0; start < to; start += span, i++) {
      const end = start + span;
      if (end <= from) continue;
      const user = rotation.users[i % rotation.users.length]!;
      out.push({
        startDate: new Date(Math.max(start, from)).toISOString(),
        endDate: new Date(Math.min(end, to)).toISOString(),
        type: 'default',
        recipient: { id: `u-${user}`, type: 'user', name: user },
      });
    }
    return out;
  };

  const handler = http.all(`${OPSGENIE}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const text = request.method === 'GET' ? '' : await request.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    requests.push({ method: request.method, path: url.pathname, search: url.searchParams, ...(body ? { body } : {}) });
    if (request.headers.get('authorization') !== `GenieKey ${OPSGENIE_KEY}`)
      return HttpResponse.json({ message: 'Could not authenticate', took: 0.001, requestId: 'none' }, { status: 401 });
    const path = url.pathname;
    const failure = request.method === 'POST' ? failures.shift() : undefined;
    if (failure) return HttpResponse.json({ message: 'Internal Server Error', took: 0.5, requestId: 'failed' }, { status: failure });
    if (path === '/v2/teams') return ok(teams);
    if (path === '/v2/schedules') return paged(schedules, url);
    const timeline = /^\/v2\/schedules\/([^/]+)\/timeline$/.exec(path);
    if (timeline) {
      const from = Date.parse(url.searchParams.get('date') ?? '');
      const to = from + Number(url.searchParams.get('interval') ?? 1) * 86_400_000;
      const schedule = schedules.find((s) => s.id === timeline[1]);
      if (!schedule) return notFound('Schedule');
      return ok({
        _parent: { id: schedule.id, name: schedule.name, enabled: true },
        startDate: new Date(from).toISOString(),
        endDate: new Date(to).toISOString(),
        finalTimeline: { rotations: [{ id: `rot-${schedule.id}`, name: 'Primary', order: 1, periods: periods(schedule.id, from, to) }] },
      });
    }
    if (path === '/v1/incidents') {
      const since = Number(/createdAt>=(\d+)/.exec(url.searchParams.get('query') ?? '')?.[1] ?? 0);
      return paged(
        incidents.filter((i) => Date.parse(i.createdAt) >= since).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
        url,
      );
    }
    const incident = /^\/v1\/incidents\/([^/]+)(\/logs|\/associated-alert-ids)?$/.exec(path);
    if (incident) {
      const found = incidents.find((i) => i.id === incident[1]);
      if (!found) return notFound('Incident');
      if (incident[2] === '/logs') return ok(logs[found.id] ?? []);
      // Ids only, newest first unless `order=asc`, 20 a page by default and 25 at most.
      if (incident[2] === '/associated-alert-ids') {
        const ids = (alerts[found.id] ?? []).map((a) => a.id);
        return paged(url.searchParams.get('order') === 'asc' ? ids : ids.reverse(), url, 25);
      }
      return ok(found);
    }
    if (path === '/v2/alerts' && request.method === 'GET') {
      const alias = /alias:(\S+)/.exec(url.searchParams.get('query') ?? '')?.[1];
      return ok(allAlerts().filter((a) => a.alias === alias));
    }
    if (path === '/v2/alerts' && request.method === 'POST') {
      created.push({
        id: `c0ffee00-${created.length + 1}`,
        alias: String(body?.alias ?? ''),
        message: String(body?.message ?? ''),
        status: 'open',
        acknowledged: false,
        createdAt: '2026-03-18T10:00:00.000Z',
      });
      return accepted();
    }
    const alert = /^\/v2\/alerts\/([^/]+)(?:\/(acknowledge|close|escalate))?$/.exec(path);
    if (alert) {
      const found = allAlerts().find((a) => a.id === alert[1]);
      if (!found) return notFound('Alert');
      if (!alert[2]) return ok(found);
      if (request.method !== 'POST') return notFound('Endpoint');
      if (alert[2] === 'acknowledge') {
        found.acknowledged = true;
        found.report = { ...found.report, ackTime: 60_000, acknowledgedBy: String(body?.user ?? 'teamstate') };
      }
      if (alert[2] === 'close') found.status = 'closed';
      const lost = failuresAfterLanding.shift();
      if (lost) return HttpResponse.json({ message: 'Service Unavailable', took: 30, requestId: 'lost' }, { status: lost });
      return accepted();
    }
    return notFound('Endpoint');
  });
  return { handler, requests, created, alerts, incidents, failures, failuresAfterLanding };
}

export type FakeOpsgenie = ReturnType<typeof createFakeOpsgenie>;

/** The fake mounted with msw on its own (for tests of packages that do not depend on msw themselves). */
export function serveFakeOpsgenie(fake: FakeOpsgenie) {
  return setupServer(fake.handler);
}
