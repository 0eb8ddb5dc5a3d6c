#!/usr/bin/env node
// Makes sure a Chromium that can load unpacked extensions exists (Google-branded Chrome 137+
// ignores --load-extension, so Chromium is required). On a fresh Debian/Ubuntu machine it
// installs Debian's `chromium` itself when it may (root, or sudo without a password), saying
// what it runs and why, so the README's two commands do all the set-up; otherwise it prints
// the one command to run and exits non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { findChromium } from './browser-path.mjs';

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };

/**
 * What to do, from what this machine offers. Pure, so the decision is unit-tested.
 * @param {{ found: string | undefined; isRoot: boolean; passwordlessSudo: boolean; hasApt: boolean }} machine
 * @returns {{ action: 'use'; path: string } | { action: 'install'; commands: string[][] } | { action: 'advise'; command: string }}
 */
export function planBrowserSetup(machine) {
  if (machine.found) return { action: 'use', path: machine.found };
  if (!machine.hasApt) return { action: 'advise', command: 'npx playwright install chromium   (or set CHROMIUM_PATH to a Chromium binary)' };
  const sudo = machine.isRoot ? [] : ['sudo', '-n'];
  if (machine.isRoot || machine.passwordlessSudo) {
    return { action: 'install', commands: [[...sudo, 'apt-get', 'update', '-qq'], [...sudo, 'apt-get', 'install', '-y', '-qq', 'chromium']] };
  }
  return { action: 'advise', command: 'sudo apt-get update && sudo apt-get install -y chromium' };
}

function playwrightChromium() {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core');
    const bundled = chromium.executablePath();
    return bundled && existsSync(bundled) ? bundled : undefined;
  } catch {
    return undefined; // playwright-core missing or no bundled browser
  }
}

const succeeds = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

function main() {
  const found = findChromium() ?? playwrightChromium();
  const plan = planBrowserSetup({
    found,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    passwordlessSudo: succeeds('sudo', ['-n', 'true']),
    hasApt: succeeds('sh', ['-c', 'command -v apt-get']),
  });
  if (plan.action === 'use') {
    console.log(`[ensure-browser] using ${plan.path}`);
    return 0;
  }
  if (plan.action === 'advise') {
    console.error(`[ensure-browser] No Chromium found. Lifeline's tests and \`npm start\` need one that loads unpacked extensions
  (Google Chrome 137+ ignores --load-extension). Run this once, then the same npm command again:

    ${plan.command}
`);
    return 1;
  }
  console.log("[ensure-browser] No Chromium found: installing Debian's chromium package (the tests and `npm start` drive it; Google Chrome cannot load unpacked extensions).");
  for (const [command, ...args] of plan.commands) {
    console.log(`[ensure-browser] running: ${[command, ...args].join(' ')}`);
    const run = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...APT_ENV } });
    if (run.status !== 0) {
      console.error(`[ensure-browser] \`${[command, ...args].join(' ')}\` failed (exit ${run.status}). Install Chromium by hand (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
      return 1;
    }
  }
  const installed = findChromium();
  if (!installed) {
    console.error('[ensure-browser] chromium was installed but no binary is at /usr/bin/chromium; set CHROMIUM_PATH to it.');
    return 1;
  }
  console.log(`[ensure-browser] installed; using ${installed}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(main());
