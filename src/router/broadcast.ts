/**
 * eth_sendRawTransaction: sent once each to `broadcast.fanout` healthy endpoints of different
 * providers, in parallel (dshackle broadcasts to 3). Success as soon as one returns the
 * transaction's own hash (keccak of the raw bytes, so a lying endpoint can't fake success) or says
 * it already has this very transaction. A failed target is replaced by a new endpoint; no endpoint
 * ever receives the transaction twice.
 */
import { keccak256 } from 'ethers/crypto';
import { type AttemptFailure, type JsonRpcErrorObject, RpcCode, encodeRequest, failure, formatSeconds, rpcError } from '../rpc/jsonrpc.ts';
import { BROADCAST_METHOD } from '../rpc/methods.ts';
import type { Endpoint, Infrastructure } from '../types.ts';
import { type AttemptRecord, type RouteOptions, type RouteResult, type RouterContext, beginRoute, pickDiverse, trackedExchange } from './context.ts';

/** Node answers meaning "I already have exactly this transaction". */
const SAME_TRANSACTION = /already known|known transaction|already imported|already exists|already in (?:the )?(?:mempool|pool)|alreadyknown/i;
/** The nonce is used: maybe by this very transaction, already mined. Checked by hash before believing it. */
const NONCE_USED = /nonce too low|nonce has already been used|oldnonce/i;

export function transactionHash(raw: string): string {
  return keccak256(raw).toLowerCase();
}

export function routeBroadcast(ctx: RouterContext, chainId: number, raw: string, options: RouteOptions): Promise<RouteResult> {
  const { clock, policy, health, prober } = ctx;
  const expectedHash = transactionHash(raw);
  // A transaction is valid whatever the head: lag never disqualifies a broadcast target.
  const { startedAt, deadlineMs, id, body, budget, candidates } = beginRoute(ctx, { chainId, method: BROADCAST_METHOD, params: [raw], lagClass: 'none' }, options);
  const attempts: AttemptRecord[] = [];
  const used = new Set<string>();
  const usedProviders = new Set<string>();
  const usedInfrastructure = new Set<Infrastructure>();
  const controller = new AbortController();
  const chainAnswers: { endpointId: string; error: JsonRpcErrorObject }[] = [];
  let pending = 0;
  let done = false;

  return new Promise<RouteResult>((resolve) => {
    const finish = (outcome: { result: string; endpointId: string } | { error: JsonRpcErrorObject; endpointId?: string }, abortOthers: boolean) => {
      if (done) return;
      done = true;
      clock.clearTimeout(deadlineTimer);
      options.signal?.removeEventListener('abort', onCallerAbort);
      // After a success the other sends keep going: more nodes with the transaction is good.
      if (abortOthers) controller.abort();
      const meta = {
        chainId,
        method: BROADCAST_METHOD,
        source: outcome.endpointId !== undefined ? ('endpoint' as const) : ('engine' as const),
        attempts: attempts.map((a) => ({ ...a })),
        hedged: false,
        elapsedMs: clock.now() - startedAt,
        ...(outcome.endpointId !== undefined ? { endpointId: outcome.endpointId } : {}),
      };
      resolve('result' in outcome ? { ok: true, result: outcome.result, meta } : { ok: false, error: outcome.error, meta });
    };

    const settleIfIdle = () => {
      if (done || pending > 0) return;
      const chainAnswer = chainAnswers[0];
      if (chainAnswer) {
        finish({ error: chainAnswer.error, endpointId: chainAnswer.endpointId }, false);
        return;
      }
      const reasons = attempts.map((a) => `${a.endpointId}: ${a.detail ?? a.outcome}`).join('; ');
      finish(
        {
          error: rpcError(
            RpcCode.internal,
            candidates.length === 0 ? `Lifeline: no usable endpoint to broadcast on chain ${chainId}` : `Lifeline: no endpoint accepted the transaction${reasons ? ` (${reasons})` : ''}`,
            { reason: candidates.length === 0 ? 'no-endpoint' : 'all-failed', hash: expectedHash, attempts: attempts.map((a) => ({ ...a })) },
          ),
        },
        false,
      );
    };

    const sendTo = async (endpoint: Endpoint, record: AttemptRecord): Promise<{ success: true } | { answer: JsonRpcErrorObject } | AttemptFailure> => {
      // Verify the chain *before* the transaction leaves: a pre-EIP-155 transaction is valid on any chain.
      if (health.chainVerification(endpoint.id) === 'unknown') await prober.probe(endpoint.id, { force: true, freshSince: clock.now() });
      if (health.chainVerification(endpoint.id) !== 'verified') return failure('wrong-chain', 'chain id not verified; transaction not sent');
      if (done && controller.signal.aborted) return failure('network', 'cancelled before sending');
      record.startedAtMs = clock.now() - startedAt;
      const { outcome, latencyMs } = await trackedExchange(ctx, endpoint, body, id, controller.signal);
      record.latencyMs = latencyMs;
      if (outcome.kind === 'aborted') return failure('network', 'cancelled');
      if (outcome.kind === 'failure') {
        health.recordOutcome(endpoint.id, { ...outcome, latencyMs });
        return outcome;
      }
      health.recordOutcome(endpoint.id, { kind: 'success', latencyMs });
      if (outcome.kind === 'result') {
        if (typeof outcome.result === 'string' && outcome.result.toLowerCase() === expectedHash) return { success: true };
        const lie = failure('implausible', `returned hash ${String(outcome.result).slice(0, 18)}…, not the transaction's`);
        health.recordOutcome(endpoint.id, lie);
        return lie;
      }
      if (SAME_TRANSACTION.test(outcome.error.message)) return { success: true };
      if (NONCE_USED.test(outcome.error.message) && (await knowsTransaction(endpoint))) return { success: true };
      return { answer: outcome.error };
    };

    /** Asks (a read, not a re-send) whether the endpoint knows the transaction by its hash. */
    const knowsTransaction = async (endpoint: Endpoint): Promise<boolean> => {
      const lookupId = ctx.nextId();
      const lookup = encodeRequest(lookupId, 'eth_getTransactionByHash', [expectedHash]);
      const { outcome } = await trackedExchange(ctx, endpoint, lookup, lookupId, controller.signal);
      return outcome.kind === 'result' && typeof outcome.result === 'object' && outcome.result !== null;
    };

    const launch = (replacement: boolean): boolean => {
      if (done || used.size >= policy.broadcast.maxEndpoints) return false;
      const candidate = pickDiverse(candidates, used, usedProviders, usedInfrastructure);
      if (!candidate) return false;
      if (replacement && !budget.tryWithdraw()) return false;
      const endpoint = candidate.endpoint;
      used.add(endpoint.id);
      usedProviders.add(endpoint.provider);
      if (endpoint.infrastructure !== 'unknown') usedInfrastructure.add(endpoint.infrastructure);
      health.tryAcquire(endpoint.id);
      const record: AttemptRecord = { endpointId: endpoint.id, kind: 'broadcast', startedAtMs: clock.now() - startedAt, outcome: 'pending' };
      attempts.push(record);
      pending++;
      void sendTo(endpoint, record).then((outcome) => {
        pending--;
        if ('success' in outcome) {
          record.outcome = 'answer';
          finish({ result: expectedHash, endpointId: endpoint.id }, false);
        } else if ('answer' in outcome) {
          record.outcome = 'answer-error';
          record.detail = outcome.answer.message;
          chainAnswers.push({ endpointId: endpoint.id, error: outcome.answer });
        } else {
          record.outcome = outcome.failureClass;
          record.detail = outcome.detail;
          if (!done) launch(true);
        }
        settleIfIdle();
      });
      return true;
    };

    const deadlineTimer = clock.setTimeout(() => {
      finish(
        {
          error: rpcError(RpcCode.internal, `Lifeline: broadcast not confirmed by any endpoint within ${formatSeconds(deadlineMs)}; the transaction may still be propagating`, {
            reason: 'deadline',
            hash: expectedHash,
            attempts: attempts.map((a) => ({ ...a })),
          }),
        },
        false,
      );
    }, deadlineMs);

    const onCallerAbort = () => finish({ error: rpcError(RpcCode.internal, 'Lifeline: request cancelled', { reason: 'aborted' }) }, true);
    if (options.signal?.aborted) {
      onCallerAbort();
      return;
    }
    options.signal?.addEventListener('abort', onCallerAbort, { once: true });

    for (let index = 0; index < policy.broadcast.fanout; index++) if (!launch(false)) break;
    settleIfIdle();
  });
}
