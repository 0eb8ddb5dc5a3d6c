/**
 * Which of the chains due for a probe are probed, and how many at once. With 60 chains in the
 * registry, probing every chain Lifeline knows would cost public endpoints hundreds of requests a
 * minute for chains nobody uses; so chains in use are probed (the engine says when each is due),
 * chains the user gave their own endpoints are probed at the idle pace, and idle chains served
 * only by defaults are not probed at all: the router probes a chain on first contact anyway.
 */

export interface ProbeRoundInput {
  /** Chains whose probe interval has passed (the engine's `chainsDueForProbe`). */
  due: readonly number[];
  /** Chains with recent relays or wallet reports. */
  inUse: Iterable<number>;
  /** Chains with an endpoint from the user's configuration. */
  withOwnEndpoints: Iterable<number>;
}

/** The chains to probe this round, chains in use first. */
export function chainsToProbe({ due, inUse, withOwnEndpoints }: ProbeRoundInput): number[] {
  const active = new Set(inUse);
  const own = new Set(withOwnEndpoints);
  const chosen = due.filter((chainId) => active.has(chainId) || own.has(chainId));
  return [...chosen.filter((c) => active.has(c)), ...chosen.filter((c) => !active.has(c))];
}

/** Maps `items` through `fn` with at most `limit` calls running at once, results in the items'
 *  order; rejects with the first failure (as Promise.all does). */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Runs `task` for every item with at most `limit` running at once; resolves when all settled. */
export async function runWithLimit<T>(items: readonly T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  await mapWithLimit(items, limit, async (item) => {
    try {
      await task(item);
    } catch {
      // One chain's failed round must not stop the others'.
    }
  });
}
