import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyError, expectedAnswerMs, hedgeDelayMs, resolvePolicy, targetHedgeDelayMs } from './index.ts';

describe('resolvePolicy', () => {
  it('returns the documented defaults', () => {
    const policy = resolvePolicy();
    expect(policy.request.deadlineMs).toBe(8_000);
    expect(policy.hedge).toMatchObject({ minDelayMs: 150, maxDelayMs: 750, p95Multiplier: 1.2 });
    expect(policy.breaker).toMatchObject({ consecutiveFailures: 3, windowSize: 20, failureRatio: 0.5, initialCooldownMs: 5_000, maxCooldownMs: 300_000 });
    expect(policy.lag.toleranceL1Blocks).toEqual({ head: 0, block: 1, execution: 4 });
    expect(policy.probe.activeIntervalMs).toBe(30_000);
  });
  it('merges a partial override without touching the defaults', () => {
    const policy = resolvePolicy({ hedge: { minDelayMs: 50 }, lag: { blockTimeMsByChain: { 999: 500 } }, quorum: { methods: { eth_getBalance: { k: 2, n: 3 } } } });
    expect(policy.hedge.minDelayMs).toBe(50);
    expect(policy.hedge.maxDelayMs).toBe(750);
    expect(policy.lag.blockTimeMsByChain[999]).toBe(500);
    expect(policy.lag.blockTimeMsByChain[1]).toBe(12_000);
    expect(policy.quorum.methods.eth_getBalance).toEqual({ k: 2, n: 3 });
    expect(DEFAULT_POLICY.hedge.minDelayMs).toBe(150);
    expect(DEFAULT_POLICY.quorum.methods).toEqual({});
  });
  it('moves a default bound out of the way of a single overridden one', () => {
    expect(resolvePolicy({ hedge: { minDelayMs: 900 } }).hedge).toMatchObject({ minDelayMs: 900, maxDelayMs: 900 });
    expect(resolvePolicy({ breaker: { maxCooldownMs: 2_000 } }).breaker).toMatchObject({ initialCooldownMs: 2_000, maxCooldownMs: 2_000 });
    expect(resolvePolicy({ request: { deadlineMs: 2_000 } }).request).toMatchObject({ deadlineMs: 2_000, attemptTimeoutMs: 2_000 });
  });
  it('refuses numbers that cannot work', () => {
    expect(() => resolvePolicy({ hedge: { minDelayMs: 900, maxDelayMs: 800 } })).toThrow(PolicyError);
    expect(() => resolvePolicy({ request: { deadlineMs: 0 } })).toThrow(/deadlineMs/);
    expect(() => resolvePolicy({ quorum: { methods: { eth_call: { k: 3, n: 2 } } } })).toThrow(/quorum/);
  });
});

describe('hedgeDelayMs', () => {
  const policy = resolvePolicy();
  it('is clamp(p95 × 1.2, 150, 750), cold = 400', () => {
    expect(hedgeDelayMs(policy, undefined)).toBe(400);
    expect(hedgeDelayMs(policy, 50)).toBe(150);
    expect(hedgeDelayMs(policy, 300)).toBe(360);
    expect(hedgeDelayMs(policy, 5_000)).toBe(750);
  });
});

describe('targetHedgeDelayMs and expectedAnswerMs', () => {
  const policy = resolvePolicy();
  const warm = { samples: 20, p95Ms: 300, slowestMs: 400, answeredRecently: true, silent: false };
  it('an endpoint that answers now gets the wait its p95 justifies', () => {
    expect(targetHedgeDelayMs(policy, warm)).toBe(360);
    expect(expectedAnswerMs(policy, warm)).toBe(360);
  });
  it('a guess (no samples, unheard lately, silent) is hedged after the minimum delay, not the cold one', () => {
    expect(targetHedgeDelayMs(policy, { samples: 0, answeredRecently: false, silent: false })).toBe(150);
    expect(targetHedgeDelayMs(policy, { ...warm, answeredRecently: false })).toBe(150);
    expect(targetHedgeDelayMs(policy, { ...warm, silent: true })).toBe(150);
    // Silence is still only charged as a timeout after what its latencies (or the cold delay) allow.
    expect(expectedAnswerMs(policy, { samples: 0 })).toBe(400);
    expect(expectedAnswerMs(policy, { samples: warm.samples, p95Ms: warm.p95Ms })).toBe(360);
  });
  it('with fewer samples than a p95 needs, the slowest answer × 1.2 stands in, within [150, 400]', () => {
    const few = { samples: 3, answeredRecently: true, silent: false };
    expect(targetHedgeDelayMs(policy, { ...few, slowestMs: 20 })).toBe(150);
    expect(targetHedgeDelayMs(policy, { ...few, slowestMs: 250 })).toBe(300);
    expect(targetHedgeDelayMs(policy, { ...few, slowestMs: 2_000 })).toBe(400);
  });
});
