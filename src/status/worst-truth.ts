/**
 * The worst truth: the one derivation behind the popup's headline, the toolbar badge and the
 * welcome page's summary. It lists every problem a user should know about in the order of how
 * much it hurts, and the headline names the worst one, so the first line can never be rosier
 * than the details under it ("All providers healthy" only when nothing in use has a problem).
 * Pure: no chrome.*, no DOM.
 */
import type { EndpointView } from '../health/tracker.ts';
import type { WalletChainHealth } from '../wallet/health.ts';
import type { ServiceState, ServiceStatus } from './services.ts';
import { type ChainAssessment, type ChainLevel, isWalletFailingNow } from './assess.ts';
import { chainName } from '../registry/chains.ts';
import { DISPLAY_FORMAT } from '../policy/index.ts';
import { formatShare } from './format.ts';

/** The headline's level: a chain's levels plus `degraded`, "everything works, but fewer
 *  endpoints or services than usual are healthy". */
export type OverallLevel = ChainLevel | 'degraded';

export type FindingKind =
  /** A chain in use has endpoints, none of them usable, at least one down. */
  | 'chain-outage'
  /** A wallet's own RPC is failing on a chain where Lifeline has nothing to serve it from. */
  | 'wallet-unserved'
  /** Lifeline is serving something by failover on a chain in use: a wallet's reads, a dApp's
   *  redirected RPC, or the user's first endpoint is down. */
  | 'failover'
  /** A chain in use works, but some of its endpoints are degraded or down. */
  | 'endpoints-degraded'
  /** A wallet or exchange API is down, degraded or in maintenance. */
  | 'service'
  /** A chain in use for which Lifeline has no endpoint at all: it cannot help there. */
  | 'no-fallback'
  /** Chains in use not checked yet. */
  | 'checking'
  /** Nothing in use, and some chains Lifeline watches have no usable endpoint. */
  | 'idle-unreachable';

export interface Finding {
  kind: FindingKind;
  level: OverallLevel;
  /** What it is about, for matching against the detail rows: `chain:<id>`, `service:<id>`,
   *  `wallet:<name>|<chainId>`. */
  subjects: string[];
  text: string;
}

export interface WorstTruth {
  level: OverallLevel;
  line: string;
  /** Every problem, worst first; the line names the first. */
  findings: Finding[];
  badge: Badge;
}

export interface Badge {
  text: string;
  /** CSS hex colour. */
  color: string;
  title: string;
}

export const HEALTHY_LINE = 'All providers healthy';

export const BADGE_COLORS: Record<OverallLevel, string> = { healthy: '#15803d', degraded: '#ca8a04', failover: '#d97706', outage: '#b91c1c', unknown: '#6b7280' };

/** Worst first. A finding's level never outranks one earlier in this order. */
const ORDER: readonly FindingKind[] = ['chain-outage', 'wallet-unserved', 'failover', 'endpoints-degraded', 'service', 'no-fallback', 'checking', 'idle-unreachable'];
export const LEVEL_SEVERITY: Record<OverallLevel, number> = { healthy: 0, unknown: 1, degraded: 2, failover: 3, outage: 4 };

const BAD_SERVICE: Partial<Record<ServiceState, string>> = { down: 'down', degraded: 'degraded', maintenance: 'in maintenance' };

/** The worst of `base` and every finding about any of `subjects`: a detail row's dot is never
 *  rosier than what the headline says about the same thing. */
export function worstLevelAbout(findings: readonly Finding[], subjects: readonly string[], base: OverallLevel): OverallLevel {
  let worst = base;
  for (const finding of findings) {
    if (LEVEL_SEVERITY[finding.level] > LEVEL_SEVERITY[worst] && finding.subjects.some((s) => subjects.includes(s))) worst = finding.level;
  }
  return worst;
}

export interface WorstTruthInput {
  now: number;
  assessments: readonly ChainAssessment[];
  /** The engine's endpoints (all chains); only enabled ones count. */
  endpoints: readonly EndpointView[];
  wallets: readonly WalletChainHealth[];
  services: readonly ServiceStatus[];
}

export function worstTruth(input: WorstTruthInput): WorstTruth {
  const findings: Finding[] = [];
  // A chain with a failing wallet or a redirect is in use whatever the usage record says: its
  // detail rows show the trouble, so the headline must too.
  const inUse = input.assessments.filter((a) => a.inUse || a.failingWallets.length > 0 || a.redirects.length > 0);
  const enabledOn = (chainId: number) => input.endpoints.filter((e) => e.chainId === chainId && e.enabled);
  const chain = (a: ChainAssessment) => `chain:${a.chainId}`;

  const outages = inUse.filter((a) => a.level === 'outage');
  const failovers = inUse.filter((a) => a.level === 'failover');
  if (outages.length > 0) {
    const more = failovers.length > 0 ? `; failover active on ${failovers.map((a) => a.name).join(', ')}` : '';
    findings.push({ kind: 'chain-outage', level: 'outage', subjects: outages.map(chain), text: `No healthy endpoint for ${outages.map((a) => a.name).join(', ')}${more}` });
  }

  // Failing wallets on chains Lifeline has no endpoint for (no assessment says so: no serving).
  const known = new Map(input.assessments.map((a) => [a.chainId, a]));
  const unserved = input.wallets.filter((w) => isWalletFailingNow(w, input.now) && (w.chainId === null || enabledOn(w.chainId).length === 0));
  for (const w of unserved) {
    const subjects = [`wallet:${w.wallet.name}|${w.chainId ?? 'unknown'}`];
    if (w.chainId === null) {
      findings.push({ kind: 'wallet-unserved', level: 'outage', subjects, text: `${w.wallet.name}'s RPC failing on a chain not yet known` });
      continue;
    }
    const name = known.get(w.chainId)?.name ?? chainName(w.chainId);
    findings.push({ kind: 'wallet-unserved', level: 'outage', subjects: [...subjects, `chain:${w.chainId}`], text: `${w.wallet.name}'s RPC failing on ${name}, and no fallback is configured for it` });
  }

  if (failovers.length > 0) {
    const [first, ...rest] = failovers;
    const more = rest.length > 0 ? ` (and ${rest.map((a) => a.name).join(', ')})` : '';
    findings.push({ kind: 'failover', level: 'failover', subjects: failovers.map(chain), text: `Failover active on ${first!.name}: ${first!.why}${more}` });
  }

  for (const a of inUse) {
    if (a.level === 'outage' || a.level === 'failover') continue;
    const enabled = enabledOn(a.chainId);
    if (!enabled.some((e) => e.state === 'degraded' || e.state === 'down')) continue;
    const healthy = enabled.filter((e) => e.state === 'healthy').length;
    findings.push({ kind: 'endpoints-degraded', level: 'degraded', subjects: [chain(a)], text: `${a.name}: ${formatShare(healthy, enabled.length)} endpoints healthy` });
  }

  const badServices = input.services.filter((s) => BAD_SERVICE[s.state] !== undefined);
  if (badServices.length > 0) {
    const byWord = new Map<string, string[]>();
    for (const s of badServices) byWord.set(BAD_SERVICE[s.state]!, [...(byWord.get(BAD_SERVICE[s.state]!) ?? []), s.name]);
    const text = [...byWord].map(([word, names]) => `${joinNames(names)} ${word}`).join('; ');
    findings.push({ kind: 'service', level: 'degraded', subjects: badServices.map((s) => `service:${s.id}`), text });
  }

  const uncovered = inUse.filter((a) => enabledOn(a.chainId).length === 0 && !unserved.some((w) => w.chainId === a.chainId));
  if (uncovered.length > 0) {
    findings.push({ kind: 'no-fallback', level: 'unknown', subjects: uncovered.map(chain), text: `${joinNames(uncovered.map((a) => a.name))}: no fallback configured; add one in Options` });
  }

  const unchecked = inUse.filter((a) => a.level === 'unknown' && enabledOn(a.chainId).length > 0);
  if (unchecked.length > 0) {
    const text = unchecked.length === inUse.length ? 'Checking providers…' : `Checking ${joinNames(unchecked.map((a) => a.name))}…`;
    findings.push({ kind: 'checking', level: 'unknown', subjects: unchecked.map(chain), text });
  }

  if (inUse.length === 0) {
    const checked = input.assessments.filter((a) => a.level !== 'unknown');
    if (checked.length === 0) {
      findings.push({ kind: 'checking', level: 'unknown', subjects: [], text: 'Waiting for the first health check' });
    } else {
      const unreachable = checked.filter((a) => a.level === 'outage');
      if (unreachable.length > 0) {
        findings.push({
          kind: 'idle-unreachable', level: 'unknown', subjects: unreachable.map(chain),
          text: `No chain in use yet; ${formatShare(checked.length - unreachable.length, checked.length)} chains checked are reachable`,
        });
      }
    }
  }

  findings.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
  const worst = findings[0];
  const level: OverallLevel = worst?.level ?? 'healthy';
  const line = worst ? worst.text : HEALTHY_LINE;
  const failoverCount = failovers.length;
  const text = level === 'outage' ? '!' : level === 'failover' ? String(Math.min(failoverCount, DISPLAY_FORMAT.badgeMaxCount)) : '';
  const others = findings.length - 1;
  const title = `Lifeline: ${line}${others > 0 ? ` (and ${others} more: open Lifeline)` : ''}`;
  return { level, line, findings, badge: { text, color: BADGE_COLORS[level], title } };
}

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
