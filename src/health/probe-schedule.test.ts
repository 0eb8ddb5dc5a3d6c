import { describe, expect, it } from 'vitest';
import { chainsToProbe, mapWithLimit, runWithLimit } from './probe-schedule.ts';

describe('chainsToProbe', () => {
  it('probes chains in use first, then chains with own endpoints, and never idle default-only chains', () => {
    expect(chainsToProbe({ due: [1, 10, 56, 137, 424242], inUse: [137, 10], withOwnEndpoints: [424242, 10] })).toEqual([10, 137, 424242]);
  });

  it('probes nothing when no chain is in use and the user has no endpoints of their own', () => {
    expect(chainsToProbe({ due: [1, 10, 56], inUse: [], withOwnEndpoints: [] })).toEqual([]);
  });

  it('probes only chains that are due', () => {
    expect(chainsToProbe({ due: [56], inUse: [1, 56], withOwnEndpoints: [1] })).toEqual([56]);
  });
});

describe('runWithLimit', () => {
  it('never has more than the limit running, and runs every item once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];
    const releases: Array<() => void> = [];
    const done = runWithLimit([1, 2, 3, 4, 5, 6, 7], 3, (item) => {
      running++;
      peak = Math.max(peak, running);
      seen.push(item);
      return new Promise<void>((resolve) => releases.push(() => { running--; resolve(); }));
    });
    // Release one at a time: each release lets exactly one more start.
    for (let released = 0; released < 7; released++) {
      await Promise.resolve();
      await Promise.resolve();
      expect(running).toBeLessThanOrEqual(3);
      releases.shift()?.();
    }
    await done;
    expect(peak).toBe(3);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps going after a task fails', async () => {
    const seen: number[] = [];
    await runWithLimit([1, 2, 3], 1, async (item) => {
      seen.push(item);
      if (item === 1) throw new Error('boom');
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('a staggered round keeps every chain in use on the active pace', () => {
  it('a chain probed a few seconds after one tick is due again at the next', async () => {
    const { createManualClock } = await import('../testing/manual-clock.ts');
    const { createSimNetwork, makeEndpoint } = await import('../testing/sim-network.ts');
    const { createEngine } = await import('../index.ts');
    const clock = createManualClock();
    const endpoints = [makeEndpoint('1:a'), makeEndpoint('10:a', { chainId: 10 })];
    const net = createSimNetwork({ clock, endpoints: endpoints.map((endpoint) => ({ endpoint })) });
    const engine = createEngine({ endpoints, transport: net.transport, clock });
    await clock.settle(engine.probeChain(1));
    await clock.advanceByAsync(3_000); // the cap started chain 10 three seconds into the round
    await clock.settle(engine.probeChain(10));
    await clock.advanceByAsync(27_000 - 200); // the next alarm, a little early
    expect(engine.chainsDueForProbe([1, 10])).toEqual([1, 10]);
    await clock.settle(Promise.all([engine.probeChain(1), engine.probeChain(10)]));
    // …but not twice within one alarm period.
    await clock.advanceByAsync(10_000);
    expect(engine.chainsDueForProbe([1, 10])).toEqual([]);
  });
});

describe('mapWithLimit', () => {
  it('keeps the items\' order whatever order the calls finish in, and passes a failure on', async () => {
    const release = new Map<number, () => void>();
    const mapped = mapWithLimit([1, 2, 3], 3, (item) => new Promise<number>((resolve) => release.set(item, () => resolve(item * 10))));
    for (const item of [2, 3, 1]) release.get(item)!();
    expect(await mapped).toEqual([10, 20, 30]);
    await expect(mapWithLimit([1, 2], 2, async (item) => { if (item === 2) throw new Error('boom'); return item; })).rejects.toThrow('boom');
  });
});
