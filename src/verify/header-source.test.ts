// The agreement header source on its own: k providers must agree, a minority hash is the failed
// answer, two endpoints that disagree prove nothing, and "latest" is reused only briefly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock.ts';
import { startGanacheChain, type GanacheChain } from '../testing/ganache-chain.ts';
import { type Lie, tell } from '../testing/lies.ts';
import { makeEndpoint } from '../testing/sim-network.ts';
import type { RouteResult } from '../router/index.ts';
import { VERIFY_POLICY } from '../policy/index.ts';
import { createAgreementHeaderSource } from './header-source.ts';
import { createVerificationMarks } from './marks.ts';
import type { VerifyNetwork } from './network.ts';

let chain: GanacheChain;
beforeAll(async () => {
  chain = await startGanacheChain(1);
  await chain.request('evm_mine', []);
}, 30_000);
afterAll(() => chain?.close());

/** Endpoints in order; `only` pins one, otherwise the first not excluded answers. */
function network(lies: (Lie | undefined)[], asked: string[]): VerifyNetwork {
  const endpoints = lies.map((_, i) => makeEndpoint(`1:e${i}`, { provider: `P${i}` }));
  return {
    endpoints: () => endpoints,
    async request(_chainId, call, options = {}) {
      const endpoint = endpoints.find((e) => (!options.onlyEndpoints || options.onlyEndpoints.includes(e.id)) && !options.excludeEndpoints?.includes(e.id))!;
      asked.push(endpoint.id);
      const params = call.params as unknown[];
      const honest = await chain.request(call.method, params);
      const lie = lies[endpoints.indexOf(endpoint)];
      const told = lie ? await tell(lie, call.method, params, honest, chain.request) : { result: honest };
      const meta = { chainId: 1, method: call.method, source: 'endpoint' as const, attempts: [], hedged: false, elapsedMs: 0, endpointId: endpoint.id };
      return ('result' in told ? { ok: true, result: told.result, meta } : { ok: false, error: told.error, meta }) as RouteResult;
    },
  };
}

describe('agreement header source', () => {
  it('needs k providers; reuses "latest" only within its reuse window', async () => {
    const clock = createManualClock();
    const asked: string[] = [];
    const marks = createVerificationMarks(clock);
    const source = createAgreementHeaderSource({ network: network([undefined, undefined, undefined], asked), reporter: marks, clock });
    const first = await source.header(1, { kind: 'latest' });
    expect(first.ok).toBe(true);
    expect(asked).toHaveLength(VERIFY_POLICY.headerAgreement);
    await source.header(1, { kind: 'latest' });
    expect(asked).toHaveLength(VERIFY_POLICY.headerAgreement);
    // By height or hash it is cached for good.
    if (first.ok) await source.header(1, { kind: 'hash', hash: first.header.hash });
    expect(asked).toHaveLength(VERIFY_POLICY.headerAgreement);
    clock.advanceBy(VERIFY_POLICY.latestHeaderReuseMs);
    await source.header(1, { kind: 'latest' });
    expect(asked.length).toBeGreaterThan(VERIFY_POLICY.headerAgreement);
  });

  it('does not reuse "latest" once the engine knows a newer block', async () => {
    const clock = createManualClock();
    const asked: string[] = [];
    let knownHead: number | undefined;
    const source = createAgreementHeaderSource({
      network: { ...network([undefined, undefined, undefined], asked), head: () => knownHead },
      reporter: createVerificationMarks(clock),
      clock,
    });
    const first = await source.header(1, { kind: 'latest' });
    if (!first.ok) throw new Error(first.reason);
    knownHead = first.header.number;
    expect((await source.header(1, { kind: 'latest' })).ok).toBe(true);
    expect(asked).toHaveLength(VERIFY_POLICY.headerAgreement);
    // A block is mined and the engine hears of it well within the reuse window.
    await chain.request('evm_mine', []);
    knownHead = first.header.number + 1;
    const next = await source.header(1, { kind: 'latest' });
    expect(next.ok && next.header.number).toBe(first.header.number + 1);
  });

  it('outvotes a minority hash and marks the endpoint that told it', async () => {
    const clock = createManualClock();
    const marks = createVerificationMarks(clock);
    const source = createAgreementHeaderSource({ network: network(['minority-hash', undefined, undefined], []), reporter: marks, clock });
    const found = await source.header(1, { kind: 'latest' });
    expect(found.ok && found.header.hash).toBe(((await chain.request('eth_getBlockByNumber', ['latest', false])) as { hash: string }).hash);
    expect(marks.view().failed.map((m) => m.endpointId)).toEqual(['1:e0']);
  });

  it('proves nothing when two endpoints disagree and no third can settle it', async () => {
    const clock = createManualClock();
    const marks = createVerificationMarks(clock);
    const source = createAgreementHeaderSource({ network: network(['minority-hash', undefined], []), reporter: marks, clock });
    const found = await source.header(1, { kind: 'latest' });
    expect(found.ok).toBe(false);
    expect(marks.view().failed).toEqual([]);
  });

  it('a bench lasts the cool-down, then the endpoint is back', () => {
    const clock = createManualClock();
    const marks = createVerificationMarks(clock);
    marks.failed({ endpointId: '1:x', chainId: 1, method: 'eth_getBalance', block: '5', reason: 'test' });
    expect(marks.benched('1:x')).toBe(true);
    clock.advanceBy(VERIFY_POLICY.failedCooldownMs - 1);
    expect(marks.benched('1:x')).toBe(true);
    clock.advanceBy(1);
    expect(marks.benched('1:x')).toBe(false);
  });
});

describe('agreement header source with too few providers', () => {
  it('asks nothing when fewer providers than must agree serve the chain', async () => {
    const clock = createManualClock();
    const asked: string[] = [];
    const source = createAgreementHeaderSource({ network: network([undefined], asked), reporter: createVerificationMarks(clock), clock });
    expect((await source.header(1, { kind: 'latest' })).ok).toBe(false);
    expect(asked).toEqual([]);
  });
});
