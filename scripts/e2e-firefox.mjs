#!/usr/bin/env node
// The Firefox e2e subset: builds dist-firefox/ and runs e2e-firefox/ when Firefox ESR is installed;
// without it, says so and skips (exit 0), so `npm test` still runs on a machine with Chromium only.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const firefox = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
if (!existsSync(firefox)) {
  console.log(`[e2e-firefox] SKIPPED: no Firefox at ${firefox}.
  On Debian/Ubuntu:  sudo apt-get install -y firefox-esr     (gives /usr/bin/firefox-esr)
  Or point FIREFOX_PATH at a Firefox 128+ binary.`);
  process.exit(0);
}
console.log(`[e2e-firefox] using ${firefox}`);
const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FIREFOX_PATH: firefox } });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('npm', ['run', 'build:firefox']);
run('npx', ['playwright', 'test', '-c', 'playwright.firefox.config.ts', ...process.argv.slice(2)]);
