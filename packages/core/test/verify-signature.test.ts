import { describe, expect, it } from 'vitest';
import { verifySha256Signature } from '../src/records/webhooks/verify-signature.js';

describe('sha256 webhook signatures', () => {
  // GitHub's published example (docs: "Validating webhook deliveries").
  const secret = "It's a Secret to Everybody";
  const body = Buffer.from('Hello, World!');
  const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('accepts the published test vector', () => {
    expect(verifySha256Signature(secret, body, signature)).toBe(true);
  });

  it('rejects a wrong secret, a flipped byte, a missing or malformed header', () => {
    expect(verifySha256Signature('another secret', body, signature)).toBe(false);
    expect(verifySha256Signature(secret, Buffer.from('Hello, World?'), signature)).toBe(false);
    expect(verifySha256Signature(secret, body, undefined)).toBe(false);
    expect(verifySha256Signature(secret, body, signature.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifySha256Signature(secret, body, signature.slice(0, -1))).toBe(false);
  });
});
