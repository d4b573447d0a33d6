import { describe, expect, it } from 'vitest';
import * as githubSubpath from '../src/github/index.js';

describe('@teamstate/connectors/github public surface', () => {
  it('exports exactly the connector factory, the knowledge source and its default paths, its error class and the idempotency marker', () => {
    expect(Object.keys(githubSubpath).sort()).toEqual([
      'DEFAULT_KNOWLEDGE_PATHS',
      'GitHubApiError',
      'github',
      'githubKnowledge',
      'idempotencyMarker',
    ]);
  });

  it('builds a v1 connector with the six pull request actions and the webhook install, a repository file reader, and webhooks only with a secret', () => {
    const connector = githubSubpath.github({ token: 't', repositories: ['acme/api'] });
    expect(connector).toMatchObject({ specificationVersion: 'v1', id: 'github' });
    expect(connector.actions!.map((a) => a.type)).toEqual([
      'github.pr.comment',
      'github.pr.label',
      'github.pr.request_review',
      'github.pr.merge',
      'github.pr.close',
      'github.pr.open_file_change',
      'github.webhook.create',
    ]);
    expect(connector.repositoryFiles?.handles('acme/api')).toBe(true);
    expect(connector.repositoryFiles?.handles('acme/web')).toBe(false);
    expect(githubSubpath.github({ token: 't', org: 'acme' }).repositoryFiles?.handles('ACME/web')).toBe(true);
    expect(connector.webhooks).toBeUndefined();
    expect(githubSubpath.github({ token: 't', org: 'acme', webhookSecret: 's' }).webhooks?.provider).toBe('github');
  });
});
