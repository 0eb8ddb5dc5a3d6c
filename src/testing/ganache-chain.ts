/**
 * A real EVM chain in process (ganache) behind engine endpoints, each of which may lie (see
 * lies.ts): the engine's own transport talks to it without HTTP, so verification runs against
 * genuine proofs and headers in unit tests and the benchmark.
 */
import ganache from 'ganache';
import type { Transport } from '../net/transport.ts';
import type { Endpoint } from '../types.ts';
import { type Lie, tell } from './lies.ts';

export interface GanacheChain {
  readonly chainId: number;
  readonly accounts: readonly string[];
  request(method: string, params?: unknown[]): Promise<unknown>;
  transport: Transport;
  /** Sets (or clears) the lie an endpoint tells. */
  setLie(endpointId: string, lie: Lie | undefined): void;
  /** JSON-RPC requests each endpoint received. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

export async function startGanacheChain(chainId = 1): Promise<GanacheChain> {
  const provider = ganache.provider({ chain: { chainId, networkId: chainId }, wallet: { deterministic: true, totalAccounts: 3 }, logging: { quiet: true } });
  const loose = provider as unknown as { request(args: { method: string; params: unknown[] }): Promise<unknown> };
  const request = (method: string, params: unknown[] = []) => loose.request({ method, params });
  const accounts = (await request('eth_accounts')) as string[];
  const lies = new Map<string, Lie>();
  const calls = new Map<string, number>();
  const transport: Transport = async (endpoint: Endpoint, body: string) => {
    calls.set(endpoint.id, (calls.get(endpoint.id) ?? 0) + 1);
    const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] };
    let reply: { result: unknown } | { error: { code: number; message: string; data?: unknown } };
    try {
      const result = await request(method, params ?? []);
      const lie = lies.get(endpoint.id);
      reply = lie ? await tell(lie, method, params ?? [], result, request) : { result };
    } catch (error) {
      const e = error as { code?: number; message?: string; data?: unknown };
      const data = typeof e.data === 'object' && e.data !== null ? (e.data as { result?: unknown }).result : e.data;
      reply = { error: { code: e.code ?? -32000, message: e.message ?? 'error', ...(data !== undefined ? { data } : {}) } };
    }
    return { status: 200, headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) }, text: JSON.stringify({ jsonrpc: '2.0', id, ...reply }) };
  };
  return {
    chainId,
    accounts,
    request,
    transport,
    setLie: (endpointId, lie) => (lie ? lies.set(endpointId, lie) : lies.delete(endpointId)),
    calls,
    close: () => provider.disconnect(),
  };
}
