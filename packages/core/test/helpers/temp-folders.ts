import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temporary folders that are removed when the test file ends, so that test runs leave nothing in the temp folder.
 * Call at the top level of a test file; `folder(prefix)` makes one (`teamstate-policy-` → `/tmp/teamstate-policy-x1Y2z3`).
 */
export function tempFolders(): { folder(prefix: string): string } {
  const made: string[] = [];
  afterAll(() => {
    for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
  });
  return {
    folder(prefix) {
      const path = mkdtempSync(join(tmpdir(), prefix));
      made.push(path);
      return path;
    },
  };
}
