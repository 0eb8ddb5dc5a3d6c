/**
 * The services panel: public APIs that wallets and exchanges depend on. Definitions, response
 * classification and check scheduling are pure; the worker does the fetching
 * (extension/background/services.ts).
 */
import { SERVICES_POLICY } from '../policy/index.ts';
import { isLoopbackHost, tryParseUrl } from '../registry/url.ts';
import type { TimelineEvent } from './timeline.ts';
import { parseRetryAfter } from '../rpc/jsonrpc.ts';

export type ServiceId = 'rabby' | 'debank' | 'infura' | 'alchemy' | 'binance' | 'kucoin';
export type ServiceState = 'up' | 'degraded' | 'maintenance' | 'down' | 'rate-limited' | 'unknown';

/** How a response is read: reachability only, or the service's own status document. */
export type CheckKind = 'reachable' | 'binance-ping' | 'binance-status' | 'kucoin-status';

export interface ServiceCheck {
  /** Overridable in tests via chrome.storage.local `serviceUrls` (key: `<service>.<index>`). */
  url: string;
  kind: CheckKind;
}

export interface ServiceDefinition {
  id: ServiceId;
  name: string;
  /** Who depends on it, in words for the panel. */
  usedBy: string;
  /** Wallets (EIP-6963 rdns) whose chain reads go through this service: while it is down their
   *  reads fail on every chain, so the guards relay them at once. */
  walletsServed?: readonly string[];
  checks: ServiceCheck[];
}

export const SERVICES: readonly ServiceDefinition[] = [
  // Any HTTP answer (even 4xx) proves the API is reachable; only 5xx/timeouts/network errors are down.
  { id: 'rabby', name: 'Rabby API', usedBy: 'Rabby Wallet balances, prices and history', walletsServed: ['io.rabby'], checks: [{ url: 'https://api.rabby.io/v1/wallet/version', kind: 'reachable' }] },
  { id: 'debank', name: 'DeBank API', usedBy: 'Rabby and DeBank portfolio data', checks: [{ url: 'https://api.debank.com/chain/list', kind: 'reachable' }] },
  { id: 'infura', name: 'Infura', usedBy: 'MetaMask default RPC', checks: [{ url: 'https://mainnet.infura.io/v3', kind: 'reachable' }] },
  { id: 'alchemy', name: 'Alchemy', usedBy: 'many wallets and dApps', checks: [{ url: 'https://eth-mainnet.g.alchemy.com/v2', kind: 'reachable' }] },
  {
    id: 'binance', name: 'Binance', usedBy: 'exchange deposits and withdrawals',
    checks: [{ url: 'https://api.binance.com/api/v3/ping', kind: 'binance-ping' }, { url: 'https://api.binance.com/sapi/v1/system/status', kind: 'binance-status' }],
  },
  { id: 'kucoin', name: 'KuCoin', usedBy: 'exchange deposits and withdrawals', checks: [{ url: 'https://api.kucoin.com/api/v1/status', kind: 'kucoin-status' }] },
];

/** What the fetch produced: an HTTP answer, or no answer at all. */
export type Observation =
  | { kind: 'http'; status: number; body: string; retryAfter?: string | null }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'network'; message: string };

export interface CheckResult {
  state: ServiceState;
  /** In words: "HTTP 503", "no answer in 8 s", "scheduled maintenance". */
  detail: string;
  /** Set when the service asked us to back off (429/418). */
  retryAfterMs?: number;
}

function json(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

export function classifyObservation(kind: CheckKind, o: Observation, now: number): CheckResult {
  if (o.kind === 'timeout') return { state: 'down', detail: `no answer in ${Math.round(o.afterMs / 1000)} s` };
  if (o.kind === 'network') return { state: 'down', detail: `unreachable (${o.message})` };
  const { status } = o;
  if (status === 429 || status === 418) {
    const wait = parseRetryAfter(o.retryAfter ?? null, now) ?? SERVICES_POLICY.defaultBackoffMs;
    const retryAfterMs = Math.min(Math.max(wait, 0), SERVICES_POLICY.maxBackoffMs);
    return { state: 'rate-limited', detail: status === 418 ? 'our IP is temporarily banned (HTTP 418); waiting as asked' : 'rate limited (HTTP 429); waiting as asked', retryAfterMs };
  }
  if (status >= 500) return { state: 'down', detail: `HTTP ${status}` };
  if (kind === 'reachable') return { state: 'up', detail: `reachable (HTTP ${status})` };
  if (status < 200 || status >= 300) return { state: 'down', detail: `unexpected HTTP ${status}` };
  const body = json(o.body);
  if (kind === 'binance-ping') {
    return typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0
      ? { state: 'up', detail: 'ping answered' }
      : { state: 'down', detail: 'ping answered with an unexpected body' };
  }
  if (kind === 'binance-status') {
    const s = (body as { status?: unknown; msg?: unknown } | undefined)?.status;
    if (s === 0) return { state: 'up', detail: 'system status normal' };
    if (s === 1) return { state: 'maintenance', detail: 'system maintenance' };
    return { state: 'down', detail: 'status answered with an unexpected body' };
  }
  // kucoin-status: { code: "200000", data: { status: "open" | "close" | "cancelonly", msg } }
  const data = (body as { data?: { status?: unknown; msg?: unknown } } | undefined)?.data;
  const msg = typeof data?.msg === 'string' && data.msg.length > 0 ? `: ${data.msg.slice(0, 120)}` : '';
  if (data?.status === 'open') return { state: 'up', detail: 'trading open' };
  if (data?.status === 'cancelonly') return { state: 'degraded', detail: `cancel-only mode${msg}` };
  if (data?.status === 'close') return { state: 'maintenance', detail: `trading closed${msg}` };
  return { state: 'down', detail: 'status answered with an unexpected body' };
}

const SEVERITY: Record<ServiceState, number> = { unknown: 0, up: 1, degraded: 2, maintenance: 3, 'rate-limited': 4, down: 5 };

/** A service with several checks is as bad as its worst check. */
export function combineResults(results: readonly CheckResult[]): CheckResult {
  let worst: CheckResult = { state: 'unknown', detail: 'not checked yet' };
  for (const r of results) if (SEVERITY[r.state] >= SEVERITY[worst.state]) worst = r;
  const retry = Math.max(0, ...results.map((r) => r.retryAfterMs ?? 0));
  return retry > 0 ? { ...worst, retryAfterMs: retry } : worst;
}

export interface ServiceStatus {
  id: ServiceId;
  name: string;
  usedBy: string;
  state: ServiceState;
  detail: string;
  checkedAt: number | null;
  /** Not checked again before this time (interval, or the service's Retry-After). */
  nextCheckAt: number;
}

export function initialStatuses(): ServiceStatus[] {
  return SERVICES.map((s) => ({ id: s.id, name: s.name, usedBy: s.usedBy, state: 'unknown', detail: 'not checked yet', checkedAt: null, nextCheckAt: 0 }));
}

export function restoreServiceStatuses(raw: unknown): ServiceStatus[] {
  const stored = Array.isArray(raw) ? (raw as Partial<ServiceStatus>[]) : [];
  return initialStatuses().map((fresh) => {
    const s = stored.find((x) => x && x.id === fresh.id);
    if (!s || typeof s.state !== 'string' || !(s.state in SEVERITY)) return fresh;
    return { ...fresh, state: s.state, detail: typeof s.detail === 'string' ? s.detail : fresh.detail, checkedAt: typeof s.checkedAt === 'number' ? s.checkedAt : null, nextCheckAt: typeof s.nextCheckAt === 'number' ? s.nextCheckAt : 0 };
  });
}

/** Services due a check. `force` (the user's "Probe now") still honours a rate-limit back-off. */
export function dueServices(statuses: readonly ServiceStatus[], now: number, force = false): ServiceId[] {
  return statuses.filter((s) => now >= s.nextCheckAt || (force && s.state !== 'rate-limited')).map((s) => s.id);
}

export function applyResult(status: ServiceStatus, result: CheckResult, now: number): ServiceStatus {
  const wait = result.retryAfterMs !== undefined ? Math.max(result.retryAfterMs, SERVICES_POLICY.checkIntervalMs) : SERVICES_POLICY.checkIntervalMs;
  return { ...status, state: result.state, detail: result.detail, checkedAt: now, nextCheckAt: now + wait };
}

/**
 * URL overrides for tests, read from chrome.storage.local (writable only by Lifeline itself).
 * Keys are `<service>.<check index>`; values must be https, or http to a loopback host.
 */
export function resolveCheckUrls(def: ServiceDefinition, overrides: unknown): ServiceCheck[] {
  const map = typeof overrides === 'object' && overrides !== null ? (overrides as Record<string, unknown>) : {};
  return def.checks.map((check, index) => {
    const candidate = map[`${def.id}.${index}`];
    if (typeof candidate !== 'string') return check;
    const url = tryParseUrl(candidate);
    if (!url) return check;
    const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
    return allowed ? { ...check, url: url.href } : check;
  });
}

/** States in which the people depending on a service are affected. Rate-limited is about us
 *  (Lifeline's own checks), not the service, and unknown is no evidence either way. */
const UNAVAILABLE: ReadonlySet<ServiceState> = new Set(['down', 'maintenance', 'degraded']);

/**
 * Timeline events for what a round of checks changed: a service that became unavailable (with
 * its detail: "HTTP 503", "system maintenance"), and one that is up again. A service first seen
 * unavailable (no earlier check) counts as becoming so; one first seen up is not news.
 */
export function serviceEvents(before: readonly ServiceStatus[], after: readonly ServiceStatus[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const now of after) {
    const was = before.find((s) => s.id === now.id);
    if (!was || now.checkedAt === null || now.checkedAt === was.checkedAt) continue;
    const wasUnavailable = UNAVAILABLE.has(was.state);
    if (!wasUnavailable && UNAVAILABLE.has(now.state)) {
      events.push({ at: now.checkedAt, kind: 'service-down', chainId: null, from: now.name, reason: now.detail });
    } else if (wasUnavailable && now.state === 'up') {
      events.push({ at: now.checkedAt, kind: 'service-up', chainId: null, from: now.name });
    }
  }
  return events;
}

/** Wallets whose backend a status check found unavailable right now. */
export function walletsWithBackendDown(statuses: readonly ServiceStatus[]): Set<string> {
  const down = new Set<string>();
  for (const status of statuses) {
    if (status.state !== 'down' && status.state !== 'maintenance') continue;
    for (const wallet of SERVICES.find((s) => s.id === status.id)?.walletsServed ?? []) down.add(wallet);
  }
  return down;
}
