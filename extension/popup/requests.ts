/**
 * What the popup asks for at module load, before Preact's first render and paint: the worker's
 * answer is the popup's critical path, and effects only run after the first paint.
 */
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
    const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
    if (!tab?.id || tab.url?.startsWith(chrome.runtime.getURL(''))) return null;
    return tab.id;
  } catch {
    return null;
  }
}

export function startRequests(): PopupRequests {
  performance.mark('lifeline-requests-sent');
  // Messages first: waking a stopped worker is the longest wait, so it starts before anything.
  const worker = sendMessage('ping');
  const status = sendMessage('popupStatus');
  const cached = chrome.storage.session.get(CACHED_STATUS_KEY).then(
    (stored) => {
      performance.mark('lifeline-cached-read');
      return cachedStatus(stored[CACHED_STATUS_KEY], Date.now());
    },
    () => null,
  );
  return { worker, status, cached, pageView: readPageView(localStorage, Date.now()), tabId: targetTabId() };
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
