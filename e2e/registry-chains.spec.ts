/**
 * The 60-chain registry in real Chromium: a wallet on a chain the first registry did not cover
 * (Linea) fails over, with that chain's defaults replaced by local endpoints; a wallet on a chain
 * with no defaults is reported as such in the worker's status and can be given an endpoint from
 * the options page (after its live eth_chainId check), which then serves its failed reads.
 */
import { test, expect, type Page } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow, type Settled } from './fixtures/dapp-server';
import { launchWithMockWallet, DEFAULT_ACCOUNT, type LaunchedWithWallet } from './fixtures/mock-wallet/index';
import { askLifeline, configureLifeline } from './fixtures/lifeline';
import { defaultEndpointsForChain, hasDefaults } from '../src/registry/defaults';
import type { PopupStatus } from '../src/status/view';

const LINEA = 59144;
/** Ronin: a real chain Lifeline ships no defaults for. */
const NO_DEFAULTS = 2020;

let dapp: DappServer;
test.beforeAll(async () => {
  dapp = await startDappServer();
});
test.afterAll(async () => {
  await dapp?.close();
});

const read = (page: Page, method: string, params: unknown[] = []) =>
  page.evaluate(([method, params]) => (window as unknown as DappWindow).dapp.settle('viaInjected', [method, params] as never) as Promise<Settled<unknown>>, [method, params] as const);

interface ChainWorld {
  node: EvmNode;
  walletRpc: RpcEndpoint;
  fallback: RpcEndpoint;
  close(): Promise<void>;
}

async function chainWorld(chainId: number): Promise<ChainWorld> {
  const node = await startEvmNode({ chainId });
  const [walletRpc, fallback] = await Promise.all([
    startRpcEndpoint({ upstream: node.url, name: `wallet-rpc-${chainId}` }),
    startRpcEndpoint({ upstream: node.url, name: `fallback-${chainId}` }),
  ]);
  return { node, walletRpc, fallback, close: async () => { await Promise.all([walletRpc.close(), fallback.close()]); await node.close(); } };
}

test.describe('a wallet on a newly covered chain', () => {
  let world: ChainWorld;
  let t: LaunchedWithWallet;
  test.beforeAll(async () => {
    expect(hasDefaults(LINEA)).toBe(true);
    world = await chainWorld(LINEA);
    t = await launchWithMockWallet({ chainId: LINEA, rpcUrls: { [LINEA]: world.walletRpc.url } });
  });
  test.afterAll(async () => {
    await t?.close();
    await world?.close();
  });

  test("fails over to local endpoints that replace the registry's defaults for Linea", async () => {
    const defaults = defaultEndpointsForChain(LINEA).map((e) => e.id);
    expect(defaults.length).toBeGreaterThanOrEqual(3);
    await configureLifeline(t.browser.worker!, [{ chainId: LINEA, url: world.fallback.url, label: 'Local Linea' }], { disabledEndpoints: defaults });
    const page = await t.browser.context.newPage();
    await page.goto(dapp.pageUrl());
    const truth = await world.node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
    expect(await read(page, 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest'])).toEqual({ ok: true, value: truth });

    await world.walletRpc.setMode({ kind: 'http-error', status: 503 });
    await expect.poll(() => read(page, 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest'])).toEqual({ ok: true, value: truth });
    expect(world.fallback.requestCount('eth_getBalance')).toBeGreaterThan(0);

    // The worker names the chain from the registry, knows it has defaults, and lists only the local endpoint as on.
    const popup = await t.browser.openPopup();
    await expect.poll(async () => (await askLifeline<PopupStatus>(popup, 'popupStatus')).chains.find((c) => c.chainId === LINEA)).toMatchObject({
      name: 'Linea Mainnet',
      hasDefaults: true,
      endpoints: [expect.objectContaining({ label: 'Local Linea', source: 'user' })],
    });
  });
});

test.describe('a wallet on a chain without defaults', () => {
  let world: ChainWorld;
  let t: LaunchedWithWallet;
  test.beforeAll(async () => {
    expect(hasDefaults(NO_DEFAULTS)).toBe(false);
    world = await chainWorld(NO_DEFAULTS);
    t = await launchWithMockWallet({ chainId: NO_DEFAULTS, rpcUrls: { [NO_DEFAULTS]: world.walletRpc.url } });
  });
  test.afterAll(async () => {
    await t?.close();
    await world?.close();
  });

  test('is reported with no fallback, and an endpoint added on the options page serves its failed reads', async () => {
    const page = await t.browser.context.newPage();
    await page.goto(dapp.pageUrl());
    const truth = await world.node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']);
    expect(await read(page, 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest'])).toEqual({ ok: true, value: truth });

    // The guard's reports put the chain in use: the status shows it, without defaults or endpoints.
    const popup = await t.browser.openPopup();
    const chain = async () => (await askLifeline<PopupStatus>(popup, 'popupStatus')).chains.find((c) => c.chainId === NO_DEFAULTS);
    await expect.poll(chain).toMatchObject({ name: `Chain ${NO_DEFAULTS}`, hasDefaults: false, endpoints: [] });

    const options = await t.browser.openOptions();
    const form = options.getByRole('region', { name: 'Add an endpoint' });
    await form.getByLabel('Chain id').fill(String(NO_DEFAULTS));
    await form.getByLabel('URL').fill(world.fallback.url);
    await form.getByLabel('Label').fill('My Ronin node');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await expect(options.getByTestId('chain-2020').getByTestId('endpoint').first()).toContainText('My Ronin node');
    // The live check asked the endpoint for its chain before saving it.
    expect(world.fallback.requestCount('eth_chainId')).toBeGreaterThan(0);

    await world.walletRpc.setMode({ kind: 'http-error', status: 503 });
    await expect.poll(() => read(page, 'eth_getBalance', [DEFAULT_ACCOUNT, 'latest'])).toEqual({ ok: true, value: truth });
    expect(world.fallback.requestCount('eth_getBalance')).toBeGreaterThan(0);
    await expect.poll(chain).toMatchObject({ hasDefaults: false, endpoints: [expect.objectContaining({ label: 'My Ronin node' })] });
  });
});
