import { describe, expect, it } from 'vitest';
import { BROADCAST_METHOD, ROUTABLE_READS, isRelayable, isRelayableRead } from './relayable.ts';

describe('relayable by name', () => {
  it('does not mistake Object.prototype keys for reads (pages send arbitrary method names)', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(isRelayableRead(name), name).toBe(false);
      expect(isRelayable(name), name).toBe(false);
    }
    expect(isRelayableRead('eth_getBalance')).toBe(true);
    expect(isRelayableRead('eth_chainId')).toBe(false);
    expect(isRelayableRead(BROADCAST_METHOD)).toBe(false);
  });

  it('a guard may relay reads and the broadcast of a signed transaction, never signing, accounts or eth_chainId', () => {
    expect(isRelayable('eth_getBalance')).toBe(true);
    expect(isRelayable('eth_sendRawTransaction')).toBe(true);
    for (const method of ['eth_sendTransaction', 'eth_signTransaction', 'personal_sign', 'eth_requestAccounts', 'wallet_addEthereumChain', 'eth_chainId', 'constructor', 'eth_subscribe']) {
      expect(isRelayable(method), method).toBe(false);
    }
  });

  it('the list of reads is frozen and names each read once', () => {
    expect(Object.isFrozen(ROUTABLE_READS)).toBe(true);
    expect(new Set(ROUTABLE_READS).size).toBe(ROUTABLE_READS.length);
  });
});
