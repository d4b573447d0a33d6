export type { CommandContext, RegisterCommand } from './command-context.js';
export { ExitCode, UsageError } from './errors.js';
export { type CliOptions, createProgram, main } from './main.js';
export type { GlobalOptions, Io } from './runtime.js';
