import { describe, expect, it } from 'vitest';
import { planBrowserSetup } from './ensure-browser.mjs';

const machine = { found: undefined, isRoot: false, passwordlessSudo: false, hasApt: true };

describe('the browser check of the README commands', () => {
  it('uses a Chromium that is there', () => {
    expect(planBrowserSetup({ ...machine, found: '/usr/bin/chromium' })).toEqual({ action: 'use', path: '/usr/bin/chromium' });
  });

  it("installs Debian's chromium as root, or with sudo that needs no password", () => {
    expect(planBrowserSetup({ ...machine, isRoot: true })).toEqual({ action: 'install', commands: [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', 'chromium']] });
    expect(planBrowserSetup({ ...machine, passwordlessSudo: true })).toEqual({
      action: 'install', commands: [['sudo', '-n', 'apt-get', 'update', '-qq'], ['sudo', '-n', 'apt-get', 'install', '-y', '-qq', 'chromium']],
    });
  });

  it('otherwise prints the one command to run, and never asks for a password itself', () => {
    expect(planBrowserSetup(machine)).toEqual({ action: 'advise', command: 'sudo apt-get update && sudo apt-get install -y chromium' });
    expect(planBrowserSetup({ ...machine, hasApt: false, isRoot: true })).toMatchObject({ action: 'advise', command: expect.stringContaining('playwright install chromium') });
  });
});
