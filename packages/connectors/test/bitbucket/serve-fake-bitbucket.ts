// Serves a fake Bitbucket over node:http on 127.0.0.1, for `teamstate` subprocesses (which msw cannot reach): the base
// URL works as the connector's `baseUrl` (a bare host gets `/2.0`, the path the fake answers under).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeBitbucket } from './fake-bitbucket.js';

/** A running fake Bitbucket server. */
export interface FakeBitbucketServer {
  /** `http://127.0.0.1:<port>`: pass it as `baseUrl`. */
  url: string;
  close(): Promise<void>;
}

/** Starts serving `current()` (re-read per request, so tests can swap fakes). */
export async function serveFakeBitbucket(current: () => FakeBitbucket): Promise<FakeBitbucketServer> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(name, String(value));
    const method = request.method ?? 'GET';
    const url = `http://127.0.0.1${request.url ?? '/'}`;
    const answer = current().handle(
      new Request(url, { method, headers, ...(text && method !== 'GET' ? { body: text } : {}) }),
      text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
