import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState, type TeamState } from '@teamstate/core';
import { serveStdio } from '@teamstate/mcp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StdioFrontOptions, serveStdioFront } from '../src/stdio-front.js';
import { toolManifest } from '../src/tools/tool-manifest.js';
import type { Toolset } from '../src/tools/toolsets.js';

let ts: TeamState;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date('2026-03-10T12:00:00Z') });
  await ts.import(demoBundle({ now: new Date('2026-03-10T12:00:00Z') }));
});
afterAll(async () => {
  await ts.close();
});

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const INITIALIZE = line({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});
const INITIALIZED = line({ jsonrpc: '2.0', method: 'notifications/initialized' });
const LIST = line({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
const CALL = line({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_people', arguments: { limit: 2 } } });

/** Every line written to `stream`, as written. */
function lines(stream: PassThrough): { all: string[]; next(count: number): Promise<string[]> } {
  const all: string[] = [];
  let buffer = '';
  let wake = () => {};
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      all.push(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
    wake();
  });
  return {
    all,
    next: (count) =>
      new Promise((resolve) => {
        const check = () => (all.length >= count ? resolve(all.slice(0, count)) : undefined);
        wake = check;
        check();
      }),
  };
}

/** What the whole server (serveStdio over `ts`) answers to `input`, line for line, until it has written `count` lines. */
async function wholeServer(input: string, count: number, options: { toolsets?: readonly Toolset[]; readOnly?: boolean } = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const out = lines(stdout);
  const server = await serveStdio(ts, { stdin, stdout, ...options });
  stdin.write(input);
  const answered = await out.next(count);
  stdin.end();
  await server.closed;
  return answered;
}

/** A front whose whole server is serveStdio over `ts`; `handedOver` counts the hand-overs. */
async function front(options: Partial<StdioFrontOptions> = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const out = lines(stdout);
  let handedOver = 0;
  let replayed = '';
  const running = await serveStdioFront({
    toolsets: ['delivery', 'actions', 'reports', 'knowledge', 'ai', 'incidents', 'plans'],
    readOnly: false,
    stdin,
    stdout,
    warmAfter: 60_000,
    ...options,
    async serveFully(input: Readable, output: Writable) {
      handedOver++;
      input.on('data', (chunk: Buffer) => {
        replayed += chunk.toString('utf8');
      });
      const server = await serveStdio(ts, { stdin: input, stdout: output, toolsets: options.toolsets, readOnly: options.readOnly });
      await server.closed;
      return 0;
    },
  });
  return {
    stdin,
    out,
    running,
    handedOver: () => handedOver,
    replayed: () => replayed,
  };
}

describe('the stdio front (teamstate mcp answers initialize and tools/list before core loads)', () => {
  it.each<{ toolsets?: readonly Toolset[]; readOnly?: boolean }>([
    {},
    { toolsets: ['delivery', 'actions'] },
    { readOnly: true },
    { toolsets: ['plans'], readOnly: true },
  ])('answers initialize and tools/list byte for byte as the whole server does (%o), without loading it', async (options) => {
    const expected = await wholeServer(INITIALIZE + INITIALIZED + LIST, 2, options);
    const started = await front({
      toolsets: options.toolsets ?? ['delivery', 'actions', 'reports', 'knowledge', 'ai', 'incidents', 'plans'],
      readOnly: options.readOnly ?? false,
    });
    started.stdin.write(INITIALIZE + INITIALIZED + LIST);
    expect(await started.out.next(2)).toEqual(expected);
    started.stdin.end();
    expect(await started.running.done).toBe(0);
    expect(started.handedOver()).toBe(0);
  });

  it('hands the connection over on the first other request: every byte replayed, one answer to each request', async () => {
    const started = await front();
    started.stdin.write(INITIALIZE + INITIALIZED + LIST);
    await started.out.next(2);
    started.stdin.write(CALL);
    const [initialize, list, call] = await started.out.next(3);
    expect(started.handedOver()).toBe(1);
    expect(started.replayed()).toBe(INITIALIZE + INITIALIZED + LIST + CALL);
    expect(JSON.parse(initialize!)).toMatchObject({ id: 1, result: { serverInfo: { name: 'teamstate' } } });
    expect(JSON.parse(list!)).toMatchObject({ id: 2, result: { tools: expect.any(Array) } });
    const people = JSON.parse(call!) as { id: number; result: { structuredContent: { items: unknown[] } } };
    expect(people.id).toBe(3);
    expect(people.result.structuredContent.items).toHaveLength(2);
    // After the hand-over, tools/list is the whole server's, and the same.
    started.stdin.write(line({ jsonrpc: '2.0', id: 4, method: 'tools/list' }));
    const [, , , again] = await started.out.next(4);
    expect(JSON.parse(again!)).toEqual({ ...JSON.parse(list!), id: 4 });
    started.stdin.end();
    expect(await started.running.done).toBe(0);
    expect(started.out.all.map((text) => (JSON.parse(text) as { id: number }).id)).toEqual([1, 2, 3, 4]);
  });

  it('answers a request it had not answered yet when the hand-over came from the whole server, once', async () => {
    const started = await front();
    // Both in one chunk: the front's answer to initialize may not be out when tools/call hands over.
    started.stdin.write(INITIALIZE + INITIALIZED + CALL);
    const answers = await started.out.next(2);
    started.stdin.end();
    await started.running.done;
    expect(started.out.all.map((text) => (JSON.parse(text) as { id: number }).id).sort()).toEqual([1, 3]);
    expect(JSON.parse(answers.find((text) => text.includes('"id":3'))!)).toMatchObject({ result: { structuredContent: {} } });
  });

  it('gives the whole server what it does not understand, which answers as it always did', async () => {
    const garbage = 'this is not JSON\n';
    const expected = await wholeServer(INITIALIZE + garbage + LIST, 2);
    const started = await front();
    started.stdin.write(INITIALIZE + garbage + LIST);
    const answers = await started.out.next(2);
    expect(started.handedOver()).toBe(1);
    expect(answers.map((text) => JSON.parse(text))).toEqual(expected.map((text) => JSON.parse(text)));
    started.stdin.end();
    await started.running.done;
  });

  it('loads the whole server after a quiet spell, so the store opens and approvals are watched without a call', async () => {
    const started = await front({ warmAfter: 10 });
    started.stdin.write(INITIALIZE + INITIALIZED + LIST);
    await started.out.next(2);
    await expect.poll(() => started.handedOver()).toBe(1);
    started.stdin.write(CALL);
    const [, , call] = await started.out.next(3);
    expect(JSON.parse(call!)).toMatchObject({ id: 3, result: { structuredContent: {} } });
    started.stdin.end();
    expect(await started.running.done).toBe(0);
  });

  it('stops at once on close() before any hand-over', async () => {
    const started = await front();
    started.stdin.write(INITIALIZE);
    await started.out.next(1);
    await started.running.close();
    expect(await started.running.done).toBe(0);
    expect(started.handedOver()).toBe(0);
  });

  it('lists what the build wrote to dist/tool-manifest.json, the tools as the server lists them without connector actions', () => {
    const built = JSON.parse(readFileSync(new URL('../dist/tool-manifest.json', import.meta.url), 'utf8')) as unknown;
    expect(built).toEqual(toolManifest());
  });
});
