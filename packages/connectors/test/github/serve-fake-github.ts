// Serves a fake GitHub over node:http on 127.0.0.1 (for subprocesses and the benchmark, which msw
// cannot reach). The base URL works as a GitHub Enterprise Server base (`/api/v3`, `/api/graphql`).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGitHub } from './fake-github.js';

/** A running fake GitHub server. */
export interface FakeGitHubServer {
  /** `http://127.0.0.1:<port>`: pass it as `baseUrl`. */
  url: string;
  /** Milliseconds spent answering requests (to tell the client's time from the fake's). */
  readonly busyMs: number;
  close(): Promise<void>;
}

/** Starts serving `current()` (re-read per request, so tests can swap fakes). */
export async function serveFakeGitHub(current: () => FakeGitHub): Promise<FakeGitHubServer> {
  let busyMs = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    const started = performance.now();
    try {
      const answer = await current().handle({
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (answer.dropped) {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      response.end(answer.body === undefined || answer.status === 304 ? undefined : JSON.stringify(answer.body));
    } catch (error) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: (error as Error).message }));
    } finally {
      busyMs += performance.now() - started;
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get busyMs() {
      return busyMs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
