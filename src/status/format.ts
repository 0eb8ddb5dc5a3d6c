/**
 * Numbers for people: every latency, age, duration and count that Lifeline's pages show goes
 * through these, so the popup, the options page and the welcome page say "1.2 s", "3 min ago"
 * and "2 of 9" the same way, and a raw float such as 15.800000000017462 never reaches a screen.
 * Pure: no DOM, no Intl state shared across calls other than what is created once here.
 */
import { DISPLAY_FORMAT } from '../policy/index.ts';

/** A latency or short duration: whole milliseconds below a second, "1.2 s" (or "8 s") below ten seconds,
 *  whole seconds below a minute, then minutes. Negative or non-finite input reads as "—". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  // Compared after rounding, so 999.6 ms reads "1.0 s", never "1000 ms".
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  // Rounded first so 9,960 ms does not print as "10.0 s" next to "10 s".
  const tenths = Math.round(ms / 100) / 10;
  if (tenths < 10) return Number.isInteger(tenths) ? `${tenths} s` : `${tenths.toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return formatDuration(ms);
}

/** A longer span in the largest unit that keeps it short: "45 s", "12 min", "3 h", "2 d". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  return h < DISPLAY_FORMAT.hoursBeforeDays ? `${h} h` : `${formatInteger(h / 24)} d`;
}

/** How long ago `at` was, seen from `now`: "just now", "12 s ago", "3 min ago". A time in the
 *  future (a clock step) reads as "just now" rather than a negative age. */
export function formatAge(at: number, now: number): string {
  const ms = now - at;
  if (!Number.isFinite(ms)) return 'at an unknown time';
  if (ms < DISPLAY_FORMAT.justNowMs) return 'just now';
  return `${formatDuration(ms)} ago`;
}

/** A whole count with its noun: "1 event", "3 events", "1,204 events". */
export function formatCount(n: number, singular: string, plural = `${singular}s`): string {
  const whole = wholeCount(n);
  return `${COUNT_FORMAT.format(whole)} ${whole === 1 ? singular : plural}`;
}

/** A plain whole number with grouping, for counts shown without a noun. */
export function formatInteger(n: number): string {
  return COUNT_FORMAT.format(wholeCount(n));
}

/** Counts shown are never negative or fractional ("-0" included): those would be bugs upstream,
 *  and a person cannot act on them. */
const wholeCount = (n: number) => (Number.isFinite(n) && n > 0 ? Math.round(n) : 0);

/** "2 of 9" */
export function formatShare(part: number, whole: number): string {
  return `${formatInteger(part)} of ${formatInteger(whole)}`;
}

/** A percentage, whole: 0.357 → "36 %". */
export function formatPercent(ratio: number): string {
  return `${formatInteger(ratio * 100)} %`;
}

/** A knob or policy value in its unit, for labels and defaults: "150 ms", "30 s", "3 blocks". */
export function formatWithUnit(value: number, unit: 'ms' | 's' | 'blocks' | 'count' | 'percent' | 'factor'): string {
  switch (unit) {
    case 'ms':
      return formatMs(value);
    case 's':
      return formatDuration(value * 1000);
    case 'blocks':
      return formatCount(value, 'block');
    case 'percent':
      return `${formatInteger(value)} %`;
    case 'factor':
      return `× ${FACTOR_FORMAT.format(value)}`;
    case 'count':
      return formatInteger(value);
  }
}

// Created once: building an Intl formatter per call costs more than the formatting itself.
const COUNT_FORMAT = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const FACTOR_FORMAT = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const CLOCK_FORMAT = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A wall-clock time of day in the user's locale: "14:03:07". */
export function formatClock(at: number): string {
  return Number.isFinite(at) ? CLOCK_FORMAT.format(at) : '—';
}
