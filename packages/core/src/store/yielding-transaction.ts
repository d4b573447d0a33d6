import type { InStatement, ResultSet, Transaction } from '@libsql/client';

/** Statements a local transaction runs before it lets the event loop turn. */
export const STATEMENTS_PER_TURN = 16;

/** Lets the event loop turn once (timers, I/O and the finalizers Node defers to it run). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A local transaction that lets the event loop turn every {@link STATEMENTS_PER_TURN} statements. The local driver is
 * synchronous and frees a statement's native memory (about 250 KB after a multi-row write) only from a finalizer that
 * Node runs when the event loop turns: a long loop of `await tx.execute(…)` in one macrotask (a streamed import's
 * chunk of sprints runs hundreds) would otherwise hold every statement until it ends, and the memory allocator keeps
 * the peak. Statements still run one after the other, in order, inside the same transaction.
 */
export function yieldingTransaction(tx: Transaction, perTurn = STATEMENTS_PER_TURN): Transaction {
  let statements = 0;
  const counted = async <T>(count: number, run: () => Promise<T>): Promise<T> => {
    statements += count;
    if (statements >= perTurn) {
      statements = 0;
      await nextTurn();
    }
    return run();
  };
  return {
    execute: (stmt: InStatement): Promise<ResultSet> => counted(1, () => tx.execute(stmt)),
    batch: (stmts: InStatement[]): Promise<ResultSet[]> => counted(stmts.length, () => tx.batch(stmts)),
    executeMultiple: (sql: string): Promise<void> => counted(perTurn, () => tx.executeMultiple(sql)),
    rollback: () => tx.rollback(),
    commit: () => tx.commit(),
    close: () => tx.close(),
    get closed() {
      return tx.closed;
    },
  };
}
