/**
 * Ways an endpoint can lie about the chain, as rewrites of an honest node's answer. Shared by the
 * unit tests' in-process transport, the benchmark and the e2e fault endpoints, so each lie is
 * written once. `upstream` asks the honest node (for a lie that borrows another block's proof).
 */
import { RLP } from '@ethereumjs/rlp';
import { keccak256 } from 'ethers';
import { computeHeaderHash } from '../verify/header.ts';

export const LIES = [
  'balance', // eth_getBalance and eth_getProof's balance changed, the proof left as is
  'nonce',
  'storage',
  'proof-other-block', // eth_getProof answered with block 0's proof, its values claimed as now
  'forged-proof', // the account leaf rewritten with a higher balance (and the claim to match)
  'call-result', // eth_call's return data changed
  'forged-header', // a header field changed, its hash kept
  'minority-hash', // a self-consistent header with another state root: a different chain
  'no-proof', // eth_getProof unsupported
  'balance-and-call', // both 'balance' and 'call-result'
  'receipt', // a receipt's gas used changed
  'transaction', // a transaction's value changed
] as const;
export type Lie = (typeof LIES)[number];

export type Upstream = (method: string, params: unknown[]) => Promise<unknown>;

const bump = (quantity: unknown): string => `0x${(BigInt(String(quantity)) + 1_000_000_000_000_000_000n).toString(16)}`;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The honest answer `result` to `method(params)`, rewritten by `lie`; `{ error }` for refusals. */
export async function tell(lie: Lie, method: string, params: unknown[], result: unknown, upstream: Upstream): Promise<{ result: unknown } | { error: { code: number; message: string } }> {
  switch (lie) {
    case 'balance-and-call':
      return tell(method === 'eth_call' ? 'call-result' : 'balance', method, params, result, upstream);
    case 'receipt':
      return method === 'eth_getTransactionReceipt' && isObject(result) ? { result: { ...result, cumulativeGasUsed: bump(result.cumulativeGasUsed), gasUsed: bump(result.gasUsed) } } : { result };
    case 'transaction':
      return method === 'eth_getTransactionByHash' && isObject(result) ? { result: { ...result, value: bump(result.value) } } : { result };
    case 'no-proof':
      return method === 'eth_getProof' ? { error: { code: -32601, message: 'the method eth_getProof does not exist/is not available' } } : { result };
    case 'balance':
      if (method === 'eth_getBalance') return { result: bump(result) };
      if (method === 'eth_getProof' && isObject(result)) return { result: { ...result, balance: bump(result.balance) } };
      return { result };
    case 'nonce':
      if (method === 'eth_getTransactionCount') return { result: `0x${(BigInt(String(result)) + 7n).toString(16)}` };
      if (method === 'eth_getProof' && isObject(result)) return { result: { ...result, nonce: `0x${(BigInt(String(result.nonce)) + 7n).toString(16)}` } };
      return { result };
    case 'storage':
      if (method === 'eth_getStorageAt') return { result: `0x${'00'.repeat(31)}2a` };
      if (method === 'eth_getProof' && isObject(result) && Array.isArray(result.storageProof)) {
        return { result: { ...result, storageProof: result.storageProof.map((p: unknown) => (isObject(p) ? { ...p, value: '0x2a' } : p)) } };
      }
      return { result };
    case 'proof-other-block': {
      if (method === 'eth_getBalance') return { result: bump(result) };
      if (method !== 'eth_getProof' || !isObject(result)) return { result };
      const old = await upstream('eth_getProof', [params[0], params[1], '0x0']);
      return { result: isObject(old) ? { ...old, balance: bump(result.balance), nonce: result.nonce } : result };
    }
    case 'forged-proof': {
      if (method === 'eth_getBalance') return { result: bump(result) };
      if (method !== 'eth_getProof' || !isObject(result) || !Array.isArray(result.accountProof)) return { result };
      const nodes = [...(result.accountProof as string[])];
      const leaf = RLP.decode(nodes[nodes.length - 1]!) as Uint8Array[];
      const account = RLP.decode(leaf[1]!) as Uint8Array[];
      const balance = BigInt(bump(result.balance));
      const hex = balance.toString(16);
      account[1] = Uint8Array.from(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
      leaf[1] = RLP.encode(account);
      nodes[nodes.length - 1] = `0x${Buffer.from(RLP.encode(leaf)).toString('hex')}`;
      return { result: { ...result, accountProof: nodes, balance: `0x${hex}` } };
    }
    case 'call-result':
      if (method === 'eth_call' && typeof result === 'string') return { result: `0x${'00'.repeat(31)}${'ff'}${result.slice(66)}` };
      return { result };
    case 'forged-header':
    case 'minority-hash': {
      if ((method !== 'eth_getBlockByNumber' && method !== 'eth_getBlockByHash') || !isObject(result)) return { result };
      const forged: Record<string, unknown> = { ...result, stateRoot: keccak256(String(result.stateRoot)) };
      if (lie === 'minority-hash') forged.hash = computeHeaderHash(forged);
      return { result: forged };
    }
  }
}
