// The CircleCI, Opsgenie and Statuspage clients share one request helper: these tests drive each client against a real
// HTTP server to pin what they must keep doing (reads retried, writes sent once, errors naming the product, the
// request and the status, never the credential).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCircleCiApi } from '../src/circleci/client/circleci-api.js';
import { resolveCircleCiOptions } from '../src/circleci/options.js';
import { createOpsgenieApi } from '../src/opsgenie/client/opsgenie-api.js';
import { resolveOpsgenieOptions } from '../src/opsgenie/options.js';
import { createStatuspageApi } from '../src/statuspage/client/statuspage-api.js';
import { resolveStatuspageOptions } from '../src/statuspage/options.js';

const SECRET = 'tok-7d1e5c-never-in-messages';

/** What the server answers next, in order (the last one repeats), and every request it got. */
const script: { status: number; body: unknown; headers?: Record<string, string> }[] = [];
const received: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    const next = script.length > 1 ? script.shift() : script[0];
    res.writeHead(next?.status ?? 500, { 'content-type': 'application/json', ...next?.headers });
    res.end(JSON.stringify(next?.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  script.length = 0;
  received.length = 0;
});

const waits: string[] = [];
const sleep = async (_ms: number, reason: string) => {
  waits.push(reason);
};
const clients = () => ({
  circleci: createCircleCiApi(resolveCircleCiOptions({ token: SECRET, projects: ['gh/acme/api'], baseUrl: base, sleep })),
  opsgenie: createOpsgenieApi(resolveOpsgenieOptions({ apiKey: SECRET, baseUrl: base, sleep })),
  statuspage: createStatuspageApi(resolveStatuspageOptions({ token: SECRET, pageId: 'page7x2k', baseUrl: base, sleep })),
});
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the request to fail');
};
// The upstream echoes the credential, as some do in their error text.
const echo = { message: `bad credential ${SECRET}` };

describe('the JSON clients of CircleCI, Opsgenie and Statuspage', () => {
  it('retry a read after a 5xx and a rate limit, with the credential in the auth header', async () => {
    const api = clients();
    script.push(
      { status: 503, body: echo },
      { status: 429, body: {}, headers: { 'retry-after': '2' } },
      { status: 200, body: { items: [], next_page_token: null } },
    );
    expect(await api.circleci.workflows('p1')).toEqual([]);
    expect(received.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(received[0]?.headers['circle-token']).toBe(SECRET);

    received.length = 0;
    script.length = 0;
    script.push({ status: 502, body: echo }, { status: 200, body: { data: { id: 'a1', message: 'm' } } });
    expect((await api.opsgenie.alert('a1')).id).toBe('a1');
    expect(received).toHaveLength(2);
    expect(received[0]?.headers.authorization).toBe(`GenieKey ${SECRET}`);

    received.length = 0;
    script.length = 0;
    script.push({ status: 420, body: {} }, { status: 200, body: [{ id: 'c1', name: 'API', status: 'operational', page_id: 'page7x2k' }] });
    expect((await api.statuspage.components()).map((c) => c.id)).toEqual(['c1']);
    expect(received.map((r) => r.url)).toEqual(['/pages/page7x2k/components', '/pages/page7x2k/components']);
    expect(received[0]?.headers.authorization).toBe(`OAuth ${SECRET}`);
    expect(waits.some((w) => w.includes('Statuspage GET /pages/page7x2k/components: rate limited'))).toBe(true);
  });

  it('never send a write again after a 5xx, and say it may have taken effect', async () => {
    const api = clients();
    script.push({ status: 503, body: echo });
    const og = await failure(api.opsgenie.createAlert({ message: 'disk full' }));
    expect(received.map((r) => r.method)).toEqual(['POST']);
    expect(og.message).toContain('Opsgenie POST /v2/alerts failed with 503');
    expect(og.message).toContain('may or may not have taken effect');

    received.length = 0;
    const sp = await failure(api.statuspage.update('inc1', { status: 'resolved' }));
    expect(received.map((r) => r.method)).toEqual(['PATCH']);
    expect(sp.message).toContain('Statuspage PATCH /pages/page7x2k/incidents/inc1 failed with 503');
    expect(sp.message).toContain('may or may not have taken effect');
  });

  it('name the product, the request and the status with a hint, and mask the credential the upstream echoed', async () => {
    const api = clients();
    script.push({ status: 401, body: echo });
    const errors = [
      await failure(api.circleci.jobs('w1')),
      await failure(api.opsgenie.teams()),
      await failure(api.statuspage.incident('inc1')),
    ];
    expect(received).toHaveLength(3);
    expect(errors[0]?.message).toContain('CircleCI GET /api/v2/workflow/w1/job failed with 401');
    expect(errors[0]?.message).toContain('check connectors.circleci.token');
    expect(errors[1]?.message).toContain('Opsgenie GET /v2/teams?limit=100&offset=0 failed with 401');
    expect(errors[2]?.message).toContain('Statuspage GET /pages/page7x2k/incidents/inc1 failed with 401');
    for (const error of errors) {
      expect(error.message).toContain('bad credential');
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('fail at once, naming the host, when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    waits.length = 0;
    const api = createCircleCiApi(
      resolveCircleCiOptions({ token: SECRET, projects: ['gh/acme/api'], baseUrl: `http://127.0.0.1:${port}`, sleep }),
    );
    const error = await failure(api.jobs('w1'));
    expect(error.message).toContain(`no answer from 127.0.0.1:${port}`);
    expect(error.message).toContain('check connectors.circleci.baseUrl');
    expect(waits).toEqual([]);
  });
});
