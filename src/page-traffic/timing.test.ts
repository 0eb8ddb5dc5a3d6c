import { describe, expect, it } from 'vitest';
import { PAGE_TRAFFIC } from '../policy/index';
import { hangThresholdMs, recoveryHoldMs } from './timing';
import { abortedOutcome } from './observe';
import { checkAnswer, checkUnanswered } from './contact';

const T = PAGE_TRAFFIC.hangThreshold;
const CEILING = PAGE_TRAFFIC.hangTimeoutMs;

describe('adaptive hang threshold', () => {
  it('is the cold value until the host has answered often enough', () => {
    expect(hangThresholdMs([], T, CEILING)).toBe(T.coldMs);
    expect(hangThresholdMs(Array(T.minSamples - 1).fill(20), T, CEILING)).toBe(T.coldMs);
  });

  it('follows p95 × factor, never below the floor', () => {
    const fast = Array(20).fill(40);
    expect(hangThresholdMs(fast, T, CEILING)).toBe(Math.max(T.floorMs, 40 * T.factor));
    const medium = [...Array(19).fill(100), 300];
    // p95 of 20 samples is the 19th: one outlier does not move it.
    expect(hangThresholdMs(medium, T, CEILING)).toBe(Math.max(T.floorMs, 100 * T.factor));
    const slower = Array(20).fill(250);
    expect(hangThresholdMs(slower, T, CEILING)).toBe(250 * T.factor);
  });

  it('never above the ceiling (the fixed hang timeout), and ignores nonsense samples', () => {
    expect(hangThresholdMs(Array(20).fill(3_000), T, CEILING)).toBe(CEILING);
    expect(hangThresholdMs([Number.NaN, -5, Number.POSITIVE_INFINITY, 40, 40, 40, 40, 40], T, CEILING)).toBe(Math.max(T.floorMs, 160));
  });
});

describe('page aborts', () => {
  it('before the threshold say nothing; at or after it they are a hang', () => {
    expect(abortedOutcome(499, 500)).toBeNull();
    expect(abortedOutcome(Number.NaN, 500)).toBeNull();
    expect(abortedOutcome(500, 500)).toMatchObject({ kind: 'failure', failureClass: 'timeout', detail: 'no answer in 0.5 s', latencyMs: 500 });
    expect(abortedOutcome(2_000, 1_500)).toMatchObject({ failureClass: 'timeout', detail: 'no answer in 1.5 s' });
  });
});

describe('recovery hold (flapping)', () => {
  const now = 1_000_000_000;
  it('none after a single outage, then 10 s doubling per further outage in the window, capped', () => {
    expect(recoveryHoldMs([], now, PAGE_TRAFFIC)).toBe(0);
    expect(recoveryHoldMs([now - 1_000], now, PAGE_TRAFFIC)).toBe(0);
    expect(recoveryHoldMs([now - 9_000, now - 1_000], now, PAGE_TRAFFIC)).toBe(PAGE_TRAFFIC.flapHoldMs);
    expect(recoveryHoldMs([now - 9_000, now - 5_000, now - 1_000], now, PAGE_TRAFFIC)).toBe(Math.min(PAGE_TRAFFIC.flapHoldMaxMs, PAGE_TRAFFIC.flapHoldMs * 2));
    expect(recoveryHoldMs(Array.from({ length: 8 }, (_, i) => now - i * 1_000), now, PAGE_TRAFFIC)).toBe(PAGE_TRAFFIC.flapHoldMaxMs);
  });
  it('outages older than the window are forgotten', () => {
    expect(recoveryHoldMs([now - PAGE_TRAFFIC.flapWindowMs - 1, now - 1_000], now, PAGE_TRAFFIC)).toBe(0);
  });
});

describe('check answers', () => {
  it('any JSON-RPC answer is alive; an HTTP error or a non-JSON-RPC body is a failure', () => {
    expect(checkAnswer(200, '{"jsonrpc":"2.0","id":1,"result":"0x539"}', null, 0)).toEqual({ kind: 'alive', chainId: 1337 });
    expect(checkAnswer(200, '{"jsonrpc":"2.0","id":1,"error":{"code":-32005,"message":"limit"}}', null, 0)).toEqual({ kind: 'alive' });
    expect(checkAnswer(200, '{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"nope"}}', null, 0)).toEqual({ kind: 'alive' });
    expect(checkAnswer(503, 'Service Unavailable', null, 0)).toMatchObject({ kind: 'failed', failure: { failureClass: 'http-5xx', detail: 'HTTP 503' } });
    expect(checkAnswer(200, '<html>captive portal</html>', null, 0)).toMatchObject({ kind: 'failed', failure: { failureClass: 'malformed' } });
    expect(checkUnanswered(true, 500)).toMatchObject({ kind: 'failed', failure: { failureClass: 'timeout', detail: 'no answer in 0.5 s' } });
    expect(checkUnanswered(false, 500)).toMatchObject({ kind: 'failed', failure: { failureClass: 'network', detail: 'connection failed' } });
  });
});
