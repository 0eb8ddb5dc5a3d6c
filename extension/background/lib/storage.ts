/**
 * Every chrome.storage key the worker uses, declared once with its type and how a stored value is
 * read back. The worker can be stopped at any moment, so anything that must outlive it is written
 * here. Reads never throw: a missing or corrupt value reads as its default (a restarted worker must
 * come up whatever it finds). Writes never throw: a failed write costs freshness, not correctness.
 *
 * Values that an engine module restores itself (snapshots, histories) are kept `unknown` here:
 * their restorers in src/ check them field by field.
 */
import type { PublishedRedirect, RedirectPlan } from '../../../src/page-traffic';
import { PAGE_TRAFFIC } from '../../../src/policy/index';
import { isRecord } from '../../../src/types';
import { ext } from '../../platform/browser';

/** Reads a stored value (undefined when the key is absent) into its type; must not throw. */
type Decode<T> = (raw: unknown) => T;

const checkedLater: Decode<unknown> = (raw) => raw ?? null;
const stringList: Decode<string[]> = (raw) => (Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : []);

/** What extension/background/page-traffic.ts keeps across worker restarts. */
export interface PageTrafficState {
  version: 1;
  /** The page tracker's own snapshot (src/page-traffic/tracker.ts restores it). */
  tracker: unknown;
  redirects: RedirectPlan[];
}

const isOurRuleId = (id: unknown) => typeof id === 'number' && id >= PAGE_TRAFFIC.ruleIdBase && id < PAGE_TRAFFIC.ruleIdBase + PAGE_TRAFFIC.maxRules;

function redirectPlans(raw: unknown): RedirectPlan[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (p): p is RedirectPlan =>
      isRecord(p) && isOurRuleId(p.ruleId) && typeof p.url === 'string' && typeof p.chainId === 'number' &&
      typeof p.targetId === 'string' && typeof p.targetUrl === 'string' && typeof p.targetLabel === 'string' &&
      typeof p.since === 'number' && typeof p.reason === 'string',
  );
}

function publishedRedirects(raw: unknown): PublishedRedirect[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (r): r is PublishedRedirect =>
      isRecord(r) && typeof r.chainId === 'number' && typeof r.from === 'string' && typeof r.to === 'string' &&
      typeof r.since === 'number' && typeof r.reason === 'string',
  );
}

const LOCAL_KEYS = {
  /** The user's configuration document (docs/config.md), as last saved; validateUserConfig
   *  checks it on every read. */
  userConfig: checkedLater,
  /** Sites (origins) where the user switched Lifeline off. */
  disabledSites: stringList,
  /** Failover notifications (start/end of an episode on a chain in use); default on. */
  notificationsEnabled: ((raw) => (typeof raw === 'boolean' ? raw : true)) as Decode<boolean>,
  /** Test-only URL overrides for the services panel (src/status/services.ts resolveCheckUrls);
   *  only https or loopback http is accepted. Written only by Lifeline's own contexts. */
  serviceUrls: checkedLater,
};

const SESSION_KEYS = {
  /** Engine health snapshot, so a restarted worker keeps breakers and latency history. */
  engineSnapshot: checkedLater,
  /** Wallet observations aggregated from page guards. */
  walletHealth: checkedLater,
  /** Per-site evidence about wallets (src/wallet/evidence.ts restores it). */
  walletEvidence: checkedLater,
  /** Chain id → last time a read for it was seen (extension/background/chains-in-use.ts). */
  chainsInUse: ((raw) => {
    const seen: Record<string, number> = {};
    if (isRecord(raw)) for (const [chainId, at] of Object.entries(raw)) if (typeof at === 'number') seen[chainId] = at;
    return seen;
  }) as Decode<Record<string, number>>,
  /** Per-endpoint p50 samples of the last hour (src/status/latency.ts). */
  latencyHistory: checkedLater,
  /** Failover episode tracker state (src/status/episodes.ts). */
  episodes: checkedLater,
  /** Services panel results and next check times (src/status/services.ts). */
  serviceStatus: checkedLater,
  /** The popup's whole view as of the last refresh: a popup opened while the worker sleeps
   *  shows it at once, then the worker's fresh answer (extension/popup/Popup.tsx). */
  popupStatus: checkedLater,
  /** Page endpoints' observed health and the redirects in force. Session only: raw page URLs
   *  (which may hold a site's API key) never reach disk. */
  pageTraffic: ((raw) =>
    isRecord(raw) && raw.version === 1 ? { version: 1, tracker: raw.tracker, redirects: redirectPlans(raw.redirects) } : null) as Decode<PageTrafficState | null>,
  /** The redirects in force as the popup shows them (masked URLs), written by page-traffic.ts. */
  activeRedirects: publishedRedirects,
};

type ValuesOf<Keys> = { [K in keyof Keys]: Keys[K] extends Decode<infer T> ? T : never };
export type LocalState = ValuesOf<typeof LOCAL_KEYS>;
export type SessionState = ValuesOf<typeof SESSION_KEYS>;

interface Area<State> {
  get<K extends keyof State & string>(key: K): Promise<State[K]>;
  set<K extends keyof State & string>(key: K, value: State[K]): Promise<boolean>;
  /** Several keys in one write: a reader never sees one without the other. */
  setMany(values: Partial<State>): Promise<boolean>;
  /** Reads a value as it arrived in a change event, like get does. */
  decode<K extends keyof State & string>(key: K, raw: unknown): State[K];
  /** Calls `listener` with the new values of those of `keys` a write changed (registered at once:
   *  call it at start-up, like every worker listener). */
  onChange<K extends keyof State & string>(keys: readonly K[], listener: (changed: Partial<Pick<State, K>>) => void): void;
}

function area<Keys extends Record<string, Decode<unknown>>>(name: 'local' | 'session', keys: Keys): Area<ValuesOf<Keys>> {
  type State = ValuesOf<Keys>;
  const storage = () => ext.storage[name];
  const decode = <K extends keyof State & string>(key: K, raw: unknown): State[K] => {
    try {
      return keys[key]!(raw) as State[K];
    } catch {
      return keys[key]!(undefined) as State[K];
    }
  };
  const write = async (values: Partial<State>): Promise<boolean> => {
    try {
      await storage().set(values);
      return true;
    } catch {
      return false;
    }
  };
  return {
    async get(key) {
      try {
        const stored = await storage().get(key);
        return decode(key, stored[key]);
      } catch {
        return decode(key, undefined);
      }
    },
    set: (key, value) => write({ [key]: value } as Partial<State>),
    setMany: write,
    decode,
    onChange(watched, listener) {
      ext.storage.onChanged.addListener((changes, changedArea) => {
        if (changedArea !== name) return;
        const changed: Partial<State> = {};
        let any = false;
        for (const key of watched) {
          if (!(key in changes)) continue;
          changed[key] = decode(key, changes[key]?.newValue);
          any = true;
        }
        if (any) listener(changed as Partial<Pick<State, (typeof watched)[number]>>);
      });
    },
  };
}

export const local = area('local', LOCAL_KEYS);
export const session = area('session', SESSION_KEYS);
