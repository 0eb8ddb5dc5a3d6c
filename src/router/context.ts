/**
 * What every routing strategy (read, quorum, broadcast) shares: the request/answer types, endpoint
 * ranking, and one attempt = exchange + verification of the answer before anyone may trust it.
 */
import type { Clock } from '../clock.ts';
import { blocksWithin } from '../health/head.ts';
import type { HealthTracker } from '../health/tracker.ts';
import type { ProbeResult, Prober } from '../health/probe.ts';
import { type AttemptFailure, type FailureClass, type JsonRpcErrorObject, encodeRequest, failure } from '../rpc/jsonrpc.ts';
import { blockNumberFromAnswer } from '../rpc/methods.ts';
import { type LagClass, type Policy, targetHedgeDelayMs } from '../policy/index.ts';
import type { Transport } from '../net/transport.ts';
import { type ExchangeResult, exchange } from '../net/exchange.ts';
import type { Endpoint, Infrastructure } from '../types.ts';
import type { RetryBudget } from './budget.ts';
import { compareKeys, preferenceKey, rankEndpoints } from './rank.ts';

export interface RpcCall {
  method: string;
  params?: unknown;
}

export interface RouteOptions {
  /** Cancels the request (and its in-flight attempts). */
  signal?: AbortSignal;
  /** Never use endpoints on these infrastructures for this request. */
  excludeInfrastructure?: readonly Infrastructure[];
  /** Endpoint ids or URLs to try only after every other (e.g. the dApp's own RPC that just failed). */
  preferNot?: readonly string[];
  /** Overrides the policy deadline for this request (never longer than the policy's). */
  deadlineMs?: number;
  /** Only these endpoint ids may serve this request (asking particular providers, as verification does). */
  onlyEndpoints?: readonly string[];
  /** Never these endpoint ids for this request (ones already tried, or whose answer failed a check). */
  excludeEndpoints?: readonly string[];
  /** The read comes from a page, relayed by the wallet guard (what "verify relayed reads" checks). */
  relayed?: boolean;
}

export type AttemptKind = 'primary' | 'hedge' | 'failover' | 'broadcast' | 'quorum';

export interface AttemptRecord {
  endpointId: string;
  kind: AttemptKind;
  /** Milliseconds after the request started. */
  startedAtMs: number;
  outcome: 'pending' | 'answer' | 'answer-error' | 'aborted' | FailureClass;
  latencyMs?: number;
  detail?: string;
}

export interface RouteMeta {
  chainId: number;
  method: string;
  /** Who produced the answer: an endpoint, the engine itself (eth_chainId), or nobody (engine error). */
  source: 'endpoint' | 'local' | 'engine';
  /** The endpoint whose answer was returned. */
  endpointId?: string;
  attempts: AttemptRecord[];
  hedged: boolean;
  elapsedMs: number;
  /** Set when verification looked at this read: proven against the chain, or served without proof. */
  verification?: 'proven' | 'not-verified';
}

export type RouteResult =
  | { ok: true; result: unknown; meta: RouteMeta }
  /** `error` is the endpoint's own answer (revert…) when meta.source is 'endpoint', else the engine's. */
  | { ok: false; error: JsonRpcErrorObject; meta: RouteMeta };

export interface RouterContext {
  transport: Transport;
  clock: Clock;
  policy: Policy;
  health: HealthTracker;
  prober: Prober;
  budget(chainId: number): RetryBudget;
  nextId(): number;
  /** Endpoints sitting out on their chain (an answer failed verification): never candidates. */
  benched?(endpointId: string): boolean;
}

export interface CallInfo {
  chainId: number;
  method: string;
  params: unknown;
  lagClass: LagClass;
}

export interface Candidate {
  endpoint: Endpoint;
  /** Only when nothing else is left (breaker open): better a likely failure than no attempt. */
  lastResort: boolean;
  /** Ranked after all others: the caller prefers to avoid it. */
  demoted: boolean;
  /** Not answering now (see EndpointView.silent): tried after every answering one. */
  silent: boolean;
  /** No success lately (see EndpointView.unheard). */
  unheard: boolean;
  score: number;
}

/** What every route starts with: clock, deadline, one encoded body, a budget deposit, ranked candidates. */
export function beginRoute(ctx: RouterContext, call: CallInfo, options: RouteOptions) {
  const startedAt = ctx.clock.now();
  const deadlineMs = Math.min(options.deadlineMs ?? ctx.policy.request.deadlineMs, ctx.policy.request.deadlineMs);
  const id = ctx.nextId();
  const body = encodeRequest(id, call.method, call.params);
  const budget = ctx.budget(call.chainId);
  budget.deposit();
  return { startedAt, deadlineMs, id, body, budget, candidates: rankCandidates(ctx, call, options) };
}

/**
 * Endpoints that may serve this call, in the shared ranking's order (src/router/rank.ts); this
 * request's exclusions are left out entirely, endpoints it prefers not to use are demoted.
 */
export function rankCandidates(ctx: RouterContext, call: CallInfo, options: RouteOptions): Candidate[] {
  const { health, policy } = ctx;
  const excluded = options.excludeInfrastructure;
  const avoid = options.preferNot;
  const views = health.endpointsOf(call.chainId).flatMap((endpoint) => health.view(endpoint.id) ?? []);
  const candidates: Candidate[] = [];
  for (const { view, score, lastResort } of rankEndpoints(views, policy, { lagToleranceBlocks: health.toleranceBlocks(call.chainId, call.lagClass) })) {
    const endpoint = health.endpoint(view.id);
    if (!endpoint || excluded?.includes(endpoint.infrastructure)) continue;
    if (options.onlyEndpoints && !options.onlyEndpoints.includes(endpoint.id)) continue;
    if (options.excludeEndpoints?.includes(endpoint.id) || ctx.benched?.(endpoint.id)) continue;
    candidates.push({ endpoint, lastResort, demoted: avoid !== undefined && (avoid.includes(endpoint.id) || avoid.includes(endpoint.url)), silent: view.silent === true, unheard: view.unheard === true, score });
  }
  return candidates;
}

/**
 * Breakers change during a request (a cool-down ends, a failure opens one), and so does silence (a
 * request to an endpoint passes its hedge delay unanswered, or it answers again): re-read before picking.
 */
export function refreshAvailability(ctx: RouterContext, candidates: Candidate[], used: ReadonlySet<string>): void {
  for (const candidate of candidates) {
    if (used.has(candidate.endpoint.id)) continue;
    candidate.lastResort = ctx.health.availability(candidate.endpoint.id) === 'open';
    candidate.silent = ctx.health.isSilent(candidate.endpoint.id);
    candidate.unheard = !ctx.health.hedgeTarget(candidate.endpoint.id).answeredRecently;
  }
}

/**
 * Best remaining candidate: not last-resort, not demoted, not silent, not on an infrastructure that
 * already failed (or stalled) in this request, then the shared preference (user endpoints first,
 * lowest score). Once something stalled in this request (`preferAnswering`), one that answered
 * lately goes before a guess: in an outage, an endpoint not heard from is likelier down than not.
 */
export function pickCandidate(candidates: readonly Candidate[], used: ReadonlySet<string>, failedInfrastructure: ReadonlySet<Infrastructure>, preferAnswering = false): Candidate | undefined {
  let best: Candidate | undefined;
  let bestKey: number[] | undefined;
  for (const candidate of candidates) {
    if (used.has(candidate.endpoint.id)) continue;
    const infra = candidate.endpoint.infrastructure;
    const key = [
      candidate.lastResort ? 1 : 0,
      candidate.demoted ? 1 : 0,
      candidate.silent ? 1 : 0,
      preferAnswering && candidate.unheard ? 1 : 0,
      infra !== 'unknown' && failedInfrastructure.has(infra) ? 1 : 0,
      ...preferenceKey(candidate.endpoint.source, candidate.score),
    ];
    if (!bestKey || compareKeys(key, bestKey) < 0) {
      best = candidate;
      bestKey = key;
    }
  }
  return best;
}

/** Picks the best unused candidate, preferring a provider (then an infrastructure) not used yet. */
export function pickDiverse(
  candidates: readonly Candidate[],
  used: ReadonlySet<string>,
  usedProviders: ReadonlySet<string>,
  usedInfrastructure: ReadonlySet<Infrastructure>,
): Candidate | undefined {
  const fresh = candidates.filter((c) => !usedProviders.has(c.endpoint.provider));
  return pickCandidate(fresh, used, usedInfrastructure) ?? pickCandidate(candidates, used, usedInfrastructure);
}

/** Resolves with the promise's value, or undefined after `ms` — without leaving a timer behind. */
export function within<T>(clock: Clock, promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = clock.setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      () => {
        clock.clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/**
 * Makes sure the chain head rests on a probe round before lag is judged. The first two reports to
 * arrive are not enough: they may be a laggard and one honest node. So it waits for the round to
 * complete, or for every endpoint that can still answer in its usual time (at least
 * `probe.headQuorum` of them): one that is past it is stalled, and in an outage waiting for it
 * would cost the read seconds. Starts a round at most once per active probe interval and waits at
 * most `probe.coldHeadWaitMs`; once a round has completed recently it returns at once.
 */
export async function ensureHead(ctx: RouterContext, chainId: number): Promise<void> {
  const { health, prober, policy } = ctx;
  if (health.hasRecentRound(chainId) || health.endpointsOf(chainId).length <= 1) return;
  const running = prober.runningChain(chainId);
  const probedAt = health.lastProbeAt(chainId);
  if (!running && probedAt !== undefined && ctx.clock.now() - probedAt < policy.probe.activeIntervalMs) return;
  const round = running ?? prober.probeChain(chainId);
  let enough = enoughOfRound.get(round);
  if (!enough) {
    // Every endpoint that can still answer in its usual time (the wait its hedge would allow it)
    // is waited for, so the head rests on
    // the whole responsive set; one past that is stalled (hung, in an outage) and is not. Worked
    // out once per round: later reads see only the probes still running.
    const endpoints = health.endpointsOf(chainId);
    const probes = endpoints.flatMap((e) => prober.running(e.id) ?? []);
    const roundStartedAt = health.lastProbeAt(chainId) ?? ctx.clock.now();
    const usualEnd = roundStartedAt + Math.max(0, ...endpoints.map((e) => targetHedgeDelayMs(policy, health.hedgeTarget(e.id))));
    enough = Promise.race([round.then(() => undefined), answeredBy(probes, policy.probe.headQuorum).then(() => sleepUntil(ctx.clock, usualEnd))]);
    enoughOfRound.set(round, enough);
  }
  await within(ctx.clock, enough, policy.probe.coldHeadWaitMs);
}

/** Per probe round, when enough of it has answered to judge lag by (see ensureHead). */
const enoughOfRound = new WeakMap<Promise<ProbeResult[]>, Promise<void>>();

const sleepUntil = (clock: Clock, at: number): Promise<void> =>
  new Promise((resolve) => {
    const ms = at - clock.now();
    if (ms <= 0) resolve();
    else clock.setTimeout(resolve, ms);
  });

/** Resolves once `count` of the probes answered (or all of them settled), whichever is first. */
function answeredBy(probes: readonly Promise<ProbeResult>[], count: number): Promise<void> {
  return new Promise((resolve) => {
    let answered = 0;
    let settled = 0;
    if (probes.length === 0) resolve();
    for (const probe of probes) {
      probe.then(
        (result) => {
          settled++;
          if (result.ok) answered++;
          if (answered >= count || settled === probes.length) resolve();
        },
        () => {
          if (++settled === probes.length) resolve();
        },
      );
    }
  });
}

export type Verdict = { kind: 'result'; result: unknown } | { kind: 'answer-error'; error: JsonRpcErrorObject } | AttemptFailure | { kind: 'aborted' };

export interface AttemptResult {
  verdict: Verdict;
  latencyMs: number;
}

/** Starts verification work an attempt will need, so it runs alongside the request itself. */
export function prefetchVerification(ctx: RouterContext, endpoint: Endpoint, lagClass: LagClass, sentAt: number): void {
  const { health, prober } = ctx;
  if (health.chainVerification(endpoint.id) === 'unknown' || (lagClass !== 'none' && health.lag(endpoint.id) === undefined)) {
    void prober.probe(endpoint.id, { force: true, freshSince: sentAt });
  }
  if (lagClass !== 'none') void ensureHead(ctx, endpoint.chainId);
}

/** One exchange with the attempt timeout, known to health while it is in flight (so a stall shows at once). */
export async function trackedExchange(ctx: RouterContext, endpoint: Endpoint, body: string, id: number, signal: AbortSignal): Promise<ExchangeResult> {
  const settled = ctx.health.beginAttempt(endpoint.id);
  try {
    return await exchange(ctx.transport, ctx.clock, endpoint, body, id, ctx.policy.request.attemptTimeoutMs, signal);
  } finally {
    settled();
  }
}

/**
 * Sends one request to one endpoint and decides whether its answer may be trusted: the endpoint
 * must be verified to serve this chain, and lag-sensitive answers must come from an endpoint within
 * the method's lag tolerance. Health is updated with everything learned.
 */
export async function runAttempt(ctx: RouterContext, endpoint: Endpoint, call: CallInfo, body: string, id: number, signal: AbortSignal): Promise<AttemptResult> {
  const { health } = ctx;
  const sentAt = ctx.clock.now();
  prefetchVerification(ctx, endpoint, call.lagClass, sentAt);
  const { outcome, latencyMs } = await trackedExchange(ctx, endpoint, body, id, signal);
  if (outcome.kind === 'aborted') return { verdict: outcome, latencyMs };
  if (outcome.kind === 'failure') {
    health.recordOutcome(endpoint.id, { ...outcome, latencyMs });
    return { verdict: outcome, latencyMs };
  }
  health.recordOutcome(endpoint.id, { kind: 'success', latencyMs });
  const rejection = await verifyAnswer(ctx, endpoint, call, outcome.kind === 'result' ? outcome.result : undefined, sentAt);
  if (rejection) {
    if (rejection.failureClass !== 'wrong-chain') health.recordOutcome(endpoint.id, rejection);
    return { verdict: rejection, latencyMs };
  }
  return { verdict: outcome, latencyMs };
}

async function verifyAnswer(ctx: RouterContext, endpoint: Endpoint, call: CallInfo, result: unknown, sentAt: number): Promise<AttemptFailure | undefined> {
  const { health, prober } = ctx;
  // Only a probe sent no earlier than the request itself speaks for the endpoint that answered it.
  const verify = () => prober.probe(endpoint.id, { force: true, freshSince: sentAt });
  if (health.chainVerification(endpoint.id) === 'unknown') await verify();
  const verification = health.chainVerification(endpoint.id);
  if (verification !== 'verified') {
    return failure('wrong-chain', verification === 'wrong' ? (health.view(endpoint.id)?.reason ?? 'wrong chain') : 'chain id could not be verified');
  }
  if (call.lagClass === 'none') return undefined;

  await ensureHead(ctx, call.chainId);
  const tolerance = health.toleranceBlocks(call.chainId, call.lagClass);
  const answeredBlock = result === undefined ? undefined : blockNumberFromAnswer(call.method, call.params, result);
  if (answeredBlock !== undefined) {
    // The answer itself says how far along the endpoint is: judge it directly.
    const head = health.head(call.chainId);
    const blockTime = health.blockTimeMs(call.chainId);
    if (head) {
      const behind = head.block - answeredBlock - blocksWithin(head.at - sentAt, blockTime);
      if (behind > tolerance) return failure('stale', `${behind} blocks behind`);
    }
    const agreed = health.corroboratedHead(call.chainId);
    if (agreed) {
      const ahead = answeredBlock - agreed.block - blocksWithin(ctx.clock.now() - agreed.sentAt, blockTime);
      if (ahead > health.implausibleAheadBlocks(call.chainId)) return failure('implausible', `block ${answeredBlock} is ${ahead} ahead of the agreed head`);
    }
    health.observeBlock(endpoint.id, answeredBlock, sentAt);
    return undefined;
  }
  let lag = health.lag(endpoint.id);
  if (lag === undefined) {
    await verify();
    lag = health.lag(endpoint.id);
  }
  if (lag === undefined) return failure('stale', 'lag unknown (no block number from this endpoint)');
  if (lag > tolerance) return failure('stale', `${lag} blocks behind`);
  return undefined;
}
