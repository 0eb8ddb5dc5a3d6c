import { describe, expect, it } from 'vitest';
import { createEngineSet } from '../engine/engine-set.ts';
import { DEFAULT_ENDPOINTS } from '../registry/defaults.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { createSimNetwork } from '../testing/sim-network.ts';

describe('the stored snapshot with the full registry', () => {
  const world = () => {
    const clock = createManualClock();
    const net = createSimNetwork({ clock, endpoints: DEFAULT_ENDPOINTS.map((endpoint) => ({ endpoint })) });
    return { clock, engine: createEngineSet({ endpoints: DEFAULT_ENDPOINTS, transport: net.transport, clock, policyFor: () => ({}) }), net };
  };
  const endpointIds = (snapshot: unknown) =>
    Object.values((snapshot as { chains: Record<string, { health: { endpoints: Record<string, unknown> } }> }).chains).flatMap((c) => Object.keys(c.health.endpoints));

  it('holds only endpoints something was learnt about, and restores them as they were', async () => {
    const { clock, engine } = world();
    expect(endpointIds(engine.snapshot())).toEqual([]);
    await clock.settle(engine.probeChain(59144));
    const snapshot: unknown = JSON.parse(JSON.stringify(engine.snapshot()));
    const probed = DEFAULT_ENDPOINTS.filter((e) => e.chainId === 59144 && e.enabled).map((e) => e.id);
    expect(endpointIds(snapshot).sort()).toEqual(probed.sort());
    expect(JSON.stringify(snapshot).length).toBeLessThan(10_000);

    const restored = createEngineSet({ endpoints: DEFAULT_ENDPOINTS, transport: world().net.transport, clock, policyFor: () => ({}), snapshot });
    const view = (e: typeof engine) => e.healthView().endpoints.filter((x) => x.chainId === 59144).map((x) => [x.id, x.state, x.p50Ms]);
    expect(view(restored)).toEqual(view(engine));
    expect(restored.healthView().endpoints.find((x) => x.chainId === 1)?.reason).toBe('not checked yet');
  });
});
