import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildRule, diffRules, type RedirectPlan } from '../../src/page-traffic';
import { ownInitiatorDomain, requestSite, withoutNulls, hostAccess } from './browser';

describe('requestSite', () => {
  it("takes Chromium's initiator as is", () => {
    expect(requestSite({ initiator: 'https://app.example' })).toBe('https://app.example');
  });
  it("derives the origin from Firefox's originUrl", () => {
    expect(requestSite({ originUrl: 'https://app.example:8443/swap?x=1#y' })).toBe('https://app.example:8443');
  });
  it('keeps an extension page recognisable (its origin is opaque in Firefox)', () => {
    expect(requestSite({ originUrl: 'moz-extension://1234-abcd/_generated_background_page.html' })).toBe('moz-extension://1234-abcd');
  });
  it('gives undefined for no or unparseable origin', () => {
    expect(requestSite({})).toBeUndefined();
    expect(requestSite({ originUrl: 'not a url' })).toBeUndefined();
  });
});

describe('in a stubbed browser', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("ownInitiatorDomain is the host of Lifeline's pages: the id in Chromium, the UUID in Firefox", () => {
    vi.stubGlobal('chrome', { runtime: { id: 'abcdefgh', getURL: (p: string) => `chrome-extension://abcdefgh/${p}` } });
    expect(ownInitiatorDomain()).toBe('abcdefgh');
    vi.stubGlobal('browser', { runtime: { id: 'lifeline@example', getURL: (p: string) => `moz-extension://5f0e-77aa/${p}` } });
    expect(ownInitiatorDomain()).toBe('5f0e-77aa');
  });

  describe('hostAccess', () => {
    let contains: ReturnType<typeof vi.fn>;
    beforeEach(() => {
      contains = vi.fn();
      vi.stubGlobal('chrome', { runtime: { getURL: (p: string) => `chrome-extension://x/${p}` }, permissions: { contains } });
    });
    it('reports what the browser says', async () => {
      contains.mockResolvedValue(false);
      expect(await hostAccess()).toEqual({ granted: false });
      expect(contains).toHaveBeenCalledWith({ origins: ['<all_urls>'] });
    });
    it('counts a failing permissions API as granted, so nobody is nagged for nothing', async () => {
      contains.mockRejectedValue(new Error('no permissions API'));
      expect(await hostAccess()).toEqual({ granted: true });
    });
  });
});

describe('withoutNulls', () => {
  const plan: RedirectPlan = { ruleId: 5000, url: 'http://127.0.0.1:4000/v3/key', targetUrl: 'http://127.0.0.1:5000/', targetId: 't', targetLabel: 'T', chainId: 1, since: 0 } as RedirectPlan;

  it('lets an unchanged rule, as Firefox reports it back, stay as it is', () => {
    const rule = buildRule(plan, { extensionId: '5f0e-77aa', disabledSites: [] });
    // Firefox's getDynamicRules fills every key the rule does not use with null.
    const reported = {
      ...rule,
      condition: { ...rule.condition, regexFilter: null, initiatorDomains: null, requestDomains: null, tabIds: null, domainType: null },
      action: { ...rule.action, redirect: { ...rule.action.redirect, extensionPath: null, transform: null } },
    };
    const range = { base: 5000, size: 100 };
    expect(diffRules([reported], [rule], range).removeRuleIds).toEqual([5000]);
    expect(diffRules([withoutNulls(reported)], [rule], range)).toEqual({ removeRuleIds: [], addRules: [] });
  });
});
