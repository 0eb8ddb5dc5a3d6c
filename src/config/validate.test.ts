import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLICY_KNOB_NAMES } from './policy-overrides.ts';
import { errors, valid, warnings } from './test-support.ts';
import { validateUserConfig } from './validate.ts';

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
      'colour: unknown key; allowed: version, endpoints, disabledEndpoints, enabledEndpoints, order, infrastructure, policy, chainPolicy, privacy, verification',
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
        { chainId: 2020, url: 'https://api.roninchain.com/rpc' },
        { chainId: 1, url: 'https://eth.drpc.org/' },
      ],
      enabledEndpoints: ['1:drpc'],
    });
    expect(r.ok).toBe(true);
    expect(warnings(r)).toEqual([
      'endpoints[0].chainId: the URL looks like Infura for chain 137 (Polygon), not chain 1 (Ethereum); Lifeline checks eth_chainId before using it',
      'endpoints[1].chainId: chain 2020 has no default endpoints; only your own will be used for it',
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
});

describe('infrastructure corrections', () => {
  it('validates values and warns about unknown endpoints', () => {
    const r = validateUserConfig({ version: 1, infrastructure: { '1:publicnode': 'aws', '1:nope': 'gcp', '1:drpc': 'moon' } });
    expect(errors(r)).toEqual(['infrastructure["1:drpc"]: must be one of aws, gcp, azure, cloudflare, hetzner, ovh, decentralised, self-hosted, unknown (got "moon")']);
    expect(warnings(r)).toEqual(['infrastructure["1:nope"]: no endpoint "1:nope" (ignored)']);
  });
});

describe('validateUserConfig: verification mode', () => {
  it('accepts off, relayed and all, and names the choices for anything else', () => {
    for (const mode of ['off', 'relayed', 'all'] as const) {
      const checked = validateUserConfig({ version: 1, verification: mode });
      expect(checked.ok && checked.config.verification).toBe(mode);
    }
    const bad = validateUserConfig({ version: 1, verification: 'sometimes' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual(['verification']);
  });
});
