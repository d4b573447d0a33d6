import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of `data` with `secret`, hex encoded. */
export function hmacSha256Hex(secret: string, data: Buffer | string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

/** Compares two strings in constant time (for their length); false when lengths differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Verifies a `sha256=<hex>` signature header (GitHub's `X-Hub-Signature-256`, Jira's `X-Hub-Signature`)
 * over the raw body, timing-safe.
 */
export function verifySha256Signature(secret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  return constantTimeEqual(header, `sha256=${hmacSha256Hex(secret, rawBody)}`);
}
