/**
 * The words an endpoint's health is shown with (the popup, the options page, timeline reasons):
 * one line each, short enough for a list row. Judging the state is the tracker's; saying it is here.
 */
import { formatSeconds } from '../rpc/jsonrpc.ts';
import type { LastFailure } from './snapshot.ts';

export const NOT_CHECKED_YET = 'not checked yet';
export const DISABLED = 'disabled';
export const CIRCUIT_OPEN = 'circuit open';

/** "HTTP 503", or "HTTP 503 ×3" when the same failure repeated. */
export const describeFailure = (last: LastFailure): string => (last.repeat > 1 ? `${last.detail} ×${last.repeat}` : last.detail);

export const wrongChain = (observedChainId: number | undefined): string => `wrong chain ${observedChainId}`;

/** Rounded up to the second so the popup never promises a retry sooner than it happens. */
export const rateLimited = (forMs: number): string => `rate limited (retry in ${formatSeconds(Math.ceil(forMs / 1000) * 1000)})`;

export const blocksBehind = (blocks: number): string => `${blocks} blocks behind`;

export const recovering = (last: LastFailure | undefined): string => `recovering${last ? ` after ${describeFailure(last)}` : ''}`;

export const claimsAhead = (block: number, ahead: number): string => `claims block ${block}, ${ahead} ahead of the others`;

export const errorShare = (rate: number): string => `${Math.round(rate * 100)} % errors`;

/** p95 to a tenth of a second: finer would only look precise. */
export const slow = (p95Ms: number): string => `slow (p95 ${formatSeconds(Math.round(p95Ms / 100) * 100)})`;

export const healthy = (p50Ms: number | undefined): string => (p50Ms !== undefined ? `p50 ${Math.round(p50Ms)} ms` : 'ok');
