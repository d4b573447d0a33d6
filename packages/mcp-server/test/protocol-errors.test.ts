import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { createTeamState, type TeamState } from '@teamstate/core';
import { createMcpServer } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let ts: TeamState;
let client: Client;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:' });
  await ts.import({ format: 'teamstate.bundle/v1', teams: [{ id: 'payments', name: 'Payments' }] });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await createMcpServer(ts).connect(serverTransport);
  client = new Client({ name: 'protocol-errors', version: '1' });
  await client.connect(clientTransport);
});
afterAll(async () => {
  await client.close();
  await ts.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('expected a protocol error'),
    (error: Error) => error,
  );

describe('protocol errors (issue 17)', () => {
  it('carry the MCP error prefix once', async () => {
    const messages = [
      (await failure(client.getPrompt({ name: 'nope' }))).message,
      (await failure(client.getPrompt({ name: 'standup', arguments: { team: 'paymnets' } }))).message,
      (await failure(client.readResource({ uri: 'teamstate://teams/paymnets' }))).message,
    ];
    expect(messages[0]).toBe('MCP error -32602: Prompt nope not found');
    expect(messages[1]).toMatch(/^MCP error -32602: team: unknown team "paymnets"/);
    expect(messages[2]).toMatch(/^MCP error -32602: uri: unknown team "paymnets"/);
  });

  it.each([
    ['an array', [1, 2], 'an array'],
    ['a string', 'payments', 'a string'],
    ['a number', 5, 'a number'],
  ])('refuse tool arguments that are %s in one line, not a zod dump', async (_, args, what) => {
    const error = await failure(
      client.request({ method: 'tools/call', params: { name: 'team_overview', arguments: args as never } }, CallToolResultSchema),
    );
    expect(error.message).toBe(
      `MCP error -32602: arguments: expected an object of the tool's arguments (e.g. {"team":"payments"}, or {}), got ${what}`,
    );
  });
});
