import type { KnowledgeSource } from '@teamstate/core';
import { createConfluenceTransport } from './client/confluence-transport.js';
import { type ConfluenceKnowledgeOptions, resolveConfluenceOptions } from './options.js';
import { syncConfluence } from './sync/sync-confluence.js';

// The base class of this connector's request error and its constructor's details, named so the declarations can say so.
export type { RequestErrorDetails, UpstreamRequestError } from '../upstream/upstream-request-error.js';
export { ConfluenceRequestError } from './client/confluence-request-error.js';
export { type ConfluenceKnowledgeOptions, type ConfluenceSleep, confluenceKnowledgeConfigSchema } from './options.js';

/**
 * The Confluence knowledge source (Cloud through REST v2, or Data Center through REST v1 with a personal access token):
 * indexes the current pages of the given spaces, incrementally by page version (an unchanged page costs no body fetch),
 * their storage format converted to markdown; pages deleted or moved out of the spaces leave the index; attachments are
 * skipped. Each document's uri is the page's web URL. Its HTTP client and converter load on the first sync.
 * See docs/connectors/confluence.md.
 *
 * @example
 * const ts = await createTeamState({
 *   knowledge: { sources: [confluenceKnowledge({ host: 'https://acme.atlassian.net', email, apiToken, spaces: ['ENG'] })] },
 * })
 * await ts.knowledge.sync()
 */
export function confluenceKnowledge(options: ConfluenceKnowledgeOptions): KnowledgeSource {
  const resolved = resolveConfluenceOptions(options);
  const transport = createConfluenceTransport(resolved);
  return {
    specificationVersion: 'v1',
    id: resolved.id,
    source: 'confluence',
    ...(resolved.visibility === undefined ? {} : { visibility: resolved.visibility }),
    sync: (ctx) => syncConfluence(ctx, resolved, transport),
  };
}
