/**
 * Block headers that are what they claim. A header's hash is recomputed from its own fields
 * (keccak of the RLP list each fork defines, London onwards), and the hash at that height must be
 * the one at least k endpoints of different providers report, so one endpoint cannot invent a
 * chain. Verified headers are cached by hash and height; the source sits behind `HeaderSource` so
 * a light-client anchor can replace or back the agreement rule later.
 */
import { RLP } from '@ethereumjs/rlp';
import { keccak256 } from 'ethers';
import { hexToBytes } from './bytes.ts';
import { isRecord } from '../types.ts';

/** The header fields verification uses, decoded once. */
export interface VerifiedHeader {
  hash: string;
  number: number;
  parentHash: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  miner: string;
  timestamp: bigint;
  gasLimit: bigint;
  difficulty: bigint;
  mixHash: string;
  baseFeePerGas?: bigint;
  /** The newest fork whose fields the header carries: which rules an execution over it follows. */
  fork: HeaderFork;
}

export type HeaderFork = 'pre-london' | 'london' | 'shanghai' | 'cancun' | 'prague';

type FieldKind = 'hash' | 'address' | 'bloom' | 'quantity' | 'bytes' | 'nonce';

/** Every header field in RLP order. The leading ones are always there; from baseFeePerGas on, each
 *  fork appends one or more, so a header carries a prefix of the optional ones. */
const REQUIRED_FIELDS: readonly (readonly [string, FieldKind])[] = [
  ['parentHash', 'hash'],
  ['sha3Uncles', 'hash'],
  ['miner', 'address'],
  ['stateRoot', 'hash'],
  ['transactionsRoot', 'hash'],
  ['receiptsRoot', 'hash'],
  ['logsBloom', 'bloom'],
  ['difficulty', 'quantity'],
  ['number', 'quantity'],
  ['gasLimit', 'quantity'],
  ['gasUsed', 'quantity'],
  ['timestamp', 'quantity'],
  ['extraData', 'bytes'],
  ['mixHash', 'hash'],
  ['nonce', 'nonce'],
];
const FORK_FIELDS: readonly (readonly [string, FieldKind])[] = [
  ['baseFeePerGas', 'quantity'], // London
  ['withdrawalsRoot', 'hash'], // Shanghai
  ['blobGasUsed', 'quantity'], // Cancun
  ['excessBlobGas', 'quantity'],
  ['parentBeaconBlockRoot', 'hash'],
  ['requestsHash', 'hash'], // Prague
];

const EXPECTED_LENGTH: Partial<Record<FieldKind, number>> = { hash: 32, address: 20, bloom: 256, nonce: 8 };

export class HeaderFormatError extends Error {}

function fieldBytes(name: string, kind: FieldKind, value: unknown): Uint8Array {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]*$/.test(value)) throw new HeaderFormatError(`header field ${name} is not hex`);
  if (kind === 'quantity') {
    // Quantities are minimal big-endian; zero is the empty string.
    if (!/^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/.test(value)) throw new HeaderFormatError(`header field ${name} is not a quantity`);
    const big = BigInt(value);
    if (big === 0n) return new Uint8Array();
    const hex = big.toString(16);
    return hexToBytes(`0x${hex.length % 2 ? '0' : ''}${hex}`);
  }
  if (value.length % 2) throw new HeaderFormatError(`header field ${name} has odd length`);
  const bytes = hexToBytes(value);
  const expected = EXPECTED_LENGTH[kind];
  if (expected !== undefined && bytes.length !== expected) throw new HeaderFormatError(`header field ${name} must be ${expected} bytes`);
  return bytes;
}

/** keccak256 of the header's RLP, from the block object an endpoint returned. Throws HeaderFormatError. */
export function computeHeaderHash(block: Record<string, unknown>): string {
  const fields = REQUIRED_FIELDS.map(([name, kind]) => fieldBytes(name, kind, block[name]));
  let ended = false;
  for (const [name, kind] of FORK_FIELDS) {
    const value = block[name];
    if (value === undefined || value === null) {
      ended = true;
      continue;
    }
    // A later fork's field without an earlier one's is no header any fork defines.
    if (ended) throw new HeaderFormatError(`header field ${name} without the fields before it`);
    fields.push(fieldBytes(name, kind, value));
  }
  return keccak256(RLP.encode(fields));
}

/** The block object checked: its hash is its fields' hash. Returns the decoded header, or why not. */
export function checkHeader(block: unknown): { ok: true; header: VerifiedHeader } | { ok: false; reason: string } {
  if (!isRecord(block)) return { ok: false, reason: 'no block object' };
  let computed: string;
  try {
    computed = computeHeaderHash(block);
  } catch (error) {
    return { ok: false, reason: error instanceof HeaderFormatError ? error.message : 'header could not be encoded' };
  }
  const claimed = typeof block.hash === 'string' ? block.hash.toLowerCase() : undefined;
  if (claimed !== computed) return { ok: false, reason: `header hash ${String(claimed)} is not the hash of its fields (${computed})` };
  const fork: HeaderFork =
    block.requestsHash != null ? 'prague' : block.parentBeaconBlockRoot != null ? 'cancun' : block.withdrawalsRoot != null ? 'shanghai' : block.baseFeePerGas != null ? 'london' : 'pre-london';
  const str = (name: string) => (block[name] as string).toLowerCase();
  return {
    ok: true,
    header: {
      hash: computed,
      number: Number(BigInt(str('number'))),
      parentHash: str('parentHash'),
      stateRoot: str('stateRoot'),
      transactionsRoot: str('transactionsRoot'),
      receiptsRoot: str('receiptsRoot'),
      miner: str('miner'),
      timestamp: BigInt(str('timestamp')),
      gasLimit: BigInt(str('gasLimit')),
      difficulty: BigInt(str('difficulty')),
      mixHash: str('mixHash'),
      fork,
      ...(typeof block.baseFeePerGas === 'string' ? { baseFeePerGas: BigInt(block.baseFeePerGas) } : {}),
    },
  };
}
