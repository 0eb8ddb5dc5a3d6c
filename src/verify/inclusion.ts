/**
 * Transactions and receipts checked against a verified header: every transaction (or receipt) of
 * the block goes into a trie keyed by its index, as the chain built it; the root must be the
 * header's transactionsRoot (receiptsRoot), and the one answered must be the entry at its index.
 * Tries are @ethereumjs/mpt's.
 */
import { createMPT } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { keccak256 } from 'ethers';
import { bytesToHex, hexToBytes } from './bytes.ts';
import { isRecord } from '../types.ts';

const quantityBytes = (value: unknown): Uint8Array => {
  const big = BigInt(String(value));
  if (big === 0n) return new Uint8Array();
  const hex = big.toString(16);
  return hexToBytes(`0x${hex.length % 2 ? '0' : ''}${hex}`);
};

/** Root of the trie a block commits its transactions or receipts to (key: RLP of the index). */
export async function indexTrieRoot(values: readonly Uint8Array[]): Promise<string> {
  const trie = await createMPT();
  for (let i = 0; i < values.length; i++) await trie.put(RLP.encode(i), values[i]!);
  return bytesToHex(trie.root());
}

/**
 * A transaction as the block holds it (typed envelope or legacy RLP); undefined when it is not one.
 * Encoded field by field rather than through @ethereumjs/tx: that library refuses transactions a
 * chain did include but it deems invalid (ganache mines type-2 ones whose fee cap is below the tip),
 * and a block's commitment covers whatever it holds.
 */
export function encodeTransaction(tx: unknown): Uint8Array | undefined {
  if (!isRecord(tx)) return undefined;
  try {
    const q = (name: string) => quantityBytes(tx[name] ?? '0x0');
    const bytes = (name: string) => hexToBytes(String(tx[name] ?? '0x'));
    const to = tx.to === null || tx.to === undefined ? new Uint8Array() : bytes('to');
    const data = hexToBytes(String(tx.input ?? tx.data ?? '0x'));
    const accessList = () =>
      (Array.isArray(tx.accessList) ? tx.accessList : []).map((entry) => {
        if (!isRecord(entry)) throw new Error('not an access list entry');
        return [hexToBytes(String(entry.address)), (Array.isArray(entry.storageKeys) ? entry.storageKeys : []).map((key) => hexToBytes(String(key)))];
      });
    const parity = () => quantityBytes(tx.yParity ?? tx.v);
    const signature = () => [parity(), q('r'), q('s')];
    const type = Number(BigInt(String(tx.type ?? '0x0')));
    const typed = (fields: unknown[]) => Uint8Array.from([type, ...RLP.encode(fields as never)]);
    switch (type) {
      case 0:
        return RLP.encode([q('nonce'), q('gasPrice'), q('gas'), to, q('value'), data, q('v'), q('r'), q('s')]);
      case 1:
        return typed([q('chainId'), q('nonce'), q('gasPrice'), q('gas'), to, q('value'), data, accessList(), ...signature()]);
      case 2:
        return typed([q('chainId'), q('nonce'), q('maxPriorityFeePerGas'), q('maxFeePerGas'), q('gas'), to, q('value'), data, accessList(), ...signature()]);
      case 3: {
        const hashes = (Array.isArray(tx.blobVersionedHashes) ? tx.blobVersionedHashes : []).map((h) => hexToBytes(String(h)));
        return typed([q('chainId'), q('nonce'), q('maxPriorityFeePerGas'), q('maxFeePerGas'), q('gas'), to, q('value'), data, accessList(), q('maxFeePerBlobGas'), hashes, ...signature()]);
      }
      case 4: {
        const authorizations = (Array.isArray(tx.authorizationList) ? tx.authorizationList : []).map((a) => {
          if (!isRecord(a)) throw new Error('not an authorization');
          const aq = (name: string) => quantityBytes(a[name] ?? '0x0');
          return [aq('chainId'), hexToBytes(String(a.address)), aq('nonce'), quantityBytes(a.yParity ?? a.v), aq('r'), aq('s')];
        });
        return typed([q('chainId'), q('nonce'), q('maxPriorityFeePerGas'), q('maxFeePerGas'), q('gas'), to, q('value'), data, accessList(), authorizations, ...signature()]);
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** A receipt as the block's receipt trie holds it; undefined when its fields are not a receipt's. */
export function encodeReceipt(receipt: unknown): Uint8Array | undefined {
  if (!isRecord(receipt) || !Array.isArray(receipt.logs) || typeof receipt.logsBloom !== 'string') return undefined;
  try {
    const outcome = typeof receipt.root === 'string' && receipt.root.length === 66 ? hexToBytes(receipt.root) : quantityBytes(receipt.status);
    const logs = receipt.logs.map((log) => {
      if (!isRecord(log) || typeof log.address !== 'string' || !Array.isArray(log.topics) || typeof log.data !== 'string') throw new Error('not a log');
      return [hexToBytes(log.address), log.topics.map((topic) => hexToBytes(String(topic))), hexToBytes(log.data)];
    });
    const body = RLP.encode([outcome, quantityBytes(receipt.cumulativeGasUsed), hexToBytes(receipt.logsBloom), logs]);
    const type = Number(BigInt(String(receipt.type ?? '0x0')));
    return type === 0 ? body : Uint8Array.from([type, ...body]);
  } catch {
    return undefined;
  }
}

export const transactionHash = (encoded: Uint8Array): string => keccak256(encoded);
