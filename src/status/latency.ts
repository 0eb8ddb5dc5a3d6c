/**
 * Per-endpoint latency history for the popup's sparklines: the engine's p50 sampled once per probe
 * round into a bounded ring covering the last hour. Plain JSON so the worker can persist it.
 */
import { DISPLAY_FORMAT, STATUS_POLICY } from '../policy/index.ts';
import { formatDuration, formatMs } from './format.ts';

/** One probe round's view of an endpoint: [time ms, p50 ms or null when it had none, 1 when it
 *  was down or degraded then]. Oldest first. */
export type LatencySample = [number, number | null] | [number, number | null, 1];
export type LatencySamples = LatencySample[];
export type LatencyHistory = Record<string, LatencySamples>;

export interface SampleOptions {
  windowMs?: number;
  minGapMs?: number;
  maxSamples?: number;
}

const failingState = (state: string | undefined) => state === 'down' || state === 'degraded';

/**
 * Adds one sample per endpoint that has a p50 or is failing, unless its last sample is younger
 * than minGapMs and the endpoint did not start or stop failing since; drops samples older than the window and endpoints no longer present. Returns a
 * new history. A failing endpoint is sampled even without a p50, so the chart can mark when.
 */
export function sampleLatency(
  history: LatencyHistory,
  endpoints: ReadonlyArray<{ id: string; p50Ms?: number; state?: string }>,
  now: number,
  options: SampleOptions = {},
): LatencyHistory {
  const windowMs = options.windowMs ?? STATUS_POLICY.latencyWindowMs;
  const minGap = options.minGapMs ?? STATUS_POLICY.latencyMinSampleGapMs;
  const max = options.maxSamples ?? STATUS_POLICY.latencyMaxSamples;
  const next: LatencyHistory = {};
  for (const e of endpoints) {
    const samples = (history[e.id] ?? []).filter(([at]) => now - at <= windowMs && at <= now);
    const last = samples[samples.length - 1];
    const p50 = e.p50Ms !== undefined && Number.isFinite(e.p50Ms) ? Math.round(e.p50Ms) : null;
    const failing = failingState(e.state);
    // A change between failing and not is sampled at once: it is what the chart is for, and the
    // ring's cap bounds what a flapping endpoint can add.
    const changed = last !== undefined && (last[2] === 1) !== failing;
    if ((p50 !== null || failing) && (!last || changed || now - last[0] >= minGap)) samples.push(failing ? [now, p50, 1] : [now, p50]);
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

/** Accepts stored history, keeping only well-formed samples (older workers stored [time, p50]). */
export function restoreLatency(raw: unknown): LatencyHistory {
  if (typeof raw !== 'object' || raw === null) return {};
  const out: LatencyHistory = {};
  const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  for (const [id, samples] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(samples)) continue;
    const ok: LatencySamples = [];
    for (const s of samples) {
      if (!Array.isArray(s) || (s.length !== 2 && s.length !== 3) || !finite(s[0]) || !(s[1] === null || finite(s[1]))) continue;
      if (s.length === 3 && s[2] !== 1) continue;
      if (s[1] === null && s.length === 2) continue;
      ok.push(s.length === 3 ? [s[0], s[1], 1] : [s[0], s[1]]);
    }
    if (ok.length > 0) out[id] = ok;
  }
  return out;
}

/** The chart's drawing box in SVG units (the popup draws it at this size in CSS pixels). */
export const CHART_BOX = { width: 300, height: 40 } as const;

export interface LatencyChart {
  /** Polylines in the box (y grows downwards), one per run of samples without a gap. */
  lines: string[];
  /** Times the endpoint was failing, as x ranges in the box. */
  failures: Array<{ x: number; width: number }>;
  /** Time the x axis spans, ending now. */
  spanMs: number;
  /** The y axis runs from 0 to this (a round number above the highest p50). */
  scaleMaxMs: number;
  latestMs: number | null;
  peakMs: number | null;
  count: number;
  failingNow: boolean;
  /** Spoken summary for the accessible name. */
  label: string;
}

/** 1, 2 or 5 times a power of ten, at least `n`: axis labels a person reads at a glance. */
export function roundScale(n: number): number {
  if (!(n > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

/**
 * Geometry and words for one endpoint's latency chart over the last hour (or since its first
 * sample, at least DISPLAY_FORMAT.chartMinSpanMs), y from zero so two endpoints' charts compare,
 * failure periods as bands. Null without a sample.
 */
export function latencyChart(samples: LatencySamples, now: number, box: { width: number; height: number } = CHART_BOX, windowMs: number = STATUS_POLICY.latencyWindowMs): LatencyChart | null {
  const recent = samples.filter(([at]) => at <= now && now - at <= windowMs);
  if (recent.length === 0) return null;
  const spanMs = Math.min(windowMs, Math.max(DISPLAY_FORMAT.chartMinSpanMs, now - recent[0]![0]));
  const start = now - spanMs;
  const x = (at: number) => Math.round(((at - start) / spanMs) * box.width * 10) / 10;
  const values = recent.map(([, ms]) => ms).filter((ms): ms is number => ms !== null);
  const peakMs = values.length > 0 ? Math.max(...values) : null;
  const scaleMaxMs = roundScale(peakMs ?? 1);
  const pad = 1;
  const y = (ms: number) => Math.round((pad + (1 - ms / scaleMaxMs) * (box.height - 2 * pad)) * 10) / 10;

  const lines: string[] = [];
  let run: string[] = [];
  let previousAt: number | null = null;
  for (const [at, ms] of recent) {
    const gap = previousAt !== null && at - previousAt > DISPLAY_FORMAT.chartMaxJoinGapMs;
    if ((ms === null || gap) && run.length > 0) {
      lines.push(run.join(' '));
      run = [];
    }
    if (ms !== null) run.push(`${x(at)},${y(ms)}`);
    previousAt = at;
  }
  if (run.length > 0) lines.push(run.join(' '));

  // A failing sample covers the time since the sample before it (or one probe gap at the start).
  const failures: Array<{ x: number; width: number }> = [];
  recent.forEach((s, i) => {
    if (s[2] !== 1) return;
    const from = Math.max(start, i > 0 ? recent[i - 1]![0] : s[0] - STATUS_POLICY.latencyMinSampleGapMs);
    const band = { x: x(from), width: Math.max(2, x(s[0]) - x(from)) };
    const last = failures[failures.length - 1];
    if (last && Math.abs(last.x + last.width - band.x) < 0.5) last.width = Math.round((band.x + band.width - last.x) * 10) / 10;
    else failures.push(band);
  });

  const latest = recent[recent.length - 1]!;
  const latestMs = latest[1];
  const failingNow = latest[2] === 1;
  const failedSamples = recent.filter((s) => s[2] === 1).length;
  const parts = [
    `Latency over the last ${formatDuration(spanMs)}: ${recent.length === 1 ? '1 sample' : `${recent.length} samples`}`,
    peakMs !== null ? `peak ${formatMs(peakMs)}` : 'no answers',
    latestMs !== null ? `latest ${formatMs(latestMs)}` : null,
    failedSamples > 0 ? `failing in ${failedSamples === 1 ? '1 check' : `${failedSamples} checks`}${failingNow ? ', failing now' : ''}` : null,
  ].filter(Boolean);
  return { lines, failures, spanMs, scaleMaxMs, latestMs, peakMs, count: recent.length, failingNow, label: parts.join(', ') };
}
