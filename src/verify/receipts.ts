/**
 * eth_getTransactionByHash and eth_getTransactionReceipt proven against the block they name: its
 * header verified by hash, its transactions rebuilt into transactionsRoot, its receipts (one
 * eth_getBlockReceipts, or one receipt each where that is missing) into receiptsRoot. A
 * transaction not yet in a block, or a block too large to rebuild, is served unproven.
 */
import type { RouteOptions, RouteResult, RpcCall } from '../router/index.ts';
import { VERIFY_POLICY } from '../policy/index.ts';
import { isRecord } from '../types.ts';
import { bytesToHex } from './bytes.ts';
import type { HeaderSource } from './header-source.ts';
import type { VerifiedHeader } from './header.ts';
import { encodeReceipt, encodeTransaction, indexTrieRoot, transactionHash } from './inclusion.ts';
import type { VerificationMarks } from './marks.ts';
import type { VerifyNetwork } from './network.ts';

export interface InclusionDeps {
  network: VerifyNetwork;
  headers: HeaderSource;
  marks: VerificationMarks;
}

const HASH = /^0x[0-9a-fA-F]{64}$/;
const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** The block's transactions, proven by its transactionsRoot; undefined if no endpoint gives them. */
async function provenTransactions(deps: InclusionDeps, chainId: number, header: VerifiedHeader, method: string, routeOptions: RouteOptions): Promise<Uint8Array[] | undefined> {
  const tried: string[] = [];
  for (let attempt = 0; attempt < VERIFY_POLICY.maxVerifyAttempts; attempt++) {
    const answer = await deps.network.request(chainId, { method: 'eth_getBlockByHash', params: [header.hash, true] }, { ...routeOptions, excludeEndpoints: tried });
    const endpointId = answer.meta.endpointId;
    if (!answer.ok || endpointId === undefined || !isRecord(answer.result) || !Array.isArray(answer.result.transactions)) break;
    const txs = answer.result.transactions;
    if (txs.length > VERIFY_POLICY.maxBlockTransactions) return undefined;
    const encoded = txs.map((tx) => encodeTransaction(tx));
    if (encoded.every((e): e is Uint8Array => e !== undefined) && (await indexTrieRoot(encoded)) === header.transactionsRoot) {
      // Only once one endpoint's block makes the root is a mismatch another's fault, not the encoder's.
      for (const liar of tried) deps.marks.failed({ endpointId: liar, chainId, method, block: String(header.number), reason: 'block transactions do not make its transactionsRoot' });
      return encoded;
    }
    tried.push(endpointId);
  }
  return undefined;
}

/** The header a transaction or receipt names by blockHash, verified; undefined for pending or unknown. */
async function headerOf(deps: InclusionDeps, chainId: number, item: unknown): Promise<VerifiedHeader | undefined> {
  if (!isRecord(item) || typeof item.blockHash !== 'string' || !HASH.test(item.blockHash)) return undefined;
  const found = await deps.headers.header(chainId, { kind: 'hash', hash: item.blockHash });
  return found.ok ? found.header : undefined;
}

const indexOf = (item: Record<string, unknown>): number | undefined => {
  const index = typeof item.transactionIndex === 'string' ? Number(BigInt(item.transactionIndex)) : undefined;
  return index !== undefined && Number.isSafeInteger(index) ? index : undefined;
};

export async function proveInclusion(deps: InclusionDeps, chainId: number, call: RpcCall, routeOptions: RouteOptions): Promise<RouteResult | undefined> {
  const params = Array.isArray(call.params) ? call.params : [];
  const hash = typeof params[0] === 'string' && HASH.test(params[0]) ? params[0].toLowerCase() : undefined;
  if (!hash) return undefined;
  // The block's own transactions and receipts, once proven, serve every endpoint's answer checked.
  const blocks = new Map<string, { transactions: Uint8Array[]; receipts?: Uint8Array[] } | undefined>();
  const tried: string[] = [];
  for (let attempt = 0; attempt < VERIFY_POLICY.maxVerifyAttempts; attempt++) {
    const answer = await deps.network.request(chainId, call, { ...routeOptions, excludeEndpoints: [...(routeOptions.excludeEndpoints ?? []), ...deps.marks.avoided(chainId), ...tried] });
    const endpointId = answer.meta.endpointId;
    if (!answer.ok || endpointId === undefined || !isRecord(answer.result)) return undefined;
    tried.push(endpointId);
    const verdict = await checkOne(deps, chainId, call.method, hash, answer.result, routeOptions, blocks);
    if (verdict === 'proven') return { ...answer, meta: { ...answer.meta, verification: 'proven' } };
    if (verdict === 'unprovable') return undefined;
    deps.marks.failed({ endpointId, chainId, method: call.method, block: verdict.block, reason: verdict.reason });
  }
  return undefined;
}

type Verdict = 'proven' | 'unprovable' | { block: string; reason: string };

async function checkOne(
  deps: InclusionDeps,
  chainId: number,
  method: string,
  hash: string,
  item: Record<string, unknown>,
  routeOptions: RouteOptions,
  blocks: Map<string, { transactions: Uint8Array[]; receipts?: Uint8Array[] } | undefined>,
): Promise<Verdict> {
  const header = await headerOf(deps, chainId, item);
  const index = indexOf(item);
  if (!header || index === undefined) return 'unprovable';
  const block = String(header.number);
  if (!blocks.has(header.hash)) {
    const transactions = await provenTransactions(deps, chainId, header, method, routeOptions);
    blocks.set(header.hash, transactions ? { transactions } : undefined);
  }
  const proven = blocks.get(header.hash);
  if (!proven) return 'unprovable';
  const atIndex = proven.transactions[index];
  if (!atIndex || transactionHash(atIndex) !== hash) return { block, reason: `transaction ${hash} is not at index ${index} of block ${header.number}` };

  if (method === 'eth_getTransactionByHash') {
    const claimed = encodeTransaction(item);
    return claimed && equalBytes(claimed, atIndex) ? 'proven' : { block, reason: `transaction fields do not encode to ${hash}` };
  }

  // eth_getTransactionReceipt: the block's receipts, one call where the endpoint can, else one each.
  const claimed = encodeReceipt(item);
  if (!claimed || item.transactionHash !== hash) return { block, reason: 'not a receipt of this transaction' };
  if (!proven.receipts) {
    const receipts = await provenReceipts(deps, chainId, header, proven.transactions, method, routeOptions);
    if (!receipts) return 'unprovable';
    proven.receipts = receipts;
  }
  return equalBytes(proven.receipts[index]!, claimed) ? 'proven' : { block, reason: `receipt fields are not the block's receipt ${index} (${bytesToHex(proven.receipts[index]!).slice(0, 18)}…)` };
}

/**
 * The block's receipts, proven by its receiptsRoot: one endpoint's whole set at a time (one
 * eth_getBlockReceipts, or one receipt each where that is missing), so a liar's receipt cannot
 * spoil an honest set; an endpoint whose set misses the root while another's makes it is marked.
 */
async function provenReceipts(deps: InclusionDeps, chainId: number, header: VerifiedHeader, transactions: readonly Uint8Array[], method: string, routeOptions: RouteOptions): Promise<Uint8Array[] | undefined> {
  const avoided = new Set(deps.marks.avoided(chainId));
  const sources = deps.network.endpoints(chainId).filter((e) => !avoided.has(e.id)).slice(0, VERIFY_POLICY.maxVerifyAttempts);
  const mismatched: string[] = [];
  for (const source of sources) {
    const pinned = { ...routeOptions, onlyEndpoints: [source.id] };
    let receipts: unknown[] | undefined;
    const all = await deps.network.request(chainId, { method: 'eth_getBlockReceipts', params: [header.hash] }, pinned);
    if (all.ok && Array.isArray(all.result)) receipts = all.result;
    else {
      const each = await Promise.all(transactions.map((tx) => deps.network.request(chainId, { method: 'eth_getTransactionReceipt', params: [transactionHash(tx)] }, pinned)));
      if (each.every((r) => r.ok)) receipts = each.map((r) => (r.ok ? r.result : undefined));
    }
    if (!receipts) continue;
    const encoded = receipts.map(encodeReceipt);
    if (encoded.every((e): e is Uint8Array => e !== undefined) && (await indexTrieRoot(encoded)) === header.receiptsRoot) {
      for (const liar of mismatched) deps.marks.failed({ endpointId: liar, chainId, method, block: String(header.number), reason: "the block's receipts do not make its receiptsRoot" });
      return encoded;
    }
    mismatched.push(source.id);
  }
  return undefined;
}
