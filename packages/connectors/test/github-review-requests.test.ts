import { hmacSha256Hex, type TeamState } from '@teamstate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, openTeamState, teamOfRepository, testConnector, useFakeGitHub } from './github/github-test-kit.js';

// Requested reviewers (working agreements' `notify: reviewers` reaches them before they review): read with every pull
// request of a sync (`reviewRequests`, no extra request), and kept current by the pull_request webhook's
// review_requested / review_request_removed (read back, or from the payload's requested_reviewers while that fails).

const kit = useFakeGitHub();
const SECRET = 'whsec_8d7f6e5a4b3c2d1e';
const PR = 'gh-pr-acme/api#107';
let open: TeamState[] = [];
afterEach(async () => {
  for (const ts of open) await ts.close();
  open = [];
});

async function setup() {
  const ts = await openTeamState([testConnector({ repositories: ['acme/api'], teamOfRepository, webhookSecret: SECRET })]);
  open.push(ts);
  return ts;
}

function delivery(event: string, payload: unknown, id: string) {
  const body = JSON.stringify(payload);
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-hub-signature-256': `sha256=${hmacSha256Hex(SECRET, body)}`,
      'user-agent': 'GitHub-Hookshot/7a9b2c1',
    } as Record<string, string | undefined>,
    rawBody: Buffer.from(body),
  };
}

/** The fake world's pull request #107 of acme/api. */
function pullRequest107() {
  const pr = kit.fake.world.repositories.find((r) => r.nameWithOwner === 'acme/api')!.pullRequests.find((p) => p.number === 107)!;
  return pr;
}

describe('requested reviewers from GitHub', () => {
  it('are read with every pull request of a sync, users only (a team is no person), at no extra request', async () => {
    const plain = await setup();
    await plain.sync();
    const requestsWithout = kit.fake.requests.length;
    expect((await plain.workItems.get(PR))?.requestedReviewers).toBeUndefined();

    kit.fake.requests.length = 0;
    pullRequest107().requestedReviewers = ['carlam'];
    pullRequest107().requestedTeams = ['payments-reviewers'];
    const ts = await setup();
    await ts.sync();
    expect((await ts.workItems.get(PR))?.requestedReviewers).toEqual(['carlam']);
    expect(kit.fake.requests.length).toBe(requestsWithout);
    // The bundle carries them both ways.
    expect((await ts.export()).workItems.find((w) => w.id === PR)?.requestedReviewers).toEqual(['carlam']);
  });

  it('follow the pull_request webhook: review_requested adds, review_request_removed removes', async () => {
    const ts = await setup();
    await ts.sync();
    pullRequest107().requestedReviewers = ['carlam'];
    const requested = await ts.webhooks.receive(
      'github',
      delivery('pull_request', fixture('webhook-pull-request-review-requested.json'), 'rr-requested-1'),
    );
    expect(requested.status).toBe(202);
    expect((await ts.workItems.get(PR))?.requestedReviewers).toEqual(['carlam']);

    pullRequest107().requestedReviewers = [];
    const removed = await ts.webhooks.receive(
      'github',
      delivery('pull_request', fixture('webhook-pull-request-review-request-removed.json'), 'rr-removed-1'),
    );
    expect(removed.status).toBe(202);
    expect((await ts.workItems.get(PR))?.requestedReviewers).toBeUndefined();
  });

  it("are taken from the payload's requested_reviewers while reading the pull request back fails", async () => {
    const ts = await setup();
    kit.fake.intercept(() => ({ status: 502, body: { message: 'Server Error' } }));
    const answer = await ts.webhooks.receive(
      'github',
      delivery('pull_request', fixture('webhook-pull-request-review-requested.json'), 'rr-requested-2'),
    );
    expect(answer.status).toBe(202);
    expect((await ts.workItems.get(PR))?.requestedReviewers).toEqual(['carlam']);
    kit.fake.clearInterceptors();
  });
});
