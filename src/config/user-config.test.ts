import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../registry/defaults.ts';
import type { Endpoint } from '../types.ts';
import {
  POLICY_KNOBS,
  POLICY_KNOB_NAMES,
  effectivePolicyOverrides,
  formatIssue,
  mergeRegistry,
  parseUserConfig,
  serializeUserConfig,
  userEndpointId,
  validateUserConfig,
  type ConfigValidation,
  type UserConfig,
} from './user-config.ts';

function errors(r: ConfigValidation): string[] {
  return r.ok ? [] : r.errors.map(formatIssue);
}
function warnings(r: ConfigValidation): string[] {
  return r.warnings.map(formatIssue);
}
function valid(r: ConfigValidation): UserConfig {
  if (!r.ok) throw new Error(`expected valid config, got:\n${errors(r).join('\n')}`);
  return r.config;
}

const SMALLEST = '{"version": 1, "endpoints": [{"chainId": 1, "url": "http://127.0.0.1:8545", "label": "My node"}]}';

describe('parseUserConfig', () => {
  it('accepts the smallest documented file as written', () => {
    const r = parseUserConfig(SMALLEST);
    expect(valid(r)).toEqual({ version: 1, endpoints: [{ chainId: 1, url: 'http://127.0.0.1:8545', label: 'My node' }] });
    expect(r.warnings).toEqual([]);
  });

  it('accepts {"version": 1}', () => {
    expect(valid(parseUserConfig('{"version": 1}'))).toEqual({ version: 1 });
  });

  it('reports JSON syntax errors with line and column', () => {
    const r = parseUserConfig('{\n  "version": 1,\n}');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatchObject({ path: '', line: 2, column: 15 });
      expect(r.errors[0]?.message).toMatch(/^JSON syntax error at line 2, column 15: trailing comma/);
    }
  });
});

describe('validateUserConfig: errors', () => {
  it('rejects plain http to a non-loopback host with the exact reason', () => {
    const r = validateUserConfig({ version: 1, endpoints: [{ chainId: 1, url: 'http://node.example.com:8545' }] });
    expect(errors(r)).toEqual([
      'endpoints[0].url: must be https (http is allowed only for loopback hosts such as 127.0.0.1, localhost, [::1])',
    ]);
  });

  it.each(['http://127.0.0.1:8545', 'http://localhost:8545', 'http://[::1]:8545', 'http://127.1.2.3', 'http://geth.localhost'])(
    'allows http to loopback %s',
    (url) => {
      expect(valid(validateUserConfig({ version: 1, endpoints: [{ chainId: 1, url }] })).endpoints?.[0]?.url).toBe(url);
    },
  );

  it('returns ALL errors at once, each with a precise path', () => {
    const r = validateUserConfig({
      version: 1,
      colour: 'red',
      endpoints: [
        { chainId: 0, url: 'ftp://x' },
        { chainId: 1, url: 'https://user:pw@node.example.com' },
        { chainId: 1, url: 'https://polygon-rpc.com', lable: 'x' },
        'https://a.example',
        { chainId: 1, url: 'https://eth.example.com', infrastructure: 'aws-ish', privacy: 'maybe', label: '' },
      ],
      disabledEndpoints: 'all',
      order: { eth: ['1:drpc'] },
      policy: { hedgeDelayMinMs: 10, requestDeadlineMs: 1.5, speed: 3 },
      privacy: { hideTracking: 'yes', other: 1 },
    });
    expect(errors(r)).toEqual([
      'colour: unknown key; allowed: version, endpoints, disabledEndpoints, enabledEndpoints, order, infrastructure, policy, chainPolicy, privacy',
      'endpoints[0].chainId: must be a positive integer chain id (got a number 0)',
      'endpoints[0].url: must be https (got ftp:)',
      'endpoints[1].url: must not contain credentials (user:password@); browsers refuse to fetch such URLs — put the key in the path or query if the provider supports it',
      'endpoints[2].lable: unknown key (did you mean "label"?); allowed: chainId, url, label, infrastructure, privacy',
      'endpoints[2].url: is not usable: polygon-rpc.com ended public access on 2026-02-16',
      'endpoints[3]: must be an object like {"chainId": 1, "url": "https://…"} (got a string)',
      'endpoints[4].label: must be 1 to 64 characters',
      'endpoints[4].infrastructure: must be one of aws, gcp, azure, cloudflare, hetzner, ovh, decentralised, self-hosted, unknown (got "aws-ish")',
      'endpoints[4].privacy: must be one of none, limited, yes (got "maybe")',
      'disabledEndpoints: must be an array of endpoint ids (got a string)',
      'order["eth"]: key must be a decimal chain id such as "1" (got "eth")',
      'policy.hedgeDelayMinMs: must be between 50 and 5000 ms (got 10)',
      'policy.requestDeadlineMs: must be a whole number of ms (got 1.5)',
      expect.stringMatching(/^policy\.speed: unknown key; allowed: hedgeDelayMinMs, /),
      'privacy.other: unknown key; allowed: hideTracking',
      'privacy.hideTracking: must be true or false (got a string)',
    ]);
  });

  it('requires version and refuses other versions without judging the rest', () => {
    expect(errors(validateUserConfig({}))).toEqual(['version: required (use 1)']);
    expect(errors(validateUserConfig({ version: 2, whatever: true }))).toEqual([
      'version: unsupported version 2 (this Lifeline understands version 1)',
    ]);
    expect(errors(validateUserConfig({ version: '1' }))).toEqual([
      'version: unsupported version a string (this Lifeline understands version 1)',
    ]);
  });

  it('rejects non-object roots', () => {
    for (const v of [null, [], 1, 'x', true]) {
      expect(errors(validateUserConfig(v))[0]).toMatch(/^the configuration must be a JSON object/);
    }
  });

  it('rejects duplicate endpoints (same chain, same URL up to case and trailing slash)', () => {
    const r = validateUserConfig({
      version: 1,
      endpoints: [
        { chainId: 1, url: 'https://node.example.com/rpc' },
        { chainId: 1, url: 'https://NODE.example.com/rpc/' },
      ],
    });
    expect(errors(r)).toEqual(['endpoints[1].url: duplicate of endpoints[0] (same chain and URL)']);
  });

  it('rejects each denylisted family', () => {
    for (const url of [
      'https://eth-mainnet.public.blastapi.io',
      'https://rpc.ankr.com/eth',
      'https://eth.llamarpc.com',
      'https://eth-mainnet.rpc.grove.city/v1/01fdb492',
    ]) {
      expect(errors(validateUserConfig({ version: 1, endpoints: [{ chainId: 1, url }] }))[0]).toMatch(/^endpoints\[0\]\.url: is not usable: /);
    }
    // Ankr with the user's own key is fine.
    valid(validateUserConfig({ version: 1, endpoints: [{ chainId: 1, url: 'https://rpc.ankr.com/eth/0123456789abcdef0123' }] }));
  });

  it('rejects WebSocket URLs with a specific reason', () => {
    expect(errors(validateUserConfig({ version: 1, endpoints: [{ chainId: 1, url: 'wss://node.example.com' }] }))).toEqual([
      'endpoints[0].url: must be an http(s) JSON-RPC URL; WebSocket URLs are not supported',
    ]);
  });

  it('rejects a default URL filed under the wrong chain', () => {
    expect(errors(validateUserConfig({ version: 1, endpoints: [{ chainId: 1, url: 'https://bsc.drpc.org' }] }))).toEqual([
      'endpoints[0].chainId: https://bsc.drpc.org is the default endpoint 56:drpc for chain 56 (BNB Smart Chain), not chain 1 (Ethereum)',
    ]);
  });

  it('rejects cross-field policy contradictions, globally and per chain', () => {
    expect(errors(validateUserConfig({ version: 1, policy: { hedgeDelayMinMs: 800, hedgeDelayMaxMs: 400 } }))).toEqual([
      'policy.hedgeDelayMaxMs: must be at least hedgeDelayMinMs (400 < 800)',
    ]);
    expect(errors(validateUserConfig({ version: 1, policy: { requestDeadlineMs: 2000 }, chainPolicy: { '137': { hedgeDelayMaxMs: 2000 } } }))).toEqual([
      'policy.requestDeadlineMs: must be greater than hedgeDelayMaxMs (2000 ≤ 2000)',
    ]);
    expect(errors(validateUserConfig({ version: 1, chainPolicy: { mainnet: {} } }))).toEqual([
      'chainPolicy["mainnet"]: key must be a decimal chain id such as "1" (got "mainnet")',
    ]);
  });

  it('rejects order entries that belong to another chain, and duplicates', () => {
    expect(errors(validateUserConfig({ version: 1, order: { '1': ['56:drpc', '1:drpc', '1:drpc'] } }))).toEqual([
      'order["1"][2]: duplicate of order["1"][1]',
      'order["1"][0]: "56:drpc" belongs to chain 56 (BNB Smart Chain), not 1 (Ethereum)',
    ]);
  });

  it('rejects an endpoint both enabled and disabled', () => {
    expect(errors(validateUserConfig({ version: 1, disabledEndpoints: ['1:lava'], enabledEndpoints: ['1:lava'] }))).toEqual([
      'enabledEndpoints[0]: "1:lava" is also in disabledEndpoints; keep it in one list',
    ]);
  });
});

describe('validateUserConfig: warnings (valid config)', () => {
  it('warns about unknown ids instead of failing (the registry changes between versions)', () => {
    const r = validateUserConfig({ version: 1, disabledEndpoints: ['1:gone'], order: { '1': ['1:gone'] } });
    expect(r.ok).toBe(true);
    expect(warnings(r)).toEqual([
      'disabledEndpoints[0]: no endpoint "1:gone" (ignored; ids look like "1:drpc")',
      'order["1"][0]: no endpoint "1:gone" (ignored)',
    ]);
  });

  it('warns when a URL looks like another chain, a chain has no defaults, or a default is re-added', () => {
    const r = validateUserConfig({
      version: 1,
      endpoints: [
        { chainId: 1, url: 'https://polygon-mainnet.infura.io/v3/0123456789abcdef0123456789abcdef' },
        { chainId: 7777777, url: 'https://rpc.zora.energy' },
        { chainId: 1, url: 'https://eth.drpc.org/' },
      ],
      enabledEndpoints: ['1:drpc'],
    });
    expect(r.ok).toBe(true);
    expect(warnings(r)).toEqual([
      'endpoints[0].chainId: the URL looks like Infura for chain 137 (Polygon PoS), not chain 1 (Ethereum); Lifeline checks eth_chainId before using it',
      'endpoints[1].chainId: chain 7777777 has no default endpoints; only your own will be used for it',
      'endpoints[2].url: same as default endpoint 1:drpc; your entry replaces it and ranks first',
      'enabledEndpoints[0]: "1:drpc" is already enabled by default',
    ]);
  });
});

describe('validateUserConfig: properties', () => {
  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = validateUserConfig(v);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on config-shaped junk either', () => {
    const junk = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string(), fc.double());
    const shaped = fc.record(
      {
        version: fc.oneof(fc.constant(1), junk),
        endpoints: fc.oneof(fc.array(fc.record({ chainId: fc.oneof(fc.integer(), junk), url: fc.oneof(fc.webUrl(), junk), label: junk }, { requiredKeys: [] })), junk),
        disabledEndpoints: fc.oneof(fc.array(fc.oneof(fc.string(), junk)), junk),
        order: fc.oneof(fc.dictionary(fc.string(), fc.array(fc.string())), junk),
        policy: fc.oneof(fc.dictionary(fc.constantFrom(...POLICY_KNOB_NAMES, 'x'), fc.oneof(fc.double(), junk)), junk),
        chainPolicy: fc.oneof(fc.dictionary(fc.string(), junk), junk),
        privacy: fc.oneof(fc.record({ hideTracking: junk }), junk),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(shaped, (v) => {
      const r = validateUserConfig(v);
      if (!r.ok) for (const e of r.errors) expect(e.message.length).toBeGreaterThan(0);
    }), { numRuns: 500 });
    // ~2 s alone; a generous cap so a loaded CI machine does not fail it on vitest's 5 s default.
  }, 30_000);

  const knobValue = (name: (typeof POLICY_KNOB_NAMES)[number]) => {
    const k = POLICY_KNOBS[name];
    return k.integer ? fc.integer({ min: k.min, max: k.max }) : fc.double({ min: k.min, max: k.max, noNaN: true });
  };
  const endpointArb = fc.record(
    {
      chainId: fc.constantFrom(1, 10, 56, 137, 8453),
      url: fc.oneof(
        fc.stringMatching(/^[a-z]{1,12}$/).map((h) => `https://${h}.example.org/rpc`),
        fc.integer({ min: 1024, max: 65535 }).map((p) => `http://127.0.0.1:${p}`),
      ),
      label: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,20}[A-Za-z0-9]$/),
      infrastructure: fc.constantFrom('aws', 'gcp', 'self-hosted', 'unknown' as const),
      privacy: fc.constantFrom('none', 'limited', 'yes' as const),
    },
    { requiredKeys: ['chainId', 'url'] },
  );
  const validConfigArb: fc.Arbitrary<UserConfig> = fc
    .record(
      {
        endpoints: fc.uniqueArray(endpointArb, { selector: (e) => e.url, maxLength: 5 }),
        disabledEndpoints: fc.uniqueArray(fc.constantFrom(...DEFAULT_ENDPOINTS.filter((e) => e.enabled).map((e) => e.id)), { maxLength: 4 }),
        order: fc.constantFrom({}, { '1': ['1:pocket', '1:drpc'] }, { '137': ['137:1rpc'] }),
        infrastructure: fc.dictionary(fc.constantFrom('1:publicnode', '10:optimism', '56:bnbchain'), fc.constantFrom('aws', 'gcp', 'hetzner' as const)),
        policy: fc.record(Object.fromEntries(
          (['lagToleranceBlocks', 'probeIntervalSec', 'hedgeLatencyFactor', 'broadcastFanout'] as const).map((n) => [n, knobValue(n)]),
        ), { requiredKeys: [] }),
        privacy: fc.record({ hideTracking: fc.boolean() }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    )
    .map((c) => ({ version: 1 as const, ...c }) as UserConfig);

  it('serialize → parse round-trips every valid config', () => {
    fc.assert(
      fc.property(validConfigArb, (config) => {
        const r = parseUserConfig(serializeUserConfig(config));
        expect(valid(r)).toEqual(config);
        // And serialising again is byte-identical (stable output for diffs and storage).
        expect(serializeUserConfig(valid(r))).toBe(serializeUserConfig(config));
      }),
      { numRuns: 300 },
    );
  });
});

describe('mergeRegistry', () => {
  const defaults = DEFAULT_ENDPOINTS;
  const ids = (list: readonly Endpoint[] | undefined) => (list ?? []).map((e) => e.id);

  it('without config returns the defaults per chain, in order, unchanged', () => {
    const m = mergeRegistry(defaults);
    expect(ids(m[1])).toEqual(defaults.filter((e) => e.chainId === 1).map((e) => e.id));
    expect(Object.keys(m).map(Number).sort((a, b) => a - b)).toEqual([1, 10, 56, 100, 137, 8453, 42161, 43114, 11155111]);
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
      order: { '1': ['1:pocket', '1:drpc'], '999': ['x'] },
    };
    const m = mergeRegistry(defaults, config);
    expect(ids(m[1]).slice(0, 3)).toEqual(['1:pocket', '1:drpc', userEndpointId(1, 'http://127.0.0.1:8545')]);
    expect(ids(m[1])).toHaveLength(defaults.filter((e) => e.chainId === 1).length + 1);
    expect(m[999]).toBeUndefined();
  });

  it('replaces a default by the user entry with the same URL', () => {
    const m = mergeRegistry(defaults, { version: 1, endpoints: [{ chainId: 1, url: 'https://eth.drpc.org', label: 'Mine' }] });
    const drpc = (m[1] ?? []).filter((e) => e.url.startsWith('https://eth.drpc.org'));
    expect(drpc).toHaveLength(1);
    expect(drpc[0]).toMatchObject({ source: 'user', label: 'Mine' });
  });

  it('adds chains that only the user configures, and never mutates the defaults', () => {
    const before = JSON.stringify(defaults);
    const m = mergeRegistry(defaults, { version: 1, endpoints: [{ chainId: 7777777, url: 'https://rpc.zora.energy' }], disabledEndpoints: ['1:drpc'] });
    expect(ids(m[7777777])).toHaveLength(1);
    expect(JSON.stringify(defaults)).toBe(before);
  });

  it('ids are stable, and differ by chain and URL but not by trailing slash', () => {
    expect(userEndpointId(1, 'https://a.example/rpc')).toBe(userEndpointId(1, 'https://A.example/rpc/'));
    expect(userEndpointId(1, 'https://a.example/rpc')).not.toBe(userEndpointId(10, 'https://a.example/rpc'));
    expect(userEndpointId(1, 'https://a.example/rpc')).not.toBe(userEndpointId(1, 'https://b.example/rpc'));
  });
});

describe('infrastructure corrections', () => {
  it('validates values and warns about unknown endpoints', () => {
    const r = validateUserConfig({ version: 1, infrastructure: { '1:publicnode': 'aws', '1:nope': 'gcp', '1:drpc': 'moon' } });
    expect(errors(r)).toEqual(['infrastructure["1:drpc"]: must be one of aws, gcp, azure, cloudflare, hetzner, ovh, decentralised, self-hosted, unknown (got "moon")']);
    expect(warnings(r)).toEqual(['infrastructure["1:nope"]: no endpoint "1:nope" (ignored)']);
  });

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

describe('POLICY_KNOBS', () => {
  it('has sane bounds', () => {
    for (const [name, k] of Object.entries(POLICY_KNOBS)) {
      expect(k.min, name).toBeLessThan(k.max);
      expect(k.description.length, name).toBeGreaterThan(10);
    }
    // chrome.alarms cannot fire more often than every 30 s.
    expect(POLICY_KNOBS.probeIntervalSec.min).toBe(30);
  });
});

describe('docs/config.md', () => {
  it('its JSON examples are valid configs without warnings', async () => {
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
    const blocks = [...md.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const text of blocks) {
      const r = parseUserConfig(text);
      expect(errors(r), text).toEqual([]);
      expect(warnings(r), text).toEqual([]);
    }
  });
});
