import { type Connector, createTeamState, hmacSha256Hex, type TeamState, verifySha256Signature } from '@teamstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenInProcess } from './listen-in-process.js';
import { until } from './until.js';

const SECRET = 'interaction-secret';
const done: string[] = [];

// Answers `{ "form": true }` with a JSON answer and anything else with an empty body, like Slack wants.
const buttons: Connector = {
  specificationVersion: 'v1',
  id: 'buttons',
  sync: async () => {},
  interactions: {
    path: 'buttons/interactivity',
    verify: (request) => verifySha256Signature(SECRET, request.rawBody, request.headers['x-signature']),
    async handle(request) {
      const form = (JSON.parse(request.rawBody.toString('utf8')) as { form?: boolean }).form === true;
      return {
        status: 200,
        answer: form ? { response_action: 'errors', errors: { text: 'too long' } } : null,
        event: form ? 'form' : 'click',
        after: async () => {
          done.push(form ? 'form' : 'click');
        },
      };
    },
  },
};

let ts: TeamState;
let base: string;
let close: () => Promise<void>;
beforeAll(async () => {
  ts = await createTeamState({ database: ':memory:', connectors: [buttons] });
  ({ base, close } = await listenInProcess(ts));
});
afterAll(async () => {
  await close();
  await ts.close();
});

function post(body: string, secret = SECRET) {
  return fetch(`${base}/webhooks/buttons/interactivity`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-signature': `sha256=${hmacSha256Hex(secret, body)}` },
  });
}

describe('interactions over HTTP', () => {
  it('sends an empty 200 for a click and runs the work after', async () => {
    const response = await post('{"click":true}');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    // The work runs after the answer: wait for it by what it did, not for a time (a loaded machine takes longer).
    await until('the click handled', () => (done.length > 0 ? done : undefined), 30_000);
    expect(done).toEqual(['click']);
  });

  it('sends the connector answer as JSON, and 401 for a bad signature', async () => {
    const response = await post('{"form":true}');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ response_action: 'errors', errors: { text: 'too long' } });
    expect((await post('{"form":true}', 'wrong')).status).toBe(401);
  });
});
