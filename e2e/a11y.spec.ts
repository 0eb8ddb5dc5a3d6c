/**
 * Accessibility of the popup and the options page, light and dark, checked by axe-core
 * (WCAG 2.1 A/AA rules: names of controls, contrast, landmarks, lists, ARIA use), with every
 * disclosure opened so hidden panels are checked too.
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { evaluateWithTimeout, launchWithExtensions, type LaunchedBrowser } from './fixtures/browser';
import { buildPopupSeed } from '../bench/popup-seed';

let browser: LaunchedBrowser;
test.beforeAll(async () => {
  browser = await launchWithExtensions();
});
test.afterAll(async () => {
  await browser?.close();
});

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function openPopupFully(): Promise<Page> {
  const popup = await browser.openPopup();
  await expect.poll(() => popup.evaluate(() => performance.getEntriesByName('lifeline-fresh-rendered').length)).toBe(1);
  const closed = popup.locator('button.disclosure[aria-expanded="false"]');
  while ((await closed.count()) > 0) await closed.first().click();
  return popup;
}

test('the checker itself catches an unnamed control', async () => {
  const popup = await openPopupFully();
  await popup.evaluate(() => document.querySelector('main')!.append(document.createElement('button')));
  expect((await violations(popup)).some((v) => v.startsWith('button-name'))).toBe(true);
  await popup.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`popup with every state at once (failover, no healthy endpoint, failing wallet, events), ${scheme}: no violations`, async () => {
    // The popup benchmark's week of state, built by the engine: every chain in use, one with no
    // healthy endpoint, failing endpoints, wallets, 2,000 timeline events.
    const seed = await buildPopupSeed(Date.now());
    await evaluateWithTimeout(browser.worker!, async (session) => { await chrome.storage.session.set(session); }, 15_000, seed.session);
    await browser.stopServiceWorkers();
    const popup = await openPopupFully();
    await popup.emulateMedia({ colorScheme: scheme });
    await expect(popup.locator('.dot.level-outage').first()).toBeVisible();
    await expect(popup.locator('.dot.level-failover').first()).toBeVisible();
    expect(await violations(popup)).toEqual([]);
    await popup.close();
  });

  test(`popup, ${scheme}: no WCAG A/AA violations with every panel open`, async () => {
    const popup = await browser.openPopup();
    await popup.emulateMedia({ colorScheme: scheme });
    await expect(popup.getByTestId('status-line')).not.toHaveText('Loading health…');
    await expect.poll(() => popup.evaluate(() => performance.getEntriesByName('lifeline-fresh-rendered').length)).toBe(1);
    const closed = popup.locator('button.disclosure[aria-expanded="false"]');
    while ((await closed.count()) > 0) await closed.first().click();
    expect(await violations(popup)).toEqual([]);
    await popup.close();
  });

  test(`options, ${scheme}: no WCAG A/AA violations with every chain open`, async () => {
    const options = await browser.openOptions();
    await options.emulateMedia({ colorScheme: scheme });
    await expect(options.getByRole('heading', { name: 'Engine tuning' })).toBeVisible();
    await options.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    expect(await violations(options)).toEqual([]);
    await options.close();
  });
}
