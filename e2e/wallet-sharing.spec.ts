/**
 * What one tab learns about its wallet reaches the others at once — within the limits of who may
 * steer whose tabs (src/wallet/evidence.ts). Real Chromium, the mock wallet, fault endpoints.
 *
 * "Relayed at once" is shown without timing anything: the reading tab runs on Playwright's fake
 * clock, paused, so the guard's hedge timer (hundreds of ms of fake time) can never fire; a read
 * that is answered anyway was relayed without waiting for it.
 */
import { test, expect, type Page } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer } from './fixtures/dapp-server';
import { launchWithMockWallet, type LaunchedWithWallet, type MockWalletOptions } from './fixtures/mock-wallet/index';
import { askLifeline, configureLifeline, walletHealth } from './fixtures/lifeline';
import { HEALTHY_SERVICE_REPLIES, startServicesStandIn, type ServicesStandIn } from './fixtures/services-standin';
import type { PopupStatus } from '../extension/protocol/popup';

const CHAIN = 1337;
let node: EvmNode;
let dapp: DappServer;
let walletRpc: RpcEndpoint;
let fallback: RpcEndpoint;
let services: ServicesStandIn;

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: CHAIN });
  await node.mine(2);
  walletRpc = await startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc' });
  fallback = await startRpcEndpoint({ upstream: node.url, name: 'fallback' });
  dapp = await startDappServer();
  services = await startServicesStandIn(HEALTHY_SERVICE_REPLIES);
});

test.afterAll(async () => {
  await Promise.all([walletRpc?.close(), fallback?.close(), dapp?.close(), services?.close()]);
  await node?.close();
});

test.afterEach(async () => {
  await walletRpc.setMode({ kind: 'healthy' });
  services.replies.set('/rabby/v1/wallet/version', HEALTHY_SERVICE_REPLIES['/rabby/v1/wallet/version']!);
});

async function launch(options: MockWalletOptions = {}): Promise<LaunchedWithWallet> {
  const launched = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url }, ...options });
  await configureLifeline(launched.browser.worker!, [{ chainId: CHAIN, url: fallback.url, label: 'Fallback' }]);
  await services.pointLifelineAt(launched.browser.worker!);
  return launched;
}

/** A dApp tab that records every piece of wallet advice its guard is given. */
async function openTab(t: LaunchedWithWallet, { fakeClock = false, url = dapp.pageUrl() } = {}): Promise<Page> {
  const page = await t.browser.context.newPage();
  await page.addInitScript(() => {
    const seen: unknown[] = [];
    (window as unknown as { adviceSeen: unknown[] }).adviceSeen = seen;
    window.addEventListener('message', (event) => {
      const data = event.data as { kind?: string; wallets?: unknown } | null;
      if (data?.kind === 'wallet-advice') seen.push(data.wallets);
    });
  });
  if (fakeClock) await page.clock.install();
  await page.goto(url);
  if (fakeClock) await page.clock.pauseAt(Date.now() + 60_000);
  return page;
}

/** Whether the tab has been told that some wallet is failing on this chain (or every chain). */
const toldFailing = (page: Page) =>
  page.evaluate((chainId) => {
    const seen = (window as unknown as { adviceSeen: Array<Array<{ failing?: boolean; chainId?: number | null }>> }).adviceSeen;
    const latest = seen[seen.length - 1] ?? [];
    return latest.some((a) => a.failing === true && (a.chainId === chainId || a.chainId === null));
  }, CHAIN);

/** Starts eth_blockNumber through window.ethereum; `answer` reads how it settled (null: pending). */
async function startRead(page: Page): Promise<() => Promise<unknown>> {
  const key = await page.evaluate(() => {
    const w = window as unknown as { ethereum: { request(a: unknown): Promise<unknown> }; reads?: Record<string, unknown> };
    w.reads ??= {};
    const id = `r${Object.keys(w.reads).length}`;
    w.reads[id] = null;
    w.ethereum.request({ method: 'eth_blockNumber', params: [] }).then(
      (value) => (w.reads![id] = { value }),
      (error: { code?: number; message?: string }) => (w.reads![id] = { error: { code: error?.code, message: error?.message } }),
    );
    return id;
  });
  return () => page.evaluate((id) => (window as unknown as { reads: Record<string, unknown> }).reads[id] ?? null, key);
}

const blockNumber = async () => node.request<string>('eth_blockNumber');

/** Reads in tab `page` (real clock) until its guard relays them at once: the wallet is failing there. */
async function failInTab(page: Page): Promise<void> {
  await expect.poll(async () => {
    const answer = await startRead(page);
    await expect.poll(answer, { timeout: 15_000 }).not.toBeNull();
    return toldFailing(page);
  }, { timeout: 30_000, intervals: [100] }).toBe(true);
}

test('a tab opened while the wallet RPC hangs relays its first read at once', async () => {
  const t = await launch();
  try {
    const first = await openTab(t);
    await walletRpc.setMode({ kind: 'hang' });
    await failInTab(first);
    const before = walletRpc.requestCount('eth_blockNumber');
    const second = await openTab(t, { fakeClock: true });
    expect(await toldFailing(second)).toBe(true);
    const answer = await startRead(second);
    await second.clock.runFor(1); // the 0 ms "failing" delay, never the hedge
    await expect.poll(answer, { timeout: 10_000 }).toEqual({ value: await blockNumber() });
    // The wallet still got the read, exactly once: Lifeline relays beside it, never instead.
    await expect.poll(() => walletRpc.requestCount('eth_blockNumber'), { timeout: 10_000 }).toBe(before + 1);
  } finally {
    await t.close();
  }
});

test('a tab that was already open flips when another tab finds the wallet failing', async () => {
  const t = await launch();
  try {
    const waiting = await openTab(t, { fakeClock: true });
    const reading = await openTab(t);
    expect(await toldFailing(waiting)).toBe(false);
    await walletRpc.setMode({ kind: 'hang' });
    await failInTab(reading);
    await expect.poll(() => toldFailing(waiting), { timeout: 10_000 }).toBe(true);
    const answer = await startRead(waiting);
    await waiting.clock.runFor(1);
    await expect.poll(answer, { timeout: 10_000 }).toEqual({ value: await blockNumber() });
  } finally {
    await t.close();
  }
});

test('a slow wallet that answers is not declared failing: no relays, no advice, not failing in the popup', async () => {
  const t = await launch();
  try {
    const page = await openTab(t);
    await walletRpc.setMode({ kind: 'slow', ms: 500 });
    const relayedBefore = fallback.requestCount('eth_getBalance');
    for (let i = 0; i < 12; i++) {
      const balance = await page.evaluate((address) => (window as unknown as { ethereum: { request(a: unknown): Promise<unknown> } }).ethereum.request({ method: 'eth_getBalance', params: [address, 'latest'] }), node.accounts[0]!.address);
      expect(balance).toBe(await node.request('eth_getBalance', [node.accounts[0]!.address, 'latest']));
    }
    expect(fallback.requestCount('eth_getBalance')).toBe(relayedBefore);
    // The guard's reports have reached the worker (answered reads counted), and nothing says failing.
    await expect.poll(async () => (await walletHealth(t.browser.worker!)).wallets.find((w) => w.chainId === CHAIN)?.answered ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(12);
    expect(await toldFailing(page)).toBe(false);
    const popup = await t.browser.context.newPage();
    await popup.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
    const status = await askLifeline<PopupStatus>(popup, 'popupStatus');
    expect(status.wallets.find((w) => w.chainId === CHAIN)).toMatchObject({ failingSince: null });
    expect(status.wallets.find((w) => w.chainId === CHAIN)).not.toHaveProperty('unconfirmedSites');
  } finally {
    await t.close();
  }
});

test("Rabby's API down: a Rabby wallet's reads are relayed without waiting, on every site", async () => {
  const t = await launch({ injection: 'rabby', info: { name: 'Rabby Wallet', rdns: 'io.rabby' } });
  try {
    await walletRpc.setMode({ kind: 'hang' });
    services.replies.set('/rabby/v1/wallet/version', { status: 503, body: 'unavailable' });
    const popup = await t.browser.context.newPage();
    await popup.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
    await expect.poll(async () => (await askLifeline<PopupStatus>(popup, 'probeNow')).services.find((s) => s.id === 'rabby')?.state, { timeout: 15_000 }).toBe('down');
    const page = await openTab(t, { fakeClock: true });
    await expect.poll(() => toldFailing(page), { timeout: 10_000 }).toBe(true);
    const answer = await startRead(page);
    await page.clock.runFor(1);
    await expect.poll(answer, { timeout: 10_000 }).toEqual({ value: await blockNumber() });
  } finally {
    await t.close();
  }
});

test('a hostile page forging wallet failures and relay outcomes steers no other site and is not believed by the popup', async () => {
  const t = await launch();
  try {
    const victim = await openTab(t);
    const hostileUrl = dapp.pageUrl().replace('127.0.0.1', 'localhost');
    const hostile = await openTab(t, { url: hostileUrl });
    expect(new URL(hostileUrl).origin).not.toBe(new URL(dapp.pageUrl()).origin);
    // Exactly what a guard posts when its wallet fails, six times, plus made-up relay results.
    await hostile.evaluate((chainId) => {
      for (let i = 0; i < 6; i++) {
        window.postMessage({ channel: 'lifeline/v1', kind: 'wallet-report', wallet: { name: 'Mock Wallet', rdns: 'dev.lifeline.mockwallet' }, chainId, observation: { type: 'failed', method: 'eth_call', failure: 'no-answer', latencyMs: 1000, servedByLifeline: true } }, '*');
        window.postMessage({ channel: 'lifeline/v1', kind: 'relay-result', id: `forged:${i}`, ok: true, result: '0x1' }, '*');
        window.postMessage({ channel: 'lifeline/v1', kind: 'wallet-advice', wallets: [{ wallet: 'dev.lifeline.mockwallet', chainId, failing: true }] }, '*');
      }
    }, CHAIN);
    // The worker received them (its raw counters show six failures)…
    await expect.poll(async () => (await walletHealth(t.browser.worker!)).wallets.find((w) => w.chainId === CHAIN)?.failed ?? 0, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    // …and believes none of them beyond the hostile site: the victim is told nothing, the popup
    // says the reports are unconfirmed and its headline stays calm.
    const popup = await t.browser.context.newPage();
    await popup.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
    const status = await askLifeline<PopupStatus>(popup, 'popupStatus');
    expect(status.wallets.find((w) => w.chainId === CHAIN)).toMatchObject({ failingSince: null, unconfirmedSites: 1 });
    expect(status.line).not.toMatch(/failing/i);
    expect(await toldFailing(victim)).toBe(false);
    // The victim's wallet reads go to its wallet as usual: none is relayed.
    const relayedBefore = fallback.requestCount('eth_getBalance');
    const balance = await victim.evaluate((address) => (window as unknown as { ethereum: { request(a: unknown): Promise<unknown> } }).ethereum.request({ method: 'eth_getBalance', params: [address, 'latest'] }), node.accounts[0]!.address);
    expect(balance).toBe(await node.request('eth_getBalance', [node.accounts[0]!.address, 'latest']));
    expect(fallback.requestCount('eth_getBalance')).toBe(relayedBefore);
  } finally {
    await t.close();
  }
});
