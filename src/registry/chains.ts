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

const BY_ID: ReadonlyMap<number, ChainInfo> = new Map(CHAINS.map((c) => [c.chainId, c]));

export function getChain(chainId: number): ChainInfo | undefined {
  return BY_ID.get(chainId);
}

export function isKnownChain(chainId: number): boolean {
  return BY_ID.has(chainId);
}

/** Ethereum's block time: the reference the "N blocks on L1" tolerance is expressed in. */
export const REFERENCE_BLOCK_TIME_SEC = 12;

/**
 * Lag tolerance in blocks for a chain, given a tolerance expressed in Ethereum blocks (DESIGN §2:
 * 3 blocks on L1, scaled by block time elsewhere). The same wall-clock staleness is allowed on
 * every chain: 3 Ethereum blocks = 36 s = 18 Polygon blocks = 144 Arbitrum blocks. Never below
 * `referenceBlocks`, so slow chains are not judged more strictly than Ethereum. Unknown chains
 * use the reference as is.
 */
export function lagToleranceBlocksFor(chainId: number, referenceBlocks = 3): number {
  const chain = BY_ID.get(chainId);
  if (!chain || chain.blockTimeSec <= 0) return referenceBlocks;
  const scaled = Math.ceil((referenceBlocks * REFERENCE_BLOCK_TIME_SEC) / chain.blockTimeSec);
  return Math.max(referenceBlocks, scaled);
}
