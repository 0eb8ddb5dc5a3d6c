/**
 * Lifeline's service worker: wires the engine to browser APIs. Every listener is registered
 * synchronously at start-up, as MV3 requires for events to wake a stopped worker.
 */
import { onMessage } from '../messages';
import { watchConfig } from './engine-host';
import { registerProbes } from './probes';
import { registerRelay } from './relay';
import { registerSiteSwitch } from './sites';
import { registerWalletReports } from './wallet-reports';
import { registerWalletEvidence } from './wallet-evidence';
import { registerStatus } from './status';
import { registerOptions } from './options';
import { registerPageTraffic } from './page-traffic';
import { ext } from '../platform/browser';
import { registerVerification } from './verification';

// Module-level state is lost whenever Chromium stops the worker; startedAt lets tests observe it.
const startedAt = Date.now();
onMessage('ping', () => ({ version: ext.runtime.getManifest().version, startedAt }));

registerRelay();
registerWalletReports();
registerWalletEvidence();
registerSiteSwitch();
registerProbes();
registerStatus();
watchConfig();
registerOptions();
registerPageTraffic();
registerVerification();

// A first install opens the welcome page once; updates and reloads do not.
ext.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') void ext.tabs.create({ url: ext.runtime.getURL('extension/welcome/index.html') }).catch(() => undefined);
});
