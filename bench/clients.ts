/**
 * The five clients under test, each given the same endpoints in the same order (primary first) and
 * asked the same three reads. Every client is used with its library defaults; deviations are listed
 * in bench/RESULTS.md ("Method").
 */
import { FallbackProvider, JsonRpcProvider } from 'ethers';
import { createPublicClient, fallback, http } from 'viem';
import { type Endpoint, createEngine } from '../src/index.ts';

export const CLIENT_NAMES = ['lifeline', 'viem-fallback', 'viem-fallback-rank', 'ethers-fallback', 'single'] as const;
export type ClientName = (typeof CLIENT_NAMES)[number];

export type ReadKind = 'blockNumber' | 'balance' | 'call';
export const READ_KINDS: readonly ReadKind[] = ['blockNumber', 'balance', 'call'];

export interface BenchEndpoint {
  /** Base URL (ends in '/'); each client appends its own name as the path, so the endpoints can
   *  count every client's upstream calls separately. */
  url: string;
  name: string;
  infrastructure: Endpoint['infrastructure'];
}

export interface ClientSetup {
  chainId: number;
  endpoints: readonly BenchEndpoint[];
  /** Account whose balance changes every block. */
  watched: string;
  /** Contract whose code returns block.number. */
  contract: string;
}

export interface BenchClient {
  readonly name: ClientName;
  /** The answer as a number (block number, balance in wei, returned word); null if it is not one. Rejects on failure. */
  read(kind: ReadKind): Promise<bigint | null>;
  close(): Promise<void>;
}

/** 0x quantity or 32-byte word → bigint; '0x' (no code at that address) and anything else → null. */
export function toBigInt(value: unknown): bigint | null {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value)) return BigInt(value);
  return null;
}

const rpcCall = (setup: ClientSetup, kind: ReadKind): { method: string; params: unknown[] } => {
  switch (kind) {
    case 'blockNumber':
      return { method: 'eth_blockNumber', params: [] };
    case 'balance':
      return { method: 'eth_getBalance', params: [setup.watched, 'latest'] };
    case 'call':
      return { method: 'eth_call', params: [{ to: setup.contract, data: '0x' }, 'latest'] };
  }
};

/**
 * Lifeline's engine with the real fetch transport, endpoints tagged with their infrastructure. The
 * primary is the user's endpoint (`source: 'user'`, what a wallet's configured RPC is to Lifeline),
 * so Lifeline, like the peers, sends to it first; the others are registry defaults.
 * Like the extension's worker, it probes the chain when it starts and then whenever
 * `chainsDueForProbe` says so (every 30 s for a chain in use), checked once a second.
 */
export async function createLifeline(setup: ClientSetup): Promise<BenchClient> {
  const endpoints: Endpoint[] = setup.endpoints.map((e, index) => ({
    id: `bench:${e.name}`,
    chainId: setup.chainId,
    url: `${e.url}lifeline`,
    provider: `Provider ${index}`,
    infrastructure: e.infrastructure,
    privacy: 'none',
    // Lifeline's only notion of order: user endpoints rank first, the rest by measured health.
    source: index === 0 ? 'user' : 'default',
    enabled: true,
  }));
  const engine = createEngine({ endpoints });
  await engine.probeChain(setup.chainId);
  const timer = setInterval(() => {
    for (const chainId of engine.chainsDueForProbe([setup.chainId])) void engine.probeChain(chainId);
  }, 1_000);
  return {
    name: 'lifeline',
    async read(kind) {
      const answer = await engine.request(setup.chainId, rpcCall(setup, kind));
      if (!answer.ok) throw new Error(answer.error.message);
      return toBigInt(answer.result);
    },
    async close() {
      clearInterval(timer);
    },
  };
}

/**
 * viem `fallback` over `http` transports, defaults (10 s timeout per transport, 3 retries of the
 * whole fallback), optionally `rank: true`. Reads go through `client.request` (raw JSON-RPC): viem's
 * actions would add their own 4 s block-number cache, and this compares transports.
 */
export function createViemFallback(setup: ClientSetup, rank: boolean): BenchClient {
  let closed = false;
  const name = rank ? 'viem-fallback-rank' : 'viem-fallback';
  const transports = setup.endpoints.map((e) => http(`${e.url}${name}`));
  // rank: true pings every transport with net_listening every 4 s, forever (viem has no way to stop
  // it). Same default ping while the client is in use; once closed it stops touching the network,
  // so finished scenarios don't ping into later ones.
  const rankOption = rank
    ? { ping: ({ transport }: { transport: { request(args: { method: string }): Promise<unknown> } }) => (closed ? Promise.resolve(true) : transport.request({ method: 'net_listening' })) }
    : false;
  const client = createPublicClient({ transport: fallback(transports, { rank: rankOption }) });
  return {
    name,
    async read(kind) {
      const { method, params } = rpcCall(setup, kind);
      return toBigInt(await client.request({ method, params } as never));
    },
    async close() {
      closed = true;
    },
  };
}

/** A single endpoint, the primary, through viem's `http` transport with its defaults (10 s timeout, 3 retries). */
export function createSingle(setup: ClientSetup): BenchClient {
  const client = createPublicClient({ transport: http(`${setup.endpoints[0]!.url}single`) });
  return {
    name: 'single',
    async read(kind) {
      const { method, params } = rpcCall(setup, kind);
      return toBigInt(await client.request({ method, params } as never));
    },
    async close() {},
  };
}

/**
 * ethers v6 `FallbackProvider` over `JsonRpcProvider`s, all defaults: stallTimeout 400 ms, weight 1,
 * priority 1 (so it picks endpoints in random order), quorum ceil(4/2) = 2, 250 ms result cache,
 * JsonRpcProvider batching (10 ms stall) and network detection.
 */
export function createEthersFallback(setup: ClientSetup): BenchClient {
  const provider = new FallbackProvider(setup.endpoints.map((e) => new JsonRpcProvider(`${e.url}ethers-fallback`)));
  return {
    name: 'ethers-fallback',
    async read(kind) {
      switch (kind) {
        case 'blockNumber':
          return BigInt(await provider.getBlockNumber());
        case 'balance':
          return await provider.getBalance(setup.watched, 'latest');
        case 'call':
          return toBigInt(await provider.call({ to: setup.contract, data: '0x', blockTag: 'latest' }));
      }
    },
    async close() {
      provider.destroy();
    },
  };
}

export async function createClients(setup: ClientSetup): Promise<BenchClient[]> {
  return [
    await createLifeline(setup),
    createViemFallback(setup, false),
    createViemFallback(setup, true),
    createEthersFallback(setup),
    createSingle(setup),
  ];
}
