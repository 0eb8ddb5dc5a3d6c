/**
 * The default endpoint registry: keyless public HTTPS JSON-RPC endpoints per chain, chosen for
 * independence (different operators, and at least one decentralised network per chain) so that
 * one provider's or one data centre's outage never leaves a chain without a working endpoint.
 *
 * Sources: DefiLlama/chainlist `extraRpcs.js` (2026-08-22) for URLs and tracking labels, and the
 * hosts known dead or key-gated (./denylist.ts, which enforces the list). See
 * docs/registry.md for the selection rules.
 */
import type { Endpoint, Infrastructure, PrivacyLabel } from '../types.ts';
import { CHAINS } from './chains.ts';
import { normalizeRpcUrl } from './url.ts';

/** Chainlist's raw tracking label. `unspecified` = Chainlist has no privacy statement on file. */
export type ChainlistTracking = 'none' | 'limited' | 'yes' | 'unspecified';

/**
 * `unspecified` is treated as `limited`: without a privacy statement we cannot promise "none",
 * but nothing says the operator tracks users either. Excluding them would drop most chains'
 * official RPCs, which are the operators with the most at stake in keeping them up.
 */
export function privacyFromChainlist(tracking: ChainlistTracking): PrivacyLabel {
  return tracking === 'unspecified' ? 'limited' : tracking;
}

export interface DefaultEndpoint extends Endpoint {
  source: 'default';
  /** The label exactly as Chainlist gives it (before `unspecified` → `limited`). */
  chainlistTracking: ChainlistTracking;
  /** Run by the chain's own team or foundation. */
  official: boolean;
}

interface ProviderInfo {
  name: string;
  /** Only what is publicly known; otherwise 'unknown' (users can correct it in their config). */
  infrastructure: Infrastructure;
}

/** Operators, keyed by the slug used in endpoint ids (`<chainId>:<slug>`). */
export const PROVIDERS = {
  publicnode: { name: 'PublicNode', infrastructure: 'unknown' },
  // dRPC routes to many independent node operators behind one gateway.
  drpc: { name: 'dRPC', infrastructure: 'decentralised' },
  // Pocket (formerly reached through Grove): a protocol of independent suppliers.
  pocket: { name: 'Pocket Network', infrastructure: 'decentralised' },
  lava: { name: 'Lava', infrastructure: 'decentralised' },
  '1rpc': { name: '1RPC', infrastructure: 'unknown' },
  meowrpc: { name: 'MeowRPC', infrastructure: 'unknown' },
  merkle: { name: 'Merkle', infrastructure: 'unknown' },
  blockpi: { name: 'BlockPI', infrastructure: 'unknown' },
  onfinality: { name: 'OnFinality', infrastructure: 'unknown' },
  omnia: { name: 'OMNIA', infrastructure: 'unknown' },
  '0xrpc': { name: '0xRPC', infrastructure: 'unknown' },
  '48club': { name: '48 Club', infrastructure: 'unknown' },
  defibit: { name: 'Defibit', infrastructure: 'unknown' },
  bnbchain: { name: 'BNB Chain', infrastructure: 'unknown' },
  arbitrum: { name: 'Arbitrum (Offchain Labs)', infrastructure: 'unknown' },
  optimism: { name: 'Optimism', infrastructure: 'unknown' },
  base: { name: 'Base', infrastructure: 'unknown' },
  avalanche: { name: 'Avalanche (Ava Labs)', infrastructure: 'unknown' },
  gnosis: { name: 'Gnosis', infrastructure: 'unknown' },
} as const satisfies Record<string, ProviderInfo>;

export type ProviderSlug = keyof typeof PROVIDERS;

/** [provider, url, Chainlist tracking label, official?] */
type Row = readonly [ProviderSlug, string, ChainlistTracking, boolean?];

/** Per chain, in default preference order (official first, then tracking-free, then the rest). */
const TABLE: Readonly<Record<number, readonly Row[]>> = {
  1: [
    ['publicnode', 'https://ethereum-rpc.publicnode.com', 'none'],
    ['drpc', 'https://eth.drpc.org', 'none'],
    ['pocket', 'https://eth.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/eth', 'none'],
    ['meowrpc', 'https://eth.meowrpc.com', 'none'],
    ['merkle', 'https://eth.merkle.io', 'none'],
    ['blockpi', 'https://ethereum.public.blockpi.network/v1/rpc/public', 'limited'],
    ['lava', 'https://eth1.lava.build', 'yes'],
  ],
  56: [
    ['bnbchain', 'https://bsc-dataseed.bnbchain.org', 'unspecified', true],
    ['publicnode', 'https://bsc-rpc.publicnode.com', 'none'],
    ['drpc', 'https://bsc.drpc.org', 'none'],
    ['pocket', 'https://bsc.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/bnb', 'none'],
    ['meowrpc', 'https://bsc.meowrpc.com', 'none'],
    ['48club', 'https://rpc-bsc.48.club', 'limited'],
    ['defibit', 'https://bsc-dataseed1.defibit.io', 'unspecified'],
  ],
  137: [
    // No keyless official RPC any more: polygon-rpc.com ended public access (denylisted).
    ['publicnode', 'https://polygon-bor-rpc.publicnode.com', 'none'],
    ['drpc', 'https://polygon.drpc.org', 'none'],
    ['pocket', 'https://poly.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/matic', 'none'],
    ['meowrpc', 'https://polygon.meowrpc.com', 'none'],
    ['onfinality', 'https://polygon.api.onfinality.io/public', 'limited'],
    ['lava', 'https://polygon.lava.build', 'yes'],
  ],
  42161: [
    ['arbitrum', 'https://arb1.arbitrum.io/rpc', 'unspecified', true],
    ['publicnode', 'https://arbitrum-one-rpc.publicnode.com', 'none'],
    ['drpc', 'https://arbitrum.drpc.org', 'none'],
    ['pocket', 'https://arb-one.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/arb', 'none'],
    ['meowrpc', 'https://arbitrum.meowrpc.com', 'none'],
    ['lava', 'https://arb1.lava.build', 'yes'],
  ],
  10: [
    ['optimism', 'https://mainnet.optimism.io', 'unspecified', true],
    ['publicnode', 'https://optimism-rpc.publicnode.com', 'none'],
    ['drpc', 'https://optimism.drpc.org', 'none'],
    ['pocket', 'https://op.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/op', 'none'],
    ['meowrpc', 'https://optimism.meowrpc.com', 'none'],
    ['blockpi', 'https://optimism.public.blockpi.network/v1/rpc/public', 'limited'],
    ['lava', 'https://optimism.lava.build', 'yes'],
  ],
  8453: [
    ['base', 'https://mainnet.base.org', 'unspecified', true],
    ['publicnode', 'https://base-rpc.publicnode.com', 'none'],
    ['drpc', 'https://base.drpc.org', 'none'],
    ['pocket', 'https://base.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/base', 'none'],
    ['meowrpc', 'https://base.meowrpc.com', 'none'],
    ['blockpi', 'https://base.public.blockpi.network/v1/rpc/public', 'limited'],
    ['lava', 'https://base.lava.build', 'yes'],
  ],
  43114: [
    ['avalanche', 'https://api.avax.network/ext/bc/C/rpc', 'unspecified', true],
    ['publicnode', 'https://avalanche-c-chain-rpc.publicnode.com', 'none'],
    ['drpc', 'https://avalanche.drpc.org', 'none'],
    ['pocket', 'https://avax.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/avax/c', 'none'],
    ['meowrpc', 'https://avax.meowrpc.com', 'none'],
  ],
  100: [
    ['gnosis', 'https://rpc.gnosischain.com', 'unspecified', true],
    ['publicnode', 'https://gnosis-rpc.publicnode.com', 'none'],
    ['drpc', 'https://gnosis.drpc.org', 'none'],
    ['pocket', 'https://gnosis.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/gnosis', 'none'],
    ['omnia', 'https://endpoints.omniatech.io/v1/gnosis/mainnet/public', 'none'],
  ],
  11155111: [
    // Chainlist lists no official Sepolia RPC and no dRPC endpoint for Sepolia.
    ['publicnode', 'https://ethereum-sepolia-rpc.publicnode.com', 'none'],
    ['pocket', 'https://eth-sepolia-testnet.api.pocket.network', 'none'],
    ['1rpc', 'https://public.1rpc.io/sepolia', 'none'],
    ['omnia', 'https://endpoints.omniatech.io/v1/eth/sepolia/public', 'none'],
    ['0xrpc', 'https://0xrpc.io/sep', 'none'],
  ],
};

function build(): DefaultEndpoint[] {
  const out: DefaultEndpoint[] = [];
  for (const chain of CHAINS) {
    for (const [slug, url, tracking, official] of TABLE[chain.chainId] ?? []) {
      const provider: ProviderInfo = PROVIDERS[slug];
      const privacy = privacyFromChainlist(tracking);
      out.push({
        id: `${chain.chainId}:${slug}`,
        chainId: chain.chainId,
        url,
        provider: provider.name,
        infrastructure: provider.infrastructure,
        privacy,
        source: 'default',
        // Endpoints Chainlist labels as tracking users stay off until the user turns them on.
        enabled: privacy !== 'yes',
        chainlistTracking: tracking,
        official: official === true,
      });
    }
  }
  return out;
}

/** Every default endpoint, grouped by chain in CHAINS order, each chain in preference order. */
export const DEFAULT_ENDPOINTS: readonly DefaultEndpoint[] = Object.freeze(build());

/** Chain ids that have defaults. */
export const SUPPORTED_CHAIN_IDS: readonly number[] = CHAINS.map((c) => c.chainId);

const BY_ID: ReadonlyMap<string, DefaultEndpoint> = new Map(DEFAULT_ENDPOINTS.map((e) => [e.id, e]));
const BY_URL: ReadonlyMap<string, DefaultEndpoint> = new Map(
  DEFAULT_ENDPOINTS.map((e) => [normalizeRpcUrl(e.url), e]),
);

/** The chain's defaults in preference order (enabled or not); empty for chains without defaults. */
export function defaultEndpointsForChain(chainId: number): DefaultEndpoint[] {
  return DEFAULT_ENDPOINTS.filter((e) => e.chainId === chainId);
}

export function getDefaultEndpoint(id: string): DefaultEndpoint | undefined {
  return BY_ID.get(id);
}

/** Finds a default by URL, ignoring case of scheme/host, trailing slashes and fragments. */
export function findDefaultEndpointByUrl(url: string): DefaultEndpoint | undefined {
  return BY_URL.get(normalizeRpcUrl(url));
}
