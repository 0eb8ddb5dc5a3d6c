import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHAINS, getChain, lagToleranceBlocksFor } from './chains.ts';
import {
  DEFAULT_ENDPOINTS,
  SUPPORTED_CHAIN_IDS,
  defaultEndpointsForChain,
  findDefaultEndpointByUrl,
  getDefaultEndpoint,
  privacyFromChainlist,
} from './defaults.ts';
import { checkDenylist } from './denylist.ts';
import { maskUrlSecrets } from './primaries.ts';

const REQUIRED_CHAINS = [1, 56, 137, 42161, 10, 8453, 43114, 100, 11155111];

describe('default registry rules', () => {
  it('covers exactly the required chains, each with metadata', () => {
    expect([...SUPPORTED_CHAIN_IDS].sort((a, b) => a - b)).toEqual([...REQUIRED_CHAINS].sort((a, b) => a - b));
    for (const id of REQUIRED_CHAINS) expect(getChain(id)?.chainId).toBe(id);
  });

  it.each(REQUIRED_CHAINS)('chain %i has ≥4 enabled endpoints from distinct providers', (chainId) => {
    const enabled = defaultEndpointsForChain(chainId).filter((e) => e.enabled);
    expect(new Set(enabled.map((e) => e.provider)).size).toBeGreaterThanOrEqual(4);
  });

  it.each(REQUIRED_CHAINS)('chain %i has an enabled decentralised endpoint', (chainId) => {
    const dec = defaultEndpointsForChain(chainId).filter((e) => e.enabled && e.infrastructure === 'decentralised');
    expect(dec.length).toBeGreaterThanOrEqual(1);
  });

  it.each(REQUIRED_CHAINS)('chain %i lists each provider once', (chainId) => {
    const providers = defaultEndpointsForChain(chainId).map((e) => e.provider);
    expect(new Set(providers).size).toBe(providers.length);
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

  it('includes the official RPC where one works keyless', () => {
    const official = (id: number) => defaultEndpointsForChain(id).filter((e) => e.official).map((e) => e.url);
    expect(official(56)).toEqual(['https://bsc-dataseed.bnbchain.org']);
    expect(official(42161)).toEqual(['https://arb1.arbitrum.io/rpc']);
    expect(official(10)).toEqual(['https://mainnet.optimism.io']);
    expect(official(8453)).toEqual(['https://mainnet.base.org']);
    expect(official(43114)).toEqual(['https://api.avax.network/ext/bc/C/rpc']);
    expect(official(100)).toEqual(['https://rpc.gnosischain.com']);
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
  it('has a positive block time and a layer for every chain', () => {
    for (const c of CHAINS) {
      expect(c.blockTimeSec).toBeGreaterThan(0);
      expect(['L1', 'L2']).toContain(c.layer);
      expect(c.nativeSymbol).toMatch(/^[A-Z]+$/);
    }
    expect(getChain(42161)?.layer).toBe('L2');
    expect(getChain(11155111)?.testnet).toBe(true);
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
    for (const e of DEFAULT_ENDPOINTS) {
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
