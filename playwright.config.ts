import { defineConfig } from '@playwright/test';

// Each test launches its own persistent Chromium context with the built extension (e2e/fixtures/browser.ts),
// so the projects here only set timeouts and artifacts. Two workers: the machine has two cores.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
});
