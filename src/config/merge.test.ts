import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS, SUPPORTED_CHAIN_IDS } from '../registry/defaults.ts';
import type { Endpoint } from '../types.ts';
import { effectivePolicyOverrides, mergeRegistry } from './merge.ts';
import type { UserConfig } from './schema.ts';
import { parseUserConfig } from './serialize.ts';
import { SMALLEST, valid } from './test-support.ts';
import { userEndpointId } from './user-endpoints.ts';

describe('mergeRegistry', () => {
  const defaults = DEFAULT_ENDPOINTS;
  const ids = (list: readonly Endpoint[] | undefined) => (list ?? []).map((e) => e.id);

  it('without config returns the defaults per chain, in order, unchanged', () => {
    const m = mergeRegistry(defaults);
    expect(ids(m[1])).toEqual(defaults.filter((e) => e.chainId === 1).map((e) => e.id));
    expect(Object.keys(m).map(Number).sort((a, b) => a - b)).toEqual([...SUPPORTED_CHAIN_IDS].sort((a, b) => a - b));
  });

  it("puts the user's own node first with sensible inferred fields", () => {
    const config = valid(parseUserConfig(SMALLEST));
    const first = mergeRegistry(defaults, config)[1]?.[0];
    expect(first).toEqual({
      id: userEndpointId(1, 'http://127.0.0.1:8545'),
      chainId: 1,
      url: 'http://127.0.0.1:8545',
      provider: 'My node',
      label: 'My node',
      infrastructure: 'self-hosted',
      privacy: 'none',
      source: 'user',
      enabled: true,
    });
    expect(first?.id).toMatch(/^user:[0-9a-f]{8}$/);
  });

  it('infers provider and infrastructure for a recognised third-party URL', () => {
    const m = mergeRegistry(defaults, { version: 1, endpoints: [{ chainId: 1, url: 'https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef' }] });
    expect(m[1]?.[0]).toMatchObject({ provider: 'Infura', infrastructure: 'aws', privacy: 'limited', source: 'user' });
  });

  it('applies disabled (kept, switched off), enabled (tracking turned on) and hideTracking', () => {
    const m = mergeRegistry(defaults, { version: 1, disabledEndpoints: ['1:drpc'], enabledEndpoints: ['1:lava'] });
    expect(m[1]?.find((e) => e.id === '1:drpc')?.enabled).toBe(false);
    expect(m[1]?.find((e) => e.id === '1:lava')?.enabled).toBe(true);
    const hidden = mergeRegistry(defaults, { version: 1, enabledEndpoints: ['1:lava'], privacy: { hideTracking: true } });
    expect(Object.values(hidden).flat().some((e) => e.privacy === 'yes')).toBe(false);
  });

  it('disables own endpoints by URL as well as by id', () => {
    const url = 'http://127.0.0.1:8545';
    const m = mergeRegistry(defaults, { version: 1, endpoints: [{ chainId: 1, url }], disabledEndpoints: [`${url}/`] });
    expect(m[1]?.[0]).toMatchObject({ url, enabled: false });
  });

  it('applies per-chain order last, even above own endpoints', () => {
    const config: UserConfig = {
      version: 1,
      endpoints: [{ chainId: 1, url: 'http://127.0.0.1:8545' }],
      order: { '1': ['1:pocket', '1:drpc'], '424242': ['x'] },
    };
    const m = mergeRegistry(defaults, config);
    expect(ids(m[1]).slice(0, 3)).toEqual(['1:pocket', '1:drpc', userEndpointId(1, 'http://127.0.0.1:8545')]);
    expect(ids(m[1])).toHaveLength(defaults.filter((e) => e.chainId === 1).length + 1);
    expect(m[424242]).toBeUndefined();
  });

  it('replaces a default by the user entry with the same URL', () => {
    const m = mergeRegistry(defaults, { version: 1, endpoints: [{ chainId: 1, url: 'https://eth.drpc.org', label: 'Mine' }] });
    const drpc = (m[1] ?? []).filter((e) => e.url.startsWith('https://eth.drpc.org'));
    expect(drpc).toHaveLength(1);
    expect(drpc[0]).toMatchObject({ source: 'user', label: 'Mine' });
  });

  it('adds chains that only the user configures, and never mutates the defaults', () => {
    const before = JSON.stringify(defaults);
    const m = mergeRegistry(defaults, { version: 1, endpoints: [{ chainId: 2020, url: 'https://api.roninchain.com/rpc' }], disabledEndpoints: ['1:drpc'] });
    expect(ids(m[2020])).toHaveLength(1);
    expect(JSON.stringify(defaults)).toBe(before);
  });
});

describe('infrastructure corrections', () => {
  it('are applied by mergeRegistry, for defaults and own endpoints', () => {
    const url = 'https://node.example.com/rpc';
    const m = mergeRegistry(DEFAULT_ENDPOINTS, { version: 1, endpoints: [{ chainId: 1, url }], infrastructure: { '1:publicnode': 'aws', [url]: 'hetzner' } });
    expect(m[1]?.find((e) => e.id === '1:publicnode')?.infrastructure).toBe('aws');
    expect(m[1]?.find((e) => e.url === url)?.infrastructure).toBe('hetzner');
    expect(DEFAULT_ENDPOINTS.find((e) => e.id === '1:publicnode')?.infrastructure).toBe('unknown');
  });
});


describe('references to a default the user re-added under the same URL', () => {
  it('resolve to the user entry (order, disabled)', () => {
    const config: UserConfig = {
      version: 1,
      endpoints: [{ chainId: 1, url: 'https://eth.drpc.org', label: 'Mine' }],
      order: { '1': ['1:pocket', '1:drpc'], '56': ['1:drpc'] },
      disabledEndpoints: ['1:drpc'],
    };
    const m = mergeRegistry(DEFAULT_ENDPOINTS, config);
    expect(m[1]?.slice(0, 2).map((e) => [e.id, e.label, e.enabled])).toEqual([
      ['1:pocket', undefined, true],
      [userEndpointId(1, 'https://eth.drpc.org'), 'Mine', false],
    ]);
    // A cross-chain reference (rejected by validation) never moves an endpoint to another chain.
    expect(m[56]?.every((e) => e.chainId === 56)).toBe(true);
  });
});

describe('effectivePolicyOverrides', () => {
  it('layers chain overrides over global ones', () => {
    const config: UserConfig = { version: 1, policy: { lagToleranceBlocks: 5, probeIntervalSec: 60 }, chainPolicy: { '137': { lagToleranceBlocks: 20 } } };
    expect(effectivePolicyOverrides(config, 137)).toEqual({ lagToleranceBlocks: 20, probeIntervalSec: 60 });
    expect(effectivePolicyOverrides(config, 1)).toEqual({ lagToleranceBlocks: 5, probeIntervalSec: 60 });
    expect(effectivePolicyOverrides(undefined, 1)).toEqual({});
  });
});
