import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHAINS, getChain, lagToleranceBlocksFor } from './chains.ts';
import {
  DEFAULT_ENDPOINTS,
  SUPPORTED_CHAIN_IDS,
  hasDefaults,
  defaultEndpointsForChain,
  findDefaultEndpointByUrl,
  getDefaultEndpoint,
  privacyFromChainlist,
  REGISTRY,
} from './defaults.ts';
import { checkDenylist } from './denylist.ts';
import { maskUrlSecrets } from './primaries.ts';
import { DEFAULT_POLICY, REGISTRY_POLICY } from '../policy/index.ts';

const FIRST_CHAINS = [1, 56, 137, 42161, 10, 8453, 43114, 100, 11155111];
const MAINNETS = CHAINS.filter((c) => !c.testnet).map((c) => c.chainId);
const providersOf = (chainId: number) => new Set(defaultEndpointsForChain(chainId).filter((e) => e.enabled).map((e) => e.provider));

describe('default registry rules', () => {
  it('covers 60 chains, the first registry\'s nine among them, each with defaults and metadata', () => {
    expect(SUPPORTED_CHAIN_IDS).toHaveLength(60);
    expect(SUPPORTED_CHAIN_IDS).toEqual(expect.arrayContaining(FIRST_CHAINS));
    for (const id of [...FIRST_CHAINS, 59144, 324, 534352, 81457, 5000, 42220, 146, 80094, 130, 143, 999]) expect(getChain(id)?.chainId, String(id)).toBe(id);
    for (const id of SUPPORTED_CHAIN_IDS) expect(hasDefaults(id)).toBe(true);
    expect(hasDefaults(424242)).toBe(false);
  });

  it('every chain has a name, an 18-decimal native currency and a block time or the stated default', () => {
    for (const c of CHAINS) {
      expect(c.name.length, String(c.chainId)).toBeGreaterThan(0);
      expect(c.nativeCurrency.symbol, c.name).toMatch(/^[A-Za-z0-9]{1,6}$/);
      expect(c.nativeCurrency.name.length, c.name).toBeGreaterThan(0);
      expect(c.nativeCurrency.decimals, c.name).toBe(18);
      const blockTimeMs = c.blockTimeMs ?? DEFAULT_POLICY.lag.defaultBlockTimeMs;
      expect(blockTimeMs, c.name).toBeGreaterThan(0);
      expect(DEFAULT_POLICY.lag.blockTimeMsByChain[c.chainId], c.name).toBe(c.blockTimeMs);
    }
  });

  it.each(MAINNETS)('mainnet %i has endpoints from 3 distinct providers where the data has them', (chainId) => {
    const providers = providersOf(chainId);
    const listedInDocs = readFileSync(new URL('../../docs/registry.md', import.meta.url), 'utf8').includes(`- ${chainId} ${getChain(chainId)!.name}:`);
    if (providers.size < REGISTRY_POLICY.minProvidersPerMainnet) expect(listedInDocs, `chain ${chainId} has ${providers.size} providers and is not named in docs/registry.md`).toBe(true);
    else expect(listedInDocs).toBe(false);
    expect(providers.size).toBeGreaterThanOrEqual(2);
  });

  it.each(FIRST_CHAINS)('chain %i (first registry) keeps ≥4 enabled providers and a decentralised network', (chainId) => {
    expect(providersOf(chainId).size).toBeGreaterThanOrEqual(4);
    expect(defaultEndpointsForChain(chainId).some((e) => e.enabled && e.infrastructure === 'decentralised')).toBe(true);
  });

  it('has an enabled decentralised network on every chain one serves', () => {
    const without = SUPPORTED_CHAIN_IDS.filter((id) => !defaultEndpointsForChain(id).some((e) => e.enabled && e.infrastructure === 'decentralised'));
    // Chainlist lists neither dRPC nor Pocket for these, and docs/registry.md names them.
    expect(without.sort((a, b) => a - b)).toEqual([592, 999, 48900, 560048]);
    const md = readFileSync(new URL('../../docs/registry.md', import.meta.url), 'utf8');
    for (const id of without) expect(md).toContain(`- ${id} ${getChain(id)!.name}\n`);
  });

  it('lists each provider once per chain, and at most the policy\'s number of endpoints on by default', () => {
    for (const chainId of SUPPORTED_CHAIN_IDS) {
      const endpoints = defaultEndpointsForChain(chainId);
      expect(new Set(endpoints.map((e) => e.provider)).size, String(chainId)).toBe(endpoints.length);
      expect(endpoints.filter((e) => e.enabled).length).toBeLessThanOrEqual(REGISTRY_POLICY.maxEndpointsPerChain);
    }
  });

  it('ships no denylisted endpoint', () => {
    const hits = DEFAULT_ENDPOINTS.filter((e) => checkDenylist(e.url) !== null).map((e) => e.url);
    expect(hits).toEqual([]);
  });

  it('uses https only, with no credentials, query strings or embedded keys', () => {
    for (const e of DEFAULT_ENDPOINTS) {
      const u = new URL(e.url);
      expect(u.protocol, e.id).toBe('https:');
      expect(u.username + u.password, e.id).toBe('');
      expect(u.search, e.id).toBe('');
      // The secret masker finds nothing to hide in a keyless URL.
      expect(maskUrlSecrets(e.url), e.id).toBe(e.url);
    }
  });

  it('has unique ids and unique URLs', () => {
    const ids = DEFAULT_ENDPOINTS.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const urls = DEFAULT_ENDPOINTS.map((e) => e.url.toLowerCase().replace(/\/$/, ''));
    expect(new Set(urls).size).toBe(urls.length);
  });

  it('ids are "<chainId>:<slug>" and match the chain', () => {
    for (const e of DEFAULT_ENDPOINTS) expect(e.id.startsWith(`${e.chainId}:`), e.id).toBe(true);
  });

  it('disables tracking endpoints by default and enables all others', () => {
    for (const e of DEFAULT_ENDPOINTS) expect(e.enabled, e.id).toBe(e.privacy !== 'yes');
    // The rule has teeth: the registry does carry tracking endpoints (Lava).
    expect(DEFAULT_ENDPOINTS.some((e) => e.privacy === 'yes')).toBe(true);
  });

  it('maps Chainlist "unspecified" conservatively to "limited"', () => {
    expect(privacyFromChainlist('unspecified')).toBe('limited');
    expect(privacyFromChainlist('none')).toBe('none');
    expect(privacyFromChainlist('yes')).toBe('yes');
    for (const e of DEFAULT_ENDPOINTS) expect(e.privacy).toBe(privacyFromChainlist(e.chainlistTracking));
    expect(getDefaultEndpoint('42161:arbitrum')?.privacy).toBe('limited');
  });

  it('includes the official RPC where one works keyless, first in its chain', () => {
    const official = (id: number) => defaultEndpointsForChain(id).filter((e) => e.official).map((e) => e.url);
    expect(official(56)).toEqual(['https://bsc-dataseed.bnbchain.org']);
    expect(official(42161)).toEqual(['https://arb1.arbitrum.io/rpc']);
    expect(official(10)).toEqual(['https://mainnet.optimism.io']);
    expect(official(8453)).toEqual(['https://mainnet.base.org']);
    expect(official(43114)).toEqual(['https://api.avax.network/ext/bc/C/rpc']);
    expect(official(100)).toEqual(['https://rpc.gnosischain.com']);
    expect(official(59144)).toEqual(['https://rpc.linea.build']);
    expect(official(324)).toEqual(['https://mainnet.era.zksync.io']);
    // No keyless official RPC: Ethereum and Sepolia have none, polygon-rpc.com ended public access.
    expect(official(1)).toEqual([]);
    expect(official(137)).toEqual([]);
    for (const id of SUPPORTED_CHAIN_IDS) {
      const endpoints = defaultEndpointsForChain(id);
      const firstOther = endpoints.findIndex((e) => !e.official);
      expect(endpoints.slice(firstOther === -1 ? endpoints.length : firstOther).some((e) => e.official), String(id)).toBe(false);
    }
  });

  it('all defaults are default-sourced with an infrastructure tag', () => {
    for (const e of DEFAULT_ENDPOINTS) {
      expect(e.source).toBe('default');
      expect(e.infrastructure.length).toBeGreaterThan(0);
    }
  });
});

describe('lookups', () => {
  it('finds endpoints by id and by URL regardless of trailing slash and host case', () => {
    expect(getDefaultEndpoint('1:drpc')?.url).toBe('https://eth.drpc.org');
    expect(getDefaultEndpoint('nope')).toBeUndefined();
    expect(findDefaultEndpointByUrl('https://ETH.drpc.org/')?.id).toBe('1:drpc');
    expect(findDefaultEndpointByUrl('https://example.com')).toBeUndefined();
  });

  it('returns nothing for chains without defaults', () => {
    expect(defaultEndpointsForChain(999999)).toEqual([]);
  });
});

describe('chain metadata', () => {
  it('takes names, currencies and explorers from viem/chains', () => {
    expect(getChain(59144)).toMatchObject({ name: 'Linea Mainnet', nativeCurrency: { name: 'Linea Ether', symbol: 'ETH' }, explorer: 'https://lineascan.build' });
    expect(getChain(80094)?.nativeSymbol).toBe('BERA');
    expect(getChain(11155111)?.testnet).toBe(true);
    expect(getChain(56)?.blockTimeMs).toBe(450);
  });

  it('scales lag tolerance to the same wall-clock time as 3 Ethereum blocks', () => {
    expect(lagToleranceBlocksFor(1)).toBe(3);
    expect(lagToleranceBlocksFor(137)).toBe(18);
    expect(lagToleranceBlocksFor(42161)).toBe(144);
    expect(lagToleranceBlocksFor(100)).toBe(8);
    expect(lagToleranceBlocksFor(1, 5)).toBe(5);
    expect(lagToleranceBlocksFor(424242)).toBe(3);
  });
});

// Cross-check against the shared Chainlist extract when it is present on this machine.
const CHAINLIST = '/work/shared/data/chainlist-rpcs.json';
describe.skipIf(!existsSync(CHAINLIST))('agreement with the Chainlist extract', () => {
  it('every default URL and its tracking label come from Chainlist', () => {
    const data = JSON.parse(readFileSync(CHAINLIST, 'utf8')) as {
      chains: Record<string, { rpcs: { url: string; tracking: string }[] }>;
    };
    const norm = (u: string) => u.toLowerCase().replace(/\/+$/, '');
    const unlisted = new Set(REGISTRY.chains.flatMap((c) => c.endpoints.filter((e) => !e.listedByChainlist).map((e) => `${c.chainId}:${e.slug}`)));
    for (const e of DEFAULT_ENDPOINTS) {
      // A chain team's own RPC that Chainlist does not list is viem's default for that chain.
      if (unlisted.has(e.id)) {
        expect(e.official, e.id).toBe(true);
        expect(e.url, e.id).toBe((data.chains[String(e.chainId)] as { viemDefaultRpc?: string }).viemDefaultRpc);
        continue;
      }
      const rpcs = data.chains[String(e.chainId)]?.rpcs ?? [];
      const hit = rpcs.find((r) => norm(r.url) === norm(e.url));
      expect(hit, `${e.id} ${e.url} not in Chainlist`).toBeDefined();
      expect(hit?.tracking, e.id).toBe(e.chainlistTracking);
    }
  });
});

describe('docs/registry.md', () => {
  it('lists every default endpoint with its id and URL', () => {
    const md = readFileSync(new URL('../../docs/registry.md', import.meta.url), 'utf8');
    for (const e of DEFAULT_ENDPOINTS) {
      expect(md, e.id).toContain(`| \`${e.id}\` | ${e.url} |`);
    }
  });
});
