/**
 * The tracker's serialisable state, and turning a stored snapshot of it back into state. A snapshot
 * comes from session storage written by an earlier (possibly older) worker, so every field is
 * checked: anything malformed is dropped rather than trusted.
 */
import { type FailureClass, isFailureClass } from '../rpc/jsonrpc.ts';
import type { Policy } from '../policy/index.ts';
import { INFRASTRUCTURES, type Infrastructure } from '../types.ts';
import type { BreakerState } from './breaker.ts';
import type { BlockReport } from './head.ts';
import { type RingState, orderedValues } from './window.ts';
import { isRecord } from '../types.ts';

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

export function takeSnapshot(endpoints: ReadonlyMap<string, EndpointHealthState>, chains: ReadonlyMap<number, ChainHealthState>, savedAt: number): HealthSnapshot {
  const endpointStates: Record<string, EndpointHealthState> = {};
  for (const [id, state] of endpoints) {
    // Endpoints nothing was ever learnt about restore as new anyway; with 60 chains registered
    // and a few in use they are most of the registry, so leaving them out keeps the snapshot
    // (written to session storage every second while busy) small.
    if (isPristine(state)) continue;
    const copy = structuredClone(state);
    delete copy.breaker.trialStartedAt; // a trial in flight dies with the worker
    endpointStates[id] = copy;
  }
  const chainStates: Record<string, ChainHealthState> = {};
  for (const [chainId, state] of chains) chainStates[String(chainId)] = structuredClone(state);
  return { version: 1, savedAt, endpoints: endpointStates, chains: chainStates };
}

function isPristine(state: EndpointHealthState): boolean {
  const { breaker } = state;
  return (
    state.successes === 0 && state.failures === 0 && state.latencies.values.length === 0 &&
    state.lastFailure === undefined && state.lastSuccessAt === undefined && state.rateLimitedUntil === undefined &&
    state.observedChainId === undefined && state.chainCheckedAt === undefined && state.report === undefined &&
    breaker.status === 'closed' && breaker.consecutiveFailures === 0 && breaker.window.values.length === 0
  );
}

/** The valid parts of a stored snapshot: endpoint states by id and chain states by chain id. */
export interface RestoredHealth {
  endpoints: Map<string, EndpointHealthState>;
  chains: Map<number, ChainHealthState>;
}

export function readSnapshot(snapshot: unknown, policy: Policy): RestoredHealth | undefined {
  if (!isRecord(snapshot) || snapshot.version !== 1) return undefined;
  const restored: RestoredHealth = { endpoints: new Map(), chains: new Map() };
  if (isRecord(snapshot.endpoints)) {
    for (const [id, raw] of Object.entries(snapshot.endpoints)) {
      const state = sanitizeEndpointState(raw, policy);
      if (state) restored.endpoints.set(id, state);
    }
  }
  if (isRecord(snapshot.chains)) {
    for (const [key, raw] of Object.entries(snapshot.chains)) {
      const chainId = Number(key);
      const state = Number.isSafeInteger(chainId) ? sanitizeChainState(raw) : undefined;
      if (state) restored.chains.set(chainId, state);
    }
  }
  return restored;
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
