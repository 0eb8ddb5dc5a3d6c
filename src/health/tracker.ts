/**
 * Health of every endpoint and chain, fed by probes and by real traffic alike. Holds only plain data
 * (snapshot/restore round-trips through JSON) plus small caches that are rebuilt on demand.
 */
import type { Clock } from '../clock.ts';
import { type AttemptFailure, countsAgainstAvailability } from '../rpc/jsonrpc.ts';
import { type HedgeTarget, type LagClass, type Policy, type PolicyOverride, resolvePolicy, targetHedgeDelayMs } from '../policy/index.ts';
import type { Endpoint, Infrastructure } from '../types.ts';
import { type BreakerPhase, breakerAllows, breakerPhase, createBreaker, recordBreakerFailure, recordBreakerSuccess, startTrial } from './breaker.ts';
import { type BlockReport, atLeastL1Blocks, blocksWithin, headFromReports, lagBehind, scaleL1Blocks } from './head.ts';
import { type ChainHealthState, type EndpointHealthState, type HealthSnapshot, type LastFailure, readSnapshot, takeSnapshot } from './snapshot.ts';
import { type LatencySummary, emptyRing, failureRatio, pushRing, summariseLatencies } from './window.ts';
import * as say from './wording.ts';

export type HealthState = 'healthy' | 'degraded' | 'down' | 'unknown';

export type { ChainHealthState, EndpointHealthState, HealthSnapshot, LastFailure } from './snapshot.ts';

/** An outcome observed outside the router (probes, the page's own traffic seen by webRequest). */
export type ObservedOutcome =
  | { kind: 'success'; latencyMs: number }
  | (AttemptFailure & { latencyMs?: number });

export interface EndpointView {
  id: string;
  chainId: number;
  label: string;
  provider: string;
  url: string;
  infrastructure: Infrastructure;
  source: Endpoint['source'];
  enabled: boolean;
  state: HealthState;
  /** One line for humans: "HTTP 503 ×3", "no answer in 4 s", "43 blocks behind", "p50 120 ms". */
  reason: string;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** Failures among the last outcomes (0..1); undefined before any traffic. */
  errorRate?: number;
  lagBlocks?: number;
  /** Last block this endpoint reported. */
  block?: number;
  breaker: BreakerPhase;
  /** Whether a request may go to it now (a half-open breaker whose one trial is out counts as open). */
  availability: Availability;
  breakerReopensInMs?: number;
  rateLimitedForMs?: number;
  lastFailure?: LastFailure;
  lastSuccessAt?: number;
  /** true = answered the right chain id; false = wrong chain; undefined = not checked yet. */
  chainVerified?: boolean;
  /** Its infrastructure had an availability failure on this chain within the diversity window. */
  infrastructureFailedRecently?: true;
  /**
   * Not answering: a request to it is past its hedge delay with nothing heard from it since it was
   * sent (a stall, seen before any timeout), or its last outcome was a timeout.
   */
  silent?: true;
  /** No success within `score.recentAnswerMs` (or never): whether it works now is a guess. */
  unheard?: true;
}

export interface ChainSummary {
  chainId: number;
  head?: number;
  blockTimeMs: number;
  state: HealthState;
  healthy: number;
  degraded: number;
  down: number;
  unknown: number;
  total: number;
  lastProbeAt?: number;
}

export type Availability = 'available' | 'trial' | 'open' | 'rate-limited';

export interface HealthTracker {
  readonly policy: Policy;
  setEndpoints(endpoints: readonly Endpoint[]): void;
  endpoint(id: string): Endpoint | undefined;
  /** Enabled endpoints of a chain, in registry order. */
  endpointsOf(chainId: number): readonly Endpoint[];
  /** Endpoints with this id, or whose URL is this (one URL may serve several chain entries). */
  resolve(idOrUrl: string): Endpoint[];
  /** Feeds an outcome; unknown ids/URLs are ignored (returns false). */
  recordOutcome(idOrUrl: string, outcome: ObservedOutcome): boolean;
  /** The endpoint reached this block, in an answer to a question sent at `sentAt` (default now). */
  observeBlock(id: string, block: number, sentAt?: number): void;
  /** The endpoint answered eth_chainId with this chain. */
  observeChainId(id: string, chainId: number): void;
  availability(id: string): Availability;
  /** Claims permission to send now: true when closed, or takes the half-open trial slot. */
  tryAcquire(id: string): boolean;
  chainVerification(id: string): 'verified' | 'wrong' | 'unknown';
  /** Blocks behind the head; undefined when there is no fresh evidence. */
  lag(id: string): number | undefined;
  /** Endpoint's own fresh block report is far above the head (lying or broken). */
  isImplausiblyAhead(id: string): boolean;
  /** The believed head: highest fresh report not implausibly far above the corroborated head. */
  head(chainId: number): BlockReport | undefined;
  /** Highest block ≥2 endpoints (or a chain's only endpoint) reached; undefined before that. */
  corroboratedHead(chainId: number): BlockReport | undefined;
  blockTimeMs(chainId: number): number;
  /** Method lag tolerance in this chain's blocks; Infinity for lag-independent calls. */
  toleranceBlocks(chainId: number, lagClass: LagClass): number;
  /** Blocks above the head beyond which a reported block is implausible. */
  implausibleAheadBlocks(chainId: number): number;
  latency(id: string): LatencySummary;
  /**
   * Notes a request sent to the endpoint now; call the returned function once it has settled
   * (answered, failed, timed out or aborted). Unanswered ones past their hedge delay make it silent.
   */
  beginAttempt(id: string): () => void;
  /** When the oldest request still unanswered was sent, counting only those sent after the endpoint was last heard from. */
  silentSince(id: string): number | undefined;
  /** Its last outcome was a timeout, or a request to it is past its hedge delay unanswered. */
  isSilent(id: string): boolean;
  /** What hedging decides with (src/policy: targetHedgeDelayMs, expectedAnswerMs). */
  hedgeTarget(id: string): HedgeTarget;
  /** When this infrastructure last failed on this chain, if within the diversity window. */
  recentInfraFailureAt(chainId: number, infrastructure: Infrastructure): number | undefined;
  markProbed(chainId: number): void;
  lastProbeAt(chainId: number): number | undefined;
  markRoundCompleted(chainId: number): void;
  /** True when a full probe round completed within the report freshness window. */
  hasRecentRound(chainId: number): boolean;
  view(id: string): EndpointView | undefined;
  views(chainId?: number): EndpointView[];
  chainSummary(chainId: number): ChainSummary;
  snapshot(): HealthSnapshot;
  /** Adopts a snapshot's state for endpoints that still exist; ignores anything malformed. */
  restore(snapshot: unknown): void;
}

export interface HealthOptions {
  endpoints: readonly Endpoint[];
  clock: Clock;
  policy?: PolicyOverride | Policy;
}

interface EndpointRecord {
  endpoint: Endpoint;
  state: EndpointHealthState;
  /** Latency summary cache, dropped on every new sample. */
  summary?: LatencySummary;
  /** Requests in flight (token → when sent); in memory only, they die with the worker. */
  inFlight: Map<number, number>;
  /** When an answer of any kind (a timeout is none) last arrived from it. */
  lastHeardAt?: number;
}

export function createHealthTracker(options: HealthOptions): HealthTracker {
  const policy = resolvePolicy(options.policy);
  const { clock } = options;
  const records = new Map<string, EndpointRecord>();
  const byChain = new Map<number, Endpoint[]>();
  const byUrl = new Map<string, Endpoint[]>();
  const chains = new Map<number, ChainHealthState>();
  // The router asks for the head once per candidate per request: cache it briefly, drop it on change.
  const headCache = new Map<number, { computedAt: number; head: BlockReport | undefined }>();


  const newState = (): EndpointHealthState => ({ latencies: emptyRing(), breaker: createBreaker(policy), successes: 0, failures: 0 });

  const chainState = (chainId: number): ChainHealthState => {
    let state = chains.get(chainId);
    if (!state) {
      state = { infraFailures: {} };
      chains.set(chainId, state);
    }
    return state;
  };

  const setEndpoints = (endpoints: readonly Endpoint[]) => {
    headCache.clear();
    const previous = new Map(records);
    records.clear();
    byChain.clear();
    byUrl.clear();
    for (const endpoint of endpoints) {
      const old = previous.get(endpoint.id);
      // Keep history when the endpoint is the same place; a changed URL or chain starts fresh.
      const keep = old && old.endpoint.url === endpoint.url && old.endpoint.chainId === endpoint.chainId;
      records.set(endpoint.id, keep ? { ...old, endpoint } : { endpoint, state: newState(), inFlight: new Map() });
      byUrl.set(endpoint.url, [...(byUrl.get(endpoint.url) ?? []), endpoint]);
      if (!endpoint.enabled) continue;
      const list = byChain.get(endpoint.chainId) ?? [];
      list.push(endpoint);
      byChain.set(endpoint.chainId, list);
    }
  };
  setEndpoints(options.endpoints);

  const record = (id: string) => records.get(id);

  const blockTimeMs = (chainId: number): number => {
    const chain = chains.get(chainId);
    if (chain?.head && chain.origin) {
      const elapsed = chain.head.at - chain.origin.at;
      const blocks = chain.head.block - chain.origin.block;
      if (elapsed >= policy.lag.blockTimeMinObservationMs && blocks > 0) return elapsed / blocks;
    }
    return policy.lag.blockTimeMsByChain[chainId] ?? policy.lag.defaultBlockTimeMs;
  };

  const isFresh = (report: BlockReport | undefined, now: number): report is BlockReport =>
    report !== undefined && now - report.at <= policy.lag.reportMaxAgeMs;

  /** Fresh reports from endpoints of the chain that are not known to serve another chain. */
  const freshReports = (chainId: number, now: number): BlockReport[] => {
    const reports: BlockReport[] = [];
    for (const endpoint of byChain.get(chainId) ?? []) {
      const state = records.get(endpoint.id)!.state;
      if (state.observedChainId !== undefined && state.observedChainId !== chainId) continue;
      if (isFresh(state.report, now)) reports.push(state.report);
    }
    return reports;
  };

  const updateHead = (chainId: number) => {
    const now = clock.now();
    const picked = headFromReports(freshReports(chainId, now));
    if (!picked) return;
    const single = (byChain.get(chainId)?.length ?? 0) <= 1;
    if (!picked.corroborated && !single) return;
    const chain = chainState(chainId);
    if (!chain.head || picked.head.block > chain.head.block || !isFresh(chain.head, now)) {
      if (!chain.origin || (chain.head && !isFresh(chain.head, now))) chain.origin = { ...picked.head };
      chain.head = { ...picked.head };
    }
  };

  const corroboratedHead = (chainId: number): BlockReport | undefined => {
    const stored = chains.get(chainId)?.head;
    return isFresh(stored, clock.now()) ? stored : undefined;
  };

  const head = (chainId: number): BlockReport | undefined => {
    const now = clock.now();
    const cached = headCache.get(chainId);
    if (cached && now - cached.computedAt < policy.lag.headCacheMs && now >= cached.computedAt) return cached.head;
    const computed = computeHead(chainId, now);
    headCache.set(chainId, { computedAt: now, head: computed });
    return computed;
  };

  const computeHead = (chainId: number, now: number): BlockReport | undefined => {
    const base = corroboratedHead(chainId);
    const reports = freshReports(chainId, now);
    // Nothing corroborated yet: the single fresh report is all we know (used, never stored).
    if (!base) return headFromReports(reports)?.head;
    const blockTime = blockTimeMs(chainId);
    const limit = implausibleAheadBlocks(chainId);
    let top = base;
    for (const report of reports) {
      if (report.block > top.block && report.block - base.block - blocksWithin(report.at - base.sentAt, blockTime) <= limit) top = report;
    }
    return top;
  };

  const lag = (id: string): number | undefined => {
    const rec = record(id);
    if (!rec) return undefined;
    const now = clock.now();
    const report = rec.state.report;
    if (!isFresh(report, now)) return undefined;
    const chainHead = head(rec.endpoint.chainId);
    if (!chainHead) return undefined;
    // Too far apart to compare without giving a laggard a large benefit of the doubt: unknown.
    if (chainHead.at - report.sentAt > policy.lag.evidenceWindowMs) return undefined;
    return lagBehind(chainHead, report, blockTimeMs(rec.endpoint.chainId));
  };

  const toleranceBlocks = (chainId: number, lagClass: LagClass): number => {
    if (lagClass === 'none') return Number.POSITIVE_INFINITY;
    return scaleL1Blocks(policy.lag.toleranceL1Blocks[lagClass], blockTimeMs(chainId), policy.lag.referenceBlockTimeMs);
  };

  /** UI thresholds: never stricter (in blocks) than on Ethereum, same wall-clock time elsewhere. */
  const thresholdBlocks = (chainId: number, l1Blocks: number) => atLeastL1Blocks(l1Blocks, blockTimeMs(chainId), policy.lag.referenceBlockTimeMs);

  function implausibleAheadBlocks(chainId: number): number {
    return thresholdBlocks(chainId, policy.lag.implausibleAheadL1Blocks);
  }

  const isImplausiblyAhead = (id: string): boolean => {
    const rec = record(id);
    if (!rec || !isFresh(rec.state.report, clock.now())) return false;
    const chainHead = corroboratedHead(rec.endpoint.chainId);
    if (!chainHead) return false;
    const produced = blocksWithin(rec.state.report.at - chainHead.sentAt, blockTimeMs(rec.endpoint.chainId));
    return rec.state.report.block > chainHead.block + produced + implausibleAheadBlocks(rec.endpoint.chainId);
  };

  const applySuccess = (rec: EndpointRecord, latencyMs: number) => {
    const state = rec.state;
    state.successes++;
    state.lastSuccessAt = clock.now();
    rec.lastHeardAt = state.lastSuccessAt;
    if (Number.isFinite(latencyMs) && latencyMs >= 0) {
      pushRing(state.latencies, latencyMs, policy.latency.windowSize);
      delete rec.summary;
    }
    recordBreakerSuccess(state.breaker, policy);
    delete state.lastFailure;
  };

  const applyFailure = (rec: EndpointRecord, outcome: AttemptFailure) => {
    const state = rec.state;
    const now = clock.now();
    // A timeout is the absence of an answer; anything else came from the endpoint.
    if (outcome.failureClass !== 'timeout') rec.lastHeardAt = now;
    state.failures++;
    const previous = state.lastFailure;
    state.lastFailure = {
      failureClass: outcome.failureClass,
      detail: outcome.detail,
      at: now,
      repeat: previous && previous.detail === outcome.detail ? previous.repeat + 1 : 1,
    };
    if (outcome.failureClass === 'http-429' || outcome.failureClass === 'limit') {
      const wait = outcome.retryAfterMs ?? policy.rateLimit.defaultBackoffMs;
      state.rateLimitedUntil = now + Math.min(Math.max(0, wait), policy.rateLimit.maxBackoffMs);
    }
    if (!countsAgainstAvailability(outcome.failureClass)) return;
    recordBreakerFailure(state.breaker, now, policy);
    if (rec.endpoint.infrastructure !== 'unknown') chainState(rec.endpoint.chainId).infraFailures[rec.endpoint.infrastructure] = now;
  };

  const resolve = (idOrUrl: string): Endpoint[] => {
    const direct = records.get(idOrUrl);
    if (direct) return [direct.endpoint];
    return byUrl.get(idOrUrl) ?? [];
  };

  const availability = (id: string): Availability => {
    const rec = record(id);
    if (!rec) return 'open';
    const now = clock.now();
    if (rec.state.rateLimitedUntil !== undefined && now < rec.state.rateLimitedUntil) return 'rate-limited';
    const allows = breakerAllows(rec.state.breaker, now, policy);
    return allows === 'yes' ? 'available' : allows === 'trial' ? 'trial' : 'open';
  };

  const latency = (id: string): LatencySummary => {
    const rec = record(id);
    if (!rec) return { count: 0, p50: undefined, p95: undefined, p99: undefined };
    rec.summary ??= summariseLatencies(rec.state.latencies.values);
    return rec.summary;
  };

  let nextAttemptToken = 1;
  const beginAttempt = (id: string): (() => void) => {
    const rec = record(id);
    if (!rec) return () => undefined;
    const token = nextAttemptToken++;
    const inFlight = rec.inFlight;
    inFlight.set(token, clock.now());
    return () => void inFlight.delete(token);
  };

  const silentSince = (id: string): number | undefined => {
    const rec = record(id);
    if (!rec) return undefined;
    let oldest: number | undefined;
    for (const sentAt of rec.inFlight.values()) {
      if (rec.lastHeardAt !== undefined && sentAt < rec.lastHeardAt) continue;
      if (oldest === undefined || sentAt < oldest) oldest = sentAt;
    }
    return oldest;
  };

  const answeredRecently = (rec: EndpointRecord) => rec.state.lastSuccessAt !== undefined && clock.now() - rec.state.lastSuccessAt <= policy.score.recentAnswerMs;
  const timedOutLast = (rec: EndpointRecord) => rec.state.lastFailure?.failureClass === 'timeout';

  /** Silence is judged on outcomes only here; a stall is then judged against the delay this gives. */
  const hedgeTarget = (id: string): HedgeTarget => {
    const rec = record(id);
    if (!rec) return { samples: 0, answeredRecently: false, silent: false };
    const stats = latency(id);
    return {
      samples: stats.count,
      ...(stats.p95 !== undefined ? { p95Ms: stats.p95 } : {}),
      ...(stats.count > 0 ? { slowestMs: Math.max(...rec.state.latencies.values) } : {}),
      answeredRecently: answeredRecently(rec),
      silent: timedOutLast(rec),
    };
  };

  const isSilent = (id: string): boolean => {
    const rec = record(id);
    if (!rec) return false;
    if (timedOutLast(rec)) return true;
    const since = silentSince(id);
    return since !== undefined && clock.now() - since >= targetHedgeDelayMs(policy, hedgeTarget(id));
  };

  const errorRate = (id: string): number | undefined => {
    const rec = record(id);
    if (!rec) return undefined;
    const { failures, samples } = failureRatio(rec.state.breaker.window);
    return samples === 0 ? undefined : failures / samples;
  };

  const recentInfraFailureAt = (chainId: number, infrastructure: Infrastructure): number | undefined => {
    if (infrastructure === 'unknown') return undefined;
    const at = chains.get(chainId)?.infraFailures[infrastructure];
    return at !== undefined && clock.now() - at <= policy.diversity.recentFailureMs ? at : undefined;
  };

  const view = (id: string): EndpointView | undefined => {
    const rec = record(id);
    if (!rec) return undefined;
    const { endpoint, state } = rec;
    const now = clock.now();
    const stats = latency(id);
    const rate = errorRate(id);
    const endpointLag = lag(id);
    const phase = breakerPhase(state.breaker, now);
    const verification = chainVerification(id);
    const result: EndpointView = {
      id: endpoint.id,
      chainId: endpoint.chainId,
      label: endpoint.label ?? endpoint.provider,
      provider: endpoint.provider,
      url: endpoint.url,
      infrastructure: endpoint.infrastructure,
      source: endpoint.source,
      enabled: endpoint.enabled,
      state: 'unknown',
      reason: say.NOT_CHECKED_YET,
      breaker: phase,
      availability: availability(id),
    };
    if (stats.p50 !== undefined) result.p50Ms = stats.p50;
    if (stats.p95 !== undefined) result.p95Ms = stats.p95;
    if (stats.p99 !== undefined) result.p99Ms = stats.p99;
    if (rate !== undefined) result.errorRate = rate;
    if (endpointLag !== undefined) result.lagBlocks = endpointLag;
    if (state.report) result.block = state.report.block;
    if (phase === 'open') result.breakerReopensInMs = Math.max(0, (state.breaker.openUntil ?? now) - now);
    const rateLimitedFor = state.rateLimitedUntil !== undefined ? state.rateLimitedUntil - now : 0;
    if (rateLimitedFor > 0) result.rateLimitedForMs = rateLimitedFor;
    if (state.lastFailure) result.lastFailure = { ...state.lastFailure };
    if (state.lastSuccessAt !== undefined) result.lastSuccessAt = state.lastSuccessAt;
    if (verification !== 'unknown') result.chainVerified = verification === 'verified';
    if (recentInfraFailureAt(endpoint.chainId, endpoint.infrastructure) !== undefined) result.infrastructureFailedRecently = true;
    if (isSilent(id)) result.silent = true;
    if (!answeredRecently(rec)) result.unheard = true;

    const set = (healthState: HealthState, reason: string) => {
      result.state = healthState;
      result.reason = reason;
      return result;
    };
    const chainId = endpoint.chainId;
    if (!endpoint.enabled) return set('unknown', say.DISABLED);
    if (verification === 'wrong') return set('down', say.wrongChain(state.observedChainId));
    if (rateLimitedFor > 0) return set('down', say.rateLimited(rateLimitedFor));
    if (phase === 'open') return set('down', state.lastFailure ? say.describeFailure(state.lastFailure) : say.CIRCUIT_OPEN);
    if (endpointLag !== undefined && endpointLag > thresholdBlocks(chainId, policy.lag.downL1Blocks)) return set('down', say.blocksBehind(endpointLag));
    if (phase === 'half-open') return set('degraded', say.recovering(state.lastFailure));
    if (endpointLag !== undefined && endpointLag > thresholdBlocks(chainId, policy.lag.degradedL1Blocks)) return set('degraded', say.blocksBehind(endpointLag));
    if (isImplausiblyAhead(id)) {
      const chainHead = corroboratedHead(chainId);
      return set('degraded', say.claimsAhead(state.report!.block, state.report!.block - (chainHead?.block ?? 0)));
    }
    if (state.lastFailure && state.breaker.consecutiveFailures > 0) return set('degraded', say.describeFailure(state.lastFailure));
    const judged = failureRatio(state.breaker.window).samples >= policy.breaker.minWindowSamples; // 1 of 2 is not "50 % errors"
    if (judged && rate !== undefined && rate >= policy.health.degradedErrorRate) return set('degraded', say.errorShare(rate));
    if (stats.p95 !== undefined && stats.p95 > policy.health.slowP95Ms) return set('degraded', say.slow(stats.p95));
    if (state.successes === 0 && !state.report) return result;
    return set('healthy', say.healthy(stats.p50));
  };

  const chainVerification = (id: string): 'verified' | 'wrong' | 'unknown' => {
    const rec = record(id);
    if (!rec || rec.state.observedChainId === undefined) return 'unknown';
    return rec.state.observedChainId === rec.endpoint.chainId ? 'verified' : 'wrong';
  };

  const chainSummary = (chainId: number): ChainSummary => {
    const endpointViews = views(chainId);
    const count = (s: HealthState) => endpointViews.filter((v) => v.state === s && v.enabled).length;
    const healthy = count('healthy');
    const degraded = count('degraded');
    const down = count('down');
    const unknown = count('unknown');
    const total = endpointViews.filter((v) => v.enabled).length;
    const state: HealthState = healthy > 0 ? 'healthy' : degraded > 0 ? 'degraded' : down > 0 ? 'down' : 'unknown';
    const summary: ChainSummary = { chainId, blockTimeMs: blockTimeMs(chainId), state, healthy, degraded, down, unknown, total };
    const chainHead = head(chainId);
    if (chainHead) summary.head = chainHead.block;
    const probedAt = chains.get(chainId)?.lastProbeAt;
    if (probedAt !== undefined) summary.lastProbeAt = probedAt;
    return summary;
  };

  const views = (chainId?: number): EndpointView[] => {
    const result: EndpointView[] = [];
    for (const rec of records.values()) {
      if (chainId !== undefined && rec.endpoint.chainId !== chainId) continue;
      result.push(view(rec.endpoint.id)!);
    }
    return result;
  };

  const tracker: HealthTracker = {
    policy,
    setEndpoints,
    endpoint: (id) => record(id)?.endpoint,
    endpointsOf: (chainId) => byChain.get(chainId) ?? [],
    resolve,
    recordOutcome(idOrUrl, outcome) {
      const endpoints = resolve(idOrUrl);
      for (const endpoint of endpoints) {
        const rec = records.get(endpoint.id)!;
        if (outcome.kind === 'success') applySuccess(rec, outcome.latencyMs);
        else applyFailure(rec, outcome);
      }
      return endpoints.length > 0;
    },
    observeBlock(id, block, sentAt) {
      const rec = record(id);
      if (!rec || !Number.isSafeInteger(block) || block < 0) return;
      const now = clock.now();
      rec.state.report = { block, at: now, sentAt: Math.min(sentAt ?? now, now) };
      headCache.clear();
      updateHead(rec.endpoint.chainId);
    },
    observeChainId(id, chainId) {
      const rec = record(id);
      if (!rec) return;
      const changed = rec.state.observedChainId !== chainId;
      rec.state.observedChainId = chainId;
      rec.state.chainCheckedAt = clock.now();
      headCache.clear();
      if (chainId !== rec.endpoint.chainId) {
        // Its block numbers belong to another chain: drop them from head tracking.
        delete rec.state.report;
        applyFailure(rec, { kind: 'failure', failureClass: 'wrong-chain', detail: `wrong chain ${chainId}` });
      } else if (changed) {
        updateHead(rec.endpoint.chainId);
      }
    },
    availability,
    tryAcquire(id) {
      const rec = record(id);
      if (!rec) return false;
      const now = clock.now();
      if (rec.state.rateLimitedUntil !== undefined && now < rec.state.rateLimitedUntil) return false;
      const allows = breakerAllows(rec.state.breaker, now, policy);
      if (allows === 'trial') startTrial(rec.state.breaker, now);
      return allows !== 'no';
    },
    chainVerification,
    lag,
    isImplausiblyAhead,
    head,
    corroboratedHead,
    blockTimeMs,
    toleranceBlocks,
    implausibleAheadBlocks,
    latency,
    beginAttempt,
    silentSince,
    isSilent,
    hedgeTarget,
    recentInfraFailureAt,
    markProbed(chainId) {
      chainState(chainId).lastProbeAt = clock.now();
    },
    lastProbeAt: (chainId) => chains.get(chainId)?.lastProbeAt,
    markRoundCompleted(chainId) {
      chainState(chainId).lastRoundAt = clock.now();
    },
    hasRecentRound(chainId) {
      const at = chains.get(chainId)?.lastRoundAt;
      return at !== undefined && clock.now() - at <= policy.lag.reportMaxAgeMs;
    },
    view,
    views,
    chainSummary,
    snapshot: () => takeSnapshot(new Map([...records].map(([id, rec]) => [id, rec.state])), chains, clock.now()),
    restore(snapshot) {
      const restored = readSnapshot(snapshot, policy);
      if (!restored) return;
      for (const [id, state] of restored.endpoints) {
        const rec = records.get(id);
        if (rec) {
          rec.state = state;
          delete rec.summary;
        }
      }
      headCache.clear();
      for (const [chainId, state] of restored.chains) chains.set(chainId, state);
    },
  };
  return tracker;
}
