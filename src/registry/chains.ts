import { atLeastL1Blocks } from '../health/head.ts';

/**
 * Metadata of the chains Lifeline ships defaults for. Block times feed lag tolerance: "3 blocks
 * behind" means 36 s on Ethereum but under 1 s on Arbitrum, so tolerances are scaled by time.
 */

export type ChainLayer = 'L1' | 'L2';

export interface ChainInfo {
  chainId: number;
  name: string;
  nativeSymbol: string;
  /** Average block time in seconds. */
  blockTimeSec: number;
  /** 'L1' = own consensus (includes sidechains such as Polygon PoS); 'L2' = rollup settling on Ethereum. */
  layer: ChainLayer;
  testnet: boolean;
}

export const CHAINS: readonly ChainInfo[] = [
  { chainId: 1, name: 'Ethereum', nativeSymbol: 'ETH', blockTimeSec: 12, layer: 'L1', testnet: false },
  // 0.45 s since the Fermi hard fork (BEP-619, 2026-01); viem 2.57 still says 0.75 s. A too-short
  // block time only makes the block tolerance more lenient, which is the safe direction.
  { chainId: 56, name: 'BNB Smart Chain', nativeSymbol: 'BNB', blockTimeSec: 0.45, layer: 'L1', testnet: false },
  // Polygon PoS is a sidechain with its own validators (checkpoints to Ethereum), not a rollup.
  { chainId: 137, name: 'Polygon PoS', nativeSymbol: 'POL', blockTimeSec: 2, layer: 'L1', testnet: false },
  { chainId: 42161, name: 'Arbitrum One', nativeSymbol: 'ETH', blockTimeSec: 0.25, layer: 'L2', testnet: false },
  { chainId: 10, name: 'OP Mainnet', nativeSymbol: 'ETH', blockTimeSec: 2, layer: 'L2', testnet: false },
  { chainId: 8453, name: 'Base', nativeSymbol: 'ETH', blockTimeSec: 2, layer: 'L2', testnet: false },
  // Dynamic block times since ACP-176; viem uses 1.7 s.
  { chainId: 43114, name: 'Avalanche C-Chain', nativeSymbol: 'AVAX', blockTimeSec: 1.7, layer: 'L1', testnet: false },
  { chainId: 100, name: 'Gnosis', nativeSymbol: 'XDAI', blockTimeSec: 5, layer: 'L1', testnet: false },
  { chainId: 11155111, name: 'Sepolia', nativeSymbol: 'ETH', blockTimeSec: 12, layer: 'L1', testnet: true },
];

// A search, not a Map built at load: the guard bundles the policy, which reads this table, and a
// bundler cannot drop a table built by running code.
export function getChain(chainId: number): ChainInfo | undefined {
  return CHAINS.find((c) => c.chainId === chainId);
}

/** A chain's name for people; a chain Lifeline has no facts for is named by its id. */
export function chainName(chainId: number): string {
  return getChain(chainId)?.name ?? `Chain ${chainId}`;
}

export function isKnownChain(chainId: number): boolean {
  return getChain(chainId) !== undefined;
}

/**
 * Chains Lifeline ships no defaults for but whose block time is known, in seconds: a user may
 * add endpoints for them, and their lag is judged in their own blocks from the first probe on.
 */
const OTHER_BLOCK_TIMES_SEC: Readonly<Record<number, number>> = {
  17000: 12, // Holesky
  560048: 12, // Hoodi
  42170: 0.25, // Arbitrum Nova
  324: 1, // zkSync Era
  59144: 2, // Linea
  534352: 3, // Scroll
  5000: 2, // Mantle
  81457: 2, // Blast
  250: 1, // Fantom
};

function blockTimesMs(): Readonly<Record<number, number>> {
  const seconds: [number, number][] = [...CHAINS.map((c): [number, number] => [c.chainId, c.blockTimeSec]), ...Object.entries(OTHER_BLOCK_TIMES_SEC).map(([id, sec]): [number, number] => [Number(id), sec])];
  return Object.freeze(Object.fromEntries(seconds.map(([id, sec]) => [id, Math.round(sec * 1000)])));
}

/** Every known block time in milliseconds, by chain id (the engine's starting point; observed head progress overrides it). */
export const BLOCK_TIME_MS_BY_CHAIN: Readonly<Record<number, number>> = /* @__PURE__ */ blockTimesMs();

/** Ethereum's block time: the reference the "N blocks on L1" tolerances are written in. */
export const REFERENCE_BLOCK_TIME_MS: number = /* @__PURE__ */ referenceBlockTimeMs();

function referenceBlockTimeMs(): number {
  return Math.round(CHAINS[0]!.blockTimeSec * 1000); // Ethereum, first in the table
}

/**
 * Lag tolerance in blocks for a chain, given a tolerance expressed in Ethereum blocks (3 blocks
 * on L1 by default, the degraded threshold): the same wall-clock staleness on every chain, 3
 * Ethereum blocks = 36 s = 18 Polygon blocks = 144 Arbitrum blocks. Never below `referenceBlocks`,
 * so slow chains are not judged more strictly than Ethereum. Unknown chains use the reference as is.
 */
export function lagToleranceBlocksFor(chainId: number, referenceBlocks = 3): number {
  const blockTimeMs = BLOCK_TIME_MS_BY_CHAIN[chainId];
  if (blockTimeMs === undefined || blockTimeMs <= 0) return referenceBlocks;
  return atLeastL1Blocks(referenceBlocks, blockTimeMs, REFERENCE_BLOCK_TIME_MS);
}
