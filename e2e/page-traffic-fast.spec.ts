/**
 * Fast fail-over of a dApp's own RPC, in real Chromium: the hang threshold follows the host's own
 * latency, a page's aborted requests count only past it, Lifeline confirms a suspicion with its own
 * check instead of waiting for three slow page failures, watches the hosts pages use while they
 * are quiet, and does not flap the redirect of a host that alternates.
 *
 * Every test uses its own page endpoint (its own fault-injecting server), so one test's outage and
 * flap history never touches another's.
 */
import { test, expect, type Page, type Worker } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type FaultMode, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer } from './fixtures/dapp-server';
import { launchWithExtensions, type LaunchedBrowser } from './fixtures/browser';
import { configureLifeline, timeline } from './fixtures/lifeline';
import { dappReads, ownRules, pageTrafficState, ruleFor, waitForRules, type ReadResult } from './fixtures/dapp-page-traffic';

const CHAIN = 1337;
/** The cold hang threshold (PAGE_TRAFFIC.hangThreshold.coldMs): an adaptive one is below it here. */
const COLD_THRESHOLD_S = 1.5;

let node: EvmNode;
let dapp: DappServer;
let fallback: RpcEndpoint;
const hosts: RpcEndpoint[] = [];

async function newHost(name: string, mode?: FaultMode): Promise<RpcEndpoint> {
  const host = await startRpcEndpoint({ upstream: node.url, name, ...(mode ? { mode } : {}) });
  hosts.push(host);
  return host;
}

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: CHAIN });
  await node.mine(3);
  fallback = await startRpcEndpoint({ upstream: node.url, name: 'fallback' });
  dapp = await startDappServer();
});

test.afterAll(async () => {
  await Promise.all([fallback?.close(), dapp?.close(), ...hosts.map((h) => h.close())]);
  await node?.close();
});

const blockHex = async () => `0x${(await node.blockNumber()).toString(16)}`;

function expectAnswered(results: ReadResult[], expected: string): void {
  for (const r of results) expect(r.result, `${r.method}: ${JSON.stringify(r.attempts)}`).toBe(expected);
}

test.describe('a dApp’s own RPC fails over fast', () => {
  test.describe.configure({ mode: 'serial' });
  let browser: LaunchedBrowser;
  let worker: Worker;
  let page: Page;

  test.beforeAll(async () => {
    browser = await launchWithExtensions();
    worker = browser.worker!;
    await configureLifeline(worker, [{ chainId: CHAIN, url: fallback.url, label: 'Fallback' }]);
    page = await browser.context.newPage();
    await page.goto(dapp.pageUrl());
  });
  test.afterAll(async () => {
    await browser?.close();
  });

  /** The page reads through `url` until Lifeline has answers to learn from and knows its chain. */
  async function warmUp(url: string, reads = 8): Promise<void> {
    for (let i = 0; i < reads; i++) {
      const [read] = await dappReads(page, url, [['eth_blockNumber', []]], 10_000, 1);
      expect(read!.attempts[0]!.ok, JSON.stringify(read!.attempts)).toBe(true);
      expect(read!.attempts[0]!.redirected).toBe(false);
    }
    await expect.poll(async () => (await pageTrafficState(worker))?.tracker.endpoints.find((e) => e.url === url)?.chainId, { timeout: 15_000 }).toBe(CHAIN);
  }

  test('a host that answered in tens of ms starts hanging: redirected on its own threshold; clients giving up after 1 s and 2 s get good answers', async () => {
    test.setTimeout(90_000);
    const host = await newHost('fast-host');
    const url = `${host.url}v3/fast`;
    await warmUp(url);
    expect(await ownRules(worker)).toEqual([]);

    await host.setMode({ kind: 'hang' });
    const expected = await blockHex();
    const [oneSecond, twoSeconds] = await Promise.all([
      dappReads(page, url, [['eth_blockNumber', []], ['eth_blockNumber', []]], 1_000),
      dappReads(page, url, [['eth_blockNumber', []], ['eth_blockNumber', []]], 2_000),
    ]);
    expectAnswered([...oneSecond, ...twoSeconds], expected);
    for (const r of [...oneSecond, ...twoSeconds]) expect(r.attempts.at(-1)).toMatchObject({ ok: true, redirected: true, url: fallback.url });

    const { rules } = await waitForRules(worker, (r) => ruleFor(r, url) !== undefined, 10_000);
    expect(ruleFor(rules, url)!.action.redirect?.url).toBe(fallback.url);
    // The outage was judged on the host's own threshold, not the cold value nor the 4 s ceiling.
    const start = (await timeline(worker)).find((e) => e.kind === 'redirect-start' && e.from?.startsWith(host.url) === true);
    const seconds = Number(/no answer in ([\d.]+) s/.exec(start?.reason ?? '')?.[1]);
    expect(seconds, start?.reason).toBeLessThan(COLD_THRESHOLD_S);

    // Recovery: the rule goes, reads reach the host itself again.
    await host.setMode({ kind: 'healthy' });
    await waitForRules(worker, (r) => ruleFor(r, url) === undefined, 60_000);
    const [again] = await dappReads(page, url, [['eth_blockNumber', []]], 5_000, 1);
    expect(again!.attempts[0], JSON.stringify(again!.attempts)).toMatchObject({ ok: true, redirected: false });
  });

  test('a healthy slow host is never redirected because its page cancels requests', async () => {
    test.setTimeout(90_000);
    const host = await newHost('slow-host', { kind: 'slow', ms: 1_200 });
    const url = `${host.url}v3/slow`;
    await warmUp(url);

    // The page gives up before the host answers, again and again (after 250 ms, and after 1 s:
    // both well below its threshold, ~4 × 1.2 s up to the 4 s ceiling).
    for (const timeoutMs of [250, 1_000]) {
      const results = await dappReads(page, url, Array.from({ length: 4 }, () => ['eth_blockNumber', []] as [string, unknown[]]), timeoutMs, 3);
      for (const r of results) expect(r.attempts.every((a) => !a.ok && a.status === null), JSON.stringify(r.attempts)).toBe(true);
    }
    // A failure elsewhere is written down after the aborts were seen: once it is in the stored
    // state, so is everything the aborts did (nothing).
    const marker = await newHost('marker', { kind: 'http-error', status: 503 });
    const markerUrl = `${marker.url}marker`;
    await dappReads(page, markerUrl, [['eth_blockNumber', []]], 2_000, 1);
    await expect.poll(async () => (await pageTrafficState(worker))?.tracker.endpoints.find((e) => e.url === markerUrl)?.lastFailure?.detail, { timeout: 10_000 }).toMatch(/HTTP 503/);
    const state = (await pageTrafficState(worker))!.tracker.endpoints.find((e) => e.url === url)!;
    expect(state.breaker).toMatchObject({ status: 'closed', consecutiveFailures: 0 });
    expect(state.lastFailure).toBeUndefined();
    expect(ruleFor(await ownRules(worker), url)).toBeUndefined();
    const [read] = await dappReads(page, url, [['eth_blockNumber', []]], 10_000, 1);
    expect(read!.attempts[0], JSON.stringify(read!.attempts)).toMatchObject({ ok: true, redirected: false });
  });

  const knownDown: Array<[string, FaultMode]> = [
    ['returns 503', { kind: 'http-error', status: 503 }],
    ['hangs', { kind: 'hang' }],
  ];
  for (const [label, mode] of knownDown) {
    test(`a quiet page’s host that ${label} is found by Lifeline’s own check: no failed request reaches the page`, async () => {
      test.setTimeout(120_000);
      const host = await newHost(`watched-${mode.kind}`);
      const url = `${host.url}v3/watched`;
      await warmUp(url);
      // The page goes quiet; the host dies meanwhile.
      await host.setMode(mode);
      const diedAt = Date.now();
      const { rules } = await waitForRules(worker, (r) => ruleFor(r, url) !== undefined, 60_000);
      expect(ruleFor(rules, url)!.action.redirect?.url).toBe(fallback.url);
      // No page request went to the host after it died: Lifeline found it on its own.
      expect(host.requests.filter((r) => r.at >= diedAt && r.origin === dapp.origin)).toEqual([]);

      // The page's next reads: every first attempt is answered, by the fallback.
      const expected = await blockHex();
      const results = await dappReads(page, url, [['eth_blockNumber', []], ['eth_blockNumber', []], ['eth_blockNumber', []]], 2_000, 1);
      expectAnswered(results, expected);
      for (const r of results) expect(r.attempts).toEqual([expect.objectContaining({ ok: true, redirected: true, url: fallback.url })]);
      expect(host.requests.filter((r) => r.at >= diedAt && r.origin === dapp.origin && r.httpMethod === 'POST')).toEqual([]);
      await host.setMode({ kind: 'healthy' });
    });
  }

  test('a host that alternates does not flap the rule on every alternation; the rule goes once it is steadily back', async () => {
    test.setTimeout(240_000);
    const host = await newHost('alternating');
    const url = `${host.url}v3/alternating`;
    await warmUp(url);

    // Watch the rule while the host alternates and the page keeps reading (1 s client).
    let stop = false;
    const transitions: Array<'added' | 'removed'> = [];
    const watcher = (async () => {
      let present = false;
      while (!stop) {
        const now = ruleFor(await ownRules(worker), url) !== undefined;
        if (now !== present) transitions.push(now ? 'added' : 'removed');
        present = now;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const reader = (async () => {
      while (!stop) await dappReads(page, url, [['eth_blockNumber', []]], 1_000);
    })();
    // The fault schedule itself: 1.5 s hang, 1.5 s healthy, eight times.
    const alternations = 8;
    for (let i = 0; i < alternations; i++) {
      await host.setMode({ kind: 'hang' });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await host.setMode({ kind: 'healthy' });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    }
    // End in an outage that lasts until the rule is in, so its removal below is the recovery's.
    await host.setMode({ kind: 'hang' });
    await waitForRules(worker, (r) => ruleFor(r, url) !== undefined, 30_000);
    stop = true;
    await Promise.all([watcher, reader]);
    expect(transitions[0]).toBe('added');
    expect(transitions.filter((t) => t === 'removed').length, transitions.join(' ')).toBeLessThanOrEqual(2);

    await host.setMode({ kind: 'healthy' });
    await waitForRules(worker, (r) => ruleFor(r, url) === undefined, 150_000);
    const [again] = await dappReads(page, url, [['eth_blockNumber', []]], 5_000, 1);
    expect(again!.attempts[0], JSON.stringify(again!.attempts)).toMatchObject({ ok: true, redirected: false });
  });
});
