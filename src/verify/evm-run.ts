/**
 * One eth_call executed in @ethereumjs/evm over proven state only. Every account or slot the code
 * reads that was not proven is recorded as missing (and reads as empty), so the caller can fetch
 * its proof and run again; a run with nothing missing is the call's true result at that header.
 */
import { Hardfork, Mainnet, createCustomCommon } from '@ethereumjs/common';
import { createEVM } from '@ethereumjs/evm';
import { SimpleStateManager } from '@ethereumjs/statemanager';
import { type Address, createAccount, createAddressFromString, createZeroAddress, hexToBytes as utilHexToBytes } from '@ethereumjs/util';
import { bytesToHex, hexToBytes } from './bytes.ts';
import type { HeaderFork, VerifiedHeader } from './header.ts';
import type { ProvenAccount } from './proof.ts';

export interface CallRequest {
  from?: string;
  to: string;
  data: string;
  value: bigint;
  gas?: bigint;
  gasPrice: bigint;
}

export interface ExecutionOutcome {
  reverted: boolean;
  /** Return data, or revert data. */
  data: string;
  /** Accounts read that were not proven, lowercase. */
  missingAccounts: Set<string>;
  /** Slots read that were not proven, per lowercase account. */
  missingSlots: Map<string, Set<string>>;
  /** Execution stopped for a reason other than a revert (out of gas, invalid opcode…). */
  exceptional: boolean;
}

const HARDFORK: Record<HeaderFork, string> = {
  'pre-london': Hardfork.Berlin,
  london: Hardfork.London,
  shanghai: Hardfork.Shanghai,
  cancun: Hardfork.Cancun,
  prague: Hardfork.Prague,
};

const word = (bytes: Uint8Array): string => `0x${bytesToHex(bytes).slice(2).padStart(64, '0')}`;

class ProvenState extends SimpleStateManager {
  readonly missingAccounts = new Set<string>();
  readonly missingSlots = new Map<string, Set<string>>();
  private readonly knownAccounts: Set<string>;
  private readonly knownSlots: Set<string>;
  private readonly written = new Set<string>();

  constructor(accounts: readonly ProvenAccount[]) {
    super();
    this.knownAccounts = new Set(accounts.map((a) => a.address));
    this.knownSlots = new Set(accounts.flatMap((a) => [...a.storage.keys()].map((slot) => `${a.address}:${slot}`)));
  }

  override async getAccount(address: Address) {
    const key = address.toString().toLowerCase();
    if (!this.knownAccounts.has(key) && !this.written.has(key)) this.missingAccounts.add(key);
    return super.getAccount(address);
  }

  override async putAccount(address: Address, account?: Parameters<SimpleStateManager['putAccount']>[1]) {
    this.written.add(address.toString().toLowerCase());
    return super.putAccount(address, account);
  }

  resetWrites(): void {
    this.written.clear();
  }

  override async getStorage(address: Address, key: Uint8Array) {
    const account = address.toString().toLowerCase();
    const slot = word(key);
    const id = `${account}:${slot}`;
    if (!this.knownSlots.has(id) && !this.written.has(id)) {
      let slots = this.missingSlots.get(account);
      if (!slots) this.missingSlots.set(account, (slots = new Set()));
      slots.add(slot);
    }
    return super.getStorage(address, key);
  }

  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array) {
    this.written.add(`${address.toString().toLowerCase()}:${word(key)}`);
    return super.putStorage(address, key, value);
  }
}

export async function executeCall(chainId: number, header: VerifiedHeader, accounts: readonly ProvenAccount[], codes: ReadonlyMap<string, string>, call: CallRequest): Promise<ExecutionOutcome> {
  const common = createCustomCommon({ chainId }, Mainnet, { hardfork: HARDFORK[header.fork] });
  const state = new ProvenState(accounts);
  for (const account of accounts) {
    const address = createAddressFromString(account.address);
    await state.putAccount(address, createAccount({ nonce: account.nonce, balance: account.balance }));
    const code = codes.get(account.address);
    if (code && code !== '0x') await state.putCode(address, hexToBytes(code));
    for (const [slot, value] of account.storage) {
      if (value !== 0n) await state.putStorage(address, hexToBytes(slot), utilHexToBytes(`0x${value.toString(16).padStart(64, '0')}`));
    }
  }
  // Loading proven state is not the call writing it: reads of it must not count as written.
  state.resetWrites();
  const evm = await createEVM({ common, stateManager: state });
  const result = await evm.runCall({
    caller: call.from ? createAddressFromString(call.from) : createZeroAddress(),
    origin: call.from ? createAddressFromString(call.from) : createZeroAddress(),
    to: createAddressFromString(call.to),
    data: hexToBytes(call.data),
    value: call.value,
    gasLimit: call.gas ?? header.gasLimit,
    gasPrice: call.gasPrice,
    skipBalance: true,
    block: {
      header: {
        number: BigInt(header.number),
        coinbase: createAddressFromString(header.miner),
        timestamp: header.timestamp,
        difficulty: header.difficulty,
        prevRandao: hexToBytes(header.mixHash),
        gasLimit: header.gasLimit,
        ...(header.baseFeePerGas !== undefined ? { baseFeePerGas: header.baseFeePerGas } : {}),
        getBlobGasPrice: () => undefined,
      },
    },
  });
  const error = result.execResult.exceptionError;
  const reverted = error?.error === 'revert';
  return {
    reverted,
    exceptional: error !== undefined && !reverted,
    data: bytesToHex(result.execResult.returnValue),
    missingAccounts: state.missingAccounts,
    missingSlots: state.missingSlots,
  };
}
