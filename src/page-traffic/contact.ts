/** Reading the answer of the worker's own eth_chainId request (chain look-up, recovery probe). */
import { parseQuantity } from '../rpc/jsonrpc.ts';
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
