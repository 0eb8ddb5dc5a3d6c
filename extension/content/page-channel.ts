/**
 * Messages between the MAIN-world guard and the isolated bridge, carried by window.postMessage.
 * Any page script can read and forge these, so the bridge validates every field
 * (src/relay-request.ts, src/wallet-health.ts) and the worker validates again.
 */
import type { WalletIdentity, WalletObservation } from '../../src/wallet-health';
import type { RpcErrorShape } from '../messages';

export type { RpcErrorShape, WalletIdentity, WalletObservation };

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

export type GuardToBridgeMessage = RelayRequestMessage | WalletReportMessage;
export type BridgeToGuardMessage = RelayResultMessage | SiteConfigMessage;
