import type { IncomingMessage } from 'node:http';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { isLegacyPost } from '../src/transports/legacy-request.js';

const MODERN = '2026-07-28';
const meta = { 'io.modelcontextprotocol/protocolVersion': MODERN };

/** A POST as node:http hands it over (lower-cased header names) and the same as a web request. */
function post(headers: Record<string, string | string[]>, body: unknown) {
  // node:http joins a repeated header other than set-cookie into one value, as a web request's headers.get() does.
  const joined = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]),
  );
  const node = { method: 'POST', headers: joined } as unknown as IncomingMessage;
  const web = new Request('http://127.0.0.1/mcp', {
    method: 'POST',
    headers: Object.entries(headers).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((v) => [name, v] as [string, string]),
    ),
    body: JSON.stringify(body),
  });
  return { node, web };
}

describe('isLegacyPost', () => {
  it('routes every POST as the SDK’s isLegacyRequest does, without building a web request', async () => {
    const cases: [string, Record<string, string | string[]>, unknown][] = [
      [
        '2025 initialize',
        {},
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
        },
      ],
      [
        '2025 tools/call without a claim',
        { 'mcp-protocol-version': '2025-11-25' },
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_metrics' } },
      ],
      ['2025 notification', {}, { jsonrpc: '2.0', method: 'notifications/initialized' }],
      ['a response posted', {}, { jsonrpc: '2.0', id: 3, result: {} }],
      ['a legacy batch', {}, [{ jsonrpc: '2.0', method: 'notifications/initialized' }]],
      [
        '2026 tools/call with its envelope and headers',
        { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'get_metrics' },
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'get_metrics', arguments: {}, _meta: meta } },
      ],
      ['2026 tools/list, envelope only', {}, { jsonrpc: '2.0', id: 5, method: 'tools/list', params: { _meta: meta } }],
      [
        '2026 envelope whose headers disagree',
        { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
        { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'x', _meta: meta } },
      ],
      ['a modern header without an envelope', { 'mcp-protocol-version': MODERN }, { jsonrpc: '2.0', id: 7, method: 'tools/list' }],
      [
        'a header given twice',
        { 'mcp-protocol-version': [MODERN, MODERN] },
        { jsonrpc: '2.0', id: 8, method: 'tools/list', params: { _meta: meta } },
      ],
      ['server/discover without a claim', {}, { jsonrpc: '2.0', id: 9, method: 'server/discover' }],
      ['not JSON-RPC', {}, { hello: 'world' }],
    ];
    const seen = new Set<boolean>();
    for (const [name, headers, body] of cases) {
      const { node, web } = post(headers, body);
      const expected = await isLegacyRequest(web, body);
      expect(isLegacyPost(node, body), name).toBe(expected);
      seen.add(expected);
    }
    // Both routes are exercised.
    expect([...seen].sort()).toEqual([false, true]);
  });
});
