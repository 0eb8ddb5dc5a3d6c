import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cachedStatus, keepPageView, newerView, PAGE_VIEW_KEY, readPageView } from './cached-status';
import type { PopupStatus } from '../protocol/popup';
import { STATUS_POLICY } from '../../src/policy/index';

const NOW = 1_800_000_000_000;
const status = (over: Record<string, unknown> = {}) => ({
  generatedAt: NOW - 10_000, level: 'healthy', line: 'All providers healthy', badge: { color: [0, 0, 0, 255], text: '', title: 't' },
  chains: [], wallets: [], unguardable: [], services: [], timeline: [], findings: [], ...over,
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

describe("the popup's own last view (localStorage)", () => {
  const memory = () => {
    const items = new Map<string, string>();
    return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
  };

  it('round-trips through storage and is read only while recent', () => {
    const storage = memory();
    keepPageView(storage, status() as unknown as PopupStatus);
    expect(readPageView(storage, NOW)).toEqual(status());
    expect(readPageView(storage, NOW + STATUS_POLICY.popupCacheMaxAgeMs)).toBeNull();
  });

  it('garbage, a missing key or a throwing storage mean no early view, never an error', () => {
    expect(readPageView(memory(), NOW)).toBeNull();
    const storage = memory();
    storage.items.set(PAGE_VIEW_KEY, '{"line": "half a JSON');
    expect(readPageView(storage, NOW)).toBeNull();
    const broken = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(readPageView(broken, NOW)).toBeNull();
    expect(() => keepPageView(broken, status() as unknown as PopupStatus)).not.toThrow();
  });

  it('the newer view wins; a view is never replaced by an older or equally old one', () => {
    const older = status({ generatedAt: NOW - 20_000, line: 'older' }) as unknown as PopupStatus;
    const newer = status({ generatedAt: NOW - 5_000, line: 'newer' }) as unknown as PopupStatus;
    expect(newerView(null, older)).toBe(older);
    expect(newerView(older, null)).toBe(older);
    expect(newerView(older, newer)).toBe(newer);
    expect(newerView(newer, older)).toBe(newer);
    const sameAge = status({ generatedAt: newer.generatedAt, line: 'same age' }) as unknown as PopupStatus;
    expect(newerView(newer, sameAge)).toBe(newer);
  });
});
