/**
 * What a page's wallet guard may hand to Lifeline when its wallet cannot serve it, decided by the
 * method's name alone. No imports and no parameter rules: the MAIN-world guard bundles this file
 * into every page, and the bridge and the worker check each relayed call in full again
 * (parameters in methods.ts, shape and size in src/wallet/relay-request.ts).
 */

/** Chain reads Lifeline routes to any healthy endpoint. eth_chainId is not one: only the wallet
 *  knows which chain it is on, so that one always stays with the wallet. */
export const ROUTABLE_READS = Object.freeze([
  'net_version',
  'eth_blockNumber',
  'eth_gasPrice',
  'eth_maxPriorityFeePerGas',
  'eth_blobBaseFee',
  'eth_feeHistory',
  'eth_getBalance',
  'eth_getTransactionCount',
  'eth_getCode',
  'eth_getStorageAt',
  'eth_getProof',
  'eth_call',
  'eth_estimateGas',
  'eth_createAccessList',
  'eth_getLogs',
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getBlockTransactionCountByNumber',
  'eth_getBlockTransactionCountByHash',
  'eth_getBlockReceipts',
  'eth_getTransactionByHash',
  'eth_getTransactionByBlockHashAndIndex',
  'eth_getTransactionByBlockNumberAndIndex',
  'eth_getTransactionReceipt',
] as const);

export type RoutableRead = (typeof ROUTABLE_READS)[number];

/** The broadcast of an already signed transaction: sent to several endpoints. */
export const BROADCAST_METHOD = 'eth_sendRawTransaction';

// A Set, not an object's keys: pages send arbitrary names, "constructor" and "__proto__" included.
const READ_NAMES: ReadonlySet<string> = new Set(ROUTABLE_READS);

export function isRelayableRead(method: string): method is RoutableRead {
  return READ_NAMES.has(method);
}

/** Chain reads, and the broadcast of a transaction the wallet already signed. Re-sending the same
 *  signed bytes is idempotent (one hash, one nonce) and signs nothing, so it never takes a decision
 *  from the wallet; signing and account methods stay with the wallet. */
export function isRelayable(method: string): boolean {
  return isRelayableRead(method) || method === BROADCAST_METHOD;
}
