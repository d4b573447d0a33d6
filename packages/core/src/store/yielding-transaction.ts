import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { InStatement, ResultSet, Transaction } from '@libsql/client';

/** Statements a local transaction runs before it lets the event loop turn. */
export const STATEMENTS_PER_TURN = 16;

/** Statements a local transaction runs between two full garbage collections (a long import runs tens of thousands). */
export const STATEMENTS_PER_COLLECTION = 1024;

let collect: ((options: { type: 'major' }) => void) | undefined | null = null;

/**
 * A full garbage collection, now. The driver's statements are small JavaScript objects holding native memory that V8
 * does not count, so a long write transaction never looks like memory pressure to it: the wrappers of finished
 * statements outlive the young generation and wait for an old-generation collection that may not come before the
 * import ends (measured: a streamed import of a tenth of the 10,000-engineer organisation peaked at 555–604 MB with a
 * live heap of 35 MB; 436 MB collecting every 1,024 statements, at the same speed). Node exposes `gc` only behind a
 * flag, which a context created after setting it sees; without it (a runtime that refuses the flag) nothing happens.
 */
function collectGarbage(): void {
  if (collect === null) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as (options: { type: 'major' }) => void;
    } catch {
      collect = undefined;
    }
  }
  collect?.({ type: 'major' });
}

/** Lets the event loop turn once (timers, I/O and the finalizers Node defers to it run). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A local transaction that lets the event loop turn every {@link STATEMENTS_PER_TURN} statements, and collects
 * garbage every {@link STATEMENTS_PER_COLLECTION}. The local driver is
 * synchronous and frees a statement's native memory (about 250 KB after a multi-row write) only from a finalizer that
 * Node runs when the event loop turns: a long loop of `await tx.execute(…)` in one macrotask (a streamed import's
 * chunk of sprints runs hundreds) would otherwise hold every statement until it ends, and the memory allocator keeps
 * the peak. Statements still run one after the other, in order, inside the same transaction.
 */
export function yieldingTransaction(tx: Transaction, perTurn = STATEMENTS_PER_TURN): Transaction {
  let statements = 0;
  let sinceCollection = 0;
  const counted = async <T>(count: number, run: () => Promise<T>): Promise<T> => {
    statements += count;
    sinceCollection += count;
    if (statements >= perTurn) {
      statements = 0;
      if (sinceCollection >= STATEMENTS_PER_COLLECTION) {
        sinceCollection = 0;
        collectGarbage();
      }
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
