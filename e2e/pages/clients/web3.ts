// A dApp on web3.js v4 over the injected provider.
import { Web3, ContractExecutionError, type EIP1193Provider } from 'web3';
import { TEST_CONTRACT_ABI } from './contract-abi';
import { expose, injectedProvider, pageSettings } from './page-api';

const POLLING_MS = 250;

const settings = pageSettings(location);
if (settings.transport !== 'wallet') throw new Error('the web3.js page reads through the wallet only');
const web3 = new Web3(injectedProvider() as unknown as EIP1193Provider<never>);
web3.setConfig({ transactionPollingInterval: POLLING_MS, transactionReceiptPollingInterval: POLLING_MS, transactionBlockTimeout: 5 });
const contract = new web3.eth.Contract(TEST_CONTRACT_ABI as unknown as never[], settings.contract);

const ERROR_STRING_SELECTOR = '0x08c379a0';

/**
 * The revert reason as a web3.js dApp gets it. Over a provider whose request() rejects with an
 * Error (the mock wallet), web3.js decodes Error(string) itself into a ContractExecutionError.
 * Over MetaMask's provider, which rejects with a plain object, it throws a ResponseError that
 * carries the revert data, and the dApp decodes it with web3's ABI coder.
 */
function decodedReason(error: unknown): string | undefined {
  if (error instanceof ContractExecutionError) {
    const message = (error.cause as { errorArgs?: { message?: unknown } } | undefined)?.errorArgs?.message;
    return typeof message === 'string' ? message : undefined;
  }
  const data = (error as { data?: unknown } | null)?.data;
  if (typeof data !== 'string' || !data.startsWith(ERROR_STRING_SELECTOR)) return undefined;
  return String(web3.eth.abi.decodeParameter('string', `0x${data.slice(ERROR_STRING_SELECTOR.length)}`));
}

expose({
  library: 'web3',
  ready: async () => {},
  blockNumber: async () => String(await web3.eth.getBlockNumber()),
  balance: async (address) => String(await web3.eth.getBalance(address)),
  contractValue: async () => String(await (contract.methods as unknown as Record<string, () => { call(): Promise<unknown> }>).value!().call()),
  revertReason: async () => {
    try {
      await (contract.methods as unknown as Record<string, () => { call(): Promise<unknown> }>).fail!().call();
    } catch (error) {
      const reason = decodedReason(error);
      if (reason) return reason;
    }
    throw new Error('fail() did not revert');
  },
  requestAccounts: async () => web3.eth.requestAccounts(),
  personalSign: async (message, account) => web3.eth.personal.sign(message, account, ''),
  sendAndWait: async (from, to, valueWei) => {
    const receipt = await web3.eth.sendTransaction({ from, to, value: valueWei });
    return {
      hash: String(receipt.transactionHash),
      status: BigInt(receipt.status) === 1n ? 'success' : 'reverted',
      blockNumber: String(receipt.blockNumber),
    };
  },
});
