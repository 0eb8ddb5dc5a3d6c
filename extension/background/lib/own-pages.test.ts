import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

let isOwnPage: typeof import('./own-pages').isOwnPage;

beforeEach(async () => {
  vi.stubGlobal('chrome', { runtime: { id: 'lifeline-id', getURL: (path: string) => `chrome-extension://lifeline-id/${path}` } });
  vi.resetModules();
  ({ isOwnPage } = await import('./own-pages'));
});
afterEach(() => vi.unstubAllGlobals());

describe('isOwnPage', () => {
  it("accepts Lifeline's popup and options pages", () => {
    expect(isOwnPage({ id: 'lifeline-id', url: 'chrome-extension://lifeline-id/extension/popup/index.html' })).toBe(true);
    expect(isOwnPage({ id: 'lifeline-id', url: 'chrome-extension://lifeline-id/extension/options/index.html' })).toBe(true);
  });

  it('refuses content scripts in tabs, other extensions and senders without a URL', () => {
    expect(isOwnPage({ id: 'lifeline-id', url: 'https://dapp.example/', tab: { id: 3 } as chrome.tabs.Tab })).toBe(false);
    expect(isOwnPage({ id: 'other-id', url: 'chrome-extension://other-id/page.html' })).toBe(false);
    expect(isOwnPage({ id: 'other-id', url: 'chrome-extension://lifeline-id/extension/popup/index.html' })).toBe(false);
    expect(isOwnPage({ id: 'lifeline-id' })).toBe(false);
    expect(isOwnPage({ id: 'lifeline-id', url: 'chrome-extension://lifeline-id.evil.example/' })).toBe(false);
  });
});
