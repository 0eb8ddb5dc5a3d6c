/**
 * What every tab's guard is told about wallets (src/wallet/evidence.ts decides): a tab starts
 * with it (the bridge asks at document_start, see sites.ts) and hears every change as it happens,
 * so one tab's discovery that its wallet stopped answering flips the others at once, within the
 * limits the evidence module sets on who may steer whose tabs.
 */
import { sendMessage } from '../messages';
import { SHELL_POLICY } from '../../src/policy/index';
import { WalletEvidence, type WalletAdvice } from '../../src/wallet/evidence';
import { restoreServiceStatuses, walletsWithBackendDown } from '../../src/status/services';
import { session } from './lib/storage';
import { debounce } from './lib/debounce';
import { serialQueue } from './lib/serial-queue';
import { siteOf } from './lib/site';
import { ext } from '../platform/browser';

let evidence: Promise<WalletEvidence> | null = null;

export function getWalletEvidence(): Promise<WalletEvidence> {
  evidence ??= session.get('walletEvidence').then((stored) => WalletEvidence.restore(stored));
  return evidence;
}

/** Wallets whose backend the services panel last found down. */
export async function backendDown(): Promise<Set<string>> {
  return walletsWithBackendDown(restoreServiceStatuses(await session.get('serviceStatus')));
}

/** What the tabs of the site showing `url` should know right now. */
export async function adviceForUrl(url: string | undefined): Promise<WalletAdvice[]> {
  const site = siteOf(url);
  if (!site) return [];
  const [store, down] = await Promise.all([getWalletEvidence(), backendDown()]);
  return store.adviceFor(site, Date.now(), down);
}

const persist = debounce(async () => session.set('walletEvidence', (await getWalletEvidence()).snapshot()), SHELL_POLICY.walletHealthPersistMs);

/** What each tab was last told, so only changes are sent. Lost with the worker: a restarted
 *  worker tells every tab again once, which is harmless. */
const lastSent = new Map<number, string>();
const pushes = serialQueue();
let pushQueued = false;

async function pushToTabs(): Promise<void> {
  const tabs = await ext.tabs.query({});
  const [store, down] = await Promise.all([getWalletEvidence(), backendDown()]);
  const now = Date.now();
  const open = new Set<number>();
  // Once per site: a user often has several tabs of one dApp.
  const bySite = new Map<string, { advice: WalletAdvice[]; text: string }>();
  const adviceOf = (site: string) => {
    let known = bySite.get(site);
    if (!known) {
      const advice = store.adviceFor(site, now, down);
      bySite.set(site, (known = { advice, text: JSON.stringify(advice) }));
    }
    return known;
  };
  await Promise.all(
    tabs.map(async (tab) => {
      const site = siteOf(tab.url);
      if (tab.id === undefined || !site) return;
      open.add(tab.id);
      const { advice, text } = adviceOf(site);
      if (lastSent.get(tab.id) === text || (!lastSent.has(tab.id) && advice.length === 0)) return;
      lastSent.set(tab.id, text);
      // Every frame of the tab hears it: a dApp in an iframe has a guard of its own.
      await sendMessage('walletAdvice', advice, tab.id).catch(() => {
        // A tab without Lifeline's content scripts (a chrome:// page, still loading): it asks
        // for the advice itself when its bridge starts.
        lastSent.delete(tab.id!);
      });
    }),
  );
  for (const id of lastSent.keys()) if (!open.has(id)) lastSent.delete(id);
}

/** Evidence changed: persist it and tell the tabs whose advice changed. */
export function evidenceChanged(): void {
  persist();
  if (pushQueued) return;
  pushQueued = true;
  void pushes.run(() => {
    pushQueued = false;
    return pushToTabs();
  }).catch(() => undefined);
}

export function registerWalletEvidence(): void {
  ext.tabs?.onRemoved?.addListener((tabId) => lastSent.delete(tabId));
}
