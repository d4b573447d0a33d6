import type { TeamState } from '@teamstate/core';
import { vi } from 'vitest';

/** The statements `run` sends through `ts.store.write`, in order (trimmed). */
export async function recordWrites(ts: TeamState, run: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const write = ts.store.write.bind(ts.store);
  const spy = vi.spyOn(ts.store, 'write').mockImplementation((fn, options) =>
    write(
      (tx) =>
        fn(
          new Proxy(tx, {
            get(target, property) {
              if (property !== 'execute') return Reflect.get(target, property, target);
              return (statement: Parameters<typeof target.execute>[0]) => {
                statements.push((typeof statement === 'string' ? statement : statement.sql).trim());
                return target.execute(statement);
              };
            },
          }),
        ),
      options,
    ),
  );
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return statements;
}
