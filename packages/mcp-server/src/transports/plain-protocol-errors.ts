import type { Transport } from '@modelcontextprotocol/server';
import { type JSONRPCMessage, ProtocolErrorCode } from '@modelcontextprotocol/server';

const PREFIX = /^MCP error -?\d+: /;

const describe = (value: unknown) =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'string' ? 'a string' : `a ${typeof value}`;

/**
 * Makes a transport's protocol errors read well in clients:
 * - the SDK's `ProtocolError` puts "MCP error <code>: " in its message, and the client's adds it again; the
 *   server sends the message without it, so a client shows the prefix once;
 * - a `tools/call` whose `arguments` is not an object (an array, a string, …) is refused in one line
 *   naming the field, instead of the SDK's internal error with a zod dump.
 * Call it before the server connects (it wraps `send`), then {@link refuseNonObjectArguments} after (it
 * wraps the `onmessage` the server set).
 */
export function sendPlainErrors<T extends Transport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    if ('error' in message && typeof message.error?.message === 'string' && PREFIX.test(message.error.message))
      return send({ ...message, error: { ...message.error, message: message.error.message.replace(PREFIX, '') } }, options);
    return send(message, options);
  };
  return transport;
}

/** See {@link sendPlainErrors}: answers a `tools/call` with non-object `arguments` itself. */
export function refuseNonObjectArguments(transport: Transport): void {
  const onmessage = transport.onmessage;
  if (!onmessage) return;
  transport.onmessage = (message: JSONRPCMessage, extra) => {
    if ('method' in message && message.method === 'tools/call' && 'id' in message) {
      const args = (message.params as { arguments?: unknown } | undefined)?.arguments;
      if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
        void transport.send({
          jsonrpc: '2.0',
          id: message.id,
          error: {
            code: ProtocolErrorCode.InvalidParams,
            message: `arguments: expected an object of the tool's arguments (e.g. {"team":"payments"}, or {}), got ${describe(args)}`,
          },
        });
        return;
      }
    }
    onmessage(message, extra);
  };
}
