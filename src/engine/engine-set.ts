/**
 * One engine per chain, behind the same `Engine` interface. Chains share nothing at run time
 * (health, breakers, budgets are per endpoint and chain), so splitting them costs nothing and
 * lets each chain run with its own policy (the configuration's `chainPolicy`: a slow L2 may
 * want a longer deadline, a fast chain a wider lag tolerance).
 */
import { createEngine, resolvePolicy, type Engine, type EngineOptions, type HealthView, type PolicyOverride } from '../index.ts';
import type { Endpoint } from '../types.ts';
import { VERIFY_POLICY } from '../policy/index.ts';

export interface EngineSetOptions extends Omit<EngineOptions, 'policy' | 'snapshot' | 'endpoints'> {
  endpoints: readonly Endpoint[];
  /** The policy overrides for one chain (global ones merged with the chain's own). */
  policyFor(chainId: number): PolicyOverride;
  /** A previous `snapshot()` of an engine set. */
  snapshot?: unknown;
}

export interface EngineSetSnapshot {
  version: 1;
  chains: Record<string, unknown>;
}

/** An `Engine` whose snapshot holds one engine snapshot per chain. */
export type EngineSet = Omit<Engine, 'snapshot'> & { snapshot(): EngineSetSnapshot };

export function createEngineSet(options: EngineSetOptions): EngineSet {
  const { policyFor, snapshot: initialSnapshot, endpoints: initialEndpoints, ...shared } = options;
  const engines = new Map<number, Engine>();
  let allEndpoints: readonly Endpoint[] = initialEndpoints;
  // A mode set later applies to engines made later too.
  let verificationMode = shared.verification;
  const make = (chainId: number, endpoints: readonly Endpoint[], snapshot?: unknown) =>
    createEngine({ ...shared, ...(verificationMode ? { verification: verificationMode } : {}), endpoints, policy: policyFor(chainId), ...(snapshot !== undefined ? { snapshot } : {}) });
  const stored = (initialSnapshot as Partial<EngineSetSnapshot> | undefined)?.chains ?? {};

  const byChain = (endpoints: readonly Endpoint[]) => {
    const groups = new Map<number, Endpoint[]>();
    for (const e of endpoints) groups.set(e.chainId, [...(groups.get(e.chainId) ?? []), e]);
    return groups;
  };
  const place = (endpoints: readonly Endpoint[]) => {
    const groups = byChain(endpoints);
    for (const [chainId, group] of groups) {
      const existing = engines.get(chainId);
      if (existing) existing.setEndpoints(group);
      else engines.set(chainId, make(chainId, group, stored[String(chainId)]));
    }
    for (const [chainId, engine] of engines) if (!groups.has(chainId)) engine.setEndpoints([]);
  };
  place(initialEndpoints);

  /** A chain with no endpoints still answers (with "no endpoint" errors) through an empty engine. */
  const engineFor = (chainId: number): Engine => {
    let engine = engines.get(chainId);
    if (!engine) engines.set(chainId, (engine = make(chainId, [])));
    return engine;
  };
  const all = () => [...engines.values()];
  const globalPolicy = resolvePolicy({});

  return {
    /** The default policy; each chain's engine has its own (`chainPolicy`). */
    policy: globalPolicy,
    request: (chainId, call, routeOptions) => engineFor(chainId).request(chainId, call, routeOptions),
    probe(endpointId) {
      const owner = all().find((engine) => engine.endpoints().some((e) => e.id === endpointId));
      return (owner ?? engineFor(0)).probe(endpointId);
    },
    probeChain: (chainId) => engineFor(chainId).probeChain(chainId),
    chainsDueForProbe: (active) => {
      const activeList = [...active];
      return all().flatMap((engine) => engine.chainsDueForProbe(activeList));
    },
    recordOutcome: (idOrUrl, outcome) => all().map((engine) => engine.recordOutcome(idOrUrl, outcome)).some(Boolean),
    setEndpoints(endpoints) {
      allEndpoints = endpoints;
      place(endpoints);
    },
    endpoints: (chainId) => (chainId === undefined ? allEndpoints : allEndpoints.filter((e) => e.chainId === chainId)),
    snapshot: () => ({ version: 1, chains: Object.fromEntries([...engines].map(([chainId, engine]) => [String(chainId), engine.snapshot()])) }),
    restore(snapshot) {
      const chains = (snapshot as Partial<EngineSetSnapshot> | undefined)?.chains ?? {};
      for (const [chainId, engine] of engines) engine.restore(chains[String(chainId)]);
    },
    healthView(): HealthView {
      const views = all().map((engine) => engine.healthView());
      return { generatedAt: Math.max(0, ...views.map((v) => v.generatedAt)), chains: views.flatMap((v) => v.chains), endpoints: views.flatMap((v) => v.endpoints) };
    },
    endpointView: (endpointId) => all().map((engine) => engine.endpointView(endpointId)).find((view) => view !== undefined),
    chainSummary: (chainId) => engineFor(chainId).chainSummary(chainId),
    setVerificationMode(mode) {
      verificationMode = mode;
      for (const engine of all()) engine.setVerificationMode(mode);
    },
    verificationView() {
      const views = all().map((engine) => engine.verificationView());
      return {
        mode: verificationMode ?? VERIFY_POLICY.defaultMode,
        failed: views.flatMap((v) => v.failed),
        cannotVerify: views.flatMap((v) => v.cannotVerify),
        chains: views.flatMap((v) => v.chains),
      };
    },
    reenableEndpoint: (endpointId) => all().map((engine) => engine.reenableEndpoint(endpointId)).some(Boolean),
  };
}
