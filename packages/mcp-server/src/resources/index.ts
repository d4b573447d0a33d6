import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Register } from '../server-environment.js';
import { registerPolicyResource } from './policy-resource.js';
import { registerTeamResource } from './team-resource.js';

/** Every resource the server offers: one module each. */
export const resources: readonly Register<McpServer>[] = [registerTeamResource, registerPolicyResource];
