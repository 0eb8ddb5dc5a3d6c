/**
 * Health of the RPC endpoints web pages talk to themselves, from what webRequest shows: one
 * circuit breaker per page URL (the engine's breaker functions and numbers), hang timers for
 * requests that never end, chain look-up bookkeeping and recovery-probe scheduling.
 *
 * Fast detection: a request unanswered past the host's own hang threshold (from its recent
 * latencies, timing.ts) is suspected hung, and a page request that fails or is suspected is
 * confirmed at once by a check (the worker's own eth_chainId, with that threshold as timeout): the
 * page's evidence plus Lifeline's own failed check open the breaker, without waiting for three slow
 * page failures. Endpoints pages use are also checked while the page is quiet, so an outage can be
 * found (and redirected) before the page's next request. Recovery after repeated outages needs a
 * hold of continued good probes, so a host that alternates does not flap its redirect.
 *
 * Page endpoints are deliberately NOT engine endpoints: the engine routes Lifeline's own reads
 * and would happily use any endpoint it holds as a fallback, but a URL a web page used (maybe
 * with that site's API key) must never serve other sites. The shell feeds the same outcomes to the
 * engine too when a page URL happens to be a configured endpoint.
 *
 * Pure: time and timers come from a Clock; the shell reports observations and probe results.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import type { ObservedOutcome } from '../health/tracker.ts';
import { type BreakerState, createBreaker, recordBreakerFailure, recordBreakerSuccess, tripBreaker } from '../health/breaker.ts';
import { type RingState, pushRing } from '../health/window.ts';
import { countsAgainstAvailability } from '../rpc/jsonrpc.ts';
import type { Policy } from '../policy/index.ts';
import type { CheckResult } from './contact.ts';
import { PAGE_ABORTED, type Observation, abortedOutcome, outcomeOf } from './observe.ts';
import { type FlapLimits, type HangThresholdLimits, hangThresholdMs, recentDowns, recoveryHoldMs } from './timing.ts';

export interface PageTrafficLimits extends FlapLimits {
  /** Ceiling of the adaptive threshold; a request still unanswered then counts as a hang. */
  hangTimeoutMs: number;
  hangThreshold: HangThresholdLimits;
  latencySamples: number;
  checkMinGapMs: number;
  watchIntervalMs: number;
  watchActiveMs: number;
  holdProbeGapMs: number;
  maxRecentDowns: number;
  maxTrackedEndpoints: number;
  maxPendingRequests: number;
  pendingMaxAgeMs: number;
  chainLookupRetryMs: number;
  notEvmRetryMs: number;
  recoveryProbeFirstMs: number;
  recoveryProbeMaxMs: number;
}

export type ChainSource = 'url' | 'config' | 'lookup' | 'probe';

/** Serialisable state of one page endpoint (kept in chrome.storage.session: holds the raw URL). */
export interface PageEndpointState {
  url: string;
  chainId?: number;
  chainSource?: ChainSource;
  /** The worker may send its own requests here (see urls.ts mayContact). */
  contactAllowed: boolean;
  breaker: BreakerState;
  lastFailure?: { detail: string; at: number; repeat: number };
  lastSeenAt: number;
  /** Set while the breaker is open: when it opened and why ("HTTP 503 ×3"). */
  downSince?: number;
  downReason?: string;
  nextProbeAt?: number;
  probeDelayMs?: number;
  /** No chain look-up before this time (the last one failed). */
  lookupRetryAt?: number;
  /** Latencies of its recent answers to pages (the adaptive hang threshold). */
  latencies?: RingState;
  /** When it recently went down (the flap count of recoveryHoldMs). */
  downs?: number[];
  /** While down and holding: since when every probe has found it answering. */
  upSince?: number;
}

export interface PageTrackerSnapshot {
  version: 1;
  endpoints: PageEndpointState[];
}

export interface TrackerChange {
  url: string;
  /** A page request's outcome, or the worker's own recovery probe. */
  source: 'request' | 'probe';
  outcome: ObservedOutcome;
  /** The endpoint just went down (breaker opened) or came back. */
  transition?: 'down' | 'up';
}

export interface DownEndpoint {
  url: string;
  chainId?: number;
  since: number;
  reason: string;
}

export type ChainLookupResult = { kind: 'chain'; chainId: number } | { kind: 'failed' } | { kind: 'not-evm' };

export interface PageTrackerOptions {
  clock: Clock;
  /** The engine's resolved policy: its breaker numbers decide when a page endpoint is down. */
  policy: Policy;
  limits: PageTrafficLimits;
  /** Every recorded outcome (for the engine, persistence) and every down/up transition. */
  onChange?(change: TrackerChange): void;
  /** Recovery probes are due for these URLs (the shell sends them and reports back). */
  onProbeDue?(urls: string[]): void;
  /**
   * A check of this up endpoint is due: send eth_chainId with this timeout and report it with
   * recordCheck. `urgent`: a page's request is waiting on the answer (confirmation), else a
   * quiet-time watch. Without this handler the tracker schedules no checks at all.
   */
  onCheckDue?(url: string, timeoutMs: number, urgent: boolean): void;
}

interface Pending {
  url: string;
  startedAt: number;
  /** The endpoint's hang threshold when the request began. */
  thresholdMs: number;
  timer: TimerHandle | null;
  /** Crossed the hang threshold without an answer. */
  suspected: boolean;
  /** Counted as a hang at the hard timeout. */
  timedOut: boolean;
}

/** In-memory check bookkeeping of one endpoint (lost with the worker, which only costs a check). */
interface CheckState {
  inFlight: boolean;
  /** A page request failed or is suspected hung, or a check failed: the next failed check confirms. */
  suspectSince?: number;
  lastOkAt?: number;
  /** The last check sent. */
  lastAt?: number;
  /** The last time the endpoint's state was learned: a page's answer or a check's. */
  lastHeardAt?: number;
}

export interface PageTracker {
  /** A page's JSON-RPC request started (onBeforeRequest). Returns the endpoint's state. */
  begin(requestId: string, url: string, meta?: { contactAllowed?: boolean; chainId?: number; chainSource?: ChainSource }): PageEndpointState | undefined;
  /** The request ended (onCompleted / onErrorOccurred). Ignored unless begun for this URL. */
  finish(requestId: string, url: string, observation: Exclude<Observation, { kind: 'timeout' }>): TrackerChange | null;
  /** The request was redirected (by Lifeline's rule or the server): it says nothing about the URL. */
  redirected(requestId: string): void;
  /** When a pending request began (clock time), to measure its latency. */
  startedAt(requestId: string): number | undefined;
  isTracked(url: string): boolean;
  endpoint(url: string): Readonly<PageEndpointState> | undefined;
  endpoints(): readonly Readonly<PageEndpointState>[];
  needsChainLookup(url: string): boolean;
  /** Marks a look-up as started, so concurrent requests do not start another. */
  startChainLookup(url: string): void;
  finishChainLookup(url: string, result: ChainLookupResult): void;
  /** Result of a recovery probe (eth_chainId from the worker). */
  recordProbe(url: string, ok: boolean, detail?: string): TrackerChange | null;
  /** Result of a check asked for by onCheckDue. */
  recordCheck(url: string, result: CheckResult): TrackerChange | null;
  /** The endpoint's current hang threshold (ms). */
  hangThreshold(url: string): number;
  /** URLs whose recovery probe is due now (and marks them as being probed). */
  takeDueProbes(): string[];
  down(): DownEndpoint[];
  pendingCount(): number;
  snapshot(): PageTrackerSnapshot;
  restore(snapshot: unknown): void;
  /** Clears every timer (tests, shutdown). */
  dispose(): void;
}

export function createPageTracker(options: PageTrackerOptions): PageTracker {
  const { clock, policy, limits } = options;
  const endpoints = new Map<string, PageEndpointState>();
  const pending = new Map<string, Pending>();
  const lookups = new Set<string>();
  const probing = new Set<string>();
  const checks = new Map<string, CheckState>();

  const emit = (change: TrackerChange | null) => {
    if (change) options.onChange?.(change);
    return change;
  };

  const isDown = (e: PageEndpointState) => e.breaker.status === 'open';

  /** Least recently seen first: a touched endpoint moves to the end. */
  const touch = (e: PageEndpointState) => {
    endpoints.delete(e.url);
    endpoints.set(e.url, e);
  };

  const evict = () => {
    if (endpoints.size <= limits.maxTrackedEndpoints) return;
    const busy = new Set([...pending.values()].map((p) => p.url));
    // Least recently seen first: idle healthy ones, then busy healthy ones, and down ones only as
    // a last resort (they carry redirects), so the bound always holds.
    const passes: Array<(e: PageEndpointState) => boolean> = [(e) => !isDown(e) && !busy.has(e.url), (e) => !isDown(e), () => true];
    for (const evictable of passes) {
      for (const e of [...endpoints.values()]) {
        if (endpoints.size <= limits.maxTrackedEndpoints) return;
        if (!evictable(e)) continue;
        endpoints.delete(e.url);
        checks.delete(e.url);
      }
    }
  };

  const describe = (e: PageEndpointState) => {
    const last = e.lastFailure;
    if (!last) return 'failing';
    return last.repeat > 1 ? `${last.detail} ×${last.repeat}` : last.detail;
  };

  /** Same test for scheduling and handing out, so a due timer always finds work (no busy loop). */
  const probeable = (e: PageEndpointState) => isDown(e) && e.contactAllowed && e.nextProbeAt !== undefined && !probing.has(e.url);

  const probeTimer = earliestTimer(clock, () => {
    const due = tracker.takeDueProbes();
    if (due.length > 0) options.onProbeDue?.(due);
    scheduleProbes();
  });
  const scheduleProbes = () => {
    let next = Number.POSITIVE_INFINITY;
    for (const e of endpoints.values()) if (probeable(e)) next = Math.min(next, e.nextProbeAt!);
    probeTimer.set(next);
  };

  const checkState = (url: string): CheckState => {
    let c = checks.get(url);
    if (!c) {
      c = { inFlight: false };
      checks.set(url, c);
    }
    return c;
  };

  const thresholdOf = (e: PageEndpointState) => hangThresholdMs(e.latencies?.values ?? [], limits.hangThreshold, limits.hangTimeoutMs);

  /** While down after repeated outages, a success ends the outage only once the hold is over. */
  const holdOver = (e: PageEndpointState, now: number): boolean => {
    const hold = recoveryHoldMs(e.downs ?? [], now, limits);
    if (hold === 0) return true;
    e.upSince ??= now;
    return now - e.upSince >= hold;
  };

  /**
   * Records an outcome. `confirmed`: a failed check while the endpoint was already suspected, two
   * independent observations of one outage; that opens the breaker at once instead of waiting for
   * the streak of failures it otherwise needs.
   */
  const apply = (e: PageEndpointState, outcome: ObservedOutcome, source: TrackerChange['source'] = 'request', confirmed = false): TrackerChange => {
    const now = clock.now();
    const wasDown = isDown(e);
    const change: TrackerChange = { url: e.url, source, outcome };
    if (outcome.kind === 'success') {
      if (wasDown && !holdOver(e, now)) return change;
      recordBreakerSuccess(e.breaker, policy);
      delete e.lastFailure;
    } else {
      const previous = e.lastFailure;
      e.lastFailure = { detail: outcome.detail, at: now, repeat: previous && previous.detail === outcome.detail ? previous.repeat + 1 : 1 };
      delete e.upSince;
      if (countsAgainstAvailability(outcome.failureClass)) {
        recordBreakerFailure(e.breaker, now, policy);
        if (confirmed) tripBreaker(e.breaker, now, policy);
      }
    }
    if (!wasDown && isDown(e)) {
      change.transition = 'down';
      e.downSince = now;
      e.downReason = describe(e);
      e.probeDelayMs = limits.recoveryProbeFirstMs;
      e.nextProbeAt = now + limits.recoveryProbeFirstMs;
      e.downs = [...recentDowns(e.downs ?? [], now, limits), now].slice(-limits.maxRecentDowns);
      delete e.upSince;
      const c = checks.get(e.url);
      if (c) delete c.suspectSince;
      scheduleProbes();
    } else if (wasDown && !isDown(e)) {
      change.transition = 'up';
      delete e.downSince;
      delete e.downReason;
      delete e.nextProbeAt;
      delete e.probeDelayMs;
      delete e.upSince;
      probing.delete(e.url);
      scheduleProbes();
    }
    return change;
  };

  /**
   * Asks the shell for a check of an up endpoint. `suspect`: a page request failed or crossed the
   * threshold (skipped when a check found the host answering a moment ago); `confirm`: a check just
   * failed; `watch`: the page is quiet.
   */
  const requestCheck = (e: PageEndpointState, why: 'suspect' | 'confirm' | 'watch') => {
    if (!options.onCheckDue || !e.contactAllowed || isDown(e)) return;
    const c = checkState(e.url);
    const now = clock.now();
    if (why === 'suspect') {
      if (c.lastOkAt !== undefined && now - c.lastOkAt < limits.checkMinGapMs) return;
      c.suspectSince ??= now;
    }
    if (c.inFlight) return;
    c.inFlight = true;
    c.lastAt = now;
    options.onCheckDue(e.url, thresholdOf(e), why !== 'watch');
  };

  const heard = (url: string) => {
    checkState(url).lastHeardAt = clock.now();
  };

  /** A quiet endpoint a page used lately, with nothing heard from it for the watch interval. */
  const watchDueAt = (e: PageEndpointState): number | undefined => {
    if (!options.onCheckDue || isDown(e) || !e.contactAllowed) return undefined;
    const c = checks.get(e.url);
    if (c?.inFlight) return undefined;
    const due = Math.max(c?.lastHeardAt ?? e.lastSeenAt, c?.lastAt ?? Number.NEGATIVE_INFINITY) + limits.watchIntervalMs;
    return due < e.lastSeenAt + limits.watchActiveMs ? due : undefined;
  };

  const watchTimer = earliestTimer(clock, () => {
    const at = clock.now();
    for (const e of [...endpoints.values()]) {
      const due = watchDueAt(e);
      if (due !== undefined && due <= at) requestCheck(e, 'watch');
    }
    scheduleWatch();
  });
  const scheduleWatch = () => {
    if (!options.onCheckDue) return;
    let next = Number.POSITIVE_INFINITY;
    for (const e of endpoints.values()) next = Math.min(next, watchDueAt(e) ?? Number.POSITIVE_INFINITY);
    watchTimer.set(next);
  };

  /** A page's request to an up endpoint failed or is suspected hung: confirm with a check. */
  const suspectFromPage = (url: string) => {
    const e = endpoints.get(url);
    if (e && !isDown(e)) requestCheck(e, 'suspect');
  };

  const recordPage = (e: PageEndpointState, outcome: ObservedOutcome): TrackerChange => {
    heard(e.url);
    if (outcome.kind === 'success') {
      if (Number.isFinite(outcome.latencyMs) && outcome.latencyMs >= 0) {
        e.latencies ??= { values: [], cursor: 0 };
        pushRing(e.latencies, Math.round(outcome.latencyMs), limits.latencySamples);
      }
      // The host answered just now: whatever made it suspect, it is alive.
      const c = checks.get(e.url);
      if (c) delete c.suspectSince;
    }
    const change = apply(e, outcome);
    emit(change);
    if (outcome.kind === 'failure' && countsAgainstAvailability(outcome.failureClass)) suspectFromPage(e.url);
    scheduleWatch();
    return change;
  };

  const endPending = (requestId: string): Pending | undefined => {
    const p = pending.get(requestId);
    if (!p) return undefined;
    pending.delete(requestId);
    if (p.timer !== null) clock.clearTimeout(p.timer);
    return p;
  };

  const sweepPending = () => {
    const now = clock.now();
    for (const [id, p] of pending) {
      if (now - p.startedAt > limits.pendingMaxAgeMs) endPending(id);
    }
    // Still full: drop the oldest (Map order is insertion order).
    while (pending.size >= limits.maxPendingRequests) {
      const oldest = pending.keys().next();
      if (oldest.done) break;
      endPending(oldest.value);
    }
  };

  const tracker: PageTracker = {
    begin(requestId, url, meta = {}) {
      const now = clock.now();
      endPending(requestId); // a reused id (should not happen) starts over
      let e = endpoints.get(url);
      if (!e) {
        e = { url, contactAllowed: meta.contactAllowed ?? false, breaker: createBreaker(policy), lastSeenAt: now };
        endpoints.set(url, e);
      }
      e.lastSeenAt = now;
      if (meta.contactAllowed && !e.contactAllowed) {
        e.contactAllowed = true;
        scheduleProbes();
      }
      if (meta.chainId !== undefined && (e.chainId === undefined || meta.chainSource === 'url' || meta.chainSource === 'config')) {
        e.chainId = meta.chainId;
        e.chainSource = meta.chainSource ?? 'url';
      }
      touch(e);
      if (pending.size >= limits.maxPendingRequests) sweepPending();
      const thresholdMs = thresholdOf(e);
      const entry: Pending = { url, startedAt: now, thresholdMs, timer: null, suspected: false, timedOut: false };
      const hardTimeout = () => {
        entry.timer = null;
        entry.timedOut = true;
        const state = endpoints.get(url);
        const outcome = outcomeOf({ kind: 'timeout', afterMs: limits.hangTimeoutMs }, clock.now());
        if (state && outcome) recordPage(state, outcome);
      };
      // Past the host's own threshold: suspected (a check confirms); past the ceiling: a hang.
      entry.timer = clock.setTimeout(() => {
        entry.timer = null;
        entry.suspected = true;
        suspectFromPage(url);
        const rest = limits.hangTimeoutMs - thresholdMs;
        if (rest <= 0) hardTimeout();
        else entry.timer = clock.setTimeout(hardTimeout, rest);
      }, thresholdMs);
      pending.set(requestId, entry);
      evict();
      scheduleWatch();
      return endpoints.get(url);
    },

    finish(requestId, url, observation) {
      const p = pending.get(requestId);
      if (!p || p.url !== url) return null;
      endPending(requestId);
      const state = endpoints.get(url);
      if (!state) return null;
      const outcome =
        observation.kind === 'error' && observation.error === PAGE_ABORTED
          ? abortedOutcome(clock.now() - p.startedAt, p.thresholdMs)
          : outcomeOf(observation, clock.now());
      if (!outcome) return null;
      // Already counted as a hang: only a late success adds news (the endpoint is alive after all).
      if (p.timedOut && outcome.kind !== 'success') return null;
      return recordPage(state, outcome);
    },

    redirected(requestId) {
      endPending(requestId);
    },

    startedAt: (requestId) => pending.get(requestId)?.startedAt,

    isTracked: (url) => endpoints.has(url),
    endpoint: (url) => endpoints.get(url),
    endpoints: () => [...endpoints.values()],

    needsChainLookup(url) {
      const e = endpoints.get(url);
      if (!e || e.chainId !== undefined || !e.contactAllowed || lookups.has(url)) return false;
      return e.lookupRetryAt === undefined || clock.now() >= e.lookupRetryAt;
    },
    startChainLookup(url) {
      lookups.add(url);
    },
    finishChainLookup(url, result) {
      lookups.delete(url);
      const e = endpoints.get(url);
      if (!e) return;
      const now = clock.now();
      if (result.kind === 'chain') {
        if (e.chainId === undefined) {
          e.chainId = result.chainId;
          e.chainSource = 'lookup';
        }
        delete e.lookupRetryAt;
      } else {
        e.lookupRetryAt = now + (result.kind === 'not-evm' ? limits.notEvmRetryMs : limits.chainLookupRetryMs);
      }
    },

    recordProbe(url, ok, detail) {
      const e = endpoints.get(url);
      probing.delete(url);
      if (!e) return null;
      if (ok) {
        if (!isDown(e)) return null;
        const change = emit(apply(e, { kind: 'success', latencyMs: Number.NaN }, 'probe'));
        if (isDown(e)) {
          // Holding after repeated outages: look again soon, the hold ends at the first good probe past it.
          e.nextProbeAt = clock.now() + limits.holdProbeGapMs;
          scheduleProbes();
        } else scheduleWatch();
        return change;
      }
      if (isDown(e)) {
        delete e.upSince;
        if (detail) e.downReason = detail;
        const delay = Math.min((e.probeDelayMs ?? limits.recoveryProbeFirstMs) * 2, limits.recoveryProbeMaxMs);
        e.probeDelayMs = delay;
        e.nextProbeAt = clock.now() + delay;
        scheduleProbes();
      }
      return null;
    },

    recordCheck(url, result) {
      const c = checks.get(url);
      if (c) c.inFlight = false;
      const e = endpoints.get(url);
      if (!e || isDown(e)) {
        scheduleWatch();
        return null; // a down endpoint's return is the recovery probes' business
      }
      const state = checkState(url);
      state.lastHeardAt = clock.now();
      let change: TrackerChange | null = null;
      if (result.kind === 'alive') {
        state.lastOkAt = clock.now();
        delete state.suspectSince;
      } else if (!countsAgainstAvailability(result.failure.failureClass)) {
        delete state.suspectSince;
      } else {
        const confirmed = state.suspectSince !== undefined;
        change = emit(apply(e, result.failure, 'probe', confirmed));
        // A failed watch check is one observation: a second check at once confirms or clears it.
        if (!isDown(e)) {
          state.suspectSince = clock.now();
          requestCheck(e, 'confirm');
        }
      }
      scheduleWatch();
      return change;
    },

    hangThreshold: (url) => {
      const e = endpoints.get(url);
      return e ? thresholdOf(e) : hangThresholdMs([], limits.hangThreshold, limits.hangTimeoutMs);
    },

    takeDueProbes() {
      const now = clock.now();
      const due: string[] = [];
      for (const e of endpoints.values()) {
        if (!probeable(e) || e.nextProbeAt! > now) continue;
        probing.add(e.url);
        due.push(e.url);
      }
      return due;
    },

    down() {
      const list: DownEndpoint[] = [];
      for (const e of endpoints.values()) {
        if (!isDown(e)) continue;
        const item: DownEndpoint = { url: e.url, since: e.downSince ?? e.lastFailure?.at ?? 0, reason: e.downReason ?? describe(e) };
        if (e.chainId !== undefined) item.chainId = e.chainId;
        list.push(item);
      }
      return list;
    },

    pendingCount: () => pending.size,

    snapshot: () => ({ version: 1, endpoints: [...endpoints.values()].map((e) => structuredClone(e)) }),

    restore(snapshot) {
      if (typeof snapshot !== 'object' || snapshot === null) return;
      const raw = (snapshot as { version?: unknown; endpoints?: unknown });
      if (raw.version !== 1 || !Array.isArray(raw.endpoints)) return;
      for (const item of raw.endpoints.slice(-limits.maxTrackedEndpoints)) {
        const state = sanitize(item, policy, limits);
        if (state && !endpoints.has(state.url)) endpoints.set(state.url, state);
      }
      evict();
      scheduleProbes();
      scheduleWatch();
    },

    dispose() {
      for (const id of [...pending.keys()]) endPending(id);
      probeTimer.clear();
      watchTimer.clear();
    },
  };
  return tracker;
}

/** One timer for the earliest due time of one kind of work, re-armed only when that time changes. */
function earliestTimer(clock: Clock, onDue: () => void): { set(at: number): void; clear(): void } {
  let handle: TimerHandle | null = null;
  let armedAt = Number.POSITIVE_INFINITY;
  const clear = () => {
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
    armedAt = Number.POSITIVE_INFINITY;
  };
  return {
    set(at) {
      if (at === armedAt) return;
      clear();
      if (!Number.isFinite(at)) return;
      armedAt = at;
      handle = clock.setTimeout(() => {
        handle = null;
        armedAt = Number.POSITIVE_INFINITY;
        onDue();
      }, Math.max(0, at - clock.now()));
    },
    clear,
  };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function sanitize(raw: unknown, policy: Policy, limits: PageTrafficLimits): PageEndpointState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.url !== 'string' || !finite(r.lastSeenAt)) return undefined;
  const b = r.breaker as Record<string, unknown> | undefined;
  const breaker = createBreaker(policy);
  if (b && (b.status === 'open' || b.status === 'closed') && finite(b.consecutiveFailures) && finite(b.nextCooldownMs)) {
    const window = b.window as { values?: unknown; cursor?: unknown } | undefined;
    if (window && Array.isArray(window.values) && window.values.every(finite) && finite(window.cursor)) {
      breaker.window = { values: window.values.slice(0, policy.breaker.windowSize) as number[], cursor: Math.trunc(window.cursor) % Math.max(1, policy.breaker.windowSize) };
    }
    breaker.status = b.status;
    breaker.consecutiveFailures = b.consecutiveFailures;
    breaker.nextCooldownMs = b.nextCooldownMs;
    if (finite(b.openUntil)) breaker.openUntil = b.openUntil;
    if (finite(b.cooldownMs)) breaker.cooldownMs = b.cooldownMs;
  }
  const state: PageEndpointState = { url: r.url, contactAllowed: r.contactAllowed === true, breaker, lastSeenAt: r.lastSeenAt };
  if (finite(r.chainId) && Number.isSafeInteger(r.chainId) && r.chainId > 0) state.chainId = r.chainId;
  if (r.chainSource === 'url' || r.chainSource === 'config' || r.chainSource === 'lookup' || r.chainSource === 'probe') state.chainSource = r.chainSource;
  const lf = r.lastFailure as Record<string, unknown> | undefined;
  if (lf && typeof lf.detail === 'string' && finite(lf.at) && finite(lf.repeat)) state.lastFailure = { detail: lf.detail.slice(0, 120), at: lf.at, repeat: lf.repeat };
  if (breaker.status === 'open') {
    state.downSince = finite(r.downSince) ? r.downSince : r.lastSeenAt;
    if (typeof r.downReason === 'string') state.downReason = r.downReason.slice(0, 120);
    state.nextProbeAt = finite(r.nextProbeAt) ? r.nextProbeAt : r.lastSeenAt;
    if (finite(r.probeDelayMs)) state.probeDelayMs = r.probeDelayMs;
  }
  if (finite(r.lookupRetryAt)) state.lookupRetryAt = r.lookupRetryAt;
  const lat = r.latencies as { values?: unknown; cursor?: unknown } | undefined;
  if (lat && Array.isArray(lat.values) && lat.values.every((v) => finite(v) && v >= 0) && finite(lat.cursor)) {
    const values = (lat.values as number[]).slice(0, limits.latencySamples);
    state.latencies = { values, cursor: Math.max(0, Math.trunc(lat.cursor)) % Math.max(1, limits.latencySamples) };
  }
  if (Array.isArray(r.downs)) state.downs = r.downs.filter(finite).slice(-limits.maxRecentDowns);
  if (breaker.status === 'open' && finite(r.upSince)) state.upSince = r.upSince;
  return state;
}
