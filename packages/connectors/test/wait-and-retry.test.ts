import { Octokit } from '@octokit/core';
import { describe, expect, it } from 'vitest';
import { GitHubApiError } from '../src/github/client/github-error.js';
import { type GitHubClientStats, waitAndRetry } from '../src/github/client/wait-and-retry.js';

const WithPlugin = Octokit.plugin(waitAndRetry);

/** An octokit whose network answers with `statuses` in turn, recording every call and wait. */
function octokitAnswering(statuses: number[]) {
  const calls: string[] = [];
  const waits: number[] = [];
  const stats: GitHubClientStats = { requests: 0, restRequests: 0, graphqlRequests: 0, notModified: 0, graphqlPoints: 0, waitedMs: 0 };
  const fetch = async (url: string, init: { method: string }) => {
    calls.push(`${init.method} ${new URL(url).pathname}`);
    const status = statuses.shift() ?? 200;
    return new Response(JSON.stringify(status === 200 ? { id: 1 } : { message: 'Server Error' }), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  const octokit = new WithPlugin({
    request: { fetch },
    waitAndRetry: {
      now: () => new Date('2026-11-20T12:00:00Z'),
      wait: async (ms: number) => void waits.push(ms),
      stats,
    },
  });
  return { octokit, calls, waits, stats };
}

describe('waitAndRetry (octokit plugin)', () => {
  it('retries a read after server errors, waiting 1 s and then 2 s, and counts every attempt', async () => {
    const { octokit, calls, waits, stats } = octokitAnswering([502, 503, 200]);
    const response = await octokit.request('GET /repos/{owner}/{repo}', {
      owner: 'acme',
      repo: 'api',
      request: { teamstate: { method: 'GET', path: '/repos/acme/api', write: false, retryServerErrors: true } },
    });
    expect(response.data).toEqual({ id: 1 });
    expect(calls).toEqual(['GET /repos/acme/api', 'GET /repos/acme/api', 'GET /repos/acme/api']);
    expect(waits).toEqual([1_000, 2_000]);
    expect(stats).toMatchObject({ requests: 3, restRequests: 3, waitedMs: 3_000 });
  });

  it('sends a write exactly once: a 502 is an outcome-unknown GitHubApiError, not a retry', async () => {
    const { octokit, calls, waits } = octokitAnswering([502, 200]);
    const error = await octokit
      .request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        owner: 'acme',
        repo: 'api',
        issue_number: 7,
        body: 'hi',
        request: { teamstate: { method: 'POST', path: '/repos/acme/api/issues/7/comments', write: true, retryServerErrors: false } },
      })
      .catch((e: unknown) => e);
    expect(calls).toEqual(['POST /repos/acme/api/issues/7/comments']);
    expect(waits).toEqual([]);
    expect(GitHubApiError.isGitHubApiError(error) && error.outcomeUnknown).toBe(true);
    expect((error as Error).message).toContain('it was not sent again');
  });

  it('leaves a request without a policy alone', async () => {
    const { octokit, calls } = octokitAnswering([502]);
    await expect(octokit.request('GET /rate_limit')).rejects.toMatchObject({ status: 502 });
    expect(calls).toEqual(['GET /rate_limit']);
  });
});
