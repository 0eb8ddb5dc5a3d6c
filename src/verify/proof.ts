/**
 * EIP-1186 proofs (eth_getProof) checked against a verified header's stateRoot: the account proof
 * gives nonce, balance, storage root and code hash; each storage proof a slot's value under that
 * storage root. The trie walk is @ethereumjs/mpt's; what the endpoint claims beside the proof must
 * equal what the proof says.
 */
import { verifyMerkleProof } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { keccak256 } from 'ethers';
import { bytesToHex, hexToBytes } from './bytes.ts';
import { isRecord } from '../types.ts';

/** keccak256(RLP("")): the root of an empty trie. */
export const EMPTY_TRIE_ROOT = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
/** keccak256(""): the code hash of an account without code. */
export const EMPTY_CODE_HASH = '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470';

export interface ProvenAccount {
  address: string;
  nonce: bigint;
  balance: bigint;
  storageRoot: string;
  codeHash: string;
  /** Proven slot values, keyed by the 32-byte slot as lowercase hex. */
  storage: Map<string, bigint>;
}

export type ProofOutcome = { ok: true; account: ProvenAccount } | { ok: false; reason: string };

const HEX = /^0x[0-9a-fA-F]*$/;

/** A slot as 32-byte lowercase hex, the form storage keys are hashed from. Undefined if not a quantity. */
export function slotKey(slot: unknown): string | undefined {
  if (typeof slot !== 'string' || !HEX.test(slot) || slot.length < 3 || slot.length > 66) return undefined;
  return `0x${slot.slice(2).toLowerCase().padStart(64, '0')}`;
}

const toBigInt = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(bytesToHex(bytes)));

const nodesOf = (value: unknown): Uint8Array[] | undefined =>
  Array.isArray(value) && value.every((node) => typeof node === 'string' && HEX.test(node) && node.length % 2 === 0)
    ? value.map((node) => hexToBytes(node as string))
    : undefined;

/** Walks a proof from `root` to `key`; the value there, null for a proven absence, or a reason. */
async function walk(root: string, key: Uint8Array, nodes: Uint8Array[]): Promise<{ value: Uint8Array | null } | { reason: string }> {
  // An empty proof proves nothing unless the trie itself is empty (the library would accept it).
  if (nodes.length === 0) return root === EMPTY_TRIE_ROOT ? { value: null } : { reason: 'empty proof for a non-empty trie' };
  if (keccak256(nodes[0]!) !== root) return { reason: `proof does not start at root ${root}` };
  try {
    return { value: await verifyMerkleProof(key, nodes, { root: hexToBytes(root), useKeyHashing: true }) };
  } catch {
    return { reason: 'proof nodes do not link up to the key' };
  }
}

const quantity = (value: unknown): bigint | undefined => (typeof value === 'string' && HEX.test(value) && value.length > 2 ? BigInt(value) : undefined);

/**
 * Checks an eth_getProof answer for `address` and `slots` against `stateRoot`. Every claimed field
 * must match the proof: a value changed beside an honest proof is as false as a forged proof.
 */
export async function verifyAccountProof(stateRoot: string, address: string, slots: readonly string[], answer: unknown): Promise<ProofOutcome> {
  if (!isRecord(answer)) return { ok: false, reason: 'eth_getProof answer is not an object' };
  const accountNodes = nodesOf(answer.accountProof);
  if (!accountNodes) return { ok: false, reason: 'accountProof is not a list of hex nodes' };
  const walked = await walk(stateRoot.toLowerCase(), hexToBytes(address), accountNodes);
  if ('reason' in walked) return { ok: false, reason: `account proof: ${walked.reason}` };
  let nonce = 0n;
  let balance = 0n;
  let storageRoot = EMPTY_TRIE_ROOT;
  let codeHash = EMPTY_CODE_HASH;
  if (walked.value !== null) {
    const fields = RLP.decode(walked.value);
    if (!Array.isArray(fields) || fields.length !== 4 || fields.some((f) => !(f instanceof Uint8Array))) return { ok: false, reason: 'account proof: leaf is not an account' };
    const [n, b, s, c] = fields as Uint8Array[];
    nonce = toBigInt(n!);
    balance = toBigInt(b!);
    storageRoot = bytesToHex(s!);
    codeHash = bytesToHex(c!);
  }
  const claimed = { nonce: quantity(answer.nonce), balance: quantity(answer.balance) };
  if (claimed.balance !== balance) return { ok: false, reason: `balance ${String(answer.balance)} is not the proven ${balance}` };
  if (claimed.nonce !== nonce) return { ok: false, reason: `nonce ${String(answer.nonce)} is not the proven ${nonce}` };
  // Nodes differ in what they claim for an absent account's hashes (zero or the empty ones); only an
  // existing account's claim is held to its proof.
  if (walked.value !== null) {
    if (typeof answer.codeHash !== 'string' || answer.codeHash.toLowerCase() !== codeHash) return { ok: false, reason: `codeHash ${String(answer.codeHash)} is not the proven ${codeHash}` };
    if (typeof answer.storageHash !== 'string' || answer.storageHash.toLowerCase() !== storageRoot) return { ok: false, reason: `storageHash ${String(answer.storageHash)} is not the proven ${storageRoot}` };
  }

  const storage = new Map<string, bigint>();
  const proofs = Array.isArray(answer.storageProof) ? answer.storageProof : [];
  for (const slot of slots) {
    const entry = proofs.find((p): p is Record<string, unknown> => isRecord(p) && slotKey(p.key) === slot);
    if (!entry) return { ok: false, reason: `no storage proof for slot ${slot}` };
    const nodes = nodesOf(entry.proof);
    if (!nodes) return { ok: false, reason: `storage proof for ${slot} is not a list of hex nodes` };
    const leaf = await walk(storageRoot, hexToBytes(slot), nodes);
    if ('reason' in leaf) return { ok: false, reason: `storage proof for ${slot}: ${leaf.reason}` };
    let value = 0n;
    if (leaf.value !== null) {
      const decoded = RLP.decode(leaf.value);
      if (!(decoded instanceof Uint8Array)) return { ok: false, reason: `storage proof for ${slot}: leaf is not a value` };
      value = toBigInt(decoded);
    }
    if (quantity(entry.value) !== value) return { ok: false, reason: `slot ${slot} value ${String(entry.value)} is not the proven ${value}` };
    storage.set(slot, value);
  }
  return { ok: true, account: { address: address.toLowerCase(), nonce, balance, storageRoot, codeHash, storage } };
}

/** Code an endpoint returned, held to the proven code hash. */
export function checkCode(codeHash: string, code: unknown): { ok: true; code: string } | { ok: false; reason: string } {
  if (typeof code !== 'string' || !HEX.test(code) || code.length % 2) return { ok: false, reason: 'code is not hex' };
  const hash = code === '0x' ? EMPTY_CODE_HASH : keccak256(code);
  return hash === codeHash ? { ok: true, code: code.toLowerCase() } : { ok: false, reason: `code hash ${hash} is not the proven ${codeHash}` };
}
