import { describe, expect, it } from 'vitest';
import { delay } from '../clock.ts';
import { createManualClock } from './manual-clock.ts';

describe('ManualClock', () => {
  it('fires timers in time order, same-time timers in creation order', () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => fired.push('a@10'), 10);
    clock.setTimeout(() => fired.push('c@20'), 20);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    clock.clearTimeout(cancelled);
    clock.advanceBy(19);
    expect(fired).toEqual(['a@10']);
    clock.advanceBy(1);
    expect(fired).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.now()).toBe(20);
  });

  it('settles promise chains that wait on timers without real waiting', async () => {
    const clock = createManualClock(0);
    const work = (async () => {
      await delay(clock, 1_000);
      await delay(clock, 5_000);
      return clock.now();
    })();
    await expect(clock.settle(work)).resolves.toBe(6_000);
  });

  it('reports a hang instead of spinning forever', async () => {
    const clock = createManualClock(0);
    await expect(clock.settle(new Promise(() => {}))).rejects.toThrow(/hang/);
  });

  it('delay rejects when aborted', async () => {
    const clock = createManualClock(0);
    const controller = new AbortController();
    const waiting = delay(clock, 1_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(clock.pendingTimers()).toBe(0);
  });
});
