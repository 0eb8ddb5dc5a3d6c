/**
 * Lifeline in Firefox ESR, end to end: the same scenarios the Chromium suite covers at length,
 * once each on Firefox's own APIs (event page instead of service worker, Firefox's DNR and
 * webRequest, storage.session, its permission model). One browser for the whole file: a launch
 * costs seconds on this 2-core machine, the tests themselves little.
 */
import { test, expect } from '@playwright/test';
import type { Page } from 'puppeteer-core';
import { startEvmNode, type EvmNode } from '../e2e/fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from '../e2e/fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow, type FirstScriptSaw, type HttpCallResult, type Settled } from '../e2e/fixtures/dapp-server';
import { DEFAULT_ACCOUNT } from '../e2e/fixtures/mock-wallet/index';
import { launchFirefox, type LaunchedFirefox } from './fixtures/firefox';

const CHAIN = 1337;

let node: EvmNode;
let dapp: DappServer;
let walletRpc: RpcEndpoint;
let fallback: RpcEndpoint;
let pageRpc: RpcEndpoint;
let ff: LaunchedFirefox;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  node = await startEvmNode({ chainId: CHAIN });
  await node.mine(3);
  [walletRpc, fallback, pageRpc, dapp] = await Promise.all([
    startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc' }),
    startRpcEndpoint({ upstream: node.url, name: 'fallback' }),
    startRpcEndpoint({ upstream: node.url, name: 'page-rpc' }),
    startDappServer(),
  ]);
  ff = await launchFirefox({ wallet: { injection: 'rabby', chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url } } });
  const config = { version: 1, endpoints: [{ chainId: CHAIN, url: fallback.url, label: 'Fallback' }] };
  await ff.lifeline.evaluate(`browser.storage.local.set({ userConfig: ${JSON.stringify(config)} })`);
  page = await ff.newPage();
  await page.goto(dapp.pageUrl());
});

test.afterAll(async () => {
  await ff?.close();
  await Promise.all([walletRpc?.close(), fallback?.close(), pageRpc?.close(), dapp?.close()]);
  await node?.close();
});

const readViaWallet = (method: string, params: unknown[]) =>
  page.evaluate(
    (m, p) => (window as unknown as DappWindow).dapp.settle('viaInjected', [m, p]) as Promise<Settled<unknown>>,
    method,
    params,
  );

const readViaHttp = (url: string) =>
  page.evaluate(
    (u) => (window as unknown as DappWindow).dapp.settle('viaHttp', [u, 'eth_blockNumber', [], { timeoutMs: 10_000 }]) as Promise<Settled<HttpCallResult>>,
    url,
  );

test('the guard runs before the page and reads go to the healthy wallet, none relayed', async () => {
  const saw: FirstScriptSaw = await page.evaluate(() => (window as unknown as DappWindow).__firstScriptSaw);
  expect(saw).toEqual({ guard: true, ethereum: 'object' });
  const balance = await readViaWallet('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
  expect(balance).toEqual({ ok: true, value: await node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']) });
  expect(walletRpc.requestCount('eth_getBalance')).toBeGreaterThan(0);
  expect(fallback.requestCount('eth_getBalance')).toBe(0);
});

test("the wallet's RPC hangs: the read is relayed through Lifeline's background and answered", async () => {
  await walletRpc.setMode({ kind: 'hang' });
  const truth = await node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
  const balance = await readViaWallet('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
  expect(balance).toEqual({ ok: true, value: truth });
  expect(fallback.requestCount('eth_getBalance')).toBeGreaterThan(0);
  // The worker recorded the outage the popup will show.
  await expect
    .poll(async () => (await ff.lifeline.evaluate<{ entries?: Array<{ servedByLifeline: number }> } | null>(`(await browser.storage.session.get('walletHealth')).walletHealth`))?.entries?.[0]?.servedByLifeline ?? 0)
    .toBeGreaterThan(0);
});

test('the background is terminated mid-outage: it starts again with its state, and the next read still fails over', async () => {
  const before = await ff.lifeline.evaluate<unknown>(`(await browser.storage.session.get('walletHealth')).walletHealth`);
  await ff.lifeline.terminateBackground();
  const relayedBefore = fallback.requestCount('eth_getBalance');
  const balance = await readViaWallet('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
  expect(balance).toEqual({ ok: true, value: await node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']) });
  expect(fallback.requestCount('eth_getBalance')).toBeGreaterThan(relayedBefore);
  // Served reads counted before the stop plus the one just relayed: the restarted background
  // started from its stored state, not from nothing.
  const served = async () =>
    (await ff.lifeline.evaluate<{ entries: Array<{ servedByLifeline: number }> }>(`(await browser.storage.session.get('walletHealth')).walletHealth`)).entries[0]!.servedByLifeline;
  await expect.poll(served).toBeGreaterThan((before as { entries: Array<{ servedByLifeline: number }> }).entries[0]!.servedByLifeline);
});

test("the popup's health view renders in a tab of the add-on and names the wallet's outage", async () => {
  const popup = await ff.lifeline.openPage('extension/popup/index.html');
  await expect.poll(() => popup.evaluate<string>('document.body.innerText'), { timeout: 15_000 }).toMatch(/Rabby Wallet \(mock\)/);
  const text = await popup.evaluate<string>('document.body.innerText');
  expect(text).toMatch(/^Lifeline/);
  expect(text).toMatch(/Running v\d+\.\d+\.\d+/);
});

test("a dApp's own RPC URL dies: Lifeline redirects it and the page's reads are answered by the fallback", async () => {
  test.setTimeout(90_000);
  await walletRpc.setMode({ kind: 'healthy' });
  const url = `${pageRpc.url}v3/firefox`;
  // Warm up: Lifeline learns the host and its chain from the page's own traffic.
  for (let i = 0; i < 4; i++) expect(await readViaHttp(url)).toMatchObject({ ok: true, value: { status: 200, redirected: false } });
  await pageRpc.setMode({ kind: 'http-error', status: 503 });
  const expected = `0x${(await node.blockNumber()).toString(16)}`;
  await expect
    .poll(async () => {
      const read = await readViaHttp(url);
      return read.ok ? { redirected: read.value.redirected, result: (read.value.body as { result?: string } | null)?.result } : read.error.message;
    }, { timeout: 60_000 })
    .toEqual({ redirected: true, result: expected });
  const rules = await ff.lifeline.evaluate<Array<{ action: { redirect?: { url?: string } } }>>('browser.declarativeNetRequest.getDynamicRules()');
  expect(rules.map((r) => r.action.redirect?.url)).toContain(fallback.url);
});

// Last: it takes Lifeline's access to websites away for the rest of this browser's life.
test('host access withheld (Firefox lets the user revoke it): the popup asks for it and says why', async () => {
  const granted = () => ff.lifeline.evaluate<boolean>(`browser.permissions.contains({ origins: ['<all_urls>'] })`);
  expect(await granted()).toBe(true);
  const popup = await ff.lifeline.openPage('extension/popup/index.html');
  await expect.poll(() => popup.evaluate<string>('document.body.innerText')).toMatch(/Running v/);
  expect(await popup.evaluate<boolean>(`document.querySelector('[data-testid="host-permission"]') !== null`)).toBe(false);

  await ff.lifeline.evaluate(`browser.permissions.remove({ origins: ['<all_urls>'] })`);
  expect(await granted()).toBe(false);
  // The open popup notices the change by itself.
  await expect
    .poll(() => popup.evaluate<string>(`document.querySelector('[data-testid="host-permission"]')?.innerText ?? ''`))
    .toMatch(/needs access to websites[\s\S]*cannot keep your wallet's reads working[\s\S]*Allow access to websites/);
});
