// A dApp on wagmi core: the wallet is found through EIP-6963 (wagmi's multi-injected discovery,
// built on mipd), connected with its injected connector, and reads go through that connector.
import {
  connect,
  createConfig,
  getBalance,
  getBlockNumber,
  getConnectors,
  readContract,
  sendTransaction,
  signMessage,
  unstable_connector,
  waitForTransactionReceipt,
  injected,
  type Connector,
} from '@wagmi/core';
import { TEST_CONTRACT_ABI } from './contract-abi';
import { expose, pageSettings } from './page-api';
import { POLLING_MS, revertReasonOf, testChain } from './viem-common';
/** How long the page waits for its wallet's EIP-6963 announcement. */
const DISCOVERY_TIMEOUT_MS = 5_000;

const settings = pageSettings(location);
const chain = testChain(settings.chainId, null);
const config = createConfig({
  chains: [chain],
  connectors: [],
  multiInjectedProviderDiscovery: true,
  transports: { [chain.id]: unstable_connector(injected) },
  pollingInterval: POLLING_MS,
});

// Typed `never` for a config created with no connectors; the discovered ones are plain Connectors.
const connectors = (): readonly Connector[] => getConnectors(config) as readonly Connector[];
const wanted = (): Connector | undefined => connectors().find((c) => c.id === settings.rdns);

async function discovered(): Promise<Connector> {
  const deadline = Date.now() + DISCOVERY_TIMEOUT_MS;
  for (;;) {
    const connector = wanted();
    if (connector) return connector;
    if (Date.now() > deadline) throw new Error(`no EIP-6963 wallet ${settings.rdns}; saw ${connectors().map((c) => c.id).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

expose({
  library: 'wagmi',
  ready: async () => {
    await discovered();
  },
  blockNumber: async () => String(await getBlockNumber(config, { cacheTime: 0 })),
  balance: async (address) => String((await getBalance(config, { address: address as `0x${string}` })).value),
  contractValue: async () => String(await readContract(config, { address: settings.contract, abi: TEST_CONTRACT_ABI, functionName: 'value' })),
  revertReason: () => revertReasonOf(() => readContract(config, { address: settings.contract, abi: TEST_CONTRACT_ABI, functionName: 'fail' })),
  requestAccounts: async () => [...(await connect(config, { connector: await discovered() })).accounts],
  personalSign: async (message, account) => signMessage(config, { account: account as `0x${string}`, message }),
  sendAndWait: async (from, to, valueWei) => {
    const hash = await sendTransaction(config, { account: from as `0x${string}`, to: to as `0x${string}`, value: BigInt(valueWei) });
    const receipt = await waitForTransactionReceipt(config, { hash, pollingInterval: POLLING_MS });
    return { hash, status: receipt.status, blockNumber: String(receipt.blockNumber) };
  },
});
