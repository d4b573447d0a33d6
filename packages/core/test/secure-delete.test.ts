import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

  it('rebuilds a large file in a temporary file, not in memory, and keeps the connection as it was', () => {
    // A process of its own, for a peak memory of its own: a file of about 160 MB, then emptyLog(). Kept in memory (the
    // driver's default), the rebuilt copy took as much memory as the file; in a temporary file, a few MB.
    const script = join(folder, 'large.mjs');
    const open = pathToFileURL(join(import.meta.dirname, '../src/kernel/store/open-store.ts')).href;
    const all = pathToFileURL(join(import.meta.dirname, '../src/migrations.ts')).href;
    writeFileSync(
      script,
      `import { openStore } from ${JSON.stringify(open)};
       import { migrations } from ${JSON.stringify(all)};
       const store = await openStore({ database: ${JSON.stringify(join(folder, 'large.db'))}, now: () => 0, migrations });
       // In 40 writes: one write of it all would itself reach a peak above what the rebuild adds.
       for (let k = 0; k < 40; k++)
         await store.write((tx) => tx.execute({ sql: \`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
           INSERT INTO teams (workspace, id, name) SELECT 'w', 't' || (i + ?), hex(randomblob(2000)) FROM n\`, args: [k * 1000] }));
       const { rows } = await store.execute('SELECT page_count * page_size AS size FROM pragma_page_count, pragma_page_size');
       const mb = () => process.resourceUsage().maxRSS / 1024;
       const before = mb();
       const emptied = await store.emptyLog();
       const tempStore = (await store.execute('PRAGMA temp_store')).rows[0].temp_store;
       await store.close();
       process.stdout.write(JSON.stringify({ emptied, size: rows[0].size / 1048576, grew: mb() - before, tempStore }));`,
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 });
    expect(child.stderr).toBe('');
    const { emptied, size, grew, tempStore } = JSON.parse(child.stdout) as {
      emptied: string;
      size: number;
      grew: number;
      tempStore: number;
    };
    expect(emptied).toBe('emptied');
    expect(size).toBeGreaterThan(150);
    expect(grew).toBeLessThan(size / 3);
    expect(tempStore).toBe(0);
  }, 130_000);

  it('has nothing to empty in memory', async () => {
    const memory = await openStore({ database: ':memory:', now: () => 0, migrations });
    try {
      expect(await memory.emptyLog()).toBe('emptied');
    } finally {
      await memory.close();
    }
  });
});
