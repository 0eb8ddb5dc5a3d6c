/**
 * Wallet health from the page guards' observations. The reports came from web pages, so each is
 * sanitised again; they only ever change what the popup shows, never routing.
 */
import { onMessage } from '../messages';
import { sanitizeWalletReport, WalletHealth } from '../../src/wallet/health';
import { SHELL_POLICY, WALLET_REPORTING } from '../../src/policy/index';
import { session } from './lib/storage';
import { debounce } from './lib/debounce';
import { siteOf } from './sites';
import { noteChainInUse } from './chains-in-use';

let health: Promise<WalletHealth> | null = null;

export function getWalletHealth(): Promise<WalletHealth> {
  health ??= session.get('walletHealth').then((stored) => WalletHealth.restore(stored as Parameters<typeof WalletHealth.restore>[0]));
  return health;
}

const persist = debounce(async () => session.set('walletHealth', (await getWalletHealth()).snapshot()), SHELL_POLICY.walletHealthPersistMs);

export function registerWalletReports(): void {
  onMessage('walletReports', async ({ data, sender }) => {
    if (sender.id !== chrome.runtime.id || !Array.isArray(data)) return;
    const site = siteOf(sender.tab?.url ?? sender.url) ?? 'unknown site';
    const store = await getWalletHealth();
    const now = Date.now();
    for (const raw of data.slice(0, WALLET_REPORTING.maxBatch)) {
      const report = sanitizeWalletReport(raw);
      if (!report) continue;
      store.record(report, now, site);
      if (report.chainId !== null) noteChainInUse(report.chainId, now);
    }
    persist();
  });
}
