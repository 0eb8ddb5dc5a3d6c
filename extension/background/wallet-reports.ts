/**
 * Wallet health from the page guards' observations. The reports came from web pages, so each is
 * sanitised again. They change what the popup shows and, weighed as evidence
 * (src/wallet/evidence.ts), how soon other tabs of the same site relay; never where a read goes.
 */
import { onMessage } from '../messages';
import { sanitizeWalletReport, WalletHealth } from '../../src/wallet/health';
import { SHELL_POLICY, WALLET_REPORTING } from '../../src/policy/index';
import { session } from './lib/storage';
import { debounce } from './lib/debounce';
import { siteOf } from './lib/site';
import { noteChainInUse } from './chains-in-use';
import { evidenceChanged, getWalletEvidence } from './wallet-evidence';
import { ext } from '../platform/browser';

let health: Promise<WalletHealth> | null = null;

export function getWalletHealth(): Promise<WalletHealth> {
  health ??= session.get('walletHealth').then((stored) => WalletHealth.restore(stored as Parameters<typeof WalletHealth.restore>[0]));
  return health;
}

const persist = debounce(async () => session.set('walletHealth', (await getWalletHealth()).snapshot()), SHELL_POLICY.walletHealthPersistMs);

export function registerWalletReports(): void {
  onMessage('walletReports', async ({ data, sender }) => {
    if (sender.id !== ext.runtime.id || !Array.isArray(data)) return;
    const site = siteOf(sender.tab?.url ?? sender.url) ?? 'unknown site';
    const [store, evidence] = await Promise.all([getWalletHealth(), getWalletEvidence()]);
    const now = Date.now();
    for (const raw of data.slice(0, WALLET_REPORTING.maxBatch)) {
      const report = sanitizeWalletReport(raw);
      if (!report) continue;
      store.record(report, now, site);
      evidence.recordReport(site, report, now);
      if (report.chainId !== null) noteChainInUse(report.chainId, now);
    }
    persist();
    evidenceChanged();
  });
}
