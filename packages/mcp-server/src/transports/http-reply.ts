import type { ServerResponse } from 'node:http';

/** Answers a request the endpoint refuses or fails with a JSON-RPC error (`-32600` for a 400, else `-32000`). */
export function reply(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify({ jsonrpc: '2.0', error: { code: status === 400 ? -32600 : -32000, message }, id: null }));
}
