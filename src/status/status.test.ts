import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointView } from '../health/tracker.ts';
import type { WalletChainHealth } from '../wallet/health.ts';
import { assessChain, servingEndpoint, type ChainAssessment } from './assess.ts';
import { worstTruth } from './worst-truth.ts';
import { emptyEpisodes, stepEpisodes, stepTransitions } from './episodes.ts';
import { latencyChart, restoreLatency, roundScale, sameLatency, sampleLatency, type LatencyHistory } from './latency.ts';
import { applyResult, classifyObservation, combineResults, dueServices, initialStatuses, resolveCheckUrls, SERVICES, serviceEvents, type ServiceStatus } from './services.ts';
import { addChainParams, needsRepair, repairOffer } from './repair.ts';
import { CHAINS } from '../registry/chains.ts';
import { defaultEndpointsForChain } from '../registry/defaults.ts';
import { buildPopupStatus, describeEvent } from './view.ts';
import { SERVICES_POLICY, STATUS_POLICY } from '../policy/index.ts';
import { parseRetryAfter } from '../rpc/jsonrpc.ts';

const ep = (id: string, chainId: number, label: string, state: EndpointView['state'], extra: Partial<EndpointView> = {}): EndpointView => ({
  id, chainId, label, provider: label, url: `https://${id.replace(':', '-')}.example`, infrastructure: 'unknown', source: 'default', enabled: true,
  state, reason: state === 'down' ? 'HTTP 503 ×3' : 'p50 80 ms', breaker: state === 'down' ? 'open' : 'closed', ...extra,
} as EndpointView);

const wallet = (over: Partial<WalletChainHealth> = {}): WalletChainHealth => ({
  wallet: { name: 'MetaMask', rdns: 'io.metamask' }, chainId: 1, answered: 5, failed: 0, servedByLifeline: 0, failuresByClass: {},
  latencyP50Ms: 90, failingSince: null, lastFailure: null, lastSeen: 1_000, ...over,
});

const NOW = 1_000_000;
/** The headline and badge of chains assessed from these endpoints (no wallets or services). */
const truthOf = (pairs: Array<[ChainAssessment, EndpointView[]]>) =>
  worstTruth({ now: NOW, assessments: pairs.map(([a]) => a), endpoints: pairs.flatMap(([, e]) => e), wallets: [], services: [] });
const overallStatus = (assessments: ChainAssessment[], endpoints: EndpointView[] = []) =>
  worstTruth({ now: NOW, assessments, endpoints, wallets: [], services: [] });
const opts = (o: Partial<{ inUse: boolean; wallets: WalletChainHealth[]; now: number }> = {}) => ({ inUse: true, wallets: [], redirects: [], now: NOW, ...o });

describe('status line and badge', () => {
  it('says all providers healthy when every chain in use is healthy', () => {
    const list = [ep('1:infura', 1, 'Infura', 'healthy'), ep('1:pn', 1, 'PublicNode', 'healthy')];
    const a = assessChain(1, list, opts());
    expect(a.level).toBe('healthy');
    const truth = truthOf([[a, list]]);
    expect(truth.line).toBe('All providers healthy');
    expect(truth.badge).toEqual({ text: '', color: '#15803d', title: 'Lifeline: All providers healthy' });
  });

  it('names the failed primary and the endpoint in use', () => {
    const list = [ep('1:infura', 1, 'Infura', 'down'), ep('1:pn', 1, 'PublicNode', 'healthy')];
    const a = assessChain(1, list, opts());
    expect(truthOf([[a, list]]).line).toBe('Failover active on Ethereum: Infura down, using PublicNode');
    expect(truthOf([[a, list]]).badge).toMatchObject({ text: '1', color: '#d97706' });
  });

  it('reports a wallet whose own RPC fails while Lifeline serves its reads', () => {
    const w = wallet({ wallet: { name: 'Rabby Wallet', rdns: 'io.rabby' }, failingSince: NOW - 5_000, lastSeen: NOW, failed: 3, servedByLifeline: 3 });
    const a = assessChain(1, [ep('1:pn', 1, 'PublicNode', 'healthy')], opts({ wallets: [w] }));
    expect(overallStatus([a]).line).toBe("Failover active on Ethereum: Rabby Wallet's RPC failing, Lifeline serving reads via PublicNode");
  });

  it('ignores stale wallet failures', () => {
    const w = wallet({ failingSince: 0, lastSeen: NOW - STATUS_POLICY.walletEvidenceMaxAgeMs - 1 });
    expect(assessChain(1, [ep('1:pn', 1, 'PublicNode', 'healthy')], opts({ wallets: [w] })).level).toBe('healthy');
  });

  it('says which chain has no healthy endpoint, and the badge turns red', () => {
    const baseList = [ep('8453:a', 8453, 'A', 'down'), ep('8453:b', 8453, 'B', 'down')];
    const ethList = [ep('1:infura', 1, 'Infura', 'down'), ep('1:pn', 1, 'PublicNode', 'healthy')];
    const base = assessChain(8453, baseList, opts());
    const eth = assessChain(1, ethList, opts());
    const truth = truthOf([[eth, ethList], [base, baseList]]);
    expect(truth.line).toBe('No healthy endpoint for Base; failover active on Ethereum');
    expect(truth.badge).toMatchObject({ text: '!', color: '#b91c1c' });
  });

  it('chains not in use never change the line', () => {
    const idleList = [ep('56:a', 56, 'A', 'down')];
    const ethList = [ep('1:pn', 1, 'PublicNode', 'healthy')];
    const idle = assessChain(56, idleList, opts({ inUse: false }));
    const eth = assessChain(1, ethList, opts());
    expect(truthOf([[eth, ethList], [idle, idleList]]).line).toBe('All providers healthy');
  });

  it('unknown before the first probe; unknown chains get a generic name', () => {
    const list = [ep('x', 1337, 'Local', 'unknown')];
    const a = assessChain(1337, list, opts());
    expect(a.level).toBe('unknown');
    expect(a.name).toBe('Chain 1337');
    expect(overallStatus([a], list).line).toBe('Checking providers…');
    expect(overallStatus([]).line).toBe('Waiting for the first health check');
  });

  it('serving endpoint: the router’s first choice (a degraded one counts through its error-rate penalty), then the faster one, then rank', () => {
    const list = [ep('a', 1, 'A', 'degraded', { p50Ms: 10, errorRate: 0.3 }), ep('b', 1, 'B', 'healthy', { p50Ms: 300 }), ep('c', 1, 'C', 'healthy', { p50Ms: 100 }), ep('d', 1, 'D', 'healthy')];
    expect(servingEndpoint(list)?.id).toBe('c');
    // A degraded endpoint the router still ranks first is the one in use: the popup names it.
    const fastDespiteErrors = [ep('a', 1, 'A', 'degraded', { p50Ms: 10, errorRate: 0.02 }), ep('c', 1, 'C', 'healthy', { p50Ms: 100 })];
    expect(servingEndpoint(fastDespiteErrors)?.id).toBe('a');
  });
});

describe('failover episodes (fake clock)', () => {
  const healthy = (now: number, inUse = true) => assessChain(1, [ep('1:infura', 1, 'Infura', 'healthy'), ep('1:pn', 1, 'PublicNode', 'healthy')], opts({ now, inUse }));
  const failover = (now: number) => assessChain(1, [ep('1:infura', 1, 'Infura', 'down'), ep('1:pn', 1, 'PublicNode', 'healthy')], opts({ now }));
  const outage = (now: number) => assessChain(1, [ep('1:infura', 1, 'Infura', 'down'), ep('1:pn', 1, 'PublicNode', 'down')], opts({ now }));

  it('starts once, ends after the hold, notifies both ends once', () => {
    let t = 0;
    let s = stepEpisodes(emptyEpisodes(), [healthy(t)], t);
    expect(s.events).toEqual([]);
    t = 1_000;
    s = stepEpisodes(s.state, [failover(t)], t);
    expect(s.events.map((e) => e.kind)).toEqual(['failover-start']);
    expect(s.events[0]).toMatchObject({ chainId: 1, from: 'Infura', to: 'PublicNode' });
    expect(s.notices).toEqual([expect.objectContaining({ kind: 'start', title: 'Failover active on Ethereum', message: 'Infura down, using PublicNode.' })]);
    // Still failing, then worse: same episode, no new events.
    t = 31_000;
    s = stepEpisodes(s.state, [failover(t)], t);
    s = stepEpisodes(s.state, [outage(t + 1)], t + 1);
    expect(s.events).toEqual([]);
    expect(s.state.open['1']).toMatchObject({ since: 1_000, level: 'outage' });
    // Healthy, but not yet for the hold.
    t = 40_000;
    s = stepEpisodes(s.state, [healthy(t)], t);
    expect(s.events).toEqual([]);
    // A relapse within the hold keeps the same episode.
    s = stepEpisodes(s.state, [failover(t + 1_000)], t + 1_000);
    expect(s.events).toEqual([]);
    t = 45_000;
    s = stepEpisodes(s.state, [healthy(t)], t);
    s = stepEpisodes(s.state, [healthy(t + STATUS_POLICY.episodeEndHoldMs - 1)], t + STATUS_POLICY.episodeEndHoldMs - 1);
    expect(s.events).toEqual([]);
    s = stepEpisodes(s.state, [healthy(t + STATUS_POLICY.episodeEndHoldMs)], t + STATUS_POLICY.episodeEndHoldMs);
    expect(s.events.map((e) => e.kind)).toEqual(['failover-end']);
    expect(s.notices).toEqual([expect.objectContaining({ kind: 'end', title: 'Ethereum recovered' })]);
    expect(s.state.open).toEqual({});
    expect(s.state.lastEnded['1']).toMatchObject({ since: 1_000, endedAt: 55_000 });
  });

  it('rate-limits notifications per chain: a quick second episode is logged but not notified', () => {
    let s = stepEpisodes(emptyEpisodes(), [failover(0)], 0);
    s = stepEpisodes(s.state, [healthy(1)], 1);
    s = stepEpisodes(s.state, [healthy(STATUS_POLICY.episodeEndHoldMs + 1)], STATUS_POLICY.episodeEndHoldMs + 1);
    expect(s.notices.map((n) => n.kind)).toEqual(['end']);
    const t = 60_000;
    s = stepEpisodes(s.state, [failover(t)], t);
    expect(s.events.map((e) => e.kind)).toEqual(['failover-start']);
    expect(s.notices).toEqual([]);
    s = stepEpisodes(s.state, [healthy(t + 1)], t + 1);
    s = stepEpisodes(s.state, [healthy(t + 1 + STATUS_POLICY.episodeEndHoldMs)], t + 1 + STATUS_POLICY.episodeEndHoldMs);
    expect(s.events.map((e) => e.kind)).toEqual(['failover-end']);
    expect(s.notices).toEqual([]); // its start was not notified, so neither is its end
    const later = STATUS_POLICY.notificationMinGapMs + 1;
    s = stepEpisodes(s.state, [outage(later)], later);
    expect(s.notices).toEqual([expect.objectContaining({ kind: 'start', title: 'No healthy endpoint for Ethereum' })]);
  });

  it('only chains in use have episodes; leaving use ends one; unknown keeps it', () => {
    const idle = assessChain(1, [ep('1:infura', 1, 'Infura', 'down'), ep('1:pn', 1, 'PublicNode', 'healthy')], opts({ inUse: false }));
    expect(stepEpisodes(emptyEpisodes(), [idle], 0).events).toEqual([]);
    let s = stepEpisodes(emptyEpisodes(), [failover(0)], 0);
    const unknown = assessChain(1, [ep('1:infura', 1, 'Infura', 'unknown')], opts());
    s = stepEpisodes(s.state, [unknown], 100_000);
    expect(s.state.open['1']).toBeDefined();
    s = stepEpisodes(s.state, [healthy(200_000, false)], 200_000);
    expect(s.events).toEqual([expect.objectContaining({ kind: 'failover-end', reason: 'Ethereum no longer in use' })]);
  });

  it('survives a JSON round trip (worker restart)', () => {
    const s = stepEpisodes(emptyEpisodes(), [failover(0)], 0);
    const restored = JSON.parse(JSON.stringify(s.state)) as unknown;
    const next = stepEpisodes(restored as typeof s.state, [failover(5)], 5);
    expect(next.events).toEqual([]);
    expect(next.state.open['1']?.since).toBe(0);
  });

  it('endpoint and wallet transitions on chains in use', () => {
    const state = emptyEpisodes();
    const inUse = new Set([1]);
    const e = (s: string) => [{ id: '1:infura', chainId: 1, label: 'Infura', state: s, reason: 'HTTP 503' }, { id: '56:a', chainId: 56, label: 'A', state: 'down', reason: 'x' }];
    expect(stepTransitions(state, { endpoints: e('healthy'), wallets: [], chainsInUse: inUse }, 0)).toEqual([]);
    expect(stepTransitions(state, { endpoints: e('down'), wallets: [{ name: 'MetaMask', chainId: 1, failing: true, lastFailure: 'http-5xx' }], chainsInUse: inUse }, 1).map((x) => x.kind)).toEqual(['endpoint-down', 'wallet-failing']);
    expect(stepTransitions(state, { endpoints: e('down'), wallets: [{ name: 'MetaMask', chainId: 1, failing: true, lastFailure: null }], chainsInUse: inUse }, 2)).toEqual([]);
    expect(stepTransitions(state, { endpoints: e('healthy'), wallets: [{ name: 'MetaMask', chainId: 1, failing: false, lastFailure: null }], chainsInUse: inUse }, 3).map((x) => x.kind)).toEqual(['endpoint-up', 'wallet-recovered']);
  });
});

describe('latency sparkline sampling', () => {
  it('samples once per probe round, keeps an hour, caps the ring, drops removed endpoints', () => {
    let h = sampleLatency({}, [{ id: 'a', p50Ms: 100.4 }, { id: 'b' }], 0);
    expect(h).toEqual({ a: [[0, 100]] });
    h = sampleLatency(h, [{ id: 'a', p50Ms: 120 }], 10_000);
    expect(h.a).toHaveLength(1); // too soon
    for (let t = 30_000; t <= 2 * 60 * 60 * 1000; t += 30_000) h = sampleLatency(h, [{ id: 'a', p50Ms: t / 1000 }], t);
    const samples = h.a!;
    expect(samples.length).toBeLessThanOrEqual(STATUS_POLICY.latencyMaxSamples);
    expect(samples[0]![0]).toBeGreaterThanOrEqual(2 * 60 * 60 * 1000 - STATUS_POLICY.latencyWindowMs);
    expect(samples.length).toBe(121);
    expect(sampleLatency(h, [], 2 * 60 * 60 * 1000 + 1)).toEqual({});
    expect(sampleLatency({ a: [[0, 1]] }, [{ id: 'a', p50Ms: 5 }], 100_000, { maxSamples: 1 })).toEqual({ a: [[100_000, 5]] });
  });

  it('sameLatency tells exactly whether a sampling step changed the history (the worker skips the write)', () => {
    const step = fc.record({
      at: fc.integer({ min: 0, max: 120_000 }),
      endpoints: fc.array(fc.record({ id: fc.constantFrom('a', 'b', 'c'), p50Ms: fc.option(fc.integer({ min: 1, max: 900 }), { nil: undefined }) }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        let history: LatencyHistory = {};
        let now = 0;
        for (const s of steps) {
          now += s.at;
          const next = sampleLatency(history, s.endpoints, now, { windowMs: 300_000, minGapMs: 25_000, maxSamples: 8 });
          expect(sameLatency(history, next)).toBe(isDeepStrictEqual(history, next));
          history = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('restores only well-formed samples', () => {
    expect(restoreLatency({ a: [[1, 2], [1, 'x'], 'y'], b: 'nope', c: [] })).toEqual({ a: [[1, 2]] });
    expect(restoreLatency(null)).toEqual({});
  });

  it('charts the last hour from zero, marks failures, speaks the numbers', () => {
    const now = 180_000;
    const chart = latencyChart([[0, 100], [90_000, 300, 1], [180_000, 200]], now, { width: 60, height: 12 })!;
    // x spans the minimum 5 minutes ending now; y runs from 0 to 500 ms (the round number above
    // the 300 ms peak), with 1 unit of padding.
    expect(chart.lines).toEqual(['24,9 42,5 60,7']);
    expect(chart.scaleMaxMs).toBe(500);
    expect(chart.failures).toEqual([{ x: 24, width: 18 }]);
    expect(chart.label).toBe('Latency over the last 5 min: 3 samples, peak 300 ms, latest 200 ms, failing in 1 check');
    expect(latencyChart([], now)).toBeNull();
  });

  it('a short history spans at least chartMinSpanMs, so a minute of samples is not stretched into a trend', () => {
    const now = 10_000_000;
    const chart = latencyChart([[now - 60_000, 80], [now, 90]], now, { width: 100, height: 10 })!;
    expect(chart.spanMs).toBe(5 * 60_000);
    expect(chart.lines[0]!.startsWith('80,')).toBe(true);
  });

  it('a gap or a failing check without an answer breaks the line; no-answer failures still show as bands', () => {
    const now = 3_600_000;
    const chart = latencyChart([[0, 100], [30_000, 110], [600_000, 120], [630_000, null, 1], [660_000, 90]], now, { width: 360, height: 10 })!;
    expect(chart.lines).toHaveLength(3);
    expect(chart.failures).toHaveLength(1);
    expect(chart.failingNow).toBe(false);
  });

  it('round scales are 1, 2 or 5 times a power of ten and never below the value', () => {
    fc.assert(fc.property(fc.double({ min: 0.01, max: 1e7, noNaN: true }), (n) => {
      const r = roundScale(n);
      const mantissa = r / 10 ** Math.floor(Math.log10(r) + 1e-9);
      expect(r).toBeGreaterThanOrEqual(n);
      expect([1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-6)).toBe(true);
      expect(r).toBeLessThanOrEqual(n * 5 + 1e-9);
    }));
  });

  it('samples failing endpoints too, with or without a p50, and restores old two-element samples', () => {
    const h = sampleLatency({}, [{ id: 'a', p50Ms: 90, state: 'down' }, { id: 'b', state: 'down' }, { id: 'c', state: 'unknown' }], 0);
    expect(h).toEqual({ a: [[0, 90, 1]], b: [[0, null, 1]] });
    // Recovering is sampled at once, however soon; staying as it was is not.
    const next = sampleLatency(h, [{ id: 'a', p50Ms: 80, state: 'healthy' }, { id: 'b', state: 'down' }], 1_000);
    expect(next).toEqual({ a: [[0, 90, 1], [1_000, 80]], b: [[0, null, 1]] });
    expect(restoreLatency({ a: [[1, 2], [2, null, 1], [3, null], [4, 5, 2]] })).toEqual({ a: [[1, 2], [2, null, 1]] });
  });
});

describe('service response classification', () => {
  const now = 1_000_000;
  it('reachability: any HTTP answer is up; 5xx, timeouts and network errors are down', () => {
    expect(classifyObservation('reachable', { kind: 'http', status: 200, body: '{"version":"1"}' }, now).state).toBe('up');
    expect(classifyObservation('reachable', { kind: 'http', status: 401, body: '' }, now)).toEqual({ state: 'up', detail: 'reachable (HTTP 401)' });
    expect(classifyObservation('reachable', { kind: 'http', status: 503, body: '' }, now)).toEqual({ state: 'down', detail: 'HTTP 503' });
    expect(classifyObservation('reachable', { kind: 'timeout', afterMs: 8_000 }, now)).toEqual({ state: 'down', detail: 'no answer in 8 s' });
    expect(classifyObservation('reachable', { kind: 'network', message: 'Failed to fetch' }, now)).toEqual({ state: 'down', detail: 'unreachable (Failed to fetch)' });
  });
  it('Binance ping and system status', () => {
    expect(classifyObservation('binance-ping', { kind: 'http', status: 200, body: '{}' }, now).state).toBe('up');
    expect(classifyObservation('binance-ping', { kind: 'http', status: 200, body: '<html>' }, now).state).toBe('down');
    expect(classifyObservation('binance-status', { kind: 'http', status: 200, body: '{"status":0,"msg":"normal"}' }, now).state).toBe('up');
    expect(classifyObservation('binance-status', { kind: 'http', status: 200, body: '{"status":1,"msg":"system_maintenance"}' }, now)).toEqual({ state: 'maintenance', detail: 'system maintenance' });
  });
  it('Binance 429/418 honour Retry-After (seconds or date), capped', () => {
    expect(classifyObservation('binance-ping', { kind: 'http', status: 429, body: '', retryAfter: '120' }, now)).toMatchObject({ state: 'rate-limited', retryAfterMs: 120_000 });
    expect(classifyObservation('binance-ping', { kind: 'http', status: 418, body: '', retryAfter: null }, now)).toMatchObject({ state: 'rate-limited', retryAfterMs: SERVICES_POLICY.defaultBackoffMs });
    expect(classifyObservation('binance-ping', { kind: 'http', status: 418, body: '', retryAfter: String(10 * 24 * 3600) }, now).retryAfterMs).toBe(SERVICES_POLICY.maxBackoffMs);
    expect(parseRetryAfter(new Date(now + 60_000).toUTCString(), now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
  it('KuCoin open / cancelonly / close', () => {
    const k = (status: string) => classifyObservation('kucoin-status', { kind: 'http', status: 200, body: JSON.stringify({ code: '200000', data: { status, msg: 'upgrade' } }) }, now);
    expect(k('open').state).toBe('up');
    expect(k('cancelonly')).toEqual({ state: 'degraded', detail: 'cancel-only mode: upgrade' });
    expect(k('close')).toEqual({ state: 'maintenance', detail: 'trading closed: upgrade' });
    expect(k('weird').state).toBe('down');
  });
  it('worst check wins; scheduling honours the interval and back-off even when forced', () => {
    expect(combineResults([{ state: 'up', detail: 'a' }, { state: 'maintenance', detail: 'b' }]).state).toBe('maintenance');
    const [first] = initialStatuses();
    const limited = applyResult(first!, { state: 'rate-limited', detail: 'x', retryAfterMs: 3_600_000 }, now);
    expect(limited.nextCheckAt).toBe(now + 3_600_000);
    const ok = applyResult(first!, { state: 'up', detail: 'x' }, now);
    expect(ok.nextCheckAt).toBe(now + SERVICES_POLICY.checkIntervalMs);
    expect(dueServices([limited, ok], now + 1)).toEqual([]);
    expect(dueServices([limited, ok], now + 1, true)).toEqual([ok.id]);
  });
  it('timeline events: unavailable once, back up once; rate limits, unknowns and unchanged rounds are not news', () => {
    const initial = initialStatuses();
    const round = (list: typeof initial, state: ServiceStatus['state'], detail: string, at: number) =>
      list.map((s) => (s.id === 'rabby' ? applyResult(s, { state, detail }, at) : s));
    const firstUp = round(initial, 'up', 'reachable (HTTP 200)', now);
    expect(serviceEvents(initial, firstUp)).toEqual([]);
    const down = round(firstUp, 'down', 'HTTP 503', now + 1);
    expect(serviceEvents(firstUp, down)).toEqual([{ at: now + 1, kind: 'service-down', chainId: null, from: 'Rabby API', reason: 'HTTP 503' }]);
    expect(describeEvent(serviceEvents(firstUp, down)[0]!)).toBe('Rabby API unavailable (HTTP 503)');
    // Still down, or no new check at all: nothing new.
    expect(serviceEvents(down, round(down, 'down', 'no answer in 8 s', now + 2))).toEqual([]);
    expect(serviceEvents(down, down)).toEqual([]);
    const back = round(down, 'up', 'reachable (HTTP 200)', now + 3);
    expect(serviceEvents(down, back)).toEqual([{ at: now + 3, kind: 'service-up', chainId: null, from: 'Rabby API' }]);
    expect(describeEvent(serviceEvents(down, back)[0]!)).toBe('Rabby API back up');
    // Our own rate limit says nothing about the service.
    expect(serviceEvents(back, round(back, 'rate-limited', 'rate limited (HTTP 429); waiting as asked', now + 4))).toEqual([]);
    // Found unavailable on the very first check: news. Maintenance counts as unavailable.
    expect(serviceEvents(initial, round(initial, 'maintenance', 'system maintenance', now)).map((e) => [e.kind, e.reason])).toEqual([['service-down', 'system maintenance']]);
  });
  it('URL overrides accept only https or loopback http', () => {
    const binance = SERVICES.find((s) => s.id === 'binance')!;
    const urls = resolveCheckUrls(binance, { 'binance.0': 'http://127.0.0.1:9/ping', 'binance.1': 'http://evil.example/status' }).map((c) => c.url);
    expect(urls).toEqual(['http://127.0.0.1:9/ping', 'https://api.binance.com/sapi/v1/system/status']);
    expect(resolveCheckUrls(binance, 'junk').map((c) => c.url)).toEqual(binance.checks.map((c) => c.url));
  });
});

describe('wallet repair and the popup view', () => {
  it('offers wallet_addEthereumChain to EIP-3085 wallets and steps to Rabby, only once failing long enough', () => {
    const now = 500_000;
    const fresh = wallet({ failingSince: now - 1_000, failed: 1, lastSeen: now });
    expect(needsRepair(fresh, now)).toBe(false);
    const long = wallet({ failingSince: now - STATUS_POLICY.repairAfterFailingMs, failed: 1, lastSeen: now });
    expect(repairOffer(long, 'https://ethereum-rpc.publicnode.com', now)).toEqual({
      kind: 'eip3085', wallet: 'MetaMask', chainId: 1, url: 'https://ethereum-rpc.publicnode.com',
      params: { chainId: '0x1', chainName: 'Ethereum', rpcUrls: ['https://ethereum-rpc.publicnode.com'], nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, blockExplorerUrls: ['https://etherscan.io'] },
    });
    const rabby = wallet({ wallet: { name: 'Rabby Wallet', rdns: 'io.rabby' }, failingSince: now - 1, failed: STATUS_POLICY.repairAfterFailures, lastSeen: now });
    expect(repairOffer(rabby, 'https://ethereum-rpc.publicnode.com', now)).toMatchObject({ kind: 'rabby', steps: expect.arrayContaining(['Choose Custom RPC']) });
    expect(repairOffer(long, 'https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161', now)).toBeNull();
  });

  it('says which chains have defaults: a wallet on a chain without any shows up with none', () => {
    const status = buildPopupStatus({
      now: NOW,
      view: { generatedAt: NOW, chains: [{ chainId: 59144 } as never], endpoints: [ep('59144:linea', 59144, 'Linea', 'healthy')] },
      endpoints: [],
      chainsInUse: [424242, 59144],
      wallets: [],
    });
    expect(status.chains.map((c) => [c.chainId, c.hasDefaults, c.endpoints.length])).toEqual([[59144, true, 1], [424242, false, 0]]);
  });

  it('builds the popup status: chains in use first, serving endpoint marked, privacy from the registry, newest events first', () => {
    const now = NOW;
    const status = buildPopupStatus({
      now,
      view: { generatedAt: now, chains: [{ chainId: 56 } as never, { chainId: 1 } as never], endpoints: [ep('56:a', 56, 'A', 'healthy'), ep('1:infura', 1, 'Infura', 'down'), ep('1:pn', 1, 'PublicNode', 'healthy', { p50Ms: 80.6, lagBlocks: 0 })] },
      endpoints: [{ id: '1:pn', chainId: 1, url: '', provider: 'PublicNode', infrastructure: 'unknown', privacy: 'none', source: 'default', enabled: true }],
      chainsInUse: [1],
      wallets: [],
      latency: { '1:pn': [[now, 81]] },
      timeline: [{ at: 1, kind: 'failover-start', chainId: 1 }, { at: 2, kind: 'failover-end', chainId: 1 }],
    });
    expect(status.line).toBe('Failover active on Ethereum: Infura down, using PublicNode');
    expect(status.chains.map((c) => [c.name, c.inUse])).toEqual([['Ethereum', true], ['BNB Smart Chain', false]]);
    const pn = status.chains[0]!.endpoints.find((e) => e.id === '1:pn')!;
    expect(pn).toMatchObject({ inUse: true, privacy: 'none', p50Ms: 81, lagBlocks: 0 });
    expect(pn?.chart).toMatchObject({ count: 1, latestMs: 81, label: 'Latency over the last 5 min: 1 sample, peak 81 ms, latest 81 ms' });
    // Chains not in use carry no chart: sixty idle chains would otherwise fill the message.
    expect(status.chains[1]!.endpoints[0]!.chart).toBeNull();
    expect(status.timeline.map((e) => e.at)).toEqual([2, 1]);
    expect(describeEvent(status.timeline[1]!)).toBe('Ethereum: failover started');
    // The serving endpoint is the RPC offered for a wallet; a chain whose only healthy endpoint
    // carries a key offers none.
    expect(status.chains[0]!.walletRpcUrl).toBe('https://1-pn.example');
    const keyed = buildPopupStatus({
      now,
      view: { generatedAt: now, chains: [{ chainId: 1 } as never], endpoints: [ep('1:mine', 1, 'Mine', 'healthy', { url: 'https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef' })] },
      endpoints: [],
      chainsInUse: [1],
      wallets: [],
    });
    expect(keyed.chains[0]!.walletRpcUrl).toBeUndefined();
  });

  it('wallet rows name a chain without a fallback and a chain not yet known, in words', () => {
    const now = NOW;
    const status = buildPopupStatus({
      now,
      view: { generatedAt: now, chains: [{ chainId: 1 } as never], endpoints: [ep('1:pn', 1, 'PublicNode', 'healthy')] },
      endpoints: [],
      chainsInUse: [1, 12345],
      wallets: [wallet({ chainId: 12345, lastSeen: now }), wallet({ wallet: { name: 'Rabby Wallet', rdns: 'io.rabby' }, chainId: null, lastSeen: now - 1 }), wallet({ chainId: 1, lastSeen: now - 2 })],
    });
    expect(status.wallets.map((w) => [w.chainName, w.fallbacks])).toEqual([['Chain 12345', 0], ['a chain not yet known', 0], ['Ethereum', 1]]);
    expect(status.line).toBe('Chain 12345: no fallback configured; add one in Options');
  });
});

describe('guided repair on every registry chain', () => {
  it.each(CHAINS.map((c) => [c.chainId, c.name] as const))('chain %i (%s): EIP-3085 parameters from the registry', (chainId, name) => {
    const chain = CHAINS.find((c) => c.chainId === chainId)!;
    const url = defaultEndpointsForChain(chainId).find((e) => e.enabled)!.url;
    const params = addChainParams(chainId, url);
    expect(params).toEqual({
      chainId: `0x${chainId.toString(16)}`,
      chainName: name,
      rpcUrls: [url],
      nativeCurrency: { name: chain.nativeCurrency.name, symbol: chain.nativeCurrency.symbol, decimals: 18 },
      ...(chain.explorer ? { blockExplorerUrls: [chain.explorer] } : {}),
    });
    expect(params.blockExplorerUrls?.[0] ?? 'https://x').toMatch(/^https:\/\//);
  });

  it('a chain the registry does not know gets its id as its name and no explorer', () => {
    expect(addChainParams(2020, 'https://rpc.example.org')).toEqual({ chainId: '0x7e4', chainName: 'Chain 2020', rpcUrls: ['https://rpc.example.org'], nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 } });
  });
});

