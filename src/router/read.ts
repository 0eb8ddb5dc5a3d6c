/**
 * Routing one read: best endpoint first; if it has not answered after the adaptive hedge delay, the
 * same read goes to the next one too and the first trustworthy answer wins (losers are aborted; one
 * that was silent past its hedge delay while another endpoint answered is charged a timeout).
 * Infrastructure failures fail over at once; answers that are errors (reverts…) pass through
 * unchanged. Everything ends by the deadline, and extra attempts draw on the retry budget.
 */
import { type JsonRpcErrorObject, RpcCode, failure, formatSeconds, rpcError } from '../rpc/jsonrpc.ts';
import { expectedAnswerMs, targetHedgeDelayMs } from '../policy/index.ts';
import type { Infrastructure } from '../types.ts';
import {
  type AttemptKind,
  type AttemptRecord,
  type CallInfo,
  type Candidate,
  type RouteOptions,
  type RouteResult,
  type RouterContext,
  pickCandidate,
  beginRoute,
  refreshAvailability,
  runAttempt,
} from './context.ts';

interface InFlight {
  candidate: Candidate;
  controller: AbortController;
  record: AttemptRecord;
  /** Clock time the attempt was sent. */
  sentAt: number;
  /** How long the endpoint's own latencies say its answer may take; silence past it is a timeout. */
  patienceMs?: number;
}

/** An endpoint worth moving a stalled read to: it answers now (heard lately, not silent, breaker closed). */
const answersNow = (candidate: Candidate): boolean => !candidate.lastResort && !candidate.silent && !candidate.unheard;

export function routeRead(ctx: RouterContext, call: CallInfo, options: RouteOptions): Promise<RouteResult> {
  const { clock, policy, health } = ctx;
  const { startedAt, deadlineMs, id, body, budget, candidates } = beginRoute(ctx, call, options);
  const attempts: AttemptRecord[] = [];
  const inFlight = new Set<InFlight>();
  const used = new Set<string>();
  const failedInfrastructure = new Set<Infrastructure>();
  let hedged = false;
  // Something in this request stalled: from now on, endpoints that answered lately go before guesses.
  let stalled = false;
  let budgetExhausted = false;
  let done = false;
  // The last endpoint error, while every failure so far came as a JSON-RPC error from an endpoint.
  let sharedEndpointError: JsonRpcErrorObject | undefined;
  let onlyEndpointErrors = true;

  return new Promise<RouteResult>((resolve) => {
    let hedgeTimer: unknown;

    const finish = (outcome: { result: unknown; endpointId: string } | { error: JsonRpcErrorObject; endpointId?: string }) => {
      if (done) return;
      done = true;
      clock.clearTimeout(deadlineTimer);
      if (hedgeTimer !== undefined) clock.clearTimeout(hedgeTimer);
      options.signal?.removeEventListener('abort', onCallerAbort);
      const now = clock.now();
      for (const attempt of inFlight) {
        attempt.record.outcome = 'aborted';
        attempt.controller.abort();
        // Another endpoint answered while this one was silent past its hedge delay: that is a
        // timeout for this endpoint. Aborting it without a trace would keep a hung endpoint first in
        // line forever, every read paying the hedge delay and draining the retry budget.
        const silentMs = now - attempt.sentAt;
        if (outcome.endpointId !== undefined && attempt.patienceMs !== undefined && silentMs >= attempt.patienceMs) {
          health.recordOutcome(attempt.candidate.endpoint.id, failure('timeout', `no answer in ${formatSeconds(silentMs)} while another endpoint answered`));
        }
      }
      inFlight.clear();
      const meta = {
        chainId: call.chainId,
        method: call.method,
        source: outcome.endpointId !== undefined ? ('endpoint' as const) : ('engine' as const),
        attempts,
        hedged,
        elapsedMs: clock.now() - startedAt,
        ...(outcome.endpointId !== undefined ? { endpointId: outcome.endpointId } : {}),
      };
      resolve('result' in outcome ? { ok: true, result: outcome.result, meta } : { ok: false, error: outcome.error, meta });
    };

    const giveUp = () => {
      if (sharedEndpointError && onlyEndpointErrors) {
        finish({ error: sharedEndpointError });
        return;
      }
      finish({ error: noAnswerError(call, attempts, candidates.length, budgetExhausted) });
    };

    const scheduleHedge = (attempt: InFlight) => {
      if (hedgeTimer !== undefined) clock.clearTimeout(hedgeTimer);
      const endpoint = attempt.candidate.endpoint;
      const target = health.hedgeTarget(endpoint.id);
      attempt.patienceMs = expectedAnswerMs(policy, target);
      // Counted from the oldest request to this endpoint still unanswered (another read's, maybe):
      // nothing heard from it since then is what a stall is, whoever is waiting.
      const since = health.silentSince(endpoint.id) ?? attempt.sentAt;
      const wait = Math.max(0, since + targetHedgeDelayMs(policy, target) - clock.now());
      hedgeTimer = clock.setTimeout(() => {
        hedgeTimer = undefined;
        if (done) return;
        // A stall may be its whole infrastructure failing: the hedge goes elsewhere first.
        if (inFlight.has(attempt)) {
          stalled = true;
          if (endpoint.infrastructure !== 'unknown') failedInfrastructure.add(endpoint.infrastructure);
        }
        hedgeWhenSlotFree();
      }, wait);
    };

    /** Hedges now if a slot is free or a stalled attempt gives one up; else looks again when one could. */
    const hedgeWhenSlotFree = () => {
      if (inFlight.size >= policy.hedge.maxInFlight) {
        const freed = abandonStalled();
        if (freed === undefined) return;
        if (freed !== true) {
          hedgeTimer = clock.setTimeout(() => {
            hedgeTimer = undefined;
            if (!done) hedgeWhenSlotFree();
          }, Math.max(1, freed - clock.now()));
          return;
        }
      }
      if (launch('hedge')) hedged = true;
    };

    /**
     * Every slot is taken by an attempt past its hedge delay. When an endpoint that answers now is
     * still untried, the attempt silent longest past what its own latencies allow (and longer than
     * it was ever slow) gives its slot up and is charged a timeout: true. Otherwise waiting on the
     * slow is the better bet: the clock time at which one could give its slot up, or undefined.
     */
    const abandonStalled = (): true | number | undefined => {
      // Giving a slot up only pays if the hedge can go out: to an endpoint that answers now.
      if (attempts.length >= policy.request.maxAttempts) return undefined;
      refreshAvailability(ctx, candidates, used);
      const next = pickCandidate(candidates, used, failedInfrastructure, stalled);
      if (!next || !answersNow(next)) return undefined;
      const now = clock.now();
      let victim: InFlight | undefined;
      let soonest: number | undefined;
      for (const attempt of inFlight) {
        const slowest = health.hedgeTarget(attempt.candidate.endpoint.id).slowestMs ?? 0;
        const givesUpAt = attempt.sentAt + Math.max(attempt.patienceMs ?? 0, Math.floor(slowest * policy.hedge.p95Multiplier) + 1);
        if (givesUpAt > now) {
          if (soonest === undefined || givesUpAt < soonest) soonest = givesUpAt;
          continue;
        }
        if (!victim || attempt.sentAt < victim.sentAt) victim = attempt;
      }
      if (!victim) return soonest;
      inFlight.delete(victim);
      victim.controller.abort();
      const silentMs = now - victim.sentAt;
      victim.record.outcome = 'timeout';
      victim.record.latencyMs = silentMs;
      victim.record.detail = `no answer in ${formatSeconds(silentMs)}; its slot went to another endpoint`;
      onlyEndpointErrors = false;
      health.recordOutcome(victim.candidate.endpoint.id, failure('timeout', victim.record.detail));
      return true;
    };

    const launch = (kind: AttemptKind): boolean => {
      if (attempts.length >= policy.request.maxAttempts) return false;
      refreshAvailability(ctx, candidates, used);
      // Open-breaker endpoints come last, but when nothing else is left they are still worth a try:
      // one of them may have recovered, and the budget bounds the cost.
      const candidate = pickCandidate(candidates, used, failedInfrastructure, stalled);
      if (!candidate) return false;
      // The budget bounds retries that add load; moving a stalled read to an endpoint that answers
      // now adds one request to a healthy endpoint and none to the hung one, so it goes out even
      // when the budget is spent (a broad outage would otherwise leave reads waiting 4 s).
      const rescue = stalled && answersNow(candidate);
      if (attempts.length > 0 && !rescue && !budget.tryWithdraw()) {
        budgetExhausted = true;
        return false;
      }
      const endpoint = candidate.endpoint;
      used.add(endpoint.id);
      // Take the half-open trial slot when there is one; a last-resort attempt goes out regardless.
      health.tryAcquire(endpoint.id);
      const record: AttemptRecord = { endpointId: endpoint.id, kind, startedAtMs: clock.now() - startedAt, outcome: 'pending' };
      attempts.push(record);
      const attempt: InFlight = { candidate, controller: new AbortController(), record, sentAt: clock.now() };
      inFlight.add(attempt);
      runAttempt(ctx, endpoint, call, body, id, attempt.controller.signal).then(({ verdict, latencyMs }) => {
        if (done || verdict.kind === 'aborted') return;
        inFlight.delete(attempt);
        record.latencyMs = latencyMs;
        if (verdict.kind === 'result') {
          record.outcome = 'answer';
          finish({ result: verdict.result, endpointId: endpoint.id });
          return;
        }
        if (verdict.kind === 'answer-error') {
          record.outcome = 'answer-error';
          finish({ error: verdict.error, endpointId: endpoint.id });
          return;
        }
        record.outcome = verdict.failureClass;
        record.detail = verdict.detail;
        if (verdict.error) sharedEndpointError = verdict.error;
        else onlyEndpointErrors = false;
        if (endpoint.infrastructure !== 'unknown' && verdict.failureClass !== 'stale' && verdict.failureClass !== 'wrong-chain') {
          failedInfrastructure.add(endpoint.infrastructure);
        }
        // Fail over at once; give up only when nothing is in flight and nothing is left to try.
        if (!launch('failover') && inFlight.size === 0) giveUp();
      });
      scheduleHedge(attempt);
      return true;
    };

    const deadlineTimer = clock.setTimeout(() => {
      finish({ error: rpcError(RpcCode.internal, `Lifeline: no answer for ${call.method} on chain ${call.chainId} within ${formatSeconds(deadlineMs)}${summarise(attempts)}`, { reason: 'deadline', attempts: attempts.map(copyRecord) }) });
    }, deadlineMs);

    const onCallerAbort = () => finish({ error: rpcError(RpcCode.internal, 'Lifeline: request cancelled', { reason: 'aborted' }) });
    if (options.signal?.aborted) {
      onCallerAbort();
      return;
    }
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });

    if (!launch('primary')) giveUp();
  });
}

function copyRecord(record: AttemptRecord): AttemptRecord {
  return { ...record };
}

function summarise(attempts: readonly AttemptRecord[]): string {
  const parts = attempts.filter((a) => a.outcome !== 'pending' && a.outcome !== 'aborted').map((a) => `${a.endpointId}: ${a.detail ?? a.outcome}`);
  return parts.length > 0 ? ` (${parts.slice(0, 4).join('; ')}${parts.length > 4 ? '; …' : ''})` : '';
}

function noAnswerError(call: CallInfo, attempts: readonly AttemptRecord[], candidateCount: number, budgetExhausted: boolean): JsonRpcErrorObject {
  const data = { reason: candidateCount === 0 ? 'no-endpoint' : budgetExhausted ? 'retry-budget' : 'all-failed', attempts: attempts.map(copyRecord) };
  if (candidateCount === 0) {
    return rpcError(RpcCode.internal, `Lifeline: no usable endpoint for ${call.method} on chain ${call.chainId}`, data);
  }
  const suffix = budgetExhausted ? ' — retry budget exhausted, not trying more endpoints' : '';
  return rpcError(RpcCode.internal, `Lifeline: no endpoint answered ${call.method} on chain ${call.chainId}${summarise(attempts)}${suffix}`, data);
}
