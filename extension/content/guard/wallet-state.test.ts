/** What the guard remembers of a wallet provider, and the hedge delay it derives from that. */
import { describe, expect, it } from 'vitest';
import { WALLET_HEDGE } from '../../../src/policy/index';
import { announcedAs, answeredItself, currentChain, hedgeDelay, identityOf, knownChain, leftUnanswered, recordLatency, sawChain } from './wallet-state';

describe('wallet identity', () => {
  it('names a provider by its most specific flag (Rabby also claims isMetaMask)', () => {
    expect(identityOf({ isMetaMask: true, isRabby: true })).toEqual({ name: 'Rabby Wallet', rdns: 'io.rabby' });
    expect(identityOf({ isMetaMask: true })).toEqual({ name: 'MetaMask', rdns: 'io.metamask' });
    expect(identityOf({ isMetaMask: 'yes' })).toEqual({ name: 'Injected wallet' });
  });

  it('an EIP-6963 announcement names it from then on', () => {
    const provider = { isMetaMask: true };
    announcedAs(provider, { name: 'Some Wallet', rdns: 'com.some' });
    expect(identityOf(provider)).toEqual({ name: 'Some Wallet', rdns: 'com.some' });
  });
});

describe('wallet chain', () => {
  it('keeps the chain ids it can parse, hex, decimal or number', () => {
    const provider = {};
    expect(knownChain(provider)).toBeNull();
    sawChain(provider, '0x89');
    expect(knownChain(provider)).toBe(137);
    for (const junk of ['0x0', 'abc', -1, 1.5, null, undefined, {}]) sawChain(provider, junk);
    expect(knownChain(provider)).toBe(137);
    sawChain(provider, '10');
    expect(knownChain(provider)).toBe(10);
    sawChain(provider, 8453);
    expect(knownChain(provider)).toBe(8453);
  });

  it('asks the wallet only when neither a tracked chain nor provider.chainId is known', async () => {
    let asked = 0;
    const ask = () => (asked++, Promise.resolve('0xa'));
    expect(await currentChain({ chainId: '0x1' }, ask)).toBe(1);
    expect(asked).toBe(0);
    const silent = {};
    expect(await currentChain(silent, ask)).toBe(10);
    expect(await currentChain(silent, ask)).toBe(10);
    expect(asked).toBe(1);
    await expect(currentChain({}, () => Promise.resolve('not a chain'))).rejects.toThrow('unknown chain');
  });
});

describe('hedge delay', () => {
  it('cold until enough samples, then 1.5 × the p95 within bounds', () => {
    const provider = {};
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
    for (let i = 0; i < WALLET_HEDGE.minSamples - 1; i++) recordLatency(provider, 400);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
    recordLatency(provider, 400);
    expect(hedgeDelay(provider)).toBe(400 * WALLET_HEDGE.p95Factor);
    const fast = {};
    for (let i = 0; i < WALLET_HEDGE.minSamples; i++) recordLatency(fast, 1);
    expect(hedgeDelay(fast)).toBe(WALLET_HEDGE.minMs);
  });

  it('only the latest window of samples counts', () => {
    const provider = {};
    for (let i = 0; i < WALLET_HEDGE.window; i++) recordLatency(provider, 5_000);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.maxMs);
    for (let i = 0; i < WALLET_HEDGE.window; i++) recordLatency(provider, 400);
    expect(hedgeDelay(provider)).toBe(400 * WALLET_HEDGE.p95Factor);
  });

  it(`relays at once after ${WALLET_HEDGE.failingAfterReads} unanswered reads in a row, until the wallet answers one itself`, () => {
    const provider = {};
    for (let i = 0; i < WALLET_HEDGE.failingAfterReads - 1; i++) leftUnanswered(provider);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
    leftUnanswered(provider);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.failingMs);
    answeredItself(provider);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
  });
});
