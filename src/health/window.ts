/**
 * Fixed-size sliding windows kept as plain arrays, so health state serialises as JSON as-is
 * (the extension's service worker can be killed at any moment and restores from a snapshot).
 */

export interface RingState {
  /** Oldest-first once full; `cursor` is where the next sample goes. */
  values: number[];
  cursor: number;
}

export function emptyRing(): RingState {
  return { values: [], cursor: 0 };
}

export function pushRing(ring: RingState, value: number, capacity: number): void {
  if (ring.values.length < capacity) {
    ring.values.push(value);
    ring.cursor = ring.values.length % capacity;
    return;
  }
  if (ring.values.length > capacity) {
    // Capacity shrank (policy change): keep the newest `capacity` values.
    ring.values = orderedValues(ring).slice(-capacity);
    ring.cursor = 0;
  }
  ring.values[ring.cursor] = value;
  ring.cursor = (ring.cursor + 1) % capacity;
}

/** Values oldest first. */
export function orderedValues(ring: RingState): number[] {
  if (ring.cursor === 0 || ring.cursor >= ring.values.length) return ring.values.slice();
  return [...ring.values.slice(ring.cursor), ...ring.values.slice(0, ring.cursor)];
}

/** Nearest-rank percentile of an ascending-sorted array (p in 0..100). */
export function percentileOfSorted(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface LatencySummary {
  count: number;
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
}

export function summariseLatencies(values: readonly number[]): LatencySummary {
  const sorted = values.slice().sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
  };
}

/** Failure ratio of an outcome ring holding 1 (success) / 0 (failure). */
export function failureRatio(ring: RingState): { failures: number; samples: number } {
  let failures = 0;
  for (const value of ring.values) if (value === 0) failures++;
  return { failures, samples: ring.values.length };
}
