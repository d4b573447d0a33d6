import type { TeamState } from '@teamstate/core';
import { vi } from 'vitest';

/** The statements `run` sends through `ts.store.write`, in order (trimmed). */
export async function recordWrites(ts: TeamState, run: () => Promise<unknown>): Promise<string[]> {
  return (await recordWritesWithArgs(ts, run)).map(([sql]) => sql);
}

/** The statements `run` sends through `ts.store.write`, in order (trimmed), each with its arguments. */
export async function recordWritesWithArgs(ts: TeamState, run: () => Promise<unknown>): Promise<[string, unknown][]> {
  const statements: [string, unknown][] = [];
  const write = ts.store.write.bind(ts.store);
  const spy = vi.spyOn(ts.store, 'write').mockImplementation((fn, options) =>
    write(
      (tx) =>
        fn(
          new Proxy(tx, {
            get(target, property) {
              if (property !== 'execute') return Reflect.get(target, property, target);
              return (statement: Parameters<typeof target.execute>[0]) => {
                if (typeof statement === 'string') statements.push([statement.trim(), []]);
                else statements.push([statement.sql.trim(), statement.args ?? []]);
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
