/**
 * The wallet guard, run in the page's MAIN world at document_start (entry: ../guard.iife.ts).
 * It patches every wallet provider it can reach so that chain reads survive the wallet's RPC or
 * backend going down; accounts, signing, wallet_* and sendTransaction go to the wallet untouched,
 * exactly once.
 *
 *   find-providers ──guard(provider)──▶ index: remember it, track its chain, patch it
 *   (window.ethereum, defineProperty,                         │
 *    rabby, EIP-6963)                                         ▼
 *                                     patch-methods: request / send / sendAsync replaced in place
 *                                                             │ a relayable read (src/rpc/relayable.ts)
 *                                                             ▼
 *   dApp ◀── first good answer ──── hedged-read: wallet first; on an infrastructure failure
 *                                   (src/wallet/failure.ts) or past the hedge delay (wallet-state),
 *                                   the same read relayed too
 *                                                             │
 *                                                             ▼
 *                                     bridge-client: postMessage to the isolated bridge, which
 *                                     validates and forwards to the worker; its relay-result
 *                                     settles the read. Wallet reports go the same way.
 *
 * The bridge also sends the per-site switch (site-config), what the worker knows about wallets
 * on this site (wallet-advice: a tab opened during an outage relays at once, an open tab flips
 * when another finds its wallet failing) and the guided repair (add-chain).
 */
import { PAGE_CHANNEL, type BridgeToGuardMessage, type WalletIdentity } from '../../protocol/page-channel';
import { addChain } from './add-chain';
import { createBridgeClient } from './bridge-client';
import { findProviders } from './find-providers';
import { createHedgedRead } from './hedged-read';
import { createMethodPatcher } from './patch-methods';
import { type ProviderLike, isObject } from './provider';
import { announcedAs, applyAdvice, identityOf, knownChain, sawChain } from './wallet-state';

export function installGuard(win: Window & typeof globalThis): void {
  /** False while the user has switched Lifeline off for this site: everything passes through. */
  let enabled = true;
  const bridge = createBridgeClient(win);
  const patcher = createMethodPatcher(createHedgedRead(bridge), () => enabled);
  const guarded = new WeakSet<object>();
  /** Guarded providers in order, for the one worker-initiated command (add-chain). */
  const known: ProviderLike[] = [];

  const guardProvider = (value: unknown, identity?: WalletIdentity): void => {
    if (!isObject(value)) return;
    if (identity) announcedAs(value, identity);
    if (guarded.has(value)) return;
    guarded.add(value);
    known.push(value);
    const problem = patcher.patchRequest(value);
    if (problem) bridge.report(identityOf(value), knownChain(value), { type: 'unguardable', reason: problem });
    patcher.patchLegacy(value);
    sawChain(value, value.chainId);
    if (typeof value.on === 'function') {
      try {
        (value.on as (event: string, listener: (chainId: unknown) => void) => unknown).call(value, 'chainChanged', (chainId) => sawChain(value, chainId));
      } catch {
        // A provider whose on() throws still works; the chain is asked when needed.
      }
    }
    const nested = value.providers;
    if (Array.isArray(nested)) for (const provider of nested) guardProvider(provider);
  };

  findProviders(win, guardProvider);

  // --- answers and settings from the bridge ---------------------------------------------------
  win.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (event.source !== win) return;
    const data = event.data as Partial<BridgeToGuardMessage> | null;
    if (!data || typeof data !== 'object' || data.channel !== PAGE_CHANNEL) return;
    if (data.kind === 'wallet-advice') {
      applyAdvice(data.wallets);
    } else if (data.kind === 'site-config') {
      enabled = data.enabled === true;
    } else if (data.kind === 'add-chain' && typeof data.id === 'string') {
      const id = data.id;
      const wallet = data.wallet;
      void addChain(
        data.params,
        () => known.find((k) => identityOf(k).name === wallet) ?? known[0],
        (outcome, code) => bridge.addChainResult(id, outcome, code),
      );
    } else if (data.kind === 'relay-result') {
      bridge.settleRelay(data);
    }
  });
}
