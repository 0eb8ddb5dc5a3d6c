/**
 * Verified reads in real Chromium: the wallet's RPC is down and the first fallback in line lies
 * about balances and eth_call results. The dApp still gets the node's values, the popup shows the
 * liar marked and the proven-read counts; with verification off the lie reaches the dApp.
 */
import { test, expect, type Page } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow, type Settled } from './fixtures/dapp-server';
import { launchWithMockWallet, DEFAULT_ACCOUNT, type LaunchedWithWallet } from './fixtures/mock-wallet/index';
import { configureLifeline } from './fixtures/lifeline';
import { userEndpointId } from '../src/config/user-endpoints';
import { TOKEN_RUNTIME, balanceOfData, balanceSlot } from '../src/testing/token-contract';

const CHAIN = 1337;
const TOKEN = '0x0000000000000000000000000000000000070c3e';
const HELD = 424_242n;

let node: EvmNode;
let dapp: DappServer;
let walletRpc: RpcEndpoint;
let liar: RpcEndpoint;
let honestB: RpcEndpoint;
let honestC: RpcEndpoint;

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: CHAIN });
  await node.request('evm_setAccountCode', [TOKEN, TOKEN_RUNTIME]);
  await node.request('evm_setAccountStorageAt', [TOKEN, balanceSlot(DEFAULT_ACCOUNT), `0x${HELD.toString(16).padStart(64, '0')}`]);
  await node.mine(2);
  walletRpc = await startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc' });
  liar = await startRpcEndpoint({ upstream: node.url, name: 'liar', mode: { kind: 'lying', lie: 'balance-and-call' } });
  // The ranking follows latency: the honest ones answer clearly later (more than a loaded
  // machine's jitter between loopback endpoints), so the liar stays first in line.
  honestB = await startRpcEndpoint({ upstream: node.url, name: 'honest-b', mode: { kind: 'slow', ms: 200 } });
  honestC = await startRpcEndpoint({ upstream: node.url, name: 'honest-c', mode: { kind: 'slow', ms: 200 } });
  dapp = await startDappServer();
});

test.afterAll(async () => {
  await Promise.all([walletRpc?.close(), liar?.close(), honestB?.close(), honestC?.close(), dapp?.close()]);
  await node?.close();
});

const read = (page: Page, method: string, params: unknown[]) =>
  page.evaluate(([method, params]) => (window as unknown as DappWindow).dapp.settle('viaInjected', [method, params] as never) as Promise<Settled<unknown>>, [method, params] as const);

const configure = (t: LaunchedWithWallet, verification: 'off' | 'relayed') =>
  configureLifeline(
    t.browser.worker!,
    [
      { chainId: CHAIN, url: liar.url, label: 'Liar RPC' },
      { chainId: CHAIN, url: honestB.url, label: 'Honest B' },
      { chainId: CHAIN, url: honestC.url, label: 'Honest C' },
    ],
    // The liar is first in line.
    { order: { [CHAIN]: [liar.url, honestB.url, honestC.url] }, verification },
  );

test.describe('a lying fallback first in line', () => {
  test.describe.configure({ mode: 'serial' });
  let t: LaunchedWithWallet;
  let page: Page;
  const balanceCall = { to: TOKEN, data: balanceOfData(DEFAULT_ACCOUNT) };
  const heldWord = `0x${HELD.toString(16).padStart(64, '0')}`;

  test.beforeAll(async () => {
    t = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url } });
    await configure(t, 'relayed');
    page = await t.browser.context.newPage();
    await page.goto(dapp.pageUrl());
    await walletRpc.setMode({ kind: 'http-error', status: 503 });
  });
  test.afterAll(async () => {
    await walletRpc.setMode({ kind: 'healthy' });
    await t?.close();
  });

  test('verification on: the dApp gets the node\'s balance and eth_call result', async () => {
    const trueBalance = await node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
    await expect.poll(async () => read(page, 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest']), { timeout: 15_000 }).toEqual({ ok: true, value: trueBalance });
    // The liar was asked (it is first in line) and its proof failed.
    const asked = Object.fromEntries([liar, honestB, honestC].map((e) => [e.name, e.requests.flatMap((r) => r.rpcMethods).join(',')]));
    expect(liar.requestCount('eth_getProof'), JSON.stringify(asked)).toBeGreaterThan(0);
    expect(await read(page, 'eth_call', [balanceCall, 'latest'])).toEqual({ ok: true, value: heldWord });
  });

  test('the popup shows the liar marked and the proven reads, also after the worker stopped', async () => {
    // Chromium stops an idle worker within a minute: the bench must be in the stored snapshot
    // and come back with the worker, or the liar would be first in line again.
    const liarId = userEndpointId(CHAIN, liar.url);
    await expect
      .poll(() =>
        t.browser.worker!.evaluate(async ([chainId, id]) => {
          const stored = (await chrome.storage.session.get('engineSnapshot')).engineSnapshot as
            | { chains?: Record<string, { verification?: { failed?: { endpointId: string }[] } }> }
            | undefined;
          return stored?.chains?.[String(chainId)]?.verification?.failed?.some((m) => m.endpointId === id) ?? false;
        }, [CHAIN, liarId] as const),
      )
      .toBe(true);
    await t.browser.stopServiceWorkers();
    const popup = await t.browser.context.newPage();
    await popup.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
    const section = popup.getByTestId('verification');
    await expect(section).toBeVisible({ timeout: 10_000 });
    await expect(popup.getByTestId(`verification-failed-${userEndpointId(CHAIN, liar.url)}`)).toContainText('Liar RPC: answer failed verification (eth_getBalance');
    await expect(popup.getByTestId(`verification-counts-${CHAIN}`)).toContainText(/[1-9]\d* proven/);
    // Re-enabling lifts the mark.
    await popup.getByRole('button', { name: 'Re-enable Liar RPC' }).click();
    await expect(popup.getByTestId(`verification-failed-${userEndpointId(CHAIN, liar.url)}`)).toHaveCount(0);
    await popup.close();
    // The popup woke a new worker; later steps talk to that one.
    t.browser.worker = await t.browser.waitForWorker();
  });

  test('verification off: the lie reaches the dApp (the checks above can fail)', async () => {
    await configure(t, 'off');
    const trueBalance = (await node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest'])) as string;
    await expect
      .poll(async () => {
        const answer = await read(page, 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
        return answer.ok && answer.value !== trueBalance;
      }, { timeout: 15_000 })
      .toBe(true);
  });
});
