// Verified reads against a real chain (ganache in process): honest answers are proven, each lie is
// caught and the true value served from an honest endpoint, and with verification off the lie
// gets through (so these tests can fail).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../index.ts';
import type { VerificationMode } from '../policy/index.ts';
import { type GanacheChain, startGanacheChain } from '../testing/ganache-chain.ts';
import type { Lie } from '../testing/lies.ts';
import { makeEndpoint } from '../testing/sim-network.ts';
import { TOKEN_REVERT_DATA, TOKEN_RUNTIME, balanceOfData, balanceSlot } from '../testing/token-contract.ts';

const TOKEN = '0x0000000000000000000000000000000000070c3e';
const HOLDER = '0x1111111111111111111111111111111111111111';
const HELD = 123_456_789n;

let chain: GanacheChain;
let transfer: string;
const endpoints = ['a', 'b', 'c'].map((id) => makeEndpoint(`1:${id}`, { provider: `Provider ${id}`, infrastructure: id === 'a' ? 'aws' : id === 'b' ? 'gcp' : 'hetzner' }));

beforeAll(async () => {
  chain = await startGanacheChain(1);
  await chain.request('evm_setAccountCode', [TOKEN, TOKEN_RUNTIME]);
  await chain.request('evm_setAccountStorageAt', [TOKEN, balanceSlot(HOLDER), `0x${HELD.toString(16).padStart(64, '0')}`]);
  // A transfer, so block 0's state differs from the head's.
  transfer = (await chain.request('eth_sendTransaction', [{ from: chain.accounts[0], to: chain.accounts[1], value: '0x1000' }])) as string;
  await chain.request('evm_mine', []);
}, 30_000);
afterAll(() => chain?.close());

const engineWith = (mode: VerificationMode, lies: Partial<Record<string, Lie>> = {}): Engine => {
  for (const endpoint of endpoints) chain.setLie(endpoint.id, lies[endpoint.id]);
  return createEngine({ endpoints, transport: chain.transport, verification: mode });
};
const truth = (method: string, params: unknown[]) => chain.request(method, params);
const relayed = { relayed: true };

describe('verified state reads', { timeout: 20_000 }, () => {
  it('proves an honest balance, nonce, code and storage slot', async () => {
    const engine = engineWith('relayed');
    const sender = chain.accounts[0]!;
    for (const [method, params] of [
      ['eth_getBalance', [sender, 'latest']],
      ['eth_getTransactionCount', [sender, 'latest']],
      ['eth_getCode', [TOKEN, 'latest']],
      ['eth_getStorageAt', [TOKEN, balanceSlot(HOLDER), 'latest']],
    ] as const) {
      const answer = await engine.request(1, { method, params: [...params] }, relayed);
      expect(answer.ok, method).toBe(true);
      if (!answer.ok) continue;
      const expected = await truth(method, [...params]);
      expect(method === 'eth_getStorageAt' ? BigInt(answer.result as string) : answer.result).toEqual(method === 'eth_getStorageAt' ? BigInt(expected as string) : expected);
      expect(answer.meta.verification).toBe('proven');
    }
    expect(engine.verificationView().chains[0]).toMatchObject({ chainId: 1, proven: 4, failed: 0 });
  });

  it('leaves reads Lifeline serves for itself alone in "relayed" mode', async () => {
    const engine = engineWith('relayed', { '1:a': 'balance', '1:b': 'balance', '1:c': 'balance' });
    const answer = await engine.request(1, { method: 'eth_getBalance', params: [chain.accounts[0], 'latest'] });
    expect(answer.ok && answer.meta.verification).toBeUndefined();
  });

  const stateLies: [Lie, string, (accounts: readonly string[]) => unknown[]][] = [
    ['balance', 'eth_getBalance', (a) => [a[0], 'latest']],
    ['forged-proof', 'eth_getBalance', (a) => [a[0], 'latest']],
    ['proof-other-block', 'eth_getBalance', (a) => [a[0], 'latest']],
    ['nonce', 'eth_getTransactionCount', (a) => [a[0], 'latest']],
    ['storage', 'eth_getStorageAt', () => [TOKEN, balanceSlot(HOLDER), 'latest']],
  ];
  for (const [lie, method, params] of stateLies) {
    it(`catches "${lie}" and serves the true ${method} from an honest endpoint`, async () => {
      const expected = await truth(method, params(chain.accounts));
      // Verification off: the lie reaches the dApp (the check below can fail).
      const off = await engineWith('off', { '1:a': lie, '1:b': lie, '1:c': lie }).request(1, { method, params: params(chain.accounts) }, relayed);
      expect(off.ok && BigInt(off.result as string)).not.toBe(BigInt(expected as string));

      const engine = engineWith('relayed', { '1:a': lie, '1:b': lie });
      const answer = await engine.request(1, { method, params: params(chain.accounts) }, relayed);
      expect(answer.ok && BigInt(answer.result as string)).toBe(BigInt(expected as string));
      expect(answer.ok && answer.meta).toMatchObject({ endpointId: '1:c', verification: 'proven' });
      // Each liar asked is marked (the router may move past the second straight to the honest one).
      const marked = engine.verificationView().failed.map((mark) => mark.endpointId);
      expect(marked.length).toBeGreaterThan(0);
      for (const id of marked) expect(['1:a', '1:b']).toContain(id);
      expect(engine.verificationView().failed[0]).toMatchObject({ chainId: 1, method });
      // Benched: the next read of any kind does not go to an endpoint caught lying.
      const next = await engine.request(1, { method: 'eth_blockNumber', params: [] });
      expect(marked).not.toContain(next.meta.endpointId);
      expect(engine.reenableEndpoint(marked[0]!)).toBe(true);
      expect(engine.verificationView().failed.map((mark) => mark.endpointId)).toEqual(marked.slice(1));
    });
  }

  for (const lie of ['forged-header', 'minority-hash'] as const) {
    it(`catches a "${lie}" and proves the read on the agreed header`, async () => {
      const engine = engineWith('relayed', { '1:a': lie });
      const params = [chain.accounts[0], 'latest'];
      for (let i = 0; i < 3; i++) {
        const answer = await engine.request(1, { method: 'eth_getBalance', params }, relayed);
        expect(answer.ok && answer.result).toBe(await truth('eth_getBalance', params));
        expect(answer.ok && answer.meta.verification).toBe('proven');
      }
      expect(engine.verificationView().failed.map((mark) => mark.endpointId)).toEqual(['1:a']);
    });
  }

  it('marks an endpoint without eth_getProof "can\'t verify" and proves the read elsewhere', async () => {
    const engine = engineWith('relayed', { '1:a': 'no-proof' });
    const params = [chain.accounts[1], 'latest'];
    for (let i = 0; i < 2; i++) {
      const answer = await engine.request(1, { method: 'eth_getBalance', params }, relayed);
      expect(answer.ok && answer.result).toBe(await truth('eth_getBalance', params));
      expect(answer.ok && answer.meta.verification).toBe('proven');
    }
    const view = engine.verificationView();
    expect(view.cannotVerify).toEqual([{ endpointId: '1:a', chainId: 1 }]);
    expect(view.failed).toEqual([]);
  });

  it('serves a read it cannot prove as "not verified"', async () => {
    const engine = engineWith('all', { '1:a': 'no-proof', '1:b': 'no-proof', '1:c': 'no-proof' });
    const answer = await engine.request(1, { method: 'eth_getBalance', params: [chain.accounts[0], 'latest'] });
    expect(answer.ok && answer.meta.verification).toBe('not-verified');
    const pending = await engine.request(1, { method: 'eth_getBalance', params: [chain.accounts[0], 'pending'] });
    expect(pending.ok && pending.meta.verification).toBe('not-verified');
    expect(engine.verificationView().chains[0]).toMatchObject({ proven: 0, notVerified: 2 });
  });
});

describe('eth_call proven by execution', { timeout: 20_000 }, () => {
  const call = { to: TOKEN, data: balanceOfData(HOLDER) };

  it('proves a token balanceOf by running it over proven state', async () => {
    const engine = engineWith('relayed');
    const answer = await engine.request(1, { method: 'eth_call', params: [call, 'latest'] }, relayed);
    expect(answer.ok && BigInt(answer.result as string)).toBe(HELD);
    expect(answer.meta.verification).toBe('proven');
  });

  it('proves a revert by its data', async () => {
    const engine = engineWith('relayed');
    const answer = await engine.request(1, { method: 'eth_call', params: [{ to: TOKEN, data: '0x70a08231' }, 'latest'] }, relayed);
    expect(answer.ok).toBe(false);
    expect(!answer.ok && JSON.stringify(answer.error)).toContain(TOKEN_REVERT_DATA.slice(2));
    expect(answer.meta.verification).toBe('proven');
  });

  it('catches a changed eth_call result and serves the executed one', async () => {
    const off = await engineWith('off', { '1:a': 'call-result', '1:b': 'call-result', '1:c': 'call-result' }).request(1, { method: 'eth_call', params: [call, 'latest'] }, relayed);
    expect(off.ok && BigInt(off.result as string)).not.toBe(HELD);
    const engine = engineWith('relayed', { '1:a': 'call-result' });
    for (let i = 0; i < 2; i++) {
      const answer = await engine.request(1, { method: 'eth_call', params: [call, 'latest'] }, relayed);
      expect(answer.ok && BigInt(answer.result as string)).toBe(HELD);
      expect(answer.meta.verification).toBe('proven');
    }
    expect(engine.verificationView().failed.map((mark) => [mark.endpointId, mark.method])).toEqual([['1:a', 'eth_call']]);
  });
});

describe('transactions and receipts against the block', { timeout: 20_000 }, () => {
  for (const [method, lie] of [['eth_getTransactionByHash', 'transaction'], ['eth_getTransactionReceipt', 'receipt']] as const) {
    it(`proves ${method} by the block's root, and catches a changed one`, async () => {
      const honest = await engineWith('relayed').request(1, { method, params: [transfer] }, relayed);
      expect(honest.ok && honest.result, JSON.stringify(honest).slice(0, 400)).toEqual(await truth(method, [transfer]));
      expect(honest.meta.verification).toBe('proven');

      const off = await engineWith('off', { '1:a': lie, '1:b': lie, '1:c': lie }).request(1, { method, params: [transfer] }, relayed);
      expect(off.ok && off.result).not.toEqual(await truth(method, [transfer]));
      const engine = engineWith('relayed', { '1:a': lie, '1:b': lie });
      const answer = await engine.request(1, { method, params: [transfer] }, relayed);
      expect(answer.ok && answer.result).toEqual(await truth(method, [transfer]));
      expect(answer.meta).toMatchObject({ endpointId: '1:c', verification: 'proven' });
      const marked = engine.verificationView().failed.map((mark) => mark.endpointId);
      expect(marked.length).toBeGreaterThan(0);
      for (const id of marked) expect(['1:a', '1:b']).toContain(id);
    });
  }
});

describe('garbage from endpoints', { timeout: 20_000 }, () => {
  it('when every endpoint fails verification none sits out: the read is served, unproven', async () => {
    const engine = createEngine({
      endpoints,
      verification: 'relayed',
      transport: async (endpoint, body) => {
        const { method } = JSON.parse(body) as { method: string };
        const reply = await chain.transport(endpoint, body, new AbortController().signal);
        if (method !== 'eth_getProof') return reply;
        const parsed = JSON.parse(reply.text) as { result: { accountProof: string[] } };
        parsed.result.accountProof = ['0xff'];
        return { ...reply, text: JSON.stringify(parsed) };
      },
    });
    for (const e of endpoints) chain.setLie(e.id, undefined);
    const answer = await engine.request(1, { method: 'eth_getBalance', params: [chain.accounts[2], 'latest'] }, relayed);
    expect(answer.ok && answer.result).toBe(await truth('eth_getBalance', [chain.accounts[2], 'latest']));
    expect(answer.meta.verification).toBe('not-verified');
    expect(engine.verificationView().failed).toHaveLength(3);
  });
});
