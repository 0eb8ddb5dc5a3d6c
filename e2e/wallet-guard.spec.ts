/**
 * Issue: keep wallet reads alive. Real Chromium with Lifeline, the mock wallet extension (whose
 * reads go out from its own service worker, invisible to Lifeline) and fault-injecting endpoints.
 */
import { test, expect, type Page } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type FaultMode, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow, type Settled } from './fixtures/dapp-server';
import { launchWithMockWallet, walletLog, clearWalletLog, walletRpcLog, type LaunchedWithWallet, type MockWalletOptions, DEFAULT_ACCOUNT } from './fixtures/mock-wallet/index';
import { configureLifeline, walletHealth } from './fixtures/lifeline';
import { Wallet as EthersWallet, keccak256 } from 'ethers';
import { WALLET_HEDGE } from '../src/policy/index';

const CHAIN = 1337;
/** A contract whose every call reverts with the 4 bytes 0xdeadbeef. */
const REVERTER = '0x000000000000000000000000000000000000beef';
const REVERTER_CODE = '0x63deadbeef60e01b60005260046000fd';

let node: EvmNode;
let dapp: DappServer;
let walletRpc: RpcEndpoint;
let fallbackA: RpcEndpoint;
let fallbackB: RpcEndpoint;
let txHash: string;

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: CHAIN });
  await node.request('evm_setAccountCode', [REVERTER, REVERTER_CODE]);
  txHash = await node.request<string>('eth_sendTransaction', [{ from: node.accounts[0]!.address, to: node.accounts[1]!.address, value: '0x1' }]);
  await node.mine(3);
  walletRpc = await startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc' });
  fallbackA = await startRpcEndpoint({ upstream: node.url, name: 'fallback-a' });
  fallbackB = await startRpcEndpoint({ upstream: node.url, name: 'fallback-b' });
  dapp = await startDappServer();
});

test.afterAll(async () => {
  await Promise.all([walletRpc?.close(), fallbackA?.close(), fallbackB?.close(), dapp?.close()]);
  await node?.close();
});

async function launch(options: MockWalletOptions = {}): Promise<LaunchedWithWallet> {
  const launched = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url }, ...options });
  await configureLifeline(launched.browser.worker!, [
    { chainId: CHAIN, url: fallbackA.url, label: 'Fallback A' },
    { chainId: CHAIN, url: fallbackB.url, label: 'Fallback B' },
  ]);
  return launched;
}

type Via = 'viaInjected' | 'viaEip6963';
const read = (page: Page, via: Via, method: string, params: unknown[] = []) =>
  page.evaluate(
    ([via, method, params]) => (window as unknown as DappWindow).dapp.settle(via as Via, [method, params] as never) as Promise<Settled<unknown>>,
    [via, method, params] as const,
  );

async function truth(method: string, params: unknown[] = []): Promise<unknown> {
  return node.request(method, params);
}

// A relayed balance is proven from eth_getProof (verified reads): both count as relaying it.
const relayedCount = (method: string) =>
  [fallbackA, fallbackB].reduce((n, e) => n + e.requestCount(method) + (method === 'eth_getBalance' ? e.requestCount('eth_getProof') : 0), 0);

test.describe('reads fail over while the wallet RPC is down', () => {
  test.describe.configure({ mode: 'serial' });
  let t: LaunchedWithWallet;
  let page: Page;
  test.beforeAll(async () => {
    t = await launch({ injection: 'rabby', order: 'after-lifeline' });
    page = await t.browser.context.newPage();
    await page.goto(dapp.pageUrl());
  });
  test.afterAll(async () => {
    await walletRpc.setMode({ kind: 'healthy' });
    await t?.close();
  });

  test('healthy wallet: reads go to the wallet, none are relayed, reverts pass through', async () => {
    const before = relayedCount('eth_getBalance');
    const balance = await read(page, 'viaInjected', 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
    expect(balance).toEqual({ ok: true, value: await truth('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']) });
    const reverted = await read(page, 'viaInjected', 'eth_call', [{ to: REVERTER, data: '0x' }, 'latest']);
    expect(reverted.ok).toBe(false);
    if (!reverted.ok) expect(JSON.stringify(reverted.error)).toContain('deadbeef');
    expect(relayedCount('eth_getBalance')).toBe(before);
    expect(relayedCount('eth_call')).toBe(0);
  });

  const outages: Array<[string, FaultMode]> = [
    ['hangs', { kind: 'hang' }],
    ['returns 503', { kind: 'http-error', status: 503 }],
    ['returns an HTML error page', { kind: 'html-error', status: 502 }],
    ['refuses connections', { kind: 'refuse' }],
  ];
  for (const [label, mode] of outages) {
    test(`wallet RPC ${label}: reads through window.ethereum and EIP-6963 return the chain's true values`, async () => {
      await walletRpc.setMode(mode);
      const head = await node.mine(1);
      const cases: Array<[string, unknown[]]> = [
        ['eth_blockNumber', []],
        ['eth_getBalance', [DEFAULT_ACCOUNT, 'latest']],
        ['eth_call', [{ to: node.accounts[0]!.address, data: '0x' }, 'latest']],
        ['eth_getTransactionReceipt', [txHash]],
      ];
      for (const via of ['viaInjected', 'viaEip6963'] as const) {
        for (const [method, params] of cases) {
          const started = Date.now();
          const answer = await read(page, via, method, params);
          const elapsed = Date.now() - started;
          expect(answer, `${via} ${method}`).toEqual({ ok: true, value: await truth(method, params) });
          // The wallet's own timeout is 10 s: answering well inside it proves Lifeline hedged.
          expect(elapsed, `${via} ${method} took ${elapsed} ms`).toBeLessThan(5_000);
        }
      }
      expect(await read(page, 'viaEip6963', 'eth_blockNumber')).toEqual({ ok: true, value: `0x${head.toString(16)}` });
      // A reverted call during the outage is still a revert (served by a fallback), never a success.
      const reverted = await read(page, 'viaInjected', 'eth_call', [{ to: REVERTER, data: '0x' }, 'latest']);
      expect(reverted.ok).toBe(false);
      if (!reverted.ok) expect(JSON.stringify(reverted.error)).toContain('deadbeef');
    });
  }

  test('signing and account requests reach the wallet exactly once during the outage', async () => {
    await walletRpc.setMode({ kind: 'http-error', status: 503 });
    await clearWalletLog(t.walletWorker);
    const accounts = await read(page, 'viaInjected', 'eth_requestAccounts');
    expect(accounts).toEqual({ ok: true, value: [DEFAULT_ACCOUNT] });
    const tx = { from: DEFAULT_ACCOUNT, to: node.accounts[1]!.address, value: '0x1' };
    const sent = await read(page, 'viaInjected', 'eth_sendTransaction', [tx]);
    expect(sent.ok).toBe(true);
    const signed = await read(page, 'viaEip6963', 'personal_sign', ['0x68656c6c6f', DEFAULT_ACCOUNT]);
    expect(signed.ok).toBe(true);
    const log = await walletLog(t.walletWorker);
    expect(log.filter((e) => e.method === 'eth_requestAccounts')).toHaveLength(1);
    expect(log.filter((e) => e.method === 'eth_sendTransaction')).toHaveLength(1);
    expect(log.filter((e) => e.method === 'personal_sign')).toHaveLength(1);
    for (const endpoint of [fallbackA, fallbackB]) {
      expect(endpoint.requests.flatMap((r) => r.rpcMethods).filter((m) => /^(eth_sendTransaction|personal_sign|eth_requestAccounts|eth_accounts)$/.test(m))).toEqual([]);
    }
  });

  test('a signed transaction the wallet cannot send is broadcast to the fallbacks: its own hash, each endpoint once, mined', async () => {
    await walletRpc.setMode({ kind: 'http-error', status: 503 });
    const sender = node.accounts[2]!;
    const fees = await node.request<{ baseFeePerGas: string }>('eth_getBlockByNumber', ['latest', false]);
    const raw = await new EthersWallet(sender.privateKey).signTransaction({
      type: 2, chainId: CHAIN, to: node.accounts[3]!.address, value: 1n, gasLimit: 21_000n,
      nonce: Number(await node.request<string>('eth_getTransactionCount', [sender.address, 'latest'])),
      maxFeePerGas: BigInt(fees.baseFeePerGas) * 2n + 1_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n,
    });
    const before = { a: fallbackA.requestCount('eth_sendRawTransaction'), b: fallbackB.requestCount('eth_sendRawTransaction') };
    const answer = await read(page, 'viaInjected', 'eth_sendRawTransaction', [raw]);
    expect(answer).toEqual({ ok: true, value: keccak256(raw) });
    // Both fallbacks got it (fan-out 3, two endpoints), neither twice.
    expect(fallbackA.requestCount('eth_sendRawTransaction') - before.a).toBe(1);
    expect(fallbackB.requestCount('eth_sendRawTransaction') - before.b).toBe(1);
    await expect.poll(() => node.request<{ status: string } | null>('eth_getTransactionReceipt', [keccak256(raw)])).toMatchObject({ status: '0x1' });
    // The wallet was asked first, exactly once.
    expect((await walletRpcLog(t.walletWorker)).filter((e) => e.method === 'eth_sendRawTransaction')).toHaveLength(1);
    // Sending it again (a dApp retrying) is harmless: the same hash, no second transaction.
    expect(await read(page, 'viaInjected', 'eth_sendRawTransaction', [raw])).toEqual({ ok: true, value: keccak256(raw) });
  });

  test('wallet health records the outage and the reads Lifeline served', async () => {
    await expect
      .poll(async () => (await walletHealth(t.browser.worker!)).wallets.find((w) => w.chainId === CHAIN)?.servedByLifeline ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(0);
    const entry = (await walletHealth(t.browser.worker!)).wallets.find((w) => w.chainId === CHAIN)!;
    expect(entry.wallet.name).toBe(t.wallet.name);
    expect(entry.failingSince).not.toBeNull();
  });

  test('after the wallet recovers, reads go back to the wallet', async () => {
    await walletRpc.setMode({ kind: 'healthy' });
    await clearWalletLog(t.walletWorker);
    const balance = () => read(page, 'viaInjected', 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
    const expected = await truth('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
    // While the wallet counts as failing its reads are relayed at once, in parallel with the
    // wallet (WALLET_HEDGE.failingMs), until it has answered promptly
    // WALLET_HEDGE.recoverAfterPromptAnswers times in a row: those first reads after recovery go
    // to both.
    let reads = 0;
    await expect.poll(async () => {
      const before = relayedCount('eth_getBalance');
      expect(await balance()).toEqual({ ok: true, value: expected });
      reads++;
      return relayedCount('eth_getBalance') - before;
    }, { timeout: 10_000, intervals: [0] }).toBe(0);
    // At least that many prompt answers, a few more when a slow answer on a loaded machine
    // restarts the count; never an open-ended run of relayed reads.
    expect(reads).toBeLessThanOrEqual(WALLET_HEDGE.recoverAfterPromptAnswers * 3);
    // From then on the wallet is waited for again: nothing relayed.
    const settled = relayedCount('eth_getBalance');
    for (let i = 0; i < 2; i++) {
      expect(await balance()).toEqual({ ok: true, value: expected });
      reads++;
    }
    expect(relayedCount('eth_getBalance')).toBe(settled);
    // The wallet answered every one of them itself.
    expect((await walletRpcLog(t.walletWorker)).filter((e) => e.method === 'eth_getBalance' && e.outcome === 'result')).toHaveLength(reads);
    await expect
      .poll(async () => {
        const entry = (await walletHealth(t.browser.worker!)).wallets.find((w) => w.chainId === CHAIN);
        return entry ? entry.failingSince : 'missing';
      }, { timeout: 10_000 })
      .toBeNull();
  });

  test('the service worker is stopped mid-outage: the next read still fails over', async () => {
    await walletRpc.setMode({ kind: 'hang' });
    await t.browser.stopServiceWorkers();
    const answer = await read(page, 'viaInjected', 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
    expect(answer).toEqual({ ok: true, value: await truth('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']) });
    await walletRpc.setMode({ kind: 'healthy' });
  });
});

for (const injection of ['assign', 'rabby'] as const) {
  test(`${injection}: a wallet that replaces its request() after injection stays guarded`, async () => {
    const t = await launch({ injection, order: 'after-lifeline', reassignRequestAfterMs: 50 });
    try {
      const page = await t.browser.context.newPage();
      await page.goto(dapp.pageUrl());
      await page.waitForFunction(() => (window as unknown as { __mockWalletRequestReassigned?: boolean }).__mockWalletRequestReassigned === true);
      // Healthy: the new function answers, once, with nothing relayed.
      await walletRpc.setMode({ kind: 'healthy' });
      const before = relayedCount('eth_getBalance');
      expect(await read(page, 'viaInjected', 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest'])).toEqual({ ok: true, value: await truth('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']) });
      expect(relayedCount('eth_getBalance')).toBe(before);
      // Reading our guarded function and assigning it back does not wrap it twice.
      expect(await page.evaluate(() => {
        const eth = (window as unknown as { ethereum: { request: unknown } }).ethereum;
        const current = eth.request;
        eth.request = current;
        return eth.request === current;
      })).toBe(true);
      // Down: the replaced request() is guarded like the first one was.
      await walletRpc.setMode({ kind: 'http-error', status: 503 });
      for (const via of ['viaInjected', 'viaEip6963'] as const) {
        expect(await read(page, via, 'eth_blockNumber'), via).toEqual({ ok: true, value: await truth('eth_blockNumber') });
      }
    } finally {
      await walletRpc.setMode({ kind: 'healthy' });
      await t.close();
    }
  });
}

for (const legacyVia of ['engine', 'request'] as const) {
  test(`legacy sendAsync/send (wallet's legacy API goes ${legacyVia === 'engine' ? 'straight to its engine, like MetaMask' : 'through request(), like Rabby'}): one guarded read each`, async () => {
    const t = await launch({ injection: 'assign', order: 'after-lifeline', legacyVia });
    try {
      const page = await t.browser.context.newPage();
      await page.goto(dapp.pageUrl());
      // Count the guard's relay messages on the page's own window: one per relayed read.
      await page.evaluate(() => {
        const w = window as unknown as { relayMessages: number };
        w.relayMessages = 0;
        window.addEventListener('message', (e) => {
          if ((e.data as { kind?: string } | null)?.kind === 'relay') w.relayMessages++;
        });
      });
      const legacy = () =>
        page.evaluate(async (account) => {
          type Callback = (error: unknown, response: unknown) => void;
          const eth = (window as unknown as { ethereum: { sendAsync(p: unknown, cb: Callback): void; send(a: unknown, b?: unknown): Promise<unknown> | void } }).ethereum;
          const viaSendAsync = await new Promise((resolve) => eth.sendAsync({ id: 7, jsonrpc: '2.0', method: 'eth_blockNumber', params: [] }, (error, response) => resolve({ error, response })));
          const viaSendPromise = await eth.send('eth_getBalance', [account, 'latest']);
          const viaSendCallback = await new Promise((resolve) => eth.send({ id: 8, jsonrpc: '2.0', method: 'eth_blockNumber', params: [] }, (error: unknown, response: unknown) => resolve({ error, response })));
          return { viaSendAsync, viaSendPromise, viaSendCallback, relays: (window as unknown as { relayMessages: number }).relayMessages };
        }, DEFAULT_ACCOUNT);
      const expected = async () => ({
        viaSendAsync: { error: null, response: { id: 7, jsonrpc: '2.0', result: await truth('eth_blockNumber') } },
        viaSendPromise: { jsonrpc: '2.0', result: await truth('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']) },
        viaSendCallback: { error: null, response: { id: 8, jsonrpc: '2.0', result: await truth('eth_blockNumber') } },
      });

      await walletRpc.setMode({ kind: 'healthy' });
      expect(await legacy()).toEqual({ ...(await expected()), relays: 0 });

      await walletRpc.setMode({ kind: 'http-error', status: 503 });
      // Each of the three reads relayed exactly once (not twice when the legacy API calls request()).
      expect(await legacy()).toEqual({ ...(await expected()), relays: 3 });
    } finally {
      await walletRpc.setMode({ kind: 'healthy' });
      await t.close();
    }
  });
}
