/**
 * The one ranking of a chain's endpoints: which may serve, and in what order. The router tries
 * endpoints in this order, the popup names the first as the one in use, and a dApp's dead RPC is
 * redirected to the first with a safe URL, so all three agree. Pure: reads endpoint views only.
 */
import type { EndpointView } from '../health/tracker.ts';
import type { Policy } from '../policy/index.ts';

/** What ranking reads of an endpoint: a subset of the engine's view, so views rank as they are. */
export type RankInput = Pick<EndpointView, 'id' | 'source'> &
  Partial<Pick<EndpointView, 'enabled' | 'state' | 'p50Ms' | 'errorRate' | 'lagBlocks' | 'chainVerified' | 'availability' | 'infrastructureFailedRecently' | 'silent' | 'unheard'>>;

export type RankPolicy = Pick<Policy, 'score' | 'diversity'>;

export interface RankContext {
  /** Endpoints lagging more blocks than this may not serve; Infinity when lag does not disqualify. */
  lagToleranceBlocks: number;
  /**
   * Healthy endpoints before degraded ones, whatever their score. For choices that no per-request
   * fail-over or hedge stands behind (a redirect rule, the popup's guess); the router does not use it.
   */
  healthyFirst?: boolean;
}

export interface Ranked<V extends RankInput> {
  view: V;
  /** Expected cost in milliseconds: latency plus penalties for what makes a failure likelier. */
  score: number;
  /** Only when nothing else is left (breaker open): better a likely failure than no attempt. */
  lastResort: boolean;
}

/** Whether the endpoint may serve at all. Rate-limited ones told us when to come back: honour that. */
export function mayServe(view: RankInput, context: RankContext): boolean {
  if (view.enabled === false || view.chainVerified === false || view.availability === 'rate-limited') return false;
  return view.lagBlocks === undefined || view.lagBlocks <= context.lagToleranceBlocks;
}

export function rankScore(view: RankInput, policy: RankPolicy): number {
  const { score } = policy;
  let total = view.p50Ms ?? score.coldLatencyMs;
  total += (view.errorRate ?? 0) * score.errorRatePenaltyMs;
  if (view.availability === 'trial') total += score.halfOpenPenaltyMs;
  if (view.chainVerified === undefined) total += score.unverifiedPenaltyMs;
  if (view.lagBlocks !== undefined) total += Math.min(view.lagBlocks, score.lagPenaltyMaxBlocks) * score.lagPenaltyMsPerBlock;
  if (view.infrastructureFailedRecently) total += policy.diversity.recentFailurePenaltyMs;
  if (view.unheard) total += score.unheardPenaltyMs;
  return total;
}

/** The preference part of the order: the user's own endpoints before defaults, then lower score. */
export function preferenceKey(source: RankInput['source'], score: number): [number, number] {
  return [source === 'user' ? 0 : 1, score];
}

export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < a.length; index++) {
    const difference = a[index]! - b[index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

const HEALTH_TIER: Partial<Record<NonNullable<RankInput['state']>, number>> = { healthy: 0, degraded: 1 };

/**
 * Endpoints that may serve, best first; equal ones keep their given (registry) order. A silent
 * endpoint (a request to it unanswered past its hedge delay, or its last outcome a timeout) goes
 * behind every answering one, the user's own included: waiting on it is what makes a read slow.
 */
export function rankEndpoints<V extends RankInput>(views: readonly V[], policy: RankPolicy, context: RankContext): Ranked<V>[] {
  const ranked = views.filter((view) => mayServe(view, context)).map((view) => ({ view, score: rankScore(view, policy), lastResort: view.availability === 'open' }));
  const key = (entry: Ranked<V>) => [
    context.healthyFirst ? (HEALTH_TIER[entry.view.state ?? 'unknown'] ?? 2) : 0,
    entry.lastResort ? 1 : 0,
    entry.view.silent ? 1 : 0,
    ...preferenceKey(entry.view.source, entry.score),
  ];
  return ranked.sort((a, b) => compareKeys(key(a), key(b)));
}
