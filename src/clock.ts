/**
 * Time as the engine sees it. Everything that waits (hedges, deadlines, attempt timeouts, probe
 * timeouts, cool-downs) goes through a `Clock`, so tests and benchmarks can run on a simulated clock.
 */

/** Opaque timer handle (a number on the manual clock, a Timeout object in Node). */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch (persisted in snapshots, so it must survive a worker restart). */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};

/** Resolves after `ms` on `clock`, or rejects with the signal's reason when aborted first. */
export function delay(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
