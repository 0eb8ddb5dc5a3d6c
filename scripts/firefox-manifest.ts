/**
 * The Firefox manifest, derived from manifest.json (the one source) so both builds ship the same
 * code and differ only where Firefox requires it. Used by vite.config.ts for `--mode firefox`.
 */

/** Lifeline's add-on id on Firefox: Firefox keys storage and the store listing by it, so it never changes. */
export const GECKO_ID = 'lifeline@lifeline-extension';

/** MAIN-world content scripts (the guard) need Firefox 128; older versions would install an
 *  extension that cannot protect any wallet. */
export const FIREFOX_MIN_VERSION = '128.0';

/** Keys Firefox does not know; it warns on each at install. */
const CHROME_ONLY_KEYS = ['minimum_chrome_version', 'key', 'update_url'] as const;

/** The keys this module reads or writes; every other key passes through untouched. */
export interface Manifest {
  manifest_version: number;
  name: string;
  version: string;
  background?: { service_worker?: string; scripts?: string[]; type?: 'module' };
  [key: string]: unknown;
}

export function firefoxManifest<M extends Manifest>(chrome: M): M {
  const background = chrome.background;
  const manifest: Record<string, unknown> = { ...chrome };
  for (const key of CHROME_ONLY_KEYS) delete manifest[key];
  if (!background?.service_worker) throw new Error('manifest.json has no background.service_worker to turn into a Firefox background script');
  // Firefox runs MV3 backgrounds as event pages (background.scripts), not service workers; the
  // same module is loaded, and it suspends when idle just as Chromium stops the worker.
  manifest.background = { scripts: [background.service_worker], type: background.type ?? 'module' };
  manifest.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
      // No telemetry and nothing sent to Lifeline's authors; but a relayed read carries the page's
      // own RPC request (which may name the user's address) to a public RPC provider, so the
      // install prompt says website content leaves the browser (docs/privacy.md has the details).
      data_collection_permissions: { required: ['websiteContent'] },
    },
  };
  return manifest as M;
}
