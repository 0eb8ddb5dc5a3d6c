import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseChainIdResult, verifyEndpointChain, type RpcCall } from './verify-chain.ts';

const answer = (result: unknown): RpcCall => async () => result;

describe('verifyEndpointChain', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is ok when eth_chainId matches', async () => {
    const calls: string[] = [];
    const rpc: RpcCall = async (url, method, params) => {
      calls.push(`${url} ${method} ${JSON.stringify(params)}`);
      return '0x1';
    };
    expect(await verifyEndpointChain({ chainId: 1, url: 'http://127.0.0.1:8545' }, rpc)).toEqual({ status: 'ok', chainId: 1 });
    expect(calls).toEqual(['http://127.0.0.1:8545 eth_chainId []']);
  });

  it('reports the wrong chain with both ids and names', async () => {
    const r = await verifyEndpointChain({ chainId: 1, url: 'https://bsc.example.com' }, answer('0x38'));
    expect(r).toEqual({
      status: 'wrong-chain',
      expected: 1,
      actual: 56,
      message: 'https://bsc.example.com serves chain 56 (BNB Smart Chain), expected chain 1 (Ethereum)',
    });
  });

  it('reports unreachable with the reason, never leaking the key in the URL', async () => {
    const url = 'https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef';
    const rpc: RpcCall = async (u) => {
      throw new TypeError(`fetch failed: ECONNREFUSED ${u}`);
    };
    const r = await verifyEndpointChain({ chainId: 1, url }, rpc);
    expect(r.status).toBe('unreachable');
    if (r.status === 'unreachable') {
      expect(r.reason).toBe('fetch failed: ECONNREFUSED https://mainnet.infura.io/v3/***');
      expect(r.message).not.toContain('0123456789abcdef');
    }
  });

  it('treats a non-chain-id answer as unreachable, saying what came back', async () => {
    const r = await verifyEndpointChain({ chainId: 1, url: 'https://x.example' }, answer('<html>'));
    expect(r).toMatchObject({ status: 'unreachable', reason: 'eth_chainId returned "<html>", not a chain id' });
  });

  it('handles a synchronous throw and a non-Error rejection', async () => {
    const syncThrow: RpcCall = () => {
      throw new Error('boom');
    };
    expect(await verifyEndpointChain({ chainId: 1, url: 'https://x.example' }, syncThrow)).toMatchObject({ status: 'unreachable', reason: 'boom' });
    const odd: RpcCall = () => Promise.reject({ code: -32601 });
    expect(await verifyEndpointChain({ chainId: 1, url: 'https://x.example' }, odd)).toMatchObject({ status: 'unreachable', reason: '{"code":-32601}' });
  });

  it('times out a hanging call and aborts it', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const hang: RpcCall = (_u, _m, _p, s) => {
      signal = s;
      return new Promise(() => {});
    };
    const pending = verifyEndpointChain({ chainId: 1, url: 'https://x.example' }, hang, { timeoutMs: 5000 });
    await vi.advanceTimersByTimeAsync(5000);
    expect(await pending).toMatchObject({ status: 'unreachable', reason: 'no answer to eth_chainId within 5000 ms' });
    expect(signal?.aborted).toBe(true);
  });

  it('clears its timer when the answer comes first', async () => {
    vi.useFakeTimers();
    await verifyEndpointChain({ chainId: 1, url: 'https://x.example' }, answer('0x1'));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('parseChainIdResult', () => {
  it.each([
    ['0x1', 1],
    ['0x38', 56],
    ['0xaa36a7', 11155111],
    ['0xA4B1', 42161],
  ])('%s → %i', (v, n) => expect(parseChainIdResult(v)).toBe(n));

  it.each([['1'], [1], ['0x'], ['0x0'], [null], ['0xzz'], ['0x' + 'f'.repeat(20)]])('rejects %j', (v) => {
    expect(parseChainIdResult(v)).toBeNull();
  });
});
