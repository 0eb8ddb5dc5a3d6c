/**
 * The shape of the vendored default registry (chains.json: each chain's facts; endpoints.json:
 * each chain's chosen endpoints; split so pages that only name chains don't load every endpoint), written by
 * scripts/registry-generate.ts from the Chainlist extract and viem/chains. Types only.
 */
import type { Infrastructure } from '../types.ts';

/** Chainlist's raw tracking label. `unspecified` = Chainlist has no privacy statement on file. */
export type ChainlistTracking = 'none' | 'limited' | 'yes' | 'unspecified';

export interface RegistryEndpoint {
  /** The endpoint id is `<chainId>:<slug>`. */
  slug: string;
  url: string;
  provider: string;
  infrastructure: Infrastructure;
  tracking: ChainlistTracking;
  /** Run by the chain's own team or foundation. */
  official: boolean;
  /** False for a chain team's own RPC taken from viem because Chainlist does not list it. */
  listedByChainlist: boolean;
}

export interface RegistryChain {
  chainId: number;
  name: string;
  nativeCurrency: { name: string; symbol: string; decimals: number };
  /** Average block time; null where neither viem nor a stated correction gives one. */
  blockTimeMs: number | null;
  blockTimeSource: 'viem' | 'correction' | null;
  testnet: boolean;
  /** The block explorer wallets are given with the chain (EIP-3085), when viem names one. */
  explorer: string | null;
  endpoints: RegistryEndpoint[];
}

export interface RegistryData {
  source: string;
  chains: RegistryChain[];
}

/** chains.json: the chains' facts without their endpoints. */
export interface ChainFactsFile {
  source: string;
  chains: Omit<RegistryChain, 'endpoints'>[];
}

/** endpoints.json: each chain's endpoints, by chain id. */
export interface EndpointsFile {
  source: string;
  endpoints: Record<string, RegistryEndpoint[]>;
}
