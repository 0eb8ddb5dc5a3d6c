import { describe, expect, it } from 'vitest';
import { createEngineSet } from './engine-set';
import { createManualClock } from '../testing/manual-clock.ts';
import type { Transport } from '../net/transport';
import type { Endpoint } from '../types';

const endpoint = (id: string, chainId: number): Endpoint => ({
  id, chainId, url: `https://${id}.example/rpc`, provider: id, infrastructure: 'unknown', privacy: 'none', source: 'default', enabled: true,
});

/** Answers eth_chainId with the endpoint's chain and everything else with a fixed block. */
const honest: Transport = async (target, body) => {
  const request = JSON.parse(body) as { id: number; method: string };
  const result = request.method === 'eth_chainId' ? `0x${target.chainId.toString(16)}` : '0x10';
  return { status: 200, headers: { get: () => 'application/json' }, text: JSON.stringify({ jsonrpc: '2.0', id: request.id, result }) };
};

describe('createEngineSet', () => {
  it('applies each chain its own policy (here: the request deadline while every endpoint hangs)', async () => {
    const clock = createManualClock(0);
    const hangs: Transport = (_target, _body, signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const set = createEngineSet({
      endpoints: [endpoint('a', 1), endpoint('b', 137)],
      transport: hangs,
      clock,
      policyFor: (chainId) => (chainId === 137 ? { request: { deadlineMs: 20_000, attemptTimeoutMs: 10_000 } } : {}),
    });
    const timed = async (chainId: number) => {
      const started = clock.now();
      const answer = await clock.settle(set.request(chainId, { method: 'eth_getBalance', params: ['0x' + '11'.repeat(20), 'latest'] }), 60_000);
      return { ok: answer.ok, elapsed: clock.now() - started };
    };
    const l1 = await timed(1);
    const polygon = await timed(137);
    expect(l1.ok).toBe(false);
    expect(polygon.ok).toBe(false);
    expect(l1.elapsed).toBeLessThanOrEqual(8_000);
    expect(polygon.elapsed).toBeGreaterThan(8_000);
    expect(polygon.elapsed).toBeLessThanOrEqual(20_000);
    expect(Object.keys(set.snapshot().chains).sort()).toEqual(['1', '137']);
  });

  it('routes each chain to its own endpoints and keeps health across snapshot/restore', async () => {
    const clock = createManualClock(0);
    const set = createEngineSet({ endpoints: [endpoint('a', 1), endpoint('b', 10)], transport: honest, clock, policyFor: () => ({}) });
    const answer = await set.request(10, { method: 'eth_blockNumber', params: [] });
    expect(answer.ok && answer.meta.endpointId).toBe('b');
    const restored = createEngineSet({ endpoints: [endpoint('a', 1), endpoint('b', 10)], transport: honest, clock, policyFor: () => ({}), snapshot: JSON.parse(JSON.stringify(set.snapshot())) });
    expect(restored.endpointView('b')?.lastSuccessAt).toBe(set.endpointView('b')?.lastSuccessAt);
  });

  it('answers a chain without endpoints with an error instead of throwing', async () => {
    const set = createEngineSet({ endpoints: [endpoint('a', 1)], transport: honest, clock: createManualClock(0), policyFor: () => ({}) });
    const answer = await set.request(999, { method: 'eth_blockNumber', params: [] });
    expect(answer.ok).toBe(false);
  });
});
