import { errorFields, type MetricCalculator, redactSecrets, TeamStateError } from '@teamstate/core';
import { builtinMetrics } from '@teamstate/metrics';
import { Command, CommanderError } from 'commander';
import type { CommandContext, McpStdio } from './command-context.js';
import { commands } from './commands/index.js';
import { secretValues } from './config/load-config.js';
import { ExitCode, UsageError } from './errors.js';
import { type GlobalOptions, type Io, terminalJson } from './runtime.js';
import { asTyped, selfName, setSelfName } from './self-command.js';
import { setTableWidth } from './table.js';
import { VERSION } from './version.js';

const processIo = (): Io => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
});

/** What an app embedding the CLI can add. */
export interface CliOptions {
  /** Metric calculators (default `builtinMetrics`); pass `[...builtinMetrics, myMetric]` to offer your own. */
  metrics?: readonly MetricCalculator[];
  /** @internal `teamstate mcp`'s quick start hands its stdio connection over on these (src/mcp-front.ts). */
  mcpStdio?: McpStdio;
}

/** Builds the `teamstate` program. */
export function createProgram(io: Io, onExit: (code: number) => void, options: CliOptions = {}, json = false): Command {
  // The commands the CLI suggests (in errors and help) are written as the person runs it where they are.
  const typed = (text: string) =>
    asTyped(
      text,
      program.commands.map((command) => command.name()),
    );
  const writeOut = (text: string) => io.stdout(typed(text));
  // With --json a usage error is the JSON document on stdout alone (main prints it), not also commander's lines.
  const writeErr = (text: string) => {
    if (!json) io.stderr(text);
  };
  const program: Command = new Command(selfName())
    .description("Your engineering team's state (people, work, delivery, signals, metrics) for AI assistants and apps.")
    .version(VERSION, '-v, --version')
    .option('--db <url>', 'database: file path, file: URL, :memory:, or libsql:// URL (env TEAMSTATE_DB)')
    .option('--config <file>', 'config file (default: teamstate.config.yaml found from the current folder up)')
    .option('--workspace <id>', 'workspace (tenant) id (env TEAMSTATE_WORKSPACE)', undefined)
    .option('--now <iso>', 'pretend the current time is <iso>, for reproducible reports')
    .option('--json', 'print exactly one JSON document on stdout')
    .option('--debug', 'show stack traces on errors')
    .option('--log-format <format>', 'log lines on stderr as text (default) or json; secrets are always redacted')
    .showSuggestionAfterError(true)
    .showHelpAfterError('(add --help for usage)')
    // Every subcommand's --help lists the global flags too (--db, --json, …): they are given before or after it.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut, writeErr })
    .exitOverride();
  const ctx: CommandContext = {
    io,
    metrics: options.metrics ?? builtinMetrics,
    mcpStdio: options.mcpStdio,
    action:
      (fn) =>
      async (...args: unknown[]) => {
        const command = args.at(-1) as Command;
        const globals = command.optsWithGlobals<GlobalOptions>();
        try {
          onExit((await fn(globals, ...(args.slice(0, -1) as never))) ?? ExitCode.ok);
        } catch (error) {
          onExit(reportError(io, error, globals.debug, globals.json, typed));
        }
      },
  };
  for (const register of commands) register(program, ctx);
  program.commands.forEach((command) => command.exitOverride().configureOutput({ writeOut, writeErr }));
  return program;
}

function reportError(
  io: Io,
  error: unknown,
  debug: boolean | undefined,
  json?: boolean,
  typed: (text: string) => string = (text) => text,
): number {
  // Messages leave the process: URL credentials and secret values from the environment are masked.
  const message = typed(redactSecrets(error instanceof Error ? error.message : String(error), secretValues(io.env)));
  // With --json the error is the one JSON document on stdout, and is not printed a second time on stderr.
  if (json) printJsonError(io, TeamStateError.isInstance(error) ? error.code : 'internal_error', message, errorFields(error));
  else io.stderr(`error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  else if (!TeamStateError.isInstance(error)) io.stderr('(run again with --debug for details)\n');
  return error instanceof UsageError ? ExitCode.usage : ExitCode.failure;
}

/**
 * With `--json`, an error is the one JSON document on stdout: `{ ok: false, error: { code, message } }`, with the
 * error's own fields (`retryAfter` of a `rate_limited` one).
 */
function printJsonError(io: Io, code: string, message: string, fields: Record<string, unknown> = {}): void {
  io.stdout(`${terminalJson({ ok: false, error: { code, message, ...fields } }, undefined)}\n`);
}

/** `--json` among the flags (not an argument after `--`). */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: Io = processIo(), options: CliOptions = {}): Promise<number> {
  let code: number = ExitCode.ok;
  setTableWidth(io.env, io.isTTY, process.stdout.columns);
  setSelfName(io.cwd);
  const program = createProgram(
    io,
    (c) => {
      code = c;
    },
    options,
    wantsJson(argv),
  );
  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.ok;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; every other commander error is a usage error.
      if (error.exitCode === 0) return ExitCode.ok;
      // commander printed it on stderr, unless --json: then stdout carries exactly one JSON document, the error.
      if (wantsJson(argv)) printJsonError(io, 'usage_error', redactSecrets(error.message.replace(/^error: /, ''), secretValues(io.env)));
      return ExitCode.usage;
    }
    return reportError(io, error, argv.includes('--debug'), wantsJson(argv), (text) =>
      asTyped(
        text,
        program.commands.map((command) => command.name()),
      ),
    );
  }
  return code;
}
