import type { RegisterCommand } from '../command-context.js';
import { registerDemo } from './demo.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';
import { registerMetrics } from './metrics.js';

/** Every command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [registerDemo, registerImport, registerExport, registerMetrics];
