import { createMcpHttpHandler, type McpHttpHandler } from '@teamstate/mcp-server';
import { builtinMetrics } from '@teamstate/metrics';
import { describe, expect, it } from 'vitest';
import { warmMcpHttp } from '../src/server/warm-mcp-http.js';

// A remote MCP server runs its first requests' code once before it accepts a connection. The warm-up is worth
// something only if its requests are answered as real clients' are: a request the handler refuses (a header of the
// stateless protocol missing) compiles the refusal, not the tool call.
describe('warming the remote MCP server', () => {
  it('answers a session of each protocol and a get_metrics call in each, on a store of its own', async () => {
    const seen: { method: string; protocol: string; status: number; tool?: string }[] = [];
    const stores: string[] = [];
    await warmMcpHttp({
      metrics: builtinMetrics,
      createMcpHttpHandler: (teamState, options): McpHttpHandler => {
        stores.push(teamState.store.url);
        const handler = createMcpHttpHandler(teamState, options);
        return {
          ...handler,
          access: handler.access,
          route: handler.route,
          close: () => handler.close(),
          async handle(request, response, body) {
            const chunks: Buffer[] = [];
            for await (const chunk of request) chunks.push(chunk as Buffer);
            const raw = Buffer.concat(chunks);
            const message = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as { method?: string; params?: { name?: string } }) : {};
            response.once('finish', () =>
              seen.push({
                method: message.method ?? request.method ?? '',
                protocol: String(request.headers['mcp-protocol-version']),
                status: response.statusCode,
                ...(message.params?.name ? { tool: message.params.name } : {}),
              }),
            );
            await handler.handle(request, response, body ?? raw);
          },
        };
      },
    });
    // Never the real database: a store in memory, made for the warm-up.
    expect(stores).toEqual([expect.stringMatching(/memory/)]);
    const calls = seen.filter(({ method }) => method === 'tools/call');
    expect(
      calls.map(({ protocol, status, tool }) => ({ protocol, status, tool })).sort((a, b) => a.protocol.localeCompare(b.protocol)),
    ).toEqual([
      { protocol: '2025-11-25', status: 200, tool: 'get_metrics' },
      { protocol: '2026-07-28', status: 200, tool: 'get_metrics' },
    ]);
    expect(seen.find(({ method }) => method === 'initialize')?.status).toBe(200);
    expect(seen.every(({ status }) => status < 400)).toBe(true);
  });
});
