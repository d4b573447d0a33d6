import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { InStatement, ResultSet, Transaction } from '@libsql/client';
import { holdYoungGeneration, type YoungGenerationHold } from './young-generation.js';

/** Statements a local transaction runs before it lets the event loop turn. */
export const STATEMENTS_PER_TURN = 16;

/** Statements a local transaction runs between two full garbage collections (a long import runs tens of thousands). */
export const STATEMENTS_PER_COLLECTION = 1024;

let collect: ((options: { type: 'major'; flavor: 'regular' | 'last-resort' }) => void) | undefined | null = null;

/**
 * A full garbage collection, now. The driver's statements are small JavaScript objects holding native memory that V8
 * does not count, so a long write transaction never looks like memory pressure to it: the wrappers of finished
 * statements outlive the young generation and wait for an old-generation collection that may not come before the
 * import ends (measured: a streamed import of a tenth of the 10,000-engineer organisation peaked at 555–604 MB with a
 * live heap of 35 MB; 436 MB collecting every 1,024 statements, at the same speed). Node exposes `gc` only behind a
 * flag, which a context created after setting it sees; without it (a runtime that refuses the flag) nothing happens.
 * With `shrink`, the collection also reduces memory: V8 gives back the young generation it does not need.
 */
function collectGarbage(shrink: boolean): void {
  if (collect === null) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as typeof collect;
    } catch {
      collect = undefined;
    }
  }
  collect?.({ type: 'major', flavor: shrink ? 'last-resort' : 'regular' });
}

/** Lets the event loop turn once (timers, I/O and the finalizers Node defers to it run). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A local transaction that lets the event loop turn every {@link STATEMENTS_PER_TURN} statements, and collects
 * garbage every {@link STATEMENTS_PER_COLLECTION}; from its first turn on, it holds V8's young generation at 32 MB
 * (`holdYoungGeneration`; a young generation found larger, once the transaction has collected, is collected at the
 * next turn) until it commits,
 * rolls back or closes. The local driver is
 * synchronous and frees a statement's native memory (about 250 KB after a multi-row write) only from a finalizer that
 * Node runs when the event loop turns: a long loop of `await tx.execute(…)` in one macrotask (a streamed import's
 * chunk of sprints runs hundreds) would otherwise hold every statement until it ends, and the memory allocator keeps
 * the peak. Statements still run one after the other, in order, inside the same transaction.
 */
export function yieldingTransaction(tx: Transaction, perTurn = STATEMENTS_PER_TURN): Transaction {
  let statements = 0;
  let sinceCollection = 0;
  let collected = false;
  let hold: YoungGenerationHold | undefined;
  const release = () => {
    hold?.release();
    hold = undefined;
  };
  const counted = async <T>(count: number, run: () => Promise<T>): Promise<T> => {
    statements += count;
    sinceCollection += count;
    // While V8 may grow the young generation, every statement checks it (a chunk's work can grow it twice in a turn).
    if (hold?.growing()) hold.step();
    if (statements >= perTurn) {
      statements = 0;
      hold ??= holdYoungGeneration();
      // Once the transaction is long (it collected), a young generation over the hold is collected at this turn: pages
      // V8 added while a major collection marks go back when a full collection ends that marking (in the hold's test,
      // waiting 128 statements left it over the hold for 20-33 statements, at up to 45 MB); one that doubled past the
      // hold is shrunk by a collection that reduces memory, which is also what the first collection does to one that
      // grew before the transaction.
      const excess = hold.excess();
      if (sinceCollection >= STATEMENTS_PER_COLLECTION || (collected && excess !== 'none')) {
        sinceCollection = 0;
        collected = true;
        collectGarbage(excess === 'grown');
      }
      hold.step();
      await nextTurn();
    }
    return run();
  };
  return {
    execute: (stmt: InStatement): Promise<ResultSet> => counted(1, () => tx.execute(stmt)),
    batch: (stmts: InStatement[]): Promise<ResultSet[]> => counted(stmts.length, () => tx.batch(stmts)),
    executeMultiple: (sql: string): Promise<void> => counted(perTurn, () => tx.executeMultiple(sql)),
    rollback: () => {
      release();
      return tx.rollback();
    },
    commit: () => {
      release();
      return tx.commit();
    },
    close: () => {
      release();
      tx.close();
    },
    get closed() {
      return tx.closed;
    },
  };
}
