import { describe, expect, it } from 'vitest';
import { describeFileError } from '../src/services/retention/retention-archive.js';

describe('describeFileError', () => {
  const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

  it('says what the system error means, with its code', () => {
    expect(describeFileError(full())).toBe('no space left on device (ENOSPC)');
    expect(describeFileError(Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' }))).toBe(
      'permission denied (EACCES)',
    );
  });

  it('finds the system error a stream pipeline wrapped (an AbortError says ABORT_ERR, not what happened)', () => {
    const aborted = Object.assign(new Error('The operation was aborted', { cause: full() }), { name: 'AbortError', code: 'ABORT_ERR' });
    expect(describeFileError(aborted)).toBe('no space left on device (ENOSPC)');
  });

  it('falls back to the message of an error without a system code', () => {
    expect(describeFileError(new Error('stream ended early'))).toBe('stream ended early');
  });
});
