import { keccak256 } from 'ethers/crypto';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock.ts';
import { failure } from '../rpc/jsonrpc.ts';
import type { PolicyOverride } from '../policy/index.ts';
import { SIM_REVERT_DATA, type SimBehaviour, type SimEndpoint, createSimNetwork, decodeSimState, makeEndpoint } from '../testing/sim-network.ts';
import type { Transport } from '../net/transport.ts';
import type { Endpoint } from '../types.ts';
import { createRouter } from './index.ts';

const ADDRESS = '0x' + '11'.repeat(20);
const RAW_TX = '0x02f86c0180843b9aca00850ba43b740082520894' + '22'.repeat(20) + '880de0b6b3a764000080c0';

function setup(specs: SimEndpoint[], policy: PolicyOverride = {}) {
  const clock = createManualClock();
  const net = createSimNetwork({ clock, endpoints: specs });
  const router = createRouter({ transport: net.transport, clock, endpoints: specs.map((s) => s.endpoint), policy });
  const request = (method: string, params?: unknown, options?: Parameters<typeof router.request>[2]) => clock.settle(router.request(1, { method, params }, options));
  const sent = (method: string, endpointId?: string) => net.calls.filter((c) => c.method === method && (endpointId === undefined || c.endpointId === endpointId));
  const warmUp = () => clock.settle(router.prober.probeChain(1));
  const at = (ms: number) => clock.advanceBy(net.startedAt + ms - clock.now());
  return { clock, net, router, request, sent, warmUp, at };
}

const sim = (id: string, extra: Partial<SimEndpoint> = {}, endpoint: Partial<Endpoint> = {}): SimEndpoint => ({ endpoint: makeEndpoint(id, endpoint), ...extra });
const always = (behaviour: SimBehaviour) => () => behaviour;
const from = (startMs: number, behaviour: SimBehaviour) => (t: number): SimBehaviour => (t >= startMs ? behaviour : { kind: 'healthy' });

describe('what is never routed', () => {
  it('answers eth_chainId locally and refuses wallet-only and unknown methods without any network call', async () => {
    const { request, net } = setup([sim('a')]);
    expect(await request('eth_chainId', [])).toMatchObject({ ok: true, result: '0x1', meta: { source: 'local' } });
    for (const method of ['eth_sendTransaction', 'eth_accounts', 'personal_sign', 'eth_signTypedData_v4', 'wallet_switchEthereumChain']) {
      expect(await request(method, [])).toMatchObject({ ok: false, error: { code: 4200, data: { reason: 'wallet-only' } } });
    }
    expect(await request('eth_newFilter', [{}])).toMatchObject({ ok: false, error: { code: -32601 } });
    expect(await request('eth_getBalance', ['0x12'])).toMatchObject({ ok: false, error: { code: -32602 } });
    expect(await request('eth_getLogs', [{ fromBlock: '0x0', toBlock: '0x100000' }])).toMatchObject({ ok: false, error: { code: -32602, message: expect.stringContaining('exceeds 1000') } });
    expect(net.calls).toHaveLength(0);
  });
});

describe('reads', () => {
  it('uses the fastest verified endpoint and returns its answer', async () => {
    const { request, warmUp, sent, net } = setup([sim('slow', { latencyMs: 200 }), sim('fast', { latencyMs: 40 })]);
    await warmUp();
    const answer = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(answer).toMatchObject({ ok: true, meta: { endpointId: 'fast', hedged: false, elapsedMs: 40 } });
    expect(decodeSimState(answer.ok ? answer.result : undefined)).toEqual({ chainId: 1, block: net.trueHead(1) });
    expect(sent('eth_getBalance', 'slow')).toHaveLength(0);
  });

  it.each<[SimBehaviour, string]>([
    [{ kind: 'http-5xx' }, 'http-5xx'],
    [{ kind: 'http-429' }, 'http-429'],
    [{ kind: 'malformed' }, 'malformed'],
    [{ kind: 'html' }, 'html'],
    [{ kind: 'wrong-id' }, 'wrong-id'],
    [{ kind: 'limit' }, 'limit'],
    [{ kind: 'network' }, 'network'],
  ])('fails over at once after %j', async (behaviour, failureClass) => {
    const { request, warmUp, at } = setup([sim('a', { latencyMs: 30, behaviour: from(1_000, behaviour) }), sim('b', { latencyMs: 60 })]);
    await warmUp();
    at(1_000);
    const answer = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(answer.ok).toBe(true);
    expect(answer.meta.attempts.map((a) => [a.endpointId, a.kind, a.outcome])).toEqual([
      ['a', 'primary', failureClass],
      ['b', 'failover', 'answer'],
    ]);
  });

  it('passes a revert through unchanged, without asking anyone else', async () => {
    const { request, warmUp, sent } = setup([sim('a'), sim('b'), sim('c')]);
    await warmUp();
    const answer = await request('eth_call', [{ to: ADDRESS, data: SIM_REVERT_DATA }, 'latest']);
    expect(answer).toMatchObject({ ok: false, error: { code: 3, message: 'execution reverted: simulated', data: '0x08c379a0' }, meta: { source: 'endpoint' } });
    expect(sent('eth_call')).toHaveLength(1);
  });

  it('hedges a slow primary with few samples after its slowest answer × 1.2 (at least 150 ms), not the cold delay, and aborts the loser', async () => {
    const { request, warmUp, at, sent, router } = setup([sim('a', { latencyMs: 50, behaviour: from(10_000, { kind: 'slow', latencyMs: 3_000 }) }), sim('b', { latencyMs: 80 })]);
    await warmUp();
    at(10_000);
    const answer = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(answer).toMatchObject({ ok: true, meta: { endpointId: 'b', hedged: true, elapsedMs: 150 + 80 } });
    expect(answer.meta.attempts.map((a) => [a.endpointId, a.kind, a.outcome, a.startedAtMs])).toEqual([
      ['a', 'primary', 'aborted', 0],
      ['b', 'hedge', 'answer', 150],
    ]);
    expect(sent('eth_getBalance', 'a')[0]?.status).toBe('aborted');
    // Silent for 230 ms where its one answer took 50: charged a timeout, so it is silent for the next read.
    expect(router.health.view('a')).toMatchObject({ silent: true, lastFailure: { failureClass: 'timeout' } });
  });

  it('adapts the hedge delay to the primary: p95 × 1.2 clamped to [150, 750] ms', async () => {
    const fast = setup([sim('a', { latencyMs: 50, behaviour: from(10_000, { kind: 'hang' }) }), sim('b', { latencyMs: 80 })]);
    await fast.warmUp();
    for (let i = 0; i < 6; i++) await fast.request('eth_blockNumber', []);
    fast.at(10_000);
    expect((await fast.request('eth_getBalance', [ADDRESS, 'latest'])).meta.elapsedMs).toBe(150 + 80);

    const slow = setup([sim('a', { latencyMs: 1_000, behaviour: from(20_000, { kind: 'hang' }) }), sim('b', { latencyMs: 1_500 })]);
    await slow.warmUp();
    for (let i = 0; i < 6; i++) await slow.request('eth_blockNumber', []);
    slow.at(20_000);
    expect((await slow.request('eth_getBalance', [ADDRESS, 'latest'])).meta.elapsedMs).toBe(750 + 1_500);
  });

  it('charges an endpoint a hedge overtook: a hung preferred endpoint costs the hedge delay once, not on every read', async () => {
    // Found by bench/run.ts (outage-start): the overtaken attempt was aborted without a trace, so a
    // hung user endpoint stayed first in line; every read paid the hedge delay and, at a few reads per
    // second, the retry budget ran dry and reads failed after the 4 s attempt timeout.
    const { request, warmUp, at, router } = setup([sim('mine', { latencyMs: 20, behaviour: from(10_000, { kind: 'hang' }) }, { source: 'user' }), sim('b', { latencyMs: 50 })]);
    await warmUp();
    for (let i = 0; i < 6; i++) await request('eth_blockNumber', []);
    at(10_000);
    const first = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(first).toMatchObject({ ok: true, meta: { endpointId: 'b', hedged: true, elapsedMs: 150 + 50 } });
    // Its last outcome is a timeout: silent, so it goes behind the endpoint that just answered.
    expect(router.health.view('mine')).toMatchObject({ silent: true, lastFailure: { failureClass: 'timeout' } });
    for (let i = 0; i < 3; i++) {
      const after = await request('eth_getBalance', [ADDRESS, 'latest']);
      expect(after).toMatchObject({ ok: true, meta: { endpointId: 'b', hedged: false, elapsedMs: 50 } });
    }
  });

  it('does not charge a hedge that lost to the attempt it was hedging', async () => {
    const { request, warmUp, at, router } = setup([sim('a', { latencyMs: 20, behaviour: from(10_000, { kind: 'slow', latencyMs: 300 }) }), sim('b', { latencyMs: 500 })]);
    await warmUp();
    for (let i = 0; i < 6; i++) await request('eth_blockNumber', []);
    at(10_000);
    const answer = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(answer.meta.attempts.map((a) => [a.endpointId, a.kind, a.outcome, a.startedAtMs])).toEqual([
      ['a', 'primary', 'answer', 0],
      ['b', 'hedge', 'aborted', 150],
    ]);
    expect(router.health.view('b')).toMatchObject({ breaker: 'closed', state: 'healthy' });
    expect(router.health.view('b')?.lastFailure).toBeUndefined();
  });

  it('ends at the 8 s deadline when nothing answers', async () => {
    const { request, clock, net } = setup(['a', 'b', 'c', 'd', 'e'].map((id) => sim(id, { behaviour: always({ kind: 'hang' }) })));
    const answer = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(answer).toMatchObject({ ok: false, error: { code: -32603, data: { reason: 'deadline' } }, meta: { elapsedMs: 8_000, source: 'engine' } });
    expect(clock.now() - net.startedAt).toBe(8_000);
    // 3 in flight at most: a, b (hedge 150 ms: a cold target is a guess), c at once (b has left the
    // cold-start probe sent at 0 unanswered past its hedge delay: it is already stalled); nothing
    // untried answers now, so none gives up its slot early; d and e replace a and b when they time out.
    expect(answer.meta.attempts.map((a) => [a.endpointId, a.kind, a.startedAtMs, a.outcome])).toEqual([
      ['a', 'primary', 0, 'timeout'],
      ['b', 'hedge', 150, 'timeout'],
      ['c', 'hedge', 150, 'timeout'],
      ['d', 'failover', 4_000, 'aborted'],
      ['e', 'failover', 4_150, 'aborted'],
    ]);
  });

  it('gives up early when every endpoint has timed out', async () => {
    const { request } = setup([sim('a', { behaviour: always({ kind: 'hang' }) }), sim('b', { behaviour: always({ kind: 'hang' }) })]);
    const answer = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(answer).toMatchObject({ ok: false, error: { data: { reason: 'all-failed' } }, meta: { elapsedMs: 4_150 } });
    if (!answer.ok) expect(answer.error.message).toContain('a: no answer in 4 s; b: no answer in 4 s');
  });

  it('returns the endpoints’ own error when every endpoint failed with the same JSON-RPC error', async () => {
    const { request } = setup([sim('a', { behaviour: always({ kind: 'limit' }) }), sim('b', { behaviour: always({ kind: 'limit' }) })]);
    expect(await request('eth_gasPrice', [])).toMatchObject({ ok: false, error: { code: -32005, message: 'limit exceeded' } });
  });

  it('says which endpoints failed how when nothing answered', async () => {
    const { request } = setup([sim('a', { behaviour: always({ kind: 'http-5xx' }) }), sim('b', { behaviour: always({ kind: 'html' }) })]);
    const answer = await request('eth_gasPrice', []);
    expect(answer.ok).toBe(false);
    if (!answer.ok) {
      expect(answer.error.message).toContain('a: HTTP 503');
      expect(answer.error.message).toContain('b: HTTP page instead of JSON'.replace('HTTP page', 'HTML page'));
    }
  });

  it('never returns an answer from an endpoint serving another chain, even on first contact', async () => {
    const { request, sent } = setup([sim('wrong', { latencyMs: 10, servesChainId: 56 }), sim('right', { latencyMs: 90 })]);
    const answer = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(answer.ok).toBe(true);
    expect(decodeSimState(answer.ok ? answer.result : undefined)?.chainId).toBe(1);
    expect(answer.meta.endpointId).toBe('right');
    const before = sent('eth_getBalance', 'wrong').length;
    await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(sent('eth_getBalance', 'wrong')).toHaveLength(before);
  });

  it('verifies an answer with a probe sent after the request, not an older one sent while the endpoint hung', async () => {
    const { request, router, at, warmUp } = setup([sim('a', { latencyMs: 20, behaviour: (t) => ({ kind: t < 5_000 ? 'hang' : 'healthy' }) }), sim('b', { behaviour: always({ kind: 'http-5xx' }) })]);
    await warmUp(); // a full round (a timed out), so no cold-start wait below
    at(4_500);
    void router.prober.probeChain(1); // a's probe hangs until 8.5 s
    at(5_500);
    const answer = await request('eth_getBalance', [ADDRESS, 'latest']);
    expect(answer).toMatchObject({ ok: true, meta: { endpointId: 'a' } });
    expect(answer.meta.elapsedMs).toBeLessThan(1_000);
  });

  it('keeps a lagging endpoint away from head-sensitive reads but uses it for pinned blocks', async () => {
    const { request, warmUp, sent } = setup([sim('laggard', { latencyMs: 10, lagBlocks: 10 }), sim('b', { latencyMs: 50 }), sim('c', { latencyMs: 60 })]);
    await warmUp();
    expect((await request('eth_getBalance', [ADDRESS, 'latest'])).meta.endpointId).toBe('b');
    expect(sent('eth_getBalance', 'laggard')).toHaveLength(0);
    // Pinned block: lag doesn't disqualify, it only costs 20 ms per block in the score (10 + 200 > 50).
    expect((await request('eth_getBalance', [ADDRESS, '0x10'])).meta.endpointId).toBe('b');
    expect((await request('eth_getBalance', [ADDRESS, '0x10'], { preferNot: ['b', 'c'] })).meta.endpointId).toBe('laggard');
  });

  it('rejects a stale eth_blockNumber answer by its value and fails over', async () => {
    // The laggard missed the probe round, so only its answer can reveal the lag.
    const { request, warmUp, at } = setup([sim('laggard', { latencyMs: 10, lagBlocks: 10, behaviour: (t) => ({ kind: t < 1_000 ? 'http-5xx' : 'healthy' }) }), sim('b', { latencyMs: 50 }), sim('c', { latencyMs: 60 })]);
    await warmUp();
    at(1_000);
    const answer = await request('eth_blockNumber', [], { preferNot: ['b', 'c'] });
    expect(answer.meta.attempts.map((a) => [a.endpointId, a.outcome, a.detail])).toEqual([
      ['laggard', 'stale', '10 blocks behind'],
      ['b', 'answer', undefined],
    ]);
  });

  it('rejects an implausible far-future block number', async () => {
    const { request, warmUp } = setup([sim('liar', { latencyMs: 10, claimsAheadBlocks: 1_000_000 }), sim('b', { latencyMs: 50 }), sim('c', { latencyMs: 60 })]);
    await warmUp();
    const answer = await request('eth_blockNumber', []);
    expect(answer.meta.attempts[0]).toMatchObject({ endpointId: 'liar', outcome: 'implausible' });
    expect(answer.meta.endpointId).toBe('b');
  });

  it('skips endpoints whose breaker is open, and honours Retry-After', async () => {
    const { request, warmUp, router, sent, at } = setup([
      sim('open', { latencyMs: 10 }),
      sim('limited', { latencyMs: 20, behaviour: (t) => (t >= 1_000 && t < 1_100 ? { kind: 'http-429', retryAfterSec: 30 } : { kind: 'healthy' }) }),
      sim('ok', { latencyMs: 90 }),
    ]);
    await warmUp();
    for (let i = 0; i < 3; i++) router.health.recordOutcome('open', failure('http-5xx', 'HTTP 503'));
    at(1_000);
    expect((await request('eth_gasPrice', [])).meta.attempts.map((a) => [a.endpointId, a.outcome])).toEqual([
      ['limited', 'http-429'],
      ['ok', 'answer'],
    ]);
    at(20_000);
    // Cool-down over: half-open endpoints rank after every closed one; the probe is their trial.
    expect((await request('eth_gasPrice', [])).meta.endpointId).toBe('ok');
    expect(sent('eth_gasPrice', 'open')).toHaveLength(0);
    expect(sent('eth_gasPrice', 'limited')).toHaveLength(1);
    await warmUp();
    expect(router.health.view('open')?.breaker).toBe('closed');
    expect((await request('eth_gasPrice', [])).meta.endpointId).toBe('open');
    expect(router.health.availability('limited')).toBe('rate-limited');
    at(31_100);
    expect(router.health.availability('limited')).toBe('available');
  });

  it('when every breaker is open, still hedges across them to find one that recovered', async () => {
    const { request, warmUp, router, at } = setup([sim('a', { latencyMs: 20, behaviour: from(1_000, { kind: 'hang' }) }), sim('b', { latencyMs: 50 })]);
    await warmUp();
    for (const id of ['a', 'b']) for (let i = 0; i < 3; i++) router.health.recordOutcome(id, failure('http-5xx', 'HTTP 503'));
    at(1_000);
    const answer = await request('eth_gasPrice', []);
    expect(answer).toMatchObject({ ok: true, meta: { endpointId: 'b', hedged: true } });
    expect(answer.meta.elapsedMs).toBeLessThan(1_000);
  });

  it('prefers other infrastructure after a failure on one', async () => {
    const { request, warmUp, at } = setup([
      sim('aws-1', { latencyMs: 20, behaviour: from(1_000, { kind: 'http-5xx' }) }, { infrastructure: 'aws' }),
      sim('aws-2', { latencyMs: 30 }, { infrastructure: 'aws' }),
      sim('gcp', { latencyMs: 100 }, { infrastructure: 'gcp' }),
    ]);
    await warmUp();
    at(1_000);
    const first = await request('eth_gasPrice', []);
    expect(first.meta.attempts.map((a) => a.endpointId)).toEqual(['aws-1', 'gcp']);
    // Recently failed on this chain: aws endpoints rank as if 1 s slower.
    expect((await request('eth_gasPrice', [])).meta.endpointId).toBe('gcp');
  });

  it('ranks user endpoints first and honours excludeInfrastructure / preferNot', async () => {
    const { request, warmUp } = setup([sim('default', { latencyMs: 20 }, { infrastructure: 'aws' }), sim('mine', { latencyMs: 300 }, { source: 'user', infrastructure: 'self-hosted' }), sim('other', { latencyMs: 50 }, { infrastructure: 'gcp' })]);
    await warmUp();
    expect((await request('eth_gasPrice', [])).meta.endpointId).toBe('mine');
    expect((await request('eth_gasPrice', [], { preferNot: ['mine'] })).meta.endpointId).toBe('default');
    expect((await request('eth_gasPrice', [], { preferNot: ['mine'], excludeInfrastructure: ['aws'] })).meta.endpointId).toBe('other');
  });

  it('spends a retry budget so an outage does not multiply load', async () => {
    const specs = ['a', 'b', 'c', 'd', 'e'].map((id) => sim(id, { behaviour: always({ kind: 'http-5xx' }) }));
    const { request, sent, at } = setup(specs, {
      retryBudget: { ratio: 0.2, floorPerSecond: 0, maxTokens: 5 },
      breaker: { consecutiveFailures: 1_000, failureRatio: 1.1 },
    });
    let budgetMessages = 0;
    for (let i = 0; i < 100; i++) {
      at(i * 1_000 + 500);
      const answer = await request('eth_gasPrice', []);
      if (!answer.ok && answer.error.message.includes('retry budget')) budgetMessages++;
    }
    const sends = sent('eth_gasPrice').length;
    // Without a budget: 500 sends. With it: 100 first attempts + 5 saved tokens + 0.2 per request.
    expect(sends).toBeGreaterThanOrEqual(100);
    expect(sends).toBeLessThanOrEqual(100 + 5 + 20);
    expect(budgetMessages).toBeGreaterThan(50);
  });

  it('stops when the caller aborts', async () => {
    const { router, clock, sent } = setup([sim('a', { behaviour: always({ kind: 'hang' }) })]);
    const controller = new AbortController();
    clock.setTimeout(() => controller.abort(), 100);
    const answer = await clock.settle(router.request(1, { method: 'eth_gasPrice', params: [] }, { signal: controller.signal }));
    expect(answer).toMatchObject({ ok: false, error: { data: { reason: 'aborted' } }, meta: { elapsedMs: 100 } });
    expect(sent('eth_gasPrice')[0]?.status).toBe('aborted');
  });
});

describe('eth_sendRawTransaction', () => {
  const hash = keccak256(RAW_TX).toLowerCase();

  it('broadcasts once each to 3 endpoints of different providers and returns the keccak hash', async () => {
    const { request, warmUp, sent } = setup([
      sim('p1-a', { latencyMs: 10 }, { provider: 'p1' }),
      sim('p1-b', { latencyMs: 20 }, { provider: 'p1' }),
      sim('p2', { latencyMs: 30 }, { provider: 'p2' }),
      sim('p3', { latencyMs: 40 }, { provider: 'p3' }),
    ]);
    await warmUp();
    const answer = await request('eth_sendRawTransaction', [RAW_TX]);
    expect(answer).toMatchObject({ ok: true, result: hash });
    expect(sent('eth_sendRawTransaction').map((c) => c.endpointId).sort()).toEqual(['p1-a', 'p2', 'p3']);
  });

  it('sees through an endpoint lying about the hash and replaces failed targets, never re-sending', async () => {
    const { request, sent } = setup([
      sim('liar', { latencyMs: 5, liesAboutTxHash: true }),
      sim('down', { latencyMs: 10, behaviour: always({ kind: 'http-5xx' }) }),
      sim('hang', { latencyMs: 15, behaviour: always({ kind: 'hang' }) }),
      sim('good', { latencyMs: 400 }),
    ]);
    const answer = await request('eth_sendRawTransaction', [RAW_TX]);
    expect(answer).toMatchObject({ ok: true, result: hash, meta: { endpointId: 'good' } });
    const perEndpoint = new Map<string, number>();
    for (const call of sent('eth_sendRawTransaction')) perEndpoint.set(call.endpointId, (perEndpoint.get(call.endpointId) ?? 0) + 1);
    expect(Math.max(...perEndpoint.values())).toBe(1);
    expect(answer.meta.attempts.find((a) => a.endpointId === 'liar')?.outcome).toBe('implausible');
  });

  it('counts "already known" for this very transaction as success', async () => {
    const { request } = setup([sim('a'), sim('b')]);
    await request('eth_sendRawTransaction', [RAW_TX]);
    expect(await request('eth_sendRawTransaction', [RAW_TX])).toMatchObject({ ok: true, result: hash });
  });

  it('treats "nonce too low" as success only when the endpoint knows this very transaction', async () => {
    const clock = createManualClock();
    const endpoints = [makeEndpoint('mined'), makeEndpoint('other')];
    const sent: string[] = [];
    const transport: Transport = async (endpoint, body) => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      sent.push(`${endpoint.id} ${method}`);
      const reply = (payload: object) => ({ status: 200, headers: { get: () => 'application/json' }, text: JSON.stringify({ jsonrpc: '2.0', id, ...payload }) });
      if (method === 'eth_chainId') return reply({ result: '0x1' });
      if (method === 'eth_blockNumber') return reply({ result: '0x10' });
      if (method === 'eth_sendRawTransaction') return reply({ error: { code: -32000, message: 'nonce too low' } });
      if (method === 'eth_getTransactionByHash') return reply({ result: endpoint.id === 'mined' ? { hash } : null });
      return reply({ result: null });
    };
    const router = createRouter({ transport, clock, endpoints, policy: { broadcast: { fanout: 1 } } });
    expect(await clock.settle(router.request(1, { method: 'eth_sendRawTransaction', params: [RAW_TX] }))).toMatchObject({ ok: true, result: hash, meta: { endpointId: 'mined' } });

    const other = createRouter({ transport, clock, endpoints: [endpoints[1]!] });
    expect(await clock.settle(other.request(1, { method: 'eth_sendRawTransaction', params: [RAW_TX] }))).toMatchObject({ ok: false, error: { code: -32000, message: 'nonce too low' }, meta: { source: 'endpoint' } });
    // Looked up by hash, never sent twice.
    expect(sent.filter((line) => line === 'other eth_sendRawTransaction')).toHaveLength(1);
    expect(sent).toContain('other eth_getTransactionByHash');
  });

  it('refuses malformed transactions locally', async () => {
    const { request, net } = setup([sim('a')]);
    expect(await request('eth_sendRawTransaction', ['hello'])).toMatchObject({ ok: false, error: { code: -32602 } });
    expect(net.calls).toHaveLength(0);
  });
});

describe('quorum (opt-in)', () => {
  const specs = () => [sim('a', { latencyMs: 10 }), sim('b', { latencyMs: 20, lagBlocks: 2 }), sim('c', { latencyMs: 30 })];

  it('returns the answer k of n distinct providers agree on', async () => {
    const { request, warmUp, sent } = setup(specs(), { quorum: { methods: { eth_call: { k: 2, n: 3 } } } });
    await warmUp();
    const answer = await request('eth_call', [{ to: ADDRESS, data: '0x70a08231' }, 'latest']);
    expect(answer.ok).toBe(true);
    expect(sent('eth_call')).toHaveLength(3);
    expect(answer.meta.attempts.filter((a) => a.outcome === 'answer').length).toBeGreaterThanOrEqual(2);
  });

  it('fails with -32603 "no quorum" and the answers when they disagree', async () => {
    const { request, warmUp } = setup(specs(), { quorum: { methods: { eth_call: { k: 3, n: 3 } } } });
    await warmUp();
    const answer = await request('eth_call', [{ to: ADDRESS, data: '0x70a08231' }, 'latest']);
    expect(answer).toMatchObject({ ok: false, error: { code: -32603, message: expect.stringContaining('no quorum'), data: { reason: 'no-quorum', k: 3, n: 3 } } });
    expect((answer.ok ? [] : (answer.error.data as { answers: unknown[] }).answers).length).toBe(2);
  });

  it('needs enough distinct providers', async () => {
    const { request } = setup([sim('a', {}, { provider: 'same' }), sim('b', {}, { provider: 'same' })], { quorum: { methods: { eth_getBalance: { k: 2, n: 2 } } } });
    expect(await request('eth_getBalance', [ADDRESS, 'latest'])).toMatchObject({ ok: false, error: { message: expect.stringContaining('only 1 provider') } });
  });
});
