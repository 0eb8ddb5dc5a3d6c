/**
 * Every number the engine decides with, in one place, each with the reason it has that value.
 * Anchors from peers' public source: ethers FallbackProvider stalls 400 ms before asking the next provider;
 * viem `fallback` waits a full 10 s HTTP timeout per endpoint; eRPC hedges at p70 (100 ms floor);
 * dshackle tolerates 0/1/4 blocks of lag depending on the method; MetaMask parks an endpoint for
 * 30 min after 15 consecutive failures.
 *
 * Every engine factory takes a `PolicyOverride` (any subset) so users and benchmarks can tune.
 */
import { BLOCK_TIME_MS_BY_CHAIN, REFERENCE_BLOCK_TIME_MS } from '../registry/chains.ts';
import { isRecord } from '../types.ts';

/** How much head lag a method can live with; the per-class tolerance lives in `lag.toleranceL1Blocks`. */
export type LagClass = 'head' | 'block' | 'execution' | 'none';

export interface QuorumRule {
  /** Identical answers required… */
  k: number;
  /** …out of this many endpoints from distinct providers. */
  n: number;
}

export interface Policy {
  request: {
    /** A wallet shows a spinner; after 8 s the user is better served by an honest error. */
    deadlineMs: number;
    /** One attempt that has not answered in 4 s is treated as a hang ("no answer in 4 s"). */
    attemptTimeoutMs: number;
    /** Upper bound on endpoints tried for one read, so one request can't sweep a large registry. */
    maxAttempts: number;
  };
  hedge: {
    /** Hedge delay = p95 × 1.2: only the slowest ~5 % of answers trigger a second request. */
    p95Multiplier: number;
    /** Never hedge sooner than 150 ms: below that the second request mostly duplicates load. */
    minDelayMs: number;
    /** Never wait more than 750 ms: a user notices; ethers stalls 400 ms, viem 10 s. */
    maxDelayMs: number;
    /** Before we have latency samples: ethers' 400 ms stall, the best-known peer default. */
    coldDelayMs: number;
    /** p95 from fewer samples than this is noise; use the cold delay instead. */
    minSamples: number;
    /** At most 3 endpoints busy with one read: enough to beat one hang + one slow, bounded load. */
    maxInFlight: number;
  };
  retryBudget: {
    /** Retries (hedges + fail-overs) may add at most 20 % to the request rate during an outage. */
    ratio: number;
    /** …plus one retry per second, so a quiet wallet can still fail over its rare requests. */
    floorPerSecond: number;
    /** Bucket size: a burst of 20 retries covers a whole page load failing over at once. */
    maxTokens: number;
  };
  breaker: {
    /** Three failures in a row is no longer bad luck. */
    consecutiveFailures: number;
    /** Sliding window of the last 20 outcomes for the failure ratio. */
    windowSize: number;
    /** Half of recent requests failing means the endpoint is more trouble than help. */
    failureRatio: number;
    /** Don't judge a ratio on fewer than 10 outcomes (1 of 2 failing is not 50 %). */
    minWindowSamples: number;
    /** First cool-down 5 s: short outages (a deploy, a restart) recover quickly. */
    initialCooldownMs: number;
    /** Doubling stops at 5 min so a recovered endpoint is found again within minutes. */
    maxCooldownMs: number;
    /** A half-open trial whose outcome never arrived frees its slot after 10 s. */
    trialTimeoutMs: number;
  };
  rateLimit: {
    /** 429 without Retry-After: back off 5 s (one breaker cool-down) before asking again. */
    defaultBackoffMs: number;
    /** Honour Retry-After, but never park an endpoint for more than 5 min on its say-so. */
    maxBackoffMs: number;
  };
  latency: {
    /** 50 samples: a p95 needs a few dozen; more would react slowly to a provider's change. */
    windowSize: number;
  };
  health: {
    /** 20 % errors over the last 20 outcomes shows as degraded in the UI. */
    degradedErrorRate: number;
    /** p95 above 2 s is "slow" (Chainlist marks >5 s slower than the best as red). */
    slowP95Ms: number;
  };
  lag: {
    /** Tolerances below are written in Ethereum L1 blocks (12 s) and scaled by a chain's block time. */
    referenceBlockTimeMs: number;
    /** dshackle: 0 for balance/nonce/blockNumber, 1 for blocks/receipts/logs, 4 for call/gas. */
    toleranceL1Blocks: Record<Exclude<LagClass, 'none'>, number>;
    /**
     * More than 3 L1 blocks (36 s) behind is lagging, shown as degraded (Chainlist red at >3). A
     * policy that moves this line but sets no tolerances moves every `toleranceL1Blocks` by as much
     * (never below 0), so "how much lag is tolerated" is one user knob for display and routing.
     */
    degradedL1Blocks: number;
    /** More than 64 L1 blocks (~13 min) behind is down: the node is not following the chain. */
    downL1Blocks: number;
    /**
     * A report up to a day of blocks (7,200 on L1) above the corroborated head is believed: a lone
     * honest node ahead of a laggard is far more common than a subtle liar. Beyond that it is a
     * far-future lie or a bug, and ignored.
     */
    implausibleAheadL1Blocks: number;
    /**
     * Lag is judged only between block reports at most 5 s apart (about one probe round); comparing
     * older reports would need so much benefit of the doubt that a laggard could hide in it.
     */
    evidenceWindowMs: number;
    /** Block reports older than 10 min (two idle probe periods) say nothing about lag now. */
    reportMaxAgeMs: number;
    /** Unknown chains: assume 2 s blocks (most L2s) until observed heads give an estimate. */
    defaultBlockTimeMs: number;
    /** Known block times (from the chain table, src/registry/chains.ts); observed head progress overrides them. */
    blockTimeMsByChain: Record<number, number>;
    /** Estimate a chain's block time from heads observed at least 2 min apart. */
    blockTimeMinObservationMs: number;
    /** The believed head is recomputed at most once a second between changes: the router asks per candidate. */
    headCacheMs: number;
  };
  probe: {
    /** A probe is a health check: same 4 s hang threshold as a request attempt. */
    timeoutMs: number;
    /** Chains in use: every 30 s (the chrome.alarms minimum period). */
    activeIntervalMs: number;
    /** Chains not in use that have the user's own endpoints: every 5 min, enough to show a
     *  truthful state in the popup. Idle chains served only by defaults are not probed at all
     *  (src/health/probe-schedule.ts): with 60 chains that would be most of the cost. */
    idleIntervalMs: number;
    /**
     * A chain counts as due up to 15 s (half the 30 s probe alarm) before its interval has
     * passed: a round starts its chains a few at a time and alarms jitter, so a chain started
     * a moment after the tick would otherwise be a moment short at the next one and wait a
     * whole extra interval.
     */
    dueEarlyMs: number;
    /** Cold start: wait up to 1.5 s for a probe round so the head is known before trusting lag. */
    coldHeadWaitMs: number;
    /** …but only until this many endpoints have answered it: two fresh heads are enough to judge
     *  an answer's lag by, and waiting for every endpoint would wait out the ones that hang (in
     *  an outage, exactly when a fast answer matters). */
    headQuorum: number;
  };
  diversity: {
    /** A failure on an infrastructure in the last 60 s suggests a correlated outage there. */
    recentFailureMs: number;
    /** …and ranks its endpoints as if they were 1 s slower. */
    recentFailurePenaltyMs: number;
  };
  score: {
    /** Latency assumed for an endpoint without samples: ethers' stall, so new ones get tried. */
    coldLatencyMs: number;
    /**
     * An endpoint that answered within the last 60 s (two active probe intervals, so one late probe
     * alarm does not make a healthy endpoint look unheard) is answering now; older evidence is a guess.
     */
    recentAnswerMs: number;
    /**
     * An endpoint not heard from within `recentAnswerMs` ranks as if 150 ms slower: what a wrong guess
     * costs, since such a first target is hedged after `hedge.minDelayMs`.
     */
    unheardPenaltyMs: number;
    /** Each 10 % error rate costs like 200 ms of latency. */
    errorRatePenaltyMs: number;
    /** A half-open endpoint is tried only after every closed one. */
    halfOpenPenaltyMs: number;
    /** Prefer endpoints whose chain is verified; unverified ones cost a parallel probe. */
    unverifiedPenaltyMs: number;
    /** Each block of lag (within tolerance, or for pinned-block calls) costs like 20 ms… */
    lagPenaltyMsPerBlock: number;
    /** …counted up to 100 blocks (2 s): beyond that a laggard is simply last, not ever further behind. */
    lagPenaltyMaxBlocks: number;
  };
  broadcast: {
    /** dshackle broadcasts to 3: survives one liar and one dead endpoint, limits mempool spam. */
    fanout: number;
    /** Replacements for failed broadcast targets stop at 5 distinct endpoints in total. */
    maxEndpoints: number;
  };
  quorum: {
    /** Opt-in per method, e.g. { eth_getBalance: { k: 2, n: 3 } }; off by default (it multiplies load). */
    methods: Record<string, QuorumRule>;
  };
  methods: {
    /** Public RPCs refuse or time out on wide eth_getLogs ranges; 1,000 blocks is widely accepted. */
    maxLogBlockRange: number;
  };
}

export const DEFAULT_POLICY: Readonly<Policy> = /* @__PURE__ */ Object.freeze({
  request: { deadlineMs: 8_000, attemptTimeoutMs: 4_000, maxAttempts: 8 },
  hedge: { p95Multiplier: 1.2, minDelayMs: 150, maxDelayMs: 750, coldDelayMs: 400, minSamples: 5, maxInFlight: 3 },
  retryBudget: { ratio: 0.2, floorPerSecond: 1, maxTokens: 20 },
  breaker: {
    consecutiveFailures: 3,
    windowSize: 20,
    failureRatio: 0.5,
    minWindowSamples: 10,
    initialCooldownMs: 5_000,
    maxCooldownMs: 300_000,
    trialTimeoutMs: 10_000,
  },
  rateLimit: { defaultBackoffMs: 5_000, maxBackoffMs: 300_000 },
  latency: { windowSize: 50 },
  health: { degradedErrorRate: 0.2, slowP95Ms: 2_000 },
  lag: {
    referenceBlockTimeMs: REFERENCE_BLOCK_TIME_MS,
    toleranceL1Blocks: { head: 0, block: 1, execution: 4 },
    degradedL1Blocks: 3,
    downL1Blocks: 64,
    implausibleAheadL1Blocks: 7_200,
    evidenceWindowMs: 5_000,
    reportMaxAgeMs: 600_000,
    defaultBlockTimeMs: 2_000,
    blockTimeMsByChain: BLOCK_TIME_MS_BY_CHAIN,
    blockTimeMinObservationMs: 120_000,
    headCacheMs: 1_000,
  },
  probe: { timeoutMs: 4_000, activeIntervalMs: 30_000, idleIntervalMs: 300_000, dueEarlyMs: 15_000, coldHeadWaitMs: 1_500, headQuorum: 2 },
  diversity: { recentFailureMs: 60_000, recentFailurePenaltyMs: 1_000 },
  score: { coldLatencyMs: 400, recentAnswerMs: 60_000, unheardPenaltyMs: 150, errorRatePenaltyMs: 2_000, halfOpenPenaltyMs: 5_000, unverifiedPenaltyMs: 50, lagPenaltyMsPerBlock: 20, lagPenaltyMaxBlocks: 100 },
  broadcast: { fanout: 3, maxEndpoints: 5 },
  quorum: { methods: {} },
  methods: { maxLogBlockRange: 1_000 },
}) as Readonly<Policy>;

/** Any subset of the policy; nested objects merge, `blockTimeMsByChain` and `quorum.methods` merge by key. */
export type PolicyOverride = {
  [Section in keyof Policy]?: {
    [Key in keyof Policy[Section]]?: Policy[Section][Key] extends Record<string | number, infer V>
      ? V extends number | QuorumRule
        ? Partial<Policy[Section][Key]>
        : Policy[Section][Key]
      : Policy[Section][Key];
  };
};

function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isRecord(base) || !isRecord(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    merged[key] = mergeDeep(base[key], value);
  }
  return merged;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/** Full policy from defaults plus an override. Throws `PolicyError` on numbers that cannot work. */
export function resolvePolicy(override?: PolicyOverride | Policy): Policy {
  const policy = mergeDeep(structuredClone(DEFAULT_POLICY), override ?? {}) as Policy;
  reconcileBounds(policy, override ?? {});
  followLaggingThreshold(policy, override ?? {});
  validatePolicy(policy);
  return policy;
}

/**
 * Bounds that must stay ordered. When an override sets only one side, the default on the other
 * side yields (a user raising the hedge floor to 1 s means the ceiling is at least 1 s too); when
 * both sides are overridden inconsistently, validation refuses the policy.
 */
const ORDERED_BOUNDS: readonly { low: [keyof Policy, string]; high: [keyof Policy, string] }[] = [
  { low: ['hedge', 'minDelayMs'], high: ['hedge', 'maxDelayMs'] },
  { low: ['hedge', 'maxDelayMs'], high: ['request', 'deadlineMs'] },
  { low: ['request', 'attemptTimeoutMs'], high: ['request', 'deadlineMs'] },
  { low: ['breaker', 'initialCooldownMs'], high: ['breaker', 'maxCooldownMs'] },
  { low: ['probe', 'activeIntervalMs'], high: ['probe', 'idleIntervalMs'] },
  { low: ['broadcast', 'fanout'], high: ['broadcast', 'maxEndpoints'] },
];

function reconcileBounds(policy: Policy, override: PolicyOverride | Policy): void {
  const section = (name: keyof Policy) => policy[name] as unknown as Record<string, number>;
  const overridden = ([name, key]: [keyof Policy, string]) => {
    const part = (override as Record<string, unknown>)[name];
    return isRecord(part) && part[key] !== undefined;
  };
  for (const { low, high } of ORDERED_BOUNDS) {
    const lowValue = section(low[0])[low[1]]!;
    const highValue = section(high[0])[high[1]]!;
    if (lowValue <= highValue) continue;
    if (overridden(low) && !overridden(high)) section(high[0])[high[1]] = lowValue;
    else if (overridden(high) && !overridden(low)) section(low[0])[low[1]] = highValue;
  }
}

function followLaggingThreshold(policy: Policy, override: PolicyOverride | Policy): void {
  const lag = (override as Record<string, unknown>).lag;
  if (!isRecord(lag) || lag.degradedL1Blocks === undefined) return;
  const explicit = isRecord(lag.toleranceL1Blocks) ? lag.toleranceL1Blocks : {};
  const shift = policy.lag.degradedL1Blocks - DEFAULT_POLICY.lag.degradedL1Blocks;
  const tolerances = policy.lag.toleranceL1Blocks;
  for (const lagClass of Object.keys(tolerances) as (keyof typeof tolerances)[]) {
    if (explicit[lagClass] === undefined) tolerances[lagClass] = Math.max(0, tolerances[lagClass] + shift);
  }
}

function validatePolicy(policy: Policy): void {
  const problems: string[] = [];
  const positive = (path: string, value: number) => {
    if (!(Number.isFinite(value) && value > 0)) problems.push(`${path} must be a positive number (got ${value})`);
  };
  const nonNegative = (path: string, value: number) => {
    if (!(Number.isFinite(value) && value >= 0)) problems.push(`${path} must be ≥ 0 (got ${value})`);
  };
  positive('request.deadlineMs', policy.request.deadlineMs);
  positive('request.attemptTimeoutMs', policy.request.attemptTimeoutMs);
  positive('request.maxAttempts', policy.request.maxAttempts);
  if (policy.request.attemptTimeoutMs > policy.request.deadlineMs) problems.push('request.attemptTimeoutMs must be ≤ request.deadlineMs');
  if (policy.hedge.maxDelayMs > policy.request.deadlineMs) problems.push('hedge.maxDelayMs must be ≤ request.deadlineMs');
  if (policy.probe.activeIntervalMs > policy.probe.idleIntervalMs) problems.push('probe.activeIntervalMs must be ≤ probe.idleIntervalMs');
  nonNegative('hedge.minDelayMs', policy.hedge.minDelayMs);
  if (policy.hedge.minDelayMs > policy.hedge.maxDelayMs) problems.push('hedge.minDelayMs must be ≤ hedge.maxDelayMs');
  positive('hedge.maxInFlight', policy.hedge.maxInFlight);
  nonNegative('retryBudget.ratio', policy.retryBudget.ratio);
  nonNegative('retryBudget.floorPerSecond', policy.retryBudget.floorPerSecond);
  nonNegative('retryBudget.maxTokens', policy.retryBudget.maxTokens);
  positive('breaker.consecutiveFailures', policy.breaker.consecutiveFailures);
  positive('breaker.windowSize', policy.breaker.windowSize);
  if (policy.breaker.initialCooldownMs > policy.breaker.maxCooldownMs) problems.push('breaker.initialCooldownMs must be ≤ maxCooldownMs');
  positive('latency.windowSize', policy.latency.windowSize);
  positive('lag.referenceBlockTimeMs', policy.lag.referenceBlockTimeMs);
  positive('lag.defaultBlockTimeMs', policy.lag.defaultBlockTimeMs);
  positive('probe.timeoutMs', policy.probe.timeoutMs);
  positive('probe.headQuorum', policy.probe.headQuorum);
  nonNegative('probe.dueEarlyMs', policy.probe.dueEarlyMs);
  if (policy.probe.dueEarlyMs >= policy.probe.activeIntervalMs) problems.push('probe.dueEarlyMs must be < probe.activeIntervalMs');
  positive('score.recentAnswerMs', policy.score.recentAnswerMs);
  nonNegative('score.unheardPenaltyMs', policy.score.unheardPenaltyMs);
  positive('broadcast.fanout', policy.broadcast.fanout);
  if (policy.broadcast.maxEndpoints < policy.broadcast.fanout) problems.push('broadcast.maxEndpoints must be ≥ broadcast.fanout');
  for (const [method, rule] of Object.entries(policy.quorum.methods)) {
    if (!(Number.isInteger(rule.k) && Number.isInteger(rule.n) && rule.k >= 1 && rule.n >= rule.k)) {
      problems.push(`quorum.methods.${method} needs integers 1 ≤ k ≤ n (got k=${rule.k}, n=${rule.n})`);
    }
  }
  if (problems.length > 0) throw new PolicyError(`Invalid policy: ${problems.join('; ')}`);
}

/** How long to wait before hedging: p95 × factor clamped to [min, max], or the cold delay
 *  without enough samples. One rule for the engine's endpoints and the guard's wallets. */
export function adaptiveDelayMs(p95Ms: number | undefined, bounds: { coldMs: number; minMs: number; maxMs: number; p95Factor: number }): number {
  if (p95Ms === undefined) return bounds.coldMs;
  return Math.min(Math.max(p95Ms * bounds.p95Factor, bounds.minMs), bounds.maxMs);
}

/** Hedge delay for an endpoint with the given p95 (undefined = too few samples). */
export function hedgeDelayMs(policy: Policy, p95Ms: number | undefined): number {
  const h = policy.hedge;
  return adaptiveDelayMs(p95Ms, { coldMs: h.coldDelayMs, minMs: h.minDelayMs, maxMs: h.maxDelayMs, p95Factor: h.p95Multiplier });
}

/** What the engine knows of an endpoint when it decides how long to wait for it. */
export interface HedgeTarget {
  /** Latency samples in its window, their p95 and the slowest of them (how slow it has been). */
  samples: number;
  p95Ms?: number;
  slowestMs?: number;
  /** A success within `score.recentAnswerMs`. */
  answeredRecently: boolean;
  /** Its last outcome was a timeout, or a request to it is already past its hedge delay unanswered. */
  silent: boolean;
}

/**
 * How long an endpoint's own latencies say an answer may take: the p95 rule once there are enough
 * samples; with fewer than a p95 needs, the slowest answer seen stands in for it (capped at the cold
 * delay); with none, the cold delay. Silence past this, while another endpoint answered, is a
 * timeout of that endpoint.
 */
export function expectedAnswerMs(policy: Policy, target: Pick<HedgeTarget, 'samples' | 'p95Ms' | 'slowestMs'>): number {
  const h = policy.hedge;
  if (target.samples === 0) return h.coldDelayMs;
  if (target.samples < h.minSamples || target.p95Ms === undefined) {
    return Math.min(Math.max((target.slowestMs ?? h.coldDelayMs) * h.p95Multiplier, h.minDelayMs), h.coldDelayMs);
  }
  return hedgeDelayMs(policy, target.p95Ms);
}

/**
 * How long one attempt waits before the next endpoint is asked too. Only an endpoint that answers
 * now has earned the wait its latencies justify: one without samples, unheard lately or silent is a
 * guess, and a wrong guess should cost the minimum delay, not the cold one.
 */
export function targetHedgeDelayMs(policy: Policy, target: HedgeTarget): number {
  if (target.silent || !target.answeredRecently || target.samples === 0) return policy.hedge.minDelayMs;
  return expectedAnswerMs(policy, target);
}
