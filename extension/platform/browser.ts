/**
 * The one browser API layer of Lifeline's shell: every extension API call goes through `ext`, and
 * every difference between Chromium and Firefox that Lifeline meets is handled here, once.
 *
 * `ext` is typed by webextension-polyfill's promise API. At run time it is Firefox's native
 * `browser` or Chromium's `chrome` (whose MV3 APIs return the same promises for everything used
 * here), so the polyfill's wrapper code is not shipped. It is resolved on each use, not at import,
 * so unit tests can stub `chrome` after importing a module.
 *
 * What differs, and where it is handled:
 * - Background: Chromium runs a service worker, Firefox an event page (manifest, see
 *   scripts/firefox-manifest.ts). Both stop when idle (about 30 s) and wake on the events whose
 *   listeners were added synchronously at start-up, so the same code serves: everything that must
 *   outlive a stop is in storage (lib/storage.ts), every listener is registered at start.
 * - storage.session: in both (Firefox 115+), kept in memory until the browser or the add-on
 *   restarts; Firefox has no quota on it, Chromium 10 MB. Nothing to adapt.
 * - alarms: Chromium's floor is 30 s; Firefox has none, so the probe alarm's 30 s
 *   (SHELL_POLICY.probeAlarmPeriodMinutes) is honoured by both.
 * - DNR: a redirect rule must not catch Lifeline's own checks (ownInitiatorDomain below), and
 *   Firefox reports every condition key a rule does not use as null (dynamicRules below).
 * - webRequest: Chromium names a request's origin `initiator`, Firefox gives `originUrl`
 *   (requestSite below).
 * - notifications: both show what Lifeline sends (`basic`, title, message, icon); Firefox
 *   accepts `priority` and ignores it. Lifeline uses no buttons (Firefox has none).
 * - badge: both take a CSS colour string and pick a readable text colour themselves; nothing to adapt.
 * - host permissions: Chromium grants the manifest's at install; Firefox lets the user withhold
 *   or revoke them (hostAccess below).
 */
import type Browser from 'webextension-polyfill';
import type { RawBodyPart } from '../../src/page-traffic';

export type { Browser };
export type MessageSender = Browser.Runtime.MessageSender;

const api = (): Browser.Browser => {
  const g = globalThis as unknown as { browser?: Browser.Browser; chrome?: Browser.Browser };
  const found = g.browser?.runtime ? g.browser : g.chrome;
  if (!found) throw new Error('no extension API in this context');
  return found;
};

export const ext: Browser.Browser = new Proxy({} as Browser.Browser, {
  get: (_target, key) => Reflect.get(api(), key),
});

/**
 * The domain under which Lifeline's own requests appear to declarativeNetRequest, for
 * `excludedInitiatorDomains`. Chromium uses the extension id, which is also the host of its
 * pages; Firefox's id is the gecko id, and its pages' host is a per-profile UUID. The host of
 * runtime.getURL is right in both.
 */
export const ownInitiatorDomain = (): string => new URL(ext.runtime.getURL('')).host;

/** Drops null members (one level into objects), as Chromium reports a rule: only what was set. */
export function withoutNulls<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === null) continue;
    out[key] = member !== null && typeof member === 'object' && !Array.isArray(member) ? withoutNulls(member) : member;
  }
  return out as T;
}

/** The dynamic DNR rules in force, as they were added: Firefox answers with every condition and
 *  action key present, unused ones null, which would make an unchanged rule look changed. */
export async function dynamicRules(): Promise<Browser.DeclarativeNetRequest.Rule[]> {
  return (await ext.declarativeNetRequest.getDynamicRules()).map(withoutNulls);
}

/** The origin a web request came from: Chromium's `initiator` is already an origin; Firefox has
 *  only the initiating document's full URL. */
export function requestSite(details: { initiator?: string; originUrl?: string }): string | undefined {
  if (details.initiator !== undefined) return details.initiator;
  if (details.originUrl === undefined) return undefined;
  try {
    const origin = new URL(details.originUrl).origin;
    // moz-extension:// URLs have an opaque origin ("null"): keep scheme and host, so an
    // extension's own request is still recognisable as one.
    return origin === 'null' ? details.originUrl.replace(/^([a-z-]+:\/\/[^/]*).*$/i, '$1') : origin;
  } catch {
    return undefined;
  }
}

/** A page request's raw body parts. Both browsers give each part's bytes as an ArrayBuffer; the
 *  polyfill's types leave them `unknown`, and the sniffer checks what it gets anyway. */
export const rawRequestBody = (details: Browser.WebRequest.OnBeforeRequestDetailsType): readonly RawBodyPart[] | undefined =>
  details.requestBody?.raw as RawBodyPart[] | undefined;

/** The host access the manifest asks for: every http(s) page, to guard wallets and see pages' RPC. */
export const REQUIRED_HOST_ORIGINS = ['<all_urls>'] as const;

/**
 * Whether Lifeline may act on web pages. Chromium grants host permissions at install; Firefox
 * lets the user withhold or revoke them, and without them no content script runs and no
 * request is seen or redirected, silently. Never throws: unknown counts as granted, so a
 * browser without the permissions API is not nagged.
 */
export async function hostAccess(): Promise<{ granted: boolean }> {
  try {
    return { granted: await ext.permissions.contains({ origins: [...REQUIRED_HOST_ORIGINS] }) };
  } catch {
    return { granted: true };
  }
}

/** Asks the user for the host access; must run in a user gesture (a click in the popup). */
export async function requestHostAccess(): Promise<boolean> {
  try {
    return await ext.permissions.request({ origins: [...REQUIRED_HOST_ORIGINS] });
  } catch {
    return false;
  }
}
