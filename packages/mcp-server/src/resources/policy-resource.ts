import type { McpServer } from '@modelcontextprotocol/server';
import type { Register } from '../server-environment.js';
import { jsonContents } from './json-resource.js';

/** `teamstate://policy`: the policy in effect and what it says about every action type. Read-only: no tool or text changes it. */
export const registerPolicyResource: Register<McpServer> = (server, { teamState }) => {
  server.registerResource(
    'policy',
    'teamstate://policy',
    {
      title: 'Policy',
      description:
        'The team policy in effect (which actions run at once, need approval or are denied, who approves, TTLs) with its hash, and every action type the assistant can propose with its risk, mode and params schema.',
      mimeType: 'application/json',
    },
    async (uri) =>
      jsonContents(uri, {
        hash: teamState.policy.hash,
        document: teamState.policy.document,
        actions: teamState.actions.list(),
      }),
  );
};
