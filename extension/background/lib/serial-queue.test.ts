import { describe, expect, it } from 'vitest';
import { serialQueue } from './serial-queue';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('serialQueue', () => {
  it('runs tasks one at a time, in order', async () => {
    const queue = serialQueue();
    const log: string[] = [];
    const gate = deferred();
    const first = queue.run(async () => {
      log.push('first start');
      await gate.promise;
      log.push('first end');
      return 1;
    });
    const second = queue.run(() => {
      log.push('second');
      return 2;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['first start']);
    gate.resolve();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(['first start', 'first end', 'second']);
  });

  it('a failed task rejects its own promise only; the next one still runs', async () => {
    const queue = serialQueue();
    const failed = queue.run(() => Promise.reject(new Error('boom')));
    const thrown = queue.run(() => {
      throw new Error('sync boom');
    });
    const next = queue.run(() => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(thrown).rejects.toThrow('sync boom');
    await expect(next).resolves.toBe('ran');
  });

  it('queues are independent', async () => {
    const a = serialQueue();
    const b = serialQueue();
    const gate = deferred();
    void a.run(() => gate.promise);
    await expect(b.run(() => 'b')).resolves.toBe('b');
    gate.resolve();
  });
});
