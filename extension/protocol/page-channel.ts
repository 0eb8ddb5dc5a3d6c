/**
 * Messages between the MAIN-world guard and the isolated bridge, carried by window.postMessage.
 * Any page script can read and forge these, so the bridge validates every field
 * (src/wallet/relay-request.ts, src/wallet/health.ts) and the worker validates again.
 */
import type { WalletIdentity, WalletObservation } from '../../src/wallet/health';
import type { RpcErrorShape } from '../messages';
import type { WalletAdvice } from '../../src/wallet/evidence';

export type { RpcErrorShape, WalletAdvice, WalletIdentity, WalletObservation };

export const PAGE_CHANNEL = 'lifeline/v1';

export interface RelayRequestMessage {
  channel: typeof PAGE_CHANNEL;
  kind: 'relay';
  id: string;
  chainId: number;
  method: string;
  params: unknown[];
  wallet: WalletIdentity;
}

export type RelayResultMessage =
  | { channel: typeof PAGE_CHANNEL; kind: 'relay-result'; id: string; ok: true; result: unknown }
  | { channel: typeof PAGE_CHANNEL; kind: 'relay-result'; id: string; ok: false; error: RpcErrorShape; answered: boolean };

export interface WalletReportMessage {
  channel: typeof PAGE_CHANNEL;
  kind: 'wallet-report';
  wallet: WalletIdentity;
  chainId: number | null;
  observation: WalletObservation;
}

export interface SiteConfigMessage {
  channel: typeof PAGE_CHANNEL;
  kind: 'site-config';
  /** False when the user switched Lifeline off for this site: the guard passes everything through. */
  enabled: boolean;
}

/** Guided repair (popup → worker → bridge → guard): ask the wallet to add a healthy RPC
 *  (EIP-3085). A page could forge this, but it could equally call wallet_addEthereumChain on its
 *  wallet itself, and the wallet asks the user either way: it grants the page nothing new.
 *  A page can forge the result too, so the result is one of a few outcomes (plus the wallet's
 *  numeric error code) and the worker words it: page text never reaches the popup. */
export interface AddChainMessage {
  channel: typeof PAGE_CHANNEL;
  kind: 'add-chain';
  id: string;
  wallet: string;
  params: { chainId: string; chainName: string; rpcUrls: string[]; nativeCurrency: { name: string; symbol: string; decimals: number }; blockExplorerUrls?: string[] };
}

export interface AddChainResultMessage {
  channel: typeof PAGE_CHANNEL;
  kind: 'add-chain-result';
  id: string;
  outcome: AddChainOutcome;
  /** The wallet's EIP-1193 error code when it refused. */
  code?: number;
}

export const ADD_CHAIN_OUTCOMES = ['accepted', 'declined', 'refused', 'no-wallet', 'invalid', 'no-answer'] as const;
export type AddChainOutcome = (typeof ADD_CHAIN_OUTCOMES)[number];
/** What the bridge answers the worker's add-chain command with. */
export interface AddChainAnswer {
  outcome: AddChainOutcome;
  code?: number;
}

/** What the worker knows about wallets on this site (src/wallet/evidence.ts): sent when the
 *  bridge starts and on every change. A page can forge it, but only to its own guard. */
export interface WalletAdviceMessage {
  channel: typeof PAGE_CHANNEL;
  kind: 'wallet-advice';
  wallets: WalletAdvice[];
}

export type GuardToBridgeMessage = RelayRequestMessage | WalletReportMessage | AddChainResultMessage;
export type BridgeToGuardMessage = RelayResultMessage | SiteConfigMessage | AddChainMessage | WalletAdviceMessage;
