/**
 * Views shown before the worker's fresh answer, so waking a sleeping worker is not on the first
 * render; the fresh answer replaces them, and the header says "updating…" until it does.
 *   - the popup's own last view, in the page's localStorage: read synchronously, so it is on the
 *     very first frame (a user reopening the popup during an outage, the common case, sees it at
 *     once);
 *   - the worker's stored view (session storage, written by extension/background/status.ts at
 *     most every popupViewStoreIntervalMs): one round trip to the browser, but fresher while
 *     the popup was closed.
 * The newer of the two wins. Only Lifeline writes either key, but a build from an older version
 * may have left another shape: anything that does not look like a PopupStatus is ignored.
 */
import type { PopupStatus } from '../protocol/popup';
import { STATUS_POLICY } from '../../src/policy/index';

export const CACHED_STATUS_KEY = 'popupStatus';
export const PAGE_VIEW_KEY = 'lifeline:popupView';

export function cachedStatus(raw: unknown, now: number): PopupStatus | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Partial<Record<keyof PopupStatus, unknown>>;
  const arrays = [s.chains, s.wallets, s.unguardable, s.services, s.timeline, s.findings].every(Array.isArray);
  if (!arrays || typeof s.generatedAt !== 'number' || typeof s.line !== 'string' || typeof s.level !== 'string') return null;
  // Too old (or from a clock that jumped) to show even for a moment: the fresh answer is on
  // its way, wait for it.
  if (Math.abs(now - s.generatedAt) > STATUS_POLICY.popupCacheMaxAgeMs) return null;
  return raw as PopupStatus;
}

/** The popup's own last view, if it is recent and well-formed. Never throws: storage that is
 *  unavailable or holds garbage just means no early view. */
export function readPageView(storage: Pick<Storage, 'getItem'>, now: number): PopupStatus | null {
  try {
    const text = storage.getItem(PAGE_VIEW_KEY);
    return text === null ? null : cachedStatus(JSON.parse(text), now);
  } catch {
    return null;
  }
}

/** Keeps the view for the next open. A full or unavailable storage only costs the early view. */
export function keepPageView(storage: Pick<Storage, 'setItem'>, status: PopupStatus): void {
  try {
    storage.setItem(PAGE_VIEW_KEY, JSON.stringify(status));
  } catch {
    // Quota or a storage-less context: the next open waits for the worker instead.
  }
}

/** Which early view to show: the newer one; a view is never replaced by an older one. */
export function newerView(current: PopupStatus | null, candidate: PopupStatus | null): PopupStatus | null {
  if (candidate === null) return current;
  if (current === null) return candidate;
  return candidate.generatedAt > current.generatedAt ? candidate : current;
}
