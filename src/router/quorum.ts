/**
 * Opt-in quorum for a read: ask `n` endpoints of distinct providers in parallel and return an
 * answer only when `k` of them agree exactly (after normalising key order and hex case).
 * Otherwise -32603 "no quorum" with what each endpoint said.
 */
import { type JsonRpcErrorObject, RpcCode, formatSeconds, rpcError } from '../rpc/jsonrpc.ts';
import type { QuorumRule } from '../policy/index.ts';
import type { Infrastructure } from '../types.ts';
import { type AttemptRecord, type CallInfo, type RouteOptions, type RouteResult, type RouterContext, type Verdict, beginRoute, pickDiverse, runAttempt } from './context.ts';

/** Canonical JSON: sorted keys, lower-case hex (providers differ in checksum casing). */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(/^0x[0-9a-f]*$/i.test(value) ? value.toLowerCase() : value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function voteKey(verdict: { kind: 'result'; result: unknown } | { kind: 'answer-error'; error: JsonRpcErrorObject }): string {
  return verdict.kind === 'result' ? `r${canonicalJson(verdict.result)}` : `e${verdict.error.code}:${verdict.error.message}:${canonicalJson(verdict.error.data ?? null)}`;
}

interface Tally {
  verdict: { kind: 'result'; result: unknown } | { kind: 'answer-error'; error: JsonRpcErrorObject };
  endpointIds: string[];
}

export function routeQuorum(ctx: RouterContext, call: CallInfo, rule: QuorumRule, options: RouteOptions): Promise<RouteResult> {
  const { clock, policy } = ctx;
  const { startedAt, deadlineMs, id, body, budget, candidates } = beginRoute(ctx, call, options);
  const attempts: AttemptRecord[] = [];
  const used = new Set<string>();
  const usedProviders = new Set<string>();
  const usedInfrastructure = new Set<Infrastructure>();
  const tallies = new Map<string, Tally>();
  const controllers = new Set<AbortController>();
  let pending = 0;
  let done = false;

  return new Promise<RouteResult>((resolve) => {
    const finish = (outcome: { verdict: Tally['verdict']; endpointId: string } | { error: JsonRpcErrorObject }) => {
      if (done) return;
      done = true;
      clock.clearTimeout(deadlineTimer);
      options.signal?.removeEventListener('abort', onCallerAbort);
      for (const controller of controllers) controller.abort();
      for (const attempt of attempts) if (attempt.outcome === 'pending') attempt.outcome = 'aborted';
      const base = { chainId: call.chainId, method: call.method, attempts, hedged: false, elapsedMs: clock.now() - startedAt };
      if ('error' in outcome) {
        resolve({ ok: false, error: outcome.error, meta: { ...base, source: 'engine' } });
      } else {
        const meta = { ...base, source: 'endpoint' as const, endpointId: outcome.endpointId };
        resolve(outcome.verdict.kind === 'result' ? { ok: true, result: outcome.verdict.result, meta } : { ok: false, error: outcome.verdict.error, meta });
      }
    };

    const noQuorum = (why: string) =>
      finish({
        error: rpcError(RpcCode.internal, `Lifeline: no quorum for ${call.method} (${rule.k} of ${rule.n} identical answers needed): ${why}`, {
          reason: 'no-quorum',
          k: rule.k,
          n: rule.n,
          answers: [...tallies.values()].map((t) => ({ endpointIds: t.endpointIds, answer: t.verdict.kind === 'result' ? t.verdict.result : { error: t.verdict.error } })),
          attempts: attempts.map((a) => ({ ...a })),
        }),
      });

    const onVerdict = (endpointId: string, record: AttemptRecord, verdict: Verdict) => {
      if (verdict.kind === 'aborted' || done) return;
      if (verdict.kind === 'failure') {
        record.outcome = verdict.failureClass;
        record.detail = verdict.detail;
        launch(true);
      } else {
        record.outcome = verdict.kind === 'result' ? 'answer' : 'answer-error';
        const key = voteKey(verdict);
        const tally = tallies.get(key) ?? { verdict, endpointIds: [] };
        tally.endpointIds.push(endpointId);
        tallies.set(key, tally);
        if (tally.endpointIds.length >= rule.k) {
          finish({ verdict: tally.verdict, endpointId: tally.endpointIds[0]! });
          return;
        }
      }
      if (pending === 0) noQuorum(tallies.size === 0 ? 'no endpoint answered' : `${tallies.size} different answers`);
    };

    const launch = (replacement: boolean): boolean => {
      if (done) return false;
      const candidate = pickDiverse(candidates, used, usedProviders, usedInfrastructure);
      // One vote per provider: a second endpoint of the same provider is not independent.
      if (!candidate || usedProviders.has(candidate.endpoint.provider)) return false;
      if (replacement && !budget.tryWithdraw()) return false;
      const endpoint = candidate.endpoint;
      used.add(endpoint.id);
      usedProviders.add(endpoint.provider);
      if (endpoint.infrastructure !== 'unknown') usedInfrastructure.add(endpoint.infrastructure);
      ctx.health.tryAcquire(endpoint.id);
      const record: AttemptRecord = { endpointId: endpoint.id, kind: 'quorum', startedAtMs: clock.now() - startedAt, outcome: 'pending' };
      attempts.push(record);
      const controller = new AbortController();
      controllers.add(controller);
      pending++;
      void runAttempt(ctx, endpoint, call, body, id, controller.signal).then(({ verdict, latencyMs }) => {
        pending--;
        controllers.delete(controller);
        record.latencyMs = latencyMs;
        onVerdict(endpoint.id, record, verdict);
      });
      return true;
    };

    const deadlineTimer = clock.setTimeout(() => noQuorum(`deadline of ${formatSeconds(deadlineMs)} passed`), deadlineMs);
    const onCallerAbort = () => finish({ error: rpcError(RpcCode.internal, 'Lifeline: request cancelled', { reason: 'aborted' }) });
    if (options.signal?.aborted) {
      onCallerAbort();
      return;
    }
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });

    const providers = new Set(candidates.map((c) => c.endpoint.provider));
    if (providers.size < rule.k) {
      noQuorum(`only ${providers.size} provider${providers.size === 1 ? '' : 's'} available`);
      return;
    }
    for (let index = 0; index < rule.n; index++) if (!launch(false)) break;
    if (pending === 0) noQuorum('no endpoint available');
  });
}
