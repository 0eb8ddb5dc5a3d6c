/** What the guard assumes of a wallet provider object: very little, since any page script (or
 *  another wallet) may have made it. */

export type RequestFn = (this: unknown, args: unknown) => unknown;

export interface RequestArgs {
  method: string;
  params?: unknown;
}

export interface ProviderLike {
  request?: unknown;
  chainId?: unknown;
  on?: unknown;
  providers?: unknown;
  [flag: string]: unknown;
}

/** Providers are objects, or functions when a wallet wraps theirs in a callable Proxy. */
export const isObject = (value: unknown): value is ProviderLike =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';

/** A chain id as wallets give it: "0x1", "1" or 1. */
export const parseChainId = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number.parseInt(value, value.startsWith('0x') ? 16 : 10) : typeof value === 'number' ? value : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};
