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
import { WALLET_HEDGE } from '../../../src/policy/index';
import { answeredItself, currentChain, identityOf, isFailing, knownChain, leftUnanswered, normalHedgeDelay, whileWaiting } from './wallet-state';

export type HedgedRead = (provider: object, original: RequestFn, self: unknown, args: RequestArgs) => Promise<unknown>;

/** dApp libraries read `code` and `data` off provider errors; an Error instance also gives a stack. */
const toProviderError = (error: RpcErrorShape): Error & RpcErrorShape =>
  Object.assign(new Error(typeof error.message === 'string' ? error.message : 'RPC error'), { code: error.code, data: error.data });

export function createHedgedRead(bridge: BridgeClient): HedgedRead {
  const report = (provider: object, observation: WalletObservation): void =>
    bridge.report(identityOf(provider), knownChain(provider), observation);

  return (provider, original, self, args) => {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let walletAnswer: Promise<unknown>;
    try {
      walletAnswer = Promise.resolve(original.call(self, args));
    } catch (error) {
      walletAnswer = Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      /** The wallet gave its own outcome (an answer or an error). */
      let walletDone = false;
      /** The wallet's usual hedge passed without its outcome: this read counts as unanswered. */
      let pastHedge = false;
      let relayState: 'idle' | 'running' | 'failed' = 'idle';
      let walletFailure: { error: unknown; failure: string } | null = null;
      /** The relay settled the read before the wallet was past its usual hedge: whether that was
       *  a failure of the wallet's is told once it is (a prompt late answer was not one). */
      let relayWonEarly = false;
      const failed = (failure: string, servedByLifeline: boolean) =>
        report(provider, { type: 'failed', method: args.method, failure, latencyMs: elapsed(), servedByLifeline });
      const answered = () => report(provider, { type: 'answered', method: args.method, latencyMs: elapsed() });
      const stopWaiting = whileWaiting(() => {
        if (isFailing(provider)) startRelay('no-answer');
      });
      const settle = (ok: boolean, value: unknown): void => {
        if (settled) return;
        settled = true;
        clearTimeout(failingTimer);
        stopWaiting();
        if (ok) resolve(value);
        else reject(value);
      };
      const servedByRelay = (): void => {
        if (walletFailure) failed(walletFailure.failure, true);
        else if (pastHedge) failed('no-answer', true);
        else relayWonEarly = true;
      };
      const startRelay = (failure: string): void => {
        if (relayState !== 'idle' || settled) return;
        relayState = 'running';
        const params = Array.isArray(args.params) ? (args.params as unknown[]) : [];
        currentChain(provider, () => original.call(self, { method: 'eth_chainId' }))
          .then((chainId) => bridge.relay(chainId, args.method, params, identityOf(provider)))
          .then(
            (result) => {
              if (settled) return;
              servedByRelay();
              settle(true, result);
            },
            (relayFailure: unknown) => {
              if (settled) return;
              if (isRelayFailure(relayFailure) && relayFailure.answered) {
                // The chain answered (e.g. execution reverted): that is the dApp's answer.
                servedByRelay();
                return settle(false, toProviderError(relayFailure.error));
              }
              relayState = 'failed';
              // Never worse than no Lifeline: the wallet's own outcome is what the dApp gets.
              if (walletFailure) {
                failed(failure, false);
                settle(false, walletFailure.error);
              }
            },
          );
      };
      // Past the wallet's usual hedge the read counts as unanswered and is relayed; a wallet
      // that counts as failing has it relayed at once, in parallel, and still gets every read.
      const hedgeTimer = setTimeout(() => {
        if (walletDone) return;
        pastHedge = true;
        leftUnanswered(provider);
        if (relayWonEarly) failed('no-answer', true);
        startRelay('no-answer');
      }, normalHedgeDelay(provider));
      const failingTimer = isFailing(provider) ? setTimeout(() => startRelay('no-answer'), WALLET_HEDGE.failingMs) : undefined;
      walletAnswer.then(
        (result) => {
          walletDone = true;
          clearTimeout(hedgeTimer);
          answeredItself(provider, elapsed());
          if (relayWonEarly || !settled) answered();
          if (settled) return;
          settle(true, result);
        },
        (error: unknown) => {
          walletDone = true;
          clearTimeout(hedgeTimer);
          const failure = classifyWalletError(error);
          if (!failure) {
            answeredItself(provider, elapsed());
            if (relayWonEarly) answered();
            return settle(false, error);
          }
          if (!pastHedge) leftUnanswered(provider);
          walletFailure = { error, failure };
          if (relayWonEarly) failed(failure, true);
          if (settled) return;
          if (relayState === 'idle') startRelay(failure);
          else if (relayState === 'failed') {
            failed(failure, false);
            settle(false, error);
          }
        },
      );
    });
  };
}
