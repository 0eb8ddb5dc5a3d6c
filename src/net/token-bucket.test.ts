import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

describe('TokenBucket', () => {
  it('allows the burst, then refills at the configured rate', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 10, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    now += 100; // one token at 10/s
    expect([bucket.tryTake(), bucket.tryTake()]).toEqual([true, false]);
    now += 10_000; // refill caps at the capacity
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
  });

  it('takes deposits on top of the refill, up to the capacity', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 0, () => now);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, false]);
    bucket.add(0.5);
    expect(bucket.tryTake()).toBe(false);
    bucket.add(0.5);
    expect(bucket.tryTake()).toBe(true);
    bucket.add(10);
    expect(bucket.available()).toBe(2);
  });

  it('a clock that steps back neither adds nor loses tokens', () => {
    let now = 1_000;
    const bucket = new TokenBucket(1, 1, () => now);
    expect(bucket.tryTake()).toBe(true);
    now = 0;
    expect(bucket.tryTake()).toBe(false);
    now = 1_000;
    expect(bucket.tryTake()).toBe(false);
    now = 2_000;
    expect(bucket.tryTake()).toBe(true);
  });
});
