/**
 * Health of the RPC endpoints web pages talk to themselves, from what webRequest shows: one
 * circuit breaker per page URL (the engine's breaker functions and numbers), hang timers for
 * requests that never end, chain look-up bookkeeping and recovery-probe scheduling.
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
import { type BreakerState, createBreaker, recordBreakerFailure, recordBreakerSuccess } from '../health/breaker.ts';
import { countsAgainstAvailability } from '../rpc/jsonrpc.ts';
import type { Policy } from '../policy/index.ts';
import { type Observation, outcomeOf } from './observe.ts';

export interface PageTrafficLimits {
  hangTimeoutMs: number;
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
}

interface Pending {
  url: string;
  startedAt: number;
  timer: TimerHandle | null;
  timedOut: boolean;
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
  let probeTimer: TimerHandle | null = null;
  let probeTimerAt = Number.POSITIVE_INFINITY;

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
        if (evictable(e)) endpoints.delete(e.url);
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

  const scheduleProbes = () => {
    let next = Number.POSITIVE_INFINITY;
    for (const e of endpoints.values()) if (probeable(e)) next = Math.min(next, e.nextProbeAt!);
    if (next === probeTimerAt) return;
    if (probeTimer !== null) clock.clearTimeout(probeTimer);
    probeTimer = null;
    probeTimerAt = next;
    if (!Number.isFinite(next)) return;
    probeTimer = clock.setTimeout(() => {
      probeTimer = null;
      probeTimerAt = Number.POSITIVE_INFINITY;
      const due = tracker.takeDueProbes();
      if (due.length > 0) options.onProbeDue?.(due);
      scheduleProbes();
    }, Math.max(0, next - clock.now()));
  };

  const apply = (e: PageEndpointState, outcome: ObservedOutcome, source: TrackerChange['source'] = 'request'): TrackerChange => {
    const now = clock.now();
    const wasDown = isDown(e);
    if (outcome.kind === 'success') {
      recordBreakerSuccess(e.breaker, policy);
      delete e.lastFailure;
    } else {
      const previous = e.lastFailure;
      e.lastFailure = { detail: outcome.detail, at: now, repeat: previous && previous.detail === outcome.detail ? previous.repeat + 1 : 1 };
      if (countsAgainstAvailability(outcome.failureClass)) recordBreakerFailure(e.breaker, now, policy);
    }
    const change: TrackerChange = { url: e.url, source, outcome };
    if (!wasDown && isDown(e)) {
      change.transition = 'down';
      e.downSince = now;
      e.downReason = describe(e);
      e.probeDelayMs = limits.recoveryProbeFirstMs;
      e.nextProbeAt = now + limits.recoveryProbeFirstMs;
      scheduleProbes();
    } else if (wasDown && !isDown(e)) {
      change.transition = 'up';
      delete e.downSince;
      delete e.downReason;
      delete e.nextProbeAt;
      delete e.probeDelayMs;
      probing.delete(e.url);
      scheduleProbes();
    }
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
      const entry: Pending = { url, startedAt: now, timer: null, timedOut: false };
      entry.timer = clock.setTimeout(() => {
        entry.timer = null;
        entry.timedOut = true;
        const state = endpoints.get(url);
        const outcome = outcomeOf({ kind: 'timeout', afterMs: limits.hangTimeoutMs }, clock.now());
        if (state && outcome) emit(apply(state, outcome));
      }, limits.hangTimeoutMs);
      pending.set(requestId, entry);
      evict();
      return endpoints.get(url);
    },

    finish(requestId, url, observation) {
      const p = pending.get(requestId);
      if (!p || p.url !== url) return null;
      endPending(requestId);
      const state = endpoints.get(url);
      const outcome = outcomeOf(observation, clock.now());
      if (!state || !outcome) return null;
      // Already counted as a hang: only a late success adds news (the endpoint is alive after all).
      if (p.timedOut && outcome.kind !== 'success') return null;
      return emit(apply(state, outcome));
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
        return emit(apply(e, { kind: 'success', latencyMs: Number.NaN }, 'probe'));
      }
      if (isDown(e)) {
        if (detail) e.downReason = detail;
        const delay = Math.min((e.probeDelayMs ?? limits.recoveryProbeFirstMs) * 2, limits.recoveryProbeMaxMs);
        e.probeDelayMs = delay;
        e.nextProbeAt = clock.now() + delay;
        scheduleProbes();
      }
      return null;
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
        const state = sanitize(item, policy);
        if (state && !endpoints.has(state.url)) endpoints.set(state.url, state);
      }
      evict();
      scheduleProbes();
    },

    dispose() {
      for (const id of [...pending.keys()]) endPending(id);
      if (probeTimer !== null) clock.clearTimeout(probeTimer);
      probeTimer = null;
      probeTimerAt = Number.POSITIVE_INFINITY;
    },
  };
  return tracker;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function sanitize(raw: unknown, policy: Policy): PageEndpointState | undefined {
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
  return state;
}
