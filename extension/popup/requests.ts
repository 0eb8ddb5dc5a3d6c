/**
 * What the popup asks for at module load, before Preact's first render and paint: the worker's
 * answer is the popup's critical path, and effects only run after the first paint.
 */
import { ext } from '../platform/browser';
import { sendMessage, type WorkerStatus } from '../messages';
import type { PopupStatus } from '../protocol/popup';
import { CACHED_STATUS_KEY, cachedStatus, keepPageView, readPageView } from './cached-status';

export interface PopupRequests {
  worker: Promise<WorkerStatus>;
  status: Promise<PopupStatus>;
  /** The worker's last stored view, readable while the worker sleeps. */
  cached: Promise<PopupStatus | null>;
  /** The popup's own last view, read synchronously: on the first frame. */
  pageView: PopupStatus | null;
  tabId: Promise<number | null>;
}

/** The tab the popup acts on: `?tab=<id>` when the popup is opened as a page (tests, the
 *  notification click), else the active tab of the current window. */
async function targetTabId(): Promise<number | null> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  try {
    const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
    if (!tab?.id || tab.url?.startsWith(ext.runtime.getURL(''))) return null;
    return tab.id;
  } catch {
    return null;
  }
}

/** Resolves once the popup's first frame has been produced: the next frame's animation frame
 *  comes after it, so work started then (waking the worker, rendering the details) no longer
 *  competes with rasterising the first one on a machine with few cores. */
export const firstPaint: Promise<void> = new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))));

export function startRequests(): PopupRequests {
  performance.mark('lifeline-requests-sent');
  const pageView = readPageView(localStorage, Date.now());
  // Waking a stopped worker is the longest wait, so without a view of its own the popup asks at
  // once. With one, that view is painted first: a waking worker competes for the same cores,
  // and the user is looking at the headline, not waiting for the refresh that follows.
  const ask = pageView ? firstPaint : Promise.resolve();
  const asked = ask.then(() => performance.mark('lifeline-worker-asked'));
  const worker = asked.then(() => sendMessage('ping'));
  const status = asked.then(() => sendMessage('popupStatus'));
  const cached = asked.then(() => ext.storage.session.get(CACHED_STATUS_KEY)).then(
    (stored) => {
      performance.mark('lifeline-cached-read');
      return cachedStatus(stored[CACHED_STATUS_KEY], Date.now());
    },
    () => null,
  );
  return { worker, status, cached, pageView, tabId: targetTabId() };
}

/** Keeps the view for the next open once this one is on screen: serialising ~100 KB is not
 *  worth delaying the frame the user is waiting for. */
export function keepViewAfterPaint(status: PopupStatus): void {
  requestAnimationFrame(() => setTimeout(() => {
    keepPageView(localStorage, status);
    performance.mark('lifeline-page-view-kept');
  }, 0));
}

export const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
