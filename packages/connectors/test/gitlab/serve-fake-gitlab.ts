// Serves a fake GitLab over node:http on 127.0.0.1 (for the benchmark's child process, which msw cannot reach).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeGitLab } from './fake-gitlab.js';

/** A running fake GitLab: `url` is the instance to pass as `baseUrl`. */
export interface FakeGitLabServer {
  url: string;
  /** Milliseconds spent answering requests (to tell the client's time from the fake's). */
  readonly busyMs: number;
  close(): Promise<void>;
}

export async function serveFakeGitLab(current: () => FakeGitLab): Promise<FakeGitLabServer> {
  let busyMs = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const started = performance.now();
    try {
      const headers = new Headers();
      for (const [key, value] of Object.entries(request.headers))
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(',') : value);
      const body = Buffer.concat(chunks);
      const answer = await current().handle(
        new Request(`http://${request.headers.host ?? '127.0.0.1'}${request.url ?? '/'}`, {
          method: request.method ?? 'GET',
          headers,
          ...(body.length > 0 ? { body } : {}),
        }),
      );
      const text = await answer.text();
      response.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
      response.end(text);
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
