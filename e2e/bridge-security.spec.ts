/**
 * A hostile page tries to use Lifeline's bridge: fake relay messages, wallet-only methods, foreign
 * URLs, unknown chains, oversized payloads and floods. Each is refused, and nothing reaches the
 * network beyond the configured endpoints. Also: the per-site switch, and a provider that cannot
 * be guarded is reported instead of silently left unprotected.
 */
import { test, expect, type Page } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow } from './fixtures/dapp-server';
import { launchWithExtensions, type LaunchedBrowser } from './fixtures/browser';
import { launchWithMockWallet, DEFAULT_ACCOUNT, type LaunchedWithWallet } from './fixtures/mock-wallet/index';
import { configureLifeline, setSiteDisabled, walletHealth } from './fixtures/lifeline';

const CHAIN = 1337;
let node: EvmNode;
let dapp: DappServer;
let configured: RpcEndpoint;
let foreign: RpcEndpoint;
let walletRpc: RpcEndpoint;

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: CHAIN });
  configured = await startRpcEndpoint({ upstream: node.url, name: 'configured' });
  foreign = await startRpcEndpoint({ upstream: node.url, name: 'foreign' });
  walletRpc = await startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc', mode: { kind: 'http-error', status: 503 } });
  dapp = await startDappServer();
});
test.afterAll(async () => {
  await Promise.all([configured?.close(), foreign?.close(), walletRpc?.close(), dapp?.close()]);
  await node?.close();
});

interface RelayOutcome {
  id: string;
  ok: boolean;
  error?: { code: number; message: string };
  result?: unknown;
}

/** Posts raw messages into the page's window as a hostile script would, and collects the answers. */
function forge(page: Page, messages: unknown[], waitForIds: string[], timeoutMs = 10_000): Promise<RelayOutcome[]> {
  return page.evaluate(
    ({ messages, waitForIds, timeoutMs }) =>
      new Promise<RelayOutcome[]>((resolve) => {
        const answers = new Map<string, RelayOutcome>();
        const done = () => resolve(waitForIds.map((id) => answers.get(id) ?? { id, ok: false, error: { code: 0, message: 'no answer' } }));
        const timer = setTimeout(done, timeoutMs);
        window.addEventListener('message', (event) => {
          const d = event.data as { channel?: string; kind?: string; id?: string; ok?: boolean; error?: { code: number; message: string }; result?: unknown };
          if (d?.channel !== 'lifeline/v1' || d.kind !== 'relay-result' || typeof d.id !== 'string') return;
          answers.set(d.id, { id: d.id, ok: d.ok === true, ...(d.error ? { error: d.error } : {}), ...('result' in d ? { result: d.result } : {}) });
          if (waitForIds.every((id) => answers.has(id))) {
            clearTimeout(timer);
            done();
          }
        });
        for (const m of messages) window.postMessage(m, '*');
      }),
    { messages, waitForIds, timeoutMs },
  );
}

const relay = (id: string, fields: Record<string, unknown>) => ({ channel: 'lifeline/v1', kind: 'relay', id, wallet: { name: 'x' }, ...fields });

test.describe('a hostile page', () => {
  test.describe.configure({ mode: 'serial' });
  let browser: LaunchedBrowser;
  let page: Page;
  test.beforeAll(async () => {
    browser = await launchWithExtensions();
    await configureLifeline(browser.worker!, [{ chainId: CHAIN, url: configured.url, label: 'Configured' }]);
    page = await browser.context.newPage();
    await page.goto(dapp.pageUrl());
  });
  test.afterAll(async () => browser?.close());

  test('cannot reach the worker directly', async () => {
    expect(await page.evaluate(() => typeof (window as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe('undefined');
  });

  test('gets wallet-only methods, foreign URLs, unknown chains and oversized payloads refused', async () => {
    configured.clearRequests();
    foreign.clearRequests();
    const answers = await forge(
      page,
      [
        relay('sign', { chainId: CHAIN, method: 'eth_sendTransaction', params: [{ from: DEFAULT_ACCOUNT, to: DEFAULT_ACCOUNT }] }),
        relay('personal', { chainId: CHAIN, method: 'personal_sign', params: ['0x00', DEFAULT_ACCOUNT] }),
        relay('wallet', { chainId: CHAIN, method: 'wallet_addEthereumChain', params: [{ chainId: '0x1', rpcUrls: [foreign.url] }] }),
        relay('raw', { chainId: CHAIN, method: 'eth_sendRawTransaction', params: ['0x00'] }),
        relay('proto', { chainId: CHAIN, method: 'constructor', params: [] }),
        relay('unknown-chain', { chainId: 999_999, method: 'eth_blockNumber', params: [] }),
        relay('bad-chain', { chainId: '1; DROP', method: 'eth_blockNumber', params: [] }),
        relay('bad-params', { chainId: CHAIN, method: 'eth_getBalance', params: { 0: DEFAULT_ACCOUNT } }),
        relay('huge', { chainId: CHAIN, method: 'eth_call', params: [{ to: DEFAULT_ACCOUNT, data: `0x${'00'.repeat(70_000)}` }, 'latest'] }),
        // A read is fine, but the URL the page slips in is ignored: only configured endpoints are used.
        relay('with-url', { chainId: CHAIN, method: 'eth_getBalance', params: [DEFAULT_ACCOUNT, 'latest'], url: foreign.url, endpoint: foreign.url, rpcUrl: foreign.url }),
      ],
      ['sign', 'personal', 'wallet', 'raw', 'proto', 'unknown-chain', 'bad-chain', 'bad-params', 'huge', 'with-url'],
    );
    const byId = Object.fromEntries(answers.map((a) => [a.id, a]));
    for (const id of ['sign', 'personal', 'wallet', 'proto']) expect(byId[id]?.error?.code, id).toBe(-32601);
    // A signed-transaction broadcast is relayed (to configured endpoints only): junk bytes get the
    // node's own refusal back.
    expect(byId['raw']?.error?.code).toBe(-32000);
    expect(byId['unknown-chain']?.error?.message).toMatch(/no endpoints configured for chain 999999/);
    expect(byId['bad-chain']?.error?.code).toBe(-32600);
    expect(byId['bad-params']?.error?.code).toBe(-32602);
    expect(byId['huge']?.error?.code).toBe(-32005);
    expect(byId['with-url']).toMatchObject({ ok: true, result: await node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']) });
    expect(foreign.requests).toHaveLength(0);
    const methodsSent = configured.requests.flatMap((r) => r.rpcMethods);
    expect(methodsSent.filter((m) => !['eth_chainId', 'eth_blockNumber', 'eth_getBalance', 'eth_sendRawTransaction'].includes(m))).toEqual([]);
  });

  test('broadcasts have a budget of their own: a burst of them mostly never reaches an endpoint', async () => {
    configured.clearRequests();
    const ids = Array.from({ length: 20 }, (_, i) => `tx-${i}`);
    const answers = await forge(page, ids.map((id) => relay(id, { chainId: CHAIN, method: 'eth_sendRawTransaction', params: [`0x${id.length.toString(16).padStart(4, '0')}`] })), ids, 20_000);
    const refused = answers.filter((a) => a.error?.code === -32005 && /transactions broadcast/.test(a.error.message ?? ''));
    // RELAY_LIMITS.broadcastBurst (5), plus at most one refilled in the test's few seconds.
    expect(refused.length).toBeGreaterThanOrEqual(20 - 6);
    expect(configured.requestCount('eth_sendRawTransaction')).toBe(20 - refused.length);
  });

  test('a flood is cut off by the rate limit instead of reaching the endpoints', async () => {
    configured.clearRequests();
    const ids = Array.from({ length: 300 }, (_, i) => `flood-${i}`);
    const answers = await forge(page, ids.map((id) => relay(id, { chainId: CHAIN, method: 'eth_getBalance', params: [DEFAULT_ACCOUNT, 'latest'] })), ids, 20_000);
    const refused = answers.filter((a) => a.error?.code === -32005);
    expect(refused.length).toBeGreaterThan(200);
    expect(answers.filter((a) => a.ok).length + refused.length).toBe(300);
    expect(configured.requestCount('eth_getBalance')).toBeLessThanOrEqual(300 - refused.length);
  });

  test('messages without a valid id are dropped, not answered', async () => {
    const answers = await forge(page, [relay('', { chainId: CHAIN, method: 'eth_blockNumber', params: [] }), relay('x'.repeat(500), { chainId: CHAIN, method: 'eth_blockNumber', params: [] })], [''], 1_500);
    expect(answers[0]?.error?.message).toBe('no answer');
  });
});

test.describe('the per-site switch and unguardable providers', () => {
  let t: LaunchedWithWallet;
  test.beforeAll(async () => {
    t = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url }, order: 'after-lifeline' });
    await configureLifeline(t.browser.worker!, [{ chainId: CHAIN, url: configured.url, label: 'Configured' }]);
  });
  test.afterAll(async () => t?.close());

  test('a site switched off gets the wallet untouched, and protection returns when switched on', async () => {
    await setSiteDisabled(t.browser.worker!, dapp.origin, true);
    const page = await t.browser.context.newPage();
    await page.goto(dapp.pageUrl());
    configured.clearRequests();
    const off = await page.evaluate(() => (window as unknown as DappWindow).dapp.settle('viaInjected', ['eth_getBalance', ['0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1', 'latest']]));
    expect(off.ok).toBe(false);
    if (!off.ok) expect(off.error.message).toMatch(/503/);
    expect(configured.requestCount('eth_getBalance')).toBe(0);

    await setSiteDisabled(t.browser.worker!, dapp.origin, false);
    await page.reload();
    const on = await page.evaluate(() => (window as unknown as DappWindow).dapp.settle('viaInjected', ['eth_getBalance', ['0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1', 'latest']]));
    expect(on).toEqual({ ok: true, value: await node.request('eth_getBalance', [DEFAULT_ACCOUNT, 'latest']) });
    await page.close();
  });

  test('a frozen provider in a locked slot is reported as not protected', async () => {
    const page = await t.browser.context.newPage();
    const url = `${dapp.origin}/frozen-wallet.html`;
    await page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><script>
          const provider = Object.freeze({ isFrozenWallet: true, request: async () => '0x1' });
          Object.defineProperty(window, 'ethereum', { value: provider, configurable: false, writable: false });
        </script>`,
      }),
    );
    await page.goto(url);
    await expect
      .poll(async () => (await walletHealth(t.browser.worker!)).unguardable.find((u) => u.site === dapp.origin)?.reason ?? null, { timeout: 10_000 })
      .toMatch(/cannot be replaced/);
    // The page still works with its (unguarded) provider.
    expect(await page.evaluate(() => (window as unknown as { ethereum: { request(a: unknown): Promise<unknown> } }).ethereum.request({ method: 'eth_chainId' }))).toBe('0x1');
    await page.close();
  });
});
