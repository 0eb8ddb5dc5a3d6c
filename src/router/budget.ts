/**
 * Retry budget (token bucket, after Finagle/gRPC retry throttling): every request deposits
 * `ratio` of a token, time adds `floorPerSecond`, every hedge or fail-over spends one. During an
 * outage retries can add at most ~20 % (plus the floor) to the load instead of multiplying it.
 */
import type { Clock } from '../clock.ts';
import type { Policy } from '../policy/index.ts';

export interface RetryBudget {
  /** Called once per routed request. */
  deposit(): void;
  /** Spends one token if available. */
  tryWithdraw(): boolean;
  available(): number;
}

export function createRetryBudget(policy: Policy, clock: Clock): RetryBudget {
  const { ratio, floorPerSecond, maxTokens } = policy.retryBudget;
  let tokens = maxTokens;
  let refilledAt = clock.now();

  const refill = () => {
    const now = clock.now();
    if (now > refilledAt) {
      tokens = Math.min(maxTokens, tokens + ((now - refilledAt) / 1000) * floorPerSecond);
      refilledAt = now;
    }
  };

  return {
    deposit() {
      refill();
      tokens = Math.min(maxTokens, tokens + ratio);
    },
    tryWithdraw() {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    available() {
      refill();
      return tokens;
    },
  };
}
