/**
 * A week of realistic worker state for the popup benchmark, produced by Lifeline's own engine
 * code on a simulated clock (no hand-written storage formats): every default chain in use, an
 * hour of probes of every default endpoint (so every sparkline is full), some endpoints failing,
 * one chain with no healthy endpoint, wallet health for three wallets on every chain, and a full
 * timeline (TIMELINE_LIMITS.maxEvents events over 7 days).
 */
import { createManualClock } from '../src/testing/manual-clock';
import { createEngineSet } from '../src/engine/engine-set';
import { createSimNetwork, type SimBehaviour, type SimEndpoint } from '../src/testing/sim-network';
import { DEFAULT_ENDPOINTS, SUPPORTED_CHAIN_IDS } from '../src/registry/defaults';
import { sampleLatency, type LatencyHistory } from '../src/status/latency';
import { appendEvents, type TimelineEvent, type TimelineEventKind } from '../src/status/timeline';
import { TIMELINE_LIMITS } from '../src/policy/index';
import { WalletHealth } from '../src/wallet/health';
import { SHELL_POLICY, STATUS_POLICY } from '../src/policy/index';

export interface PopupSeed {
  session: {
    engineSnapshot: unknown;
    latencyHistory: LatencyHistory;
    chainsInUse: Record<string, number>;
    walletHealth: unknown;
  };
  timeline: TimelineEvent[];
  counts: { chains: number; endpoints: number; samplesPerEndpoint: number; wallets: number; timelineEvents: number };
}

const HOUR = 60 * 60 * 1000;
const PROBE_EVERY_MS = STATUS_POLICY.latencyMinSampleGapMs + 5_000;

export async function buildPopupSeed(now: number): Promise<PopupSeed> {
  const clock = createManualClock(now - HOUR);
  const start = clock.now();
  // The last chain loses every endpoint for the final 10 minutes; elsewhere every fifth endpoint
  // hangs for the last 20 minutes and every seventh returns 503s: failover on most chains.
  const outageChain = SUPPORTED_CHAIN_IDS[SUPPORTED_CHAIN_IDS.length - 1]!;
  const sims: SimEndpoint[] = DEFAULT_ENDPOINTS.map((endpoint, i) => {
    const failing = (t: number): SimBehaviour => {
      if (endpoint.chainId === outageChain && t > HOUR - 10 * 60_000) return { kind: 'http-5xx', status: 502 };
      if (i % 5 === 0 && t > HOUR - 20 * 60_000) return { kind: 'hang' };
      if (i % 7 === 0 && t > HOUR - 30 * 60_000) return { kind: 'http-5xx', status: 503 };
      return { kind: 'healthy' };
    };
    return { endpoint, latencyMs: 40 + ((i * 37) % 260), lagBlocks: i % 11 === 0 ? 6 : 0, behaviour: failing };
  });
  const net = createSimNetwork({ clock, endpoints: sims });
  const engine = createEngineSet({ endpoints: DEFAULT_ENDPOINTS, transport: net.transport, clock, policyFor: () => ({}) });

  let latency: LatencyHistory = {};
  while (clock.now() < now) {
    await clock.settle(Promise.all(SUPPORTED_CHAIN_IDS.map((c) => engine.probeChain(c))), 60_000);
    latency = sampleLatency(latency, engine.healthView().endpoints, clock.now());
    const next = start + Math.ceil((clock.now() - start + 1) / PROBE_EVERY_MS) * PROBE_EVERY_MS;
    await clock.advanceByAsync(Math.max(0, Math.min(next, now) - clock.now()));
    if (clock.now() >= now) break;
  }

  const wallets = new WalletHealth();
  const names = [{ name: 'Rabby Wallet', rdns: 'io.rabby' }, { name: 'MetaMask', rdns: 'io.metamask' }, { name: 'Coinbase Wallet', rdns: 'com.coinbase.wallet' }];
  for (const [w, wallet] of names.entries()) {
    for (const chainId of SUPPORTED_CHAIN_IDS) {
      for (let k = 0; k < 40; k++) {
        const at = now - HOUR + k * 60_000;
        const failing = w === 0 && chainId === SUPPORTED_CHAIN_IDS[0] && k > 30;
        wallets.record(
          failing
            ? { wallet, chainId, observation: { type: 'failed', method: 'eth_call', failure: 'timeout', latencyMs: 1000, servedByLifeline: true } }
            : { wallet, chainId, observation: { type: 'answered', method: 'eth_blockNumber', latencyMs: 80 + k } },
          at,
          'https://app.example',
        );
      }
    }
  }

  const kinds: TimelineEventKind[] = ['endpoint-down', 'failover-start', 'redirect-start', 'endpoint-up', 'redirect-end', 'failover-end', 'wallet-failing', 'wallet-recovered'];
  const weekMs = TIMELINE_LIMITS.maxAgeMs - HOUR;
  const added: TimelineEvent[] = Array.from({ length: TIMELINE_LIMITS.maxEvents }, (_, i) => ({
    at: now - Math.round((weekMs * i) / TIMELINE_LIMITS.maxEvents),
    kind: kinds[i % kinds.length]!,
    chainId: SUPPORTED_CHAIN_IDS[i % SUPPORTED_CHAIN_IDS.length]!,
    from: DEFAULT_ENDPOINTS[i % DEFAULT_ENDPOINTS.length]!.provider,
    to: DEFAULT_ENDPOINTS[(i + 3) % DEFAULT_ENDPOINTS.length]!.provider,
    reason: 'HTTP 503 ×3',
  }));
  const timeline = appendEvents([], added, now);

  // Seen a moment ago, well inside SHELL_POLICY.chainInUseForMs: every chain counts as in use.
  const seenAt = now - Math.min(60_000, SHELL_POLICY.chainInUseForMs / 2);
  return {
    session: {
      engineSnapshot: JSON.parse(JSON.stringify(engine.snapshot())) as unknown,
      latencyHistory: latency,
      chainsInUse: Object.fromEntries(SUPPORTED_CHAIN_IDS.map((c) => [String(c), seenAt])),
      walletHealth: JSON.parse(JSON.stringify(wallets.snapshot())) as unknown,
    },
    timeline,
    counts: {
      chains: SUPPORTED_CHAIN_IDS.length,
      // The popup lists endpoints that are on; the defaults Chainlist marks as tracking are off.
      endpoints: DEFAULT_ENDPOINTS.filter((e) => e.enabled).length,
      samplesPerEndpoint: Math.max(...Object.values(latency).map((s) => s.length)),
      wallets: names.length * SUPPORTED_CHAIN_IDS.length,
      timelineEvents: timeline.length,
    },
  };
}
