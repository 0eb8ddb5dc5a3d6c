/**
 * What Lifeline believes about each wallet's reads, per wallet and chain, and who may act on it.
 *
 * The guards' reports come from web pages, and a page's scripts can post exactly what a guard
 * posts. So evidence is kept per site (the tab's origin, which Chromium vouches for) and weighed:
 * - a site's own reports steer only that site's tabs: a page can already reach its own site's
 *   other tabs (same-origin storage and channels), so this gives it no new power;
 * - every other site's tabs follow only what the worker checked itself: a status check showing
 *   the wallet's backend down, or relays the worker really served for that wallet and chain to
 *   several different sites at once;
 * - the popup calls a wallet failing only on the worker's own evidence: relays it served to the
 *   reporting site, or its backend's status check.
 * One site's healthy reports clear only that site's evidence, so a page cannot hide another
 * site's outage; everything is bounded, so a page cannot flood it.
 *
 * Pure: time is passed in; the worker persists `snapshot()`.
 */
import { WALLET_EVIDENCE, WALLET_HEDGE, adaptiveDelayMs } from '../policy/index.ts';
import { percentileOfSorted } from '../health/window.ts';
import { isRecord } from '../types.ts';
import type { WalletIdentity, WalletReport } from './health.ts';

/** What a site's tabs are told about one wallet on one chain (chainId null: every chain). */
export interface WalletAdvice {
  wallet: string;
  chainId: number | null;
  /** Relay this wallet's reads at once, in parallel with the wallet. */
  failing: boolean;
  /** The wallet's hedge delay learned on this site, for a tab that has not timed it yet. */
  hedgeMs?: number;
}

/** How sure the worker is that a wallet is failing on a chain, for the popup. */
export interface WalletFailure {
  /** Start of the failure the worker can vouch for; null when it has nothing of its own. */
  confirmedSince: number | null;
  /** Sites whose pages report the wallet failing (whether or not the worker could confirm it). */
  reportingSites: number;
}

interface SiteRecord {
  /** Reads in a row the wallet failed on this site; an answer of its own resets it. */
  streak: number;
  failingSince: number | null;
  lastFailureAt: number;
  /** Last relay the worker served for this wallet and chain to this site; null: none yet. */
  lastServedAt: number | null;
  /** The wallet's own answer times on this site, newest last. */
  latencies: number[];
  lastSeen: number;
}

export interface WalletEvidenceSnapshot {
  version: 1;
  entries: Array<{ wallet: string; chainId: number; sites: Array<{ site: string } & SiteRecord> }>;
}

/** The key a wallet is known by: its EIP-6963 rdns when the guard knows it, else its name. */
export const walletKeyOf = (identity: WalletIdentity): string => identity.rdns ?? identity.name;

const entryKey = (wallet: string, chainId: number) => `${wallet}|${chainId}`;

export class WalletEvidence {
  private entries = new Map<string, { wallet: string; chainId: number; sites: Map<string, SiteRecord> }>();

  /** A report a guard made on `site` (already sanitised). */
  recordReport(site: string, report: WalletReport, now: number): void {
    const { observation } = report;
    if (report.chainId === null || observation.type === 'unguardable') return;
    const record = this.siteRecord(walletKeyOf(report.wallet), report.chainId, site, now);
    if (observation.type === 'answered') {
      record.streak = 0;
      record.failingSince = null;
      record.latencies.push(observation.latencyMs);
      if (record.latencies.length > WALLET_HEDGE.window) record.latencies.shift();
    } else {
      record.streak++;
      record.lastFailureAt = now;
      if (record.streak >= WALLET_HEDGE.failingAfterReads) record.failingSince ??= now;
    }
  }

  /** The worker served a relay for this wallet and chain to a tab of `site`. */
  recordRelayServed(site: string, wallet: string, chainId: number, now: number): void {
    this.siteRecord(wallet, chainId, site, now).lastServedAt = now;
  }

  /**
   * What the tabs of `site` should know. `backendDown` holds the wallets whose backend the
   * services panel found down (their reads fail on every chain).
   */
  adviceFor(site: string, now: number, backendDown: ReadonlySet<string>): WalletAdvice[] {
    this.prune(now);
    const advice: WalletAdvice[] = [];
    for (const wallet of backendDown) advice.push({ wallet, chainId: null, failing: true });
    for (const { wallet, chainId, sites } of this.entries.values()) {
      const own = sites.get(site);
      const failing = (own !== undefined && this.failingOn(own, now)) || this.confirmedSites(sites, now) >= WALLET_EVIDENCE.corroborationSites;
      const hedgeMs = own && own.latencies.length >= WALLET_HEDGE.minSamples ? Math.round(adaptiveDelayMs(percentileOfSorted([...own.latencies].sort((a, b) => a - b), 95), WALLET_HEDGE)) : undefined;
      if (!failing && hedgeMs === undefined) continue;
      advice.push(hedgeMs === undefined ? { wallet, chainId, failing } : { wallet, chainId, failing, hedgeMs });
    }
    return advice.slice(0, WALLET_EVIDENCE.maxAdvice);
  }

  /** For the popup: what the worker can vouch for about this wallet on this chain. */
  failureOf(identity: WalletIdentity, chainId: number | null, now: number, backendDown: ReadonlySet<string>): WalletFailure {
    const wallet = walletKeyOf(identity);
    const entry = chainId === null ? undefined : this.entries.get(entryKey(wallet, chainId));
    let confirmedSince: number | null = null;
    let reportedSince: number | null = null;
    let reportingSites = 0;
    for (const record of entry?.sites.values() ?? []) {
      if (!this.failingOn(record, now)) continue;
      reportingSites++;
      const since = record.failingSince ?? now;
      reportedSince = Math.min(reportedSince ?? since, since);
      if (this.confirmedOn(record, now)) confirmedSince = Math.min(confirmedSince ?? since, since);
    }
    // The backend's status check vouches for every page that reports the wallet failing.
    if (confirmedSince === null && backendDown.has(wallet)) confirmedSince = reportedSince;
    return { confirmedSince, reportingSites };
  }

  /** Wallet health as the popup may show it: failing only on the worker's own evidence. */
  vouchedFor<W extends { wallet: WalletIdentity; chainId: number | null; failingSince: number | null }>(wallets: readonly W[], now: number, backendDown: ReadonlySet<string>): Array<W & { reportingSites: number }> {
    return wallets.map((w) => {
      const failure = this.failureOf(w.wallet, w.chainId, now, backendDown);
      return { ...w, failingSince: failure.confirmedSince, reportingSites: failure.reportingSites };
    });
  }

  snapshot(): WalletEvidenceSnapshot {
    return {
      version: 1,
      entries: [...this.entries.values()].map(({ wallet, chainId, sites }) => ({
        wallet, chainId, sites: [...sites].map(([site, r]) => ({ site, ...r, latencies: [...r.latencies] })),
      })),
    };
  }

  /** Rebuilds from storage, field by field: what a stopped worker wrote may be anything. */
  static restore(raw: unknown): WalletEvidence {
    const evidence = new WalletEvidence();
    if (!isRecord(raw) || raw.version !== 1 || !Array.isArray(raw.entries)) return evidence;
    const time = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    for (const e of raw.entries.slice(0, WALLET_EVIDENCE.maxWallets)) {
      if (!isRecord(e) || typeof e.wallet !== 'string' || !Number.isSafeInteger(e.chainId) || !Array.isArray(e.sites)) continue;
      const sites = new Map<string, SiteRecord>();
      for (const s of e.sites.slice(0, WALLET_EVIDENCE.maxSitesPerWallet)) {
        if (!isRecord(s) || typeof s.site !== 'string') continue;
        const latencies = Array.isArray(s.latencies) ? s.latencies.filter((l): l is number => typeof l === 'number' && Number.isFinite(l)).slice(-WALLET_HEDGE.window) : [];
        sites.set(s.site, {
          streak: Math.max(0, Math.floor(time(s.streak))), failingSince: typeof s.failingSince === 'number' ? s.failingSince : null,
          lastFailureAt: time(s.lastFailureAt), lastServedAt: typeof s.lastServedAt === 'number' ? s.lastServedAt : null, latencies, lastSeen: time(s.lastSeen),
        });
      }
      evidence.entries.set(entryKey(e.wallet, e.chainId as number), { wallet: e.wallet, chainId: e.chainId as number, sites });
    }
    return evidence;
  }

  /** A failing streak on this site with a failure recent enough to be live. */
  private failingOn(record: SiteRecord, now: number): boolean {
    return record.failingSince !== null && now - record.lastFailureAt <= WALLET_EVIDENCE.liveForMs;
  }

  /** …and the worker served this site relays for it meanwhile: its own evidence, not the page's word. */
  private confirmedOn(record: SiteRecord, now: number): boolean {
    return this.failingOn(record, now) && record.lastServedAt !== null && now - record.lastServedAt <= WALLET_EVIDENCE.liveForMs;
  }

  private confirmedSites(sites: Map<string, SiteRecord>, now: number): number {
    let count = 0;
    for (const record of sites.values()) if (this.confirmedOn(record, now)) count++;
    return count;
  }

  private siteRecord(wallet: string, chainId: number, site: string, now: number): SiteRecord {
    const key = entryKey(wallet, chainId);
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= WALLET_EVIDENCE.maxWallets) this.dropOldest(this.entries, (e) => newest(e.sites));
      this.entries.set(key, (entry = { wallet, chainId, sites: new Map() }));
    }
    let record = entry.sites.get(site);
    if (!record) {
      if (entry.sites.size >= WALLET_EVIDENCE.maxSitesPerWallet) this.dropOldest(entry.sites, (r) => r.lastSeen);
      entry.sites.set(site, (record = { streak: 0, failingSince: null, lastFailureAt: 0, lastServedAt: null, latencies: [], lastSeen: now }));
    }
    record.lastSeen = now;
    return record;
  }

  /** Forgets what no page has said anything about for a while. */
  private prune(now: number): void {
    for (const [key, entry] of this.entries) {
      for (const [site, record] of entry.sites) if (now - record.lastSeen > WALLET_EVIDENCE.keepForMs) entry.sites.delete(site);
      if (entry.sites.size === 0) this.entries.delete(key);
    }
  }

  private dropOldest<V>(map: Map<string, V>, seen: (value: V) => number): void {
    let oldest: string | undefined;
    let oldestSeen = Infinity;
    for (const [key, value] of map) if (seen(value) < oldestSeen) [oldest, oldestSeen] = [key, seen(value)];
    if (oldest !== undefined) map.delete(oldest);
  }
}

const newest = (sites: Map<string, SiteRecord>): number => Math.max(0, ...[...sites.values()].map((r) => r.lastSeen));
