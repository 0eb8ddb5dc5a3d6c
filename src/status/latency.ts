/**
 * Per-endpoint latency history for the popup's sparklines: the engine's p50 sampled once per probe
 * round into a bounded ring covering the last hour. Plain JSON so the worker can persist it.
 */
import { STATUS_POLICY } from '../policy/index.ts';

/** [time ms, p50 ms] pairs, oldest first. */
export type LatencySamples = Array<[number, number]>;
export type LatencyHistory = Record<string, LatencySamples>;

export interface SampleOptions {
  windowMs?: number;
  minGapMs?: number;
  maxSamples?: number;
}

/**
 * Adds one sample per endpoint that has a p50, unless its last sample is younger than minGapMs;
 * drops samples older than the window and endpoints no longer present. Returns a new history.
 */
export function sampleLatency(
  history: LatencyHistory,
  endpoints: ReadonlyArray<{ id: string; p50Ms?: number }>,
  now: number,
  options: SampleOptions = {},
): LatencyHistory {
  const windowMs = options.windowMs ?? STATUS_POLICY.latencyWindowMs;
  const minGap = options.minGapMs ?? STATUS_POLICY.latencyMinSampleGapMs;
  const max = options.maxSamples ?? STATUS_POLICY.latencyMaxSamples;
  const next: LatencyHistory = {};
  for (const e of endpoints) {
    const samples = (history[e.id] ?? []).filter(([at, ms]) => now - at <= windowMs && at <= now && Number.isFinite(ms));
    const last = samples[samples.length - 1];
    if (e.p50Ms !== undefined && Number.isFinite(e.p50Ms) && (!last || now - last[0] >= minGap)) samples.push([now, Math.round(e.p50Ms)]);
    if (samples.length > 0) next[e.id] = samples.slice(-max);
  }
  return next;
}

/**
 * Whether `next` (from sampleLatency on `previous`) holds the same samples. Series only grow at
 * the end and shrink at the start, so length and the two ends decide it without a deep compare.
 */
export function sameLatency(previous: LatencyHistory, next: LatencyHistory): boolean {
  const ids = Object.keys(next);
  if (ids.length !== Object.keys(previous).length) return false;
  return ids.every((id) => {
    const a = previous[id];
    const b = next[id]!;
    return a !== undefined && a.length === b.length && a[0]?.[0] === b[0]?.[0] && a[a.length - 1]?.[0] === b[b.length - 1]?.[0];
  });
}

/** Accepts stored history, keeping only well-formed pairs. */
export function restoreLatency(raw: unknown): LatencyHistory {
  if (typeof raw !== 'object' || raw === null) return {};
  const out: LatencyHistory = {};
  for (const [id, samples] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(samples)) continue;
    const ok = samples.filter((s): s is [number, number] => Array.isArray(s) && s.length === 2 && s.every((n) => typeof n === 'number' && Number.isFinite(n)));
    if (ok.length > 0) out[id] = ok;
  }
  return out;
}

/** The popup's sparkline size in CSS pixels. */
export const SPARKLINE_BOX = { width: 60, height: 16 } as const;

export interface Sparkline {
  /** SVG polyline points in a width × height box (y grows downwards). */
  points: string;
  min: number;
  max: number;
  latest: number;
  count: number;
  /** Spoken summary for aria-label. */
  label: string;
}

/** Geometry and words for an inline SVG sparkline; null without at least one sample. */
export function sparkline(samples: LatencySamples, width: number, height: number, now: number, windowMs: number = STATUS_POLICY.latencyWindowMs): Sparkline | null {
  if (samples.length === 0) return null;
  const values = samples.map(([, ms]) => ms);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const pad = 1;
  const start = now - windowMs;
  const points = samples
    .map(([at, ms]) => {
      const x = samples.length === 1 ? width : ((Math.max(at, start) - start) / windowMs) * width;
      const y = max === min ? height / 2 : pad + (1 - (ms - min) / span) * (height - 2 * pad);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  const latest = values[values.length - 1]!;
  const minutes = Math.max(1, Math.round((now - samples[0]![0]) / 60_000));
  const label = `Latency over the last ${minutes} min: ${count(samples.length)}, min ${min} ms, max ${max} ms, latest ${latest} ms`;
  return { points, min, max, latest, count: samples.length, label };
}

const count = (n: number) => (n === 1 ? '1 sample' : `${n} samples`);
