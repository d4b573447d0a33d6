import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTeamState, type TeamState, TeamStateError } from '../src/index.js';

// Issue 16, the small ones: a decision on an unknown or absurd id writes nothing; the database file is its owner's.
let folder: string;
let ts: TeamState;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-refusals-'));
  ts = await createTeamState({ database: join(folder, 'teamstate.db') });
  await ts.import({ format: 'teamstate.bundle/v1', people: [{ id: 'ana', name: 'Ana' }] });
});
afterEach(async () => {
  await ts.close();
  rmSync(folder, { recursive: true, force: true });
});

async function refusal(id: string) {
  const error = await ts.approvals.decide(id, { decision: 'approve', by: 'ana' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!TeamStateError.isInstance(error)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('decisions on ids that are not approvals', () => {
  it('refuses an id over 64 characters (a 100 KB id) before anything is written', async () => {
    const error = await refusal(`apr_${'x'.repeat(100_000)}`);
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toMatch(/^id: expected an approval id such as apr_\w+ \(letters, digits, "_", "-"; at most 64 characters\)$/);
    expect(await ts.audit.list()).toEqual([]);
  });

  it('refuses an unknown id before anything is written, and an id with other characters as malformed', async () => {
    expect((await refusal('apr_000000000000000000000000')).message).toBe(
      'approval "apr_000000000000000000000000" was not found in this workspace',
    );
    expect((await refusal('apr_1\n2')).code).toBe('invalid_argument');
    expect((await refusal('')).code).toBe('invalid_argument');
    expect(await ts.audit.list()).toEqual([]);
    expect((await ts.audit.verify()).ok).toBe(true);
  });
});

describe('the database file', () => {
  it('is created readable and writable by its owner only (0600)', () => {
    expect(statSync(join(folder, 'teamstate.db')).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, 'teamstate.db-wal')).mode & 0o777).toBe(0o600);
  });
});
