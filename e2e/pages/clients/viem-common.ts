// What the viem and wagmi pages share: the test chain and reading a revert's decoded reason.
import { BaseError, ContractFunctionRevertedError, defineChain, type Chain } from 'viem';

/** How often the viem-based pages poll for blocks and receipts: fast, so a test's wait ends soon. */
export const POLLING_MS = 250;

export function testChain(chainId: number, rpc: string | null): Chain {
  return defineChain({
    id: chainId,
    name: 'Test chain',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: rpc ? [rpc] : [] } },
  });
}

/** The reason viem decoded from the revert of `call`; rejects if it did not revert with one. */
export async function revertReasonOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
    if (reverted instanceof ContractFunctionRevertedError && reverted.reason) return reverted.reason;
    throw error;
  }
  throw new Error('the call did not revert');
}
