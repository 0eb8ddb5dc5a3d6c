import { defineConfig } from '@playwright/test';

// The Firefox subset (e2e-firefox/): Playwright runs the tests, puppeteer-core drives Firefox ESR
// (e2e-firefox/fixtures/firefox.ts). One worker: a Firefox launch is heavy on this 2-core machine
// and runs beside nothing else in CI.
export default defineConfig({
  testDir: 'e2e-firefox',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/firefox',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
});
