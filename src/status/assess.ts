/**
 * Judges each chain from the engine's health view, wallet health and active redirects: is Lifeline
 * quietly fine, serving something by failover, or out of healthy endpoints? The status line, the
 * badge and the failover episode tracker all read the same assessment, so they never disagree.
 * Pure: no chrome.*, no DOM.
 */
import type { EndpointView } from '../health/tracker.ts';
import type { WalletChainHealth } from '../wallet/health.ts';
import { chainName } from '../registry/chains.ts';
import { DEFAULT_POLICY, STATUS_POLICY } from '../policy/index.ts';
import { type RankPolicy, rankEndpoints } from '../router/rank.ts';
import type { PublishedRedirect } from '../page-traffic/rules.ts';

export type ChainLevel = 'healthy' | 'failover' | 'outage' | 'unknown';

/** A page RPC URL currently redirected by a DNR rule (page-traffic feature), when known. */
/** What the status needs of a redirect in force: the worker's published redirect, narrowed. */
export type ActiveRedirect = Pick<PublishedRedirect, 'chainId' | 'from' | 'to'>;

export interface ChainAssessment {
  chainId: number;
  name: string;
  inUse: boolean;
  level: ChainLevel;
  /** First enabled endpoint in rank order (user endpoints first): the one the user prefers. */
  primary?: EndpointView;
  /** The endpoint Lifeline most likely routes to now: best-ranked usable one. */
  serving?: EndpointView;
  /** Wallets on this chain whose own RPC is failing now (Lifeline relays their reads). */
  failingWallets: WalletChainHealth[];
  redirects: ActiveRedirect[];
  /** Short human explanation ("Infura down, using PublicNode"); empty when healthy. */
  why: string;
}

const usable = (e: EndpointView): boolean => e.state === 'healthy' || e.state === 'degraded';

/**
 * The endpoint the router most likely uses: the first usable one in the router's own ranking
 * (src/router/rank.ts), so the popup names what really serves; lag does not disqualify here
 * (that depends on the method).
 */
export function servingEndpoint(endpoints: readonly EndpointView[], policy: RankPolicy = DEFAULT_POLICY): EndpointView | undefined {
  const candidates = endpoints.filter((e) => e.enabled && usable(e));
  return rankEndpoints(candidates, policy, { lagToleranceBlocks: Number.POSITIVE_INFINITY })[0]?.view;
}

/** A wallet failure counts only while recent: an old streak with no reads since proves nothing. */
export function isWalletFailingNow(w: WalletChainHealth, now: number): boolean {
  return w.failingSince !== null && now - w.lastSeen <= STATUS_POLICY.walletEvidenceMaxAgeMs;
}

export function assessChain(
  chainId: number,
  endpoints: readonly EndpointView[],
  options: { inUse: boolean; wallets: readonly WalletChainHealth[]; redirects: readonly ActiveRedirect[]; now: number },
): ChainAssessment {
  const name = chainName(chainId);
  const enabled = endpoints.filter((e) => e.chainId === chainId && e.enabled);
  const primary = enabled[0];
  const serving = servingEndpoint(enabled);
  const failingWallets = options.wallets.filter((w) => w.chainId === chainId && isWalletFailingNow(w, options.now));
  const redirects = options.redirects.filter((r) => r.chainId === chainId);
  const base = { chainId, name, inUse: options.inUse, primary, serving, failingWallets, redirects };

  if (enabled.length > 0 && !serving && enabled.some((e) => e.state === 'down')) {
    const walletNote = failingWallets.length > 0 ? ` (${walletNames(failingWallets)} failing too)` : '';
    return { ...base, level: 'outage', why: `every configured endpoint is down${walletNote}` };
  }
  const reasons: string[] = [];
  if (failingWallets.length > 0) {
    reasons.push(`${possessive(walletNames(failingWallets))} RPC failing, Lifeline serving reads${serving ? ` via ${serving.label}` : ''}`);
  }
  for (const r of redirects) reasons.push(`${r.from} redirected to ${r.to}`);
  if (primary && serving && primary.id !== serving.id && primary.state === 'down') {
    reasons.push(`${primary.label} down, using ${serving.label}`);
  }
  if (reasons.length > 0) return { ...base, level: 'failover', why: reasons.join('; ') };
  if (!serving) return { ...base, level: 'unknown', why: enabled.length === 0 ? 'no endpoints configured' : 'not checked yet' };
  return { ...base, level: 'healthy', why: '' };
}

function walletNames(wallets: readonly WalletChainHealth[]): string {
  return [...new Set(wallets.map((w) => w.wallet.name))].join(' and ');
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}
