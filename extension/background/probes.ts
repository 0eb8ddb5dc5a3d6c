/**
 * Active health probes on the probe alarm's tick (lib/alarms.ts); the engine decides which
 * chains are due.
 */
import { getEngine, persistEngineSoon } from './engine-host';
import { chainsInUse } from './chains-in-use';
import { onProbeAlarm } from './lib/alarms';

export async function probeDueChains(): Promise<number[]> {
  const engine = await getEngine();
  const due = engine.chainsDueForProbe(await chainsInUse());
  await Promise.all(due.map((chainId) => engine.probeChain(chainId)));
  if (due.length > 0) persistEngineSoon();
  return due;
}

export function registerProbes(): void {
  onProbeAlarm(() => void probeDueChains());
}
