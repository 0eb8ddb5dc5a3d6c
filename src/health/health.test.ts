import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock.ts';
import { failure } from '../rpc/jsonrpc.ts';
import { resolvePolicy } from '../policy/index.ts';
import { createSimNetwork, makeEndpoint } from '../testing/sim-network.ts';
import { breakerAllows, breakerPhase, createBreaker, recordBreakerFailure, recordBreakerSuccess, startTrial, tripBreaker } from './breaker.ts';
import { headFromReports, lagBehind } from './head.ts';
import { createProber } from './probe.ts';
import { createHealthTracker } from './tracker.ts';
import { emptyRing, orderedValues, pushRing, summariseLatencies } from './window.ts';

const policy = resolvePolicy();
const http503 = failure('http-5xx', 'HTTP 503', { httpStatus: 503 });

describe('sliding windows', () => {
  it('keeps the newest values in order', () => {
    const ring = emptyRing();
    for (let i = 1; i <= 7; i++) pushRing(ring, i, 5);
    expect(orderedValues(ring)).toEqual([3, 4, 5, 6, 7]);
  });
  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summariseLatencies(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99 });
    expect(summariseLatencies([])).toMatchObject({ count: 0, p50: undefined });
  });
});

describe('circuit breaker', () => {
  it('opens after 3 consecutive failures, with a 5 s cool-down doubling to 5 min', () => {
    const breaker = createBreaker(policy);
    let now = 0;
    expect(recordBreakerFailure(breaker, now, policy)).toBe(false);
    expect(recordBreakerFailure(breaker, now, policy)).toBe(false);
    expect(recordBreakerFailure(breaker, now, policy)).toBe(true);
    expect(breakerPhase(breaker, now)).toBe('open');
    expect(breakerAllows(breaker, now + 4_999, policy)).toBe('no');
    const cooldowns: number[] = [];
    for (let round = 0; round < 9; round++) {
      cooldowns.push(breaker.cooldownMs!);
      now = breaker.openUntil!;
      expect(breakerAllows(breaker, now, policy)).toBe('trial');
      startTrial(breaker, now);
      // Exactly one trial while it is out.
      expect(breakerAllows(breaker, now + 1, policy)).toBe('no');
      expect(recordBreakerFailure(breaker, now + 10, policy)).toBe(true);
    }
    expect(cooldowns).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('a confirmed outage trips it at once, with the usual cool-down; an open one is left as it is', () => {
    const breaker = createBreaker(policy);
    recordBreakerFailure(breaker, 0, policy);
    expect(tripBreaker(breaker, 0, policy)).toBe(true);
    expect(breakerPhase(breaker, 0)).toBe('open');
    expect(breaker.openUntil).toBe(5_000);
    expect(tripBreaker(breaker, 1_000, policy)).toBe(false);
    expect(breaker.openUntil).toBe(5_000);
  });

  it('a successful trial closes it and resets the cool-down', () => {
    const breaker = createBreaker(policy);
    for (let i = 0; i < 3; i++) recordBreakerFailure(breaker, 0, policy);
    startTrial(breaker, 5_000);
    recordBreakerFailure(breaker, 5_000, policy); // re-open, 10 s
    startTrial(breaker, 15_000);
    recordBreakerSuccess(breaker, policy);
    expect(breakerPhase(breaker, 15_000)).toBe('closed');
    for (let i = 0; i < 3; i++) recordBreakerFailure(breaker, 20_000, policy);
    expect(breaker.cooldownMs).toBe(5_000);
  });

  it('opens on ≥ 50 % failures of the last 20 even without 3 in a row', () => {
    const breaker = createBreaker(policy);
    let opened = false;
    for (let i = 0; i < 20 && !opened; i++) {
      if (i % 2 === 0) recordBreakerSuccess(breaker, policy);
      else opened = recordBreakerFailure(breaker, 0, policy);
    }
    expect(opened).toBe(true);
    expect(breaker.consecutiveFailures).toBe(1);
  });

  it('stragglers failing while open do not extend the cool-down', () => {
    const breaker = createBreaker(policy);
    for (let i = 0; i < 3; i++) recordBreakerFailure(breaker, 0, policy);
    expect(recordBreakerFailure(breaker, 100, policy)).toBe(false);
    expect(breaker.openUntil).toBe(5_000);
  });
});

describe('head tracking', () => {
  it('ignores a single endpoint claiming a far-future block', () => {
    const picked = headFromReports([
      { block: 100, at: 0, sentAt: 0 },
      { block: 101, at: 0, sentAt: 0 },
      { block: 99_999_999, at: 0, sentAt: 0 },
    ]);
    expect(picked).toEqual({ head: { block: 101, at: 0, sentAt: 0 }, corroborated: true });
  });
  it('uses the only report when there is one', () => {
    expect(headFromReports([{ block: 5, at: 0, sentAt: 0 }])).toEqual({ head: { block: 5, at: 0, sentAt: 0 }, corroborated: false });
  });
  it('credits every block that may have been produced between the two observations', () => {
    expect(lagBehind({ block: 110, at: 24_000, sentAt: 23_900 }, { block: 100, at: 300, sentAt: 0 }, 12_000)).toBe(8);
    // Asked 100 ms before the head's answer arrived: one block boundary may lie in between.
    expect(lagBehind({ block: 110, at: 24_000, sentAt: 23_900 }, { block: 109, at: 24_100, sentAt: 23_900 }, 12_000)).toBe(0);
    expect(lagBehind({ block: 110, at: 0, sentAt: 0 }, { block: 100, at: 24_000, sentAt: 24_000 }, 12_000)).toBe(10);
    expect(lagBehind({ block: 100, at: 0, sentAt: 0 }, { block: 105, at: 0, sentAt: 0 }, 12_000)).toBe(0);
  });
  it('gives an honest endpoint lag 0 whatever the latencies (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 5_000 }), fc.constantFrom(250, 2_000, 12_000), (s1, l1, s2, l2, bt) => {
        const head = (t: number) => Math.floor(t / bt);
        // An honest node answers with a block between the one at send time and the one at arrival.
        const a = { block: head(s1 + l1), at: s1 + l1, sentAt: s1 };
        const b = { block: head(s2), at: s2 + l2, sentAt: s2 };
        expect(lagBehind(a, b, bt)).toBe(0);
        expect(lagBehind(b, { ...a, block: head(s1) }, bt)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});

function tracker(count = 3, overrides: Parameters<typeof makeEndpoint>[1] = {}) {
  const clock = createManualClock();
  const endpoints = Array.from({ length: count }, (_, i) => makeEndpoint(`e${i}`, overrides));
  return { clock, endpoints, health: createHealthTracker({ endpoints, clock }) };
}

describe('health tracker', () => {
  it('head is corroborated by two endpoints, lag is measured against it, a liar cannot move it', () => {
    const { health } = tracker(4);
    health.observeBlock('e0', 1_000);
    health.observeBlock('e1', 1_000);
    health.observeBlock('e2', 957);
    health.observeBlock('e3', 50_000_000);
    expect(health.head(1)?.block).toBe(1_000);
    expect(health.lag('e2')).toBe(43);
    expect(health.lag('e3')).toBe(0);
    expect(health.isImplausiblyAhead('e3')).toBe(true);
    expect(health.view('e2')).toMatchObject({ state: 'degraded', reason: '43 blocks behind', lagBlocks: 43 });
    expect(health.view('e3')?.reason).toMatch(/^claims block 50000000/);
  });

  it('believes a lone endpoint ahead of a laggard, but not a far-future claim', () => {
    const { health } = tracker(2);
    health.observeBlock('e0', 1_065);
    health.observeBlock('e1', 1_000);
    expect(health.corroboratedHead(1)?.block).toBe(1_000);
    expect(health.head(1)?.block).toBe(1_065);
    expect(health.lag('e1')).toBe(65);
    health.observeBlock('e0', 1_000 + 7_201);
    expect(health.head(1)?.block).toBe(1_000);
  });

  it('head only rises', () => {
    const { health } = tracker(2);
    health.observeBlock('e0', 100);
    health.observeBlock('e1', 100);
    health.observeBlock('e0', 90);
    health.observeBlock('e1', 90);
    expect(health.head(1)?.block).toBe(100);
  });

  it('scales tolerances by block time (dshackle classes on L1, wider on Arbitrum)', () => {
    const { health } = tracker(1);
    expect([health.toleranceBlocks(1, 'head'), health.toleranceBlocks(1, 'block'), health.toleranceBlocks(1, 'execution')]).toEqual([0, 1, 4]);
    expect(health.toleranceBlocks(42161, 'head')).toBe(0);
    expect(health.toleranceBlocks(42161, 'block')).toBe(48); // 12 s at 250 ms blocks
    expect(health.toleranceBlocks(42161, 'execution')).toBe(192);
    expect(health.toleranceBlocks(1, 'none')).toBe(Number.POSITIVE_INFINITY);
  });

  it('explains states in words', () => {
    const { health, clock } = tracker(4);
    health.recordOutcome('e0', http503);
    health.recordOutcome('e0', http503);
    health.recordOutcome('e0', http503);
    expect(health.view('e0')).toMatchObject({ state: 'down', reason: 'HTTP 503 ×3', breaker: 'open' });

    health.recordOutcome('e1', failure('timeout', 'no answer in 4 s'));
    expect(health.view('e1')).toMatchObject({ state: 'degraded', reason: 'no answer in 4 s' });

    health.observeChainId('e2', 56);
    expect(health.view('e2')).toMatchObject({ state: 'down', reason: 'wrong chain 56', chainVerified: false });

    health.recordOutcome('e3', failure('http-429', 'HTTP 429', { retryAfterMs: 30_000 }));
    expect(health.view('e3')).toMatchObject({ state: 'down', reason: 'rate limited (retry in 30 s)' });
    expect(health.availability('e3')).toBe('rate-limited');
    clock.advanceBy(30_000);
    expect(health.availability('e3')).toBe('available');

    health.recordOutcome('e1', { kind: 'success', latencyMs: 120 });
    expect(health.view('e1')).toMatchObject({ state: 'healthy', reason: 'p50 120 ms', p50Ms: 120 });
  });

  it('caps Retry-After at 5 min', () => {
    const { health, clock } = tracker(1);
    health.recordOutcome('e0', failure('http-429', 'HTTP 429', { retryAfterMs: 3_600_000 }));
    clock.advanceBy(300_000);
    expect(health.availability('e0')).not.toBe('rate-limited');
  });

  it('hands out exactly one half-open trial after the cool-down', () => {
    const { health, clock } = tracker(1);
    for (let i = 0; i < 3; i++) health.recordOutcome('e0', http503);
    expect(health.tryAcquire('e0')).toBe(false);
    clock.advanceBy(5_000);
    expect(health.availability('e0')).toBe('trial');
    expect(health.tryAcquire('e0')).toBe(true);
    expect(health.tryAcquire('e0')).toBe(false);
    health.recordOutcome('e0', { kind: 'success', latencyMs: 80 });
    expect(health.view('e0')?.breaker).toBe('closed');
  });

  it('takes real-traffic outcomes by URL', () => {
    const { health, endpoints } = tracker(2);
    expect(health.recordOutcome(endpoints[1]!.url, http503)).toBe(true);
    expect(health.view('e1')?.lastFailure?.detail).toBe('HTTP 503');
    expect(health.recordOutcome('https://unknown.example', http503)).toBe(false);
  });

  it('remembers recent failures per infrastructure on a chain', () => {
    const { health, clock } = tracker(2, { infrastructure: 'aws' });
    health.recordOutcome('e0', http503);
    expect(health.recentInfraFailureAt(1, 'aws')).toBeDefined();
    expect(health.recentInfraFailureAt(1, 'gcp')).toBeUndefined();
    clock.advanceBy(60_001);
    expect(health.recentInfraFailureAt(1, 'aws')).toBeUndefined();
  });

  it('snapshot survives JSON and restores behaviour (open breaker stays open, head and lag kept)', () => {
    const { health, clock, endpoints } = tracker(3);
    for (let i = 0; i < 3; i++) health.recordOutcome('e0', http503);
    health.observeBlock('e1', 500);
    health.observeBlock('e2', 480);
    health.observeChainId('e1', 1);
    health.recordOutcome('e1', { kind: 'success', latencyMs: 90 });
    const json = JSON.parse(JSON.stringify(health.snapshot()));

    const restored = createHealthTracker({ endpoints, clock });
    restored.restore(json);
    expect(restored.view('e0')).toMatchObject({ state: 'down', breaker: 'open', reason: 'HTTP 503 ×3' });
    expect(restored.corroboratedHead(1)?.block).toBe(480);
    expect(restored.head(1)?.block).toBe(500);
    expect(restored.lag('e2')).toBe(20);
    expect(restored.view('e1')).toMatchObject({ p50Ms: 90, chainVerified: true });
    clock.advanceBy(5_000);
    expect(restored.tryAcquire('e0')).toBe(true);
  });

  it('ignores malformed snapshots and unknown endpoints', () => {
    const { health } = tracker(1);
    health.restore({ version: 1, endpoints: { e0: { latencies: 'x' }, ghost: {} }, chains: { 1: { head: { block: 'x' } } } });
    health.restore(null);
    health.restore({ version: 99 });
    expect(health.view('e0')?.state).toBe('unknown');
    expect(health.head(1)).toBeUndefined();
  });

  it('keeps history across setEndpoints when id, URL and chain are unchanged', () => {
    const { health, endpoints } = tracker(2);
    health.recordOutcome('e0', http503);
    health.recordOutcome('e1', http503);
    health.setEndpoints([endpoints[0]!, { ...endpoints[1]!, url: 'https://moved.example' }]);
    expect(health.view('e0')?.lastFailure).toBeDefined();
    expect(health.view('e1')?.lastFailure).toBeUndefined();
  });

  it('summarises a chain', () => {
    const { health } = tracker(3);
    for (let i = 0; i < 3; i++) health.recordOutcome('e0', http503);
    health.recordOutcome('e1', { kind: 'success', latencyMs: 50 });
    expect(health.chainSummary(1)).toMatchObject({ chainId: 1, state: 'healthy', healthy: 1, down: 1, unknown: 1, total: 3 });
  });
});

describe('silence: stalls seen before any timeout', () => {
  const setup = () => {
    const clock = createManualClock();
    const health = createHealthTracker({ endpoints: [makeEndpoint('a')], clock });
    for (let i = 0; i < 10; i++) health.recordOutcome('a', { kind: 'success', latencyMs: 20 });
    return { clock, health };
  };

  it('a request unanswered past the hedge delay makes the endpoint silent at once; any answer ends it', () => {
    const { clock, health } = setup();
    const settled = health.beginAttempt('a');
    expect(health.silentSince('a')).toBe(clock.now());
    clock.advanceBy(policy.hedge.minDelayMs - 1);
    expect(health.view('a')?.silent).toBeUndefined();
    clock.advanceBy(1);
    expect(health.view('a')).toMatchObject({ silent: true, state: 'healthy', breaker: 'closed' });
    // A second request sent now counts from the first: nothing has been heard since then.
    const second = health.beginAttempt('a');
    expect(health.silentSince('a')).toBe(clock.now() - policy.hedge.minDelayMs);
    clock.advanceBy(10);
    health.recordOutcome('a', http503); // an error is an answer: it is not hung
    expect(health.isSilent('a')).toBe(false);
    expect(health.silentSince('a')).toBeUndefined();
    settled();
    second();
  });

  it('settled requests leave nothing behind, and a timeout as the last outcome keeps it silent until a success', () => {
    const { clock, health } = setup();
    const settled = health.beginAttempt('a');
    clock.advanceBy(1_000);
    settled();
    expect(health.isSilent('a')).toBe(false);
    health.recordOutcome('a', failure('timeout', 'no answer in 4 s'));
    expect(health.view('a')?.silent).toBe(true);
    expect(health.hedgeTarget('a')).toMatchObject({ silent: true });
    health.recordOutcome('a', { kind: 'success', latencyMs: 20 });
    expect(health.view('a')?.silent).toBeUndefined();
  });

  it('is unheard once its last success is older than score.recentAnswerMs', () => {
    const { clock, health } = setup();
    expect(health.view('a')?.unheard).toBeUndefined();
    clock.advanceBy(policy.score.recentAnswerMs + 1);
    expect(health.view('a')?.unheard).toBe(true);
    expect(health.hedgeTarget('a').answeredRecently).toBe(false);
  });

  it('a probe left unanswered shows the endpoint silent long before the probe times out', async () => {
    const clock = createManualClock();
    const endpoint = makeEndpoint('a');
    const net = createSimNetwork({ clock, endpoints: [{ endpoint, behaviour: (t) => ({ kind: t < 1_000 ? 'healthy' : 'hang' }) }] });
    const health = createHealthTracker({ endpoints: [endpoint], clock });
    const prober = createProber({ transport: net.transport, clock, health });
    await clock.settle(prober.probe('a'));
    clock.advanceBy(1_000);
    const probe = prober.probe('a');
    clock.advanceBy(policy.hedge.minDelayMs);
    expect(health.view('a')).toMatchObject({ silent: true, breaker: 'closed' });
    await clock.settle(probe);
    expect(health.view('a')).toMatchObject({ silent: true, lastFailure: { failureClass: 'timeout' } });
  });
});

describe('probes', () => {
  it('verify the chain, report the block and record latency', async () => {
    const clock = createManualClock();
    const good = makeEndpoint('good');
    const wrong = makeEndpoint('wrong');
    const dead = makeEndpoint('dead');
    const net = createSimNetwork({
      clock,
      endpoints: [{ endpoint: good, latencyMs: 80 }, { endpoint: wrong, servesChainId: 56 }, { endpoint: dead, behaviour: () => ({ kind: 'hang' }) }],
    });
    const health = createHealthTracker({ endpoints: [good, wrong, dead], clock });
    const prober = createProber({ transport: net.transport, clock, health });
    const results = await clock.settle(prober.probeChain(1));
    expect(results.find((r) => r.endpointId === 'good')).toMatchObject({ ok: true, chainId: 1, block: net.trueHead(1), latencyMs: 80 });
    expect(results.find((r) => r.endpointId === 'wrong')).toMatchObject({ ok: false, chainId: 56, failure: { failureClass: 'wrong-chain' } });
    expect(results.find((r) => r.endpointId === 'dead')).toMatchObject({ ok: false, failure: { failureClass: 'timeout', detail: 'no answer in 4 s' } });
    expect(clock.now() - net.startedAt).toBe(4_000);
    expect(health.view('wrong')?.reason).toBe('wrong chain 56');
    expect(health.view('dead')?.reason).toBe('no answer in 4 s');
    expect(health.lastProbeAt(1)).toBe(net.startedAt);
  });

  it('share a running probe and skip endpoints whose breaker is open', async () => {
    const clock = createManualClock();
    const a = makeEndpoint('a');
    const net = createSimNetwork({ clock, endpoints: [{ endpoint: a, behaviour: () => ({ kind: 'http-5xx' }) }] });
    const health = createHealthTracker({ endpoints: [a], clock });
    const prober = createProber({ transport: net.transport, clock, health });
    const first = prober.probe('a');
    expect(prober.probe('a')).toBe(first);
    await clock.settle(first);
    for (let i = 0; i < 2; i++) await clock.settle(prober.probe('a'));
    const before = net.calls.length;
    expect(await prober.probe('a')).toMatchObject({ skipped: 'open' });
    expect(net.calls.length).toBe(before);
    clock.advanceBy(5_000);
    await clock.settle(prober.probe('a')); // the half-open trial
    expect(net.calls.length).toBe(before + 2);
  });
});
