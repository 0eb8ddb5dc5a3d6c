/**
 * Property tests: random fault schedules over simulated endpoints, on a simulated clock.
 *
 * Each run builds 2–6 endpoints (plus, in "anchored" runs, two always-healthy honest ones), each with
 * static traits (wrong chain, lagging, claiming far-future blocks) and a behaviour over time
 * (healthy, slow, hang, 5xx, 429 ± Retry-After, malformed, HTML, wrong id, -32005, network error,
 * flapping). A random sequence of reads, broadcasts and wallet-only calls is issued, with health
 * probes every 30 s as the extension does. Properties:
 *  (a) a read succeeds whenever at least one endpoint is healthy for the whole request
 *      (honest, right chain, answering normally, and not under a Retry-After/backoff it announced);
 *  (b) no answer comes from a wrong-chain endpoint, and (in anchored runs, where the head can be
 *      known) none is staler than the method's tolerance or a far-future block number;
 *  (c) no request outlives its 8 s deadline on the simulated clock;
 *  (d) eth_sendRawTransaction never reaches one endpoint twice, nor a wrong-chain endpoint; wallet-only
 *      methods are never sent anywhere.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../testing/manual-clock.ts';
import { isWalletOnly, lagClassFor } from '../rpc/methods.ts';
import { resolvePolicy } from '../policy/index.ts';
import { SIM_REVERT_DATA, type SimBehaviour, type SimEndpoint, createSimNetwork, decodeSimState, makeEndpoint } from '../testing/sim-network.ts';
import type { Infrastructure } from '../types.ts';
import { createRouter } from './index.ts';

// LIFELINE_PROPERTY_RUNS=20000 for a deeper search; 1,000 keeps the suite at a few seconds.
const NUM_RUNS = Number(process.env.LIFELINE_PROPERTY_RUNS ?? 1_000);
const policy = resolvePolicy();
const DEADLINE = policy.request.deadlineMs;
const WRONG_CHAIN = 999;
const ADDRESS = '0x' + '11'.repeat(20);

interface Segment {
  from: number;
  to: number;
  behaviour: SimBehaviour;
}

type DataFault = { kind: 'none' } | { kind: 'wrong-chain' } | { kind: 'lagging'; blocks: number } | { kind: 'liar' };

/** Piecewise phases, or healthy and broken in turn every `periodMs`. */
type Schedule = { kind: 'phases'; segments: Segment[] } | { kind: 'flapping'; periodMs: number; bad: SimBehaviour; startHealthy: boolean };

interface EndpointSpec {
  latencyMs: number;
  infrastructure: Infrastructure;
  provider: string;
  user: boolean;
  dataFault: DataFault;
  schedule: Schedule;
}

type Operation =
  | { kind: 'read'; method: string; params: unknown[]; expectRevert?: boolean }
  | { kind: 'broadcast' }
  | { kind: 'wallet'; method: string };

interface Scenario {
  chain: { chainId: number; blockTimeMs: number };
  endpoints: EndpointSpec[];
  anchored: boolean;
  coldStart: boolean;
  operations: { gapMs: number; operation: Operation }[];
}

const behaviourArb: fc.Arbitrary<SimBehaviour> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<SimBehaviour>({ kind: 'healthy' }) },
  { weight: 2, arbitrary: fc.integer({ min: 600, max: 3_000 }).map<SimBehaviour>((latencyMs) => ({ kind: 'slow', latencyMs })) },
  { weight: 2, arbitrary: fc.constant<SimBehaviour>({ kind: 'hang' }) },
  { weight: 2, arbitrary: fc.constantFrom(500, 502, 503, 504).map<SimBehaviour>((status) => ({ kind: 'http-5xx', status })) },
  {
    weight: 1,
    arbitrary: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }).map<SimBehaviour>((retryAfterSec) => (retryAfterSec === undefined ? { kind: 'http-429' } : { kind: 'http-429', retryAfterSec })),
  },
  { weight: 1, arbitrary: fc.constantFrom<SimBehaviour>({ kind: 'malformed' }, { kind: 'html' }, { kind: 'wrong-id' }, { kind: 'limit' }, { kind: 'network' }) },
);

const scheduleArb: fc.Arbitrary<Schedule> = fc.oneof(
  // Piecewise: a few phases of different behaviour.
  fc.array(fc.record({ durationMs: fc.integer({ min: 1_000, max: 60_000 }), behaviour: behaviourArb }), { minLength: 1, maxLength: 5 }).map((phases) => {
    let from = 0;
    const segments = phases.map(({ durationMs, behaviour }) => {
      const segment = { from, to: from + durationMs, behaviour };
      from += durationMs;
      return segment;
    });
    segments[segments.length - 1]!.to = Number.POSITIVE_INFINITY;
    return { kind: 'phases' as const, segments };
  }),
  fc.record({ kind: fc.constant('flapping' as const), periodMs: fc.integer({ min: 500, max: 10_000 }), bad: behaviourArb, startHealthy: fc.boolean() }),
);

const dataFaultArb: fc.Arbitrary<DataFault> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<DataFault>({ kind: 'none' }) },
  { weight: 1, arbitrary: fc.constant<DataFault>({ kind: 'wrong-chain' }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 200 }).map<DataFault>((blocks) => ({ kind: 'lagging', blocks })) },
  { weight: 1, arbitrary: fc.constant<DataFault>({ kind: 'liar' }) },
);

const endpointArb: fc.Arbitrary<EndpointSpec> = fc.record({
  latencyMs: fc.integer({ min: 10, max: 300 }),
  infrastructure: fc.constantFrom<Infrastructure>('aws', 'gcp', 'cloudflare', 'hetzner', 'unknown'),
  provider: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5'),
  user: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))).chain((b) => (b ? fc.boolean() : fc.constant(false))),
  dataFault: dataFaultArb,
  schedule: scheduleArb,
});

const readArb: fc.Arbitrary<Operation> = fc.constantFrom<Operation>(
  { kind: 'read', method: 'eth_getBalance', params: [ADDRESS, 'latest'] },
  { kind: 'read', method: 'eth_getTransactionCount', params: [ADDRESS, 'latest'] },
  { kind: 'read', method: 'eth_getCode', params: [ADDRESS, 'latest'] },
  { kind: 'read', method: 'eth_call', params: [{ to: ADDRESS, data: '0x70a08231' }, 'latest'] },
  { kind: 'read', method: 'eth_call', params: [{ to: ADDRESS, data: SIM_REVERT_DATA }, 'latest'], expectRevert: true },
  { kind: 'read', method: 'eth_estimateGas', params: [{ to: ADDRESS }] },
  { kind: 'read', method: 'eth_gasPrice', params: [] },
  { kind: 'read', method: 'eth_blockNumber', params: [] },
  { kind: 'read', method: 'eth_getBalance', params: [ADDRESS, '0x1'] },
);

const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 8, arbitrary: readArb },
  { weight: 1, arbitrary: fc.constant<Operation>({ kind: 'broadcast' }) },
  { weight: 1, arbitrary: fc.constantFrom('eth_sendTransaction', 'eth_accounts', 'personal_sign', 'eth_signTypedData_v4', 'wallet_switchEthereumChain').map<Operation>((method) => ({ kind: 'wallet', method })) },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  chain: fc.constantFrom({ chainId: 1, blockTimeMs: 12_000 }, { chainId: 8453, blockTimeMs: 2_000 }, { chainId: 42161, blockTimeMs: 250 }),
  endpoints: fc.array(endpointArb, { minLength: 2, maxLength: 6 }).map((list) => {
    // At most one endpoint lies about the head: two colluding liars define the head by design.
    let liars = 0;
    return list.map((spec) => (spec.dataFault.kind === 'liar' && liars++ > 0 ? { ...spec, dataFault: { kind: 'none' as const } } : spec));
  }),
  anchored: fc.boolean(),
  coldStart: fc.boolean(),
  operations: fc.array(fc.record({ gapMs: fc.integer({ min: 0, max: 20_000 }), operation: operationArb }), { minLength: 3, maxLength: 12 }),
});

const flappingHealthyAt = (schedule: Extract<Schedule, { kind: 'flapping' }>, t: number) => (Math.floor(t / schedule.periodMs) % 2 === 0) === schedule.startHealthy;

function behaviourAt(spec: EndpointSpec, t: number): SimBehaviour {
  const schedule = spec.schedule;
  if (schedule.kind === 'flapping') return flappingHealthyAt(schedule, t) ? { kind: 'healthy' } : schedule.bad;
  for (const segment of schedule.segments) if (t >= segment.from && t < segment.to) return segment.behaviour;
  return schedule.segments[schedule.segments.length - 1]!.behaviour;
}

function healthyThroughout(spec: EndpointSpec, from: number, to: number): boolean {
  if (spec.dataFault.kind !== 'none') return false;
  const schedule = spec.schedule;
  if (schedule.kind === 'phases') return schedule.segments.every((segment) => segment.to <= from || segment.from > to || segment.behaviour.kind === 'healthy');
  if (schedule.bad.kind === 'healthy') return true;
  // Healthy throughout only inside one healthy period.
  return Math.floor(from / schedule.periodMs) === Math.floor(to / schedule.periodMs) && flappingHealthyAt(schedule, from);
}

/** How often each property was actually exercised (asserted at the end so the test can't go vacuous). */
const coverage = { reads: 0, readsWithHealthy: 0, readsWithOneHealthyAmongFaulty: 0, readsAnswered: 0, staleChecks: 0, staleCandidatesRejected: 0, wrongChainRejected: 0, broadcasts: 0, walletCalls: 0, hedged: 0, deadlineHits: 0 };

async function runScenario(scenario: Scenario): Promise<void> {
  const { chainId, blockTimeMs } = scenario.chain;
  const clock = createManualClock();
  const specs: EndpointSpec[] = [...scenario.endpoints];
  if (scenario.anchored) {
    for (const latencyMs of [60, 150]) specs.push({ latencyMs, infrastructure: 'unknown', provider: `anchor-${latencyMs}`, user: false, dataFault: { kind: 'none' }, schedule: { kind: 'phases', segments: [{ from: 0, to: Number.POSITIVE_INFINITY, behaviour: { kind: 'healthy' } }] } });
  }
  const simEndpoints: SimEndpoint[] = specs.map((spec, index) => {
    const sim: SimEndpoint = {
      endpoint: makeEndpoint(`e${index}`, { chainId, provider: spec.provider, infrastructure: spec.infrastructure, source: spec.user ? 'user' : 'default' }),
      latencyMs: spec.latencyMs,
      behaviour: (t) => behaviourAt(spec, t),
    };
    if (spec.dataFault.kind === 'wrong-chain') sim.servesChainId = WRONG_CHAIN;
    if (spec.dataFault.kind === 'lagging') sim.lagBlocks = spec.dataFault.blocks;
    if (spec.dataFault.kind === 'liar') sim.claimsAheadBlocks = 1_000_000;
    return sim;
  });
  const wrongChainIds = new Set(simEndpoints.filter((s) => s.servesChainId !== undefined).map((s) => s.endpoint.id));
  const net = createSimNetwork({ clock, endpoints: simEndpoints, blockTimeMs: () => blockTimeMs });
  const router = createRouter({ transport: net.transport, clock, endpoints: simEndpoints.map((s) => s.endpoint) });
  const t = () => clock.now() - net.startedAt;

  let lastProbeAt = Number.NEGATIVE_INFINITY;
  if (!scenario.coldStart) {
    await clock.settle(router.prober.probeChain(chainId));
    lastProbeAt = 0;
  }

  /** Is the endpoint under a Retry-After (or default back-off) it announced before `at`? */
  const backingOff = (endpointId: string, at: number) =>
    net.calls.some((call) => {
      if (call.endpointId !== endpointId || call.status !== 'answered' || (call.behaviour !== 'http-429' && call.behaviour !== 'limit')) return false;
      const wait = Math.min(call.retryAfterMs ?? policy.rateLimit.defaultBackoffMs, policy.rateLimit.maxBackoffMs);
      return call.answeredAt! - net.startedAt + wait > at;
    });

  let txCounter = 0;
  for (const [step, { gapMs, operation }] of scenario.operations.entries()) {
    await clock.advanceByAsync(gapMs);
    // The extension probes chains in use every 30 s (alarms); probes run alongside requests.
    if (t() - lastProbeAt >= policy.probe.activeIntervalMs) {
      lastProbeAt = t();
      void router.prober.probeChain(chainId);
    }
    const start = t();
    const context = () => `step ${step} at t=${start} (${JSON.stringify(operation)})`;
    const healthyIds = specs.map((spec, index) => ({ spec, id: `e${index}` })).filter(({ spec, id }) => healthyThroughout(spec, start, start + DEADLINE) && !backingOff(id, start)).map(({ id }) => id);

    let call: { method: string; params: unknown[] };
    if (operation.kind === 'read') call = { method: operation.method, params: operation.params };
    else if (operation.kind === 'wallet') call = { method: operation.method, params: [] };
    else call = { method: 'eth_sendRawTransaction', params: [`0x02f8${(++txCounter).toString(16).padStart(8, '0')}`] };

    const callsBefore = net.calls.length;
    const result = await clock.settle(router.request(chainId, call), 10 * DEADLINE);
    const elapsed = t() - start;

    // (c) no request outlives its deadline.
    expect(elapsed, context()).toBeLessThanOrEqual(DEADLINE);
    expect(result.meta.elapsedMs, context()).toBeLessThanOrEqual(DEADLINE);

    if (result.meta.hedged) coverage.hedged++;
    if (!result.ok && (result.error.data as { reason?: string } | undefined)?.reason === 'deadline') coverage.deadlineHits++;
    for (const attempt of result.meta.attempts) {
      if (attempt.outcome === 'stale') coverage.staleCandidatesRejected++;
      if (attempt.outcome === 'wrong-chain') coverage.wrongChainRejected++;
    }
    if (operation.kind === 'wallet') {
      coverage.walletCalls++;
      // (d) wallet-only: refused locally, nothing sent.
      expect(result, context()).toMatchObject({ ok: false, error: { code: 4200 } });
      expect(net.calls.slice(callsBefore).some((c) => c.method === operation.method), context()).toBe(false);
      continue;
    }

    // (b) whatever came from an endpoint came from one serving this chain.
    if (result.meta.source === 'endpoint') expect(wrongChainIds.has(result.meta.endpointId!), `${context()}: answered by wrong-chain ${result.meta.endpointId}`).toBe(false);

    if (operation.kind === 'broadcast') {
      coverage.broadcasts++;
      continue;
    }
    coverage.reads++;
    if (result.ok) coverage.readsAnswered++;
    if (healthyIds.length > 0) coverage.readsWithHealthy++;
    if (healthyIds.length === 1 && specs.length > 1) coverage.readsWithOneHealthyAmongFaulty++;

    // (a) a healthy endpoint existed for the whole request → the read is answered.
    if (healthyIds.length > 0) {
      const answered = operation.expectRevert ? !result.ok && result.meta.source === 'endpoint' && result.error.code === 3 : result.ok;
      expect(answered, `${context()}: healthy ${healthyIds.join(',')} but got ${JSON.stringify(result.ok ? result.result : result.error)} attempts ${JSON.stringify(result.meta.attempts)}`).toBe(true);
    }

    if (!result.ok) continue;
    const decoded = decodeSimState(result.result);
    if (decoded && operation.method !== 'eth_blockNumber' && operation.method !== 'eth_gasPrice') {
      // (b) state answers carry the chain they came from.
      expect(decoded.chainId, context()).toBe(chainId);
    }
    if (!scenario.anchored) continue;
    // (b) freshness, where the head is knowable (two always-honest endpoints exist).
    const lagClass = lagClassFor(operation.method, operation.params);
    if (lagClass === 'none') continue;
    const tolerance = router.health.toleranceBlocks(chainId, lagClass);
    // Allowed uncertainty: blocks produced within one probe period plus the evidence window.
    const slack = Math.ceil((policy.probe.activeIntervalMs + policy.lag.evidenceWindowMs) / blockTimeMs) + 1;
    const trueHeadAtStart = net.trueHead(chainId, net.startedAt + start);
    const answeredBlock = operation.method === 'eth_blockNumber' ? Number.parseInt(String(result.result), 16) : decoded?.block;
    if (answeredBlock === undefined) continue;
    coverage.staleChecks++;
    expect(answeredBlock, `${context()}: stale answer from ${result.meta.endpointId}`).toBeGreaterThanOrEqual(trueHeadAtStart - tolerance - slack);
    if (operation.method === 'eth_blockNumber') {
      expect(answeredBlock, `${context()}: far-future block from ${result.meta.endpointId}`).toBeLessThanOrEqual(net.trueHead(chainId) + 1);
    }
  }

  // Let background work (probes, broadcast stragglers) finish, then check what was ever sent.
  await clock.advanceByAsync(2 * DEADLINE);
  const rawSends = new Map<string, number>();
  for (const c of net.calls) {
    expect(isWalletOnly(c.method), `wallet-only ${c.method} was sent to ${c.endpointId}`).toBe(false);
    if (c.method !== 'eth_sendRawTransaction') continue;
    expect(wrongChainIds.has(c.endpointId), `transaction sent to wrong-chain ${c.endpointId}`).toBe(false);
    const key = `${c.endpointId} ${JSON.stringify(c.params)}`;
    rawSends.set(key, (rawSends.get(key) ?? 0) + 1);
  }
  for (const [key, count] of rawSends) expect(count, `eth_sendRawTransaction sent ${count}× to ${key}`).toBe(1);
}

describe('router properties over random fault schedules (simulated clock)', () => {
  it(`holds (a)–(d) over ${NUM_RUNS} random schedules`, async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { numRuns: NUM_RUNS });
    if (process.env.LIFELINE_PROPERTY_STATS) console.log(coverage);
    // Every property was exercised many times, including the hard case of one healthy endpoint.
    expect(coverage.readsWithHealthy).toBeGreaterThan(NUM_RUNS);
    expect(coverage.readsWithOneHealthyAmongFaulty).toBeGreaterThan(NUM_RUNS / 10);
    expect(coverage.staleChecks).toBeGreaterThan(NUM_RUNS);
    expect(coverage.staleCandidatesRejected + coverage.wrongChainRejected).toBeGreaterThan(NUM_RUNS / 10);
    expect(coverage.broadcasts).toBeGreaterThan(NUM_RUNS / 2);
    expect(coverage.walletCalls).toBeGreaterThan(NUM_RUNS / 2);
    expect(coverage.hedged).toBeGreaterThan(NUM_RUNS / 10);
  }, 120_000);
});
