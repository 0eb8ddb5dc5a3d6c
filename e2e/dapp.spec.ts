// The test dApp page in a real Chromium: cross-origin JSON-RPC fetches against fault endpoints
// (baseline browser, no extensions), and proof that Lifeline's MAIN-world script runs before the
// page's first inline script, in the top frame and in a child frame.
import { test, expect, type Page } from '@playwright/test';
import { launchWithExtensions, type LaunchedBrowser } from './fixtures/browser';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow, type FirstScriptSaw } from './fixtures/dapp-server';

let dapp: DappServer;
test.beforeAll(async () => {
  dapp = await startDappServer();
});
test.afterAll(async () => {
  await dapp?.close();
});

const firstScriptSaw = (page: Page) => page.evaluate(() => (window as unknown as DappWindow).__firstScriptSaw);

// Each group runs in one worker (one browser launch per group, the two groups in parallel):
// a browser launch costs seconds on this 2-core machine, the tests themselves milliseconds.
test.describe('dApp page without extensions', () => {
  test.describe.configure({ mode: 'default' });
  let node: EvmNode;
  let browser: LaunchedBrowser;
  let endpoint: RpcEndpoint;
  let page: Page;
  test.beforeAll(async () => {
    [browser, node] = await Promise.all([launchWithExtensions({ withLifeline: false }), startEvmNode({ chainId: 1337 })]);
    endpoint = await startRpcEndpoint({ upstream: node.url });
    page = await browser.context.newPage();
    await page.goto(dapp.url);
  });
  test.afterAll(async () => {
    await Promise.all([browser?.close(), endpoint?.close(), node?.close()]);
  });
  test.beforeEach(async () => {
    await endpoint.setMode({ kind: 'healthy' });
    endpoint.clearRequests();
  });

  test('baseline: no guard marker, no window.ethereum', async () => {
    const baseline: FirstScriptSaw = { guard: false, ethereum: 'undefined' };
    expect(await firstScriptSaw(page)).toEqual(baseline);
    expect(await page.evaluate(() => (window as unknown as DappWindow).dapp.providers())).toEqual([]);
  });

  test('viaHttp reaches a healthy endpoint after a CORS preflight', async () => {
    const answer = await page.evaluate((url) => (window as unknown as DappWindow).dapp.viaHttp(url, 'eth_chainId'), endpoint.url);
    expect(answer).toMatchObject({ status: 200, redirected: false, body: { result: '0x539' } });
    // The preflight really happened and came from the dApp's origin.
    expect(endpoint.requests.map((r) => [r.httpMethod, r.origin])).toEqual([
      ['OPTIONS', dapp.origin],
      ['POST', dapp.origin],
    ]);
    const batch = await page.evaluate(
      (url) => (window as unknown as DappWindow).dapp.viaHttp(url, [{ method: 'eth_chainId' }, { method: 'net_version' }]),
      endpoint.url,
    );
    expect((batch.body as Array<{ result: string }>).map((a) => a.result).sort()).toEqual(['0x539', '1337']);
  });

  test('viaHttp sees the 503 status of a failing endpoint', async () => {
    await endpoint.setMode({ kind: 'http-error', status: 503 });
    const answer = await page.evaluate((url) => (window as unknown as DappWindow).dapp.viaHttp(url, 'eth_blockNumber'), endpoint.url);
    expect(answer.status).toBe(503);
    expect(answer.body).toBeNull();
  });

  test('viaHttp against a hanging endpoint is aborted by its timeout', async () => {
    await endpoint.setMode({ kind: 'hang' });
    const settled = await page.evaluate(
      (url) => (window as unknown as DappWindow).dapp.settle('viaHttp', [url, 'eth_blockNumber', [], { timeoutMs: 400 }]),
      endpoint.url,
    );
    expect(settled).toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
  });

  test('network-level failures reject like a real fetch (refused, CORS-less HTML page)', async () => {
    const viaHttp = (url: string) => page.evaluate((u) => (window as unknown as DappWindow).dapp.settle('viaHttp', [u, 'eth_chainId']), url);
    await endpoint.setMode({ kind: 'html-error', cors: false });
    expect(await viaHttp(endpoint.url)).toMatchObject({ ok: false, error: { name: 'TypeError' } });
    await endpoint.setMode({ kind: 'refuse' });
    expect(await viaHttp(endpoint.url)).toMatchObject({ ok: false, error: { name: 'TypeError' } });
    await endpoint.setMode({ kind: 'healthy' });
    expect(await viaHttp(endpoint.url)).toMatchObject({ ok: true, value: { status: 200 } });
  });

  test('viaInjected, viaEip6963 and providers() talk to injected / announced providers', async () => {
    const fakePage = await browser.context.newPage();
    // A minimal stand-in wallet (the real mock wallet is another fixture): injected + EIP-6963.
    await fakePage.addInitScript(() => {
      const make = (chainId: string) => ({
        request: async ({ method }: { method: string }) => {
          if (method === 'eth_chainId') return chainId;
          throw Object.assign(new Error('unsupported'), { code: 4200 });
        },
      });
      (window as unknown as { ethereum: unknown }).ethereum = make('0x1');
      const announce = () => {
        for (const [rdns, chainId] of [['test.first', '0xa'], ['test.second', '0x89']] as const) {
          const info = { uuid: `uuid-${rdns}`, name: rdns, icon: 'data:image/svg+xml,<svg/>', rdns };
          window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail: Object.freeze({ info, provider: make(chainId) }) }));
        }
      };
      window.addEventListener('eip6963:requestProvider', announce);
    });
    await fakePage.goto(dapp.url);
    const results = await fakePage.evaluate(async () => {
      const d = (window as unknown as DappWindow).dapp;
      return {
        injected: await d.viaInjected('eth_chainId'),
        first: await d.viaEip6963('eth_chainId'),
        second: await d.viaEip6963('eth_chainId', [], 'test.second'),
        rdns: d.providers().map((p) => p.rdns),
        failure: await d.settle('viaInjected', ['eth_foo']),
        missing: await d.settle('viaEip6963', ['eth_chainId', [], 'test.none', 100]),
      };
    });
    expect(results).toMatchObject({
      injected: '0x1',
      first: '0xa',
      second: '0x89',
      rdns: ['test.first', 'test.second'],
      failure: { ok: false, error: { code: 4200, message: 'unsupported' } },
      missing: { ok: false, error: { message: /no EIP-6963 provider with rdns test.none/ } },
    });
    await fakePage.close();
  });

  test('the visible status reads chain and block through ?rpc=', async () => {
    const statusPage = await browser.context.newPage();
    await statusPage.goto(dapp.pageUrl({ rpc: endpoint.url }));
    await statusPage.getByRole('button', { name: 'Refresh' }).click();
    await expect(statusPage.getByTestId('chain')).toHaveText('1337 (0x539)');
    await expect(statusPage.getByTestId('block')).toHaveText(String(await node.blockNumber()));
    await expect(statusPage.getByTestId('status')).toHaveText(/^ok at /);
    await statusPage.close();
  });
});

test.describe('dApp page with Lifeline', () => {
  test.describe.configure({ mode: 'default' });
  let browser: LaunchedBrowser;
  test.beforeAll(async () => {
    browser = await launchWithExtensions();
  });
  test.afterAll(async () => {
    await browser?.close();
  });

  test("Lifeline's guard runs before the page's first inline script, in the top frame and the iframe", async () => {
    const page = await browser.context.newPage();
    await page.goto(dapp.url);
    expect((await firstScriptSaw(page)).guard).toBe(true);
    const child = page.frame({ url: /\/iframe\.html$/ });
    expect(child, 'child frame loaded').toBeTruthy();
    const childSaw = await child!.evaluate(() => (window as unknown as DappWindow).__firstScriptSaw);
    expect(childSaw.guard).toBe(true);
    await page.close();
  });
});
