/** Runs tool calls at most a given number at a time, in the order they arrive; the others wait their turn. */
export interface CallQueue {
  /**
   * Runs `work` once a turn is free (after letting the event loop turn, so requests that are no tool call, such as an
   * initialize or a ping, are answered between calls). A call whose `signal` aborts while it waits never starts: it
   * rejects with the signal's reason.
   */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A queue of `limit` turns. The store's local driver answers a statement synchronously, on the event loop: many heavy
 * calls at once would each take as long as all of them together and starve every other request of the server (a new
 * session's initialize waited past its client's timeout); in turns, the first come are answered first.
 */
export function createCallQueue(limit: number): CallQueue {
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finished call hands its turn to the first waiting one, if any.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  async function turn(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (running < limit) {
      running++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = () => {
        waiting.splice(waiting.indexOf(start), 1);
        reject(signal!.reason);
      };
      waiting.push(start);
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }
  return {
    async run(work, signal) {
      await turn(signal);
      try {
        await nextTurn();
        return await work();
      } finally {
        release();
      }
    },
  };
}

const queues = new WeakMap<object, CallQueue>();

/** How many tool calls of one `TeamState` run at once: the store reads on one thread, so a few overlap only their waits. */
export const TOOL_CALLS_AT_ONCE = 2;

/** The queue shared by every MCP server over `owner` (each HTTP session and request has a server of its own). */
export function callQueueOf(owner: object): CallQueue {
  let queue = queues.get(owner);
  if (!queue) {
    queue = createCallQueue(TOOL_CALLS_AT_ONCE);
    queues.set(owner, queue);
  }
  return queue;
}
