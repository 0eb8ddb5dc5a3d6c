/**
 * The worker's one alarm. chrome.alarms wakes a stopped worker (every 30 s at most: its minimum
 * period, also the engine's active probe interval); each feature subscribes to the tick instead
 * of declaring the alarm itself. The alarm outlives the worker, so it is created only when
 * missing: re-creating it at every start would push its next tick back each time.
 */
import { SHELL_POLICY } from '../../../src/policy/index';
import { ext, type Browser } from '../../platform/browser';

const PROBE_ALARM = 'lifeline-probe';
const subscribers: Array<() => void> = [];

function dispatch(alarm: Browser.Alarms.Alarm): void {
  if (alarm.name !== PROBE_ALARM) return;
  for (const subscriber of subscribers) {
    try {
      subscriber();
    } catch {
      // One feature's failure must not cost the others their tick.
    }
  }
}

/** Runs `subscriber` on every tick, in subscription order. Call at start-up (synchronously), so
 *  the tick that woke the worker reaches it. */
export function onProbeAlarm(subscriber: () => void): void {
  if (subscribers.length === 0) {
    ext.alarms.onAlarm.addListener(dispatch);
    void ext.alarms.get(PROBE_ALARM).then((existing) => {
      if (!existing) {
        void ext.alarms.create(PROBE_ALARM, { periodInMinutes: SHELL_POLICY.probeAlarmPeriodMinutes, delayInMinutes: SHELL_POLICY.probeAlarmPeriodMinutes });
      }
    });
  }
  subscribers.push(subscriber);
}
