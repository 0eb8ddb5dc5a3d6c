/**
 * One token bucket for every budget Lifeline keeps: relays a page may ask for per second, and
 * the router's retry budget. Time comes from an injected `now`, so tests drive it.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    /** Most tokens the bucket holds; it starts full. */
    private readonly capacity: number,
    /** Tokens added per second of elapsed time. */
    private readonly refillPerSecond: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.refilledAt = now();
  }

  private refill(): void {
    const t = this.now();
    if (t > this.refilledAt) this.tokens = Math.min(this.capacity, this.tokens + ((t - this.refilledAt) / 1000) * this.refillPerSecond);
    this.refilledAt = Math.max(this.refilledAt, t);
  }

  /** Adds tokens beyond the time-based refill (a retry budget's deposit per request). */
  add(amount: number): void {
    this.refill();
    this.tokens = Math.min(this.capacity, this.tokens + amount);
  }

  /** Spends one token if there is one. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  available(): number {
    this.refill();
    return this.tokens;
  }
}
