/**
 * Issue 6 options page in real Chromium: the worker validates every document before storing it
 * (import, add endpoint, tuning), bad files change nothing and say precisely why, export
 * round-trips, and a new endpoint is asked for its chain id before it is saved.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { launchWithExtensions, evaluateWithTimeout, type LaunchedBrowser } from './fixtures/browser';
import { startEvmNode, type EvmNode } from './fixtures/evm-node';
import { startRpcEndpoint, type RpcEndpoint } from './fixtures/rpc-endpoint';
import { askLifeline } from './fixtures/lifeline';
import { expectNoUnformattedNumbers } from './fixtures/page-checks';

test.describe.configure({ mode: 'serial' });

let browser: LaunchedBrowser;
let mainnet: EvmNode;
let bsc: EvmNode;
let mainnetRpc: RpcEndpoint;
let bscRpc: RpcEndpoint;
let page: Page;

test.beforeAll(async () => {
  [mainnet, bsc] = await Promise.all([startEvmNode({ chainId: 1 }), startEvmNode({ chainId: 56 })]);
  [mainnetRpc, bscRpc] = await Promise.all([
    startRpcEndpoint({ name: 'mainnet', upstream: mainnet.url }),
    startRpcEndpoint({ name: 'bsc', upstream: bsc.url }),
  ]);
  browser = await launchWithExtensions();
  page = await browser.openOptions();
  await expect(page.getByRole('heading', { name: 'Lifeline options' })).toBeVisible();
});

test.afterAll(async () => {
  await browser?.close();
  await Promise.all([mainnetRpc?.close(), bscRpc?.close()]);
  await Promise.all([mainnet?.close(), bsc?.close()]);
});

const stored = () => evaluateWithTimeout(browser.worker!, async () => (await chrome.storage.local.get('userConfig')).userConfig ?? null, 5_000);

async function importText(text: string, name = 'lifeline.json'): Promise<void> {
  await page.getByLabel('Import configuration').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('importing the smallest documented file stores it', async () => {
  const file = { version: 1, endpoints: [{ chainId: 1, url: mainnetRpc.url, label: 'My node' }] };
  await importText(JSON.stringify(file));
  await expect(page.getByTestId('notice')).toContainText('Import: saved.');
  expect(await stored()).toEqual(file);
  const first = page.getByTestId('chain-1').getByTestId('endpoint').first();
  await expect(first).toContainText('My node');
  await expect(first).toHaveAttribute('data-source', 'user');
  await expect(first.getByTestId('endpoint-facts')).toHaveText('provider My node · infrastructure self-hosted · privacy no tracking');
  // Defaults list their provider, infrastructure and privacy label.
  await expect(page.locator('[data-endpoint-id="1:drpc"]').getByTestId('endpoint-facts')).toHaveText('provider dRPC · infrastructure decentralised · privacy no tracking');
  await expect(page.locator('[data-endpoint-id="1:lava"]').getByTestId('endpoint-facts')).toContainText('privacy tracks users');
});

test('each endpoint shows what Lifeline knows of its health: healthy with p50, down with the reason, off', async () => {
  // The own node from the previous test answers; a second one refuses connections.
  const dead = 'http://127.0.0.1:9/';
  await importText(JSON.stringify({ version: 1, endpoints: [{ chainId: 1, url: mainnetRpc.url, label: 'My node' }, { chainId: 1, url: dead, label: 'Dead node' }], disabledEndpoints: ['1:drpc'] }));
  await expect(page.getByTestId('notice')).toContainText('Import: saved.');
  // Probe the way the popup's "Probe now" does (the defaults fail fast here), until the engine
  // rebuilt for the imported file has checked both nodes.
  const row = (label: string) => page.getByTestId('chain-1').getByTestId('endpoint').filter({ hasText: label });
  await expect.poll(async () => {
    await askLifeline(page, 'probeNow');
    await page.reload();
    return [await row('My node').getByTestId('endpoint-health').innerText(), await row('Dead node').getByTestId('endpoint-health').innerText()];
  }, { timeout: 20_000 }).toEqual([expect.stringMatching(/^healthy, p50 \d+ ms$/), expect.stringMatching(/^(down|degraded): .+/)]);
  await expect(page.locator('[data-endpoint-id="1:drpc"]').getByTestId('endpoint-health')).toHaveText('off: not checked');
  await importText(JSON.stringify({ version: 1, endpoints: [{ chainId: 1, url: mainnetRpc.url, label: 'My node' }] }));
  await expect.poll(stored).toEqual({ version: 1, endpoints: [{ chainId: 1, url: mainnetRpc.url, label: 'My node' }] });
});

test('an imported endpoint is asked for its chain: a wrong chain refuses the whole file', async () => {
  const before = await stored();
  await importText(JSON.stringify({ version: 1, endpoints: [{ chainId: 1, url: bscRpc.url, label: 'Not mainnet' }] }));
  const notice = page.getByTestId('notice');
  await expect(notice).toContainText('Import: rejected, nothing was changed.');
  await expect(notice).toContainText(`endpoints[0].url: ${bscRpc.url} serves chain 56 (BNB Smart Chain), expected chain 1 (Ethereum)`);
  expect(await stored()).toEqual(before);
});

test('bad files are refused with a precise message and change nothing', async () => {
  const before = await stored();
  const cases: Array<[string, string]> = [
    ['{"version": 1,\n  "endpoints": ,\n}', "JSON syntax error at line 2, column 16: expected a value but found ','"],
    ['{"version": 2}', 'version: unsupported version 2 (this Lifeline understands version 1)'],
    ['{"version": 1, "endpoints": [{"chainId": 1, "url": "http://rpc.example.com"}]}', 'endpoints[0].url: must be https (http is allowed only for loopback hosts'],
    ['{"version": 1, "endpionts": []}', 'endpionts: unknown key'],
  ];
  for (const [text, message] of cases) {
    await importText(text);
    const notice = page.getByTestId('notice');
    await expect(notice).toContainText('Import: rejected, nothing was changed.');
    await expect(notice).toContainText(message);
    expect(await stored()).toEqual(before);
  }
});

test('export downloads the stored configuration, which imports back unchanged', async () => {
  const before = await stored();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export configuration' }).click()]);
  const text = await readFile((await download.path())!, 'utf8');
  expect(JSON.parse(text)).toEqual(before);
  await importText(text);
  await expect(page.getByTestId('notice')).toContainText('Import: saved.');
  expect(await stored()).toEqual(before);
});

test('adding an endpoint checks its chain: wrong chain refused, right chain saved and listed first', async () => {
  await importText('{"version": 1}');
  await expect(page.getByTestId('notice')).toContainText('Import: saved.');
  const form = page.getByRole('region', { name: 'Add an endpoint' });
  await form.getByLabel('Chain id').fill('1');
  await form.getByLabel('URL').fill(bscRpc.url);
  await form.getByLabel('Label').fill('BSC by mistake');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  const progress = page.getByTestId('add-progress');
  await expect(progress).toContainText('serves chain 56 (BNB Smart Chain), expected chain 1 (Ethereum)');
  expect(await stored()).toEqual({ version: 1 });

  await form.getByLabel('URL').fill(mainnetRpc.url);
  await form.getByLabel('Label').fill('My mainnet node');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(progress).toContainText('Saved');
  expect(await stored()).toEqual({ version: 1, endpoints: [{ chainId: 1, url: mainnetRpc.url, label: 'My mainnet node' }] });
  const first = page.getByTestId('chain-1').getByTestId('endpoint').first();
  await expect(first).toContainText('My mainnet node');

  // Disable, enable and remove it again.
  await page.getByRole('button', { name: 'Disable My mainnet node on chain 1' }).click();
  await expect(page.getByRole('button', { name: 'Enable My mainnet node on chain 1' })).toBeVisible();
  expect(((await stored()) as { disabledEndpoints?: string[] }).disabledEndpoints).toHaveLength(1);
  await page.getByRole('button', { name: 'Enable My mainnet node on chain 1' }).click();
  await expect(page.getByRole('button', { name: 'Disable My mainnet node on chain 1' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove My mainnet node on chain 1' }).click();
  await expect(first).not.toContainText('My mainnet node');
  expect(await stored()).toEqual({ version: 1 });
});

test('endpoints can be moved up and down; the order is stored and survives a reload', async () => {
  const ids = () => page.getByTestId('chain-1').getByTestId('endpoint').evaluateAll((els) => els.map((e) => e.getAttribute('data-endpoint-id')));
  await page.getByTestId('chain-1').locator('summary').click();
  expect((await ids()).slice(0, 3)).toEqual(['1:publicnode', '1:drpc', '1:pocket']);
  await page.getByRole('button', { name: 'Move dRPC up on chain 1' }).click();
  await expect.poll(stored).toEqual({ version: 1, order: { '1': ['1:drpc', '1:publicnode'] } });
  await page.getByRole('button', { name: 'Move PublicNode down on chain 1' }).click();
  await expect.poll(stored).toEqual({ version: 1, order: { '1': ['1:drpc', '1:pocket', '1:publicnode'] } });
  // Disabling keeps the order.
  await page.getByRole('button', { name: 'Disable Pocket Network on chain 1' }).click();
  await expect.poll(stored).toEqual({ version: 1, order: { '1': ['1:drpc', '1:pocket', '1:publicnode'] }, disabledEndpoints: ['1:pocket'] });
  await page.reload();
  await page.getByTestId('chain-1').locator('summary').click();
  expect((await ids()).slice(0, 4)).toEqual(['1:drpc', '1:pocket', '1:publicnode', '1:1rpc']);
  await expect(page.getByRole('button', { name: 'Enable Pocket Network on chain 1' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Move dRPC up on chain 1' })).toBeDisabled();
  await page.getByRole('button', { name: 'Enable Pocket Network on chain 1' }).click();
  await expect.poll(stored).toEqual({ version: 1, order: { '1': ['1:drpc', '1:pocket', '1:publicnode'] } });
  await importText('{"version": 1}');
  await expect.poll(stored).toEqual({ version: 1 });
});

test('unreachable endpoint is refused', async () => {
  const form = page.getByRole('region', { name: 'Add an endpoint' });
  await form.getByLabel('Chain id').fill('1');
  await form.getByLabel('URL').fill('http://127.0.0.1:9/');
  await form.getByRole('button', { name: 'Add endpoint' }).click();
  await expect(page.getByTestId('add-progress')).toContainText('unreachable:');
  expect(await stored()).toEqual({ version: 1 });
});

const PROBE_LABEL = 'Check the endpoints of chains in use every (seconds, default 30 s)';
const HEDGE_MAX_LABEL = 'Wait at most this long before asking a second endpoint (milliseconds, default 750 ms)';

test('a tuning knob out of range is refused with its bounds; in range is saved', async () => {
  // Knobs are labelled in words, with their unit and default.
  const knob = page.getByLabel('Give up on a request after (milliseconds, default 8 s)', { exact: true });
  await knob.fill('10');
  await page.getByRole('button', { name: 'Save tuning' }).click();
  await expect(page.locator('#knob-requestDeadlineMs-error')).toHaveText('Give up on a request after: must be between 1000 and 60000 ms (got 10)');
  expect(await stored()).toEqual({ version: 1 });
  await knob.fill('12000');
  await page.getByRole('button', { name: 'Save tuning' }).click();
  await expect(page.getByTestId('notice')).toContainText('Tuning for all chains: saved.');
  expect(await stored()).toEqual({ version: 1, policy: { requestDeadlineMs: 12000 } });
  // An imported file's knobs show up in the fields.
  await importText('{"version": 1, "policy": {"probeIntervalSec": 60}}');
  await expect(page.getByLabel(PROBE_LABEL, { exact: true })).toHaveValue('60');
  await expect(knob).toHaveValue('');
  await importText('{"version": 1}');
  await expect(page.getByLabel(PROBE_LABEL, { exact: true })).toHaveValue('');
});

test('tuning for one chain: stored under chainPolicy, inherits the all-chains value, errors on the field, reset', async () => {
  const scope = page.getByLabel('Applies to');
  const lag = page.getByLabel('Let an endpoint fall this many blocks behind before calling it lagging (blocks, default 3 blocks)', { exact: true });
  await expect(lag).toHaveAttribute('placeholder', 'default 3 blocks');
  await lag.fill('5');
  await page.getByRole('button', { name: 'Save tuning' }).click();
  await expect.poll(stored).toEqual({ version: 1, policy: { lagToleranceBlocks: 5 } });

  const polygon = await scope.locator('option', { hasText: '(137)' }).textContent();
  await scope.selectOption({ label: polygon! });
  await expect(page.getByRole('form', { name: `Engine tuning for ${polygon}` })).toBeVisible();
  // Empty fields say what they inherit: the all-chains value where there is one.
  await expect(lag).toHaveValue('');
  await expect(lag).toHaveAttribute('placeholder', 'all chains: 5 blocks');
  await expect(page.getByLabel(PROBE_LABEL, { exact: true })).toHaveAttribute('placeholder', 'default 30 s');
  await lag.fill('20');
  await page.getByRole('button', { name: 'Save tuning' }).click();
  await expect(page.getByTestId('notice')).toContainText(`Tuning for ${polygon}: saved.`);
  expect(await stored()).toEqual({ version: 1, policy: { lagToleranceBlocks: 5 }, chainPolicy: { '137': { lagToleranceBlocks: 20 } } });
  await expect(page.getByTestId('chain-tuning')).toContainText(`${polygon}: lag allowed 20 blocks`);

  // A contradiction inside the chain's own values is shown on its field; nothing is stored.
  await page.getByLabel('Wait at least this long before asking a second endpoint (milliseconds, default 150 ms)', { exact: true }).fill('800');
  await page.getByLabel(HEDGE_MAX_LABEL, { exact: true }).fill('400');
  await page.getByRole('button', { name: 'Save tuning' }).click();
  await expect(page.locator('#knob-hedgeDelayMaxMs-error')).toHaveText('Wait at most this long before asking a second endpoint: must be at least “shortest wait before a second endpoint” (400 < 800)');
  await expect(page.getByLabel(HEDGE_MAX_LABEL, { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(await stored()).toEqual({ version: 1, policy: { lagToleranceBlocks: 5 }, chainPolicy: { '137': { lagToleranceBlocks: 20 } } });

  // Back on all chains the chain's values are not shown; reset drops the chain's entry.
  await scope.selectOption('all');
  await expect(lag).toHaveValue('5');
  await page.getByRole('button', { name: `Reset ${polygon} to the all-chains values` }).click();
  await expect.poll(stored).toEqual({ version: 1, policy: { lagToleranceBlocks: 5 } });
  await expect(page.getByTestId('chain-tuning')).toHaveCount(0);
  await importText('{"version": 1}');
  await expect.poll(stored).toEqual({ version: 1 });
});

test('notifications and hide-tracking switches', async () => {
  await page.getByLabel('Notify me when a chain I use fails over').uncheck();
  await expect.poll(() => evaluateWithTimeout(browser.worker!, async () => (await chrome.storage.local.get('notificationsEnabled')).notificationsEnabled, 5_000)).toBe(false);
  await page.getByLabel('Hide endpoints that track users').check();
  await expect.poll(stored).toMatchObject({ privacy: { hideTracking: true } });
});

test('no unformatted number on the page, every disclosure open', async () => {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
  await expectNoUnformattedNumbers(page);
});
