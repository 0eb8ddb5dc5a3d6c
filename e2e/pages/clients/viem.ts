// A dApp on viem: a public client over the injected provider (custom), over a fallback of the
// injected provider then the dApp's own RPC, or over that RPC alone (http).
import { createPublicClient, createWalletClient, custom, fallback, http, type Transport } from 'viem';
import { TEST_CONTRACT_ABI } from './contract-abi';
import { expose, injectedProvider, pageSettings, requireRpc } from './page-api';
import { POLLING_MS, revertReasonOf, testChain } from './viem-common';
/** The dApp's own request timeout (viem's default is 10 s); a dApp that wants quick retries sets it. */
const HTTP_TIMEOUT_MS = 2_000;

const settings = pageSettings(location);
const chain = testChain(settings.chainId, settings.rpc);

const transportFor = (): Transport => {
  if (settings.transport === 'http') return http(requireRpc(settings), { timeout: HTTP_TIMEOUT_MS });
  const wallet = custom(injectedProvider());
  if (settings.transport === 'fallback') return fallback([wallet, http(requireRpc(settings), { timeout: HTTP_TIMEOUT_MS })]);
  return wallet;
};

const client = createPublicClient({ chain, transport: transportFor(), pollingInterval: POLLING_MS });
const walletClient = () => createWalletClient({ chain, transport: custom(injectedProvider()), pollingInterval: POLLING_MS });

expose({
  library: 'viem',
  ready: async () => {},
  blockNumber: async () => String(await client.getBlockNumber({ cacheTime: 0 })),
  balance: async (address) => String(await client.getBalance({ address: address as `0x${string}` })),
  contractValue: async () => String(await client.readContract({ address: settings.contract, abi: TEST_CONTRACT_ABI, functionName: 'value' })),
  revertReason: () => revertReasonOf(() => client.readContract({ address: settings.contract, abi: TEST_CONTRACT_ABI, functionName: 'fail' })),
  requestAccounts: async () => walletClient().requestAddresses(),
  personalSign: async (message, account) => walletClient().signMessage({ account: account as `0x${string}`, message }),
  sendAndWait: async (from, to, valueWei) => {
    const hash = await walletClient().sendTransaction({ account: from as `0x${string}`, to: to as `0x${string}`, value: BigInt(valueWei) });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: POLLING_MS });
    return { hash, status: receipt.status, blockNumber: String(receipt.blockNumber) };
  },
});
