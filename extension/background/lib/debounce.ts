/**
 * Coalesces bursts of calls into one run of `task`, `waitMs` after the first call of the burst.
 * The wait is not extended by later calls, so a steady stream of changes still runs `task` every
 * `waitMs` (a write is delayed at most that long, never starved). A task that throws or rejects
 * never breaks later runs.
 */
export function debounce(task: () => unknown, waitMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      try {
        void Promise.resolve(task()).catch(() => undefined);
      } catch {
        // Same as a rejection: the next call schedules a fresh run.
      }
    }, waitMs);
  };
}
