/**
 * Active health probes on the probe alarm's tick (lib/alarms.ts): the engine decides which
 * chains are due, src/health/probe-schedule.ts which of those are probed (chains in use, and
 * chains with the user's own endpoints) and how many at once.
 */
import { getEngine, persistEngineSoon } from './engine-host';
import { chainsInUse } from './chains-in-use';
import { onProbeAlarm } from './lib/alarms';
import { chainsToProbe, runWithLimit } from '../../src/health/probe-schedule';
import { SHELL_POLICY } from '../../src/policy/index';

export async function probeDueChains(): Promise<number[]> {
  const engine = await getEngine();
  const inUse = await chainsInUse();
  const withOwnEndpoints = engine.endpoints().filter((e) => e.source === 'user').map((e) => e.chainId);
  const chains = chainsToProbe({ due: engine.chainsDueForProbe(inUse), inUse, withOwnEndpoints });
  await runWithLimit(chains, SHELL_POLICY.maxConcurrentChainProbes, (chainId) => engine.probeChain(chainId));
  if (chains.length > 0) persistEngineSoon();
  return chains;
}

export function registerProbes(): void {
  onProbeAlarm(() => void probeDueChains());
}
