/**
 * The time rules of page endpoint health, pure so they can be tested on their own: when a page's
 * request counts as hung for this host, and how long a flapping host must stay up before its
 * redirect goes.
 */
import { percentileOfSorted } from '../health/window.ts';

export interface HangThresholdLimits {
  factor: number;
  floorMs: number;
  coldMs: number;
  minSamples: number;
}

/**
 * How long a request to this host may go unanswered before it is suspected hung: p95 of its
 * recent answers × factor, within floor…ceiling; the cold value (within the same bounds) while
 * there are too few answers to know the host.
 */
export function hangThresholdMs(latencies: readonly number[], limits: HangThresholdLimits, ceilingMs: number): number {
  const clamp = (ms: number) => Math.min(ceilingMs, Math.max(limits.floorMs, ms));
  const samples = latencies.filter((v) => Number.isFinite(v) && v >= 0);
  if (samples.length < limits.minSamples) return clamp(limits.coldMs);
  const p95 = percentileOfSorted(samples.sort((a, b) => a - b), 95) ?? limits.coldMs;
  return clamp(Math.round(p95 * limits.factor));
}

export interface FlapLimits {
  flapWindowMs: number;
  flapHoldMs: number;
  flapHoldMaxMs: number;
}

/** Down transitions still inside the flap window, oldest first. */
export function recentDowns(downs: readonly number[], now: number, limits: Pick<FlapLimits, 'flapWindowMs'>): number[] {
  return downs.filter((at) => at <= now && now - at < limits.flapWindowMs);
}

/**
 * How long the endpoint must keep answering before it counts as recovered: nothing after a single
 * outage (one good probe ends it, as always), the hold after the second outage in the window,
 * doubling with each further one up to the maximum.
 */
export function recoveryHoldMs(downs: readonly number[], now: number, limits: FlapLimits): number {
  const n = recentDowns(downs, now, limits).length;
  if (n < 2) return 0;
  return Math.min(limits.flapHoldMaxMs, limits.flapHoldMs * 2 ** Math.min(n - 2, 16));
}
