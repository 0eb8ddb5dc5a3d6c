import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../registry/defaults.ts';
import { POLICY_KNOBS, POLICY_KNOB_NAMES } from './policy-overrides.ts';
import type { UserConfig } from './schema.ts';
import { parseUserConfig, serializeUserConfig } from './serialize.ts';
import { SMALLEST, errors, valid, warnings } from './test-support.ts';

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

describe('serializeUserConfig', () => {
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
