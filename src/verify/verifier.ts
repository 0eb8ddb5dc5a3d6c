/**
 * Verified reads: state reads answered from eth_getProof checked against a verified header, eth_call
 * re-executed locally over proven state. An answer that fails its check benches the endpoint that
 * gave it and the read moves on to another; a read that cannot be proven (no header agreement, no
 * endpoint with eth_getProof, a method with nothing to check against) comes back undefined, and the
 * caller serves it as "not verified".
 */
import type { Clock } from '../clock.ts';
import { RpcCode } from '../rpc/jsonrpc.ts';
import { parseQuantity } from '../rpc/jsonrpc.ts';
import type { RouteMeta, RouteOptions, RouteResult, RpcCall } from '../router/index.ts';
import { VERIFY_POLICY } from '../policy/index.ts';
import type { VerifiedHeader } from './header.ts';
import type { BlockRef, HeaderSource } from './header-source.ts';
import type { VerificationMarks } from './marks.ts';
import { type VerifyNetwork, blockTag } from './network.ts';
import { EMPTY_CODE_HASH, type ProvenAccount, checkCode, slotKey, verifyAccountProof } from './proof.ts';
import { isRecord } from '../types.ts';
import { proveInclusion } from './receipts.ts';

export const STATE_METHODS = ['eth_getBalance', 'eth_getTransactionCount', 'eth_getCode', 'eth_getStorageAt'] as const;
export const VERIFIABLE_METHODS: readonly string[] = [...STATE_METHODS, 'eth_call', 'eth_getTransactionByHash', 'eth_getTransactionReceipt'];

export interface VerifierOptions {
  network: VerifyNetwork;
  headers: HeaderSource;
  marks: VerificationMarks;
  clock: Clock;
  /** Loads the eth_call prover (and with it the EVM); by default a dynamic import, done on first use. */
  loadCallProver?: () => Promise<CallProver>;
}

export type CallProver = (deps: { verifier: Verifier; network: VerifyNetwork; headers: HeaderSource; marks: VerificationMarks; clock: Clock }, chainId: number, call: RpcCall, options: RouteOptions, startedAt: number) => Promise<RouteResult | undefined>;

/** The EVM is large: outside the worker it loads the first time a call is verified. */
const importCallProver = async (): Promise<CallProver> => (await import('./call.ts')).proveCall;

export interface Verifier {
  /** A proven answer, or undefined when this read cannot be proven. */
  request(chainId: number, call: RpcCall, options?: RouteOptions): Promise<RouteResult | undefined>;
  /** One account (and slots) proven at a verified header, from whichever endpoint can prove it. */
  proveAccount(chainId: number, header: VerifiedHeader, address: string, slots: readonly string[], method: string, options?: RouteOptions): Promise<Proven<ProvenAccount> | undefined>;
  /** Code at a proven account, held to its code hash. */
  proveCode(chainId: number, header: VerifiedHeader, account: ProvenAccount, method: string, options?: RouteOptions): Promise<string | undefined>;
}

export interface Proven<T> {
  value: T;
  meta: RouteMeta;
}

/** The block a read names: the head, a height, a hash; undefined for ones with nothing fixed to prove against. */
export function blockRefOf(param: unknown): BlockRef | undefined {
  if (param === undefined || param === 'latest') return { kind: 'latest' };
  if (param === 'earliest') return { kind: 'number', number: 0 };
  if (typeof param === 'string') {
    const number = parseQuantity(param);
    return number === undefined ? undefined : { kind: 'number', number };
  }
  if (isRecord(param)) {
    if (typeof param.blockHash === 'string' && /^0x[0-9a-fA-F]{64}$/.test(param.blockHash)) return { kind: 'hash', hash: param.blockHash };
    if (param.blockNumber !== undefined) return blockRefOf(param.blockNumber);
  }
  // pending, safe, finalized: no single header Lifeline can agree on cheaply.
  return undefined;
}

export const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const quantityOf = (value: bigint) => `0x${value.toString(16)}`;

/** An endpoint's answer that says it has no eth_getProof at all (not a refusal of this one request). */
export function lacksMethod(error: { code: number; message: string }): boolean {
  return error.code === RpcCode.methodNotFound || /method .*(not (exist|found|supported|available))|not supported|unsupported method/i.test(error.message);
}

export function createVerifier(options: VerifierOptions): Verifier {
  const { network, headers, marks, clock } = options;
  const loadCallProver = options.loadCallProver ?? importCallProver;

  const proveAccount: Verifier['proveAccount'] = async (chainId, header, address, slots, method, routeOptions = {}) => {
    const tried: string[] = [];
    for (let attempt = 0; attempt < VERIFY_POLICY.maxVerifyAttempts; attempt++) {
      const answer = await network.request(
        chainId,
        { method: 'eth_getProof', params: [address, slots, blockTag(header.number)] },
        { ...routeOptions, excludeEndpoints: [...(routeOptions.excludeEndpoints ?? []), ...marks.avoided(chainId), ...tried] },
      );
      // The router moves past an endpoint that has no such method: each one it passed cannot prove.
      for (const attempt of answer.meta.attempts) {
        if (attempt.outcome === 'unsupported') {
          marks.cannotVerify(attempt.endpointId, chainId);
          tried.push(attempt.endpointId);
        }
      }
      const endpointId = answer.meta.endpointId;
      if (endpointId === undefined) return undefined;
      tried.push(endpointId);
      if (!answer.ok) {
        if (lacksMethod(answer.error)) marks.cannotVerify(endpointId, chainId);
        continue;
      }
      const checked = await verifyAccountProof(header.stateRoot, address, slots, answer.result);
      if (checked.ok) return { value: checked.account, meta: answer.meta };
      marks.failed({ endpointId, chainId, method, block: String(header.number), reason: checked.reason });
    }
    return undefined;
  };

  const proveCode: Verifier['proveCode'] = async (chainId, header, account, method, routeOptions = {}) => {
    if (account.codeHash === EMPTY_CODE_HASH) return '0x';
    const tried: string[] = [];
    for (let attempt = 0; attempt < VERIFY_POLICY.maxVerifyAttempts; attempt++) {
      const answer = await network.request(
        chainId,
        { method: 'eth_getCode', params: [account.address, blockTag(header.number)] },
        { ...routeOptions, excludeEndpoints: [...(routeOptions.excludeEndpoints ?? []), ...tried] },
      );
      const endpointId = answer.meta.endpointId;
      if (endpointId === undefined || !answer.ok) return undefined;
      tried.push(endpointId);
      const checked = checkCode(account.codeHash, answer.result);
      if (checked.ok) return checked.code;
      marks.failed({ endpointId, chainId, method, block: String(header.number), reason: checked.reason });
    }
    return undefined;
  };

  const proveState = async (chainId: number, call: RpcCall, routeOptions: RouteOptions, startedAt: number): Promise<RouteResult | undefined> => {
    const params = Array.isArray(call.params) ? call.params : [];
    const address = params[0];
    if (typeof address !== 'string' || !ADDRESS.test(address)) return undefined;
    const slot = call.method === 'eth_getStorageAt' ? slotKey(params[1]) : undefined;
    if (call.method === 'eth_getStorageAt' && slot === undefined) return undefined;
    const ref = blockRefOf(params[call.method === 'eth_getStorageAt' ? 2 : 1]);
    if (!ref) return undefined;
    const found = await headers.header(chainId, ref);
    if (!found.ok) return undefined;
    const header = found.header;
    const proven = await proveAccount(chainId, header, address.toLowerCase(), slot ? [slot] : [], call.method, routeOptions);
    if (!proven) return undefined;
    const account = proven.value;
    let result: string;
    switch (call.method) {
      case 'eth_getBalance':
        result = quantityOf(account.balance);
        break;
      case 'eth_getTransactionCount':
        result = quantityOf(account.nonce);
        break;
      case 'eth_getStorageAt':
        result = `0x${(account.storage.get(slot!) ?? 0n).toString(16).padStart(64, '0')}`;
        break;
      default: {
        const code = await proveCode(chainId, header, account, call.method, routeOptions);
        if (code === undefined) return undefined;
        result = code;
      }
    }
    return { ok: true, result, meta: { ...proven.meta, method: call.method, elapsedMs: clock.now() - startedAt, verification: 'proven' } };
  };

  const verifier: Verifier = {
    proveAccount,
    proveCode,
    async request(chainId, call, routeOptions = {}) {
      const startedAt = clock.now();
      if ((STATE_METHODS as readonly string[]).includes(call.method)) return proveState(chainId, call, routeOptions, startedAt);
      if (call.method === 'eth_call') {
        let proveCall: CallProver;
        try {
          proveCall = await loadCallProver();
        } catch {
          // No EVM here (a context that cannot load it): the call is served unproven.
          return undefined;
        }
        return proveCall({ verifier, network, headers, marks, clock }, chainId, call, routeOptions, startedAt);
      }
      if (call.method === 'eth_getTransactionByHash' || call.method === 'eth_getTransactionReceipt') {
        const proven = await proveInclusion({ network, headers, marks }, chainId, call, routeOptions);
        return proven ? { ...proven, meta: { ...proven.meta, elapsedMs: clock.now() - startedAt } } : undefined;
      }
      return undefined;
    },
  };
  return verifier;
}
