/**
 * One read, wallet first: the wallet always gets it, exactly once. If the wallet fails with an
 * infrastructure error, or has not answered by the hedge delay, the same read is relayed through
 * the bridge as well, and the first good answer wins. When Lifeline cannot serve it either, the
 * dApp gets the wallet's own outcome: never worse than no Lifeline.
 */
import { classifyWalletError } from '../../../src/wallet/failure';
import type { RpcErrorShape, WalletObservation } from '../../protocol/page-channel';
import { type BridgeClient, isRelayFailure } from './bridge-client';
import type { RequestArgs, RequestFn } from './provider';
import { answeredItself, currentChain, hedgeDelay, identityOf, knownChain, leftUnanswered, recordLatency } from './wallet-state';

export type HedgedRead = (provider: object, original: RequestFn, self: unknown, args: RequestArgs) => Promise<unknown>;

/** dApp libraries read `code` and `data` off provider errors; an Error instance also gives a stack. */
const toProviderError = (error: RpcErrorShape): Error & RpcErrorShape =>
  Object.assign(new Error(typeof error.message === 'string' ? error.message : 'RPC error'), { code: error.code, data: error.data });

export function createHedgedRead(bridge: BridgeClient): HedgedRead {
  const report = (provider: object, observation: WalletObservation): void =>
    bridge.report(identityOf(provider), knownChain(provider), observation);

  return (provider, original, self, args) => {
    const started = performance.now();
    let walletAnswer: Promise<unknown>;
    try {
      walletAnswer = Promise.resolve(original.call(self, args));
    } catch (error) {
      walletAnswer = Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      let relayState: 'idle' | 'running' | 'failed' = 'idle';
      let walletFailure: { error: unknown } | null = null;
      const settle = (ok: boolean, value: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(hedgeTimer);
        if (ok) resolve(value);
        else reject(value);
      };
      const startRelay = (failure: string): void => {
        if (relayState !== 'idle' || settled) return;
        relayState = 'running';
        leftUnanswered(provider);
        const params = Array.isArray(args.params) ? (args.params as unknown[]) : [];
        currentChain(provider, () => original.call(self, { method: 'eth_chainId' }))
          .then((chainId) => bridge.relay(chainId, args.method, params, identityOf(provider)))
          .then(
            (result) => {
              if (settled) return;
              report(provider, { type: 'failed', method: args.method, failure, latencyMs: performance.now() - started, servedByLifeline: true });
              settle(true, result);
            },
            (relayFailure: unknown) => {
              if (settled) return;
              if (isRelayFailure(relayFailure) && relayFailure.answered) {
                // The chain answered (e.g. execution reverted): that is the dApp's answer.
                report(provider, { type: 'failed', method: args.method, failure, latencyMs: performance.now() - started, servedByLifeline: true });
                return settle(false, toProviderError(relayFailure.error));
              }
              relayState = 'failed';
              // Never worse than no Lifeline: the wallet's own outcome is what the dApp gets.
              if (walletFailure) {
                report(provider, { type: 'failed', method: args.method, failure, latencyMs: performance.now() - started, servedByLifeline: false });
                settle(false, walletFailure.error);
              }
            },
          );
      };
      const hedgeTimer = setTimeout(() => startRelay('no-answer'), hedgeDelay(provider));
      walletAnswer.then(
        (result) => {
          // The wallet answers again, even if a relay already did: wait for it first from now on.
          answeredItself(provider);
          if (settled) return;
          const latencyMs = performance.now() - started;
          recordLatency(provider, latencyMs);
          report(provider, { type: 'answered', method: args.method, latencyMs });
          settle(true, result);
        },
        (error: unknown) => {
          const failure = classifyWalletError(error);
          if (!failure) answeredItself(provider);
          if (settled) return;
          if (!failure) return settle(false, error);
          walletFailure = { error };
          if (relayState === 'idle') startRelay(failure);
          else if (relayState === 'failed') {
            report(provider, { type: 'failed', method: args.method, failure, latencyMs: performance.now() - started, servedByLifeline: false });
            settle(false, error);
          }
        },
      );
    });
  };
}
