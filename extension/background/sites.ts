import { onMessage } from '../messages';
import { local } from './lib/storage';
import { siteOf } from './lib/site';
import { adviceForUrl } from './wallet-evidence';

export async function isEnabledFor(url: string | undefined): Promise<boolean> {
  const site = siteOf(url);
  if (!site) return true;
  return !(await local.get('disabledSites')).includes(site);
}

export async function setEnabledFor(site: string, enabled: boolean): Promise<void> {
  const sites = new Set(await local.get('disabledSites'));
  if (enabled) sites.delete(site);
  else sites.add(site);
  await local.set('disabledSites', [...sites].sort());
}

export function registerSiteSwitch(): void {
  // The switch belongs to the site the user sees (the tab), so it also covers that site's iframes.
  // The guard starts with what is known about wallets on this site, so a tab opened during an
  // outage relays its first read at once.
  onMessage('siteConfig', async ({ sender }) => {
    const url = sender.tab?.url ?? sender.url;
    const [enabled, wallets] = await Promise.all([isEnabledFor(url), adviceForUrl(url)]);
    return { enabled, wallets };
  });
}
