/**
 * Guided wallet repair: when a wallet's own RPC keeps failing on a chain, offer the fix that wallet
 * supports. EIP-3085 wallets (MetaMask and most others) take `wallet_addEthereumChain` with a
 * healthy RPC URL (the user confirms in the wallet); Rabby takes a custom RPC in its settings.
 */
import type { WalletChainHealth } from '../wallet/health.ts';
import { chainName, getChain } from '../registry/chains.ts';
import { maskUrlSecrets } from '../registry/primaries.ts';
import { STATUS_POLICY } from '../policy/index.ts';

export interface AddEthereumChainParameter {
  chainId: string;
  chainName: string;
  rpcUrls: string[];
  nativeCurrency: { name: string; symbol: string; decimals: 18 };
  blockExplorerUrls?: string[];
}

export type RepairOffer =
  | { kind: 'eip3085'; wallet: string; chainId: number; url: string; params: AddEthereumChainParameter }
  | { kind: 'rabby'; wallet: string; chainId: number; url: string; steps: string[] };

export function needsRepair(w: WalletChainHealth, now: number): boolean {
  if (w.failingSince === null || w.chainId === null) return false;
  if (now - w.lastSeen > STATUS_POLICY.walletEvidenceMaxAgeMs) return false;
  return now - w.failingSince >= STATUS_POLICY.repairAfterFailingMs || w.failed >= STATUS_POLICY.repairAfterFailures;
}

export function isRabby(wallet: { name: string; rdns?: string }): boolean {
  return wallet.rdns === 'io.rabby' || /rabby/i.test(wallet.name);
}

/** A URL is safe to hand to a wallet and show only if it carries no key. */
export function isShareableUrl(url: string): boolean {
  return maskUrlSecrets(url) === url;
}

/** EIP-3085 parameters for any chain the registry knows (name, native currency and explorer
 *  from viem/chains); a chain it does not know gets its id as a name and ETH, which the wallet
 *  shows the user before anything is added. */
export function addChainParams(chainId: number, url: string): AddEthereumChainParameter {
  const chain = getChain(chainId);
  const currency = chain?.nativeCurrency ?? { name: 'Ether', symbol: 'ETH' };
  return {
    chainId: `0x${chainId.toString(16)}`,
    chainName: chainName(chainId),
    rpcUrls: [url],
    // EIP-3085 allows 18 decimals only; every registry chain has 18 (a unit test checks it).
    nativeCurrency: { name: currency.name, symbol: currency.symbol, decimals: 18 },
    ...(chain?.explorer ? { blockExplorerUrls: [chain.explorer] } : {}),
  };
}

export function repairOffer(w: WalletChainHealth, healthyUrl: string | undefined, now: number): RepairOffer | null {
  if (!needsRepair(w, now) || w.chainId === null || !healthyUrl || !isShareableUrl(healthyUrl)) return null;
  const name = chainName(w.chainId);
  if (isRabby(w.wallet)) {
    return {
      kind: 'rabby', wallet: w.wallet.name, chainId: w.chainId, url: healthyUrl,
      steps: ['Open Rabby and click More (⋯) → Settings', 'Choose Custom RPC', `Pick ${name}`, 'Paste the URL below and save'],
    };
  }
  return { kind: 'eip3085', wallet: w.wallet.name, chainId: w.chainId, url: healthyUrl, params: addChainParams(w.chainId, healthyUrl) };
}
