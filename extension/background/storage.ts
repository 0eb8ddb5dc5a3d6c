/**
 * Typed access to chrome.storage with defaults. The worker can be stopped at any moment, so
 * anything that must outlive it is written here; reads and writes never throw (a failed write
 * costs freshness, not correctness).
 */

export interface LocalState {
  /** The user's configuration document (docs/config.md), as last saved. */
  userConfig: unknown;
  /** Sites (origins) where the user switched Lifeline off. */
  disabledSites: string[];
  /** Failover notifications (start/end of an episode on a chain in use); default on. */
  notificationsEnabled: boolean;
  /** Test-only URL overrides for the services panel (src/status/services.ts resolveCheckUrls);
   *  only https or loopback http is accepted. Written only by Lifeline's own contexts. */
  serviceUrls: unknown;
}

export interface SessionState {
  /** Engine health snapshot, so a restarted worker keeps breakers and latency history. */
  engineSnapshot: unknown;
  /** Wallet observations aggregated from page guards. */
  walletHealth: unknown;
  /** Chain id → last time a read for it was seen (extension/background/chains-in-use.ts). */
  chainsInUse: unknown;
  /** Per-endpoint p50 samples of the last hour (src/status/latency.ts). */
  latencyHistory: unknown;
  /** Failover episode tracker state (src/status/episodes.ts). */
  episodes: unknown;
  /** Services panel results and next check times (src/status/services.ts). */
  serviceStatus: unknown;
  /** The popup's whole view as of the last refresh: a popup opened while the worker sleeps
   *  shows it at once, then the worker's fresh answer (extension/popup/Popup.tsx). */
  popupStatus: unknown;
}

const LOCAL_DEFAULTS: LocalState = { userConfig: null, disabledSites: [], notificationsEnabled: true, serviceUrls: null };
const SESSION_DEFAULTS: SessionState = {
  engineSnapshot: null, walletHealth: null, chainsInUse: null, latencyHistory: null, episodes: null, serviceStatus: null, popupStatus: null,
};

async function read<T extends object, K extends keyof T & string>(area: chrome.storage.StorageArea, defaults: T, key: K): Promise<T[K]> {
  try {
    const stored = await area.get(key);
    return (key in stored ? stored[key] : defaults[key]) as T[K];
  } catch {
    return defaults[key];
  }
}

async function write<T extends object, K extends keyof T & string>(area: chrome.storage.StorageArea, key: K, value: T[K]): Promise<boolean> {
  try {
    await area.set({ [key]: value });
    return true;
  } catch {
    return false;
  }
}

export const local = {
  get: <K extends keyof LocalState & string>(key: K) => read(chrome.storage.local, LOCAL_DEFAULTS, key),
  set: <K extends keyof LocalState & string>(key: K, value: LocalState[K]) => write<LocalState, K>(chrome.storage.local, key, value),
};

export const session = {
  get: <K extends keyof SessionState & string>(key: K) => read(chrome.storage.session, SESSION_DEFAULTS, key),
  set: <K extends keyof SessionState & string>(key: K, value: SessionState[K]) => write<SessionState, K>(chrome.storage.session, key, value),
};

/** Coalesces frequent state changes into at most one write per interval. */
export function debouncedWriter(flush: () => Promise<unknown>, intervalMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, intervalMs);
  };
}
