/**
 * Runs async tasks one after another, in the order they were queued, so two read-modify-write
 * steps on the same state never interleave. A failed task rejects only its own promise; the next
 * one still runs.
 */
export interface SerialQueue {
  run<T>(task: () => T | Promise<T>): Promise<T>;
}

export function serialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => T | Promise<T>): Promise<T> {
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
