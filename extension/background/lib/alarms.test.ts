import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SHELL_POLICY } from '../../../src/policy/index';

type AlarmListener = (alarm: { name: string }) => void;
let listeners: AlarmListener[];
let existing: { name: string } | undefined;
let create: ReturnType<typeof vi.fn>;
let alarms: typeof import('./alarms');

beforeEach(async () => {
  listeners = [];
  existing = undefined;
  create = vi.fn(async () => undefined);
  vi.stubGlobal('chrome', {
    alarms: { onAlarm: { addListener: (l: AlarmListener) => listeners.push(l) }, get: vi.fn(async () => existing), create },
  });
  vi.resetModules();
  alarms = await import('./alarms');
});
afterEach(() => vi.unstubAllGlobals());

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('probe alarm', () => {
  it('one chrome listener dispatches the probe tick to every subscriber, in order', async () => {
    const order: string[] = [];
    alarms.onProbeAlarm(() => order.push('probes'));
    alarms.onProbeAlarm(() => {
      order.push('status');
      throw new Error('a failing subscriber');
    });
    alarms.onProbeAlarm(() => order.push('page traffic'));
    expect(listeners).toHaveLength(1);
    listeners[0]!({ name: 'something-else' });
    expect(order).toEqual([]);
    listeners[0]!({ name: 'lifeline-probe' });
    expect(order).toEqual(['probes', 'status', 'page traffic']);
  });

  it('is created once, only when missing', async () => {
    alarms.onProbeAlarm(() => undefined);
    alarms.onProbeAlarm(() => undefined);
    await flush();
    expect(create).toHaveBeenCalledTimes(1);
    expect(create).toHaveBeenCalledWith('lifeline-probe', { periodInMinutes: SHELL_POLICY.probeAlarmPeriodMinutes, delayInMinutes: SHELL_POLICY.probeAlarmPeriodMinutes });
  });

  it('an alarm that outlived the worker is kept (its schedule is not pushed back)', async () => {
    existing = { name: 'lifeline-probe' };
    alarms.onProbeAlarm(() => undefined);
    await flush();
    expect(create).not.toHaveBeenCalled();
  });
});
