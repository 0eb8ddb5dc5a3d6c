/**
 * The engine: one chain set of endpoints with its health tracker, prober and router.
 *
 *   const engine = createEngine({ endpoints, policy });      // real fetch transport by default
 *   engine.restore(await storage.get('health'));               // after the worker was killed
 *   const answer = await engine.request(1, { method: 'eth_getBalance', params: [address, 'latest'] });
 *   for (const chainId of engine.chainsDueForProbe(chainsInUse)) void engine.probeChain(chainId);
 *   await storage.set('health', engine.snapshot());
 *   popup.render(engine.healthView());
 *
 * Pure TypeScript: no chrome.*, no DOM. Time comes from a `Clock`, the network from a `Transport`.
 */
import { type Clock, systemClock } from '../clock.ts';
import { type ProbeResult, createProber } from '../health/probe.ts';
import {
  type ChainSummary,
  type EndpointView,
  type HealthSnapshot,
  type ObservedOutcome,
  createHealthTracker,
} from '../health/tracker.ts';
import { type Policy, type PolicyOverride } from '../policy/index.ts';
import { type RouteOptions, type RouteResult, type RpcCall, createRouter } from '../router/index.ts';
import { type Transport, createFetchTransport } from '../net/transport.ts';
import type { Endpoint } from '../types.ts';
import { classifyMethod } from '../rpc/methods.ts';
import type { VerificationMode } from '../policy/index.ts';
import { type CallProver, type FailedMark, type HeaderSource, type VerificationView, createReadVerification } from '../verify/index.ts';


export interface EngineOptions {
  endpoints: readonly Endpoint[];
  /** Defaults to the real fetch transport. */
  transport?: Transport;
  clock?: Clock;
  /** Any subset of the policy (src/policy); the rest keeps its defaults. */
  policy?: PolicyOverride;
  /** A previous `snapshot()`; malformed or unknown parts are ignored. */
  snapshot?: unknown;
  /** Which reads are proven against the chain (default: relayed ones). */
  verification?: VerificationMode;
  /** Replaces the provider-agreement header source (a light-client anchor, tests). */
  headerSource?: HeaderSource;
  /** An endpoint's answer failed verification (it is benched on its chain). */
  onVerificationFailed?: (mark: FailedMark) => void;
  /** Where the eth_call prover comes from (default: a dynamic import on first use). */
  loadCallProver?: () => Promise<CallProver>;
}

export interface HealthView {
  generatedAt: number;
  chains: ChainSummary[];
  endpoints: EndpointView[];
}

export interface EngineSnapshot {
  version: 1;
  health: HealthSnapshot;
  /** Benched and can't-verify endpoints, proven-read counts (absent in snapshots from before). */
  verification?: VerificationView;
}

export interface Engine {
  readonly policy: Policy;
  /** Routes one JSON-RPC call for a chain. Never rejects: failures come back as `{ ok: false, error }`. */
  request(chainId: number, call: RpcCall, options?: RouteOptions): Promise<RouteResult>;
  /** eth_chainId + eth_blockNumber against one endpoint (skipped while its breaker is open). */
  probe(endpointId: string): Promise<ProbeResult>;
  /** Probes every enabled endpoint of a chain in parallel. */
  probeChain(chainId: number): Promise<ProbeResult[]>;
  /** Chains whose probe is due now: chains in use every `probe.activeIntervalMs`, the rest every `probe.idleIntervalMs`. */
  chainsDueForProbe(activeChainIds: Iterable<number>): number[];
  /** Feeds an outcome seen outside the router (e.g. the page's own RPC traffic via webRequest). */
  recordOutcome(endpointIdOrUrl: string, outcome: ObservedOutcome): boolean;
  /** Replaces the endpoint set; health history is kept for endpoints whose id, URL and chain are unchanged. */
  setEndpoints(endpoints: readonly Endpoint[]): void;
  endpoints(chainId?: number): readonly Endpoint[];
  snapshot(): EngineSnapshot;
  restore(snapshot: unknown): void;
  healthView(): HealthView;
  endpointView(endpointId: string): EndpointView | undefined;
  chainSummary(chainId: number): ChainSummary;
  setVerificationMode(mode: VerificationMode): void;
  /** Benched endpoints, endpoints that cannot prove, proven/unproven read counts per chain. */
  verificationView(): VerificationView & { mode: VerificationMode };
  /** Lets an endpoint benched for a failed answer serve again before its cool-down ends. */
  reenableEndpoint(endpointId: string): boolean;
}

export function createEngine(options: EngineOptions): Engine {
  const clock = options.clock ?? systemClock;
  const transport = options.transport ?? createFetchTransport();
  let allEndpoints: readonly Endpoint[] = options.endpoints;
  const health = createHealthTracker({ endpoints: allEndpoints, clock, policy: options.policy ?? {} });
  const prober = createProber({ transport, clock, health });
  // The router consults verification's bench; verification routes through the router: the bench
  // is read through a late-bound reference.
  let benched: (endpointId: string) => boolean = () => false;
  const router = createRouter({ transport, clock, health, prober, benched: (id) => benched(id) });
  const policy = health.policy;
  const verification = createReadVerification({
    clock,
    ...(options.verification ? { mode: options.verification } : {}),
    ...(options.headerSource ? { headers: options.headerSource } : {}),
    ...(options.onVerificationFailed ? { onFailed: options.onVerificationFailed } : {}),
    ...(options.loadCallProver ? { loadCallProver: options.loadCallProver } : {}),
    network: {
      request: (chainId, call, routeOptions) => router.request(chainId, call, routeOptions),
      endpoints: (chainId) => health.endpointsOf(chainId).filter((e) => e.enabled && !verification.benched(e.id)),
      head: (chainId) => health.head(chainId)?.block,
    },
  });
  // When every endpoint of a chain is benched, the fault is likelier in the checking than in all of
  // them: none sits out, so verification can never take a chain down by itself.
  benched = (id) => {
    if (!verification.benched(id)) return false;
    const chainId = health.endpoint(id)?.chainId;
    return chainId !== undefined && health.endpointsOf(chainId).some((e) => e.enabled && !verification.benched(e.id));
  };

  const restore = (snapshot: unknown) => {
    if (typeof snapshot !== 'object' || snapshot === null) return;
    const candidate = snapshot as Partial<EngineSnapshot>;
    if (candidate.version !== 1) return;
    health.restore(candidate.health);
    verification.marks.restore(candidate.verification);
  };
  if (options.snapshot !== undefined) restore(options.snapshot);

  const chainIds = () => [...new Set(allEndpoints.filter((e) => e.enabled).map((e) => e.chainId))];

  return {
    policy,
    request(chainId, call, routeOptions = {}) {
      if (classifyMethod(call.method) !== 'read' || !verification.applies(routeOptions)) return router.request(chainId, call, routeOptions);
      return verification.request(chainId, call, routeOptions, (fallbackOptions) => router.request(chainId, call, fallbackOptions));
    },
    probe: (endpointId) => prober.probe(endpointId),
    probeChain: (chainId) => prober.probeChain(chainId),
    chainsDueForProbe(activeChainIds) {
      const active = new Set(activeChainIds);
      const now = clock.now();
      return chainIds().filter((chainId) => {
        const last = health.lastProbeAt(chainId);
        const interval = active.has(chainId) ? policy.probe.activeIntervalMs : policy.probe.idleIntervalMs;
        return last === undefined || now - last >= interval - policy.probe.dueEarlyMs;
      });
    },
    recordOutcome: (endpointIdOrUrl, outcome) => health.recordOutcome(endpointIdOrUrl, outcome),
    setEndpoints(endpoints) {
      allEndpoints = endpoints;
      health.setEndpoints(endpoints);
    },
    endpoints: (chainId) => (chainId === undefined ? allEndpoints : allEndpoints.filter((e) => e.chainId === chainId)),
    snapshot() {
      const marks = verification.marks.snapshot();
      // Most chains never verify anything: their snapshots stay as small as before.
      const empty = marks.failed.length === 0 && marks.cannotVerify.length === 0 && marks.chains.length === 0;
      return { version: 1, health: health.snapshot(), ...(empty ? {} : { verification: marks }) };
    },
    restore,
    healthView: () => ({ generatedAt: clock.now(), chains: chainIds().map((chainId) => health.chainSummary(chainId)), endpoints: health.views() }),
    endpointView: (endpointId) => health.view(endpointId),
    chainSummary: (chainId) => health.chainSummary(chainId),
    setVerificationMode: (mode) => verification.setMode(mode),
    verificationView: () => verification.view(),
    reenableEndpoint: (endpointId) => verification.reenable(endpointId),
  };
}
