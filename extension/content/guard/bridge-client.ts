/**
 * The guard's side of the page channel: it cannot reach the worker, so it posts to the isolated
 * bridge in the same frame (relays, wallet reports, add-chain results) and settles its pending
 * relays with the bridge's answers.
 */
import { WALLET_HEDGE } from '../../../src/policy/index';
import {
  PAGE_CHANNEL,
  type AddChainOutcome,
  type GuardToBridgeMessage,
  type RelayResultMessage,
  type RpcErrorShape,
  type WalletIdentity,
  type WalletObservation,
} from '../../protocol/page-channel';

/** Why a relay did not give a result. `answered`: the chain answered with an error (e.g.
 *  execution reverted), which is the dApp's answer; otherwise Lifeline could not serve it. */
export interface RelayFailure {
  error: RpcErrorShape;
  answered: boolean;
}
export const isRelayFailure = (value: unknown): value is RelayFailure => typeof value === 'object' && value !== null && 'answered' in value && 'error' in value;

export interface BridgeClient {
  /** Resolves with the result, rejects with a RelayFailure. */
  relay(chainId: number, method: string, params: unknown[], wallet: WalletIdentity): Promise<unknown>;
  /** Settles the pending relay a relay-result message answers (the message is page data: checked). */
  settleRelay(message: Partial<RelayResultMessage>): void;
  report(wallet: WalletIdentity, chainId: number | null, observation: WalletObservation): void;
  addChainResult(id: string, outcome: AddChainOutcome, code?: number): void;
}

export function createBridgeClient(win: Window): BridgeClient {
  const pendingRelays = new Map<string, { resolve(value: unknown): void; reject(failure: RelayFailure): void }>();
  const relayPrefix = `${Math.random().toString(36).slice(2)}:`;
  let relaySeq = 0;

  const post = (message: GuardToBridgeMessage): void => {
    win.postMessage(message, '*');
  };

  return {
    relay: (chainId, method, params, wallet) =>
      new Promise((resolve, reject) => {
        const id = relayPrefix + ++relaySeq;
        // If the bridge never answers (no bridge in this frame, extension reloading), give up so the
        // wallet's own outcome reaches the dApp instead of a promise that never settles.
        const timer = setTimeout(() => {
          pendingRelays.delete(id);
          reject({ error: { code: -32603, message: 'Lifeline: relay timed out' }, answered: false });
        }, WALLET_HEDGE.relayTimeoutMs);
        pendingRelays.set(id, {
          resolve: (value) => (clearTimeout(timer), resolve(value)),
          reject: (failure) => (clearTimeout(timer), reject(failure)),
        });
        try {
          post({ channel: PAGE_CHANNEL, kind: 'relay', id, chainId, method, params, wallet });
        } catch {
          // Params that can't be structured-cloned can't be relayed either.
          pendingRelays.get(id)?.reject({ error: { code: -32602, message: 'Lifeline: parameters cannot be relayed' }, answered: false });
          pendingRelays.delete(id);
        }
      }),
    settleRelay(data) {
      if (typeof data.id !== 'string') return;
      const pending = pendingRelays.get(data.id);
      if (!pending) return;
      pendingRelays.delete(data.id);
      if (data.ok === true) pending.resolve(data.result);
      else if (data.ok === false && data.error) pending.reject({ error: data.error, answered: data.answered === true });
      else pending.reject({ error: { code: -32603, message: 'Lifeline relay failed' }, answered: false });
    },
    report: (wallet, chainId, observation) => post({ channel: PAGE_CHANNEL, kind: 'wallet-report', wallet, chainId, observation }),
    addChainResult: (id, outcome, code) => post({ channel: PAGE_CHANNEL, kind: 'add-chain-result', id, outcome, ...(code === undefined ? {} : { code }) }),
  };
}
