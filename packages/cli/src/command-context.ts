import type { Readable, Writable } from 'node:stream';
import type { MetricCalculator } from '@teamstate/core';
import type { Command } from 'commander';
import type { GlobalOptions, Io } from './runtime.js';

/** What a command module gets when it registers itself. */
export interface CommandContext {
  io: Io;
  /** Metric calculators the commands offer (the built-in ones unless the embedding app passes its own). */
  metrics: readonly MetricCalculator[];
  /** The streams `mcp` serves stdio on when its quick start (src/mcp-front.ts) hands the connection over; else the process's. */
  mcpStdio?: McpStdio;
  /** Wraps an action: reads global flags, turns errors into messages and exit codes. */
  action<A extends unknown[]>(
    fn: (globals: GlobalOptions, ...args: A) => Promise<number | undefined>,
  ): (...args: unknown[]) => Promise<void>;
}

/** A command module: adds its command(s) to the program. */
export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/** Where `teamstate mcp` serves stdio after its quick start answered `initialize` and `tools/list` (src/mcp-front.ts). */
export interface McpStdio {
  /** Every byte the client sent, from the first, then the rest. */
  stdin: Readable;
  /** JSON-RPC messages only; the quick start drops the answers it gave already. */
  stdout: Writable;
}
