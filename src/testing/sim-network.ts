/**
 * A simulated network of JSON-RPC endpoints on a (manual) clock, for tests and benchmarks.
 * Each endpoint has static traits (serves another chain, lags N blocks, claims far-future blocks,
 * lies about tx hashes) and a behaviour over time (healthy, slow, hang, 5xx, 429, malformed, …).
 *
 * State-dependent answers (eth_getBalance, eth_call, …) encode where they came from as
 * `chainId × 1e9 + block`, so a test can check that no answer came from the wrong chain or a
 * stale block. Every call is logged.
 */
import { keccak256 } from 'ethers/crypto';
import type { Clock } from '../clock.ts';
import type { Transport, TransportResponse } from '../net/transport.ts';
import type { Endpoint } from '../types.ts';

export type SimBehaviour =
  | { kind: 'healthy' }
  | { kind: 'slow'; latencyMs: number }
  | { kind: 'hang' }
  | { kind: 'http-5xx'; status?: number }
  | { kind: 'http-429'; retryAfterSec?: number }
  | { kind: 'malformed' }
  | { kind: 'html' }
  | { kind: 'wrong-id' }
  | { kind: 'limit' }
  | { kind: 'network' };

export interface SimEndpoint {
  endpoint: Endpoint;
  /** The chain it really serves; differs from endpoint.chainId for a misconfigured endpoint. */
  servesChainId?: number;
  /** Constant lag behind the true head. */
  lagBlocks?: number;
  /** eth_blockNumber claims this many blocks beyond its real head (a broken or lying node). */
  claimsAheadBlocks?: number;
  /** Latency of a healthy answer (default 50 ms). */
  latencyMs?: number;
  /** Behaviour for a request arriving `t` ms after the simulation started (default healthy). */
  behaviour?: (t: number) => SimBehaviour;
  /** Answers eth_sendRawTransaction with a made-up hash. */
  liesAboutTxHash?: boolean;
}

export interface SimCall {
  endpointId: string;
  method: string;
  params: unknown;
  sentAt: number;
  behaviour: SimBehaviour['kind'];
  status: 'pending' | 'answered' | 'aborted';
  answeredAt?: number;
  /** Retry-After the endpoint sent, in ms (429 only). */
  retryAfterMs?: number;
}

export interface SimNetwork {
  transport: Transport;
  calls: SimCall[];
  startedAt: number;
  /** True head of a chain at clock time `at` (default now). */
  trueHead(chainId: number, at?: number): number;
  blockTimeMs(chainId: number): number;
}

export interface SimNetworkOptions {
  clock: Clock;
  endpoints: readonly SimEndpoint[];
  /** Block time per chain (default 12 s). */
  blockTimeMs?: (chainId: number) => number;
  /** Block number at the start of the simulation. */
  genesisBlock?: number;
}

const STATE_SCALE = 1_000_000_000;

/** Encodes where a state answer came from. */
function encodeSimState(chainId: number, block: number): string {
  return `0x${(chainId * STATE_SCALE + block).toString(16)}`;
}

export function decodeSimState(result: unknown): { chainId: number; block: number } | undefined {
  if (typeof result !== 'string' || !/^0x[0-9a-f]+$/.test(result)) return undefined;
  const value = Number.parseInt(result, 16);
  return { chainId: Math.floor(value / STATE_SCALE), block: value % STATE_SCALE };
}

/** eth_call data that the simulated contract reverts on. */
export const SIM_REVERT_DATA = '0xdeadbeef';

const STATE_METHODS = new Set(['eth_getBalance', 'eth_getTransactionCount', 'eth_getCode', 'eth_getStorageAt', 'eth_call', 'eth_estimateGas', 'eth_gasPrice', 'eth_maxPriorityFeePerGas']);

function headers(values: Record<string, string>): TransportResponse['headers'] {
  return { get: (name: string) => values[name.toLowerCase()] ?? null };
}

export function createSimNetwork(options: SimNetworkOptions): SimNetwork {
  const { clock } = options;
  const startedAt = clock.now();
  const genesis = options.genesisBlock ?? 20_000_000;
  const blockTimeMs = options.blockTimeMs ?? (() => 12_000);
  const byId = new Map(options.endpoints.map((sim) => [sim.endpoint.id, sim]));
  const calls: SimCall[] = [];
  const mempools = new Map<string, Set<string>>();

  const trueHead = (chainId: number, at = clock.now()) => genesis + Math.floor((at - startedAt) / blockTimeMs(chainId));

  const answer = (sim: SimEndpoint, method: string, params: unknown, at: number): { result: unknown } | { error: { code: number; message: string; data?: unknown } } => {
    const chainId = sim.servesChainId ?? sim.endpoint.chainId;
    const block = trueHead(chainId, at) - (sim.lagBlocks ?? 0);
    switch (method) {
      case 'eth_chainId':
        return { result: `0x${chainId.toString(16)}` };
      case 'net_version':
        return { result: String(chainId) };
      case 'eth_blockNumber':
        return { result: `0x${(block + (sim.claimsAheadBlocks ?? 0)).toString(16)}` };
      case 'eth_getBlockByNumber':
        return { result: { number: `0x${block.toString(16)}`, hash: `0x${block.toString(16).padStart(64, '0')}`, transactions: [] } };
      case 'eth_sendRawTransaction': {
        const raw = Array.isArray(params) ? String(params[0]) : '0x';
        const hash = keccak256(raw);
        const pool = mempools.get(sim.endpoint.id) ?? new Set<string>();
        mempools.set(sim.endpoint.id, pool);
        if (pool.has(hash)) return { error: { code: -32000, message: 'already known' } };
        pool.add(hash);
        return { result: sim.liesAboutTxHash ? `0x${'ba'.repeat(32)}` : hash };
      }
      case 'eth_getTransactionByHash': {
        const hash = Array.isArray(params) ? String(params[0]) : '';
        const known = [...mempools.values()].some((pool) => pool.has(hash));
        return { result: known ? { hash } : null };
      }
      case 'eth_getTransactionReceipt':
      case 'eth_getLogs':
        return { result: method === 'eth_getLogs' ? [] : null };
      default:
        if (method === 'eth_call' && Array.isArray(params) && (params[0] as { data?: string } | undefined)?.data === SIM_REVERT_DATA) {
          return { error: { code: 3, message: 'execution reverted: simulated', data: '0x08c379a0' } };
        }
        if (STATE_METHODS.has(method)) return { result: encodeSimState(chainId, block) };
        return { result: '0x1' };
    }
  };

  const transport: Transport = (endpoint, body, signal) => {
    const sim = byId.get(endpoint.id);
    const sentAt = clock.now();
    const request = JSON.parse(body) as { id: number; method: string; params?: unknown };
    const behaviour = sim?.behaviour?.(sentAt - startedAt) ?? { kind: 'healthy' as const };
    const call: SimCall = { endpointId: endpoint.id, method: request.method, params: request.params, sentAt, behaviour: behaviour.kind, status: 'pending' };
    calls.push(call);
    if (!sim) return Promise.reject(new TypeError(`fetch failed: unknown endpoint ${endpoint.id}`));

    return new Promise<TransportResponse>((resolve, reject) => {
      const baseLatency = sim.latencyMs ?? 50;
      let timer: unknown;
      const onAbort = () => {
        if (timer !== undefined) clock.clearTimeout(timer);
        call.status = 'aborted';
        reject(new DOMException('The operation was aborted.', 'AbortError'));
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      if (behaviour.kind === 'hang') return;

      const respond = (make: () => TransportResponse | Error, latency: number) => {
        timer = clock.setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          call.status = 'answered';
          call.answeredAt = clock.now();
          const response = make();
          if (response instanceof Error) reject(response);
          else resolve(response);
        }, latency);
      };
      const json = (payload: unknown, status = 200, extra: Record<string, string> = {}) => ({
        status,
        headers: headers({ 'content-type': 'application/json', ...extra }),
        text: JSON.stringify(payload),
      });

      switch (behaviour.kind) {
        case 'healthy':
        case 'slow': {
          const latency = behaviour.kind === 'slow' ? behaviour.latencyMs : baseLatency;
          respond(() => json({ jsonrpc: '2.0', id: request.id, ...answer(sim, request.method, request.params, sentAt) }), latency);
          return;
        }
        case 'http-5xx':
          respond(() => ({ status: behaviour.status ?? 503, headers: headers({ 'content-type': 'text/plain' }), text: 'Service Unavailable' }), baseLatency);
          return;
        case 'http-429': {
          const extra: Record<string, string> = behaviour.retryAfterSec !== undefined ? { 'retry-after': String(behaviour.retryAfterSec) } : {};
          if (behaviour.retryAfterSec !== undefined) call.retryAfterMs = behaviour.retryAfterSec * 1000;
          respond(() => json({ jsonrpc: '2.0', id: request.id, error: { code: -32005, message: 'rate limited' } }, 429, extra), baseLatency);
          return;
        }
        case 'malformed':
          respond(() => ({ status: 200, headers: headers({ 'content-type': 'application/json' }), text: `{"jsonrpc":"2.0","id":${request.id},"res` }), baseLatency);
          return;
        case 'html':
          respond(() => ({ status: 200, headers: headers({ 'content-type': 'text/html' }), text: '<!DOCTYPE html><html><body>Just a moment…</body></html>' }), baseLatency);
          return;
        case 'wrong-id':
          respond(() => json({ jsonrpc: '2.0', id: request.id + 1_000, ...answer(sim, request.method, request.params, sentAt) }), baseLatency);
          return;
        case 'limit':
          respond(() => json({ jsonrpc: '2.0', id: request.id, error: { code: -32005, message: 'limit exceeded' } }), baseLatency);
          return;
        case 'network':
          respond(() => new TypeError('fetch failed'), Math.max(1, Math.floor(baseLatency / 2)));
          return;
      }
    });
  };

  return { transport, calls, startedAt, trueHead, blockTimeMs };
}

/** A test/benchmark endpoint with sensible defaults. */
export function makeEndpoint(id: string, overrides: Partial<Endpoint> = {}): Endpoint {
  return {
    id,
    chainId: 1,
    url: `https://${id.replace(/[^a-z0-9-]/gi, '-')}.example`,
    provider: id,
    infrastructure: 'unknown',
    privacy: 'none',
    source: 'default',
    enabled: true,
    ...overrides,
  };
}
