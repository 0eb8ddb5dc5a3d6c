/**
 * Active health probes on a schedule. chrome.alarms wakes the worker (its minimum period is 30 s,
 * which is also the engine's active probe interval); the engine decides which chains are due.
 */
import { getEngine, persistEngineSoon } from './engine-host';
import { chainsInUse } from './chains-in-use';
import { SHELL_POLICY } from '../../src/policy/index';

const ALARM = 'lifeline-probe';

export async function probeDueChains(): Promise<number[]> {
  const engine = await getEngine();
  const due = engine.chainsDueForProbe(await chainsInUse());
  await Promise.all(due.map((chainId) => engine.probeChain(chainId)));
  if (due.length > 0) persistEngineSoon();
  return due;
}

export function registerProbes(): void {
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) void probeDueChains();
  });
  void chrome.alarms.get(ALARM).then((existing) => {
    if (!existing) void chrome.alarms.create(ALARM, { periodInMinutes: SHELL_POLICY.probeAlarmPeriodMinutes, delayInMinutes: SHELL_POLICY.probeAlarmPeriodMinutes });
  });
}
