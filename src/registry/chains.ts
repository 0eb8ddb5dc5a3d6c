import { atLeastL1Blocks } from '../health/head.ts';
import facts from './chains.json' with { type: 'json' };
import type { ChainFactsFile } from './registry-data.ts';

/**
 * Facts about the chains Lifeline ships defaults for, from the vendored registry (written by
 * scripts/registry-generate.ts from viem/chains). Block times feed lag tolerance: "3 blocks
 * behind" means 36 s on Ethereum but under 1 s on Arbitrum, so tolerances are scaled by time.
 */
export interface ChainInfo {
  chainId: number;
  name: string;
  nativeSymbol: string;
  nativeCurrency: { name: string; symbol: string; decimals: number };
  /** Average block time in ms; undefined where no source states one (the engine then assumes
   *  its default block time until it has observed the chain's heads). */
  blockTimeMs: number | undefined;
  testnet: boolean;
  /** Block explorer for EIP-3085, when known. */
  explorer: string | undefined;
}

/** The vendored chain facts, typed: the generator writes exactly this shape. */
export const CHAIN_FACTS: ChainFactsFile = facts as ChainFactsFile;

function chainInfos(): readonly ChainInfo[] {
  return CHAIN_FACTS.chains.map((c) => ({
    chainId: c.chainId,
    name: c.name,
    nativeSymbol: c.nativeCurrency.symbol,
    nativeCurrency: c.nativeCurrency,
    blockTimeMs: c.blockTimeMs ?? undefined,
    testnet: c.testnet,
    explorer: c.explorer ?? undefined,
  }));
}

/** Every chain with defaults: mainnets then testnets, each by chain id (Ethereum first). */
export const CHAINS: readonly ChainInfo[] = /* @__PURE__ */ chainInfos();

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

function blockTimesMs(): Readonly<Record<number, number>> {
  const known = CHAINS.filter((c) => c.blockTimeMs !== undefined).map((c): [number, number] => [c.chainId, c.blockTimeMs!]);
  return Object.freeze(Object.fromEntries(known));
}

/** Every known block time in milliseconds, by chain id (the engine's starting point; observed head progress overrides it). */
export const BLOCK_TIME_MS_BY_CHAIN: Readonly<Record<number, number>> = /* @__PURE__ */ blockTimesMs();

/** Ethereum's block time: the reference the "N blocks on L1" tolerances are written in. */
export const REFERENCE_BLOCK_TIME_MS: number = /* @__PURE__ */ referenceBlockTimeMs();

function referenceBlockTimeMs(): number {
  const ethereum = CHAINS.find((c) => c.chainId === 1);
  if (ethereum?.blockTimeMs === undefined) throw new Error('the registry has no block time for Ethereum');
  return ethereum.blockTimeMs;
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
