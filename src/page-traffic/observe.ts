/**
 * What a webRequest observation says about the endpoint a page talked to, in the engine's outcome
 * language (src/health/tracker.ts ObservedOutcome). Pure.
 */
import { classifyHttpStatus, classifyThrown } from '../rpc/jsonrpc.ts';
import type { ObservedOutcome } from '../health/tracker.ts';

export type Observation =
  /** onCompleted: the endpoint answered with this status. */
  | { kind: 'completed'; statusCode: number; retryAfter: string | null; latencyMs: number }
  /** onErrorOccurred: Chromium's net error string, e.g. "net::ERR_CONNECTION_REFUSED". */
  | { kind: 'error'; error: string; latencyMs: number }
  /** Lifeline's own hang timer fired. */
  | { kind: 'timeout'; afterMs: number };

/**
 * Errors that say nothing about the endpoint: the page (or the user) cancelled, another extension
 * or a policy blocked the request, or this machine lost its network.
 */
const NOT_THE_ENDPOINT = new Set([
  'net::ERR_ABORTED',
  'net::ERR_BLOCKED_BY_CLIENT',
  'net::ERR_BLOCKED_BY_ADMINISTRATOR',
  'net::ERR_BLOCKED_BY_RESPONSE',
  'net::ERR_BLOCKED_BY_ORB',
  'net::ERR_INTERNET_DISCONNECTED',
  'net::ERR_NETWORK_CHANGED',
  'net::ERR_NETWORK_IO_SUSPENDED',
  'net::ERR_NETWORK_ACCESS_DENIED',
  'net::ERR_CACHE_MISS',
  'net::ERR_INSUFFICIENT_RESOURCES',
  'net::ERR_OUT_OF_MEMORY',
]);

/** Chromium's error for a request its page (or the user) cancelled. */
export const PAGE_ABORTED = 'net::ERR_ABORTED';

/**
 * A request the page itself gave up on without any answer. Before the host's hang threshold it
 * says nothing (pages cancel for their own reasons: a new block, a closed view, a short timeout on
 * a slow but healthy host); after it, the host had its chance and stayed silent: a hang.
 */
export function abortedOutcome(waitedMs: number, thresholdMs: number): ObservedOutcome | null {
  if (!(waitedMs >= thresholdMs)) return null;
  return { ...classifyThrown(undefined, true, thresholdMs), latencyMs: waitedMs };
}

/** The outcome to record, or null when the observation says nothing about the endpoint. */
export function outcomeOf(observation: Observation, nowMs: number): ObservedOutcome | null {
  switch (observation.kind) {
    case 'completed': {
      const { statusCode, retryAfter, latencyMs } = observation;
      if (statusCode >= 200 && statusCode < 300) return { kind: 'success', latencyMs };
      // A redirect that completed is the server's own business (not an answer, not a failure).
      if (statusCode >= 300 && statusCode < 400) return null;
      const failure = classifyHttpStatus(statusCode, retryAfter, nowMs);
      return failure ? { ...failure, latencyMs } : null;
    }
    case 'error': {
      if (NOT_THE_ENDPOINT.has(observation.error)) return null;
      return { ...classifyThrown(new Error(observation.error.slice(0, 80)), false, 0), latencyMs: observation.latencyMs };
    }
    case 'timeout':
      return { ...classifyThrown(undefined, true, observation.afterMs), latencyMs: observation.afterMs };
  }
}
