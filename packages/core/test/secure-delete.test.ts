import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/kernel/store/open-store.js';
import { migrations } from '../src/migrations.js';

// What a write deletes does not stay in the file's bytes, and the write-ahead log can be emptied
// (docs/security.md#erasing-a-person): on a real local file.
let folder: string;
let store: Store;
const file = () => join(folder, 'teamstate.db');
const bytes = () => Buffer.concat([readFileSync(file()), existsSync(`${file()}-wal`) ? readFileSync(`${file()}-wal`) : Buffer.alloc(0)]);
const word = 'Quokkaberry-Marmoset';

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'teamstate-secure-delete-'));
  store = await openStore({ database: file(), now: () => 0, migrations });
});
afterEach(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('store.write', () => {
  it('overwrites what it deletes with zeros: once the log is emptied, only the name still stored is in the file', async () => {
    await store.write(async (tx) => {
      for (let i = 0; i < 50; i++)
        await tx.execute({ sql: 'INSERT INTO teams (workspace, id, name) VALUES (?, ?, ?)', args: ['w', `t${i}`, `${word} ${i}`] });
    });
    await store.write((tx) => tx.execute("DELETE FROM teams WHERE id <> 't0'"));
    // The first team's name is kept (so the search can find something), the others' are gone.
    expect(await store.emptyLog()).toBe('emptied');
    expect(statSync(`${file()}-wal`).size).toBe(0);
    const found = bytes().toString('latin1').split(word).length - 1;
    expect(found).toBe(1);
  });
});

describe('store.emptyLog', () => {
  it('says in_use while another connection reads an older snapshot, and empties the log once it is done', async () => {
    await store.write((tx) => tx.execute("INSERT INTO teams (workspace, id, name) VALUES ('w', 'a', 'A')"));
    const reader = createClient({ url: `file:${file()}` });
    const read = await reader.transaction('read');
    try {
      await read.execute('SELECT count(*) FROM teams');
      await store.write((tx) => tx.execute("INSERT INTO teams (workspace, id, name) VALUES ('w', 'b', 'B')"));
      // Waits the busy timeout for the reader, which holds its snapshot through it.
      expect(await store.emptyLog()).toBe('in_use');
      expect(statSync(`${file()}-wal`).size).toBeGreaterThan(0);
    } finally {
      read.close();
      reader.close();
    }
    expect(await store.emptyLog()).toBe('emptied');
    expect(statSync(`${file()}-wal`).size).toBe(0);
  });

  it('has nothing to empty in memory', async () => {
    const memory = await openStore({ database: ':memory:', now: () => 0, migrations });
    try {
      expect(await memory.emptyLog()).toBe('emptied');
    } finally {
      await memory.close();
    }
  });
});
