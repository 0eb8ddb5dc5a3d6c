/**
 * The failover benchmark's figures, from the reads a page recorded (bench/failover-page.ts): pure,
 * so the way a window is cut and a target judged is unit-tested (failover-metrics.test.ts).
 */
import type { ReadRecord } from './failover-page';
import { formatMs, percentile, round } from './stats';

/** Latency figures of the reads issued in one window. */
export interface WindowMetrics {
  /** Milliseconds from issue to answer; a failed read counts at its time to failure. */
  p50: number | null;
  p99: number | null;
  failed: number;
  reads: number;
}

export interface SideMetrics extends WindowMetrics {
  /** From the outage's start to the first correct answer to a read issued in the window. */
  firstGoodMs: number | null;
  [extra: string]: unknown;
}

export interface ScenarioResult {
  lifeline: SideMetrics;
  baseline: SideMetrics;
  measuredAt: string;
}

/** Reads issued in [from, to). */
export function issuedIn(records: readonly ReadRecord[], from: number, to: number): ReadRecord[] {
  return records.filter((r) => r.start >= from && r.start < to);
}

export function windowMetrics(records: readonly ReadRecord[], from: number, to: number): WindowMetrics {
  const reads = issuedIn(records, from, to);
  const ms = reads.map((r) => r.end - r.start);
  const at = (p: number) => (ms.length ? round(percentile(ms, p), 1) : null);
  return { p50: at(0.5), p99: at(0.99), failed: reads.filter((r) => !r.ok).length, reads: reads.length };
}

/** Figures of an outage starting at `outageAt`, over the reads issued in its first `windowMs`. */
export function outageMetrics(records: readonly ReadRecord[], outageAt: number, windowMs: number): SideMetrics {
  const good = issuedIn(records, outageAt, outageAt + windowMs).filter((r) => r.ok);
  const firstGood = good.length ? Math.min(...good.map((r) => r.end)) : null;
  return { ...windowMetrics(records, outageAt, outageAt + windowMs), firstGoodMs: firstGood === null ? null : round(firstGood - outageAt, 1) };
}

export interface TargetVerdict {
  /** What is required, in words, e.g. "p99 ≤ 500 ms". */
  target: string;
  /** What Lifeline achieved, in words. */
  measured: string;
  pass: boolean;
}

/** Targets, judged on the Lifeline side only (the baseline is the comparison, not the goal). */
export const TARGETS = {
  /** Wallet reads while the wallet's RPC is down: an answer within half a second. */
  walletP99Ms: 500,
  /** A dApp whose own RPC host hangs gets a good answer within 1.5 s. */
  dappFirstGoodMs: 1_500,
  /** After the wallet's RPC recovers, reads are about as fast as when healthy: 3× its healthy
   *  p99, but no tighter than 250 ms (a healthy p99 of a few ms would otherwise demand the noise). */
  afterRecoveryFactor: 3,
  afterRecoveryFloorMs: 250,
  /** Traffic back on the recovered endpoint within a minute. */
  recoveryMs: 60_000,
} as const;

const WALLET_P99_SCENARIOS = new Set(['wallet-open-tab', 'wallet-new-tab', 'broad-outage']);

const shown = (ms: number | null | undefined) => (typeof ms === 'number' ? formatMs(ms) : 'never');

/** The target a scenario is judged against, or null when it has none. */
export function judge(name: string, result: Pick<ScenarioResult, 'lifeline'>): TargetVerdict | null {
  const side = result.lifeline;
  if (WALLET_P99_SCENARIOS.has(name)) {
    return { target: `p99 ≤ ${TARGETS.walletP99Ms} ms`, measured: `p99 ${shown(side.p99)}`, pass: side.p99 !== null && side.p99 <= TARGETS.walletP99Ms };
  }
  if (name.startsWith('dapp-hang-')) {
    return { target: `first good ≤ ${TARGETS.dappFirstGoodMs} ms`, measured: `first good ${shown(side.firstGoodMs)}`, pass: side.firstGoodMs !== null && side.firstGoodMs <= TARGETS.dappFirstGoodMs };
  }
  if (name === 'multi-tab') {
    const healthy = side.healthy as WindowMetrics | undefined;
    const after = side.after as WindowMetrics | undefined;
    if (!healthy || healthy.p99 === null) return { target: 'after-recovery p99 ≤ max(3× healthy p99, 250 ms)', measured: 'no healthy p99', pass: false };
    const limit = Math.max(TARGETS.afterRecoveryFactor * healthy.p99, TARGETS.afterRecoveryFloorMs);
    return {
      target: `after-recovery p99 ≤ ${formatMs(limit)} (max(3× healthy p99 ${formatMs(healthy.p99)}, 250 ms))`,
      measured: `after p99 ${shown(after?.p99)}`,
      pass: after?.p99 !== null && after?.p99 !== undefined && after.p99 <= limit,
    };
  }
  if (name.startsWith('recovery-')) {
    const recovered = side.recoveredMs as number | null | undefined;
    return { target: `recovered ≤ ${formatMs(TARGETS.recoveryMs)}`, measured: `recovered ${shown(recovered)}`, pass: typeof recovered === 'number' && recovered <= TARGETS.recoveryMs };
  }
  return null;
}

const cell = (ms: number | null | undefined) => (typeof ms === 'number' ? formatMs(ms) : '—');
const sideCells = (s: SideMetrics) => [cell(s.p50), cell(s.p99), `${s.failed}/${s.reads}`, typeof s.firstGoodMs === 'number' ? formatMs(s.firstGoodMs) : 'never'];

/** Scenario-specific figures beyond the common five, in words. */
function extras(side: SideMetrics): string {
  const parts: string[] = [];
  const windows = ['healthy', 'during', 'after'] as const;
  for (const key of windows) {
    const w = side[key] as WindowMetrics | undefined;
    if (w) parts.push(`${key} p99 ${cell(w.p99)}${w.failed ? ` (${w.failed}/${w.reads} failed)` : ''}`);
  }
  if ('recoveredMs' in side) parts.push(`recovered ${shown(side.recoveredMs as number | null)}`);
  if (typeof side.ruleRemovedMs === 'number') parts.push(`redirect rule removed ${formatMs(side.ruleRemovedMs)} after recovery`);
  if (typeof side.redirectedRequests === 'number' && side.redirectedRequests > 0) parts.push(`${side.redirectedRequests} requests redirected`);
  else if (side.chainLearned === true) parts.push('no request redirected');
  if (typeof side.firstGoodSinceOpenMs === 'number') parts.push(`first good ${formatMs(side.firstGoodSinceOpenMs)} after the tab opened`);
  return parts.join('; ');
}

/** One markdown line per scenario: Lifeline and baseline side by side, then the target. */
export function markdownTable(scenarios: Record<string, ScenarioResult>): string {
  const head = [
    '| scenario | Lifeline p50 | p99 | failed/reads | first good | baseline p50 | p99 | failed/reads | first good | Lifeline, more | baseline, more | target | |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- |',
  ];
  const rows = Object.entries(scenarios).map(([name, r]) => {
    const verdict = judge(name, r);
    return `| ${[name, ...sideCells(r.lifeline), ...sideCells(r.baseline), extras(r.lifeline) || '', extras(r.baseline) || '', verdict ? `${verdict.target}: ${verdict.measured}` : '', verdict ? (verdict.pass ? 'PASS' : 'FAIL') : ''].join(' | ')} |`;
  });
  return [...head, ...rows].join('\n');
}
