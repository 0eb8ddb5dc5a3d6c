import { describe, expect, it } from 'vitest';
import { createEngine, type EndpointView } from '../index.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { createSimNetwork, makeEndpoint } from '../testing/sim-network.ts';

const ADDRESS = '0x' + '11'.repeat(20);

function world() {
  const clock = createManualClock();
  const endpoints = [
    makeEndpoint('1:good', { provider: 'Good', infrastructure: 'gcp' }),
    makeEndpoint('1:down', { provider: 'Down', infrastructure: 'aws' }),
    makeEndpoint('1:wrong', { provider: 'Wrong' }),
    makeEndpoint('137:poly', { chainId: 137, provider: 'Poly' }),
  ];
  const net = createSimNetwork({
    clock,
    endpoints: [
      { endpoint: endpoints[0]!, latencyMs: 120 },
      { endpoint: endpoints[1]!, behaviour: () => ({ kind: 'http-5xx', status: 503 }) },
      { endpoint: endpoints[2]!, servesChainId: 56 },
      { endpoint: endpoints[3]! },
    ],
  });
  return { clock, endpoints, net };
}

describe('engine facade', () => {
  it('routes, probes and explains health for the UI', async () => {
    const { clock, endpoints, net } = world();
    const engine = createEngine({ endpoints, transport: net.transport, clock });
    expect(engine.chainsDueForProbe([1])).toEqual([1, 137]);
    await clock.settle(engine.probeChain(1));
    expect(engine.chainsDueForProbe([1])).toEqual([137]);

    const answer = await clock.settle(engine.request(1, { method: 'eth_getBalance', params: [ADDRESS, 'latest'] }));
    expect(answer).toMatchObject({ ok: true, meta: { endpointId: '1:good', source: 'endpoint' } });

    const view = engine.healthView();
    const byId = (id: string) => view.endpoints.find((e) => e.id === id) as EndpointView;
    expect(byId('1:good')).toMatchObject({ state: 'healthy', reason: 'p50 120 ms', p50Ms: 120, breaker: 'closed', chainVerified: true, lagBlocks: 0 });
    expect(byId('1:down')).toMatchObject({ state: 'degraded', reason: 'HTTP 503', lastFailure: { failureClass: 'http-5xx' } });
    expect(byId('1:wrong')).toMatchObject({ state: 'down', reason: 'wrong chain 56', chainVerified: false });
    expect(byId('137:poly')).toMatchObject({ state: 'unknown', reason: 'not checked yet' });
    expect(view.chains.find((c) => c.chainId === 1)).toMatchObject({ state: 'healthy', healthy: 1, degraded: 1, down: 1, total: 3, head: net.trueHead(1) });
  });

  it('survives a worker restart through a JSON snapshot', async () => {
    const { clock, endpoints, net } = world();
    const first = createEngine({ endpoints, transport: net.transport, clock });
    await clock.settle(first.probeChain(1));
    for (let i = 0; i < 2; i++) first.recordOutcome(endpoints[1]!.url, { kind: 'failure', failureClass: 'http-5xx', detail: 'HTTP 503', httpStatus: 503 });
    const stored = JSON.parse(JSON.stringify(first.snapshot()));

    const second = createEngine({ endpoints, transport: net.transport, clock, snapshot: stored });
    expect(second.endpointView('1:down')).toMatchObject({ state: 'down', reason: 'HTTP 503 ×3', breaker: 'open' });
    expect(second.endpointView('1:wrong')?.reason).toBe('wrong chain 56');
    // Head and verification survive, so the first request after a restart needs no probe round.
    const callsBefore = net.calls.length;
    const answer = await clock.settle(second.request(1, { method: 'eth_getBalance', params: [ADDRESS, 'latest'] }));
    expect(answer.ok).toBe(true);
    expect(net.calls.slice(callsBefore).map((c) => `${c.endpointId} ${c.method}`)).toEqual(['1:good eth_getBalance']);
  });

  it('keeps health across an endpoint list update and applies policy overrides', async () => {
    const { clock, endpoints, net } = world();
    const engine = createEngine({ endpoints, transport: net.transport, clock, policy: { request: { deadlineMs: 3_000 } } });
    expect(engine.policy.request).toMatchObject({ deadlineMs: 3_000, attemptTimeoutMs: 3_000 });
    await clock.settle(engine.probeChain(1));
    engine.setEndpoints(endpoints.filter((e) => e.id !== '1:wrong'));
    expect(engine.endpoints(1).map((e) => e.id)).toEqual(['1:good', '1:down']);
    expect(engine.endpointView('1:good')?.p50Ms).toBe(120);
    expect(engine.endpointView('1:wrong')).toBeUndefined();
  });
});
