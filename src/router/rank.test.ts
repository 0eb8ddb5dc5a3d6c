import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.ts';
import { rankTargets } from '../page-traffic/rules.ts';
import { DEFAULT_POLICY } from '../policy/index.ts';
import { assessChain } from '../status/assess.ts';
import { createManualClock } from '../testing/manual-clock.ts';
import { type SimBehaviour, type SimEndpoint, createSimNetwork, makeEndpoint } from '../testing/sim-network.ts';
import type { Endpoint } from '../types.ts';
import { type RankContext, type RankInput, rankEndpoints, rankScore } from './rank.ts';

const ADDRESS = '0x' + '11'.repeat(20);
const ANY_LAG = { lagToleranceBlocks: Number.POSITIVE_INFINITY };
const view = (id: string, over: Partial<RankInput> = {}): RankInput => ({ id, source: 'default', chainVerified: true, availability: 'available', p50Ms: 100, ...over });
const order = (views: RankInput[], context: RankContext = ANY_LAG) => rankEndpoints(views, DEFAULT_POLICY, context).map((r) => r.view.id);

describe('rankEndpoints', () => {
  it('scores latency plus the penalties of what makes a failure likelier', () => {
    const { score, diversity } = DEFAULT_POLICY;
    expect(rankScore(view('a'), DEFAULT_POLICY)).toBe(100);
    expect(rankScore(view('cold', { p50Ms: undefined }), DEFAULT_POLICY)).toBe(score.coldLatencyMs);
    expect(rankScore(view('errors', { errorRate: 0.25 }), DEFAULT_POLICY)).toBe(100 + 0.25 * score.errorRatePenaltyMs);
    expect(rankScore(view('trial', { availability: 'trial' }), DEFAULT_POLICY)).toBe(100 + score.halfOpenPenaltyMs);
    expect(rankScore(view('unverified', { chainVerified: undefined }), DEFAULT_POLICY)).toBe(100 + score.unverifiedPenaltyMs);
    expect(rankScore(view('lag', { lagBlocks: 3 }), DEFAULT_POLICY)).toBe(100 + 3 * score.lagPenaltyMsPerBlock);
    expect(rankScore(view('far', { lagBlocks: 10_000 }), DEFAULT_POLICY)).toBe(100 + score.lagPenaltyMaxBlocks * score.lagPenaltyMsPerBlock);
    expect(rankScore(view('infra', { infrastructureFailedRecently: true }), DEFAULT_POLICY)).toBe(100 + diversity.recentFailurePenaltyMs);
    expect(rankScore(view('unheard', { unheard: true }), DEFAULT_POLICY)).toBe(100 + score.unheardPenaltyMs);
  });

  it('a silent endpoint goes behind every answering one, the user’s own included, but before open breakers', () => {
    const views = [
      view('own-silent', { source: 'user', silent: true, p50Ms: 5 }),
      view('default-cold', { p50Ms: undefined, chainVerified: undefined, unheard: true }),
      view('open', { availability: 'open' }),
      view('default-answering', { p50Ms: 200 }),
    ];
    expect(order(views)).toEqual(['default-answering', 'default-cold', 'own-silent', 'open']);
    // When every endpoint is silent, the usual preference decides among them.
    expect(order(views.map((v) => ({ ...v, silent: true })))).toEqual(['own-silent', 'default-answering', 'default-cold', 'open']);
  });

  it('one that answered lately goes before an equally fast one not heard from', () => {
    expect(order([view('unheard', { unheard: true, p50Ms: 50 }), view('answering', { p50Ms: 150 })])).toEqual(['answering', 'unheard']);
  });

  it('leaves out disabled, wrong-chain, rate-limited and too-far-behind endpoints', () => {
    const views = [
      view('disabled', { enabled: false }),
      view('wrong', { chainVerified: false }),
      view('limited', { availability: 'rate-limited' }),
      view('behind', { lagBlocks: 2 }),
      view('within', { lagBlocks: 1 }),
    ];
    expect(order(views, { lagToleranceBlocks: 1 })).toEqual(['within']);
    expect(order(views)).toEqual(['within', 'behind']);
  });

  it('open breakers last, then user endpoints first, then lower score; equal ones keep their order', () => {
    const views = [
      view('open-user', { source: 'user', availability: 'open', p50Ms: 1 }),
      view('default-fast', { p50Ms: 10 }),
      view('user-slow', { source: 'user', p50Ms: 900 }),
      view('default-twin', { p50Ms: 10 }),
      view('user-fast', { source: 'user', p50Ms: 300 }),
    ];
    expect(order(views)).toEqual(['user-fast', 'user-slow', 'default-fast', 'default-twin', 'open-user']);
  });

  it('healthyFirst puts every healthy endpoint before any degraded one', () => {
    const views = [view('degraded-user', { source: 'user', state: 'degraded', p50Ms: 1 }), view('healthy-default', { state: 'healthy' })];
    expect(order(views)).toEqual(['degraded-user', 'healthy-default']);
    expect(order(views, { ...ANY_LAG, healthyFirst: true })).toEqual(['healthy-default', 'degraded-user']);
  });
});

describe('one ranking for the router, the popup and page redirects', () => {
  const PROBE_ROUNDS = 10;
  const ROUND_MS = DEFAULT_POLICY.probe.activeIntervalMs;
  const duringRounds = (rounds: readonly number[], behaviour: SimBehaviour) => (t: number): SimBehaviour =>
    rounds.includes(Math.floor(t / ROUND_MS) + 1) ? behaviour : { kind: 'healthy' };
  const failing: SimBehaviour = { kind: 'http-5xx', status: 503 };

  function world() {
    const clock = createManualClock();
    const endpoint = (id: string, over: Partial<Endpoint>) => makeEndpoint(id, { url: `https://${id}.example/`, provider: id, ...over });
    const sims: SimEndpoint[] = [
      // The user's own node: fastest of all, but refusing every request (breaker open).
      { endpoint: endpoint('own-node', { source: 'user', infrastructure: 'self-hosted', url: 'http://127.0.0.1:8545/' }), latencyMs: 5, behaviour: () => failing },
      // User endpoints: one on an infrastructure that just failed elsewhere, one that failed once.
      { endpoint: endpoint('user-aws', { source: 'user', infrastructure: 'aws' }), latencyMs: 120 },
      { endpoint: endpoint('user-flaky', { source: 'user', infrastructure: 'cloudflare' }), latencyMs: 200, behaviour: duringRounds([2], failing) },
      // Defaults: faster, but after the user's own choices.
      { endpoint: endpoint('default-aws', { infrastructure: 'aws' }), latencyMs: 20, behaviour: duringRounds([8, 9, 10], failing) },
      { endpoint: endpoint('default-gcp', { infrastructure: 'gcp' }), latencyMs: 30 },
      { endpoint: endpoint('default-lagging', { infrastructure: 'hetzner' }), latencyMs: 10, lagBlocks: 5 },
    ];
    const net = createSimNetwork({ clock, endpoints: sims });
    const engine = createEngine({ endpoints: sims.map((s) => s.endpoint), transport: net.transport, clock });
    return { clock, net, engine };
  }

  it('the popup names, and a dead dApp RPC is redirected to, the endpoint the router tries first', async () => {
    const { clock, net, engine } = world();
    for (let round = 1; round <= PROBE_ROUNDS; round++) {
      await clock.settle(engine.probeChain(1));
      if (round < PROBE_ROUNDS) clock.advanceBy(net.startedAt + round * ROUND_MS - clock.now());
    }
    const view = engine.healthView();
    const state = (id: string) => view.endpoints.find((e) => e.id === id);
    // The state is what it is meant to be, so the agreement below is not a coincidence.
    expect(state('own-node')).toMatchObject({ state: 'down', availability: 'open' });
    expect(state('user-aws')).toMatchObject({ state: 'healthy', infrastructureFailedRecently: true });
    expect(state('user-flaky')).toMatchObject({ state: 'healthy', errorRate: 0.1 });
    expect(state('default-aws')).toMatchObject({ state: 'down' });
    expect(state('default-lagging')?.lagBlocks).toBeGreaterThan(0);

    const inUse = assessChain(1, view.endpoints, { inUse: true, wallets: [], redirects: [], now: clock.now() }).serving?.id;
    const redirectTarget = rankTargets(1, 'https://rpc.some-dapp.example/', view.endpoints, new Set())[0]?.id;
    const answer = await clock.settle(engine.request(1, { method: 'eth_getBalance', params: [ADDRESS, 'latest'] }));
    const firstAttempt = answer.meta.attempts[0]?.endpointId;

    expect(firstAttempt).toBe('user-flaky');
    expect(inUse).toBe(firstAttempt);
    expect(redirectTarget).toBe(firstAttempt);
  });
});
