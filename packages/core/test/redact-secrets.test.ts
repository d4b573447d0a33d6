import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/kernel/text/redact-secrets.js';

describe('redactSecrets (the one redactor for messages that leave the process)', () => {
  it('strips credentials and query strings of every URL in a message', () => {
    expect(
      redactSecrets(
        'could not open libsql://alice:s3cretpw@db.example:8080: Request … https://alice:s3cretpw@db.example/v2/pipeline?authToken=tok',
      ),
    ).toBe('could not open libsql://***@db.example:8080: Request … https://***@db.example/v2/pipeline');
  });

  it('masks every known secret value wherever it appears, longest first, and leaves short values alone', () => {
    expect(redactSecrets('token ghp_abcdef123456 and ghp_abcdef123456789 in "x"', ['ghp_abcdef123456', 'ghp_abcdef123456789', 'abc'])).toBe(
      'token *** and *** in "x"',
    );
    expect(redactSecrets('nothing secret here', [undefined, ''])).toBe('nothing secret here');
  });
});
