import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../src/registry/defaults.ts';
import { REGISTRY } from '../src/registry/defaults.ts';
import { main as listMain, registryList } from './registry-list.ts';
import { buildRegistry, exclusionReason, registryMarkdown, selectEndpoints, type ExtractChain } from './registry-generate.ts';

describe('registry:list', () => {
  it('prints every default chain and endpoint as JSON in the documented shape', () => {
    let text = '';
    expect(listMain(['--json'], (t) => (text += t))).toBe(0);
    const list = JSON.parse(text) as ReturnType<typeof registryList>;
    expect(list.map((c) => c.chainId)).toEqual(REGISTRY.chains.map((c) => c.chainId));
    expect(list.flatMap((c) => c.endpoints)).toHaveLength(DEFAULT_ENDPOINTS.length);
    expect(Object.keys(list[0]!).sort()).toEqual(['chainId', 'endpoints', 'name', 'testnet']);
    expect(Object.keys(list[0]!.endpoints[0]!).sort()).toEqual(['enabledByDefault', 'infrastructure', 'privacy', 'provider', 'url']);
    expect(list.find((c) => c.chainId === 1)?.endpoints.find((e) => e.url === 'https://eth1.lava.build')).toEqual({ url: 'https://eth1.lava.build', provider: 'Lava', infrastructure: 'decentralised', privacy: 'yes', enabledByDefault: false });
  });

  it('refuses unknown arguments', () => {
    expect(listMain(['--yaml'], () => undefined)).toBe(2);
  });
});

describe('registry:generate', () => {
  const chain = (rpcs: ExtractChain['rpcs'], viemDefaultRpc?: string): ExtractChain => ({ name: 'Test', nativeSymbol: 'TST', testnet: false, rpcs, ...(viemDefaultRpc ? { viemDefaultRpc } : {}) });

  it('refuses dead families, keys, demo keys, query strings and plain http', () => {
    expect(exclusionReason('https://rpc.ankr.com/eth')).toMatch(/key/);
    expect(exclusionReason('https://eth-mainnet.public.blastapi.io')).toMatch(/Blast/);
    expect(exclusionReason('https://api.zmok.io/mainnet/oaen6dy8ff6hju9k')).toMatch(/key-like/);
    expect(exclusionReason('https://one.valve.city/rpc/vk_demo/evm/1')).toMatch(/demo/);
    expect(exclusionReason('https://eth-mainnet.g.alchemy.com/v2/demo')).toMatch(/key|demo/);
    expect(exclusionReason('https://andromeda.metis.io/?owner=1088')).toMatch(/query/);
    expect(exclusionReason('http://rpc.example.org')).toMatch(/https/);
    expect(exclusionReason('https://eth.drpc.org')).toBeNull();
  });

  it('puts the official RPC first (even when Chainlist omits it), one endpoint per provider, tracking ones off and only when useful', () => {
    const picked = selectEndpoints(4242, chain([
      { url: 'https://a.routeme.sh/rpc/evm/4242', tracking: 'limited' },
      { url: 'https://test.drpc.org', tracking: 'none' },
      { url: 'https://test2.drpc.org', tracking: 'none' },
      { url: 'https://rpc.tracker.example', tracking: 'yes' },
      { url: 'https://test.lava.build', tracking: 'yes' },
      { url: 'https://nodes.small-operator.io/test', tracking: 'unspecified' },
    ], 'https://rpc.testchain.xyz'), 'Test');
    expect(picked.map((e) => [e.slug, e.official, e.listedByChainlist, e.tracking])).toEqual([
      ['testchain', true, false, 'unspecified'],
      ['drpc', false, true, 'none'],
      ['small-operator', false, true, 'unspecified'],
      ['routeme', false, true, 'limited'],
      ['lava', false, true, 'yes'],
    ]);
    expect(picked[0]!.provider).toBe('Test (official)');
  });

  it('does not call a third party official because viem uses it as the default', () => {
    const picked = selectEndpoints(4242, chain([{ url: 'https://4242.rpc.thirdweb.com', tracking: 'limited' }, { url: 'https://test.drpc.org', tracking: 'none' }], 'https://4242.rpc.thirdweb.com'), 'Test');
    expect(picked.every((e) => !e.official)).toBe(true);
  });

  it('caps the endpoints that are on by default and keeps a decentralised network among them', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ url: `https://rpc.operator${i}.com`, tracking: 'none' as const }));
    const picked = selectEndpoints(4242, chain([...many, { url: 'https://test.api.pocket.network', tracking: 'limited' }]), 'Test');
    expect(picked.filter((e) => e.tracking !== 'yes')).toHaveLength(8);
    expect(picked.some((e) => e.slug === 'pocket')).toBe(true);
  });

  it('reproduces the vendored registry from the same inputs (chain facts from viem)', async () => {
    const viem = Object.values(await import('viem/chains')).filter((c): c is never => typeof c === 'object' && c !== null && typeof (c as { id?: unknown }).id === 'number');
    const extract = { source: REGISTRY.source.replace(' Selected by scripts/registry-generate.ts.', ''), chains: Object.fromEntries(REGISTRY.chains.map((c) => [String(c.chainId), {
      name: c.name, nativeSymbol: c.nativeCurrency.symbol, testnet: c.testnet,
      rpcs: c.endpoints.filter((e) => e.listedByChainlist).map((e) => ({ url: e.url, tracking: e.tracking })),
      ...(c.endpoints.some((e) => !e.listedByChainlist) ? { viemDefaultRpc: c.endpoints.find((e) => !e.listedByChainlist)!.url } : {}),
    }])) };
    const rebuilt = buildRegistry(extract, viem);
    expect(rebuilt.chains.map((c) => [c.chainId, c.name, c.nativeCurrency, c.blockTimeMs, c.explorer])).toEqual(REGISTRY.chains.map((c) => [c.chainId, c.name, c.nativeCurrency, c.blockTimeMs, c.explorer]));
    expect(registryMarkdown(rebuilt)).toContain('### 59144 Linea Mainnet');
  });
});
