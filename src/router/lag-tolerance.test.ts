import { describe, expect, it } from 'vitest';
import { toEnginePolicyPatch } from '../config/policy-overrides.ts';
import { DEFAULT_POLICY, type PolicyOverride, resolvePolicy } from '../policy/index.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { createSimNetwork, makeEndpoint } from '../testing/sim-network.ts';
import { createRouter } from './index.ts';

const ADDRESS = '0x' + '11'.repeat(20);

/** The user's lagToleranceBlocks as the options page stores it, through to the engine's policy. */
const withKnob = (blocks: number | undefined): PolicyOverride => (blocks === undefined ? {} : (toEnginePolicyPatch({ lagToleranceBlocks: blocks }) as PolicyOverride));

async function firstEndpointFor(method: string, params: readonly unknown[], knob: number | undefined): Promise<string | undefined> {
  const clock = createManualClock();
  // The laggard is the fastest even with its lag penalty, so it is tried first whenever its lag is
  // tolerated. Its provable lag is one block less than its real one: a block may have been
  // produced while the probes were out.
  const sims = [
    { endpoint: makeEndpoint('laggard'), latencyMs: 10, lagBlocks: 6 },
    { endpoint: makeEndpoint('b'), latencyMs: 200 },
    { endpoint: makeEndpoint('c'), latencyMs: 250 },
  ];
  const net = createSimNetwork({ clock, endpoints: sims });
  const router = createRouter({ transport: net.transport, clock, endpoints: sims.map((s) => s.endpoint), policy: withKnob(knob) });
  await clock.settle(router.prober.probeChain(1));
  expect(router.health.lag('laggard')).toBe(5);
  const answer = await clock.settle(router.request(1, { method, params }));
  expect(answer.ok).toBe(true);
  return answer.meta.attempts[0]?.endpointId;
}

describe('lagToleranceBlocks moves the routing tolerance, not only the shown state', () => {
  it('unset, the defaults stand: each read class keeps its own tolerance', () => {
    expect(resolvePolicy(withKnob(undefined)).lag.toleranceL1Blocks).toEqual(DEFAULT_POLICY.lag.toleranceL1Blocks);
    expect(resolvePolicy(withKnob(DEFAULT_POLICY.lag.degradedL1Blocks)).lag.toleranceL1Blocks).toEqual(DEFAULT_POLICY.lag.toleranceL1Blocks);
  });

  it('every class moves by as much as the knob, never below 0; explicit tolerances win', () => {
    expect(resolvePolicy(withKnob(10)).lag).toMatchObject({ degradedL1Blocks: 10, toleranceL1Blocks: { head: 7, block: 8, execution: 11 } });
    expect(resolvePolicy(withKnob(0)).lag).toMatchObject({ degradedL1Blocks: 0, toleranceL1Blocks: { head: 0, block: 0, execution: 1 } });
    expect(resolvePolicy({ lag: { degradedL1Blocks: 10, toleranceL1Blocks: { head: 0 } } }).lag.toleranceL1Blocks).toEqual({ head: 0, block: 8, execution: 11 });
  });

  it('a laggard 5 blocks behind is skipped for a latest balance by default, used once the knob tolerates it', async () => {
    const balance = ['eth_getBalance', [ADDRESS, 'latest']] as const;
    expect(await firstEndpointFor(...balance, undefined)).toBe('b');
    expect(await firstEndpointFor(...balance, 7)).toBe('b'); // head tolerance 4: still over
    expect(await firstEndpointFor(...balance, 8)).toBe('laggard'); // head tolerance 5: within
  });

  it('lowering the knob skips for eth_call a laggard the default would use', async () => {
    const call = ['eth_call', [{ to: ADDRESS, data: '0x70a08231' }, 'latest']] as const;
    expect(await firstEndpointFor(...call, 4)).toBe('laggard'); // execution tolerance 5: within
    expect(await firstEndpointFor(...call, undefined)).toBe('b'); // execution tolerance 4: over
  });
});
