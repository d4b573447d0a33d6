import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState, TeamStateError } from '../src/index.js';

let folder: string;
let database: string;
let ts: TeamState;
let now = Date.parse('2026-03-18T10:00:00Z');

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-tokens-'));
  database = join(folder, 'teamstate.db');
  now = Date.parse('2026-03-18T10:00:00Z');
  ts = await createTeamState({ database, clock: () => new Date(now) });
  await ts.import({
    format: 'teamstate.bundle/v1',
    people: [
      { id: 'ana', name: 'Ana' },
      { id: 'ben', name: 'Ben' },
    ],
  });
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a TeamStateError, got ${String(error)}`);
  return error;
}

describe('ts.tokens (docs/cli-governance.md#tokens)', () => {
  it('creates a per-person token shown once, stores only its sha256, and authenticates it with its scopes', async () => {
    const created = await ts.tokens.create({ person: 'ana' });
    expect(created).toMatchObject({ person: 'ana', scopes: ['read', 'propose', 'write'], expiresAt: '2026-06-16T10:00:00.000Z' });
    expect(created.id).toMatch(/^tok_[0-9a-f]{16}$/);
    expect(created.token).toMatch(/^tst_[A-Za-z0-9_-]{43}$/);
    const client = createClient({ url: `file:${database}` });
    const stored = JSON.stringify((await client.execute('SELECT * FROM tokens')).rows);
    client.close();
    expect(stored).not.toContain(created.token);
    expect(await ts.tokens.authenticate(created.token)).toEqual({
      id: created.id,
      person: 'ana',
      scopes: ['read', 'propose', 'write'],
      expiresAt: created.expiresAt,
    });
    expect(await ts.tokens.authenticate(`${created.token}x`)).toBeUndefined();
    expect(await ts.tokens.authenticate('')).toBeUndefined();
    const listed = await ts.tokens.list();
    expect(listed).toEqual([
      {
        id: created.id,
        person: 'ana',
        scopes: ['read', 'propose', 'write'],
        createdAt: '2026-03-18T10:00:00.000Z',
        expiresAt: created.expiresAt,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
  });

  it('gives decide only when asked, and the expiry and revocation end a token', async () => {
    const decider = await ts.tokens.create({ person: 'ben', scopes: ['decide'], expires: '1d' });
    expect(decider.scopes).toEqual(['decide']);
    expect((await ts.tokens.authenticate(decider.token))?.scopes).toEqual(['decide']);
    now += 86_400_000;
    expect(await ts.tokens.authenticate(decider.token)).toBeUndefined();
    const other = await ts.tokens.create({ person: 'ben' });
    await ts.tokens.revoke(other.id);
    expect(await ts.tokens.authenticate(other.token)).toBeUndefined();
    expect((await ts.tokens.list()).find((t) => t.id === other.id)?.revokedAt).toBe('2026-03-19T10:00:00.000Z');
    const events = (await ts.audit.list()).map((event) => [event.type, event.actor, event.data.token]);
    expect(events).toEqual([
      ['token.created', 'ben', decider.id],
      ['token.created', 'ben', other.id],
      ['token.revoked', 'ben', other.id],
    ]);
    expect(JSON.stringify(await ts.audit.list())).not.toContain(decider.token);
    expect((await ts.audit.verify()).ok).toBe(true);
  });

  it('refuses an unknown person, an unknown scope, a bad expiry and an unknown token id, naming the field and writing nothing', async () => {
    expect((await failure(ts.tokens.create({ person: 'anna' }))).message).toBe('person: unknown person "anna" (did you mean "ana"?)');
    // Nothing close: the people it could be, while they are few enough to list.
    expect((await failure(ts.tokens.create({ person: 'nobody' }))).message).toBe('person: unknown person "nobody"; known: ana, ben');
    expect((await failure(ts.tokens.create({ person: 'ana', scopes: ['read', 'admin'] as never }))).message).toBe(
      'scopes: unknown scope "admin" (expected read, propose, write or decide)',
    );
    expect((await failure(ts.tokens.create({ person: 'ana', scopes: [] }))).message).toBe(
      'scopes: give at least one of read, propose, write or decide',
    );
    expect((await failure(ts.tokens.create({ person: 'ana', expires: 'forever' }))).message).toBe(
      'expires: expected a duration such as 90d, 12h or 30m, got "forever"',
    );
    expect((await failure(ts.tokens.revoke('tok_nope'))).message).toBe('token "tok_nope" was not found in this workspace');
    expect(await ts.tokens.list()).toEqual([]);
    expect(await ts.audit.list()).toEqual([]);
  });
});
