import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactFields } from '../src/kernel/text/redact-fields.js';
import { freeTextRedactor, ibanValid, luhnValid, redactLinkSecrets, redactPii } from '../src/kernel/text/redact-pii.js';

// The detectors behind `limits.pii_redaction: strict` (docs/security.md#pii-redaction): what they mask, and the
// ordinary text of a digest they must leave alone.

describe('redactPii: true positives', () => {
  it.each([
    ['Mail ana.lopez+billing@acme-pay.example.com today', 'Mail [email] today'],
    ['cc: Ben.O@mail.acme.co.uk.', 'cc: [email].'],
  ])('masks the email address in %j', (text, shown) => expect(redactPii(text)).toBe(shown));

  it.each([
    '+44 20 7946 0958',
    '+1 (415) 555-0123',
    '+1-415-555-0123',
    '+14155550123',
    '+49 30 12345678',
    '+33 1 23 45 67 89',
    '+44 (0) 20 7946 0958',
    '(415) 555-0123',
    '415-555-0123',
    '415.555.0123',
    '415 555 0123',
    '020 7946 0958',
    '01 23 45 67 89',
    '0044 20 7946 0958',
    '+44 7700 900123',
    '+91 98765 43210',
  ])('masks the phone number %s', (phone) => {
    expect(redactPii(`call ${phone} after 5`)).toBe('call [phone] after 5');
  });

  it.each(['4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '5500 0000 0000 0004', '378282246310005', '6011111111111117'])(
    'masks the Luhn-valid card number %s',
    (card) => {
      expect(redactPii(`paid with ${card}, thanks`)).toBe('paid with [card], thanks');
    },
  );

  it.each([
    'DE89 3704 0044 0532 0130 00',
    'DE89370400440532013000',
    'GB29 NWBK 6016 1331 9268 19',
    'FR14 2004 1010 0505 0001 3M02 606',
    'NL91ABNA0417164300',
  ])('masks the checksum-valid IBAN %s', (iban) => {
    expect(redactPii(`wire to ${iban} by Friday`)).toBe('wire to [iban] by Friday');
  });

  it.each([
    'ghp_16C7e42F292c6912E7710c838347Ae178B4a',
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
    'glpat-xXa1b2C3d4E5f6G7h8I9j0',
    'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx',
    'sk-proj-Abc123Def456Ghi789Jkl012Mno345',
    'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
    'AKIAIOSFODNN7EXAMPLE',
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    'q9X2vR7tL4mK8pZ3wB6nY1cH5jD0fG2sA7eU',
  ])('masks the token %s', (token) => {
    expect(redactPii(`use ${token} for now`)).toBe('use [token] for now');
  });

  it('masks a credential written after its name, and leaves a word there alone', () => {
    expect(redactPii('login with password: hunter2!x, api_key=f00dbabe42')).toBe('login with password: [token], api_key=[token]');
    expect(redactPii('the password: rotation is monthly')).toBe('the password: rotation is monthly');
  });

  it('masks every kind in one text, and leaves the words around them', () => {
    expect(redactPii('Ana (ana@acme.example, +44 20 7946 0958) refunded 4111 1111 1111 1111 to DE89 3704 0044 0532 0130 00')).toBe(
      'Ana ([email], [phone]) refunded [card] to [iban]',
    );
  });
});

describe('redactPii: values cut short or split by a search snippet', () => {
  it.each([
    ['the customer at jo.doe@exa…', 'the customer at [email]…'],
    ['card 4111 1111…', 'card [card]…'],
    ['call +44 20 79…', 'call [phone]…'],
    ['wire to DE89 3704…', 'wire to [iban]…'],
    ['use ghp_16C7e4…', 'use [token]…'],
    ['use q9X2vR7tL4mK8pZ…', 'use [token]…'],
  ])('masks the start of a value cut by an ellipsis: %j', (text, shown) => expect(redactPii(text)).toBe(shown));

  it.each(['deployed 2026-11-20 at 18…', 'fixes #1234…', 'see PAY-131…', 'reverted 3f2a1b9c8d7e6f5a…', 'version 1.22.3…'])(
    'leaves ordinary text before an ellipsis alone: %j',
    (text) => expect(redactPii(text)).toBe(text),
  );

  it('masks a value the found words split, and marks the found words again', () => {
    expect(redactPii('write to jo.doe@**example**.com about the **refund**')).toBe('write to [email] about the **refund**');
    expect(redactPii('the **refund** of 12 euros')).toBe('the **refund** of 12 euros');
  });
});

describe('redactPii: what it leaves alone', () => {
  it.each([
    'Deployed on 2026-11-20 at 18:00, 2026-11-20T18:00:00Z and 2026-11-20T18:00:00+01:00',
    'Upgrade to v1.22.3, then 10.0.19041.1 and node 22.12.0',
    'Fixes #1234 and acme/api#42 (PAY-131, OPS-2026)',
    'Reverted 3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a; see 123e4567-e89b-12d3-a456-426614174000',
    'p50 is 12.5 h, p90 38.25 h; 1,234,567 rows in 20.11.2026 and 11/20/2026',
    'Diff +120 -45 lines, UTC+01:00, 192.168.100.200, port 8080',
    'Rename featureFlagRolloutPaymentsCheckout2026Q4Variant to checkout_v2',
    'The epoch 1732060800000 and order 10023345 and account 583231',
    'Card ending 1111 is not a card: 4111 1111 1111 1112',
    'Not an IBAN: DE00 3704 0044 0532 0130 00, nor AB12 CDEF GHIJ KLMN',
    'Mentions @ana and #payments and C0123ABCD',
  ])('leaves %j as it is', (text) => {
    expect(redactPii(text)).toBe(text);
  });

  it('never changes an ISO date, a time or a version number (generated)', () => {
    const date = fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString());
    const version = fc.tuple(fc.nat(40), fc.nat(99), fc.nat(999)).map(([a, b, c]) => `v${a}.${b}.${c}`);
    fc.assert(
      fc.property(date, version, fc.nat(99_999), (iso, v, pr) => {
        const text = `${iso} ${iso.slice(0, 10)} ${iso.slice(11, 19)} ${v} #${pr} PAY-${pr}`;
        return redactPii(text) === text;
      }),
      { seed: 20261120 },
    );
  });

  it('masks every generated Luhn-valid 16-digit Visa number, and no number that fails the check', () => {
    const body = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 }).map((d) => `4${d.join('')}`);
    fc.assert(
      fc.property(body, (partial) => {
        const check = [...Array(10).keys()].find((d) => luhnValid(`${partial}${d}`))!;
        const valid = `${partial}${check}`;
        const invalid = `${partial}${(check + 1) % 10}`;
        return redactPii(`x ${valid} y`) === 'x [card] y' && redactPii(`x ${invalid} y`) === `x ${invalid} y`;
      }),
      { seed: 131 },
    );
  });
});

describe('the checksums', () => {
  it('Luhn and mod-97 accept the published examples and reject a changed digit', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB29 NWBK 6016 1331 9268 19')).toBe(true);
    expect(ibanValid('GB29 NWBK 6016 1331 9268 18')).toBe(false);
  });
});

describe('the levels', () => {
  const text = 'See https://bot:hunter2pw@git.acme.example/x?token=abc123&page=2 or mail ana@acme.example';

  it('off shows text as stored; standard masks secrets in links; strict masks personal data too', () => {
    expect(freeTextRedactor('off')(text)).toBe(text);
    expect(freeTextRedactor('standard')(text)).toBe('See https://***@git.acme.example/x?token=***&page=2 or mail ana@acme.example');
    expect(freeTextRedactor('strict')(text)).toBe('See https://***@git.acme.example/x?token=***&page=2 or mail [email]');
    expect(redactLinkSecrets('https://docs.acme.example/runbooks?page=2')).toBe('https://docs.acme.example/runbooks?page=2');
  });
});

describe('redactFields: free text only', () => {
  it('masks strings of free-text fields and keeps ids, keys, SHAs, URLs, person references, timestamps and numbers', () => {
    const value = {
      id: 'ana@acme.example',
      key: 'PAY-131',
      headSha: 'q9X2vR7tL4mK8pZ3wB6nY1cH5jD0fG2sA7eU',
      url: 'https://acme.example/u/ana@acme.example',
      author: 'ana@acme.example',
      createdAt: '2026-11-20T18:00:00Z',
      leadTimeHours: 4111111111111111,
      title: 'Call ana@acme.example',
      comments: [{ id: 'c1', body: 'or +44 20 7946 0958' }],
      source: { uri: 'docs/x.md', title: 'Ask ana@acme.example' },
    };
    expect(redactFields(value, redactPii)).toEqual({
      ...value,
      title: 'Call [email]',
      comments: [{ id: 'c1', body: 'or [phone]' }],
      source: { uri: 'docs/x.md', title: 'Ask [email]' },
    });
  });
});

describe('redactFields: the shape of what it copies', () => {
  it("keeps an array's named and non-enumerable properties, a key named __proto__, and a read-only field as they were", () => {
    const passages = ['Mail ana@acme.example', 'plain'];
    Object.defineProperty(passages, 'note', { value: 'ask ana@acme.example', enumerable: false });
    const value = JSON.parse('{"__proto__": "call ana@acme.example", "series": [1, 2, 3]}') as Record<string, unknown>;
    Object.defineProperty(value, 'fixed', { value: 'ana@acme.example wrote', enumerable: true, writable: false });
    value.passages = passages;
    const copy = redactFields(value, redactPii);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toBe('call [email]');
    expect(copy.series).toEqual([1, 2, 3]);
    expect(Object.getOwnPropertyDescriptor(copy, 'fixed')).toEqual({
      value: '[email] wrote',
      enumerable: true,
      writable: false,
      configurable: false,
    });
    const copied = copy.passages as string[] & { note?: string };
    expect([...copied]).toEqual(['Mail [email]', 'plain']);
    expect(Object.getOwnPropertyDescriptor(copied, 'note')).toEqual({
      value: 'ask [email]',
      enumerable: false,
      writable: false,
      configurable: false,
    });
    expect(Object.keys(copied)).toEqual(['0', '1']);
  });
});
