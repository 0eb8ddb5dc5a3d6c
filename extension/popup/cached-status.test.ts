import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cachedStatus } from './cached-status';
import { STATUS_POLICY } from '../../src/policy';

const NOW = 1_800_000_000_000;
const status = (over: Record<string, unknown> = {}) => ({
  generatedAt: NOW - 10_000, level: 'healthy', line: 'All providers healthy', badge: { color: [0, 0, 0, 255], text: '', title: 't' },
  chains: [], wallets: [], unguardable: [], services: [], timeline: [], ...over,
});

describe('the popup status stored by the worker', () => {
  it('is shown when well-formed and recent', () => {
    expect(cachedStatus(status(), NOW)).toEqual(status());
  });

  it('is ignored when older than popupCacheMaxAgeMs or from the future', () => {
    expect(cachedStatus(status({ generatedAt: NOW - STATUS_POLICY.popupCacheMaxAgeMs - 1 }), NOW)).toBeNull();
    expect(cachedStatus(status({ generatedAt: NOW + 10 * 60_000 }), NOW)).toBeNull();
  });

  it('is ignored in any other shape (an older version, a partial write), never throws', () => {
    expect(cachedStatus(null, NOW)).toBeNull();
    expect(cachedStatus(status({ chains: {} }), NOW)).toBeNull();
    expect(cachedStatus(status({ line: 3 }), NOW)).toBeNull();
    fc.assert(fc.property(fc.anything(), (raw) => {
      const out = cachedStatus(raw, NOW);
      return out === null || (Array.isArray(out.chains) && typeof out.line === 'string');
    }));
  });
});
