// A dApp on ethers v6: BrowserProvider over the injected provider, or JsonRpcProvider over the
// dApp's own RPC URL.
import { BrowserProvider, Contract, FetchRequest, JsonRpcProvider, isCallException, type AbstractProvider, type Eip1193Provider } from 'ethers';
import { TEST_CONTRACT_ABI } from './contract-abi';
import { expose, injectedProvider, pageSettings, requireRpc } from './page-api';

const POLLING_MS = 250;
/** The dApp's own request timeout (ethers' default is 5 minutes): a hung RPC fails fast so the
 *  page's retry (below) gets its chance. */
const HTTP_TIMEOUT_MS = 2_000;
/** How often the page tries a read over its own RPC before giving up, as dApps retry. */
const HTTP_ATTEMPTS = 4;

const settings = pageSettings(location);
if (settings.transport === 'fallback') throw new Error('the ethers page has no fallback transport');

// cacheTimeout -1: ethers otherwise answers a block number asked again within 250 ms from its
// cache, and the tests compare every read with the node's head right after mining.
const browserProvider = () => new BrowserProvider(injectedProvider() as Eip1193Provider, settings.chainId, { pollingInterval: POLLING_MS, cacheTimeout: -1 });

function readProvider(): AbstractProvider {
  if (settings.transport === 'wallet') return browserProvider();
  const request = new FetchRequest(requireRpc(settings));
  request.timeout = HTTP_TIMEOUT_MS;
  // staticNetwork: the chain is known, so ethers never blocks on (and retries) network detection.
  return new JsonRpcProvider(request, settings.chainId, { staticNetwork: true, pollingInterval: POLLING_MS, cacheTimeout: -1 });
}
const provider = readProvider();
const contract = new Contract(settings.contract, TEST_CONTRACT_ABI, provider);

async function withRetries<T>(read: () => Promise<T>): Promise<T> {
  if (settings.transport === 'wallet') return read();
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= HTTP_ATTEMPTS || isCallException(error)) throw error;
    }
  }
}

expose({
  library: 'ethers',
  ready: async () => {},
  blockNumber: () => withRetries(async () => String(await provider.getBlockNumber())),
  balance: (address) => withRetries(async () => String(await provider.getBalance(address))),
  contractValue: () => withRetries(async () => String(await contract.getFunction('value').staticCall())),
  revertReason: async () => {
    try {
      await withRetries(() => contract.getFunction('fail').staticCall());
    } catch (error) {
      if (isCallException(error) && error.reason) return error.reason;
      throw error;
    }
    throw new Error('fail() did not revert');
  },
  requestAccounts: async () => (await browserProvider().send('eth_requestAccounts', [])) as string[],
  personalSign: async (message, account) => (await browserProvider().getSigner(account)).signMessage(message),
  sendAndWait: async (from, to, valueWei) => {
    const signer = await browserProvider().getSigner(from);
    const sent = await signer.sendTransaction({ to, value: BigInt(valueWei) });
    const receipt = await sent.wait();
    if (!receipt) throw new Error('no receipt');
    return { hash: sent.hash, status: receipt.status === 1 ? 'success' : 'reverted', blockNumber: String(receipt.blockNumber) };
  },
});
