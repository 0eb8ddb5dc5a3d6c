/** How large the default registry may grow per chain, and what it must offer (src/registry). */
export const REGISTRY_POLICY = {
  /** At most 8 defaults per chain: enough for an official RPC, several independent providers and
   *  a decentralised network, while each chain in use costs at most 8 × 2 probe requests a round. */
  maxEndpointsPerChain: 8,
  /** A mainnet should have endpoints from at least 3 distinct providers: one outage plus one
   *  slow provider still leaves one answering. Chains the data cannot give 3 are named in
   *  docs/registry.md. */
  minProvidersPerMainnet: 3,
} as const;
