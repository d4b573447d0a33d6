import { hmacSha256Hex } from '@teamstate/core';
import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackSignature } from '../src/slack/webhooks/verify-slack-signature.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = new Date('2026-03-02T09:00:00Z');
const SECONDS = NOW.getTime() / 1000;
const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U0ANA' } }))}`;

const request = (rawBody: Buffer | string, headers: Record<string, string | undefined>) => ({
  headers,
  rawBody: typeof rawBody === 'string' ? Buffer.from(rawBody) : rawBody,
});

describe('verifySlackSignature (v0, fixed clock)', () => {
  it('accepts a request signed with the secret: v0= + HMAC-SHA256 of "v0:{timestamp}:{raw body}"', () => {
    const headers = signSlackRequest(SECRET, body, SECONDS);
    expect(headers['x-slack-signature']).toBe(`v0=${hmacSha256Hex(SECRET, `v0:${SECONDS}:${body}`)}`);
    expect(verifySlackSignature(SECRET, request(body, headers), NOW)).toBe(true);
  });

  it('matches the example in Slack’s documentation', () => {
    // https://docs.slack.dev/authentication/verifying-requests-from-slack (signing secret, timestamp, body and signature as published)
    const example =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = {
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    };
    expect(verifySlackSignature(SECRET, request(example, headers), new Date(1531420618 * 1000))).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    expect(verifySlackSignature(SECRET, request(body, signSlackRequest('another-secret', body, SECONDS)), NOW)).toBe(false);
  });

  it('refuses a body with one flipped byte, and a flipped signature', () => {
    const headers = signSlackRequest(SECRET, body, SECONDS);
    const flipped = Buffer.from(body);
    flipped[10] = flipped[10]! ^ 0x01;
    expect(verifySlackSignature(SECRET, request(flipped, headers), NOW)).toBe(false);
    const signature = headers['x-slack-signature']!;
    const last = signature.at(-1) === '0' ? '1' : '0';
    expect(verifySlackSignature(SECRET, request(body, { ...headers, 'x-slack-signature': `${signature.slice(0, -1)}${last}` }), NOW)).toBe(
      false,
    );
  });

  it('refuses a timestamp more than 300 s away in either direction, and accepts one exactly 300 s away', () => {
    for (const offset of [-301, 301]) {
      expect(verifySlackSignature(SECRET, request(body, signSlackRequest(SECRET, body, SECONDS + offset)), NOW), `offset ${offset}`).toBe(
        false,
      );
    }
    for (const offset of [-300, 300]) {
      expect(verifySlackSignature(SECRET, request(body, signSlackRequest(SECRET, body, SECONDS + offset)), NOW), `offset ${offset}`).toBe(
        true,
      );
    }
  });

  it('refuses missing or malformed headers', () => {
    const headers = signSlackRequest(SECRET, body, SECONDS);
    expect(verifySlackSignature(SECRET, request(body, { 'x-slack-signature': headers['x-slack-signature'] }), NOW)).toBe(false);
    expect(verifySlackSignature(SECRET, request(body, { 'x-slack-request-timestamp': headers['x-slack-request-timestamp'] }), NOW)).toBe(
      false,
    );
    expect(verifySlackSignature(SECRET, request(body, {}), NOW)).toBe(false);
    expect(verifySlackSignature(SECRET, request(body, { ...headers, 'x-slack-request-timestamp': `${SECONDS}.5` }), NOW)).toBe(false);
    const withoutVersion = headers['x-slack-signature']!.replace('v0=', 'v1=');
    expect(verifySlackSignature(SECRET, request(body, { ...headers, 'x-slack-signature': withoutVersion }), NOW)).toBe(false);
  });
});
