/**
 * Health probes: eth_chainId + eth_blockNumber, in parallel, to one endpoint or a whole chain.
 * The caller (extension alarms, the router on first contact) decides when; probes of the same
 * endpoint or chain that are already running are shared, never duplicated.
 */
import type { Clock } from '../clock.ts';
import { type AttemptFailure, encodeRequest, failure, parseQuantity } from '../rpc/jsonrpc.ts';
import type { Transport } from '../net/transport.ts';
import { type ExchangeResult, exchange } from '../net/exchange.ts';
import type { Endpoint } from '../types.ts';
import type { HealthTracker } from './tracker.ts';

export interface ProbeResult {
  endpointId: string;
  ok: boolean;
  chainId?: number;
  block?: number;
  latencyMs?: number;
  failure?: AttemptFailure;
  /** Not sent: the breaker is open, the endpoint asked us to back off, or it is disabled/unknown. */
  skipped?: 'open' | 'rate-limited' | 'disabled' | 'unknown';
}

export interface ProbeOptions {
  /** Probe even while the breaker is open (the router verifying an endpoint it is already using). */
  force?: boolean;
  /**
   * Share a running probe only if it started at or after this time; an older one may have been
   * sent while the endpoint was still down, so a fresh probe is started instead.
   */
  freshSince?: number;
}

export interface Prober {
  probe(endpointId: string, options?: ProbeOptions): Promise<ProbeResult>;
  /** Probes every enabled endpoint of the chain; resolves when all have answered or timed out. */
  probeChain(chainId: number): Promise<ProbeResult[]>;
  /** The running probe of this endpoint, if any. */
  running(endpointId: string): Promise<ProbeResult> | undefined;
  runningChain(chainId: number): Promise<ProbeResult[]> | undefined;
}

export interface ProberOptions {
  transport: Transport;
  clock: Clock;
  health: HealthTracker;
}

// Probe ids live in their own range so a probe answer can never be mistaken for a request's.
const PROBE_ID_BASE = 0x70000000;

export function createProber({ transport, clock, health }: ProberOptions): Prober {
  const policy = health.policy;
  const runningProbes = new Map<string, { promise: Promise<ProbeResult>; startedAt: number }>();
  const runningChains = new Map<number, Promise<ProbeResult[]>>();
  let nextId = PROBE_ID_BASE;

  const send = (endpoint: Endpoint, method: string): Promise<ExchangeResult> => {
    const id = nextId++;
    if (nextId >= PROBE_ID_BASE + 0x0fffffff) nextId = PROBE_ID_BASE;
    // Known to health while in flight: a probe left unanswered past the hedge delay shows the
    // endpoint silent to the router long before the probe's own timeout.
    const settled = health.beginAttempt(endpoint.id);
    return exchange(transport, clock, endpoint, encodeRequest(id, method, []), id, policy.probe.timeoutMs).finally(settled);
  };

  const run = async (endpoint: Endpoint): Promise<ProbeResult> => {
    const sentAt = clock.now();
    const [chainAnswer, blockAnswer] = await Promise.all([send(endpoint, 'eth_chainId'), send(endpoint, 'eth_blockNumber')]);
    const result: ProbeResult = { endpointId: endpoint.id, ok: false };

    const problem = (answer: ExchangeResult, what: string): AttemptFailure | undefined => {
      const outcome = answer.outcome;
      if (outcome.kind === 'failure') return outcome;
      if (outcome.kind === 'aborted') return failure('network', 'probe aborted');
      if (outcome.kind === 'answer-error') return failure('malformed', `${what} answered error ${outcome.error.code}`);
      return parseQuantity(outcome.result) === undefined ? failure('malformed', `${what} is not a hex quantity`) : undefined;
    };

    const chainProblem = problem(chainAnswer, 'eth_chainId');
    if (!chainProblem && chainAnswer.outcome.kind === 'result') {
      result.chainId = parseQuantity(chainAnswer.outcome.result)!;
      health.observeChainId(endpoint.id, result.chainId);
      if (result.chainId !== endpoint.chainId) {
        result.failure = failure('wrong-chain', `wrong chain ${result.chainId}`);
        return result;
      }
    }
    const blockProblem = problem(blockAnswer, 'eth_blockNumber');
    if (!blockProblem && blockAnswer.outcome.kind === 'result') {
      result.block = parseQuantity(blockAnswer.outcome.result)!;
      // Only trust block numbers from an endpoint known to be on this chain.
      if (!chainProblem) health.observeBlock(endpoint.id, result.block, sentAt);
    }
    const firstProblem = chainProblem ?? blockProblem;
    const latencyMs = Math.max(chainAnswer.latencyMs, blockAnswer.latencyMs);
    result.latencyMs = latencyMs;
    if (firstProblem) {
      result.failure = firstProblem;
      health.recordOutcome(endpoint.id, { ...firstProblem, latencyMs });
    } else {
      result.ok = true;
      health.recordOutcome(endpoint.id, { kind: 'success', latencyMs });
    }
    return result;
  };

  const probe = (endpointId: string, options: ProbeOptions = {}): Promise<ProbeResult> => {
    const existing = runningProbes.get(endpointId);
    if (existing && (options.freshSince === undefined || existing.startedAt >= options.freshSince)) return existing.promise;
    const endpoint = health.endpoint(endpointId);
    if (!endpoint) return Promise.resolve({ endpointId, ok: false, skipped: 'unknown' });
    if (!endpoint.enabled) return Promise.resolve({ endpointId, ok: false, skipped: 'disabled' });
    const availability = health.availability(endpointId);
    if (availability === 'rate-limited') return Promise.resolve({ endpointId, ok: false, skipped: 'rate-limited' });
    if (!health.tryAcquire(endpointId) && !options.force) return Promise.resolve({ endpointId, ok: false, skipped: 'open' });
    const entry = { promise: run(endpoint), startedAt: clock.now() };
    entry.promise = entry.promise.finally(() => {
      if (runningProbes.get(endpointId) === entry) runningProbes.delete(endpointId);
    });
    runningProbes.set(endpointId, entry);
    return entry.promise;
  };

  const probeChain = (chainId: number): Promise<ProbeResult[]> => {
    const existing = runningChains.get(chainId);
    if (existing) return existing;
    health.markProbed(chainId);
    const running = Promise.all(health.endpointsOf(chainId).map((endpoint) => probe(endpoint.id))).finally(() => {
      runningChains.delete(chainId);
      health.markRoundCompleted(chainId);
    });
    runningChains.set(chainId, running);
    return running;
  };

  return {
    probe,
    probeChain,
    running: (endpointId) => runningProbes.get(endpointId)?.promise,
    runningChain: (chainId) => runningChains.get(chainId),
  };
}
