import { describe, expect, it } from 'vitest';
import { createStderrLogger } from './logger.js';

describe('createStderrLogger', () => {
  it('writes one line per event at or above its level, with URL credentials and query strings redacted (issue 17)', () => {
    const lines: string[] = [];
    const log = createStderrLogger('info', (line) => lines.push(line));
    log.debug('not shown');
    log.warn('retrying https://bot:s3cret-pass@api.example/x?token=abc123', { url: 'libsql://u:pw-123456@db.example?authToken=tok' });
    expect(lines).toEqual(['[teamstate] warn: retrying https://***@api.example/x {"url":"libsql://***@db.example"}\n']);
  });
});
