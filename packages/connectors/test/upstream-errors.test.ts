import { ConfluenceRequestError } from '@teamstate/connectors/confluence';
import { GitHubApiError } from '@teamstate/connectors/github';
import { JiraRequestError } from '@teamstate/connectors/jira';
import { SlackApiError } from '@teamstate/connectors/slack';
import { TeamStateError, UpstreamError } from '@teamstate/core';
import { describe, expect, it } from 'vitest';

// One upstream error in core; each connector's is a subclass with its own marker, recognised across package copies.
describe('UpstreamError and the connectors’ subclasses', () => {
  const github = new GitHubApiError('GitHub POST /graphql failed', {
    statusCode: 502,
    isRetryable: true,
    outcomeUnknown: true,
    request: { method: 'POST', path: '/graphql' },
  });
  const jira = new JiraRequestError({ method: 'GET', path: '/rest/api/3/issue/PAY-1' }, 404, 'Issue does not exist', {
    isRetryable: false,
  });
  const slack = new SlackApiError('chat.postMessage', 'internal_error', 'Slack failed', {
    statusCode: 500,
    isRetryable: true,
    outcomeUnknown: true,
  });

  it('are UpstreamErrors with statusCode, isRetryable, outcomeUnknown and a redacted request', () => {
    for (const error of [github, jira, slack]) {
      expect(UpstreamError.isInstance(error)).toBe(true);
      expect(TeamStateError.isInstance(error)).toBe(true);
      expect(error.code).toBe('upstream_error');
    }
    expect([github.statusCode, github.isRetryable, github.outcomeUnknown, github.request]).toEqual([
      502,
      true,
      true,
      { method: 'POST', path: '/graphql' },
    ]);
    expect([jira.statusCode, jira.isRetryable, jira.outcomeUnknown]).toEqual([404, false, false]);
    expect(jira.message).toContain('Jira GET /rest/api/3/issue/PAY-1 failed with 404: Issue does not exist');
    expect([slack.statusCode, slack.outcomeUnknown, slack.request]).toEqual([500, true, { method: 'POST', path: 'chat.postMessage' }]);
  });

  it('tell each other apart by their own markers, also as plain objects from another copy of the package', () => {
    expect(GitHubApiError.isInstance(github)).toBe(true);
    expect(GitHubApiError.isInstance(jira)).toBe(false);
    expect(JiraRequestError.isInstance(jira)).toBe(true);
    expect(SlackApiError.isInstance(slack)).toBe(true);
    expect(SlackApiError.isInstance(github)).toBe(false);
    const foreign = { [Symbol.for('teamstate.upstream_error')]: true, [Symbol.for('teamstate.slack_api_error')]: true };
    expect(UpstreamError.isInstance(foreign)).toBe(true);
    expect(SlackApiError.isInstance(foreign)).toBe(true);
    expect(UpstreamError.isInstance(new TeamStateError('x', 'y'))).toBe(false);
  });

  it('share one wording for HTTP connectors, and keep secrets out of the message and the request', async () => {
    const { redactedRequest } = await import('../src/upstream/upstream-request-error.js');
    const request = redactedRequest(
      'get',
      'https://me:hunter2secret@acme.atlassian.net/wiki/api/v2/pages?access_token=tok_abcdef123456&limit=5',
    );
    expect(request).toEqual({ method: 'GET', path: '/wiki/api/v2/pages?access_token=REDACTED&limit=5' });
    const confluence = new ConfluenceRequestError(request, 401, 'token tok_abcdef123456 expired', {
      isRetryable: false,
      secrets: ['tok_abcdef123456'],
    });
    expect(UpstreamError.isInstance(confluence) && ConfluenceRequestError.isInstance(confluence)).toBe(true);
    expect(JiraRequestError.isInstance(confluence)).toBe(false);
    expect(confluence.message).toMatch(/^Confluence GET \/wiki\/api\/v2\/pages\?access_token=REDACTED&limit=5 failed with 401: /);
    expect(confluence.message).not.toContain('tok_abcdef123456');
    const write = new JiraRequestError({ method: 'POST', path: '/rest/api/3/issue' }, 502, 'Bad Gateway', {
      isRetryable: true,
      outcomeUnknown: true,
    });
    expect([write.outcomeUnknown, write.message]).toEqual([
      true,
      'Jira POST /rest/api/3/issue failed with 502: Bad Gateway (the write was not sent again: it may or may not have taken effect)',
    ]);
  });
});
