import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointView, HealthState } from '../health/tracker.ts';
import type { WalletChainHealth } from '../wallet/health.ts';
import type { ServiceState, ServiceStatus } from './services.ts';
import { initialStatuses } from './services.ts';
import { assessChain, isWalletFailingNow, servingEndpoint } from './assess.ts';
import { BADGE_COLORS, HEALTHY_LINE, LEVEL_SEVERITY, worstLevelAbout, worstTruth, type WorstTruthInput } from './worst-truth.ts';
import { STATUS_POLICY } from '../policy/index.ts';

const NOW = 10_000_000;
const CHAINS = [1, 10, 8453, 12345] as const;
const STATES: HealthState[] = ['healthy', 'degraded', 'down', 'unknown'];
const SERVICE_STATES: ServiceState[] = ['up', 'degraded', 'maintenance', 'down', 'rate-limited', 'unknown'];

const endpoint = (chainId: number, i: number, state: HealthState, enabled: boolean): EndpointView => ({
  id: `${chainId}:${i}`, chainId, label: `E${chainId}-${i}`, provider: `P${i}`, url: `https://e${i}.c${chainId}.example`, infrastructure: 'unknown',
  source: 'default', enabled, state, reason: state, breaker: state === 'down' ? 'open' : 'closed', ...(state === 'healthy' || state === 'degraded' ? { p50Ms: 50 + i } : {}),
} as EndpointView);

const walletOn = (chainId: number | null, failing: boolean, stale: boolean): WalletChainHealth => ({
  wallet: { name: `W${chainId ?? 'x'}`, rdns: 'io.example' }, chainId, answered: 3, failed: failing ? 3 : 0, servedByLifeline: failing ? 3 : 0, failuresByClass: {},
  latencyP50Ms: 80, failingSince: failing ? NOW - 5_000 : null, lastFailure: failing ? 'http-5xx' : null,
  lastSeen: stale ? NOW - STATUS_POLICY.walletEvidenceMaxAgeMs - 1 : NOW,
});

/** Every state the engine and services can produce for a handful of chains. */
const world = fc.record({
  chains: fc.uniqueArray(
    fc.record({
      chainId: fc.constantFrom(...CHAINS),
      inUse: fc.boolean(),
      endpoints: fc.array(fc.record({ state: fc.constantFrom(...STATES), enabled: fc.boolean() }), { maxLength: 5 }),
      wallet: fc.constantFrom('none', 'healthy', 'failing', 'failing-stale'),
      redirected: fc.boolean(),
    }),
    { maxLength: 4, selector: (c) => c.chainId },
  ),
  unknownChainWallet: fc.constantFrom('none', 'healthy', 'failing'),
  services: fc.array(fc.constantFrom(...SERVICE_STATES), { minLength: 6, maxLength: 6 }),
});

type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function build(w: World): WorstTruthInput & { walletsByChain: Map<number | null, WalletChainHealth> } {
  const endpoints = w.chains.flatMap((c) => c.endpoints.map((e, i) => endpoint(c.chainId, i, e.state, e.enabled)));
  const wallets = w.chains.filter((c) => c.wallet !== 'none').map((c) => walletOn(c.chainId, c.wallet.startsWith('failing'), c.wallet === 'failing-stale'));
  if (w.unknownChainWallet !== 'none') wallets.push(walletOn(null, w.unknownChainWallet === 'failing', false));
  const redirects = w.chains.filter((c) => c.redirected).map((c) => ({ chainId: c.chainId, from: `dapp-rpc-${c.chainId}`, to: 'fallback' }));
  const assessments = w.chains.map((c) => assessChain(c.chainId, endpoints, { inUse: c.inUse, wallets, redirects, now: NOW }));
  const services: ServiceStatus[] = initialStatuses().map((s, i) => ({ ...s, state: w.services[i]! }));
  return { now: NOW, assessments, endpoints, wallets, services, walletsByChain: new Map(wallets.map((x) => [x.chainId, x])) };
}

describe('the worst truth: one headline and badge for every state', () => {
  it('is never rosier than the details, names the worst thing first, and the badge says the same', () => {
    fc.assert(
      fc.property(world, (w) => {
        const input = build(w);
        const truth = worstTruth(input);
        const subjects = new Set(truth.findings.flatMap((f) => f.subjects));

        // One level, one line, one badge.
        expect(truth.level).toBe(truth.findings[0]?.level ?? 'healthy');
        expect(truth.line).toBe(truth.findings[0]?.text ?? HEALTHY_LINE);
        expect(truth.badge.color).toBe(BADGE_COLORS[truth.level]);
        expect(truth.badge.title.startsWith(`Lifeline: ${truth.line}`)).toBe(true);
        expect(truth.badge.text === '!').toBe(truth.level === 'outage');
        expect(/^[1-9]$/.test(truth.badge.text)).toBe(truth.level === 'failover');
        // Worst first: severities never rise down the list.
        const severities = truth.findings.map((f) => LEVEL_SEVERITY[f.level]);
        expect(severities).toEqual([...severities].sort((a, b) => b - a));
        expect(truth.line === HEALTHY_LINE).toBe(truth.level === 'healthy');

        for (const c of w.chains) {
          const a = input.assessments.find((x) => x.chainId === c.chainId)!;
          const enabled = input.endpoints.filter((e) => e.chainId === c.chainId && e.enabled);
          const failingWallet = input.wallets.some((x) => x.chainId === c.chainId && isWalletFailingNow(x, NOW));
          const used = c.inUse || failingWallet || c.redirected;
          const named = subjects.has(`chain:${c.chainId}`);
          if (!used) continue;
          // Every chain in use whose detail rows show trouble is named by some finding.
          if (enabled.some((e) => e.state === 'degraded' || e.state === 'down')) expect(named).toBe(true);
          if (enabled.length === 0) expect(named).toBe(true);
          if (failingWallet || c.redirected) expect(LEVEL_SEVERITY[truth.level]).toBeGreaterThanOrEqual(LEVEL_SEVERITY.failover);
          // No usable endpoint while one is down, or a failing wallet with nothing to serve it: red.
          if (enabled.length > 0 && !servingEndpoint(enabled) && enabled.some((e) => e.state === 'down')) expect(truth.level).toBe('outage');
          if (failingWallet && enabled.length === 0) expect(truth.level).toBe('outage');
          if (a.level === 'unknown' && enabled.length > 0) expect(named).toBe(true);
        }
        if (w.unknownChainWallet === 'failing') expect(truth.level).toBe('outage');
        // Every service shown down, degraded or in maintenance is named.
        for (const s of input.services) {
          if (s.state === 'down' || s.state === 'degraded' || s.state === 'maintenance') expect(subjects.has(`service:${s.id}`)).toBe(true);
        }

        // "All providers healthy" only when everything in use is.
        if (truth.level === 'healthy') {
          expect(input.services.every((s) => !['down', 'degraded', 'maintenance'].includes(s.state))).toBe(true);
          expect(input.wallets.every((x) => !isWalletFailingNow(x, NOW))).toBe(true);
          for (const c of w.chains.filter((x) => x.inUse)) {
            const enabled = input.endpoints.filter((e) => e.chainId === c.chainId && e.enabled);
            expect(enabled.length).toBeGreaterThan(0);
            expect(enabled.every((e) => e.state === 'healthy' || e.state === 'unknown')).toBe(true);
            expect(servingEndpoint(enabled)).toBeDefined();
            expect(c.redirected).toBe(false);
          }
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('counts healthy endpoints in words when a chain in use works with fewer of them', () => {
    const endpoints = Array.from({ length: 9 }, (_, i) => endpoint(1, i, i < 2 ? 'healthy' : 'degraded', true));
    const a = assessChain(1, endpoints, { inUse: true, wallets: [], redirects: [], now: NOW });
    const truth = worstTruth({ now: NOW, assessments: [a], endpoints, wallets: [], services: [] });
    expect(truth.line).toBe('Ethereum: 2 of 9 endpoints healthy');
    expect(truth.level).toBe('degraded');
    expect(truth.badge).toEqual({ text: '', color: BADGE_COLORS.degraded, title: 'Lifeline: Ethereum: 2 of 9 endpoints healthy' });
  });

  it('the report that started it: degraded endpoints, services down and a failing wallet are never "All providers healthy"', () => {
    const endpoints = Array.from({ length: 9 }, (_, i) => endpoint(1, i, i === 0 ? 'healthy' : 'degraded', true));
    const rabby = { ...walletOn(1, true, false), wallet: { name: 'Rabby Wallet', rdns: 'io.rabby' }, failed: 13 };
    const a = assessChain(1, endpoints, { inUse: true, wallets: [rabby], redirects: [], now: NOW });
    const services = initialStatuses().map((s) => ({ ...s, state: 'down' as const }));
    const truth = worstTruth({ now: NOW, assessments: [a], endpoints, wallets: [rabby], services });
    expect(truth.line).toMatch(/^Failover active on Ethereum: Rabby Wallet's RPC failing, Lifeline serving reads via E1-0/);
    expect(truth.findings.map((f) => f.kind)).toEqual(['failover', 'service']);
    expect(truth.findings[1]!.text).toBe('Rabby API, DeBank API, Infura, Alchemy, Binance and KuCoin down');
    expect(truth.badge.title).toContain('(and 1 more: open Lifeline)');
  });

  it('a chain in use with no endpoint says how to fix it; a failing wallet there is red', () => {
    const a = assessChain(12345, [], { inUse: true, wallets: [], redirects: [], now: NOW });
    expect(worstTruth({ now: NOW, assessments: [a], endpoints: [], wallets: [], services: [] }).line).toBe('Chain 12345: no fallback configured; add one in Options');
    const failing = walletOn(12345, true, false);
    const b = assessChain(12345, [], { inUse: true, wallets: [failing], redirects: [], now: NOW });
    const truth = worstTruth({ now: NOW, assessments: [b], endpoints: [], wallets: [failing], services: [] });
    expect(truth.line).toBe("W12345's RPC failing on Chain 12345, and no fallback is configured for it");
    expect(truth.level).toBe('outage');
  });

  it('a failing wallet on a chain whose endpoints are all down is as red in its row as in the headline', () => {
    const endpoints = Array.from({ length: 3 }, (_, i) => endpoint(1, i, 'down', true));
    const failing = walletOn(1, true, false);
    const a = assessChain(1, endpoints, { inUse: true, wallets: [failing], redirects: [], now: NOW });
    const truth = worstTruth({ now: NOW, assessments: [a], endpoints, wallets: [failing], services: [] });
    expect(truth.level).toBe('outage');
    // The wallet row's own reading ("failover": it has fallbacks) yields to the chain's outage.
    expect(worstLevelAbout(truth.findings, [`wallet:${failing.wallet.name}|1`, 'chain:1'], 'failover')).toBe('outage');
    // Findings about other things leave a row alone.
    expect(worstLevelAbout(truth.findings, ['chain:10'], 'healthy')).toBe('healthy');
  });

  it('with nothing in use, an offline machine is not called healthy', () => {
    const endpoints = [endpoint(1, 0, 'down', true), endpoint(10, 0, 'healthy', true)];
    const assessments = [1, 10].map((id) => assessChain(id, endpoints, { inUse: false, wallets: [], redirects: [], now: NOW }));
    const truth = worstTruth({ now: NOW, assessments, endpoints, wallets: [], services: [] });
    expect(truth.line).toBe('No chain in use yet; 1 of 2 chains checked are reachable');
    expect(truth.level).toBe('unknown');
  });
});
