import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState } from '../src/index.js';
import { appendAuditEvent } from '../src/services/audit/append-audit-event.js';

let ts: TeamState;
const at = Date.parse('2026-03-02T09:00:00Z');

beforeEach(async () => {
  ts = await createTeamState({ database: ':memory:', clock: () => new Date(at) });
});
afterEach(() => ts.close());

describe('appendAuditEvent', () => {
  it('refuses a column it could not read back exactly, writing nothing, so the chain never breaks', async () => {
    await ts.store.write((tx) => appendAuditEvent(tx, 'default', at, { type: 'setting.changed', actor: 'ana', data: { key: 'a\u0000b' } }));
    for (const [field, event] of [
      ['actor', { type: 'setting.changed', actor: 'ana\u0000mallory', data: {} }],
      ['approvalId', { type: 'setting.changed', approvalId: 'apr_\uD800', actor: 'ana', data: {} }],
    ] as const) {
      await expect(ts.store.write((tx) => appendAuditEvent(tx, 'default', at, event))).rejects.toThrow(`audit entry ${field}: contains a`);
    }
    // data is JSON: a NUL in it is stored escaped and reads back exactly.
    expect((await ts.audit.list()).map((event) => event.data)).toEqual([{ key: 'a\u0000b' }]);
    expect(await ts.audit.verify()).toMatchObject({ ok: true, entries: 1 });
  });
});
