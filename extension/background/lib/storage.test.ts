import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PAGE_TRAFFIC } from '../../../src/policy/index';

// A stand-in for chrome.storage: two in-memory areas and the shared onChanged event.
type Listener = (changes: Record<string, { newValue?: unknown; oldValue?: unknown }>, area: string) => void;
function fakeChrome() {
  const listeners: Listener[] = [];
  const makeArea = (name: string) => {
    const data: Record<string, unknown> = {};
    return {
      data,
      failing: false,
      async get(this: { failing: boolean }, key: string) {
        if (this.failing) throw new Error('storage unavailable');
        return key in data ? { [key]: structuredClone(data[key]) } : {};
      },
      async set(this: { failing: boolean }, items: Record<string, unknown>) {
        if (this.failing) throw new Error('quota');
        const changes: Record<string, { newValue?: unknown }> = {};
        for (const [k, v] of Object.entries(items)) {
          data[k] = structuredClone(v);
          changes[k] = { newValue: structuredClone(v) };
        }
        for (const l of listeners) l(changes, name);
      },
    };
  };
  return { storage: { local: makeArea('local'), session: makeArea('session'), onChanged: { addListener: (l: Listener) => listeners.push(l) } } };
}

let chromeStub: ReturnType<typeof fakeChrome>;
let storage: typeof import('./storage');

beforeEach(async () => {
  chromeStub = fakeChrome();
  vi.stubGlobal('chrome', chromeStub);
  vi.resetModules();
  storage = await import('./storage');
});
afterEach(() => vi.unstubAllGlobals());

const plan = { ruleId: PAGE_TRAFFIC.ruleIdBase, url: 'https://rpc.example/key', chainId: 1, targetId: 't', targetUrl: 'https://ok.example', targetLabel: 'OK', since: 5, reason: 'HTTP 503 ×3' };

describe('stored values read back typed, never throwing', () => {
  it('a missing key reads as its default', async () => {
    expect(await storage.local.get('disabledSites')).toEqual([]);
    expect(await storage.local.get('notificationsEnabled')).toBe(true);
    expect(await storage.local.get('userConfig')).toBeNull();
    expect(await storage.session.get('chainsInUse')).toEqual({});
    expect(await storage.session.get('pageTraffic')).toBeNull();
    expect(await storage.session.get('activeRedirects')).toEqual([]);
  });

  it('a written value reads back as written', async () => {
    expect(await storage.local.set('disabledSites', ['https://a.example'])).toBe(true);
    expect(await storage.local.set('notificationsEnabled', false)).toBe(true);
    expect(await storage.local.get('disabledSites')).toEqual(['https://a.example']);
    expect(await storage.local.get('notificationsEnabled')).toBe(false);
    const published = [{ chainId: 1, from: 'https://rpc.example/***', to: 'OK', since: 5, reason: 'down' }];
    expect(await storage.session.setMany({ pageTraffic: { version: 1, tracker: { a: 1 }, redirects: [plan] }, activeRedirects: published })).toBe(true);
    expect(await storage.session.get('pageTraffic')).toEqual({ version: 1, tracker: { a: 1 }, redirects: [plan] });
    expect(await storage.session.get('activeRedirects')).toEqual(published);
  });

  it('corrupt values read as defaults, or keep only their well-formed parts', async () => {
    Object.assign(chromeStub.storage.local.data, { disabledSites: ['https://a.example', 7, null], notificationsEnabled: 'yes' });
    Object.assign(chromeStub.storage.session.data, {
      chainsInUse: { 1: 100, 56: 'soon' },
      activeRedirects: [{ chainId: 1, from: 'a', to: 'b', since: 1, reason: 'r' }, { chainId: '1' }, null, 'x'],
      pageTraffic: { version: 1, tracker: 't', redirects: [plan, { ...plan, ruleId: 1 }, { ...plan, url: 3 }] },
    });
    expect(await storage.local.get('disabledSites')).toEqual(['https://a.example']);
    expect(await storage.local.get('notificationsEnabled')).toBe(true);
    expect(await storage.session.get('chainsInUse')).toEqual({ 1: 100 });
    expect(await storage.session.get('activeRedirects')).toEqual([{ chainId: 1, from: 'a', to: 'b', since: 1, reason: 'r' }]);
    expect(await storage.session.get('pageTraffic')).toEqual({ version: 1, tracker: 't', redirects: [plan] });
    chromeStub.storage.session.data.pageTraffic = { version: 2, tracker: 't', redirects: [] };
    expect(await storage.session.get('pageTraffic')).toBeNull();
    chromeStub.storage.session.data.activeRedirects = { 0: { chainId: 1 } };
    expect(await storage.session.get('activeRedirects')).toEqual([]);
  });

  it('a storage that throws reads defaults and reports a failed write', async () => {
    chromeStub.storage.local.failing = true;
    expect(await storage.local.get('disabledSites')).toEqual([]);
    expect(await storage.local.set('disabledSites', ['x'])).toBe(false);
  });
});

describe('onChange', () => {
  it('gets the decoded new values of the watched keys in its own area only', async () => {
    const seen: unknown[] = [];
    storage.local.onChange(['disabledSites', 'userConfig'], (changed) => seen.push(changed));
    await storage.local.set('notificationsEnabled', false);
    await storage.session.set('episodes', {});
    await chromeStub.storage.local.set({ disabledSites: ['https://a.example', 1], notificationsEnabled: true });
    await storage.local.set('userConfig', { version: 1 });
    expect(seen).toEqual([{ disabledSites: ['https://a.example'] }, { userConfig: { version: 1 } }]);
  });
});
