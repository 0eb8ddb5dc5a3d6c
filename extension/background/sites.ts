import { onMessage } from '../messages';
import { local } from './lib/storage';

/** The site key for the per-site switch: the origin, so a switch covers the whole site. */
export function siteOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

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
  onMessage('siteConfig', async ({ sender }) => ({ enabled: await isEnabledFor(sender.tab?.url ?? sender.url) }));
}
