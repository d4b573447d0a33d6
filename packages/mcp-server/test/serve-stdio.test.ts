import { PassThrough } from 'node:stream';
import { createTeamState, type TeamState } from '@teamstate/core';
import { serveStdio } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:' });
});
afterAll(async () => {
  await ts.close();
});

/** Reads newline-delimited JSON-RPC messages written to a stream. */
function messages(stream: PassThrough): () => Promise<Record<string, unknown>> {
  let buffer = '';
  const queue: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const message = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
      buffer = buffer.slice(newline + 1);
      const next = waiting.shift();
      if (next) next(message);
      else queue.push(message);
    }
  });
  return () => new Promise((resolve) => (queue.length > 0 ? resolve(queue.shift()!) : waiting.push(resolve)));
}

describe('serveStdio', () => {
  it('speaks JSON-RPC lines on the given streams and closes when stdin ends', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const next = messages(stdout);
    const server = await serveStdio(ts, { stdin, stdout });
    const send = (message: unknown) => stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    expect(await next()).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'teamstate' }, instructions: expect.stringContaining('data') },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_people', arguments: { limit: 500 } } });
    expect(await next()).toMatchObject({
      id: 2,
      result: { isError: true, content: [{ type: 'text', text: 'limit: expected a whole number from 1 to 100, got 500' }] },
    });
    stdin.end();
    await server.closed;
  });
});
