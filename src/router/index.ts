/**
 * The router: one entry point for every JSON-RPC call Lifeline handles. It decides what may be
 * routed at all (wallet-only methods never are), answers eth_chainId itself, validates reads,
 * and dispatches to the read (hedged fail-over), quorum or broadcast strategy.
 */
import { type Clock, systemClock } from '../clock.ts';
import { type HealthTracker, createHealthTracker } from '../health/tracker.ts';
import { type Prober, createProber } from '../health/probe.ts';
import { type JsonRpcErrorObject, RpcCode, rpcError, toQuantity } from '../rpc/jsonrpc.ts';
import { checkLogRange, classifyMethod, lagClassFor, logRangeNeedsHead, validateRawTransactionParams, validateReadParams } from '../rpc/methods.ts';
import { type Policy, type PolicyOverride, resolvePolicy } from '../policy/index.ts';
import type { Transport } from '../net/transport.ts';
import type { Endpoint } from '../types.ts';
import { type RetryBudget, createRetryBudget } from './budget.ts';
import { routeBroadcast } from './broadcast.ts';
import { type RouteMeta, type RouteOptions, type RouteResult, type RouterContext, type RpcCall, ensureHead } from './context.ts';
import { routeQuorum } from './quorum.ts';
import { routeRead } from './read.ts';

export type { AttemptKind, AttemptRecord, RouteMeta, RouteOptions, RouteResult, RpcCall } from './context.ts';
export { transactionHash } from './broadcast.ts';
export { canonicalJson } from './quorum.ts';

export interface RouterOptions {
  transport: Transport;
  /** Endpoints to route over; ignored when `health` is given (it already knows them). */
  endpoints?: readonly Endpoint[];
  clock?: Clock;
  policy?: PolicyOverride | Policy;
  /** Shared health state (probes and observed traffic feed the same tracker). */
  health?: HealthTracker;
  prober?: Prober;
  /** Endpoints that must not serve anything now (an answer of theirs failed verification). */
  benched?: (endpointId: string) => boolean;
}

export interface Router {
  request(chainId: number, call: RpcCall, options?: RouteOptions): Promise<RouteResult>;
  readonly health: HealthTracker;
  readonly prober: Prober;
  readonly policy: Policy;
}

export function createRouter(options: RouterOptions): Router {
  const clock = options.clock ?? systemClock;
  const health = options.health ?? createHealthTracker({ endpoints: options.endpoints ?? [], clock, policy: options.policy ?? {} });
  const policy = options.health ? health.policy : resolvePolicy(options.policy);
  const prober = options.prober ?? createProber({ transport: options.transport, clock, health });
  const budgets = new Map<number, RetryBudget>();
  let nextId = 1;

  const ctx: RouterContext = {
    transport: options.transport,
    clock,
    policy,
    health,
    prober,
    budget(chainId) {
      let budget = budgets.get(chainId);
      if (!budget) {
        budget = createRetryBudget(policy, clock);
        budgets.set(chainId, budget);
      }
      return budget;
    },
    ...(options.benched ? { benched: options.benched } : {}),
    nextId() {
      const id = nextId;
      // Stay below the probe id range and within safe integers.
      nextId = nextId >= 0x6fffffff ? 1 : nextId + 1;
      return id;
    },
  };

  const local = (chainId: number, method: string, outcome: { result: unknown } | { error: JsonRpcErrorObject }): RouteResult => {
    const meta: RouteMeta = { chainId, method, source: 'result' in outcome ? 'local' : 'engine', attempts: [], hedged: false, elapsedMs: 0 };
    return 'result' in outcome ? { ok: true, result: outcome.result, meta } : { ok: false, error: outcome.error, meta };
  };

  const request = async (chainId: number, call: RpcCall, routeOptions: RouteOptions = {}): Promise<RouteResult> => {
    const { method, params } = call;
    switch (classifyMethod(method)) {
      case 'wallet-only':
        return local(chainId, method, {
          error: rpcError(RpcCode.unsupportedMethod, `${method} is a wallet method; Lifeline never sends it to an RPC endpoint`, { reason: 'wallet-only' }),
        });
      case 'unsupported':
        return local(chainId, method, { error: rpcError(RpcCode.methodNotFound, `Lifeline does not route ${method}`, { reason: 'not-routable' }) });
      case 'local':
        return local(chainId, method, { result: toQuantity(chainId) });
      case 'broadcast': {
        const invalid = validateRawTransactionParams(params);
        if (invalid) return local(chainId, method, { error: invalid });
        return routeBroadcast(ctx, chainId, (params as string[])[0]!, routeOptions);
      }
      case 'read': {
        const invalid = validateReadParams(method, params);
        if (invalid) return local(chainId, method, { error: invalid });
        if (method === 'eth_getLogs') {
          if (logRangeNeedsHead(params) && !health.head(chainId)) await ensureHead(ctx, chainId);
          const unbounded = checkLogRange(params, health.head(chainId)?.block, policy.methods.maxLogBlockRange);
          if (unbounded) return local(chainId, method, { error: unbounded });
        }
        const info = { chainId, method, params, lagClass: lagClassFor(method, params) };
        const rule = policy.quorum.methods[method];
        return rule ? routeQuorum(ctx, info, rule, routeOptions) : routeRead(ctx, info, routeOptions);
      }
    }
  };

  return { request, health, prober, policy };
}
