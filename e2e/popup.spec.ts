/**
 * Issue 6 "Health you can see": the popup, badge, notifications, timeline and services panel in
 * real Chromium, through one outage: healthy → failover (the wallet's RPC answers 503, Lifeline
 * serves its reads) → total outage (every configured endpoint for the chain in use down) → worker
 * restart mid-outage → recovered. Screenshots of each state are attached to the test report.
 */
import { readFile } from 'node:fs/promises';
import { test, expect, type Page, type TestInfo } from '@playwright/test';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { startDappServer, type DappServer, type DappWindow, type Settled } from './fixtures/dapp-server';
import { launchWithMockWallet, walletState, type LaunchedWithWallet } from './fixtures/mock-wallet/index';
import { askLifeline, configureLifeline } from './fixtures/lifeline';
import { evaluateWithTimeout } from './fixtures/browser';
import { HEALTHY_SERVICE_REPLIES, startServicesStandIn, type ServicesStandIn } from './fixtures/services-standin';
import type { PopupStatus } from '../extension/protocol/popup';
import { STATUS_POLICY } from '../src/policy/index';
import { BADGE_COLORS, HEALTHY_LINE, type OverallLevel } from '../src/status/worst-truth';
import { expectNoUnformattedNumbers, screenshotBothSchemes } from './fixtures/page-checks';

const CHAIN = 1337;
const NAME = 'Chain 1337';

let node: EvmNode;
let dapp: DappServer;
let walletRpc: RpcEndpoint;
let fallbackA: RpcEndpoint;
let fallbackB: RpcEndpoint;
let services: ServicesStandIn;

test.beforeAll(async () => {
  node = await startEvmNode({ chainId: CHAIN });
  walletRpc = await startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc' });
  fallbackA = await startRpcEndpoint({ upstream: node.url, name: 'fallback-a' });
  fallbackB = await startRpcEndpoint({ upstream: node.url, name: 'fallback-b' });
  dapp = await startDappServer();
  services = await startServicesStandIn(HEALTHY_SERVICE_REPLIES);
});

test.afterAll(async () => {
  await Promise.all([walletRpc?.close(), fallbackA?.close(), fallbackB?.close(), dapp?.close(), services?.close()]);
  await node?.close();
});

// ---- helpers -----------------------------------------------------------------------------------
const ask = askLifeline;
const status = (popup: Page) => ask<PopupStatus>(popup, 'popupStatus');
const probeNow = (popup: Page) => ask<PopupStatus>(popup, 'probeNow');

interface BadgeState { color: number[]; text: string; title: string }
function badge(t: LaunchedWithWallet): Promise<BadgeState> {
  return evaluateWithTimeout(t.browser.worker!, async () => ({
    color: (await chrome.action.getBadgeBackgroundColor({})) as number[],
    text: await chrome.action.getBadgeText({}),
    title: await chrome.action.getTitle({}),
  }), 5_000);
}

async function notificationIds(t: LaunchedWithWallet): Promise<string[]> {
  const worker = await t.browser.waitForWorker();
  return Object.keys(await evaluateWithTimeout(worker, () => chrome.notifications.getAll(), 5_000));
}

const read = (page: Page, method: string, params: unknown[] = []) =>
  page.evaluate(([m, p]) => (window as unknown as DappWindow).dapp.settle('viaInjected', [m, p] as never) as Promise<Settled<unknown>>, [method, params] as const);

async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.reload();
  // The first frame may be the popup's own last view: wait for the worker's answer.
  await expect(page.locator('main')).toHaveAttribute('aria-busy', 'false');
  await page.screenshot({ fullPage: true, path: info.outputPath(name) });
  await info.attach(name, { path: info.outputPath(name), contentType: 'image/png' });
  // The chain in use with its latency charts, light and dark, saved under test-results.
  await screenshotBothSchemes(page, page.getByTestId(`section-chain-${CHAIN}`), info, `chart-${name.replace(/\.png$/, '')}`);
  await expectNoUnformattedNumbers(page);
}

const hexToRgba = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).concat(255);

/**
 * Headline, badge and detail rows agree: the badge's colour is the headline's level and its
 * tooltip the headline; the headline is "All providers healthy" only when no detail row of
 * anything in use shows trouble, and otherwise every chain in use whose section shows trouble
 * is named by the headline or the list under it.
 */
async function expectAgreement(popup: Page, t: LaunchedWithWallet): Promise<OverallLevel> {
  await popup.reload();
  await expect(popup.locator('main')).toHaveAttribute('aria-busy', 'false');
  const headline = popup.getByTestId('status-line');
  const line = (await headline.innerText()).trim();
  const level = (await headline.getAttribute('data-level')) as OverallLevel;
  await expect.poll(() => badge(t)).toMatchObject({ color: hexToRgba(BADGE_COLORS[level]), title: expect.stringMatching(new RegExp(`^Lifeline: ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)) });
  const findings = popup.getByTestId('findings');
  const told = `${line}\n${(await findings.count()) > 0 ? await findings.innerText() : ''}`;
  const inUse = popup.locator('section[aria-labelledby="chains-heading"] > [data-testid^="section-chain-"]');
  const troubled: string[] = [];
  for (const section of await inUse.all()) {
    const dot = await section.locator('button.disclosure .dot').getAttribute('class');
    if (!/level-healthy/.test(dot ?? '')) troubled.push((await section.locator('button.disclosure .title').innerText()).trim());
    troubled.push(...(await section.locator('li.endpoint[data-state="down"], li.endpoint[data-state="degraded"]').count() > 0 ? [(await section.locator('button.disclosure .title').innerText()).trim()] : []));
  }
  const badWallets = await popup.locator('li.wallet[data-level="failover"], li.wallet[data-level="outage"]').count();
  const badServices = await popup.locator('[data-testid^="service-"][data-state="down"], [data-testid^="service-"][data-state="degraded"], [data-testid^="service-"][data-state="maintenance"]').count();
  if (line === HEALTHY_LINE) {
    expect(level).toBe('healthy');
    expect({ troubled, badWallets, badServices }).toEqual({ troubled: [], badWallets: 0, badServices: 0 });
  } else {
    for (const name of new Set(troubled)) expect(told).toContain(name);
    if (badWallets > 0) expect(['failover', 'outage']).toContain(level);
  }
  return level;
}

// ---- the outage story --------------------------------------------------------------------------
test.describe('popup and badge through an outage', () => {
  test.describe.configure({ mode: 'serial' });
  let t: LaunchedWithWallet;
  let popup: Page;
  let page: Page;
  let dappTabId: number;

  test.beforeAll(async () => {
    t = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: walletRpc.url } });
    const worker = t.browser.worker!;
    await configureLifeline(worker, [
      { chainId: CHAIN, url: fallbackA.url, label: 'Fallback A' },
      { chainId: CHAIN, url: fallbackB.url, label: 'Fallback B' },
    ]);
    // Services point at the local stand-in (the real APIs are unreachable here).
    await services.pointLifelineAt(worker);
    page = await t.browser.context.newPage();
    await page.goto(dapp.pageUrl());
    dappTabId = await evaluateWithTimeout(worker, async (url) => (await chrome.tabs.query({ url: `${url}*` }))[0]!.id!, 5_000, new URL(dapp.pageUrl()).origin + '/');
    popup = await t.browser.context.newPage();
    await popup.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html?tab=${dappTabId}`);
  });
  test.afterAll(async () => {
    await Promise.all([walletRpc.setMode({ kind: 'healthy' }), fallbackA.setMode({ kind: 'healthy' }), fallbackB.setMode({ kind: 'healthy' })]);
    await t?.close();
  });

  test('healthy: status line, in-use chain open with endpoints and sparklines, badge green', async ({}, info) => {
    // A wallet read marks the chain as in use; probes mark both fallbacks healthy.
    expect(await read(page, 'eth_blockNumber')).toMatchObject({ ok: true });
    await expect.poll(async () => {
      const s = await probeNow(popup);
      return [s.line, s.chains.find((c) => c.chainId === CHAIN)?.inUse];
    }, { timeout: 20_000 }).toEqual(['All providers healthy', true]);
    await popup.reload();
    await expect(popup.getByRole('heading', { name: 'Lifeline' })).toBeVisible();
    await expect(popup.getByTestId('status-line')).toHaveText('All providers healthy');
    const chain = popup.getByTestId(`section-chain-${CHAIN}`);
    await expect(chain.locator('button.disclosure')).toHaveAttribute('aria-expanded', 'true');
    await expect(chain.locator('[data-state="healthy"]')).toHaveCount(2);
    // Each fact once: a healthy endpoint's p50 is not repeated as its reason.
    for (const row of await chain.locator('[data-state="healthy"]').all()) expect((await row.innerText()).match(/p50 \d+ ms/g)).toHaveLength(1);
    await expect(chain.getByTestId('in-use')).toHaveCount(1);
    // The endpoint in use, offered to give a wallet by hand.
    expect([fallbackA.url, fallbackB.url]).toContain(await chain.getByTestId(`wallet-rpc-${CHAIN}`).innerText());
    // Default chains are not in use: collapsed under one disclosure.
    const idle = popup.getByTestId('section-idle-chains').getByRole('button', { name: /Not in use/ }).first();
    await expect(idle).toHaveAttribute('aria-expanded', 'false');
    await expect(popup.getByTestId(`wallet-${CHAIN}`)).toContainText('Mock Wallet');
    await expect.poll(() => badge(t)).toEqual({ color: [21, 128, 61, 255], text: '', title: 'Lifeline: All providers healthy' });
    expect(await expectAgreement(popup, t)).toBe('healthy');
    await expect(chain.getByTestId('latency-chart').first().locator('svg')).toHaveAttribute('aria-label', /^Latency over the last 5 min: \d+ samples?, peak \d+ ms/);
    await shot(popup, info, 'healthy.png');
  });

  test('opens from cached state: a hanging endpoint is not contacted and does not hold the popup', async () => {
    // Speed is measured by `npm run bench:popup`; here the behaviour behind it: the popup answers
    // from what the worker has, it never probes on open.
    await fallbackB.setMode({ kind: 'hang' });
    // The periodic probe may legitimately hit the endpoint: open the popup well clear of it.
    const worker = await t.browser.waitForWorker();
    await expect.poll(() => evaluateWithTimeout(worker, async () => ((await chrome.alarms.get('lifeline-probe'))?.scheduledTime ?? Infinity) - Date.now(), 5_000), { timeout: 40_000 }).toBeGreaterThan(5_000);
    const before = fallbackB.requestCount();
    const fresh = await t.browser.context.newPage();
    await fresh.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
    await expect(fresh.getByTestId('status-line')).toHaveText('All providers healthy');
    await expect.poll(() => fresh.evaluate(() => performance.getEntriesByName('lifeline-status-rendered').length)).toBe(1);
    expect(fallbackB.requestCount()).toBe(before);
    await fresh.close();
    await fallbackB.setMode({ kind: 'healthy' });
  });

  test('the worker keeps its last view in session storage; a popup opened while it sleeps reads it', async () => {
    const storedLine = () => popup.evaluate(async () => ((await chrome.storage.session.get('popupStatus')).popupStatus as { line?: string } | undefined)?.line ?? null);
    await expect.poll(storedLine, { timeout: 20_000 }).toBe('All providers healthy');
    await t.browser.stopServiceWorkers();
    const fresh = await t.browser.context.newPage();
    await fresh.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
    await expect(fresh.getByTestId('status-line')).toHaveText('All providers healthy');
    await expect.poll(() => fresh.evaluate(() => performance.getEntriesByName('lifeline-fresh-rendered').length)).toBe(1);
    await expect(fresh.getByTestId('worker-status')).toHaveText(/^Running v[\d.]+$/);
    // The stored view is shown first when it arrives first (bench/popup.ts counts how often).
    const cachedFirst = await fresh.evaluate(() => performance.getEntriesByName('lifeline-cached-rendered').length);
    console.log(`popup opened with the worker stopped: stored view rendered first: ${cachedFirst === 1}`);
    await fresh.close();
  });

  test("a reopened popup shows its own last view on the first frame; an old or broken one is ignored", async () => {
    const open = async () => {
      const page = await t.browser.context.newPage();
      await page.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
      await expect.poll(() => page.evaluate(() => performance.getEntriesByName('lifeline-page-view-kept').length)).toBe(1);
      return page;
    };
    const marks = (page: Page) => page.evaluate(() => Object.fromEntries(['lifeline-page-view-rendered', 'lifeline-status-received', 'lifeline-cached-rendered']
      .map((name) => [name, performance.getEntriesByName(name)[0]?.startTime ?? null])));
    await (await open()).close();
    // Worker asleep: its answer comes last, the popup's own view is already on the first frame.
    await t.browser.stopServiceWorkers();
    const again = await open();
    const seen = await marks(again);
    expect(seen['lifeline-page-view-rendered']).not.toBeNull();
    expect(seen['lifeline-page-view-rendered']!).toBeLessThan(seen['lifeline-status-received']!);
    await expect(again.getByTestId('status-line')).toHaveText('All providers healthy');
    await expect(again.getByTestId('worker-status')).toHaveText(/^Running v[\d.]+$/);
    // An old view (the browser slept) and garbage are not shown, not even for a frame.
    const STALE_LINE = 'Stale view that must not be shown';
    await again.evaluate(({ line, age }) => {
      const view = JSON.parse(localStorage.getItem('lifeline:popupView')!);
      localStorage.setItem('lifeline:popupView', JSON.stringify({ ...view, line, generatedAt: Date.now() - age }));
    }, { line: STALE_LINE, age: STATUS_POLICY.popupCacheMaxAgeMs + 60_000 });
    await again.close();
    const afterStale = await t.browser.context.newPage();
    await afterStale.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
    // Kept (the fresh view, written after its paint) before the garbage goes in, or it would overwrite it.
    await expect.poll(() => afterStale.evaluate(() => performance.getEntriesByName('lifeline-page-view-kept').length)).toBe(1);
    expect((await marks(afterStale))['lifeline-page-view-rendered']).toBeNull();
    await afterStale.evaluate(() => localStorage.setItem('lifeline:popupView', '{"chains": [1, 2'));
    await afterStale.close();
    const afterGarbage = await t.browser.context.newPage();
    await afterGarbage.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html`);
    await expect(afterGarbage.getByTestId('status-line')).toHaveText('All providers healthy');
    expect((await marks(afterGarbage))['lifeline-page-view-rendered']).toBeNull();
    await afterGarbage.close();
  });

  test('keyboard and labels: every control is named, disclosures toggle with the keyboard', async () => {
    await popup.reload();
    await expect(popup.getByTestId('status-line')).toHaveText(/./);
    for (const button of await popup.getByRole('button').all()) {
      const name = (await button.getAttribute('aria-label')) ?? (await button.innerText());
      expect(name.trim().length).toBeGreaterThan(0);
    }
    const idle = popup.getByTestId('section-idle-chains').getByRole('button').first();
    await idle.focus();
    await popup.keyboard.press('Enter');
    await expect(idle).toHaveAttribute('aria-expanded', 'true');
    await popup.keyboard.press('Space');
    await expect(idle).toHaveAttribute('aria-expanded', 'false');
    // Tab reaches the actions from the top of the page.
    await popup.reload();
    await expect(popup.getByTestId('status-line')).toHaveText(/./);
    await popup.keyboard.press('Tab');
    await expect(popup.getByRole('button', { name: /Probe now/ })).toBeFocused();
  });

  test('failover: the wallet RPC answers 503, Lifeline serves its reads; amber badge, one notification', async ({}, info) => {
    await walletRpc.setMode({ kind: 'http-error', status: 503 });
    expect(await read(page, 'eth_blockNumber')).toMatchObject({ ok: true });
    expect(await read(page, 'eth_getBalance', [node.accounts[0]!.address, 'latest'])).toMatchObject({ ok: true });
    await expect.poll(async () => (await status(popup)).line, { timeout: 15_000 }).toMatch(
      new RegExp(`^Failover active on ${NAME}: Mock Wallet's RPC failing, Lifeline serving reads via Fallback (A|B)$`),
    );
    await expect.poll(() => badge(t)).toMatchObject({ color: [217, 119, 6, 255], text: '1', title: expect.stringContaining('Failover active on Chain 1337') });
    await expect.poll(() => notificationIds(t)).toHaveLength(1);
    expect((await notificationIds(t))[0]).toMatch(new RegExp(`^lifeline-episode-${CHAIN}-\\d+-start$`));
    const s = await status(popup);
    expect(s.timeline.map((e) => e.kind)).toContain('failover-start');
    expect(s.wallets.find((w) => w.chainId === CHAIN)).toMatchObject({ failingSince: expect.any(Number), servedVia: expect.stringMatching(/Fallback/) });
    await popup.reload();
    await expect(popup.getByTestId(`episode-${CHAIN}`)).toContainText('Failover since');
    await expect(popup.getByTestId(`wallet-${CHAIN}`)).toContainText('Own RPC failing since');
    expect(await expectAgreement(popup, t)).toBe('failover');
    await shot(popup, info, 'failover.png');
  });

  test('a configured endpoint down while another serves is named in the line', async () => {
    await fallbackA.setMode({ kind: 'http-error', status: 503 });
    await expect.poll(async () => {
      const s = await probeNow(popup);
      return s.chains.find((c) => c.chainId === CHAIN)?.endpoints.map((e) => [e.label, e.state, e.inUse]);
    }, { timeout: 20_000 }).toEqual([['Fallback A', 'down', false], ['Fallback B', 'healthy', true]]);
    expect((await status(popup)).line).toContain('Fallback A down, using Fallback B');
    // Same episode: still one notification.
    expect(await notificationIds(t)).toHaveLength(1);
  });

  test('total outage: every configured endpoint down → red badge, "No healthy endpoint"', async ({}, info) => {
    await fallbackB.setMode({ kind: 'http-error', status: 503 });
    await expect.poll(async () => (await probeNow(popup)).line, { timeout: 20_000 }).toMatch(new RegExp(`^No healthy endpoint for ${NAME}`));
    await expect.poll(() => badge(t)).toMatchObject({ color: [185, 28, 28, 255], text: '!', title: expect.stringContaining(`No healthy endpoint for ${NAME}`) });
    expect(await notificationIds(t)).toHaveLength(1);
    await popup.reload();
    await expect(popup.getByTestId(`section-chain-${CHAIN}`).locator('[data-state="down"]')).toHaveCount(2);
    expect(await expectAgreement(popup, t)).toBe('outage');
    // The charts mark the failing checks.
    await expect(popup.getByTestId(`section-chain-${CHAIN}`).locator('[data-testid="latency-chart"][data-failing="true"]')).toHaveCount(2);
    await expect(popup.getByTestId(`section-chain-${CHAIN}`).locator('.chart-failure').first()).toBeVisible();
    await shot(popup, info, 'outage.png');
  });

  test('the episode and timeline survive a service-worker restart', async () => {
    const before = await status(popup);
    const since = before.chains.find((c) => c.chainId === CHAIN)?.episode?.since;
    expect(since).toEqual(expect.any(Number));
    const startedAt = (await ask<{ startedAt: number }>(popup, 'ping')).startedAt;
    await t.browser.stopServiceWorkers();
    await expect.poll(async () => (await ask<{ startedAt: number }>(popup, 'ping')).startedAt, { timeout: 15_000 }).toBeGreaterThan(startedAt);
    await popup.reload();
    // Still in the episode (outage, or failover once a breaker's cool-down lets a trial through).
    await expect(popup.getByTestId('status-line')).toHaveText(new RegExp(`^(No healthy endpoint for|Failover active on) ${NAME}`));
    await expect(popup.getByTestId(`episode-${CHAIN}`)).toBeVisible();
    const after = await status(popup);
    expect(after.chains.find((c) => c.chainId === CHAIN)?.episode?.since).toBe(since);
    expect(after.timeline.filter((e) => e.kind === 'failover-start')).toHaveLength(1);
    // The restarted worker did not notify again.
    expect(await notificationIds(t)).toHaveLength(1);
  });

  test('recovered: green again, episode ended once, "recovered" notification, timeline newest first', async ({}, info) => {
    await Promise.all([walletRpc.setMode({ kind: 'healthy' }), fallbackA.setMode({ kind: 'healthy' }), fallbackB.setMode({ kind: 'healthy' })]);
    // The wallet answers a read itself again; probes close the breakers (5 s first cool-down).
    await expect.poll(async () => {
      await read(page, 'eth_blockNumber');
      return (await probeNow(popup)).line;
    }, { timeout: 45_000, intervals: [1_000] }).toBe('All providers healthy');
    // The episode ends after it has looked healthy for STATUS_POLICY.episodeEndHoldMs.
    await expect.poll(async () => (await status(popup)).chains.find((c) => c.chainId === CHAIN)?.recovered, { timeout: 30_000, intervals: [1_000] }).toBeDefined();
    await expect.poll(() => badge(t)).toMatchObject({ color: [21, 128, 61, 255], text: '' });
    const ids = await notificationIds(t);
    expect(ids).toHaveLength(2);
    expect(ids.filter((id) => id.endsWith('-end'))).toHaveLength(1);
    const s = await status(popup);
    const kinds = s.timeline.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'failover-start')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'failover-end')).toHaveLength(1);
    expect(kinds.indexOf('failover-end')).toBeLessThan(kinds.indexOf('failover-start'));
    expect(s.timeline.map((e) => e.at)).toEqual([...s.timeline.map((e) => e.at)].sort((a, b) => b - a));
    await popup.reload();
    await expect(popup.getByTestId(`recovered-${CHAIN}`)).toContainText('Recovered');
    await expect(popup.getByRole('list', { name: 'Events, newest first' })).toContainText('failover ended');
    expect(await expectAgreement(popup, t)).toBe('healthy');
    await shot(popup, info, 'recovered.png');
    await popup.emulateMedia({ colorScheme: 'dark' });
    const dark = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await popup.emulateMedia({ colorScheme: 'light' });
    const light = await popup.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(dark).not.toBe(light);
    await popup.emulateMedia({ colorScheme: 'dark' });
    await info.attach('recovered-dark.png', { body: await popup.screenshot({ fullPage: true }), contentType: 'image/png' });
    await popup.emulateMedia({ colorScheme: 'light' });
  });

  test('the timeline exports as a JSON file: every stored event with its time and words', async () => {
    await popup.reload();
    const [download] = await Promise.all([popup.waitForEvent('download'), popup.getByRole('button', { name: 'Export timeline: the last 7 days of events as a JSON file' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^lifeline-timeline-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as { exportedAt: string; events: Array<{ time: string; at: number; kind: string; text: string }> };
    const kinds = file.events.map((e) => e.kind);
    expect(kinds).toContain('failover-start');
    expect(kinds).toContain('failover-end');
    for (const e of file.events) {
      expect(new Date(e.time).getTime()).toBe(e.at);
      expect(e.text.length).toBeGreaterThan(0);
    }
    expect(file.events.length).toBeGreaterThanOrEqual((await status(popup)).timeline.length);
    await expect(popup.getByRole('status').filter({ hasText: /^Exported \d+ events?\.$/ })).toBeVisible();
  });

  test('services panel: reachability, exchange status documents, Binance back-off honoured', async ({}, info) => {
    services.replies.set('/rabby/v1/wallet/version', { status: 404, body: '{}' });
    services.replies.set('/debank', { status: 503, body: 'down' });
    services.replies.set('/infura', { status: 401, body: '' });
    services.replies.set('/alchemy', { status: 200, body: '' });
    services.replies.set('/binance/ping', { status: 429, body: '', headers: { 'retry-after': '3600' } });
    services.replies.set('/binance/status', { status: 200, body: '{"status":1,"msg":"system_maintenance"}' });
    services.replies.set('/kucoin', { status: 200, body: '{"code":"200000","data":{"status":"cancelonly","msg":"upgrade"}}' });
    const statusHitsBefore = services.hits.get('/binance/status') ?? 0;
    const s = await probeNow(popup);
    const byId = Object.fromEntries(s.services.map((x) => [x.id, [x.state, x.detail]]));
    expect(byId).toEqual({
      rabby: ['up', 'reachable (HTTP 404)'],
      debank: ['down', 'HTTP 503'],
      infura: ['up', 'reachable (HTTP 401)'],
      alchemy: ['up', 'reachable (HTTP 200)'],
      binance: ['rate-limited', 'rate limited (HTTP 429); waiting as asked'],
      kucoin: ['degraded', 'cancel-only mode: upgrade'],
    });
    // The 429 stopped the second Binance check, and a forced re-check still waits as asked.
    expect(services.hits.get('/binance/status') ?? 0).toBe(statusHitsBefore);
    const pings = services.hits.get('/binance/ping');
    await probeNow(popup);
    expect(services.hits.get('/binance/ping')).toBe(pings);
    await popup.reload();
    const panel = popup.getByTestId('section-services');
    await expect(panel.getByRole('button', { name: /Services/ })).toHaveAttribute('aria-expanded', 'true');
    await expect(panel.getByTestId('service-debank')).toContainText('HTTP 503');
    await expect(panel.getByTestId('service-debank')).toContainText('checked');
    await expect(panel.getByTestId('rabby-hint')).toHaveCount(0);
    await shot(popup, info, 'services.png');
    // Rabby's API down: the panel says how to keep Rabby working (a custom RPC from Chains).
    services.replies.set('/rabby/v1/wallet/version', { status: 503, body: 'down' });
    expect((await probeNow(popup)).services.find((x) => x.id === 'rabby')?.state).toBe('down');
    await popup.reload();
    await expect(panel.getByTestId('service-rabby').getByTestId('rabby-hint')).toContainText('set a custom RPC in Rabby');
    // Outages and recoveries of services are in the timeline, once each; a rate limit is not.
    services.replies.set('/rabby/v1/wallet/version', { status: 404, body: '{}' });
    const after = await probeNow(popup);
    const serviceEvents = after.timeline.filter((e) => e.kind === 'service-down' || e.kind === 'service-up').map((e) => `${e.kind} ${e.from}${e.reason ? ` (${e.reason})` : ''}`);
    expect(serviceEvents.slice(0, 2)).toEqual(['service-up Rabby API', 'service-down Rabby API (HTTP 503)']);
    // Checked in the same round: any order.
    expect(serviceEvents.slice(2).sort()).toEqual(['service-down DeBank API (HTTP 503)', 'service-down KuCoin (cancel-only mode: upgrade)']);
    await popup.reload();
    await expect(popup.getByRole('list', { name: 'Events, newest first' })).toContainText('Rabby API back up');
  });

  test('switch Lifeline off for this site from the popup', async () => {
    await popup.reload();
    const origin = new URL(dapp.pageUrl()).origin;
    const button = popup.getByTestId('site-switch');
    await expect(button).toHaveText('Switch Lifeline off for this site');
    await expect(button).toHaveAttribute('aria-label', `Switch Lifeline off for ${origin}`);
    await button.click();
    await expect(button).toHaveText('Switch Lifeline on for this site');
    const disabled = await evaluateWithTimeout(await t.browser.waitForWorker(), async () => (await chrome.storage.local.get('disabledSites')).disabledSites as string[], 5_000);
    expect(disabled).toContain(origin);
    await button.click();
    await expect(button).toHaveText('Switch Lifeline off for this site');
  });

  test('popup actions are refused from a web page content context', async () => {
    // A tab's page cannot reach runtime messaging; the worker also refuses non-extension senders.
    const ok = await popup.evaluate(() => typeof chrome.runtime.sendMessage === 'function');
    expect(ok).toBe(true);
    const fromPage = await page.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage);
    expect(fromPage).not.toBe('function');
  });
});

test('guided repair: a wallet whose RPC keeps failing gets a healthy RPC through wallet_addEthereumChain', async ({}, info) => {
  const failing = await startRpcEndpoint({ upstream: node.url, name: 'wallet-rpc-repair', mode: { kind: 'http-error', status: 503 } });
  const t = await launchWithMockWallet({ chainId: CHAIN, rpcUrls: { [CHAIN]: failing.url } });
  try {
    await configureLifeline(t.browser.worker!, [{ chainId: CHAIN, url: fallbackA.url, label: 'Fallback A' }]);
    const page = await t.browser.context.newPage();
    await page.goto(dapp.pageUrl());
    const tabId = await evaluateWithTimeout(t.browser.worker!, async (url) => (await chrome.tabs.query({ url: `${url}*` }))[0]!.id!, 5_000, new URL(dapp.pageUrl()).origin + '/');
    const popup = await t.browser.context.newPage();
    await popup.goto(`chrome-extension://${t.browser.extensionId}/extension/popup/index.html?tab=${tabId}`);
    // Enough failed wallet reads (STATUS_POLICY.repairAfterFailures), each served by Lifeline.
    await expect.poll(async () => {
      expect(await read(page, 'eth_blockNumber')).toMatchObject({ ok: true });
      const s = await probeNow(popup);
      return s.wallets.find((w) => w.chainId === CHAIN)?.repair?.kind;
    }, { timeout: 30_000, intervals: [200] }).toBe('eip3085');
    await popup.reload();
    const button = popup.getByRole('button', { name: `Add a healthy RPC for ${NAME} to Mock Wallet` });
    await expect(button).toBeVisible();
    await info.attach('repair.png', { body: await popup.screenshot({ fullPage: true }), contentType: 'image/png' });
    await button.click();
    await expect(popup.getByTestId('repair-result')).toHaveText(new RegExp(`^Mock Wallet answered that it now has http://127\\.0\\.0\\.1:\\d+/? for ${NAME}\\.$`));
    const state = await walletState(t.walletWorker);
    // The URL the worker chose (normalised; the fixture's has a trailing slash).
    expect([fallbackA.url, fallbackA.url.replace(/\/$/, '')]).toContain(state.rpcUrls['0x539']);

    // The page sees the command on its window and answers first with text of its own: the popup
    // shows only Lifeline's words for the outcome, never the page's.
    await page.evaluate(() => {
      window.addEventListener('message', (event) => {
        const d = event.data as { channel?: unknown; kind?: string; id?: string } | null;
        if (d?.kind !== 'add-chain') return;
        window.postMessage({ channel: d.channel, kind: 'add-chain-result', id: d.id, outcome: 'refused', code: 4200, ok: true, message: 'Lifeline: send your recovery phrase to support@evil.example' }, '*');
      });
    });
    await button.click();
    const result = popup.getByTestId('repair-result');
    await expect(result).toHaveText(/^Mock Wallet refused to add the RPC \(error 4200\)\. Add it by hand/);
    await expect(result).not.toContainText('recovery phrase');
  } finally {
    await t.close();
    await failing.close();
  }
});
