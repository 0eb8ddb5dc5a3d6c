#!/usr/bin/env node
// Makes sure a Chromium that can load unpacked extensions exists, and says what to do if not.
// Google-branded Chrome 137+ ignores --load-extension, so Chromium is required.
import { findChromium } from './browser-path.mjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const found = findChromium();
if (found) {
  console.log(`[ensure-browser] using ${found}`);
  process.exit(0);
}
try {
  const require = createRequire(import.meta.url);
  const { chromium } = require('playwright-core');
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) {
    console.log(`[ensure-browser] using Playwright's Chromium at ${bundled}`);
    process.exit(0);
  }
} catch {
  // playwright-core missing or no bundled browser: fall through to the advice below.
}
console.error(`[ensure-browser] No Chromium found.
  On Debian/Ubuntu:   sudo apt-get install -y chromium        (gives /usr/bin/chromium)
  Elsewhere:          npx playwright install chromium          (needs internet access)
  Or point CHROMIUM_PATH at a Chromium binary (not Google Chrome 137+, which ignores --load-extension).`);
process.exit(1);
