import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { migrations } from '../src/kernel/store/migrations.generated.js';

describe('embedded migrations', () => {
  it('match the SQL drizzle-kit generated (run `pnpm --filter @teamstate/core db:generate` after a schema change)', () => {
    const journal = JSON.parse(readFileSync(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8')) as {
      entries: { tag: string }[];
    };
    expect(migrations.map((m) => m.tag)).toEqual(journal.entries.map((e) => e.tag));
    for (const migration of migrations) {
      const sql = readFileSync(new URL(`../drizzle/${migration.tag}.sql`, import.meta.url), 'utf8');
      expect(migration.statements).toEqual(
        sql
          .split('--> statement-breakpoint')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    }
  });
});
