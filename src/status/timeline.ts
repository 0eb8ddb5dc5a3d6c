/**
 * The outage timeline: failover, redirect and recovery events, newest first, bounded in count and
 * age. Pure logic; the worker stores the list in IndexedDB (extension/background/timeline.ts).
 */
import { TIMELINE_LIMITS } from '../policy/index.ts';

export type TimelineEventKind =
  | 'failover-start' // Lifeline began serving a chain's reads from fallbacks (wallet or page RPC down)
  | 'failover-end'
  | 'redirect-start' // a page RPC URL is redirected by a DNR rule
  | 'redirect-update' // the redirect's target changed
  | 'redirect-end'
  | 'endpoint-down'
  | 'endpoint-up'
  | 'wallet-failing'
  | 'wallet-recovered'
  | 'service-down' // a wallet or exchange API of the services panel became unavailable
  | 'service-up'
  | 'answer-failed-verification'; // an endpoint's answer did not match the chain's proofs: benched

export interface TimelineEvent {
  at: number;
  kind: TimelineEventKind;
  chainId: number | null;
  /** What failed or was left (endpoint label, masked URL, wallet or service name). */
  from?: string;
  /** What served instead (endpoint label). */
  to?: string;
  /** Human words: "HTTP 503 ×3", "no answer in 4 s". */
  reason?: string;
}

/** Adds events (any order) to a newest-first list, dropping old and excess ones. */
export function appendEvents(existing: readonly TimelineEvent[], added: readonly TimelineEvent[], now: number): TimelineEvent[] {
  const cutoff = now - TIMELINE_LIMITS.maxAgeMs;
  return [...added, ...existing]
    .filter((e) => e.at >= cutoff)
    .sort((a, b) => b.at - a.at)
    .slice(0, TIMELINE_LIMITS.maxEvents);
}
