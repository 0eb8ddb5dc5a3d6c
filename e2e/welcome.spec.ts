/**
 * The first-run page: opened once on install, says what Lifeline does and never does, what the
 * badge colours mean and where the settings are, shows the live state with the popup's words;
 * accessible (axe, light and dark) and usable from the keyboard.
 */
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { launchWithExtensions, type LaunchedBrowser } from './fixtures/browser';
import { askLifeline } from './fixtures/lifeline';
import { expectNoUnformattedNumbers, screenshotBothSchemes } from './fixtures/page-checks';
import type { PopupStatus } from '../extension/protocol/popup';

let browser: LaunchedBrowser;
let welcome: Page;

test.beforeAll(async () => {
  browser = await launchWithExtensions();
  const url = `chrome-extension://${browser.extensionId}/extension/welcome/index.html`;
  // Opened by the worker's install event, not by the test.
  await expect.poll(() => browser.context.pages().some((p) => p.url() === url), { timeout: 15_000 }).toBe(true);
  welcome = browser.context.pages().find((p) => p.url() === url)!;
});
test.afterAll(async () => {
  await browser?.close();
});

test('opens once on install and says what Lifeline does, never does, and what the badge means', async ({}, info) => {
  await expect(welcome.getByRole('heading', { level: 1, name: 'Welcome to Lifeline' })).toBeVisible();
  for (const heading of ['What it never does', 'What the toolbar badge means', 'Settings', 'What Lifeline sees now']) {
    await expect(welcome.getByRole('heading', { level: 2, name: heading })).toBeVisible();
  }
  await expect(welcome.getByRole('main')).toContainText('never signs anything');
  await expect(welcome.getByRole('main')).toContainText('No telemetry');
  await expect(welcome.getByRole('list', { name: 'Badge colours' }).getByRole('listitem')).toHaveCount(5);
  // The live part uses the popup's words: the same headline as the worker's view.
  await expect.poll(async () => (await welcome.getByTestId('status-line').innerText()) === (await askLifeline<PopupStatus>(welcome, 'popupStatus')).line, { timeout: 15_000 }).toBe(true);
  await expectNoUnformattedNumbers(welcome);
  await screenshotBothSchemes(welcome, welcome.locator('main'), info, 'welcome');
  // A restarted worker (an update, a browser restart) does not open it again.
  await browser.stopServiceWorkers();
  await browser.waitForWorker().catch(() => undefined);
  const welcomes = browser.context.pages().filter((p) => p.url().endsWith('/extension/welcome/index.html'));
  expect(welcomes).toHaveLength(1);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`no WCAG A/AA violations, ${scheme}`, async () => {
    await welcome.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page: welcome }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await welcome.emulateMedia({ colorScheme: 'light' });
  });
}

test('keyboard: Tab reaches "Open options", Enter opens the options page', async () => {
  await welcome.bringToFront();
  await welcome.locator('body').focus();
  const button = welcome.getByRole('button', { name: 'Open options' });
  for (let i = 0; i < 10 && !(await button.evaluate((b) => b === document.activeElement)); i++) await welcome.keyboard.press('Tab');
  await expect(button).toBeFocused();
  const opened = browser.context.waitForEvent('page');
  await welcome.keyboard.press('Enter');
  const options = await opened;
  await expect.poll(() => options.url()).toContain('/extension/options/index.html');
  await options.close();
});
