// Any single-byte change to a proof node, a header field or a claimed value is caught: the
// proof, header and values come from a real chain (ganache), the changes from fast-check.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGanacheChain, type GanacheChain } from '../testing/ganache-chain.ts';
import { TOKEN_RUNTIME, balanceSlot } from '../testing/token-contract.ts';
import { checkHeader } from './header.ts';
import { slotKey, verifyAccountProof } from './proof.ts';

const TOKEN = '0x0000000000000000000000000000000000070c3e';
const HOLDER = '0x2222222222222222222222222222222222222222';

let chain: GanacheChain;
let block: Record<string, string>;
let proof: Record<string, unknown>;
const slot = slotKey(balanceSlot(HOLDER))!;

beforeAll(async () => {
  chain = await startGanacheChain(1);
  await chain.request('evm_setAccountCode', [TOKEN, TOKEN_RUNTIME]);
  await chain.request('evm_setAccountBalance', [TOKEN, '0x1234']);
  await chain.request('evm_setAccountStorageAt', [TOKEN, balanceSlot(HOLDER), `0x${'0'.repeat(62)}2a`]);
  await chain.request('evm_mine', []);
  block = (await chain.request('eth_getBlockByNumber', ['latest', false])) as Record<string, string>;
  proof = (await chain.request('eth_getProof', [TOKEN, [slot], 'latest'])) as Record<string, unknown>;
}, 30_000);
afterAll(() => chain?.close());

/** `hex` with the byte at `index` (mod its length) replaced by a different value. */
function flipByte(hex: string, index: number, delta: number): string {
  const bytes = hex.slice(2);
  const at = (index % (bytes.length / 2)) * 2;
  const old = parseInt(bytes.slice(at, at + 2), 16);
  const next = (old + 1 + (delta % 255)) % 256; // never equal to old
  return `0x${bytes.slice(0, at)}${next.toString(16).padStart(2, '0')}${bytes.slice(at + 2)}`;
}

const HEADER_FIELDS = ['parentHash', 'sha3Uncles', 'miner', 'stateRoot', 'transactionsRoot', 'receiptsRoot', 'logsBloom', 'mixHash', 'nonce', 'withdrawalsRoot', 'gasLimit', 'timestamp', 'number', 'baseFeePerGas'];

describe('tampering is detected', () => {
  it('the honest proof and header pass (so a failure below is the change)', async () => {
    expect(checkHeader(block).ok).toBe(true);
    const honest = await verifyAccountProof(block.stateRoot!, TOKEN, [slot], proof);
    expect(honest.ok && honest.account.storage.get(slot)).toBe(42n);
  });

  it('in ≥1,000 random single-byte changes to proof nodes, header fields and claimed values', async () => {
    const accountProof = proof.accountProof as string[];
    const storageProof = (proof.storageProof as { proof: string[] }[])[0]!.proof;
    const change = fc.oneof(
      fc.record({ kind: fc.constant('account-node' as const), node: fc.nat(), byte: fc.nat(), delta: fc.nat() }),
      fc.record({ kind: fc.constant('storage-node' as const), node: fc.nat(), byte: fc.nat(), delta: fc.nat() }),
      fc.record({ kind: fc.constant('header' as const), field: fc.constantFrom(...HEADER_FIELDS), byte: fc.nat(), delta: fc.nat() }),
      fc.record({ kind: fc.constant('value' as const), field: fc.constantFrom('balance', 'nonce', 'codeHash', 'storageHash', 'slot'), byte: fc.nat(), delta: fc.nat() }),
    );
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(change, async (c) => {
        checked++;
        if (c.kind === 'header') {
          const value = block[c.field]!;
          // A quantity changed in its only byte may lose a leading zero; keep it a valid quantity.
          const changed = /^(gasLimit|timestamp|number|baseFeePerGas)$/.test(c.field) ? `0x${(BigInt(value) ^ BigInt(1 + (c.delta % 255)) << BigInt(8 * (c.byte % 4))).toString(16)}` : flipByte(value, c.byte, c.delta);
          expect(checkHeader({ ...block, [c.field]: changed }).ok).toBe(false);
          return;
        }
        const tampered: Record<string, unknown> = { ...proof };
        if (c.kind === 'account-node') {
          const nodes = [...accountProof];
          const i = c.node % nodes.length;
          nodes[i] = flipByte(nodes[i]!, c.byte, c.delta);
          tampered.accountProof = nodes;
        } else if (c.kind === 'storage-node') {
          const nodes = [...storageProof];
          const i = c.node % nodes.length;
          nodes[i] = flipByte(nodes[i]!, c.byte, c.delta);
          tampered.storageProof = [{ ...(proof.storageProof as object[])[0], proof: nodes }];
        } else if (c.field === 'slot') {
          const entry = (proof.storageProof as { value: string }[])[0]!;
          tampered.storageProof = [{ ...entry, value: `0x${(BigInt(entry.value) ^ BigInt(1 + (c.delta % 255))).toString(16)}` }];
        } else if (c.field === 'balance' || c.field === 'nonce') {
          tampered[c.field] = `0x${(BigInt(proof[c.field] as string) ^ (BigInt(1 + (c.delta % 255)) << BigInt(8 * (c.byte % 8)))).toString(16)}`;
        } else {
          tampered[c.field] = flipByte(proof[c.field] as string, c.byte, c.delta);
        }
        const result = await verifyAccountProof(block.stateRoot!, TOKEN, [slot], tampered);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 1200 },
    );
    expect(checked).toBeGreaterThanOrEqual(1000);
  }, 60_000);
});
