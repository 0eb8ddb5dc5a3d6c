/** Messages of the popup (health view, actions), the badge and the timeline. Part of the one
 *  protocol in extension/messages.ts. Every action is refused unless it comes from one of
 *  Lifeline's own extension pages (extension/background/status.ts checks the sender). */
import type { PopupStatus } from '../../src/status/view';
import type { TimelineEvent } from '../../src/status/timeline';

export type { PopupStatus };

export interface SiteState {
  /** The tab's origin, or null for pages Lifeline does not run on (chrome://, the popup itself). */
  site: string | null;
  enabled: boolean;
}

export interface PopupProtocol {
  /** Everything the popup shows, from cached state: never waits for a probe. */
  popupStatus(): PopupStatus;
  /** Probes the chains in use (all chains when none is in use) and checks the services now. */
  probeNow(): PopupStatus;
  /** Per-site switch state for a tab (the popup's active tab). */
  siteState(request: { tabId: number }): SiteState;
  /** Switches Lifeline on or off for the tab's site (its origin, as Chromium reports it). */
  setSiteEnabled(request: { tabId: number; enabled: boolean }): SiteState;
  /** Guided repair: asks the wallet in the tab to add a healthy RPC (EIP-3085). The worker picks
   *  the URL; the popup only names the wallet and chain. */
  repairWallet(request: { tabId: number; chainId: number; wallet: string }): { ok: boolean; message: string };
  /** The whole stored timeline (7 days, newest first), for "Export timeline". */
  timelineEvents(): TimelineEvent[];
}
