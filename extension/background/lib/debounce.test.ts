import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('debounce', () => {
  it('runs once, waitMs after the first call of a burst', () => {
    const task = vi.fn();
    const soon = debounce(task, 1000);
    soon();
    vi.advanceTimersByTime(400);
    soon();
    soon();
    vi.advanceTimersByTime(599);
    expect(task).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(task).toHaveBeenCalledTimes(1);
  });

  it('does not extend the wait, so a steady stream still runs every waitMs', () => {
    const task = vi.fn();
    const soon = debounce(task, 1000);
    for (let t = 0; t < 3000; t += 100) {
      soon();
      vi.advanceTimersByTime(100);
    }
    expect(task).toHaveBeenCalledTimes(3);
  });

  it('does not run without a call', () => {
    const task = vi.fn();
    debounce(task, 10);
    vi.advanceTimersByTime(1000);
    expect(task).not.toHaveBeenCalled();
  });

  it('keeps working after the task throws or rejects', async () => {
    let calls = 0;
    const soon = debounce(() => {
      calls++;
      if (calls === 1) throw new Error('sync');
      return Promise.reject(new Error('async'));
    }, 10);
    soon();
    vi.advanceTimersByTime(10);
    soon();
    vi.advanceTimersByTime(10);
    await Promise.resolve();
    soon();
    vi.advanceTimersByTime(10);
    expect(calls).toBe(3);
  });
});
