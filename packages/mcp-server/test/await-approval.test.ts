import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type CallToolResult, CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { createTeamState, type TeamState, type WaitOptions } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeBundle, actionsConnector, type Execution, POLICY } from './fixtures/acme.js';
import { call, connect } from './fixtures/connect.js';

// Two facades on one database file: the MCP server's (which has the connector, so it executes) and a
// person's (the CLI's), which decides. That is the cross-process situation, in one process.
let dir: string;
let server: TeamState;
let person: TeamState;
let client: Client;
let close: () => Promise<void>;
const executions: Execution[] = [];
const waits: AbortSignal[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teamstate-mcp-await-'));
  const database = `file:${join(dir, 'teamstate.db')}`;
  server = await createTeamState({
    database,
    connectors: [actionsConnector(executions)],
    policy: POLICY,
    approvals: { pollIntervalMs: 50 },
  });
  await server.import(acmeBundle());
  person = await createTeamState({ database, policy: POLICY });
  // Records the signal of every wait, to check a cancelled call stops waiting.
  const watched: TeamState = {
    ...server,
    approvals: {
      ...server.approvals,
      wait: (id: string, options?: WaitOptions) => {
        if (options?.signal) waits.push(options.signal);
        return server.approvals.wait(id, options);
      },
    },
  };
  ({ client, close } = await connect(watched));
});
afterAll(async () => {
  await close();
  await server.close();
  await person.close();
  rmSync(dir, { recursive: true, force: true });
});

async function proposeMerge(number: number): Promise<string> {
  const approval = await call<{ id: string; status: string }>(client, 'propose_action', {
    type: 'test.pr.merge',
    target: `acme/api#${number}`,
    params: { repository: 'acme/api', number },
    reason: 'CI green',
  });
  expect(approval.status).toBe('pending');
  return approval.id;
}

describe('await_approval', () => {
  it('returns executed once a person approves elsewhere: the waiting server runs the action', async () => {
    const id = await proposeMerge(2);
    const waiting = call<{ status: string; timedOut: boolean; decidedBy: string; result: unknown }>(client, 'await_approval', {
      id,
      timeoutSeconds: 30,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await person.approvals.decide(id, { decision: 'approve', by: 'ana', reason: 'checked' });
    const result = await waiting;
    expect(result).toMatchObject({ status: 'executed', timedOut: false, decidedBy: 'ana', result: { done: true } });
    expect(executions.filter((e) => e.approvalId === id)).toHaveLength(1);
  });

  it('returns declined when a person declines', async () => {
    const id = await proposeMerge(3);
    const waiting = call<{ status: string; decisionReason: string; next: string }>(client, 'await_approval', { id, timeoutSeconds: 30 });
    await person.approvals.decide(id, { decision: 'decline', by: 'ana', reason: 'not this week' });
    expect(await waiting).toMatchObject({ status: 'declined', decisionReason: 'not this week' });
    expect(executions.filter((e) => e.approvalId === id)).toEqual([]);
  });

  it('sends progress notifications while waiting when the client gives a progress token', async () => {
    const id = await proposeMerge(4);
    const progress: Progress[] = [];
    const result = (await client.callTool({ name: 'await_approval', arguments: { id, timeoutSeconds: 3 } }, CallToolResultSchema, {
      onprogress: (update) => progress.push(update),
    })) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ status: 'pending', timedOut: true });
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatchObject({ total: 3, message: expect.stringContaining(`${id} is pending`) });
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.progress).toBeGreaterThan(progress[i - 1]!.progress);
  });

  it('stops waiting when the client cancels, and keeps serving', async () => {
    const id = await proposeMerge(5);
    const controller = new AbortController();
    const before = waits.length;
    const cancelled = client.callTool({ name: 'await_approval', arguments: { id, timeoutSeconds: 50 } }, CallToolResultSchema, {
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort('the user moved on');
    await expect(cancelled).rejects.toThrow();
    await expect.poll(() => waits.slice(before).every((signal) => signal.aborted) && waits.length > before).toBe(true);
    // The approval is untouched and the server answers the next call.
    expect(await call(client, 'get_approval', { id })).toMatchObject({ status: 'pending' });
  });
});
