/**
 * MetaMask's legacy API (sendAsync, send in its three forms, enable) and its events (connect,
 * accountsChanged, chainChanged), from MetaMask's own provider package, are the same with Lifeline
 * loaded as without it; and its legacy single reads survive the wallet's RPC going down.
 */
import { test, expect, type Page } from '@playwright/test';
import { launchWithMockWallet, emitWalletEvent, walletLog, DEFAULT_ACCOUNT, type LaunchedWithWallet } from './fixtures/mock-wallet/index';
import { configureLifeline } from './fixtures/lifeline';
import { clientPageUrl, openClientPage, providerEvents, startClientWorld, CLIENT_CHAIN, type ClientWorld } from './fixtures/client-pages';

let world: ClientWorld;
test.beforeAll(async () => {
  world = await startClientWorld();
});
test.afterAll(async () => {
  await world?.close();
});

async function launch(withLifeline: boolean): Promise<LaunchedWithWallet> {
  const launched = await launchWithMockWallet(
    { provider: 'metamask', order: withLifeline ? 'before-lifeline' : undefined, chainId: CLIENT_CHAIN, rpcUrls: { [CLIENT_CHAIN]: world.walletRpc.url } },
    { withLifeline },
  );
  if (withLifeline) {
    await configureLifeline(launched.browser.worker!, world.fallbacks.map((f) => ({ chainId: CLIENT_CHAIN, url: f.url })));
  }
  return launched;
}

/** Every legacy call form once, as old dApps make them; errors reduced to code and message. */
function legacyTranscript(page: Page, account: string) {
  return page.evaluate(async (account) => {
    type Callback = (error: unknown, response: unknown) => void;
    const eth = (window as unknown as { ethereum: Record<string, (...args: unknown[]) => unknown> & { selectedAddress: unknown; chainId: unknown; networkVersion: unknown } }).ethereum;
    const brief = (e: unknown) => (e ? { code: (e as { code?: unknown }).code, message: (e as { message?: unknown }).message } : null);
    const viaCallback = (call: (done: Callback) => void) => new Promise((resolve) => call((error, response) => resolve({ error: brief(error), response })));
    return {
      sendAsync: await viaCallback((done) => eth.sendAsync!({ id: 7, jsonrpc: '2.0', method: 'eth_blockNumber', params: [] }, done)),
      sendAsyncBatch: await viaCallback((done) =>
        eth.sendAsync!([{ id: 8, jsonrpc: '2.0', method: 'eth_chainId', params: [] }, { id: 9, jsonrpc: '2.0', method: 'eth_getBalance', params: [account, 'latest'] }], done),
      ),
      sendMethodParams: await (eth.send!('eth_getBalance', [account, 'latest']) as Promise<unknown>),
      sendPayloadCallback: await viaCallback((done) => eth.send!({ id: 10, jsonrpc: '2.0', method: 'eth_blockNumber', params: [] }, done)),
      sendSync: eth.send!({ id: 11, jsonrpc: '2.0', method: 'net_version' }),
      accountsBeforeEnable: eth.selectedAddress,
      enable: await (eth.enable!() as Promise<unknown>),
      selectedAddress: eth.selectedAddress,
      chainId: eth.chainId,
      networkVersion: eth.networkVersion,
      isConnected: eth.isConnected!(),
      isMetaMask: (eth as unknown as { isMetaMask: unknown }).isMetaMask,
      requestKind: (eth.request as unknown as { constructor: { name: string } }).constructor.name,
    };
  }, account);
}

async function transcript(withLifeline: boolean) {
  const t = await launch(withLifeline);
  try {
    const page = await t.browser.context.newPage();
    await openClientPage(page, clientPageUrl(world, 'viem'));
    const calls = await legacyTranscript(page, DEFAULT_ACCOUNT);
    await emitWalletEvent(t.walletWorker, 'chainChanged', '0x1');
    await expect.poll(() => page.evaluate(() => (window as unknown as { ethereum: { chainId: string } }).ethereum.chainId)).toBe('0x1');
    const events = await providerEvents(page);
    const log = (await walletLog(t.walletWorker)).map((e) => e.method);
    return { calls, events, log };
  } finally {
    await t.close();
  }
}

test('MetaMask provider: legacy calls and events are the same with Lifeline as without', async () => {
  test.setTimeout(60_000);
  const without = await transcript(false);
  const withLifeline = await transcript(true);
  expect(withLifeline).toEqual(without);
  // And they are what MetaMask's provider documents (so the comparison is not of two failures).
  const head = `0x${(await world.node.blockNumber()).toString(16)}`;
  expect(without.calls.sendAsync).toEqual({ error: null, response: { id: 7, jsonrpc: '2.0', result: head } });
  expect(without.calls.sendSync).toEqual({ id: 11, jsonrpc: '2.0', result: String(CLIENT_CHAIN) });
  expect(without.calls.enable).toEqual([DEFAULT_ACCOUNT]);
  expect(without.calls.requestKind).toBe('AsyncFunction');
  expect(without.events.map((e) => e.event)).toEqual(['connect', 'accountsChanged', 'chainChanged']);
  expect(without.events[0]!.data).toEqual({ chainId: `0x${CLIENT_CHAIN.toString(16)}` });
  expect(without.log.filter((m) => m === 'eth_requestAccounts')).toHaveLength(1);
});

test('MetaMask provider: legacy single reads (sendAsync, send) return the node’s values while the wallet RPC hangs', async () => {
  test.setTimeout(60_000);
  const t = await launch(true);
  try {
    const page = await t.browser.context.newPage();
    await openClientPage(page, clientPageUrl(world, 'viem'));
    await world.walletRpc.setMode({ kind: 'hang' });
    const head = `0x${(await world.node.mine(1)).toString(16)}`;
    const balance = await world.node.request<string>('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
    const answers = await page.evaluate(async (account) => {
      const eth = (window as unknown as { ethereum: Record<string, (...args: unknown[]) => unknown> }).ethereum;
      const viaSendAsync = await new Promise((resolve) => eth.sendAsync!({ id: 1, jsonrpc: '2.0', method: 'eth_blockNumber', params: [] }, (_e: unknown, r: unknown) => resolve(r)));
      const viaSend = await (eth.send!('eth_getBalance', [account, 'latest']) as Promise<unknown>);
      return { viaSendAsync, viaSend };
    }, DEFAULT_ACCOUNT);
    expect(answers.viaSendAsync).toEqual({ id: 1, jsonrpc: '2.0', result: head });
    expect(answers.viaSend).toMatchObject({ result: balance });
  } finally {
    await world.walletRpc.setMode({ kind: 'healthy' });
    world.walletRpc.dropHung();
    await t.close();
  }
});
