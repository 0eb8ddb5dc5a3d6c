// A dApp on viem: a public client over the injected provider (custom), over a fallback of the
// injected provider then the dApp's own RPC, or over that RPC alone (http).
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  custom,
  defineChain,
  fallback,
  http,
  type Transport,
} from 'viem';
import { TEST_CONTRACT_ABI } from './contract-abi';
import { expose, injectedProvider, pageSettings, requireRpc } from './page-api';

/** How often the page polls for blocks and receipts: fast, so a test's wait ends soon. */
const POLLING_MS = 250;
/** The dApp's own request timeout (viem's default is 10 s); a dApp that wants quick retries sets it. */
const HTTP_TIMEOUT_MS = 2_000;

const settings = pageSettings(location);
const chain = defineChain({
  id: settings.chainId,
  name: 'Test chain',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: settings.rpc ? [settings.rpc] : [] } },
});

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
  revertReason: async () => {
    try {
      await client.readContract({ address: settings.contract, abi: TEST_CONTRACT_ABI, functionName: 'fail' });
    } catch (error) {
      const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
      if (reverted instanceof ContractFunctionRevertedError && reverted.reason) return reverted.reason;
      throw error;
    }
    throw new Error('fail() did not revert');
  },
  requestAccounts: async () => walletClient().requestAddresses(),
  personalSign: async (message, account) => walletClient().signMessage({ account: account as `0x${string}`, message }),
  sendAndWait: async (from, to, valueWei) => {
    const hash = await walletClient().sendTransaction({ account: from as `0x${string}`, to: to as `0x${string}`, value: BigInt(valueWei) });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: POLLING_MS });
    return { hash, status: receipt.status, blockNumber: String(receipt.blockNumber) };
  },
});
