import { defineExtensionMessaging } from '@webext-core/messaging';
import type { RelayRequest } from '../src/wallet/relay-request';
import type { WalletAdvice } from '../src/wallet/evidence';
import type { WalletReport } from '../src/wallet/health';
import type { AddEthereumChainParameter } from '../src/status/repair';
import type { OptionsProtocol } from './protocol/options';
import type { PopupProtocol } from './protocol/popup';
import type { VerificationProtocol } from './protocol/verification';
import type { AddChainAnswer } from './protocol/page-channel';

/**
 * The one typed protocol between Lifeline's trusted contexts (worker, bridge, popup, options).
 * Page (MAIN-world) messages never use this map directly: the isolated bridge validates them
 * first and only then speaks this protocol on the page's behalf; the worker validates again.
 */
export interface WorkerStatus {
  version: string;
  /** Worker start time (ms since epoch); changes when the worker is restarted. */
  startedAt: number;
}

export interface RpcErrorShape {
  code: number;
  message: string;
  data?: unknown;
}

/** `answered` is true when the chain itself answered with this error (a revert, invalid params):
 *  the dApp must get it as is. False means Lifeline could not serve the read at all. */
export type RelayAnswer = { ok: true; result: unknown } | { ok: false; error: RpcErrorShape; answered: boolean };

/** Messages of the content scripts and the worker's core. Feature areas add theirs in
 *  extension/protocol/*.ts; ProtocolMap joins them so every context shares one typed map. */
export interface CoreProtocol {
  /** Liveness check; also tells whether the worker restarted since the last call. */
  ping(): WorkerStatus;
  /** A page's read that its wallet could not answer, served by Lifeline's endpoints. */
  relay(request: RelayRequest): RelayAnswer;
  /** Batched observations of wallet reads from a page's guard. */
  walletReports(reports: WalletReport[]): void;
  /** Whether Lifeline is on for the sender's site (the per-site switch), judged from the
   *  sender's tab as Chromium reports it, never from a URL the page supplies. */
  siteConfig(): { enabled: boolean; wallets: WalletAdvice[] };
  /** Worker → every frame of a tab: what is now known about wallets on its site (changes only). */
  walletAdvice(advice: WalletAdvice[]): void;
  /** Worker → the bridge in one tab's top frame (guided repair): have the guard ask the named
   *  wallet to add this chain with a healthy RPC (EIP-3085). Only the worker may send it. */
  addChain(request: { wallet: string; params: AddEthereumChainParameter }): AddChainAnswer;
}

export interface ProtocolMap extends CoreProtocol, PopupProtocol, OptionsProtocol, VerificationProtocol {}

export const messenger = defineExtensionMessaging<ProtocolMap>();
export const { sendMessage, onMessage } = messenger;
