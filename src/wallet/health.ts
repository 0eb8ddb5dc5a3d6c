import { WALLET_HEALTH_LIMITS } from '../policy/index.ts';
import { percentileOfSorted } from '../health/window.ts';
/**
 * Wallet health from real traffic: what the MAIN-world guards saw of each wallet's reads, per
 * wallet and chain. Reports arrive from web pages, so they are sanitised before use and can only
 * ever change counters shown to the user; they never steer routing.
 */

export interface WalletIdentity {
  /** EIP-6963 name when announced, else derived from provider flags ("Rabby Wallet", "MetaMask"). */
  name: string;
  /** EIP-6963 reverse-DNS id when known (e.g. "io.rabby"). */
  rdns?: string;
}

/** What the guard saw of one wallet read (or that a provider could not be guarded). */
export type WalletObservation =
  | { type: 'answered'; method: string; latencyMs: number }
  | { type: 'failed'; method: string; failure: string; latencyMs: number; servedByLifeline: boolean }
  | { type: 'unguardable'; reason: string };

export interface WalletReport {
  wallet: WalletIdentity;
  chainId: number | null;
  observation: WalletObservation;
}

export interface WalletChainHealth {
  wallet: WalletIdentity;
  chainId: number | null;
  answered: number;
  failed: number;
  servedByLifeline: number;
  failuresByClass: Record<string, number>;
  /** Median latency of the wallet's own successful reads (recent window). */
  latencyP50Ms: number | null;
  /** Start of the current failing streak; null while the wallet answers. The worker replaces it
   *  with what it can vouch for itself (src/wallet/evidence.ts) before anything is shown. */
  failingSince: number | null;
  /** Sites whose pages report this wallet failing, confirmed or not (set by the worker). */
  reportingSites?: number;
  lastFailure: string | null;
  lastSeen: number;
}

export interface WalletHealthSnapshot {
  entries: Array<WalletChainHealth & { recentLatencies: number[] }>;
  unguardable: Array<{ wallet: WalletIdentity; site: string; reason: string; at: number }>;
}

const text = (value: unknown, max: number = WALLET_HEALTH_LIMITS.maxTextChars): string | null =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;
const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null);

/** A wallet's name and rdns as a page gave them, bounded; null unless it has a name. */
export function sanitizeWalletIdentity(raw: unknown): WalletIdentity | null {
  const wallet = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : null;
  const name = text(wallet?.name);
  if (!name) return null;
  const rdns = text(wallet?.rdns);
  return rdns ? { name, rdns } : { name };
}

/** Accepts only well-formed reports with bounded strings; anything else is dropped. */
export function sanitizeWalletReport(raw: unknown): WalletReport | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const wallet = sanitizeWalletIdentity(r.wallet);
  if (!wallet) return null;
  const chainId = typeof r.chainId === 'number' && Number.isSafeInteger(r.chainId) && r.chainId > 0 ? r.chainId : null;
  const o = r.observation as Record<string, unknown> | null;
  if (!o || typeof o !== 'object') return null;
  let observation: WalletObservation;
  if (o.type === 'answered') {
    const method = text(o.method, WALLET_HEALTH_LIMITS.maxMethodChars);
    const latencyMs = finite(o.latencyMs);
    if (!method || latencyMs === null) return null;
    observation = { type: 'answered', method, latencyMs };
  } else if (o.type === 'failed') {
    const method = text(o.method, WALLET_HEALTH_LIMITS.maxMethodChars);
    const failure = text(o.failure, WALLET_HEALTH_LIMITS.maxFailureChars);
    const latencyMs = finite(o.latencyMs);
    if (!method || !failure || latencyMs === null || typeof o.servedByLifeline !== 'boolean') return null;
    observation = { type: 'failed', method, failure, latencyMs, servedByLifeline: o.servedByLifeline };
  } else if (o.type === 'unguardable') {
    const reason = text(o.reason, WALLET_HEALTH_LIMITS.maxReasonChars);
    if (!reason) return null;
    observation = { type: 'unguardable', reason };
  } else return null;
  return { wallet, chainId, observation };
}

const keyOf = (wallet: WalletIdentity, chainId: number | null): string => `${wallet.rdns ?? wallet.name}|${chainId ?? '?'}`;

export class WalletHealth {
  private entries = new Map<string, WalletChainHealth & { recentLatencies: number[] }>();
  private unguardable: WalletHealthSnapshot['unguardable'] = [];

  record(report: WalletReport, now: number, site: string): void {
    const { observation } = report;
    if (observation.type === 'unguardable') {
      this.unguardable = [
        { wallet: report.wallet, site, reason: observation.reason, at: now },
        ...this.unguardable.filter((u) => !(u.site === site && keyOf(u.wallet, null) === keyOf(report.wallet, null))),
      ].slice(0, WALLET_HEALTH_LIMITS.maxUnguardable);
      return;
    }
    const key = keyOf(report.wallet, report.chainId);
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= WALLET_HEALTH_LIMITS.maxEntries) this.evictOldest();
      entry = {
        wallet: report.wallet, chainId: report.chainId, answered: 0, failed: 0, servedByLifeline: 0,
        failuresByClass: {}, latencyP50Ms: null, failingSince: null, lastFailure: null, lastSeen: now, recentLatencies: [],
      };
      this.entries.set(key, entry);
    }
    entry.lastSeen = now;
    if (observation.type === 'answered') {
      entry.answered++;
      entry.failingSince = null;
      entry.recentLatencies.push(observation.latencyMs);
      if (entry.recentLatencies.length > WALLET_HEALTH_LIMITS.latencyWindow) entry.recentLatencies.shift();
      const sorted = [...entry.recentLatencies].sort((a, b) => a - b);
      entry.latencyP50Ms = percentileOfSorted(sorted, 50) ?? null;
    } else {
      entry.failed++;
      if (observation.servedByLifeline) entry.servedByLifeline++;
      entry.failuresByClass[observation.failure] = (entry.failuresByClass[observation.failure] ?? 0) + 1;
      entry.failingSince ??= now;
      entry.lastFailure = observation.failure;
    }
  }

  private evictOldest(): void {
    let oldest: string | null = null;
    let oldestSeen = Infinity;
    for (const [key, entry] of this.entries) if (entry.lastSeen < oldestSeen) [oldest, oldestSeen] = [key, entry.lastSeen];
    if (oldest) this.entries.delete(oldest);
  }

  view(): { wallets: WalletChainHealth[]; unguardable: WalletHealthSnapshot['unguardable'] } {
    const wallets = [...this.entries.values()].map(({ recentLatencies: _, ...rest }) => ({ ...rest, failuresByClass: { ...rest.failuresByClass } }));
    return { wallets, unguardable: [...this.unguardable] };
  }

  snapshot(): WalletHealthSnapshot {
    return { entries: [...this.entries.values()].map((e) => ({ ...e, recentLatencies: [...e.recentLatencies] })), unguardable: [...this.unguardable] };
  }

  static restore(snapshot: WalletHealthSnapshot | undefined): WalletHealth {
    const health = new WalletHealth();
    for (const entry of snapshot?.entries ?? []) health.entries.set(keyOf(entry.wallet, entry.chainId), { ...entry });
    health.unguardable = [...(snapshot?.unguardable ?? [])];
    return health;
  }
}
