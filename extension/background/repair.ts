/**
 * Guided wallet repair, EIP-3085 path: the worker (never a page) asks the tab's bridge content
 * script to have the MAIN-world guard call `wallet_addEthereumChain` on the wallet with a healthy
 * RPC URL the worker chose. The wallet shows its own confirmation; nothing happens without the
 * user's approval there.
 */
import type { AddEthereumChainParameter } from '../../src/status/repair';

export interface AddChainCommand {
  lifeline: 'add-chain';
  wallet: string;
  params: AddEthereumChainParameter;
}

export async function repairInTab(tabId: number, params: AddEthereumChainParameter, wallet: string): Promise<{ ok: boolean; message: string }> {
  const command: AddChainCommand = { lifeline: 'add-chain', wallet, params };
  try {
    const answer = (await chrome.tabs.sendMessage(tabId, command, { frameId: 0 })) as { ok?: unknown; message?: unknown } | undefined;
    if (answer && typeof answer.ok === 'boolean') return { ok: answer.ok, message: typeof answer.message === 'string' ? answer.message.slice(0, 200) : '' };
    return { ok: false, message: 'The page did not answer. Reload it and try again.' };
  } catch {
    return { ok: false, message: 'Lifeline cannot reach the wallet on this tab. Open the site where you use the wallet and try again.' };
  }
}
