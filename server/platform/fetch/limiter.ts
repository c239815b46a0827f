/**
 * Runs at most `max` tasks at once; the rest wait their turn in order. A waiting task whose
 * signal aborts leaves the queue and rejects with the signal's reason.
 */
export function createLimiter(max: number) {
  let active = 0;
  const queue: (() => void)[] = [];

  const acquire = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      signal.throwIfAborted();
      if (active < max) {
        active += 1;
        return resolve();
      }
      const start = () => {
        signal.removeEventListener('abort', onAbort);
        active += 1;
        resolve();
      };
      const onAbort = () => {
        queue.splice(queue.indexOf(start), 1);
        reject(signal.reason);
      };
      queue.push(start);
      signal.addEventListener('abort', onAbort, { once: true });
    });

  const release = () => {
    active -= 1;
    queue.shift()?.();
  };

  return async function limit<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    await acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  };
}
