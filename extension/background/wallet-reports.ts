/**
 * Wallet health from the page guards' observations. The reports came from web pages, so each is
 * sanitised again; they only ever change what the popup shows, never routing.
 */
import { onMessage } from '../messages';
import { sanitizeWalletReport, WalletHealth } from '../../src/wallet-health';
import { debouncedWriter, session } from './storage';
import { siteOf } from './sites';
import { noteChainInUse } from './chains-in-use';

/** Wallet health is written at most once per second whatever the traffic. */
const PERSIST_INTERVAL_MS = 1000;
/** The bridge batches at most this many reports; anything bigger is not from our bridge. */
const MAX_BATCH = 200;

let health: Promise<WalletHealth> | null = null;

export function getWalletHealth(): Promise<WalletHealth> {
  health ??= session.get('walletHealth').then((stored) => WalletHealth.restore(stored as Parameters<typeof WalletHealth.restore>[0]));
  return health;
}

const persist = debouncedWriter(async () => session.set('walletHealth', (await getWalletHealth()).snapshot()), PERSIST_INTERVAL_MS);

export function registerWalletReports(): void {
  onMessage('walletReports', async ({ data, sender }) => {
    if (sender.id !== chrome.runtime.id || !Array.isArray(data)) return;
    const site = siteOf(sender.tab?.url ?? sender.url) ?? 'unknown site';
    const store = await getWalletHealth();
    const now = Date.now();
    for (const raw of data.slice(0, MAX_BATCH)) {
      const report = sanitizeWalletReport(raw);
      if (!report) continue;
      store.record(report, now, site);
      if (report.chainId !== null) noteChainInUse(report.chainId, now);
    }
    persist();
  });
}
