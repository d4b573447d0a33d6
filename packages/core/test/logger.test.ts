import { describe, expect, it } from 'vitest';
import { createStderrLogger } from '../src/kernel/logger.js';

describe('createStderrLogger', () => {
  it('writes one line per event at or above its level, with URL credentials and query strings redacted (issue 17)', () => {
    const lines: string[] = [];
    const log = createStderrLogger('info', (line) => lines.push(line));
    log.debug('not shown');
    log.warn('retrying https://bot:s3cret-pass@api.example/x?token=abc123', { url: 'libsql://u:pw-123456@db.example?authToken=tok' });
    expect(lines).toEqual(['[teamstate] warn: retrying https://***@api.example/x {"url":"libsql://***@db.example"}\n']);
  });

  it('writes JSON lines with --log-format json, every known secret and URL credential redacted, still valid JSON (issue 22)', () => {
    const lines: string[] = [];
    const secrets = ['ghp_abcdefghijklmnop', 'pa"ss\\word-123'];
    const log = createStderrLogger('info', (line) => lines.push(line), {
      format: 'json',
      secrets,
      now: () => new Date('2026-03-10T12:00:00Z'),
    });
    log.error('sync failed with ghp_abcdefghijklmnop', {
      url: 'https://x:y@api.example/repos?per_page=100',
      nested: { header: 'Basic pa"ss\\word-123', list: ['ghp_abcdefghijklmnop'] },
      message: 'cannot replace the message',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-03-10T12:00:00.000Z',
      level: 'error',
      message: 'sync failed with ***',
      url: 'https://***@api.example/repos',
      nested: { header: 'Basic ***', list: ['***'] },
    });
    for (const secret of secrets) expect(lines[0]).not.toContain(secret);
  });
});
