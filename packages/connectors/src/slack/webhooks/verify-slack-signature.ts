import { createHash } from 'node:crypto';
import { constantTimeEqual, hmacSha256Hex, type InteractionSpec, type WebhookRequest } from '@teamstate/core';

/** How far a request's timestamp may be from now, either way, in seconds (Slack's recommendation). */
export const MAX_SIGNATURE_AGE_SECONDS = 300;

/**
 * Verifies Slack's `v0` request signature: `X-Slack-Signature` must be `v0=` and the hex HMAC-SHA256,
 * keyed with the signing secret, of `v0:{X-Slack-Request-Timestamp}:{raw body}`, compared in constant
 * time; and the timestamp must be within 300 seconds of `now` in either direction (a replayed request
 * is refused after that). False when a header is missing or malformed.
 *
 * @example verifySlackSignature(process.env.SLACK_SIGNING_SECRET!, { headers, rawBody }, new Date())
 */
export function verifySlackSignature(signingSecret: string, request: WebhookRequest, now: Date): boolean {
  const timestamp = request.headers['x-slack-request-timestamp'];
  const signature = request.headers['x-slack-signature'];
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !signature.startsWith('v0=')) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > MAX_SIGNATURE_AGE_SECONDS) return false;
  const expected = `v0=${hmacSha256Hex(signingSecret, Buffer.concat([Buffer.from(`v0:${timestamp}:`, 'utf8'), request.rawBody]))}`;
  return constantTimeEqual(signature, expected);
}

/** Signs a request body the way Slack does (for tests and local tools): the two headers to send. */
export function signSlackRequest(signingSecret: string, rawBody: Buffer | string, timestamp: number): Record<string, string> {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const seconds = String(Math.floor(timestamp));
  return {
    'x-slack-request-timestamp': seconds,
    'x-slack-signature': `v0=${hmacSha256Hex(signingSecret, Buffer.concat([Buffer.from(`v0:${seconds}:`, 'utf8'), body]))}`,
  };
}

/**
 * How every Slack request teamstate serves is checked (interactivity and the slash command alike): the v0 signature
 * ({@link verifySlackSignature}), and a replay recognised as the same signed body (every real click or command has
 * its own trigger id and timestamp).
 */
export function slackRequestChecks(signingSecret: string): Pick<InteractionSpec, 'verify' | 'deliveryId'> {
  return {
    verify: (request, now) => verifySlackSignature(signingSecret, request, now),
    deliveryId: (request) => createHash('sha256').update(request.rawBody).digest('hex'),
  };
}
