import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Logger, redactSecrets, silentLogger, type TeamState } from '@teamstate/core';

/** Largest request body accepted (webhook payloads are far smaller). */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Extra routes mounted by other packages (the MCP Streamable HTTP transport at `/mcp`). */
export type RouteHandler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<void>;

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The `teamstate serve` HTTP server: `GET /healthz`, `POST /webhooks/<path>` (signature checked over
 * the raw body by the connector, deduplicated and stored by core; interactions such as
 * `slack/interactivity` answered with the connector's answer, their work done after), and any mounted
 * routes (`/mcp`). Deliveries are answered 202 once stored (core processes them from its queue); an
 * unexpected failure is answered 500 and logged to `log`.
 */
export function createHttpServer(ts: TeamState, routes: Record<string, RouteHandler> = {}, log: Logger = silentLogger): Server {
  return createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === '/healthz' && request.method === 'GET') return send(response, 200, { ok: true, workspace: ts.workspace });
      const body = request.method === 'GET' || request.method === 'HEAD' ? Buffer.alloc(0) : await readBody(request);
      if (body === undefined) return send(response, 413, { ok: false, message: `request body larger than ${MAX_BODY_BYTES} bytes` });
      const mounted = routes[url.pathname];
      if (mounted) return await mounted(request, response, body);
      const webhook = /^\/webhooks\/([a-z0-9/_-]+)$/i.exec(url.pathname);
      if (webhook) {
        if (request.method !== 'POST') return send(response, 405, { ok: false, message: 'use POST' });
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]),
        );
        const result = await ts.webhooks.receive(webhook[1]!, { headers, rawBody: body });
        if (result.answer === undefined) return send(response, result.status, result.body);
        // Interactions: the provider's own answer (Slack wants an empty 200 for a click); core runs the rest after.
        if (result.answer === null) return void response.writeHead(result.status).end();
        return send(response, result.status, result.answer);
      }
      return send(response, 404, { ok: false, message: `no route for ${request.method} ${url.pathname}` });
    } catch (error) {
      // Details go to the server log (never the body or headers: they may carry secrets); the caller learns only that it failed.
      const delivery = request.headers['x-github-delivery'] ?? request.headers['x-atlassian-webhook-identifier'];
      log.error(
        `${request.method} ${url.pathname} failed${delivery ? ` (delivery ${String(delivery).slice(0, 100)})` : ''}: ${redactSecrets(error instanceof Error ? error.message : String(error))}`,
      );
      if (!response.headersSent) send(response, 500, { ok: false, message: 'internal error' });
    }
  });
}
