import { hmacSha256Hex } from '@teamstate/core';
import { connectorContract } from '@teamstate/core/testing';
import { fixture, testConnector as githubConnector, NOW, teamOfRepository, useFakeGitHub } from './github/github-test-kit.js';

const SECRET = 'contract-webhook-secret';
/** A deployment_status delivery from the recorded payloads, signed with `secret`; one delivery id, so a resend is a redelivery. */
const delivery = (secret: string) => {
  const body = JSON.stringify(fixture('webhook-deployment-status.json'));
  return {
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'deployment_status',
      'x-github-delivery': 'contract-delivery-1',
      'x-hub-signature-256': `sha256=${hmacSha256Hex(secret, body)}`,
    } as Record<string, string | undefined>,
    rawBody: Buffer.from(body),
  };
};

// The GitHub connector runs the conformance suite against the fake GitHub (GraphQL and REST behind msw),
// with small pages so a sync is several batches: a crash or a cancellation lands between them.
useFakeGitHub();

connectorContract({
  name: 'github',
  create: () =>
    githubConnector({ org: 'acme', repositories: ['acme/api', 'acme/web'], teamOfRepository, pageSize: 5, webhookSecret: SECRET }),
  bundle: {
    teams: [
      { id: 'payments', name: 'Payments' },
      { id: 'web', name: 'Web' },
    ],
    repositories: [
      { id: 'acme/api', team: 'payments' },
      { id: 'acme/web', team: 'web' },
    ],
  },
  clock: () => NOW,
  webhooks: { signed: () => delivery(SECRET), badlySigned: () => delivery('not-the-secret') },
  actions: [
    { type: 'github.pr.comment', target: 'acme/api#1', invalid: { repository: 'acme/api', number: 1 }, invalidField: 'params.body' },
  ],
});
