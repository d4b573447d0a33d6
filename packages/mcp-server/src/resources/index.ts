import type { McpServer } from '@modelcontextprotocol/server';
import type { Register } from '../server-environment.js';
import { registerMetricsResource } from './metrics-resource.js';
import { registerPolicyResource } from './policy-resource.js';
import { registerTeamResource } from './team-resource.js';

/** Every resource the server offers: one module each. */
export const resources: readonly Register<McpServer>[] = [registerTeamResource, registerMetricsResource, registerPolicyResource];
