/**
 * Retry budget (token bucket, after Finagle/gRPC retry throttling): every request deposits
 * `ratio` of a token, time adds `floorPerSecond`, every hedge or fail-over spends one. During an
 * outage retries can add at most ~20 % (plus the floor) to the load instead of multiplying it.
 */
import type { Clock } from '../clock.ts';
import type { Policy } from '../policy/index.ts';
import { TokenBucket } from '../net/token-bucket.ts';

export interface RetryBudget {
  /** Called once per routed request. */
  deposit(): void;
  /** Spends one token if available. */
  tryWithdraw(): boolean;
  available(): number;
}

export function createRetryBudget(policy: Policy, clock: Clock): RetryBudget {
  const { ratio, floorPerSecond, maxTokens } = policy.retryBudget;
  const bucket = new TokenBucket(maxTokens, floorPerSecond, () => clock.now());
  return {
    deposit: () => bucket.add(ratio),
    tryWithdraw: () => bucket.tryTake(),
    available: () => bucket.available(),
  };
}
