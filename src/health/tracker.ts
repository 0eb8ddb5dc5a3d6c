/**
 * Health of every endpoint and chain, fed by probes and by real traffic alike. Holds only plain data
 * (snapshot/restore round-trips through JSON) plus small caches that are rebuilt on demand.
 */
import type { Clock } from '../clock.ts';
import { type AttemptFailure, type FailureClass, countsAgainstAvailability, formatSeconds, isFailureClass } from '../rpc/jsonrpc.ts';
import { type LagClass, type Policy, type PolicyOverride, resolvePolicy } from '../policy/index.ts';
import type { Endpoint, Infrastructure } from '../types.ts';
import { type BreakerPhase, type BreakerState, breakerAllows, breakerPhase, createBreaker, recordBreakerFailure, recordBreakerSuccess, startTrial } from './breaker.ts';
import { type BlockReport, blocksWithin, headFromReports, lagBehind, scaleL1Blocks } from './head.ts';
import { type LatencySummary, type RingState, emptyRing, failureRatio, orderedValues, pushRing, summariseLatencies } from './window.ts';

export type HealthState = 'healthy' | 'degraded' | 'down' | 'unknown';

export interface LastFailure {
  failureClass: FailureClass;
  detail: string;
  at: number;
  /** How many failures in a row had this same detail ("HTTP 503 ×3"). */
  repeat: number;
}

/** Serialisable per-endpoint state. */
export interface EndpointHealthState {
  latencies: RingState;
  breaker: BreakerState;
  lastFailure?: LastFailure;
  lastSuccessAt?: number;
  rateLimitedUntil?: number;
  /** Chain id the endpoint said it serves, and when. */
  observedChainId?: number;
  chainCheckedAt?: number;
  report?: BlockReport;
  successes: number;
  failures: number;
}

export interface ChainHealthState {
  /** Corroborated head; only rises. */
  head?: BlockReport;
  /** First corroborated head seen, to estimate the block time from progress. */
  origin?: BlockReport;
  lastProbeAt?: number;
  /** When a probe round of every endpoint last completed: before that, two reports may both be laggards. */
  lastRoundAt?: number;
  /** Last availability failure per infrastructure on this chain (correlated outages). */
  infraFailures: Partial<Record<Infrastructure, number>>;
}

export interface HealthSnapshot {
  version: 1;
  savedAt: number;
  endpoints: Record<string, EndpointHealthState>;
  chains: Record<string, ChainHealthState>;
}

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
  breakerReopensInMs?: number;
  rateLimitedForMs?: number;
  lastFailure?: LastFailure;
  lastSuccessAt?: number;
  /** true = answered the right chain id; false = wrong chain; undefined = not checked yet. */
  chainVerified?: boolean;
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
  /** True when the head rests on ≥2 endpoints, or the chain has a single endpoint. */
  headIsCorroborated(chainId: number): boolean;
  blockTimeMs(chainId: number): number;
  /** Method lag tolerance in this chain's blocks; Infinity for lag-independent calls. */
  toleranceBlocks(chainId: number, lagClass: LagClass): number;
  /** Blocks above the head beyond which a reported block is implausible. */
  implausibleAheadBlocks(chainId: number): number;
  latency(id: string): LatencySummary;
  errorRate(id: string): number | undefined;
  consecutiveFailures(id: string): number;
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
  chainIds(): number[];
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
  const HEAD_CACHE_MS = 1_000;


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
      records.set(endpoint.id, { endpoint, state: keep ? old.state : newState() });
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
    if (cached && now - cached.computedAt < HEAD_CACHE_MS && now >= cached.computedAt) return cached.head;
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

  const headIsCorroborated = (chainId: number): boolean => corroboratedHead(chainId) !== undefined;

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
  const thresholdBlocks = (chainId: number, l1Blocks: number) =>
    Math.max(l1Blocks, scaleL1Blocks(l1Blocks, blockTimeMs(chainId), policy.lag.referenceBlockTimeMs));

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

  const errorRate = (id: string): number | undefined => {
    const rec = record(id);
    if (!rec) return undefined;
    const { failures, samples } = failureRatio(rec.state.breaker.window);
    return samples === 0 ? undefined : failures / samples;
  };

  const describeFailure = (last: LastFailure) => (last.repeat > 1 ? `${last.detail} ×${last.repeat}` : last.detail);

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
      reason: 'not checked yet',
      breaker: phase,
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

    const set = (healthState: HealthState, reason: string) => {
      result.state = healthState;
      result.reason = reason;
      return result;
    };
    const chainId = endpoint.chainId;
    if (!endpoint.enabled) return set('unknown', 'disabled');
    if (verification === 'wrong') return set('down', `wrong chain ${state.observedChainId}`);
    if (rateLimitedFor > 0) return set('down', `rate limited (retry in ${formatSeconds(Math.ceil(rateLimitedFor / 1000) * 1000)})`);
    if (phase === 'open') return set('down', state.lastFailure ? describeFailure(state.lastFailure) : 'circuit open');
    if (endpointLag !== undefined && endpointLag > thresholdBlocks(chainId, policy.lag.downL1Blocks)) return set('down', `${endpointLag} blocks behind`);
    if (phase === 'half-open') return set('degraded', `recovering${state.lastFailure ? ` after ${describeFailure(state.lastFailure)}` : ''}`);
    if (endpointLag !== undefined && endpointLag > thresholdBlocks(chainId, policy.lag.degradedL1Blocks)) return set('degraded', `${endpointLag} blocks behind`);
    if (isImplausiblyAhead(id)) {
      const chainHead = corroboratedHead(chainId);
      return set('degraded', `claims block ${state.report!.block}, ${state.report!.block - (chainHead?.block ?? 0)} ahead of the others`);
    }
    if (state.lastFailure && state.breaker.consecutiveFailures > 0) return set('degraded', describeFailure(state.lastFailure));
    const judged = failureRatio(state.breaker.window).samples >= policy.breaker.minWindowSamples; // 1 of 2 is not "50 % errors"
    if (judged && rate !== undefined && rate >= policy.health.degradedErrorRate) return set('degraded', `${Math.round(rate * 100)} % errors`);
    if (stats.p95 !== undefined && stats.p95 > policy.health.slowP95Ms) return set('degraded', `slow (p95 ${formatSeconds(Math.round(stats.p95 / 100) * 100)})`);
    if (state.successes === 0 && !state.report) return result;
    return set('healthy', stats.p50 !== undefined ? `p50 ${Math.round(stats.p50)} ms` : 'ok');
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
    headIsCorroborated,
    blockTimeMs,
    toleranceBlocks,
    implausibleAheadBlocks,
    latency,
    errorRate,
    consecutiveFailures: (id) => record(id)?.state.breaker.consecutiveFailures ?? 0,
    recentInfraFailureAt(chainId, infrastructure) {
      if (infrastructure === 'unknown') return undefined;
      const at = chains.get(chainId)?.infraFailures[infrastructure];
      return at !== undefined && clock.now() - at <= policy.diversity.recentFailureMs ? at : undefined;
    },
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
    chainIds: () => [...byChain.keys()],
    snapshot() {
      const endpoints: Record<string, EndpointHealthState> = {};
      for (const [id, rec] of records) {
        const copy = structuredClone(rec.state);
        delete copy.breaker.trialStartedAt; // a trial in flight dies with the worker
        endpoints[id] = copy;
      }
      const chainStates: Record<string, ChainHealthState> = {};
      for (const [chainId, state] of chains) chainStates[String(chainId)] = structuredClone(state);
      return { version: 1, savedAt: clock.now(), endpoints, chains: chainStates };
    },
    restore(snapshot) {
      if (!isRecord(snapshot) || snapshot.version !== 1) return;
      if (isRecord(snapshot.endpoints)) {
        for (const [id, raw] of Object.entries(snapshot.endpoints)) {
          const rec = records.get(id);
          const state = rec && sanitizeEndpointState(raw, policy);
          if (rec && state) {
            rec.state = state;
            delete rec.summary;
          }
        }
      }
      headCache.clear();
      if (isRecord(snapshot.chains)) {
        for (const [key, raw] of Object.entries(snapshot.chains)) {
          const chainId = Number(key);
          const state = Number.isSafeInteger(chainId) ? sanitizeChainState(raw) : undefined;
          if (state) chains.set(chainId, state);
        }
      }
    },
  };
  return tracker;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function sanitizeRing(raw: unknown, capacity: number): RingState | undefined {
  if (!isRecord(raw) || !Array.isArray(raw.values) || !raw.values.every(isFiniteNumber) || !isFiniteNumber(raw.cursor)) return undefined;
  const ring: RingState = { values: raw.values.slice(), cursor: Math.trunc(raw.cursor) };
  if (ring.cursor < 0 || ring.cursor > ring.values.length) ring.cursor = 0;
  if (ring.values.length > capacity) return { values: orderedValues(ring).slice(-capacity), cursor: 0 };
  return ring;
}

function sanitizeReport(raw: unknown): BlockReport | undefined {
  if (!isRecord(raw) || !Number.isSafeInteger(raw.block) || !isFiniteNumber(raw.at)) return undefined;
  return { block: raw.block as number, at: raw.at, sentAt: isFiniteNumber(raw.sentAt) ? Math.min(raw.sentAt, raw.at) : raw.at };
}

function sanitizeEndpointState(raw: unknown, policy: Policy): EndpointHealthState | undefined {
  if (!isRecord(raw) || !isRecord(raw.breaker)) return undefined;
  const latencies = sanitizeRing(raw.latencies, policy.latency.windowSize);
  const window = sanitizeRing(raw.breaker.window, policy.breaker.windowSize);
  if (!latencies || !window) return undefined;
  const b = raw.breaker;
  const breaker: BreakerState = {
    status: b.status === 'open' ? 'open' : 'closed',
    window,
    consecutiveFailures: isFiniteNumber(b.consecutiveFailures) ? b.consecutiveFailures : 0,
    nextCooldownMs: isFiniteNumber(b.nextCooldownMs) ? Math.min(b.nextCooldownMs, policy.breaker.maxCooldownMs) : policy.breaker.initialCooldownMs,
  };
  if (breaker.status === 'open') breaker.openUntil = isFiniteNumber(b.openUntil) ? b.openUntil : 0;
  if (isFiniteNumber(b.cooldownMs)) breaker.cooldownMs = b.cooldownMs;
  const state: EndpointHealthState = {
    latencies,
    breaker,
    successes: isFiniteNumber(raw.successes) ? raw.successes : 0,
    failures: isFiniteNumber(raw.failures) ? raw.failures : 0,
  };
  const last = raw.lastFailure;
  if (isRecord(last) && isFailureClass(last.failureClass) && typeof last.detail === 'string' && isFiniteNumber(last.at) && isFiniteNumber(last.repeat)) {
    state.lastFailure = { failureClass: last.failureClass, detail: last.detail, at: last.at, repeat: last.repeat };
  }
  if (isFiniteNumber(raw.lastSuccessAt)) state.lastSuccessAt = raw.lastSuccessAt;
  if (isFiniteNumber(raw.rateLimitedUntil)) state.rateLimitedUntil = raw.rateLimitedUntil;
  if (Number.isSafeInteger(raw.observedChainId)) state.observedChainId = raw.observedChainId as number;
  if (isFiniteNumber(raw.chainCheckedAt)) state.chainCheckedAt = raw.chainCheckedAt;
  const report = sanitizeReport(raw.report);
  if (report) state.report = report;
  return state;
}

const INFRASTRUCTURES: readonly Infrastructure[] = ['aws', 'gcp', 'azure', 'cloudflare', 'hetzner', 'ovh', 'decentralised', 'self-hosted', 'unknown'];

function sanitizeChainState(raw: unknown): ChainHealthState | undefined {
  if (!isRecord(raw)) return undefined;
  const state: ChainHealthState = { infraFailures: {} };
  const head = sanitizeReport(raw.head);
  const origin = sanitizeReport(raw.origin);
  if (head) state.head = head;
  if (origin) state.origin = origin;
  if (isFiniteNumber(raw.lastProbeAt)) state.lastProbeAt = raw.lastProbeAt;
  if (isFiniteNumber(raw.lastRoundAt)) state.lastRoundAt = raw.lastRoundAt;
  if (isRecord(raw.infraFailures)) {
    for (const infra of INFRASTRUCTURES) {
      const at = raw.infraFailures[infra];
      if (isFiniteNumber(at)) state.infraFailures[infra] = at;
    }
  }
  return state;
}
