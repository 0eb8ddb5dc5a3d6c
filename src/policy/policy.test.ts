import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyError, hedgeDelayMs, resolvePolicy } from './index.ts';

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
