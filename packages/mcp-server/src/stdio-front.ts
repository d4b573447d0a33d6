// `@teamstate/mcp-server/stdio-front`: answers `initialize` and `tools/list` over stdio before core loads. Imports
// neither core nor the tools: a client that spawns `teamstate mcp` to list its tools waits for the SDK, not for them.
import { readFileSync } from 'node:fs';
import { PassThrough, type Readable, Writable } from 'node:stream';
import { type JSONRPCMessage, McpServer, type Transport } from '@modelcontextprotocol/server';
import { type StdioServerHandle, serveStdio as serveSdkStdio } from '@modelcontextprotocol/server/stdio';
import { instructions } from './instructions.js';
import type { StdioFrontManifest } from './tools/manifest-shape.js';
import type { Toolset } from './tools/toolset-names.js';

export type { StdioFrontManifest } from './tools/manifest-shape.js';
export { DEFAULT_TOOLSETS, TOOLSETS, type Toolset } from './tools/toolset-names.js';

import { refuseNonObjectArguments, sendPlainErrors } from './transports/plain-protocol-errors.js';
import { VERSION } from './version.js';

/** Options of {@link serveStdioFront}. */
export interface StdioFrontOptions {
  /** The toolsets offered (checked by the caller). */
  readonly toolsets: readonly Toolset[];
  readonly readOnly: boolean;
  /**
   * Serves the whole server (`serveStdio` over an opened `TeamState`) on these streams: `stdin` replays every byte the
   * client sent so far, then carries the rest; answers to what the front answered already are dropped from `stdout`.
   * Resolves with the exit code once that server stops.
   */
  serveFully(stdin: Readable, stdout: Writable): Promise<number>;
  /** Default `process.stdin`. */
  readonly stdin?: Readable;
  /** Default `process.stdout`: JSON-RPC messages only. */
  readonly stdout?: Writable;
  /** The manifest (default: dist/tool-manifest.json written by the build, else computed from the tools). */
  readonly manifest?: StdioFrontManifest;
  /**
   * Quiet time in ms after the front's last answer before the whole server loads anyway (it opens the store, watches
   * approvals and reports a database it cannot open), default 300.
   */
  readonly warmAfter?: number;
}

/** A running front. */
export interface StdioFront {
  /** The exit code: 0 when the client left before anything but `initialize` and `tools/list`, else the whole server's. */
  readonly done: Promise<number>;
  /** Stops: the front at once, or the whole server (as SIGTERM does) once it has loaded. */
  close(): Promise<void>;
}

/** What the front answers itself; anything else loads the whole server. */
const ANSWERED = new Set(['initialize', 'notifications/initialized', 'tools/list', 'ping']);

/** A line longer than this (no newline yet) goes to the whole server, which applies the SDK's limit. */
const LONGEST_LINE = 1 << 20;

async function loadManifest(): Promise<StdioFrontManifest> {
  try {
    return JSON.parse(readFileSync(new URL('./tool-manifest.json', import.meta.url), 'utf8')) as StdioFrontManifest;
  } catch {
    // Running from the sources (tests): the same list, computed from the tools.
    const { toolManifest } = await import('./tools/tool-manifest.js');
    return toolManifest();
  }
}

/** A JSON-RPC request or notification the front answers, or undefined. */
function answerable(line: string): JSONRPCMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return undefined;
  const { jsonrpc, method, id, params } = message as Record<string, unknown>;
  if (jsonrpc !== '2.0' || typeof method !== 'string' || !ANSWERED.has(method)) return undefined;
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return undefined;
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) return undefined;
  return message as JSONRPCMessage;
}

const idKey = (id: unknown) => JSON.stringify(id);

/** What the front has taken and answered, and where the connection stands. */
interface FrontState {
  /** Lines the front took, as received: the whole server reads them first. */
  received: string[];
  /** Requests the front answered: the whole server's answers to them are dropped. */
  answered: Set<string>;
  /** What was received after the last line the front took. */
  pending: string;
  /** Once the whole server has the connection: the stream it reads. */
  handedOver: { input: Writable } | undefined;
  stopped: boolean;
  inputEnded: boolean;
  warmTimer: NodeJS.Timeout | undefined;
}

/** A running front: its streams, its state, the light server and the listeners it put on `stdin`. */
interface Front {
  options: StdioFrontOptions;
  stdin: Readable;
  stdout: Writable;
  state: FrontState;
  light: StdioServerHandle;
  wire: Transport;
  settle(code: number): void;
  onData(chunk: Buffer | string): void;
  onEnd(): void;
}

/** The manifest's tools of the toolsets `options` select (only the read-only ones when `readOnly`). */
function listedTools(manifest: StdioFrontManifest, options: StdioFrontOptions): StdioFrontManifest['tools'][number]['tool'][] {
  return manifest.tools
    .filter(({ toolset, tool }) => options.toolsets.includes(toolset) && (!options.readOnly || tool.annotations?.readOnlyHint === true))
    .map(({ tool }) => tool);
}

/** The light server's transport: the front writes its answers to `stdout` until the hand-over, noting which it answered. */
function frontWire(state: FrontState, stdout: Writable): Transport {
  const wire: Transport = {
    start: async () => {},
    send: async (message) => {
      // From the hand-over on, the whole server answers what the front had not answered yet.
      if (state.stopped || state.handedOver) return;
      if ('id' in message && !('method' in message)) state.answered.add(idKey(message.id));
      stdout.write(`${JSON.stringify(message)}\n`);
    },
    close: async () => {
      wire.onclose?.();
    },
  };
  return wire;
}

/** A server with no store that answers `initialize` and lists `listed`, declaring what the whole server declares. */
function lightServer(listed: StdioFrontManifest['tools'][number]['tool'][]): McpServer {
  const server = new McpServer(
    { name: 'teamstate', title: 'teamstate', version: VERSION },
    { instructions: instructions(new Set(listed.map((tool) => tool.name))), capabilities: { resources: {}, prompts: {} } },
  );
  // As the whole server declares them: its prompts and resource templates complete arguments.
  server.server.registerCapabilities({ tools: { listChanged: false } });
  server.server.registerCapabilities({ completions: {} });
  server.server.setRequestHandler('tools/list', () => ({ tools: listed }));
  const connect = server.connect.bind(server);
  server.connect = async (transport) => {
    await connect(sendPlainErrors(transport));
    refuseNonObjectArguments(transport);
  };
  return server;
}

/**
 * Serves stdio in two steps. First a server with no store answers `initialize` and `tools/list` (the tools of the manifest
 * the options select, byte for byte what the whole server lists where no connector contributes an action). The first
 * other message, or {@link StdioFrontOptions.warmAfter} ms of quiet, hands the connection to the whole server: it gets
 * every byte received so far, then the rest, and its answers to requests the front answered are dropped, so the client
 * sees one answer to each request, as from one server.
 *
 * @example
 * const front = await serveStdioFront({ toolsets: TOOLSETS, readOnly: false, serveFully: (stdin, stdout) => serve(stdin, stdout) })
 * process.exitCode = await front.done
 */
export async function serveStdioFront(options: StdioFrontOptions): Promise<StdioFront> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const manifest = options.manifest ?? (await loadManifest());
  const listed = listedTools(manifest, options);
  let settle = (_code: number) => {};
  const done = new Promise<number>((resolve) => {
    settle = resolve;
  });
  const state: FrontState = {
    received: [],
    answered: new Set(),
    pending: '',
    handedOver: undefined,
    stopped: false,
    inputEnded: false,
    warmTimer: undefined,
  };
  const wire = frontWire(state, stdout);
  const light = serveSdkStdio(() => lightServer(listed), { transport: wire });
  const front: Front = {
    options,
    stdin,
    stdout,
    state,
    light,
    wire,
    settle,
    onData: (chunk) => takeData(front, chunk),
    onEnd: () => takeEnd(front),
  };
  stdin.on('data', front.onData);
  stdin.on('end', front.onEnd);
  stdin.on('close', front.onEnd);
  stdin.resume();
  return { done, close: () => closeFront(front) };
}

function detach(front: Front): void {
  const { stdin } = front;
  clearTimeout(front.state.warmTimer);
  stdin.off('data', front.onData);
  stdin.off('end', front.onEnd);
  stdin.off('close', front.onEnd);
  // Nothing reads it any more: it must not keep the process alive (a whole server that could not start, a close()).
  stdin.pause();
}

/** Hands the connection to the whole server, `rest` being bytes received after the lines the front took. */
function handOver(front: Front, rest: string): void {
  const { state } = front;
  if (state.handedOver || state.stopped) return;
  clearTimeout(state.warmTimer);
  const input = new PassThrough();
  const output = withoutRepeatedAnswers(state.answered, front.stdout);
  state.handedOver = { input };
  void front.light.close();
  for (const line of state.received) input.write(`${line}\n`);
  if (rest !== '') input.write(rest);
  front.options.serveFully(input, output).then(
    (code) => {
      detach(front);
      front.settle(code);
    },
    () => {
      detach(front);
      front.settle(1);
    },
  );
}

/** The whole server's output: its lines to `stdout`, but for its answers to requests the front `answered`. */
function withoutRepeatedAnswers(answered: Set<string>, stdout: Writable): Writable {
  let out = '';
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      out += chunk.toString();
      let newline = out.indexOf('\n');
      while (newline >= 0) {
        const line = out.slice(0, newline);
        out = out.slice(newline + 1);
        if (!isRepeatedAnswer(answered, line)) stdout.write(`${line}\n`);
        newline = out.indexOf('\n');
      }
      callback();
    },
  });
}

function isRepeatedAnswer(answered: Set<string>, line: string): boolean {
  try {
    const message = JSON.parse(line) as { id?: unknown; method?: unknown };
    if (message.method !== undefined || message.id === undefined || !answered.has(idKey(message.id))) return false;
    answered.delete(idKey(message.id));
    return true;
  } catch {
    return false;
  }
}

/** Takes the lines the front answers; hands over at the first other, a line too long, or a quiet time. */
function takeData(front: Front, chunk: Buffer | string): void {
  const { state } = front;
  if (state.handedOver) return void state.handedOver.input.write(chunk);
  state.pending += chunk.toString();
  let newline = state.pending.indexOf('\n');
  while (newline >= 0 && !state.handedOver) {
    const line = state.pending.slice(0, newline).replace(/\r$/, '');
    const message = answerable(line);
    if (!message) return void handOver(front, state.pending);
    state.pending = state.pending.slice(newline + 1);
    state.received.push(line);
    front.wire.onmessage?.(message);
    newline = state.pending.indexOf('\n');
  }
  if (state.pending.length > LONGEST_LINE) return void handOver(front, state.pending);
  clearTimeout(state.warmTimer);
  state.warmTimer = setTimeout(() => handOver(front, state.pending), front.options.warmAfter ?? 300);
  state.warmTimer.unref();
}

function takeEnd(front: Front): void {
  const { state } = front;
  if (state.handedOver) return void endInput(state);
  // What the client sent last without a newline is no message: the whole server reports it, as it would have.
  if (state.pending.trim() !== '') {
    handOver(front, state.pending);
    return void endInput(state);
  }
  detach(front);
  state.stopped = true;
  void front.light.close().finally(() => front.settle(0));
}

function endInput(state: FrontState): void {
  if (!state.handedOver || state.inputEnded) return;
  state.inputEnded = true;
  state.handedOver.input.end();
}

async function closeFront(front: Front): Promise<void> {
  // The whole server stops as it does when the client leaves.
  if (front.state.handedOver) return void endInput(front.state);
  detach(front);
  front.state.stopped = true;
  await front.light.close();
  front.settle(0);
}
