/**
 * The guard's timing logic on a fake clock: when a wallet read is relayed (hedge delay, failure,
 * failing wallet), and when it is not. The page, bridge and wallet are stand-ins: a window-like
 * EventTarget, the relay messages the guard posts, and a provider whose answers the test controls.
 * Browser behaviour (real wallets, injection styles, the bridge) is covered by e2e/wallet-*.spec.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installGuard } from './index';
import { PAGE_CHANNEL, type RelayRequestMessage } from '../../protocol/page-channel';
import { WALLET_HEDGE } from '../../../src/policy/index';

/** What the wallet does with one read: answer after `afterMs` (default 20), or never. */
type Answer = ({ result: unknown } | { error: { code: number; message: string } }) & { afterMs?: number } | 'hang';

interface World {
  eth: { request(args: { method: string; params?: unknown[] }): Promise<unknown> };
  /** The page's window, to post what the bridge would. */
  win: EventTarget;
  /** What the wallet will do with each next read (default: answer '0xwallet'). */
  walletAnswers: Answer[];
  walletCalls: string[];
  relays: RelayRequestMessage[];
  answerRelay(id: string, result: unknown): void;
}

const natives = { defineProperty: Object.defineProperty, defineProperties: Object.defineProperties, reflectDefine: Reflect.defineProperty };

function world(): World {
  const win = new EventTarget() as EventTarget & Record<string, unknown>;
  const relays: RelayRequestMessage[] = [];
  win.postMessage = (message: { kind?: string }) => {
    if (message.kind === 'relay') relays.push(message as RelayRequestMessage);
  };
  installGuard(win as unknown as Window & typeof globalThis);
  const walletAnswers: Answer[] = [];
  const walletCalls: string[] = [];
  const provider = {
    chainId: '0x1',
    request(args: { method: string }): Promise<unknown> {
      walletCalls.push(args.method);
      const next = walletAnswers.shift() ?? { result: '0xwallet' };
      if (next === 'hang') return new Promise(() => {});
      return new Promise((resolve, reject) => setTimeout(() => ('result' in next ? resolve(next.result) : reject(next.error)), next.afterMs ?? 20));
    },
  };
  win.ethereum = provider; // the guard's slot accessor guards it
  const answerRelay = (id: string, result: unknown) => {
    const event = Object.assign(new Event('message'), { source: win, data: { channel: PAGE_CHANNEL, kind: 'relay-result', id, ok: true, result } });
    win.dispatchEvent(event);
  };
  return { eth: win.ethereum as World['eth'], win, walletAnswers, walletCalls, relays, answerRelay };
}

/** Starts a read and records how it settled. */
function read(w: World, method = 'eth_blockNumber') {
  const outcome: { value?: unknown; error?: unknown; done: boolean } = { done: false };
  w.eth.request({ method, params: [] }).then(
    (value) => Object.assign(outcome, { value, done: true }),
    (error: unknown) => Object.assign(outcome, { error, done: true }),
  );
  return outcome;
}

/** Answers the newest relay and lets the guard settle. */
async function serveRelay(w: World, result: unknown): Promise<void> {
  w.answerRelay(w.relays[w.relays.length - 1]!.id, result);
  await vi.advanceTimersByTimeAsync(0);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
  // installGuard wraps the define functions (to catch wallets defining window.ethereum later).
  Object.defineProperty = natives.defineProperty;
  Object.defineProperties = natives.defineProperties;
  Reflect.defineProperty = natives.reflectDefine;
});

describe('wallet guard hedging (fake clock)', () => {
  it('a healthy wallet answers; nothing is relayed', async () => {
    const w = world();
    const r = read(w);
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.coldMs * 2);
    expect(r).toEqual({ value: '0xwallet', done: true });
    expect(w.relays).toHaveLength(0);
  });

  it('a silent wallet is bypassed exactly at the cold hedge delay', async () => {
    const w = world();
    w.walletAnswers.push('hang');
    const r = read(w);
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.coldMs - 1);
    expect(w.relays).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.relays).toHaveLength(1);
    expect(w.relays[0]).toMatchObject({ chainId: 1, method: 'eth_blockNumber' });
    await serveRelay(w, '0xfallback');
    expect(r).toEqual({ value: '0xfallback', done: true });
  });

  it('an infrastructure failure is relayed at once; a revert is the answer', async () => {
    const w = world();
    w.walletAnswers.push({ error: { code: -32603, message: 'HTTP 503' } });
    const failed = read(w);
    await vi.advanceTimersByTimeAsync(20);
    expect(w.relays).toHaveLength(1);
    await serveRelay(w, '0xfallback');
    expect(failed.value).toBe('0xfallback');

    w.walletAnswers.push({ error: { code: 3, message: 'execution reverted' } });
    const reverted = read(w, 'eth_call');
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.coldMs * 2);
    expect(reverted.error).toMatchObject({ code: 3 });
    expect(w.relays).toHaveLength(1);
  });

  it(`after ${WALLET_HEDGE.failingAfterReads} unanswered reads the next ones are relayed at once, until the wallet answers again`, async () => {
    const w = world();
    for (let i = 0; i < WALLET_HEDGE.failingAfterReads; i++) {
      w.walletAnswers.push('hang');
      read(w);
      await vi.advanceTimersByTimeAsync(WALLET_HEDGE.coldMs);
      expect(w.relays).toHaveLength(i + 1);
      await serveRelay(w, '0xfallback');
    }
    // Failing: relayed without waiting for the hedge, while the wallet still gets the read.
    w.walletAnswers.push('hang');
    const fast = read(w);
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.failingMs);
    expect(w.relays).toHaveLength(WALLET_HEDGE.failingAfterReads + 1);
    await serveRelay(w, '0xfallback');
    expect(fast).toEqual({ value: '0xfallback', done: true });
    expect(w.walletCalls.filter((m) => m === 'eth_blockNumber')).toHaveLength(WALLET_HEDGE.failingAfterReads + 1);

    // The wallet answers again (here before the relay does). One prompt answer could be the
    // tail of a backlog: reads stay relayed at once until it has answered promptly
    // WALLET_HEDGE.recoverAfterPromptAnswers times in a row; then it is waited for again.
    for (let i = 0; i < WALLET_HEDGE.recoverAfterPromptAnswers; i++) {
      const answered = read(w);
      await vi.advanceTimersByTimeAsync(0);
      expect(w.relays).toHaveLength(WALLET_HEDGE.failingAfterReads + 2 + i);
      await vi.advanceTimersByTimeAsync(20);
      expect(answered).toEqual({ value: '0xwallet', done: true });
    }
    const relayedBefore = w.relays.length;
    w.walletAnswers.push('hang');
    read(w);
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.coldMs - 1);
    expect(w.relays).toHaveLength(relayedBefore);
    await vi.advanceTimersByTimeAsync(1);
    expect(w.relays).toHaveLength(relayedBefore + 1);
  });

  it("advice that the wallet is failing on this site relays a waiting read at once, and the next ones without waiting", async () => {
    const w = world();
    const advise = (wallets: unknown) =>
      w.win.dispatchEvent(Object.assign(new Event('message'), { source: w.win, data: { channel: PAGE_CHANNEL, kind: 'wallet-advice', wallets } }));
    w.walletAnswers.push('hang');
    const waiting = read(w);
    await vi.advanceTimersByTimeAsync(10);
    expect(w.relays).toHaveLength(0);
    advise([{ wallet: 'Injected wallet', chainId: 1, failing: true }]);
    await vi.advanceTimersByTimeAsync(0);
    expect(w.relays).toHaveLength(1);
    await serveRelay(w, '0xfallback');
    expect(waiting).toEqual({ value: '0xfallback', done: true });
    w.walletAnswers.push('hang');
    read(w);
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.failingMs);
    expect(w.relays).toHaveLength(2);
    // Advice for another wallet changes nothing for this one.
    advise([{ wallet: 'io.rabby', chainId: null, failing: true }]);
    w.walletAnswers.push('hang');
    read(w);
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.coldMs - 1);
    expect(w.relays).toHaveLength(2);
  });

  it('a slow wallet that answers after the hedge never counts as failing', async () => {
    const w = world();
    for (let i = 0; i < WALLET_HEDGE.failingAfterReads + 1; i++) {
      w.walletAnswers.push({ result: '0xslow', afterMs: WALLET_HEDGE.coldMs + 200 });
      const r = read(w);
      // Every read waits the whole hedge delay: the wallet is slow, not failing.
      await vi.advanceTimersByTimeAsync(WALLET_HEDGE.coldMs - 1);
      expect(w.relays).toHaveLength(i);
      await vi.advanceTimersByTimeAsync(1);
      expect(w.relays).toHaveLength(i + 1);
      await serveRelay(w, '0xfallback');
      expect(r.value).toBe('0xfallback');
      await vi.advanceTimersByTimeAsync(200); // the wallet's own late answer arrives
    }
  });

  it('a request() the wallet assigns later is guarded, and ours assigned back is not wrapped twice', async () => {
    const w = world();
    const calls: string[] = [];
    (w.eth as { request: unknown }).request = (args: { method: string }) => {
      calls.push(args.method);
      return new Promise(() => {});
    };
    const r = read(w);
    await vi.advanceTimersByTimeAsync(WALLET_HEDGE.coldMs);
    expect(calls).toEqual(['eth_blockNumber']);
    expect(w.relays).toHaveLength(1);
    await serveRelay(w, '0xfallback');
    expect(r.value).toBe('0xfallback');
    const current = w.eth.request;
    (w.eth as { request: unknown }).request = current;
    expect(w.eth.request).toBe(current);
  });

  it('legacy API: batches, the synchronous send(payload) and wallet methods stay the wallet\'s own', async () => {
    const seen: unknown[] = [];
    const win = new EventTarget() as EventTarget & Record<string, unknown>;
    win.postMessage = () => {};
    installGuard(win as unknown as Window & typeof globalThis);
    const legacyWallet = {
      chainId: '0x1',
      request: () => Promise.resolve('0x1'),
      sendAsync(payload: unknown, callback: (e: unknown, r: unknown) => void) {
        seen.push(payload);
        callback(null, { id: 1, jsonrpc: '2.0', result: 'wallet' });
      },
      send(payload: unknown) {
        seen.push(payload);
        return { id: 1, jsonrpc: '2.0', result: ['0xabc'] };
      },
    };
    win.ethereum = legacyWallet;
    const guarded = win.ethereum as typeof legacyWallet;
    expect(guarded.sendAsync).not.toBe(undefined);
    const batch = [{ id: 1, jsonrpc: '2.0', method: 'eth_blockNumber', params: [] }];
    const batchAnswer = await new Promise((resolve) => guarded.sendAsync(batch, (_e, r) => resolve(r)));
    expect(batchAnswer).toEqual({ id: 1, jsonrpc: '2.0', result: 'wallet' });
    expect(seen[0]).toBe(batch);
    expect(guarded.send({ method: 'eth_accounts' })).toEqual({ id: 1, jsonrpc: '2.0', result: ['0xabc'] });
    const accounts = await new Promise((resolve) => guarded.sendAsync({ id: 2, jsonrpc: '2.0', method: 'eth_requestAccounts', params: [] }, (_e, r) => resolve(r)));
    expect(accounts).toEqual({ id: 1, jsonrpc: '2.0', result: 'wallet' });
    expect(seen).toHaveLength(3);
  });

  it('the guarded request() is the same kind of function as the wallet\'s: web3.js tells EIP-1193 and MetaMask providers from legacy ones by it', async () => {
    const win = new EventTarget() as EventTarget & Record<string, unknown>;
    win.postMessage = () => {};
    installGuard(win as unknown as Window & typeof globalThis);
    class AsyncWallet {
      async request(args: { method: string }): Promise<unknown> {
        if (args.method === 'eth_call') throw Object.assign(new Error('execution reverted'), { code: 3 });
        return '0x1';
      }
    }
    const asyncWallet = new AsyncWallet();
    win.ethereum = asyncWallet;
    const asyncRequest = (win.ethereum as AsyncWallet).request;
    expect(asyncRequest).not.toBe(AsyncWallet.prototype.request);
    expect(asyncRequest.constructor.name).toBe('AsyncFunction');
    expect(await (win.ethereum as AsyncWallet).request({ method: 'eth_chainId' })).toBe('0x1');
    await expect((win.ethereum as AsyncWallet).request({ method: 'eth_call' })).rejects.toMatchObject({ code: 3 });

    const plainWallet = { request: (_args: unknown) => Promise.resolve('0x2') };
    const other = new EventTarget() as EventTarget & Record<string, unknown>;
    other.postMessage = () => {};
    installGuard(other as unknown as Window & typeof globalThis);
    other.ethereum = plainWallet;
    const plainRequest = (other.ethereum as typeof plainWallet).request;
    expect(plainRequest.constructor.name).toBe('Function');
    expect(await plainRequest({ method: 'eth_chainId' })).toBe('0x2');
  });
});
