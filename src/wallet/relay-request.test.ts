import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RELAY_ERROR, validateRelayRequest } from './relay-request';
import { RELAY_LIMITS } from '../policy/index';

const reads = new Set(['eth_blockNumber', 'eth_getBalance', 'eth_call', 'eth_sendRawTransaction']);
const isRelayable = (m: string) => reads.has(m);

describe('validateRelayRequest', () => {
  it('accepts a well-formed read', () => {
    expect(validateRelayRequest({ chainId: 1, method: 'eth_getBalance', params: ['0xabc', 'latest'] }, isRelayable)).toEqual({
      ok: true,
      request: { chainId: 1, method: 'eth_getBalance', params: ['0xabc', 'latest'] },
    });
  });

  it('accepts a signed transaction bigger than the read limit (a contract deployment), up to its own', () => {
    const raw = `0x${'00'.repeat(RELAY_LIMITS.maxParamsBytes)}`;
    expect(validateRelayRequest({ chainId: 1, method: 'eth_sendRawTransaction', params: [raw] }, isRelayable).ok).toBe(true);
    expect(validateRelayRequest({ chainId: 1, method: 'eth_call', params: [{ data: raw }, 'latest'] }, isRelayable).ok).toBe(false);
  });

  it.each([
    [null, RELAY_ERROR.invalidRequest],
    ['eth_call', RELAY_ERROR.invalidRequest],
    [{ chainId: '1', method: 'eth_call', params: [] }, RELAY_ERROR.invalidRequest],
    [{ chainId: -1, method: 'eth_call', params: [] }, RELAY_ERROR.invalidRequest],
    [{ chainId: 1.5, method: 'eth_call', params: [] }, RELAY_ERROR.invalidRequest],
    [{ chainId: 1, method: 'eth_sendTransaction', params: [{}] }, RELAY_ERROR.methodNotFound],
    [{ chainId: 1, method: 'personal_sign', params: ['0x', '0x'] }, RELAY_ERROR.methodNotFound],
    [{ chainId: 1, method: 'wallet_addEthereumChain', params: [] }, RELAY_ERROR.methodNotFound],
    [{ chainId: 1, method: 'eth_call', params: { to: '0x' } }, RELAY_ERROR.invalidParams],
    [{ chainId: 1, method: 'eth_call', params: ['x'.repeat(RELAY_LIMITS.maxParamsBytes)] }, RELAY_ERROR.limitExceeded],
    [{ chainId: 1, method: 'eth_sendRawTransaction', params: [`0x${'00'.repeat(RELAY_LIMITS.maxBroadcastParamsBytes / 2)}`] }, RELAY_ERROR.limitExceeded],
  ])('refuses %j with code %i', (raw, code) => {
    const result = validateRelayRequest(raw, isRelayable);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message).toMatch(/^Lifeline: /);
    }
  });

  it('never throws and never lets a non-relayable method through, whatever a page sends', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true }), fc.string(), (params, method) => {
        const result = validateRelayRequest({ chainId: 1, method, params }, isRelayable);
        if (result.ok) expect(reads.has(result.request.method)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses params with cycles instead of crashing', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(validateRelayRequest({ chainId: 1, method: 'eth_call', params: cyclic }, isRelayable)).toMatchObject({ ok: false, error: { code: RELAY_ERROR.invalidParams } });
  });
});

describe('the wallet a relay is for', () => {
  it('is carried, bounded, when the page names it, and dropped when it is not a wallet identity', () => {
    const named = validateRelayRequest({ chainId: 1, method: 'eth_call', params: [], wallet: { name: 'MetaMask', rdns: 'io.metamask' } }, isRelayable);
    expect(named).toMatchObject({ ok: true, request: { wallet: { name: 'MetaMask', rdns: 'io.metamask' } } });
    const long = validateRelayRequest({ chainId: 1, method: 'eth_call', params: [], wallet: { name: 'x'.repeat(5000) } }, isRelayable);
    expect(long.ok && long.request.wallet?.name.length).toBeLessThanOrEqual(80);
    for (const wallet of [undefined, null, 'MetaMask', { rdns: 'io.metamask' }, { name: 5 }]) {
      const checked = validateRelayRequest({ chainId: 1, method: 'eth_call', params: [], wallet }, isRelayable);
      expect(checked.ok && 'wallet' in checked.request).toBe(false);
    }
  });
});
