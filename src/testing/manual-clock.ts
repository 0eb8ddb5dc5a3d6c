/**
 * A deterministic clock for tests and benchmarks: time moves only when told, so timing logic
 * (hedges, deadlines, cool-downs) is tested without real waiting.
 */
import type { Clock, TimerHandle } from '../clock.ts';

interface ManualTimer {
  id: number;
  at: number;
  callback: () => void;
}

/**
 * A deterministic clock for tests: time moves only when told. Timers due at the same instant fire
 * in creation order. `settle` drives a promise to completion by alternately draining the microtask
 * queue and jumping to the next timer — no real waiting.
 */
export interface ManualClock extends Clock {
  /** Number of timers still scheduled. */
  pendingTimers(): number;
  /** Time of the next scheduled timer, if any. */
  nextTimerAt(): number | undefined;
  /** Move time forward, firing due timers synchronously (no microtask draining between them). */
  advanceBy(ms: number): void;
  /** Move time forward, letting promise reactions run after every timer. */
  advanceByAsync(ms: number): Promise<void>;
  /**
   * Run until `promise` settles, jumping from timer to timer. Throws if nothing is scheduled while the
   * promise is still pending (a hang) or if more than `limitMs` of simulated time passes.
   */
  settle<T>(promise: Promise<T>, limitMs?: number): Promise<T>;
}

/** Let every queued promise reaction (and reactions they queue) run. */
function drainMicrotasks(): Promise<void> {
  // setImmediate runs after the whole microtask queue (including chained reactions) is empty. It is
  // Node's, so it is looked up rather than named: src/ compiles without Node's types.
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => unknown };
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(() => resolve()));
  return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}

export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let now = startMs;
  let nextId = 1;
  // Kept sorted by (at, id); timer counts in tests are small.
  const timers: ManualTimer[] = [];

  const insert = (timer: ManualTimer) => {
    let index = timers.length;
    while (index > 0 && timers[index - 1]!.at > timer.at) index--;
    timers.splice(index, 0, timer);
  };

  const fireNextDue = (limit: number): boolean => {
    const first = timers[0];
    if (!first || first.at > limit) return false;
    timers.shift();
    now = Math.max(now, first.at);
    first.callback();
    return true;
  };

  const clock: ManualClock = {
    now: () => now,
    setTimeout(callback, delayMs) {
      const timer = { id: nextId++, at: now + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0), callback };
      insert(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      const index = timers.findIndex((timer) => timer.id === handle);
      if (index >= 0) timers.splice(index, 1);
    },
    pendingTimers: () => timers.length,
    nextTimerAt: () => timers[0]?.at,
    advanceBy(ms) {
      const target = now + ms;
      while (fireNextDue(target));
      now = target;
    },
    async advanceByAsync(ms) {
      const target = now + ms;
      await drainMicrotasks();
      while (fireNextDue(target)) await drainMicrotasks();
      now = target;
      await drainMicrotasks();
    },
    async settle(promise, limitMs = 3_600_000) {
      let settled = false;
      let value: unknown;
      let failure: unknown;
      let failed = false;
      promise.then(
        (result) => {
          settled = true;
          value = result;
        },
        (error: unknown) => {
          settled = true;
          failed = true;
          failure = error;
        },
      );
      const deadline = now + limitMs;
      await drainMicrotasks();
      while (!settled) {
        const next = timers[0];
        if (!next) throw new Error(`ManualClock.settle: promise still pending and no timer scheduled (hang) at t=${now}`);
        if (next.at > deadline) throw new Error(`ManualClock.settle: promise still pending after ${limitMs} ms of simulated time`);
        fireNextDue(next.at);
        await drainMicrotasks();
      }
      if (failed) throw failure;
      return value as Awaited<typeof promise>;
    },
  };
  return clock;
}

