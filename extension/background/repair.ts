/**
 * Guided wallet repair, EIP-3085 path: the worker (never a page) asks the tab's bridge content
 * script to have the MAIN-world guard call `wallet_addEthereumChain` on the wallet with a healthy
 * RPC URL the worker chose. The wallet shows its own confirmation; nothing happens without the
 * user's approval there. The page can see and forge the answer, so only an outcome word and a
 * numeric code come back, and the text the popup shows is written here.
 */
import type { AddEthereumChainParameter } from '../../src/status/repair';
import { ADD_CHAIN_OUTCOMES, type AddChainAnswer } from '../protocol/page-channel';
import { STATUS_POLICY } from '../../src/policy/index';
import { sendMessage } from '../messages';

export interface RepairAnswer {
  ok: boolean;
  message: string;
}

/** The popup's words for an add-chain outcome; the only text the user sees about it. */
export function describeAddChain(answer: AddChainAnswer, wallet: string, params: AddEthereumChainParameter): RepairAnswer {
  switch (answer.outcome) {
    case 'accepted':
      return { ok: true, message: `${wallet} answered that it now has ${params.rpcUrls[0]} for ${params.chainName}.` };
    case 'declined':
      return { ok: false, message: 'You declined in the wallet. Nothing was changed.' };
    case 'refused':
      return { ok: false, message: `${wallet} refused to add the RPC${answer.code === undefined ? '' : ` (error ${answer.code})`}. Add it by hand in the wallet's network settings: ${params.rpcUrls[0]}` };
    case 'no-wallet':
      return { ok: false, message: `${wallet} was not found on this page. Open the site where you use it and try again.` };
    case 'invalid':
      return { ok: false, message: 'The page refused the request as malformed. Reload it and try again.' };
    case 'no-answer':
      return { ok: false, message: `No answer from ${wallet} within ${Math.round(STATUS_POLICY.repairAnswerTimeoutMs / 60_000)} minutes.` };
  }
}

export async function repairInTab(tabId: number, params: AddEthereumChainParameter, wallet: string): Promise<RepairAnswer> {
  let answer: unknown;
  try {
    // The top frame only: that is where the user sees the site and its wallet.
    answer = await sendMessage('addChain', { wallet, params }, { tabId, frameId: 0 });
  } catch {
    return { ok: false, message: 'Lifeline cannot reach the wallet on this tab. Open the site where you use the wallet and try again.' };
  }
  const a = answer as Partial<AddChainAnswer> | undefined;
  const outcome = ADD_CHAIN_OUTCOMES.find((o) => o === a?.outcome);
  if (!outcome) return { ok: false, message: 'The page did not answer. Reload it and try again.' };
  return describeAddChain({ outcome, ...(Number.isSafeInteger(a?.code) ? { code: a!.code } : {}) }, wallet, params);
}
