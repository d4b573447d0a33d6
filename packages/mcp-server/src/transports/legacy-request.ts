import type { IncomingMessage } from 'node:http';
import { classifyInboundRequest } from '@modelcontextprotocol/server';

/** A header of a node:http request as a web request's `headers.get()` gives it: repeated values joined by ", ". */
function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Whether a POST with a JSON body is 2025-era traffic (served by a session's transport) rather than 2026-07-28 (served
 * per request): the SDK's own classifier, given what its `isLegacyRequest` hands it after building a web request from
 * this one (the method, the parsed body and the three MCP headers). Building that web request and classifying it cost
 * the event loop about as much as the rest of a 2026-07-28 call answered from the last result.
 */
export function isLegacyPost(request: IncomingMessage, body: unknown): boolean {
  return (
    classifyInboundRequest({
      httpMethod: 'POST',
      protocolVersionHeader: headerOf(request, 'mcp-protocol-version'),
      mcpMethodHeader: headerOf(request, 'mcp-method'),
      mcpNameHeader: headerOf(request, 'mcp-name'),
      body,
    }).kind === 'legacy'
  );
}
