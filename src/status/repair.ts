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

const EXPLORERS: Record<number, string> = {
  1: 'https://etherscan.io', 56: 'https://bscscan.com', 137: 'https://polygonscan.com', 42161: 'https://arbiscan.io',
  10: 'https://optimistic.etherscan.io', 8453: 'https://basescan.org', 43114: 'https://snowtrace.io', 100: 'https://gnosisscan.io',
  11155111: 'https://sepolia.etherscan.io',
};

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

export function addChainParams(chainId: number, url: string): AddEthereumChainParameter {
  const chain = getChain(chainId);
  const symbol = chain?.nativeSymbol ?? 'ETH';
  const explorer = EXPLORERS[chainId];
  return {
    chainId: `0x${chainId.toString(16)}`,
    chainName: chainName(chainId),
    rpcUrls: [url],
    nativeCurrency: { name: symbol, symbol, decimals: 18 },
    ...(explorer ? { blockExplorerUrls: [explorer] } : {}),
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
