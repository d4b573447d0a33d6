import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoBundle } from '@teamstate/connectors/demo';
import { createTeamState } from '@teamstate/core';

/** The benches' fixed now: the large demo is generated around it. */
export const NOW = new Date('2026-11-21T10:00:00Z');

/** The large demo in a database file, built once per machine and reused (the import takes a while). */
export async function largeDemo(): Promise<string> {
  const path = join(tmpdir(), `teamstate-bench-large-${NOW.toISOString().slice(0, 10)}-v2.db`);
  if (existsSync(path)) return path;
  const building = `${path}.${process.pid}.tmp`;
  const ts = await createTeamState({ database: `file:${building}`, clock: () => NOW });
  await ts.import(demoBundle({ now: NOW, scale: 'large' }));
  await ts.close();
  for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  renameSync(building, path);
  return path;
}

/** The median of a list of timings. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
