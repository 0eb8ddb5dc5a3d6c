/** Reading the answer of the worker's own eth_chainId request (chain look-up, recovery probe). */
import { type AttemptFailure, classifyHttpStatus, classifyThrown, parseQuantity } from '../rpc/jsonrpc.ts';
import type { ChainLookupResult } from './tracker.ts';

/** The body Lifeline sends: one eth_chainId call, id chosen so it cannot be mistaken for a page's. */
export const CHAIN_ID_REQUEST = '{"jsonrpc":"2.0","id":1953066569,"method":"eth_chainId","params":[]}';

/**
 * Chain id from an HTTP answer to CHAIN_ID_REQUEST. `failed` = the endpoint did not answer
 * properly (HTTP error, not JSON): it may be down. `not-evm` = it answered JSON but not with a chain
 * id ("method not found", or a result that is no chain id: some other kind of API).
 */
export function parseChainIdAnswer(status: number, text: string): ChainLookupResult {
  if (status < 200 || status >= 300) return { kind: 'failed' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'failed' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'not-evm' };
  const v = value as Record<string, unknown>;
  if (v.jsonrpc !== '2.0') return { kind: 'not-evm' };
  // "Method not found" is a different kind of API; any other error (rate limit, internal) may pass.
  const error = v.error as { code?: unknown } | undefined;
  if (error !== undefined) return error && error.code === -32601 ? { kind: 'not-evm' } : { kind: 'failed' };
  const chainId = parseQuantity(v.result);
  if (chainId === undefined || chainId <= 0 || !Number.isSafeInteger(chainId)) return { kind: 'not-evm' };
  return { kind: 'chain', chainId };
}

/** What a check (the worker's eth_chainId to a page endpoint) says about the endpoint being up. */
export type CheckResult = { kind: 'alive'; chainId?: number } | { kind: 'failed'; failure: AttemptFailure };

/**
 * A check's HTTP answer: any JSON-RPC answer means the host is up (even an error: it answered, and
 * whether its chain is right is the recovery probe's question); an HTTP error status or a body that
 * is not JSON-RPC at all (a proxy's page) is a failure like a page request's.
 */
export function checkAnswer(status: number, text: string, retryAfter: string | null, nowMs: number): CheckResult {
  const http = classifyHttpStatus(status, retryAfter, nowMs);
  if (http) return { kind: 'failed', failure: http };
  const parsed = parseChainIdAnswer(status, text);
  if (parsed.kind === 'chain') return { kind: 'alive', chainId: parsed.chainId };
  if (parsed.kind === 'not-evm') return { kind: 'alive' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value === 'object' && value !== null && (value as { jsonrpc?: unknown }).jsonrpc === '2.0') return { kind: 'alive' };
  return { kind: 'failed', failure: { kind: 'failure', failureClass: 'malformed', detail: 'not a JSON-RPC answer' } };
}

/** A check that got no answer: within its timeout (a hang) or no connection at all. */
export function checkUnanswered(timedOut: boolean, timeoutMs: number): CheckResult {
  // No error text: the browser's message for a refused or reset connection says nothing more.
  return { kind: 'failed', failure: timedOut ? classifyThrown(undefined, true, timeoutMs) : { kind: 'failure', failureClass: 'network', detail: 'connection failed' } };
}
