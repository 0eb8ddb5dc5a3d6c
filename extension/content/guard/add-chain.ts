/**
 * Guided repair (popup → worker → bridge → guard): the wallet's own wallet_addEthereumChain,
 * called untouched, so the wallet asks the user. A page can forge the command, but it could call
 * wallet_addEthereumChain itself just as well; the answer is one of a few outcomes, never page text.
 */
import type { AddChainOutcome } from '../../protocol/page-channel';
import type { ProviderLike, RequestFn } from './provider';

export async function addChain(
  params: unknown,
  findWallet: () => ProviderLike | undefined,
  answer: (outcome: AddChainOutcome, code?: number) => void,
): Promise<void> {
  const p = params as { chainId?: unknown; rpcUrls?: unknown } | null;
  if (!p || typeof p.chainId !== 'string' || !/^0x[0-9a-f]{1,16}$/i.test(p.chainId) || !Array.isArray(p.rpcUrls) || typeof p.rpcUrls[0] !== 'string') return answer('invalid');
  const provider = findWallet();
  if (!provider || typeof provider.request !== 'function') return answer('no-wallet');
  try {
    await (provider.request as RequestFn).call(provider, { method: 'wallet_addEthereumChain', params: [params] });
    answer('accepted');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 4001) answer('declined');
    else answer('refused', Number.isSafeInteger(code) ? (code as number) : undefined);
  }
}
