// The mock wallet fixture itself (e2e/fixtures/mock-wallet): injection styles, EIP-6963, reads made by
// the wallet's own worker, error shapes, recorded wallet-only calls, chain switching and id ordering.
// Chromium runs with only the mock wallet(s) loaded, never Lifeline.
import { test, expect, type Page } from '@playwright/test';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  assertExtensionOrder,
  clearWalletLog,
  createMockWallet,
  DEFAULT_ACCOUNT,
  emitWalletEvent,
  extensionIdFromKey,
  fakeSignature,
  fakeTxHash,
  ID_AFTER_LIFELINE,
  ID_BEFORE_LIFELINE,
  KEY_AFTER_LIFELINE,
  KEY_BEFORE_LIFELINE,
  launchWithMockWallet,
  setWalletRpc,
  unpackedExtensionId,
  walletLog,
  walletRpcLog,
  walletState,
  walletWorker,
  type LaunchedWithWallet,
  type MockWalletOptions,
} from './fixtures/mock-wallet/index';
import { launchWithExtensions } from './fixtures/browser';

// ---- a tiny page and a tiny JSON-RPC endpoint, per Playwright worker -------------------------------

// The first inline script records what the page sees before any of its own code could run, collects
// EIP-6963 announcements and asks for them (the wallet's own first announcement precedes this script).
const PAGE_HTML = `<!doctype html><html><head><title>mock wallet test</title><script>
  window.__first = { hasEthereum: 'ethereum' in window, hasRequest: !!(window.ethereum && typeof window.ethereum.request === 'function') };
  window.__announced = [];
  window.__events = [];
  window.addEventListener('eip6963:announceProvider', (e) => window.__announced.push(e.detail));
  window.addEventListener('ethereum#initialized', () => { window.__initializedAt = document.readyState; });
  document.addEventListener('DOMContentLoaded', () => { window.__atDomContentLoaded = { hasEthereum: 'ethereum' in window }; });
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  window.__provider = () => window.ethereum || (window.__announced[window.__announced.length - 1] || {}).provider;
  window.__listen = (name) => window.__provider().on(name, (data) => window.__events.push({ name, data: data && data.code !== undefined ? { code: data.code, message: data.message } : data }));
</script></head><body><p>mock wallet test page</p></body></html>`;

const REVERT_DATA =
  '0x08c379a00000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000463616e7400000000000000000000000000000000000000000000000000000000';

interface RpcHit {
  path: string;
  method: string;
  params: unknown;
}

let pageServer: Server;
let rpcServer: Server;
let pageUrl: string;
let rpcBase: string;
let deadUrl: string;
const rpcHits: RpcHit[] = [];

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
  });

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

test.beforeAll(async () => {
  pageServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(PAGE_HTML);
  });
  pageUrl = `http://127.0.0.1:${await listen(pageServer)}/`;

  // Path picks the behaviour: /ok?bn=0x.. (eth_blockNumber answers bn, eth_call reverts), /503, /hang, /html.
  rpcServer = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const body = await readBody(req);
    let msg: { id?: unknown; method?: string; params?: unknown };
    try {
      msg = JSON.parse(body) as typeof msg;
    } catch {
      return void res.writeHead(400, cors).end();
    }
    rpcHits.push({ path: url.pathname, method: String(msg.method), params: msg.params });
    const reply = (payload: object) => {
      res.writeHead(200, { ...cors, 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...payload }));
    };
    switch (url.pathname) {
      case '/503':
        return void res.writeHead(503, { ...cors, 'content-type': 'text/plain' }).end('Service Unavailable');
      case '/hang':
        return; // never answers; closeAllConnections() ends it at teardown
      case '/html':
        return void res.writeHead(200, { ...cors, 'content-type': 'text/html' }).end('<html><body>Bad gateway</body></html>');
    }
    if (msg.method === 'eth_blockNumber') return reply({ result: url.searchParams.get('bn') ?? '0x10' });
    if (msg.method === 'eth_call') return reply({ error: { code: 3, message: 'execution reverted: cant', data: REVERT_DATA } });
    return reply({ error: { code: -32601, message: 'the method does not exist' } });
  });
  rpcBase = `http://127.0.0.1:${await listen(rpcServer)}`;

  const closed = createServer();
  deadUrl = `http://127.0.0.1:${await listen(closed)}/`;
  await new Promise((resolve) => closed.close(resolve));
});

test.afterAll(async () => {
  for (const server of [pageServer, rpcServer]) {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  }
});

// ---- helpers --------------------------------------------------------------------------------------

type Outcome = { result?: unknown; error?: { code: unknown; message: string; data: unknown; isError: boolean } };

/** provider.request from the page (window.ethereum, or the last EIP-6963 provider). */
function request(page: Page, method: string, params?: unknown): Promise<Outcome> {
  return page.evaluate(
    async ([m, p]) => {
      const provider = (window as unknown as { __provider(): { request(a: object): Promise<unknown> } }).__provider();
      try {
        return { result: await provider.request(p === undefined ? { method: m } : { method: m, params: p }) };
      } catch (e) {
        const err = e as { code: unknown; message: string; data: unknown };
        return { error: { code: err.code, message: err.message, data: err.data, isError: e instanceof Error } };
      }
    },
    [method, params] as [string, unknown],
  );
}

const events = (page: Page) => page.evaluate(() => (window as unknown as { __events: { name: string; data: unknown }[] }).__events);

async function launch(options: MockWalletOptions): Promise<LaunchedWithWallet & { page: Page; pageRequests: string[] }> {
  const launched = await launchWithMockWallet(options, { withLifeline: false });
  const page = await launched.browser.context.newPage();
  const pageRequests: string[] = [];
  page.on('request', (r) => pageRequests.push(r.url()));
  await page.goto(pageUrl);
  return { ...launched, page, pageRequests };
}

let current: LaunchedWithWallet | undefined;
test.beforeEach(() => {
  rpcHits.length = 0;
});
test.afterEach(async () => {
  await current?.close();
  current = undefined;
});

// ---- injection styles -----------------------------------------------------------------------------

test.describe('injection styles', () => {
  for (const injection of ['assign', 'define-configurable', 'rabby', 'rabby-router', 'eip6963-only'] as const) {
    test(`${injection}: provider where expected at document_start, EIP-6963 announce and re-announce`, async () => {
      const t = await launch({ injection, rpcUrls: { 1: `${rpcBase}/ok` } });
      current = t;
      const { page, wallet } = t;

      const seen = await page.evaluate(() => {
        const w = window as unknown as Record<string, any>;
        const d = Object.getOwnPropertyDescriptor(window, 'ethereum');
        const r = Object.getOwnPropertyDescriptor(window, 'rabby');
        const announcedInfo = w.__announced.map((a: { info: object }) => a.info);
        const announcedProvider = w.__announced[0]?.provider;
        w.dispatchEvent(new Event('eip6963:requestProvider'));
        return {
          first: w.__first,
          descriptor: d && { configurable: d.configurable, enumerable: d.enumerable, writable: d.writable, hasGet: !!d.get, hasSet: !!d.set },
          rabby: r && { configurable: r.configurable, writable: r.writable, sameAsEthereum: r.value === w.ethereum },
          announcedInfo,
          announcedIsEthereum: announcedProvider === w.ethereum,
          reannounced: w.__announced.length,
          flags: { isMetaMask: announcedProvider?.isMetaMask, isRabby: announcedProvider?.isRabby },
          detailFrozen: Object.isFrozen(w.__announced[0]),
        };
      });

      // EIP-6963: one announcement caught by the first script's requestProvider, one more on demand.
      expect(seen.announcedInfo).toEqual([{ uuid: wallet.uuid, name: wallet.name, rdns: wallet.rdns, icon: expect.stringMatching(/^data:image\/svg\+xml;base64,/) }]);
      expect(seen.reannounced).toBe(2);
      expect(seen.detailFrozen).toBe(true);
      expect(seen.announcedInfo[0].uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

      // The page's provider is a Proxy in every style (Rabby's and MetaMask's both are).
      const cdp = await page.context().newCDPSession(page);
      const remote = await cdp.send('Runtime.evaluate', { expression: 'window.__provider()' });
      expect(remote.result.subtype).toBe('proxy');
      await cdp.detach();

      switch (injection) {
        case 'assign':
          expect(seen.first).toEqual({ hasEthereum: true, hasRequest: true });
          expect(seen.descriptor).toEqual({ configurable: true, enumerable: true, writable: true, hasGet: false, hasSet: false });
          expect(seen.announcedIsEthereum).toBe(true);
          expect(seen.flags).toEqual({ isMetaMask: true, isRabby: undefined });
          break;
        case 'define-configurable': {
          expect(seen.first).toEqual({ hasEthereum: true, hasRequest: true });
          expect(seen.descriptor).toEqual({ configurable: true, enumerable: true, writable: undefined, hasGet: true, hasSet: true });
          expect(seen.announcedIsEthereum).toBe(true);
          const replaced = await page.evaluate(() => {
            const w = window as unknown as { ethereum: unknown };
            const original = w.ethereum;
            const other = { other: true };
            w.ethereum = other;
            const replaced = w.ethereum === other;
            w.ethereum = original;
            return replaced;
          });
          expect(replaced).toBe(true);
          break;
        }
        case 'rabby':
        case 'rabby-router': {
          expect(seen.first).toEqual({ hasEthereum: true, hasRequest: true });
          expect(seen.descriptor).toEqual({
            configurable: false,
            enumerable: false,
            writable: undefined,
            hasGet: true,
            hasSet: injection === 'rabby-router',
          });
          expect(seen.rabby).toEqual({ configurable: false, writable: false, sameAsEthereum: true });
          expect(seen.announcedIsEthereum).toBe(true);
          expect(seen.flags).toEqual({ isMetaMask: true, isRabby: true });
          const afterWrites = await page.evaluate(() => {
            const w = window as unknown as Record<string, any>;
            const rabby = w.rabby;
            let strictThrew = false;
            try {
              (function () {
                'use strict';
                w.ethereum = { other: true };
              })();
            } catch (e) {
              strictThrew = e instanceof TypeError;
            }
            delete rabby.request; // Rabby's Proxy ignores deletes except a few flags
            return {
              strictThrew,
              stillRabby: w.ethereum === rabby,
              requestKept: typeof rabby.request === 'function',
              routerProviders: w.rabbyWalletRouter ? w.rabbyWalletRouter.providers.length : null,
            };
          });
          expect(afterWrites).toEqual({
            strictThrew: injection === 'rabby', // getter without setter: strict-mode assignment throws
            stillRabby: true,
            requestKept: true,
            routerProviders: injection === 'rabby-router' ? 2 : null, // the swallowed object was recorded
          });
          break;
        }
        case 'eip6963-only':
          expect(seen.first).toEqual({ hasEthereum: false, hasRequest: false });
          expect(seen.descriptor).toBeUndefined();
          expect(seen.rabby).toBeUndefined();
          break;
      }

      // The provider works in every style: chain from the wallet, a read through the wallet's worker.
      expect(await request(page, 'eth_chainId')).toEqual({ result: '0x1' });
      expect(await request(page, 'eth_blockNumber')).toEqual({ result: '0x10' });
      // Rejections: MetaMask throws Error subclasses, Rabby plain objects (eth-rpc-errors serializeError).
      expect(await request(page, 'eth_call', [{ to: '0x0000000000000000000000000000000000000001' }, 'latest'])).toEqual({
        error: { code: 3, message: 'execution reverted: cant', data: REVERT_DATA, isError: !injection.startsWith('rabby') },
      });
      expect(await page.evaluate(() => (window as unknown as { __provider(): { chainId: string } }).__provider().chainId)).toBe('0x1');
      await expect.poll(() => page.evaluate(() => (window as unknown as { __provider(): { isConnected(): boolean } }).__provider().isConnected())).toBe(true);
    });
  }

  test('injectDelayMs: the provider appears only after DOMContentLoaded', async () => {
    const t = await launch({ injection: 'assign', injectDelayMs: 0 });
    current = t;
    await t.page.waitForFunction(() => 'ethereum' in window);
    const seen = await t.page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return { first: w.__first, atDomContentLoaded: w.__atDomContentLoaded, initializedAt: w.__initializedAt };
    });
    expect(seen).toEqual({
      first: { hasEthereum: false, hasRequest: false },
      atDomContentLoaded: { hasEthereum: false },
      initializedAt: expect.stringMatching(/^(interactive|complete)$/),
    });
  });
});

// ---- reads through the wallet's worker ------------------------------------------------------------

test('reads are fetched by the wallet worker, invisible to the page; errors shaped like real wallets', async () => {
  const t = await launch({ injection: 'assign', rpcUrls: { 1: `${rpcBase}/ok?bn=0x10` }, rpcTimeoutMs: 400 });
  current = t;
  const { page, walletWorker: worker } = t;

  expect(await request(page, 'eth_blockNumber')).toEqual({ result: '0x10' });
  expect(rpcHits).toEqual([{ path: '/ok', method: 'eth_blockNumber', params: [] }]);

  // A JSON-RPC error answer passes through with its code, message and data.
  const call = [{ to: '0x0000000000000000000000000000000000000001', data: '0x' }, 'latest'];
  expect(await request(page, 'eth_call', call)).toEqual({
    error: { code: 3, message: 'execution reverted: cant', data: REVERT_DATA, isError: true },
  });
  expect(rpcHits[1]).toEqual({ path: '/ok', method: 'eth_call', params: call });

  // Transport failures become -32603 with the cause in the message.
  const failures: [string, RegExp][] = [
    [`${rpcBase}/503`, /HTTP 503/],
    [`${rpcBase}/hang`, /timeout after 400 ms/],
    [`${rpcBase}/html`, /malformed/],
    [deadUrl, /Failed to fetch/],
  ];
  for (const [url, message] of failures) {
    await setWalletRpc(worker, 1, url);
    const outcome = await request(page, 'eth_blockNumber');
    expect(outcome.error?.code, url).toBe(-32603);
    expect(outcome.error?.message, url).toMatch(message);
    expect(outcome.error?.isError).toBe(true);
  }
  expect(rpcHits.map((h) => h.path)).toEqual(['/ok', '/ok', '/503', '/hang', '/html']);

  // No RPC URL for the chain at all.
  await setWalletRpc(worker, 1, null);
  expect((await request(page, 'eth_blockNumber')).error).toMatchObject({ code: -32603, message: expect.stringMatching(/no RPC URL/) });

  expect((await walletRpcLog(worker)).map((e) => [e.outcome, e.detail])).toEqual([
    ['result', ''],
    ['error', '3 execution reverted: cant'],
    ['failure', 'HTTP 503'],
    ['failure', 'timeout after 400 ms'],
    ['failure', 'malformed response (not JSON)'],
    ['failure', 'Failed to fetch'],
    ['failure', 'no RPC URL'],
  ]);
  // eth_chainId is answered by the wallet; no read lands in the wallet-only log.
  expect(await walletLog(worker)).toEqual([]);
  // The page itself never talked to the RPC server.
  expect(t.pageRequests.filter((u) => u.startsWith(rpcBase) || u.startsWith(deadUrl))).toEqual([]);
  expect(t.pageRequests).toEqual([pageUrl]);
});

// ---- wallet-only methods --------------------------------------------------------------------------

test('wallet-only methods answer deterministic values, are recorded exactly once and survive a worker restart', async () => {
  const t = await launch({ injection: 'assign', rpcUrls: { 1: `${rpcBase}/ok` }, rejectMethods: ['eth_sign'] });
  current = t;
  const { page, walletWorker: worker, browser, wallet } = t;
  await page.evaluate(() => (window as unknown as { __listen(n: string): void }).__listen('accountsChanged'));

  expect(await request(page, 'eth_accounts')).toEqual({ result: [] });
  expect(await request(page, 'eth_requestAccounts')).toEqual({ result: [DEFAULT_ACCOUNT] });
  await expect.poll(() => events(page)).toEqual([{ name: 'accountsChanged', data: [DEFAULT_ACCOUNT] }]);

  const personal = ['0x68656c6c6f', DEFAULT_ACCOUNT];
  const tx = [{ from: DEFAULT_ACCOUNT, to: '0x0000000000000000000000000000000000000002', value: '0x1' }];
  const typed = [DEFAULT_ACCOUNT, JSON.stringify({ domain: { name: 'T' }, message: { a: 1 }, primaryType: 'M', types: { M: [] } })];
  expect(await request(page, 'personal_sign', personal)).toEqual({ result: fakeSignature('personal_sign', personal) });
  expect(await request(page, 'eth_sendTransaction', tx)).toEqual({ result: fakeTxHash(tx) });
  expect(await request(page, 'eth_signTypedData_v4', typed)).toEqual({ result: fakeSignature('eth_signTypedData_v4', typed) });
  expect(fakeSignature('personal_sign', personal)).toMatch(/^0x[0-9a-f]{130}$/);
  expect((await request(page, 'eth_sign', [DEFAULT_ACCOUNT, '0x00'])).error).toMatchObject({ code: 4001 });
  expect((await request(page, 'wallet_doesNotExist')).error).toMatchObject({ code: -32601 });

  // Legacy API: enable(), send(method, params), sync send(payload), sendAsync(payload, callback).
  const legacy = await page.evaluate(async () => {
    const p = (window as unknown as Record<string, any>).ethereum;
    const enabled = await p.enable();
    const sent = await p.send('eth_chainId', []);
    const sync = p.send({ id: 3, jsonrpc: '2.0', method: 'eth_accounts' });
    const viaCallback = await new Promise((resolve) => p.sendAsync({ id: 7, jsonrpc: '2.0', method: 'eth_chainId' }, (err: unknown, res: unknown) => resolve({ err, res })));
    return { enabled, sent, sync, viaCallback, selectedAddress: p.selectedAddress };
  });
  expect(legacy).toEqual({
    enabled: [DEFAULT_ACCOUNT],
    sent: { jsonrpc: '2.0', result: '0x1' },
    sync: { id: 3, jsonrpc: '2.0', result: [DEFAULT_ACCOUNT] },
    viaCallback: { err: null, res: { id: 7, jsonrpc: '2.0', result: '0x1' } },
    selectedAddress: DEFAULT_ACCOUNT,
  });

  const log = await walletLog(worker);
  const count = (m: string) => log.filter((e) => e.method === m).length;
  expect(log.map((e) => e.method)).toEqual([
    'eth_accounts',
    'eth_requestAccounts',
    'personal_sign',
    'eth_sendTransaction',
    'eth_signTypedData_v4',
    'eth_sign',
    'wallet_doesNotExist',
    'eth_requestAccounts',
    'eth_chainId',
    'eth_chainId',
  ]);
  expect(log.find((e) => e.method === 'eth_sendTransaction')).toMatchObject({ params: tx, origin: new URL(pageUrl).origin, at: expect.any(Number) });
  expect(count('personal_sign')).toBe(1);
  expect(rpcHits).toEqual([]); // nothing wallet-only reached the RPC

  // The log and the connection persist across a worker restart (chrome.storage.session).
  await browser.stopServiceWorkers();
  expect(await request(page, 'personal_sign', personal)).toEqual({ result: fakeSignature('personal_sign', personal) });
  const restarted = await walletWorker(browser.context, wallet.name);
  await expect.poll(async () => (await walletLog(restarted)).filter((e) => e.method === 'personal_sign').length).toBe(2);
  expect(await request(page, 'eth_accounts')).toEqual({ result: [DEFAULT_ACCOUNT] });
  await clearWalletLog(restarted);
  expect(await walletLog(restarted)).toEqual([]);
});

test('wallet_switchEthereumChain emits chainChanged to every page and moves reads to that chain\u2019s RPC', async () => {
  const t = await launch({
    injection: 'define-configurable',
    rpcUrls: { 1: `${rpcBase}/ok?bn=0x1`, 137: `${rpcBase}/ok?bn=0x89` },
  });
  current = t;
  const { page, walletWorker: worker, browser } = t;
  const other = await browser.context.newPage();
  await other.goto(pageUrl);
  for (const p of [page, other]) {
    await p.evaluate(() => {
      const w = window as unknown as { __listen(n: string): void };
      w.__listen('chainChanged');
      w.__listen('disconnect');
    });
  }

  expect(await request(page, 'eth_blockNumber')).toEqual({ result: '0x1' });
  expect(await request(page, 'wallet_switchEthereumChain', [{ chainId: '0x89' }])).toEqual({ result: null });
  for (const p of [page, other]) await expect.poll(() => events(p)).toEqual([{ name: 'chainChanged', data: '0x89' }]);
  expect(await page.evaluate(() => (window as unknown as Record<string, any>).ethereum.chainId)).toBe('0x89');
  expect(await request(page, 'eth_chainId')).toEqual({ result: '0x89' });
  expect(await request(page, 'eth_blockNumber')).toEqual({ result: '0x89' });
  // Switching to the current chain emits nothing; an unknown chain is 4902.
  expect(await request(page, 'wallet_switchEthereumChain', [{ chainId: '0x89' }])).toEqual({ result: null });
  expect((await request(page, 'wallet_switchEthereumChain', [{ chainId: '0x5' }])).error).toMatchObject({ code: 4902 });

  // wallet_addEthereumChain: the new RPC becomes the chain's default and the wallet switches to it.
  expect(await request(page, 'wallet_addEthereumChain', [{ chainId: '0xa', chainName: 'OP', rpcUrls: [`${rpcBase}/ok?bn=0xa`] }])).toEqual({ result: null });
  await expect.poll(() => events(other)).toEqual([
    { name: 'chainChanged', data: '0x89' },
    { name: 'chainChanged', data: '0xa' },
  ]);
  expect(await request(page, 'eth_blockNumber')).toEqual({ result: '0xa' });
  expect(await walletState(worker)).toMatchObject({ chainId: '0xa', rpcUrls: { '0xa': `${rpcBase}/ok?bn=0xa` } });
  expect((await walletLog(worker)).filter((e) => e.method === 'wallet_switchEthereumChain')).toHaveLength(3);

  // A page loaded later starts from the config's chain and syncs to the wallet's current one.
  await other.reload();
  await expect.poll(() => other.evaluate(() => (window as unknown as Record<string, any>).ethereum.chainId)).toBe('0xa');

  // Pushed disconnect reaches listeners as a ProviderRpcError and flips isConnected().
  await emitWalletEvent(worker, 'disconnect', { code: 4900, message: 'Disconnected' });
  await expect.poll(async () => (await events(page)).at(-1)).toEqual({ name: 'disconnect', data: { code: 4900, message: 'Disconnected' } });
  expect(await page.evaluate(() => (window as unknown as Record<string, any>).ethereum.isConnected())).toBe(false);
});

// ---- extension ids and document_start order ---------------------------------------------------------

test('committed keys pin ids starting with aa/pp, and document_start scripts run in extension-id order', async () => {
  expect(extensionIdFromKey(KEY_BEFORE_LIFELINE)).toBe(ID_BEFORE_LIFELINE);
  expect(extensionIdFromKey(KEY_AFTER_LIFELINE)).toBe(ID_AFTER_LIFELINE);
  expect(ID_BEFORE_LIFELINE).toMatch(/^aa[a-p]{30}$/);
  expect(ID_AFTER_LIFELINE).toMatch(/^pp[a-p]{30}$/);

  const late = await createMockWallet({ injection: 'assign', order: 'after-lifeline', info: { name: 'Wallet PP' }, flags: { isPP: true } });
  const early = await createMockWallet({ injection: 'assign', order: 'before-lifeline', info: { name: 'Wallet AA' }, flags: { isAA: true } });
  const unkeyed = await createMockWallet({ injection: 'eip6963-only', info: { name: 'Wallet Unkeyed' } });
  expect(() => assertExtensionOrder('bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', late)).not.toThrow();
  expect(() => assertExtensionOrder('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', early)).toThrow(/should run BEFORE Lifeline/);

  // Command-line order is the reverse of id order, so a pass shows the id decides.
  const browser = await launchWithExtensions({ withLifeline: false, extraExtensions: [late.dir, unkeyed.dir, early.dir] });
  try {
    for (const wallet of [late, early, unkeyed]) {
      const worker = await walletWorker(browser.context, wallet.name);
      expect(new URL(worker.url()).host, wallet.name).toBe(wallet.id);
    }
    expect(unkeyed.id).toBe(unpackedExtensionId(unkeyed.dir));

    const page = await browser.context.newPage();
    await page.goto(pageUrl);
    const seen = await page.evaluate(() => {
      const w = window as unknown as Record<string, any>;
      return { last: w.ethereum.isPP ? 'PP' : w.ethereum.isAA ? 'AA' : '?', announced: w.__announced.map((a: { info: { name: string } }) => a.info.name) };
    });
    // The later script's plain assignment wins; re-announcements follow listener (= injection) order.
    expect(seen.last).toBe('PP');
    expect(seen.announced.filter((n: string) => n !== 'Wallet Unkeyed')).toEqual(['Wallet AA', 'Wallet PP']);
  } finally {
    await browser.close();
    await Promise.all([late, early, unkeyed].map((w) => w.cleanup()));
  }
});
