import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchWithExtensions, LIFELINE_DIST, type LaunchedBrowser } from './fixtures/browser';
import { askLifeline } from './fixtures/lifeline';

let browser: LaunchedBrowser;
test.beforeAll(async () => {
  browser = await launchWithExtensions();
});
test.afterAll(async () => {
  await browser?.close();
});

test('built manifest is MV3 with a module service worker and no web-accessible resources', async () => {
  const manifest = JSON.parse(await readFile(join(LIFELINE_DIST, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest.manifest_version).toBe(3);
  expect(manifest.background).toMatchObject({ type: 'module' });
  expect(manifest.web_accessible_resources ?? []).toEqual([]);
  const scripts = manifest.content_scripts as Array<{ js: string[]; world?: string; run_at: string }>;
  const main = scripts.find((s) => s.world === 'MAIN');
  expect(main?.run_at).toBe('document_start');
  // The MAIN-world file must be one synchronous IIFE, not a loader that import()s code later.
  const code = await readFile(join(LIFELINE_DIST, main!.js[0]!), 'utf8');
  expect(code).not.toMatch(/\bimport\s*\(/);
  expect(code.trimStart().startsWith('(function')).toBe(true);
});

test('service worker answers and the popup renders', async () => {
  expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
  const popup = await browser.openPopup();
  await expect(popup.getByRole('heading', { name: 'Lifeline' })).toBeVisible();
  await expect(popup.getByTestId('worker-status')).toHaveText(/^Running v\d+\.\d+\.\d+$/);
  await popup.close();
});

test('service worker restarts after being stopped, and the popup reconnects', async () => {
  const popup = await browser.openPopup();
  const ping = async () => (await askLifeline<{ startedAt: number }>(popup, 'ping')).startedAt;
  const before = await ping();
  await browser.stopServiceWorkers();
  // The next message wakes a fresh worker, whose module state (startedAt) is new.
  await expect.poll(ping, { timeout: 15_000 }).toBeGreaterThan(before);
  await popup.reload();
  await expect(popup.getByTestId('worker-status')).toHaveText(/^Running/);
  await popup.close();
});

test('the test browser reaches only loopback: public hosts fail at name resolution', async () => {
  const worker = await browser.waitForWorker();
  const outcome = (url: string) =>
    worker.evaluate(async (u) => {
      try {
        await fetch(u, { method: 'POST', body: '{}' });
        return 'reached';
      } catch (e) {
        return `failed: ${String(e)}`;
      }
    }, url);
  // A default registry endpoint: without the resolver rule this would go to the internet.
  expect(await outcome('https://ethereum-rpc.publicnode.com/')).toMatch(/^failed/);
  const local = await import('node:http').then(({ createServer }) => new Promise<{ url: string; close(): void }>((resolve) => {
    const server = createServer((_, res) => res.end('ok')).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
    });
  }));
  try {
    expect(await outcome(local.url)).toBe('reached');
  } finally {
    local.close();
  }
});
