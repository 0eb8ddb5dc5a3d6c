import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTS } from '../registry/defaults.ts';
import type { Endpoint } from '../types.ts';
import {
  addUserEndpoint,
  editableConfig,
  moveEndpoint,
  parseChainIdInput,
  removeUserEndpoint,
  setEndpointEnabled,
  tidyUserConfig,
} from './endpoint-edits.ts';
import { mergeRegistry } from './merge.ts';
import type { UserConfig } from './schema.ts';
import { errors } from './test-support.ts';
import { userEndpointId } from './user-endpoints.ts';
import { validateUserConfig } from './validate.ts';

/** Chain 1 as the options page shows it for a config (what the worker would answer). */
const shown = (config: UserConfig | null): Endpoint[] => mergeRegistry(DEFAULT_ENDPOINTS, config ? tidyUserConfig(config) : undefined)[1] ?? [];
const ids = (list: readonly Endpoint[]) => list.map((e) => e.id);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

const DEFAULTS_1 = DEFAULT_ENDPOINTS.filter((e) => e.chainId === 1);
const TRACKING_1 = DEFAULTS_1.filter((e) => !e.enabled).map((e) => e.id);

/**
 * Valid configs for chain 1: own loopback nodes, some endpoints switched off, tracking ones
 * possibly on or hidden, and an explicit order; references by id or by URL, as users write them.
 */
const configArb: fc.Arbitrary<UserConfig> = fc
  .uniqueArray(fc.integer({ min: 1024, max: 65535 }), { maxLength: 3 })
  .chain((ports) => {
    const own = ports.map((p) => ({ chainId: 1, url: `http://127.0.0.1:${p}` }));
    const all = [...own.map((e) => ({ id: userEndpointId(1, e.url), url: e.url })), ...DEFAULTS_1];
    /** Some of `pool`, shuffled, each named by id or by URL. */
    const refsOf = (pool: readonly { id: string; url: string }[]): fc.Arbitrary<string[]> =>
      fc.shuffledSubarray([...pool]).chain((picked) =>
        fc.array(fc.boolean(), { minLength: picked.length, maxLength: picked.length })
          .map((byUrl) => picked.map((e, i) => (byUrl[i] ? e.url : e.id))));
    return fc.record({
      own: fc.constant(own),
      disabled: refsOf(all.filter((e) => !TRACKING_1.includes(e.id))),
      enableTracking: fc.boolean(),
      order: refsOf(all),
      hideTracking: fc.boolean(),
    });
  })
  .map(({ own, disabled, enableTracking, order, hideTracking }) => {
    const config: UserConfig = { version: 1 };
    if (own.length) config.endpoints = own;
    if (disabled.length) config.disabledEndpoints = disabled;
    if (enableTracking) config.enabledEndpoints = [...TRACKING_1];
    if (order.length) config.order = { '1': order };
    if (hideTracking) config.privacy = { hideTracking };
    return config;
  });

describe('editableConfig and tidyUserConfig', () => {
  it('a missing config edits as an empty one; a stored one is copied, not shared', () => {
    expect(editableConfig(null)).toEqual({ version: 1 });
    const stored: UserConfig = { version: 1, order: { '1': ['1:drpc'] } };
    const copy = editableConfig(stored);
    copy.order!['1']!.push('1:pocket');
    expect(stored.order?.['1']).toEqual(['1:drpc']);
  });

  it('drops empty lists and maps, keeps everything else, and leaves its input alone', () => {
    const messy: UserConfig = deepFreeze({
      version: 1,
      endpoints: [],
      disabledEndpoints: [],
      enabledEndpoints: ['1:lava'],
      order: { '1': [], '10': ['10:optimism'] },
      infrastructure: {},
      policy: {},
      chainPolicy: { '137': {}, '1': { probeIntervalSec: 60 } },
      privacy: {},
    });
    expect(tidyUserConfig(messy)).toEqual({
      version: 1,
      enabledEndpoints: ['1:lava'],
      order: { '10': ['10:optimism'] },
      chainPolicy: { '1': { probeIntervalSec: 60 } },
    });
    expect(tidyUserConfig({ version: 1, order: { '1': [] }, chainPolicy: { '1': {} } })).toEqual({ version: 1 });
  });
});

describe('parseChainIdInput', () => {
  it('accepts positive decimal whole numbers, with surrounding spaces', () => {
    expect(parseChainIdInput('1')).toBe(1);
    expect(parseChainIdInput(' 8453 ')).toBe(8453);
  });
  it.each(['', '0', '-1', '1.5', '0x1', '01', '1e3', 'eth', '99999999999999999999'])('refuses %j', (text) => {
    expect(parseChainIdInput(text)).toBeNull();
  });
});

describe('addUserEndpoint', () => {
  it('appends the entry after existing own endpoints, label trimmed or left out', () => {
    const stored: UserConfig = deepFreeze({ version: 1, endpoints: [{ chainId: 1, url: 'http://127.0.0.1:8545' }] });
    expect(addUserEndpoint(stored, { chainId: 10, url: 'https://op.example.org', label: '  Mine ' }).endpoints).toEqual([
      { chainId: 1, url: 'http://127.0.0.1:8545' },
      { chainId: 10, url: 'https://op.example.org', label: 'Mine' },
    ]);
    expect(addUserEndpoint(null, { chainId: 1, url: 'http://127.0.0.1:8545', label: '   ' })).toEqual({
      version: 1,
      endpoints: [{ chainId: 1, url: 'http://127.0.0.1:8545' }],
    });
  });

  it('the added endpoint is listed on its chain after the own endpoints already there', () => {
    const stored: UserConfig = { version: 1, endpoints: [{ chainId: 1, url: 'http://127.0.0.1:8545' }] };
    const list = shown(addUserEndpoint(stored, { chainId: 1, url: 'http://127.0.0.1:8546' }));
    expect(ids(list).slice(0, 3)).toEqual([userEndpointId(1, 'http://127.0.0.1:8545'), userEndpointId(1, 'http://127.0.0.1:8546'), DEFAULTS_1[0]!.id]);
  });
});

describe('removeUserEndpoint', () => {
  it('removes the entry and every reference to it by id or URL', () => {
    const url = 'http://127.0.0.1:8545';
    const id = userEndpointId(1, url);
    const stored: UserConfig = deepFreeze({
      version: 1,
      endpoints: [{ chainId: 1, url }, { chainId: 1, url: 'http://127.0.0.1:8546' }],
      disabledEndpoints: [id, '1:drpc'],
      order: { '1': ['1:pocket', url] },
      infrastructure: { [url]: 'hetzner', '1:publicnode': 'aws' },
    });
    expect(removeUserEndpoint(stored, { id, url })).toEqual({
      version: 1,
      endpoints: [{ chainId: 1, url: 'http://127.0.0.1:8546' }],
      disabledEndpoints: ['1:drpc'],
      order: { '1': ['1:pocket'] },
      infrastructure: { '1:publicnode': 'aws' },
    });
  });

  it('property: the endpoint is gone and every other endpoint keeps its place and its state', () => {
    fc.assert(
      fc.property(configArb, fc.nat(), (stored, pick) => {
        deepFreeze(stored);
        const before = shown(stored);
        const own = before.filter((e) => e.source === 'user');
        fc.pre(own.length > 0);
        const gone = own[pick % own.length]!;
        const next = removeUserEndpoint(stored, gone);
        expect(errors(validateUserConfig(tidyUserConfig(next)))).toEqual([]);
        expect(shown(next)).toEqual(before.filter((e) => e !== gone));
        const refs = [...(next.disabledEndpoints ?? []), ...(next.enabledEndpoints ?? []), ...Object.values(next.order ?? {}).flat(), ...Object.keys(next.infrastructure ?? {})];
        expect(refs).not.toContain(gone.id);
        expect(refs).not.toContain(gone.url);
      }),
      { numRuns: 300 },
    );
    // Well under a second alone; a generous cap so a loaded machine does not fail it on the 5 s default.
  }, 30_000);
});

describe('setEndpointEnabled', () => {
  it('off lists the id in disabledEndpoints; on removes it (by id or URL) and keeps order and infrastructure', () => {
    const url = 'http://127.0.0.1:8545';
    const id = userEndpointId(1, url);
    const stored: UserConfig = deepFreeze({ version: 1, endpoints: [{ chainId: 1, url }], order: { '1': ['1:drpc', url] }, infrastructure: { [url]: 'hetzner' } });
    const off = setEndpointEnabled(stored, { id, url, source: 'user' }, false);
    expect(off).toEqual({ ...stored, disabledEndpoints: [id] });
    const offByUrl: UserConfig = { ...stored, disabledEndpoints: [url, '1:drpc'] };
    expect(setEndpointEnabled(offByUrl, { id, url, source: 'user' }, true)).toEqual({ ...stored, disabledEndpoints: ['1:drpc'] });
  });

  it('switching on a default that is off by default (it tracks users) lists it in enabledEndpoints', () => {
    const lava = DEFAULTS_1.find((e) => e.id === '1:lava')!;
    expect(lava.enabled).toBe(false);
    expect(setEndpointEnabled(null, lava, true)).toEqual({ version: 1, enabledEndpoints: ['1:lava'] });
    expect(setEndpointEnabled({ version: 1, enabledEndpoints: ['1:lava'] }, lava, false)).toEqual({ version: 1, enabledEndpoints: [], disabledEndpoints: ['1:lava'] });
    // A default that is on by default needs no entry to be on.
    const drpc = DEFAULTS_1.find((e) => e.id === '1:drpc')!;
    expect(setEndpointEnabled({ version: 1, disabledEndpoints: ['1:drpc'] }, drpc, true)).toEqual({ version: 1, disabledEndpoints: [] });
  });

  it('asks the given registry whether a default is off by default', () => {
    const drpc = DEFAULTS_1.find((e) => e.id === '1:drpc')!;
    const registry = DEFAULT_ENDPOINTS.map((e) => (e.id === '1:drpc' ? { ...e, enabled: false } : e));
    expect(setEndpointEnabled(null, drpc, true, registry)).toEqual({ version: 1, enabledEndpoints: ['1:drpc'] });
  });

  it('property: only that endpoint changes state; the list order and everything else stay', () => {
    fc.assert(
      fc.property(configArb, fc.nat(), fc.boolean(), (stored, pick, enabled) => {
        deepFreeze(stored);
        const before = shown(stored);
        const target = before[pick % before.length]!;
        const next = setEndpointEnabled(stored, target, enabled);
        expect(errors(validateUserConfig(tidyUserConfig(next)))).toEqual([]);
        expect(shown(next)).toEqual(before.map((e) => (e === target ? { ...e, enabled } : e)));
        expect(next.order).toEqual(stored.order);
        expect(next.endpoints).toEqual(stored.endpoints);
      }),
      { numRuns: 300 },
    );
    // Well under a second alone; a generous cap so a loaded machine does not fail it on the 5 s default.
  }, 30_000);
});

describe('moveEndpoint', () => {
  it('stores the shortest order prefix that yields the new list', () => {
    const list = shown(null);
    expect(ids(list).slice(0, 3)).toEqual(['1:publicnode', '1:drpc', '1:pocket']);
    const up = moveEndpoint(null, 1, list, 1, -1);
    expect(up).toEqual({ version: 1, order: { '1': ['1:drpc', '1:publicnode'] } });
    // Moving further down extends the prefix only as far as needed.
    const down = moveEndpoint(up, 1, shown(up), 1, 1);
    expect(down).toEqual({ version: 1, order: { '1': ['1:drpc', '1:pocket', '1:publicnode'] } });
  });

  it('has no neighbour beyond either end of the list', () => {
    const list = shown(null);
    expect(moveEndpoint(null, 1, list, 0, -1)).toBeNull();
    expect(moveEndpoint(null, 1, list, list.length - 1, 1)).toBeNull();
    expect(moveEndpoint(null, 1, list, list.length, -1)).toBeNull();
    expect(moveEndpoint(null, 1, [], 0, 1)).toBeNull();
  });

  it('keeps order entries of endpoints not shown right now (hidden tracking ones) after the prefix', () => {
    const stored: UserConfig = { version: 1, order: { '1': ['1:lava', '1:pocket'] }, privacy: { hideTracking: true } };
    const list = shown(stored);
    expect(ids(list)[0]).toBe('1:pocket');
    expect(moveEndpoint(stored, 1, list, 1, -1)?.order?.['1']).toEqual([ids(list)[1], '1:pocket', '1:lava']);
  });

  it('leaves the order of other chains alone', () => {
    const stored: UserConfig = { version: 1, order: { '10': ['10:optimism'] } };
    expect(moveEndpoint(stored, 1, shown(stored), 1, -1)?.order).toEqual({ '10': ['10:optimism'], '1': ['1:drpc', '1:publicnode'] });
  });

  it('property: a move swaps the endpoint with its neighbour and never loses or duplicates one', () => {
    fc.assert(
      fc.property(configArb, fc.nat(), fc.constantFrom(-1 as const, 1 as const), (stored, pick, delta) => {
        deepFreeze(stored);
        const before = shown(stored);
        const index = pick % before.length;
        const next = moveEndpoint(stored, 1, before, index, delta);
        const target = index + delta;
        if (target < 0 || target >= before.length) {
          expect(next).toBeNull();
          return;
        }
        expect(next).not.toBeNull();
        expect(errors(validateUserConfig(tidyUserConfig(next!)))).toEqual([]);
        const after = ids(shown(next));
        const expected = ids(before);
        [expected[index], expected[target]] = [expected[target]!, expected[index]!];
        expect(after).toEqual(expected);
        expect([...after].sort()).toEqual(ids(before).sort());
        expect(new Set(after).size).toBe(after.length);
        // Moving it back restores the list.
        const back = moveEndpoint(next, 1, shown(next), target, delta === 1 ? -1 : 1);
        expect(ids(shown(back))).toEqual(ids(before));
      }),
      { numRuns: 300 },
    );
    // Well under a second alone; a generous cap so a loaded machine does not fail it on the 5 s default.
  }, 30_000);
});
