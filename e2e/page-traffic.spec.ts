/**
 * Issue 5 "Fail over dApps' own RPC traffic", in real Chromium: a dApp reads through its own RPC
 * URL with fetch (viem-like POST, application/json, CORS preflight). When that host hangs, answers
 * 503 or refuses connections, Lifeline notices from webRequest and redirects the URL's JSON-RPC
 * POSTs with a declarativeNetRequest rule to a healthy configured endpoint, until the host is back.
 *
 * The configured fallbacks sit behind small recording taps so the test can see the exact JSON-RPC
 * bodies (method and params) that reached them.
 */
import { test, expect, type Page, type Worker } from '@playwright/test';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type FaultMode, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow } from './fixtures/dapp-server';
import { launchWithExtensions, evaluateWithTimeout, type LaunchedBrowser } from './fixtures/browser';
import { configureLifeline, setSiteDisabled, timeline } from './fixtures/lifeline';
import { dappReads, ownRules, pageTrafficState, ruleFor, waitForRules, type OwnRule } from './fixtures/dapp-page-traffic';

const CHAIN = 1337;

// ---- a recording tap in front of a fault-injecting endpoint -----------------------------------
interface TapRecord { httpMethod: string; origin: string | undefined; calls: Array<{ method: unknown; params: unknown }> }
interface Tap { url: string; records: TapRecord[]; close(): Promise<void> }

async function startTap(upstream: string): Promise<Tap> {
  const target = new URL(upstream);
  const records: TapRecord[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let calls: TapRecord['calls'] = [];
      try {
        const value = JSON.parse(body.toString('utf8')) as unknown;
        calls = (Array.isArray(value) ? value : [value]).map((c: { method?: unknown; params?: unknown }) => ({ method: c.method, params: c.params }));
      } catch {
        // preflights and GETs have no JSON body
      }
      records.push({ httpMethod: req.method ?? 'GET', origin: req.headers.origin, calls });
      const up = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' });
        res.end('upstream unreachable');
      });
      up.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    records,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

// ---- fixtures -----------------------------------------------------------------------------------
let node: EvmNode;
let dapp: DappServer;
let pageRpc: RpcEndpoint;
let fallbackA: RpcEndpoint;
let fallbackB: RpcEndpoint;
let tapA: Tap;
let tapB: Tap;
/** The dApp's RPC URL carries an API key in its path, like Infura's /v3/<key>. */
const API_KEY = '0123456789abcdef0123456789abcdef';
let dappRpc: string;
let maskedDappRpc: string;

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: CHAIN });
  await node.request('eth_sendTransaction', [{ from: node.accounts[0]!.address, to: node.accounts[1]!.address, value: '0x1234' }]);
  await node.mine(3);
  pageRpc = await startRpcEndpoint({ upstream: node.url, name: 'dapp-rpc' });
  dappRpc = `${pageRpc.url}v3/${API_KEY}`;
  maskedDappRpc = `${pageRpc.url}v3/***`;
  fallbackA = await startRpcEndpoint({ upstream: node.url, name: 'fallback-a' });
  fallbackB = await startRpcEndpoint({ upstream: node.url, name: 'fallback-b' });
  tapA = await startTap(fallbackA.url);
  tapB = await startTap(fallbackB.url);
  dapp = await startDappServer();
});

test.afterAll(async () => {
  await Promise.all([pageRpc?.close(), fallbackA?.close(), fallbackB?.close(), tapA?.close(), tapB?.close(), dapp?.close()]);
  await node?.close();
});

const tapped = () => [...tapA.records, ...tapB.records];
const clearTaps = () => {
  tapA.records.length = 0;
  tapB.records.length = 0;
};

// ---- the scenario -------------------------------------------------------------------------------
test.describe('a dApp’s own RPC fails over while its host is down', () => {
  test.describe.configure({ mode: 'serial' });
  let browser: LaunchedBrowser;
  let worker: Worker;
  let page: Page;
  const measurements: string[] = [];

  test.beforeAll(async () => {
    browser = await launchWithExtensions();
    worker = browser.worker!;
    await configureLifeline(worker, [
      { chainId: CHAIN, url: tapA.url, label: 'Fallback A' },
      { chainId: CHAIN, url: tapB.url, label: 'Fallback B' },
    ]);
    page = await browser.context.newPage();
    await page.goto(dapp.pageUrl());
  });
  test.afterAll(async () => {
    if (measurements.length > 0) console.log(`\npage-traffic timings:\n  ${measurements.join('\n  ')}\n`);
    await Promise.all([pageRpc.setMode({ kind: 'healthy' }), fallbackA.setMode({ kind: 'healthy' }), fallbackB.setMode({ kind: 'healthy' })]);
    await browser?.close();
  });

  test('healthy host: reads go to it, Lifeline learns its chain, no rule exists', async () => {
    const [read] = await dappReads(page, dappRpc, [['eth_blockNumber', []]], 5_000);
    expect(read!.result).toBe(`0x${(await node.blockNumber()).toString(16)}`);
    expect(read!.attempts).toHaveLength(1);
    expect(read!.attempts[0]!.redirected).toBe(false);
    await expect
      .poll(async () => (await pageTrafficState(worker))?.tracker.endpoints.find((e) => e.url === dappRpc)?.chainId, { timeout: 10_000 })
      .toBe(CHAIN);
    expect(await ownRules(worker)).toEqual([]);
  });

  const outages: Array<[string, FaultMode]> = [
    ['hangs', { kind: 'hang' }],
    ['returns 503', { kind: 'http-error', status: 503 }],
    ['refuses connections', { kind: 'refuse' }],
  ];
  outages.forEach(([label, mode], index) => {
    test(`host ${label}: reads are redirected with their bodies intact and answer correctly; the rule goes away after recovery`, async () => {
      test.setTimeout(120_000);
      const head = await node.mine(1);
      const account = node.accounts[index % node.accounts.length]!.address;
      const calls: Array<[string, unknown[]]> = [
        ['eth_getBalance', [account, `0x${(head - 1).toString(16)}`]],
        ['eth_getBlockByNumber', [`0x${(head - 2).toString(16)}`, false]],
        ['eth_call', [{ to: node.accounts[1]!.address, data: `0x${'ab'.repeat(index + 4)}` }, 'latest']],
      ];
      clearTaps();
      await pageRpc.setMode(mode);

      // The dApp reads while Lifeline notices and installs the rule; the test watches the rules.
      let readsDone = false;
      const reads = dappReads(page, dappRpc, calls, 5_000).finally(() => (readsDone = true));
      const ruleSeen = waitForRules(worker, (rules) => readsDone || ruleFor(rules, dappRpc) !== undefined, 60_000);
      const [results, seen] = await Promise.all([reads, ruleSeen]);

      // Every read answered correctly, from a fallback, through a redirect.
      for (const r of results) {
        expect(r.result, `${r.method}: ${JSON.stringify(r.attempts)}`).toEqual(await node.request(r.method, r.params));
        const last = r.attempts.at(-1)!;
        expect(last.redirected).toBe(true);
        expect([tapA.url, tapB.url]).toContain(last.url);
      }
      // The bodies arrived intact (method and params), from the redirected page (Origin: null).
      for (const [method, params] of calls) {
        expect(tapped().some((t) => t.httpMethod === 'POST' && t.origin === 'null' && t.calls.some((c) => c.method === method && JSON.stringify(c.params) === JSON.stringify(params))), `${method} at a fallback`).toBe(true);
      }
      // CORS passed: the preflight went to the fallback too.
      expect(tapped().some((t) => t.httpMethod === 'OPTIONS')).toBe(true);

      const rule = ruleFor(seen.rules, dappRpc)!;
      expect(rule, 'rule installed').toBeDefined();
      expect(rule.action.type).toBe('redirect');
      expect([tapA.url, tapB.url]).toContain(rule.action.redirect?.url);
      expect(rule.condition.requestMethods).toEqual(['post']);
      expect([...(rule.condition.resourceTypes ?? [])].sort()).toEqual(['other', 'xmlhttprequest']);
      expect(rule.condition.excludedInitiatorDomains).toContain(browser.extensionId);
      expect(seen.rules).toHaveLength(1);

      const attempts = results.flatMap((r) => r.attempts);
      const firstFailed = Math.min(...attempts.filter((a) => !a.ok).map((a) => a.start));
      const firstRedirected = Math.min(...attempts.filter((a) => a.ok && a.redirected).map((a) => a.end));
      const line = `${label}: first failed page request → rule active ${seen.at - firstFailed} ms, → first successful redirected request ${firstRedirected - firstFailed} ms (${attempts.filter((a) => !a.ok).length} failed attempts)`;
      measurements.push(line);
      console.log(line);
      test.info().annotations.push({ type: 'timing', description: line });
      expect(seen.at - firstFailed).toBeGreaterThanOrEqual(0);
      expect(firstRedirected).toBeGreaterThanOrEqual(firstFailed);

      const events = await timeline(worker);
      const start = events.find((e) => e.kind === 'redirect-start' && e.at >= firstFailed - 1_000);
      expect(start).toMatchObject({ chainId: CHAIN, from: maskedDappRpc, to: expect.stringMatching(/^Fallback [AB]$/) });
      expect(start!.reason).toMatch(label === 'hangs' ? /no answer in \d/ : label === 'returns 503' ? /HTTP 503/ : /connection failed/);
      // What the popup reads (masked); the key appears in no event or published redirect.
      const published = await evaluateWithTimeout(worker, async () => (await chrome.storage.session.get('activeRedirects')).activeRedirects as unknown, 5_000);
      expect(published).toEqual([expect.objectContaining({ chainId: CHAIN, from: maskedDappRpc, to: start!.to })]);
      expect(JSON.stringify([published, events])).not.toContain(API_KEY);

      // Recovery: the worker's own probe reaches the original (not redirected), the rule goes away.
      await pageRpc.setMode({ kind: 'healthy' });
      const healthyAt = Date.now();
      const recovered = await waitForRules(worker, (rules) => ruleFor(rules, dappRpc) === undefined, 90_000);
      measurements.push(`${label}: host healthy again → rule removed ${recovered.at - healthyAt} ms (recovery probes back off from 5 s)`);
      const before = pageRpc.requestCount('eth_blockNumber');
      const [again] = await dappReads(page, dappRpc, [['eth_blockNumber', []]], 5_000);
      expect(again!.attempts).toHaveLength(1);
      expect(again!.attempts[0]!.redirected).toBe(false);
      expect(pageRpc.requestCount('eth_blockNumber')).toBe(before + 1);
      expect((await timeline(worker)).find((e) => e.kind === 'redirect-end' && e.at >= start!.at)).toMatchObject({ chainId: CHAIN, from: maskedDappRpc, reason: 'recovered' });
    });
  });

  test('only JSON-RPC POSTs to that exact URL from sites Lifeline is on are redirected', async () => {
    test.setTimeout(90_000);
    await pageRpc.setMode({ kind: 'http-error', status: 503 });
    const [read] = await dappReads(page, dappRpc, [['eth_chainId', []], ['eth_chainId', []], ['eth_chainId', []]], 5_000);
    expect(read!.result).toBe(`0x${CHAIN.toString(16)}`);
    const { rules } = await waitForRules(worker, (r) => ruleFor(r, dappRpc) !== undefined, 10_000);
    expect(rules).toHaveLength(1);

    // Another path of the same host: untouched (still the host's own 503).
    const other = await page.evaluate((u) => (window as unknown as DappWindow).dapp.viaHttp(u, 'eth_chainId'), `${pageRpc.url}v3/other`);
    expect({ status: other.status, redirected: other.redirected }).toEqual({ status: 503, redirected: false });
    // A GET to the exact URL: untouched.
    const get = await page.evaluate(async (u) => {
      const r = await fetch(u);
      return { status: r.status, redirected: r.redirected };
    }, dappRpc);
    expect(get).toEqual({ status: 405, redirected: false });

    // A site the user switched off: its requests are left alone (the switch stores origins; the
    // rule excludes that site's domain as the initiator).
    const offOrigin = `http://localhost:${dapp.port}`;
    await setSiteDisabled(worker, offOrigin, true);
    await waitForRules(worker, (r) => ruleFor(r, dappRpc)?.condition.excludedInitiatorDomains?.includes('localhost') === true, 10_000);
    const offPage = await browser.context.newPage();
    await offPage.goto(`${offOrigin}/`);
    const off = await offPage.evaluate((u) => (window as unknown as DappWindow).dapp.viaHttp(u, 'eth_chainId'), dappRpc);
    expect({ status: off.status, redirected: off.redirected }).toEqual({ status: 503, redirected: false });
    // …while the site Lifeline is on is still redirected.
    const on = await page.evaluate((u) => (window as unknown as DappWindow).dapp.viaHttp(u, 'eth_chainId'), dappRpc);
    expect({ status: on.status, redirected: on.redirected, result: (on.body as { result?: unknown }).result }).toEqual({ status: 200, redirected: true, result: `0x${CHAIN.toString(16)}` });
    await offPage.close();
    await setSiteDisabled(worker, offOrigin, false);
    // Leave the rule as this test found it: the switch back on is reconciled asynchronously.
    await waitForRules(worker, (r) => ruleFor(r, dappRpc)?.condition.excludedInitiatorDomains?.includes('localhost') === false, 10_000);
  });

  test('a worker restart leaves exactly the right rules: same rule, no duplicate, leftovers gone, foreign rules kept', async () => {
    test.setTimeout(120_000);
    // The previous test switched a site off and on again, and waited until that was reconciled.
    const before = (await waitForRules(worker, (rules) => rules.length === 1, 15_000)).rules;
    // A leftover in Lifeline's range (e.g. from a crash) and another feature's rule outside it.
    await evaluateWithTimeout(
      worker,
      () =>
        chrome.declarativeNetRequest.updateDynamicRules({
          addRules: [
            { id: 5_049, priority: 1, action: { type: 'block' as chrome.declarativeNetRequest.RuleActionType }, condition: { urlFilter: '|http://127.0.0.1:1/leftover|' } },
            { id: 42, priority: 1, action: { type: 'block' as chrome.declarativeNetRequest.RuleActionType }, condition: { urlFilter: '|http://127.0.0.1:1/foreign|' } },
          ],
        }),
      5_000,
    );
    const startedAt = await evaluateWithTimeout(worker, () => performance.timeOrigin, 5_000);
    await browser.stopServiceWorkers();
    // Rules are the browser's: while the worker is stopped the page is still redirected.
    const during = await page.evaluate((u) => (window as unknown as DappWindow).dapp.viaHttp(u, 'eth_chainId'), dappRpc);
    expect({ status: during.status, redirected: during.redirected }).toEqual({ status: 200, redirected: true });
    // Wake the worker (a message from an extension page) and wait for it to reconcile.
    const popup = await browser.openPopup();
    const restarted = await browser.waitForWorker();
    await expect.poll(() => evaluateWithTimeout(restarted, () => performance.timeOrigin, 5_000), { timeout: 15_000 }).toBeGreaterThan(startedAt);
    const after = await waitForRules(restarted, (rules) => !rules.some((r) => r.id === 5_049), 15_000);
    expect(after.rules).toEqual(before);
    const all = (await evaluateWithTimeout(restarted, () => chrome.declarativeNetRequest.getDynamicRules(), 5_000)) as unknown as OwnRule[];
    expect(all.map((r) => r.id).sort((a, b) => a - b)).toEqual([42, before[0]!.id]);
    await evaluateWithTimeout(restarted, () => chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: [42] }), 5_000);
    await popup.close();

    // The restarted worker still knows the outage and finds the recovery.
    await pageRpc.setMode({ kind: 'healthy' });
    await waitForRules(restarted, (rules) => rules.length === 0, 90_000);
    worker = restarted;
  });

  test('when the fallback in use fails too, the redirect moves to the other one', async () => {
    test.setTimeout(120_000);
    await pageRpc.setMode({ kind: 'http-error', status: 503 });
    await dappReads(page, dappRpc, [['eth_chainId', []], ['eth_chainId', []], ['eth_chainId', []]], 5_000);
    const { rules } = await waitForRules(worker, (r) => ruleFor(r, dappRpc) !== undefined, 10_000);
    const firstTarget = ruleFor(rules, dappRpc)!.action.redirect!.url!;
    const [inUse, other] = firstTarget === tapA.url ? [fallbackA, tapB.url] : [fallbackB, tapA.url];
    await inUse.setMode({ kind: 'http-error', status: 503 });

    const results = await dappReads(page, dappRpc, [['eth_blockNumber', []], ['eth_blockNumber', []], ['eth_blockNumber', []]], 5_000, 6);
    for (const r of results) expect(r.result, JSON.stringify(r.attempts)).toBe(`0x${(await node.blockNumber()).toString(16)}`);
    const moved = await waitForRules(worker, (r) => ruleFor(r, dappRpc)?.action.redirect?.url === other, 15_000);
    expect(ruleFor(moved.rules, dappRpc)!.action.redirect!.url).toBe(other);
    expect((await timeline(worker)).find((e) => e.kind === 'redirect-update')).toMatchObject({ chainId: CHAIN, from: maskedDappRpc, to: expect.stringMatching(/^Fallback [AB]$/) });

    await Promise.all([pageRpc.setMode({ kind: 'healthy' }), inUse.setMode({ kind: 'healthy' })]);
    await waitForRules(worker, (r) => r.length === 0, 90_000);
  });
});
