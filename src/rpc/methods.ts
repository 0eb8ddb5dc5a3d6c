/**
 * Which JSON-RPC methods Lifeline may route, and how. Wallet-only methods (accounts, signing,
 * wallet_*) never leave the wallet; reads go to any healthy endpoint of the chain; the raw
 * transaction broadcast goes to several; everything else is refused with -32601.
 * Reads are shallowly validated here so a malformed call is answered -32602 locally instead of
 * being sprayed over every endpoint. Which names are reads at all is relayable.ts, small enough for
 * the page's guard to bundle without this parameter table.
 */
import { type JsonRpcErrorObject, RpcCode, parseQuantity, rpcError } from './jsonrpc.ts';
import type { LagClass } from '../policy/index.ts';
import { BROADCAST_METHOD, type RoutableRead, isRelayableRead } from './relayable.ts';
import { isRecord } from '../types.ts';

// The bridge and the worker check a relayed call's name and its parameters: one import for both.
export { BROADCAST_METHOD, ROUTABLE_READS, isRelayable } from './relayable.ts';

export type MethodKind = 'wallet-only' | 'read' | 'broadcast' | 'local' | 'unsupported';

type ParamKind =
  | 'address'
  | 'quantity'
  | 'blockTag' // "latest" | "earliest" | "pending" | "safe" | "finalized" | quantity
  | 'blockRef' // blockTag or EIP-1898 { blockHash } / { blockNumber }
  | 'hash'
  | 'data'
  | 'bool'
  | 'callObject'
  | 'filter'
  | 'storageKey'
  | 'storageKeys'
  | 'percentiles'
  | 'blockCount'
  | 'object';

interface ReadSpec {
  params: readonly ParamKind[];
  /** Parameters that must be present; the rest are optional. */
  required: number;
  lagClass: Exclude<LagClass, 'none'> | 'none';
  /** Index of the block parameter: an explicit block number/hash makes the call lag-independent. */
  blockParam?: number;
}

const WALLET_ONLY = new Set([
  'eth_accounts',
  'eth_requestAccounts',
  'eth_sendTransaction',
  'eth_signTransaction',
  'eth_sign',
  'personal_sign',
  'personal_ecRecover',
  'eth_signTypedData',
  'eth_signTypedData_v1',
  'eth_signTypedData_v3',
  'eth_signTypedData_v4',
  'eth_coinbase',
  'eth_decrypt',
  'eth_getEncryptionPublicKey',
]);
const WALLET_ONLY_PREFIXES = ['wallet_', 'personal_', 'metamask_', 'snap_'];

// Lag classes after dshackle: state at head → 'head' (0 blocks); things that may be "not found yet"
// → 'block' (1); execution and fee estimates → 'execution' (4). Keyed by the relayable names, so a
// read added there without its parameters here (or the other way round) does not compile.
const READS: Readonly<Record<RoutableRead, ReadSpec>> = {
  net_version: { params: [], required: 0, lagClass: 'none' },
  eth_blockNumber: { params: [], required: 0, lagClass: 'head' },
  eth_gasPrice: { params: [], required: 0, lagClass: 'execution' },
  eth_maxPriorityFeePerGas: { params: [], required: 0, lagClass: 'execution' },
  eth_blobBaseFee: { params: [], required: 0, lagClass: 'execution' },
  eth_feeHistory: { params: ['blockCount', 'blockTag', 'percentiles'], required: 2, lagClass: 'execution', blockParam: 1 },
  eth_getBalance: { params: ['address', 'blockRef'], required: 1, lagClass: 'head', blockParam: 1 },
  eth_getTransactionCount: { params: ['address', 'blockRef'], required: 1, lagClass: 'head', blockParam: 1 },
  eth_getCode: { params: ['address', 'blockRef'], required: 1, lagClass: 'head', blockParam: 1 },
  eth_getStorageAt: { params: ['address', 'storageKey', 'blockRef'], required: 2, lagClass: 'head', blockParam: 2 },
  eth_getProof: { params: ['address', 'storageKeys', 'blockRef'], required: 3, lagClass: 'head', blockParam: 2 },
  eth_call: { params: ['callObject', 'blockRef', 'object', 'object'], required: 1, lagClass: 'execution', blockParam: 1 },
  eth_estimateGas: { params: ['callObject', 'blockRef', 'object'], required: 1, lagClass: 'execution', blockParam: 1 },
  eth_createAccessList: { params: ['callObject', 'blockRef'], required: 1, lagClass: 'execution', blockParam: 1 },
  // A lagging node answers these with null / fewer logs instead of an error, whatever block is asked.
  eth_getLogs: { params: ['filter'], required: 1, lagClass: 'block' },
  eth_getBlockByNumber: { params: ['blockTag', 'bool'], required: 2, lagClass: 'block' },
  eth_getBlockByHash: { params: ['hash', 'bool'], required: 2, lagClass: 'block' },
  eth_getBlockTransactionCountByNumber: { params: ['blockTag'], required: 1, lagClass: 'block' },
  eth_getBlockTransactionCountByHash: { params: ['hash'], required: 1, lagClass: 'block' },
  eth_getBlockReceipts: { params: ['blockRef'], required: 1, lagClass: 'block' },
  eth_getTransactionByHash: { params: ['hash'], required: 1, lagClass: 'block' },
  eth_getTransactionByBlockHashAndIndex: { params: ['hash', 'quantity'], required: 2, lagClass: 'block' },
  eth_getTransactionByBlockNumberAndIndex: { params: ['blockTag', 'quantity'], required: 2, lagClass: 'block' },
  eth_getTransactionReceipt: { params: ['hash'], required: 1, lagClass: 'block' },
};

export function classifyMethod(method: string): MethodKind {
  if (isRelayableRead(method)) return 'read';
  if (method === BROADCAST_METHOD) return 'broadcast';
  if (method === 'eth_chainId') return 'local';
  if (WALLET_ONLY.has(method) || WALLET_ONLY_PREFIXES.some((prefix) => method.startsWith(prefix))) return 'wallet-only';
  return 'unsupported';
}

export function isWalletOnly(method: string): boolean {
  return classifyMethod(method) === 'wallet-only';
}

const HEX = /^0x[0-9a-fA-F]*$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;
const QUANTITY = /^0x(?:0|[1-9a-fA-F][0-9a-fA-F]*)$/;
const BLOCK_TAGS = new Set(['latest', 'earliest', 'pending', 'safe', 'finalized']);
/** Tags that move with the head: answers for them depend on how far the endpoint lags. */
const MOVING_TAGS = new Set(['latest', 'pending', 'safe', 'finalized']);


function isBlockTag(value: unknown): boolean {
  return typeof value === 'string' && (BLOCK_TAGS.has(value) || QUANTITY.test(value));
}

function isDataOrUndefined(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && HEX.test(value) && value.length % 2 === 0);
}

function isQuantityOrUndefined(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && QUANTITY.test(value));
}

function isAddressOrNull(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && ADDRESS.test(value));
}

/** Returns what is wrong with `value` as a `kind`, or undefined if it is fine (shallow checks only). */
function paramProblem(kind: ParamKind, value: unknown): string | undefined {
  switch (kind) {
    case 'address':
      return typeof value === 'string' && ADDRESS.test(value) ? undefined : 'must be a 20-byte hex address';
    case 'quantity':
      return typeof value === 'string' && QUANTITY.test(value) ? undefined : 'must be a hex quantity like "0x1a"';
    case 'blockTag':
      return isBlockTag(value) ? undefined : 'must be a block number ("0x…") or latest/earliest/pending/safe/finalized';
    case 'blockRef':
      if (isBlockTag(value)) return undefined;
      if (isRecord(value) && typeof value.blockHash === 'string' && HASH.test(value.blockHash)) return undefined;
      if (isRecord(value) && isBlockTag(value.blockNumber)) return undefined;
      return 'must be a block number, a block tag, or {blockHash}/{blockNumber} (EIP-1898)';
    case 'hash':
      return typeof value === 'string' && HASH.test(value) ? undefined : 'must be a 32-byte hex hash';
    case 'data':
      return typeof value === 'string' && HEX.test(value) && value.length % 2 === 0 ? undefined : 'must be hex data';
    case 'bool':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'storageKey':
      return typeof value === 'string' && HEX.test(value) && value.length > 2 && value.length <= 66 ? undefined : 'must be a hex storage slot of at most 32 bytes';
    case 'storageKeys':
      return Array.isArray(value) && value.every((key) => paramProblem('storageKey', key) === undefined) ? undefined : 'must be an array of hex storage slots';
    case 'percentiles':
      return Array.isArray(value) && value.every((p) => typeof p === 'number' && p >= 0 && p <= 100) ? undefined : 'must be an array of percentiles between 0 and 100';
    case 'blockCount':
      return (typeof value === 'string' && QUANTITY.test(value)) || (typeof value === 'number' && Number.isInteger(value) && value > 0)
        ? undefined
        : 'must be a block count (hex quantity or positive integer)';
    case 'object':
      return isRecord(value) ? undefined : 'must be an object';
    case 'callObject': {
      if (!isRecord(value)) return 'must be a call object {to, data, …}';
      if (!isAddressOrNull(value.to) || !isAddressOrNull(value.from)) return 'has a "to"/"from" that is not a 20-byte hex address';
      if (!isDataOrUndefined(value.data) || !isDataOrUndefined(value.input)) return 'has "data"/"input" that is not hex data';
      for (const key of ['gas', 'gasPrice', 'value', 'maxFeePerGas', 'maxPriorityFeePerGas', 'nonce'] as const) {
        if (!isQuantityOrUndefined(value[key])) return `has "${key}" that is not a hex quantity`;
      }
      return undefined;
    }
    case 'filter': {
      if (!isRecord(value)) return 'must be a filter object {fromBlock, toBlock, address, topics}';
      if (value.blockHash !== undefined && (typeof value.blockHash !== 'string' || !HASH.test(value.blockHash))) return 'has a "blockHash" that is not a 32-byte hash';
      if (value.blockHash !== undefined && (value.fromBlock !== undefined || value.toBlock !== undefined)) return 'cannot combine "blockHash" with "fromBlock"/"toBlock"';
      for (const key of ['fromBlock', 'toBlock'] as const) {
        if (value[key] !== undefined && !isBlockTag(value[key])) return `has a "${key}" that is not a block number or tag`;
      }
      const address = value.address;
      if (address !== undefined && address !== null && !(typeof address === 'string' && ADDRESS.test(address)) && !(Array.isArray(address) && address.every((a) => typeof a === 'string' && ADDRESS.test(a)))) {
        return 'has an "address" that is not an address or a list of addresses';
      }
      if (value.topics !== undefined && value.topics !== null && !Array.isArray(value.topics)) return 'has "topics" that is not an array';
      return undefined;
    }
  }
}

const ORDINAL = ['first', 'second', 'third', 'fourth', 'fifth'];

/** -32602 with a clear message when a read's parameters cannot be right; undefined when they look fine. */
export function validateReadParams(method: string, params: unknown): JsonRpcErrorObject | undefined {
  const spec = isRelayableRead(method) ? READS[method] : undefined;
  if (!spec) return undefined;
  if (params !== undefined && !Array.isArray(params)) return rpcError(RpcCode.invalidParams, `${method}: params must be an array`);
  const list: readonly unknown[] = params ?? [];
  if (list.length < spec.required || list.length > spec.params.length) {
    const expected = spec.required === spec.params.length ? `${spec.required}` : `${spec.required} to ${spec.params.length}`;
    return rpcError(RpcCode.invalidParams, `${method}: expected ${expected} parameter${spec.params.length === 1 ? '' : 's'}, got ${list.length}`);
  }
  for (let index = 0; index < list.length; index++) {
    const kind = spec.params[index]!;
    const value = list[index];
    // Optional trailing parameters may be sent as null by some libraries.
    if (index >= spec.required && (value === undefined || value === null)) continue;
    const problem = paramProblem(kind, value);
    if (problem) return rpcError(RpcCode.invalidParams, `${method}: ${ORDINAL[index] ?? `#${index + 1}`} parameter ${problem}`);
  }
  return undefined;
}

/** How much lag this particular call tolerates: an explicit block number or hash pins the answer. */
export function lagClassFor(method: string, params: unknown): LagClass {
  const spec = isRelayableRead(method) ? READS[method] : undefined;
  if (!spec) return 'none';
  if (spec.blockParam === undefined) return spec.lagClass;
  const block = Array.isArray(params) ? params[spec.blockParam] : undefined;
  if (block === undefined || block === null) return spec.lagClass;
  if (typeof block === 'string') return MOVING_TAGS.has(block) ? spec.lagClass : 'none';
  if (isRecord(block) && typeof block.blockNumber === 'string' && MOVING_TAGS.has(block.blockNumber)) return spec.lagClass;
  return 'none';
}

/** Resolves a block tag to a number given the head; undefined if it can't be known. */
function resolveBlock(tag: unknown, head: number | undefined): number | undefined {
  if (tag === undefined || tag === null || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') return head;
  if (tag === 'earliest') return 0;
  return parseQuantity(tag);
}

/**
 * eth_getLogs only with a bounded range: `undefined` when fine, else a -32602 telling the caller how
 * to fix it. `head` resolves "latest"; without it a range that mixes a number and a tag is refused.
 */
export function checkLogRange(params: unknown, head: number | undefined, maxRange: number): JsonRpcErrorObject | undefined {
  const filter = Array.isArray(params) ? params[0] : undefined;
  if (!isRecord(filter) || filter.blockHash !== undefined) return undefined;
  const fromTag = filter.fromBlock ?? 'latest';
  const toTag = filter.toBlock ?? 'latest';
  if (MOVING_TAGS.has(String(fromTag)) && MOVING_TAGS.has(String(toTag))) return undefined; // at most the head block
  const from = resolveBlock(fromTag, head);
  const to = resolveBlock(toTag, head);
  if (from === undefined || to === undefined) {
    return rpcError(RpcCode.invalidParams, `eth_getLogs: block range must be bounded; give fromBlock and toBlock as block numbers at most ${maxRange} apart`);
  }
  if (to - from > maxRange) {
    return rpcError(RpcCode.invalidParams, `eth_getLogs: block range of ${to - from} blocks exceeds ${maxRange}; split the query into smaller ranges`);
  }
  return undefined;
}

/** True when checking this call's log range needs the chain head. */
export function logRangeNeedsHead(params: unknown): boolean {
  const filter = Array.isArray(params) ? params[0] : undefined;
  if (!isRecord(filter) || filter.blockHash !== undefined) return false;
  const fromMoving = MOVING_TAGS.has(String(filter.fromBlock ?? 'latest'));
  const toMoving = MOVING_TAGS.has(String(filter.toBlock ?? 'latest'));
  return fromMoving !== toMoving;
}

/** The block an answer proves the endpoint has reached (eth_blockNumber, latest block), if any. */
export function blockNumberFromAnswer(method: string, params: unknown, result: unknown): number | undefined {
  if (method === 'eth_blockNumber') return parseQuantity(result);
  if (method === 'eth_getBlockByNumber' && Array.isArray(params) && params[0] === 'latest' && isRecord(result)) {
    return parseQuantity(result.number);
  }
  return undefined;
}

export function validateRawTransactionParams(params: unknown): JsonRpcErrorObject | undefined {
  if (!Array.isArray(params) || params.length !== 1) {
    return rpcError(RpcCode.invalidParams, `${BROADCAST_METHOD}: expected 1 parameter (the signed transaction), got ${Array.isArray(params) ? params.length : 0}`);
  }
  const raw = params[0];
  if (typeof raw !== 'string' || !HEX.test(raw) || raw.length % 2 !== 0 || raw.length < 4) {
    return rpcError(RpcCode.invalidParams, `${BROADCAST_METHOD}: parameter must be the signed transaction as hex data`);
  }
  return undefined;
}
