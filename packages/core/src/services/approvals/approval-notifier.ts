/**
 * In-process wake-ups for `wait()`: a change committed by this `TeamState` wakes its waiters at once;
 * changes from other processes are seen by polling.
 */
export interface ApprovalNotifier {
  notify(id: string): void;
  /** Calls `listener` on the next changes of `id`; returns the unsubscribe function. */
  subscribe(id: string, listener: () => void): () => void;
  /** Calls `listener` with the id on every change of any approval; returns the unsubscribe function. */
  subscribeAll(listener: (id: string) => void): () => void;
}

/** Creates an {@link ApprovalNotifier}. */
export function createApprovalNotifier(): ApprovalNotifier {
  const listeners = new Map<string, Set<() => void>>();
  const everything = new Set<(id: string) => void>();
  return {
    notify(id) {
      for (const listener of [...(listeners.get(id) ?? [])]) listener();
      for (const listener of [...everything]) listener(id);
    },
    subscribeAll(listener) {
      everything.add(listener);
      return () => {
        everything.delete(listener);
      };
    },
    subscribe(id, listener) {
      const set = listeners.get(id) ?? new Set();
      set.add(listener);
      listeners.set(id, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(id);
      };
    },
  };
}
