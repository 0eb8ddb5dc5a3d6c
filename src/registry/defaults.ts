/**
 * The default endpoint registry: keyless public HTTPS JSON-RPC endpoints per chain, chosen for
 * independence (the chain's official RPC, different operators, and a decentralised network
 * wherever one serves the chain) so that one provider's or one data centre's outage never leaves
 * a chain without a working endpoint.
 *
 * The choice is made by scripts/registry-generate.ts from Chainlist's list (URLs and tracking
 * labels) and viem/chains, and vendored as chains.json + endpoints.json; the hosts known dead or key-gated are
 * refused by ./denylist.ts. See docs/registry.md for the rules and every chain's endpoints.
 */
import type { Endpoint, PrivacyLabel } from '../types.ts';
import { CHAIN_FACTS } from './chains.ts';
import endpointsFile from './endpoints.json' with { type: 'json' };
import type { ChainlistTracking, EndpointsFile, RegistryData } from './registry-data.ts';
import { normalizeRpcUrl } from './url.ts';

export type { ChainlistTracking } from './registry-data.ts';

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

/** The whole vendored registry, each chain's facts with its endpoints (as the generator built it). */
export const REGISTRY: RegistryData = {
  source: CHAIN_FACTS.source,
  chains: CHAIN_FACTS.chains.map((chain) => ({ ...chain, endpoints: (endpointsFile as EndpointsFile).endpoints[String(chain.chainId)] ?? [] })),
};

function build(): DefaultEndpoint[] {
  return REGISTRY.chains.flatMap((chain) =>
    chain.endpoints.map((e): DefaultEndpoint => {
      const privacy = privacyFromChainlist(e.tracking);
      return {
        id: `${chain.chainId}:${e.slug}`,
        chainId: chain.chainId,
        url: e.url,
        provider: e.provider,
        infrastructure: e.infrastructure,
        privacy,
        source: 'default',
        // Endpoints Chainlist labels as tracking users stay off until the user turns them on.
        enabled: privacy !== 'yes',
        chainlistTracking: e.tracking,
        official: e.official,
      };
    }),
  );
}

/** Every default endpoint, grouped by chain in CHAINS order, each chain in preference order. */
export const DEFAULT_ENDPOINTS: readonly DefaultEndpoint[] = Object.freeze(build());

/** Chain ids that have defaults. */
export const SUPPORTED_CHAIN_IDS: readonly number[] = REGISTRY.chains.filter((c) => c.endpoints.length > 0).map((c) => c.chainId);

/** Whether Lifeline ships endpoints for the chain (a chain without them is served only by the user's own). */
export function hasDefaults(chainId: number): boolean {
  return SUPPORTED_CHAIN_IDS.includes(chainId);
}

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
