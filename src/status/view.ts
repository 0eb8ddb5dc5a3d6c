/**
 * PopupStatus: everything the popup shows, computed in the worker from cached state (no probes),
 * so the popup renders in one message round-trip. Pure.
 */
import type { HealthView } from '../engine/engine.ts';
import type { Endpoint, Infrastructure, PrivacyLabel } from '../types.ts';
import type { HealthState } from '../health/tracker.ts';
import type { WalletChainHealth } from '../wallet/health.ts';
import type { TimelineEvent } from './timeline.ts';
import { maskUrlSecrets } from '../registry/primaries.ts';
import { type ActiveRedirect, type ChainAssessment, type ChainLevel, assessChain, isWalletFailingNow } from './assess.ts';
import { type Badge, type Finding, type OverallLevel, worstTruth } from './worst-truth.ts';
import type { EpisodeState } from './episodes.ts';
import { latencyChart, type LatencyChart, type LatencyHistory } from './latency.ts';
import { type RepairOffer, repairOffer, isShareableUrl } from './repair.ts';
import type { ServiceStatus } from './services.ts';
import { chainName } from '../registry/chains.ts';
import { hasDefaults } from '../registry/defaults.ts';

export interface EndpointRow {
  id: string;
  label: string;
  provider: string;
  /** URL with keys masked. */
  url: string;
  state: HealthState;
  reason: string;
  p50Ms?: number;
  lagBlocks?: number;
  infrastructure: Infrastructure;
  privacy: PrivacyLabel | 'unknown';
  source: Endpoint['source'];
  inUse: boolean;
  /** The last hour's p50 and failures as SVG geometry and words, drawn here rather than in the
   *  popup (it gets ~1 KB per endpoint instead of every raw sample); only for chains in use, so
   *  sixty idle chains cost nothing. */
  chart: LatencyChart | null;
}

export interface ChainStatus {
  chainId: number;
  name: string;
  inUse: boolean;
  /** Lifeline ships endpoints for the chain; without them only the user's own serve it, and
   *  with none of those the chain has no fallback at all. */
  hasDefaults: boolean;
  level: ChainLevel;
  why: string;
  endpoints: EndpointRow[];
  /** Open failover episode on this chain. */
  episode?: { since: number; why: string };
  /** The last episode that ended, when recent. */
  recovered?: { since: number; endedAt: number };
  /** A healthy endpoint's URL without a key, to give a wallet by hand (a wallet's own backend can
   *  be down without any page showing it: Rabby's API in the AWS outage). */
  walletRpcUrl?: string;
}

export interface WalletRow {
  name: string;
  rdns?: string;
  chainId: number | null;
  /** In words, also when the chain is unknown: "Chain 12345", "a chain not yet known". */
  chainName: string;
  /** Enabled endpoints Lifeline has for the wallet's chain: 0 means it cannot serve its reads. */
  fallbacks: number;
  answered: number;
  failed: number;
  servedByLifeline: number;
  latencyP50Ms: number | null;
  failingSince: number | null;
  /** Sites reporting the wallet failing that Lifeline could not confirm (no relay served there). */
  unconfirmedSites?: number;
  lastFailure: string | null;
  lastSeen: number;
  /** The healthy endpoint Lifeline serves this wallet's failed reads from. */
  servedVia?: string;
  repair?: RepairOffer;
}

export interface PopupStatus {
  generatedAt: number;
  level: OverallLevel;
  line: string;
  /** Every problem, worst first (src/status/worst-truth.ts); `line` names the first. */
  findings: Finding[];
  badge: Badge;
  chains: ChainStatus[];
  wallets: WalletRow[];
  unguardable: Array<{ wallet: string; site: string; reason: string; at: number }>;
  services: ServiceStatus[];
  timeline: TimelineEvent[];
}

export interface StatusInput {
  now: number;
  view: HealthView;
  endpoints: readonly Endpoint[];
  chainsInUse: readonly number[];
  wallets: readonly WalletChainHealth[];
  unguardable?: ReadonlyArray<{ wallet: { name: string }; site: string; reason: string; at: number }>;
  redirects?: readonly ActiveRedirect[];
  latency?: LatencyHistory;
  episodes?: EpisodeState;
  services?: ServiceStatus[];
  timeline?: TimelineEvent[];
}

/** Chains Lifeline knows (from endpoints) plus chains seen in use or in wallets. */
export function assessAll(input: Pick<StatusInput, 'now' | 'view' | 'chainsInUse' | 'wallets' | 'redirects'>): ChainAssessment[] {
  const inUse = new Set(input.chainsInUse);
  const ids = [...new Set([...input.view.chains.map((c) => c.chainId), ...input.chainsInUse])];
  return ids.map((chainId) =>
    assessChain(chainId, input.view.endpoints, { inUse: inUse.has(chainId), wallets: input.wallets, redirects: input.redirects ?? [], now: input.now }),
  );
}

export function buildPopupStatus(input: StatusInput): PopupStatus {
  const assessments = assessAll(input);
  const truth = worstTruth({ now: input.now, assessments, endpoints: input.view.endpoints, wallets: input.wallets, services: input.services ?? [] });
  const byId = new Map(input.endpoints.map((e) => [e.id, e]));
  const order = (a: ChainAssessment) => (a.inUse ? 0 : 1);
  const sorted = [...assessments].sort((a, b) => order(a) - order(b));

  const servingUrl = (chainId: number | null): { label?: string; url?: string } => {
    if (chainId === null) return {};
    const a = assessments.find((x) => x.chainId === chainId);
    const candidates = input.view.endpoints.filter((e) => e.chainId === chainId && e.enabled && (e.state === 'healthy' || e.state === 'degraded'));
    const shareable = a?.serving && isShareableUrl(a.serving.url) ? a.serving : candidates.find((e) => isShareableUrl(e.url));
    return { label: a?.serving?.label, url: shareable?.url };
  };

  const chains: ChainStatus[] = sorted.map((a) => {
    const episode = input.episodes?.open[String(a.chainId)];
    const ended = input.episodes?.lastEnded[String(a.chainId)];
    const walletRpcUrl = servingUrl(a.chainId).url;
    return {
      chainId: a.chainId,
      name: a.name,
      inUse: a.inUse,
      hasDefaults: hasDefaults(a.chainId),
      level: a.level,
      why: a.why,
      endpoints: input.view.endpoints
        .filter((e) => e.chainId === a.chainId && e.enabled)
        .map((e) => ({
          id: e.id,
          label: e.label,
          provider: e.provider,
          url: maskUrlSecrets(e.url),
          state: e.state,
          reason: e.reason,
          ...(e.p50Ms !== undefined ? { p50Ms: Math.round(e.p50Ms) } : {}),
          ...(e.lagBlocks !== undefined ? { lagBlocks: e.lagBlocks } : {}),
          infrastructure: e.infrastructure,
          privacy: byId.get(e.id)?.privacy ?? 'unknown',
          source: e.source,
          inUse: a.serving?.id === e.id,
          chart: a.inUse ? latencyChart(input.latency?.[e.id] ?? [], input.now) : null,
        })),
      ...(episode ? { episode: { since: episode.since, why: episode.why } } : {}),
      ...(!episode && ended ? { recovered: { since: ended.since, endedAt: ended.endedAt } } : {}),
      ...(walletRpcUrl ? { walletRpcUrl } : {}),
    };
  });

  const wallets: WalletRow[] = [...input.wallets]
    .sort((a, b) => b.lastSeen - a.lastSeen)
    .map((w) => {
      const served = servingUrl(w.chainId);
      const offer = repairOffer(w, served.url, input.now);
      const failing = isWalletFailingNow(w, input.now);
      return {
        name: w.wallet.name,
        ...(w.wallet.rdns ? { rdns: w.wallet.rdns } : {}),
        chainId: w.chainId,
        chainName: w.chainId === null ? 'a chain not yet known' : chainName(w.chainId),
        fallbacks: w.chainId === null ? 0 : input.view.endpoints.filter((e) => e.chainId === w.chainId && e.enabled).length,
        answered: w.answered,
        failed: w.failed,
        servedByLifeline: w.servedByLifeline,
        latencyP50Ms: w.latencyP50Ms,
        failingSince: failing ? w.failingSince : null,
        ...(!failing && (w.reportingSites ?? 0) > 0 ? { unconfirmedSites: w.reportingSites } : {}),
        lastFailure: w.lastFailure,
        lastSeen: w.lastSeen,
        ...(failing && served.label ? { servedVia: served.label } : {}),
        ...(offer ? { repair: offer } : {}),
      };
    });

  return {
    generatedAt: input.now,
    level: truth.level,
    line: truth.line,
    findings: truth.findings,
    badge: truth.badge,
    chains,
    wallets,
    unguardable: (input.unguardable ?? []).map((u) => ({ wallet: u.wallet.name, site: u.site, reason: u.reason, at: u.at })),
    services: input.services ?? [],
    timeline: [...(input.timeline ?? [])].sort((a, b) => b.at - a.at),
  };
}

export { describeEvent } from './describe.ts';
