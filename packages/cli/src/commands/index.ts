import type { RegisterCommand } from '../command-context.js';
import { registerApprovals } from './approvals.js';
import { registerAudit } from './audit.js';
import { registerExport } from './export.js';
import { registerImport } from './import.js';

/** Every command, in the order `--help` lists them. */
export const commands: RegisterCommand[] = [registerImport, registerExport, registerApprovals, registerAudit];
