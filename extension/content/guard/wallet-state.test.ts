/** What the guard remembers of a wallet provider, and the hedge delay it derives from that. */
import { describe, expect, it } from 'vitest';
import { WALLET_HEDGE } from '../../../src/policy/index';
import { announcedAs, answeredItself, applyAdvice, currentChain, hedgeDelay, identityOf, isFailing, knownChain, leftUnanswered, sawChain, whileWaiting } from './wallet-state';

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
  it('cold before any answer, bounded by the slowest of the first few, then 1.5 × the p95 within bounds', () => {
    const provider = {};
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
    answeredItself(provider, 20);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.minMs);
    for (let i = 0; i < WALLET_HEDGE.minSamples - 2; i++) answeredItself(provider, 900);
    // A few slow answers never stretch the wait past the cold delay.
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
    const steady = {};
    for (let i = 0; i < WALLET_HEDGE.minSamples - 1; i++) answeredItself(steady, 400);
    expect(hedgeDelay(steady)).toBe(400 * WALLET_HEDGE.p95Factor);
    answeredItself(steady, 400);
    expect(hedgeDelay(steady)).toBe(400 * WALLET_HEDGE.p95Factor);
    const fast = {};
    for (let i = 0; i < WALLET_HEDGE.minSamples; i++) answeredItself(fast, 1);
    expect(hedgeDelay(fast)).toBe(WALLET_HEDGE.minMs);
  });

  it('only the latest window of samples counts; answers slower than the longest hedge are not samples', () => {
    const provider = {};
    for (let i = 0; i < WALLET_HEDGE.window; i++) answeredItself(provider, 900);
    expect(hedgeDelay(provider)).toBe(900 * WALLET_HEDGE.p95Factor);
    // Answers beyond the longest hedge (an outage's backlog draining) teach the guard nothing.
    for (let i = 0; i < WALLET_HEDGE.window; i++) answeredItself(provider, 9_000);
    expect(hedgeDelay(provider)).toBe(900 * WALLET_HEDGE.p95Factor);
    for (let i = 0; i < WALLET_HEDGE.window; i++) answeredItself(provider, 400);
    expect(hedgeDelay(provider)).toBe(400 * WALLET_HEDGE.p95Factor);
  });

  it(`relays at once after ${WALLET_HEDGE.failingAfterReads} unanswered reads in a row, until the wallet answers promptly ${WALLET_HEDGE.recoverAfterPromptAnswers} times in a row`, () => {
    const provider = {};
    for (let i = 0; i < WALLET_HEDGE.minSamples; i++) answeredItself(provider, 20);
    for (let i = 0; i < WALLET_HEDGE.failingAfterReads - 1; i++) leftUnanswered(provider);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.minMs);
    leftUnanswered(provider);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.failingMs);
    // Late answers (a backlog draining) do not bring it back, however many.
    for (let i = 0; i < 10; i++) answeredItself(provider, 280);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.failingMs);
    // Prompt ones in a row do; one slow answer in between starts the count again.
    for (let i = 0; i < WALLET_HEDGE.recoverAfterPromptAnswers - 1; i++) answeredItself(provider, 25);
    answeredItself(provider, 280);
    for (let i = 0; i < WALLET_HEDGE.recoverAfterPromptAnswers - 1; i++) answeredItself(provider, 25);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.failingMs);
    answeredItself(provider, 25);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.minMs);
  });

  it('a merely slow wallet answering within its hedge is never taken for failing', () => {
    const provider = {};
    for (let i = 0; i < 100; i++) {
      answeredItself(provider, 600 + (i % 7) * 40);
      expect(isFailing(provider)).toBe(false);
    }
  });
});

describe("the worker's advice", () => {
  const metamask = () => {
    const provider = { isMetaMask: true };
    sawChain(provider, '0x1');
    return provider;
  };

  it('a wallet advised failing on its chain (or on every chain) is relayed at once', () => {
    const provider = metamask();
    applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: true }]);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.failingMs);
    applyAdvice([{ wallet: 'io.metamask', chainId: 10, failing: true }]);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
    applyAdvice([{ wallet: 'io.metamask', chainId: null, failing: true }]);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.failingMs);
    applyAdvice([]);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
  });

  it("this tab's own prompt answers overrule stale advice until news of a new failure comes", () => {
    const provider = metamask();
    applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: true }]);
    for (let i = 0; i < WALLET_HEDGE.recoverAfterPromptAnswers; i++) answeredItself(provider, 30);
    expect(isFailing(provider)).toBe(false);
    // The same advice again is not news…
    applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: true }]);
    expect(isFailing(provider)).toBe(false);
    // …the failure ending and starting again is.
    applyAdvice([]);
    applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: true }]);
    expect(isFailing(provider)).toBe(true);
  });

  it('a learned hedge delay serves a tab without samples of its own; nonsense is ignored', () => {
    const provider = metamask();
    applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: false, hedgeMs: 450 }]);
    expect(hedgeDelay(provider)).toBe(450);
    applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: false, hedgeMs: 1 }, null, 'x', { wallet: 5, failing: true }]);
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
    applyAdvice('not a list');
    expect(hedgeDelay(provider)).toBe(WALLET_HEDGE.coldMs);
  });

  it('reads waiting on the wallet are re-examined when advice arrives', () => {
    const provider = metamask();
    applyAdvice([]);
    const seen: boolean[] = [];
    const stop = whileWaiting(() => seen.push(isFailing(provider)));
    applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: true }]);
    stop();
    applyAdvice([]);
    expect(seen).toEqual([true]);
  });
});

describe('advice that only refines the hedge', () => {
  it('does not restart a recovering wallet’s prompt-answer count', () => {
    const provider = { isMetaMask: true };
    sawChain(provider, '0x1');
    applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: true }]);
    for (let i = 0; i < WALLET_HEDGE.recoverAfterPromptAnswers - 1; i++) {
      answeredItself(provider, 30);
      applyAdvice([{ wallet: 'io.metamask', chainId: 1, failing: true, hedgeMs: 400 + i }]);
    }
    answeredItself(provider, 30);
    expect(isFailing(provider)).toBe(false);
  });
});
