import type { RegisterCommand } from '../command-context.js';
import { registerConfig } from './config.js';
import { registerDemo } from './demo.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';
import { registerServe } from './serve.js';
import { registerSync } from './sync.js';

/** Every command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [registerDemo, registerImport, registerExport, registerSync, registerConfig, registerServe];
