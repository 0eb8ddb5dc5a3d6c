import { describe, expect, it } from 'vitest';
import { buildRule, diffRules, disabledDomains, planRedirects, publishRedirects, rankTargets, redirectEvents, type RedirectPlan, type TargetCandidate } from './rules';
import { chainFromUrl, isSafeTargetUrl, mayContact, networkClass } from './urls';

const PAGE = 'http://127.0.0.1:9001/';
const KEYED_PAGE = 'https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef';
const candidate = (over: Partial<TargetCandidate> & { id: string }): TargetCandidate => ({
  chainId: 1337,
  url: `http://127.0.0.1:${9100 + over.id.length}/`,
  label: over.id,
  enabled: true,
  state: 'healthy',
  source: 'user',
  chainVerified: true,
  ...over,
});
const A = candidate({ id: 'a', url: 'http://127.0.0.1:9101/', label: 'Fallback A', p50Ms: 30 });
const B = candidate({ id: 'b', url: 'http://127.0.0.1:9102/', label: 'Fallback B', p50Ms: 10 });
const RANGE = { ruleIdBase: 5000, maxRules: 3 };

describe('rankTargets', () => {
  it('only verified, healthy-or-degraded, safe endpoints of the same chain, never the page URL itself', () => {
    const all = [
      candidate({ id: 'other-chain', chainId: 1 }),
      candidate({ id: 'unverified', chainVerified: undefined }),
      candidate({ id: 'wrong', chainVerified: false }),
      candidate({ id: 'down', state: 'down' }),
      candidate({ id: 'unknown', state: 'unknown' }),
      candidate({ id: 'disabled', enabled: false }),
      candidate({ id: 'keyed', url: 'https://eth-mainnet.g.alchemy.com/v2/AbCdEf0123456789XyZ0123' }),
      candidate({ id: 'plain-http', url: 'http://rpc.example.org/' }),
      candidate({ id: 'self', url: PAGE }),
      A,
    ];
    expect(rankTargets(1337, PAGE, all, new Set()).map((c) => c.id)).toEqual(['a']);
  });

  it('healthy before degraded, own endpoints before defaults, then faster', () => {
    const list = [candidate({ id: 'slow-default', source: 'default', p50Ms: 1 }), candidate({ id: 'degraded', state: 'degraded', p50Ms: 1 }), A, B];
    expect(rankTargets(1337, PAGE, list, new Set()).map((c) => c.id)).toEqual(['b', 'a', 'slow-default', 'degraded']);
  });

  it('avoids URLs that are down as page endpoints themselves', () => {
    expect(rankTargets(1337, PAGE, [A, B], new Set(['http://127.0.0.1:9102'])).map((c) => c.id)).toEqual(['a']);
  });
});

describe('planRedirects', () => {
  const down = (url: string, chainId: number | undefined, since = 1) => ({ url, since, reason: 'HTTP 503 ×3', ...(chainId === undefined ? {} : { chainId }) });

  it('plans a redirect to the best target with a stable id from the range', () => {
    const plans = planRedirects({ now: 100, down: [down(PAGE, 1337)], candidates: [A, B], current: [], ...RANGE });
    expect(plans).toEqual([{ ruleId: 5000, url: PAGE, chainId: 1337, targetId: 'b', targetUrl: B.url, targetLabel: 'Fallback B', since: 100, reason: 'HTTP 503 ×3' }]);
  });

  it('no redirect while the chain is unknown or no target qualifies', () => {
    expect(planRedirects({ now: 1, down: [down(PAGE, undefined)], candidates: [A], current: [], ...RANGE })).toEqual([]);
    expect(planRedirects({ now: 1, down: [down(PAGE, 1)], candidates: [A], current: [], ...RANGE })).toEqual([]);
  });

  it('keeps the current target while it is as good as the best; moves when it degrades or goes down', () => {
    const [first] = planRedirects({ now: 1, down: [down(PAGE, 1337)], candidates: [A], current: [], ...RANGE });
    expect(first!.targetId).toBe('a');
    const kept = planRedirects({ now: 2, down: [down(PAGE, 1337)], candidates: [A, B], current: [first!], ...RANGE });
    expect(kept).toEqual([first]);
    const moved = planRedirects({ now: 3, down: [down(PAGE, 1337)], candidates: [{ ...A, state: 'degraded' }, B], current: [first!], ...RANGE });
    expect(moved).toEqual([{ ...first!, targetId: 'b', targetUrl: B.url, targetLabel: 'Fallback B' }]);
    const gone = planRedirects({ now: 4, down: [down(PAGE, 1337)], candidates: [{ ...A, state: 'down' }, B], current: [first!], ...RANGE });
    expect(gone[0]).toMatchObject({ ruleId: 5000, targetId: 'b', since: 1 });
  });

  it('rule ids stay with their URL, are reused after a redirect ends, and are bounded', () => {
    const urls = ['http://127.0.0.1:1/', 'http://127.0.0.1:2/', 'http://127.0.0.1:3/', 'http://127.0.0.1:4/'];
    const plans = planRedirects({ now: 1, down: urls.map((u, i) => down(u, 1337, i)), candidates: [A], current: [], ...RANGE });
    expect(plans.map((p) => [p.url, p.ruleId])).toEqual([[urls[0], 5000], [urls[1], 5001], [urls[2], 5002]]);
    // The first recovers; the fourth gets its id; the others keep theirs.
    const next = planRedirects({ now: 2, down: urls.slice(1).map((u, i) => down(u, 1337, i + 1)), candidates: [A], current: plans, ...RANGE });
    expect(next.map((p) => [p.url, p.ruleId])).toEqual([[urls[3], 5000], [urls[1], 5001], [urls[2], 5002]]);
  });
});

describe('buildRule', () => {
  const plan: RedirectPlan = { ruleId: 5000, url: PAGE, chainId: 1337, targetId: 'a', targetUrl: A.url, targetLabel: 'A', since: 1, reason: 'x' };

  it('redirects exactly this URL’s POSTs from fetch/XHR, never Lifeline’s own requests nor switched-off sites', () => {
    expect(buildRule(plan, { extensionId: 'abcdefghijklmnop', disabledSites: ['http://localhost:3000', 'https://App.Example.org'] })).toEqual({
      id: 5000,
      priority: 1,
      action: { type: 'redirect', redirect: { url: A.url } },
      condition: {
        urlFilter: `|${PAGE}|`,
        isUrlFilterCaseSensitive: true,
        requestMethods: ['post'],
        resourceTypes: ['xmlhttprequest', 'other'],
        excludedInitiatorDomains: ['abcdefghijklmnop', 'app.example.org', 'localhost'],
      },
    });
  });

  it('uses an anchored, escaped regex when the URL holds urlFilter syntax', () => {
    const rule = buildRule({ ...plan, url: 'https://rpc.example.org/a*b?x=^1' }, { extensionId: 'id', disabledSites: [] });
    expect(rule.condition.urlFilter).toBeUndefined();
    expect(rule.condition.regexFilter).toBe('^https://rpc\\.example\\.org/a\\*b\\?x=\\^1$');
  });

  it('disabledDomains: hosts of http(s) origins, deduplicated, no IPv6 literals or junk', () => {
    expect(disabledDomains(['http://localhost:1', 'http://localhost:2', 'http://[::1]:3', 'chrome-extension://x', 'not a url', 'https://a.example/'])).toEqual(['a.example', 'localhost']);
  });
});

describe('diffRules', () => {
  const plan: RedirectPlan = { ruleId: 5000, url: PAGE, chainId: 1337, targetId: 'a', targetUrl: A.url, targetLabel: 'A', since: 1, reason: 'x' };
  const ctx = { extensionId: 'ext', disabledSites: [] };
  const range = { base: 5000, size: 50 };
  const rule = buildRule(plan, ctx);

  it('adds what is missing, keeps what is identical (as chrome returns it), removes leftovers', () => {
    expect(diffRules([], [rule], range)).toEqual({ removeRuleIds: [], addRules: [rule] });
    // Chrome may return the lists in another order: still identical.
    const returned = { ...rule, condition: { ...rule.condition, resourceTypes: ['other', 'xmlhttprequest'] } };
    expect(diffRules([returned], [rule], range)).toEqual({ removeRuleIds: [], addRules: [] });
    expect(diffRules([rule, { ...rule, id: 5007 }], [rule], range)).toEqual({ removeRuleIds: [5007], addRules: [] });
    expect(diffRules([rule], [], range)).toEqual({ removeRuleIds: [5000], addRules: [] });
  });

  it('replaces a changed rule atomically under the same id', () => {
    const changed = buildRule({ ...plan, targetUrl: B.url }, ctx);
    expect(diffRules([rule], [changed], range)).toEqual({ removeRuleIds: [5000], addRules: [changed] });
    const moreExcluded = buildRule(plan, { ...ctx, disabledSites: ['http://localhost:1'] });
    expect(diffRules([rule], [moreExcluded], range)).toEqual({ removeRuleIds: [5000], addRules: [moreExcluded] });
  });

  it('never touches rules outside its range', () => {
    expect(diffRules([{ id: 1 }, { id: 4999 }, { id: 5050 }], [], range)).toEqual({ removeRuleIds: [], addRules: [] });
  });
});

describe('events and published redirects', () => {
  const p1: RedirectPlan = { ruleId: 5000, url: KEYED_PAGE, chainId: 1, targetId: 'a', targetUrl: A.url, targetLabel: 'PublicNode', since: 1, reason: 'HTTP 503 ×3' };

  it('start, update and end, with the page URL’s key masked', () => {
    const end = () => 'recovered';
    const update = (prev: RedirectPlan) => `${prev.targetLabel} down`;
    const started = redirectEvents([], [p1], 10, end, update);
    expect(started).toEqual([{ at: 10, kind: 'redirect-start', chainId: 1, from: 'https://mainnet.infura.io/v3/***', to: 'PublicNode', reason: 'HTTP 503 ×3' }]);
    const p2 = { ...p1, targetId: 'b', targetUrl: B.url, targetLabel: 'dRPC' };
    expect(redirectEvents([p1], [p2], 20, end, update)).toEqual([{ at: 20, kind: 'redirect-update', chainId: 1, from: 'https://mainnet.infura.io/v3/***', to: 'dRPC', reason: 'PublicNode down' }]);
    expect(redirectEvents([p2], [p2], 25, end, update)).toEqual([]);
    expect(redirectEvents([p2], [], 30, end, update)).toEqual([{ at: 30, kind: 'redirect-end', chainId: 1, from: 'https://mainnet.infura.io/v3/***', to: 'dRPC', reason: 'recovered' }]);
    expect(JSON.stringify(publishRedirects([p1]))).not.toContain('0123456789abcdef');
  });
});

describe('urls', () => {
  it('networkClass', () => {
    expect(['127.0.0.1', 'localhost', '[::1]', '10.1.2.3', '192.168.0.1', '172.20.0.1', 'router', 'nas.local', 'rpc.example.org', '8.8.8.8'].map(networkClass)).toEqual([
      'loopback', 'loopback', 'loopback', 'private', 'private', 'private', 'private', 'private', 'public', 'public',
    ]);
  });

  it('mayContact: public hosts always; this machine and the LAN only from pages there', () => {
    expect(mayContact('https://rpc.example.org/', 'https://app.example', 2048)).toBe(true);
    expect(mayContact('http://127.0.0.1:8545/', 'http://127.0.0.1:3000', 2048)).toBe(true);
    expect(mayContact('http://127.0.0.1:8545/', 'http://localhost:3000', 2048)).toBe(true);
    expect(mayContact('http://127.0.0.1:8545/', 'https://evil.example', 2048)).toBe(false);
    expect(mayContact('http://192.168.1.1/', 'https://evil.example', 2048)).toBe(false);
    expect(mayContact('http://192.168.1.5:8545/', 'http://192.168.1.5', 2048)).toBe(true);
    expect(mayContact('http://127.0.0.1:8545/', undefined, 2048)).toBe(false);
    expect(mayContact('ftp://rpc.example.org/', 'https://app.example', 2048)).toBe(false);
    expect(mayContact('https://user:pw@rpc.example.org/', 'https://app.example', 2048)).toBe(false);
    expect(mayContact(`https://rpc.example.org/${'a'.repeat(3000)}`, 'https://app.example', 2048)).toBe(false);
  });

  it('chainFromUrl: recognised providers name their chain; body-routed APIs are skipped', () => {
    expect(chainFromUrl(KEYED_PAGE)).toEqual({ skip: false, chainId: 1 });
    expect(chainFromUrl('https://api.rabby.io/v1/wallet/eth_rpc')).toEqual({ skip: true });
    expect(chainFromUrl('http://127.0.0.1:8545/')).toEqual({ skip: false });
  });

  it('isSafeTargetUrl: https or loopback, and never a URL carrying a key', () => {
    expect(isSafeTargetUrl('https://ethereum-rpc.publicnode.com')).toBe(true);
    expect(isSafeTargetUrl('http://127.0.0.1:8545/')).toBe(true);
    expect(isSafeTargetUrl('http://rpc.example.org/')).toBe(false);
    expect(isSafeTargetUrl(KEYED_PAGE)).toBe(false);
    expect(isSafeTargetUrl('https://rpc.example.org/?apikey=abc')).toBe(false);
  });
});
