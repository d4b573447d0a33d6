/** Waits `ms` milliseconds; rejects with the signal's reason when it is aborted first. */
export const timer = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const handle = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(handle);
      reject(signal.reason);
    });
  });
