/**
 * From health to declarativeNetRequest rules: which down page endpoint is redirected where, the
 * rule that does it, and the smallest atomic update that turns the browser's rules into the
 * desired ones. Pure; the shell (extension/background/dnr.ts) only calls chrome.* with the result.
 */
import type { HealthState } from '../health/tracker.ts';
import { DEFAULT_POLICY } from '../policy/index.ts';
import { type RankInput, type RankPolicy, rankEndpoints } from '../router/rank.ts';
import { maskUrlSecrets } from '../registry/primaries.ts';
import { normalizeRpcUrl, tryParseUrl } from '../registry/url.ts';
import type { TimelineEvent } from '../status/timeline.ts';
import type { DownEndpoint } from './tracker.ts';
import { isSafeTargetUrl } from './urls.ts';

/** What the engine says about one configured endpoint (its EndpointView, or the part ranking reads). */
export interface TargetCandidate extends RankInput {
  chainId: number;
  url: string;
  label: string;
  enabled: boolean;
  state: HealthState;
}

/** One redirect Lifeline wants in force. Holds the raw page URL: keep it in session storage only. */
export interface RedirectPlan {
  ruleId: number;
  /** The page's endpoint URL exactly as requested. */
  url: string;
  chainId: number;
  targetId: string;
  targetUrl: string;
  targetLabel: string;
  /** When this redirect started (kept across target updates). */
  since: number;
  /** Why the page endpoint is down ("HTTP 503 ×3"). */
  reason: string;
}

const TIER: Partial<Record<HealthState, number>> = { healthy: 0, degraded: 1 };

/**
 * Configured endpoints that may serve the page endpoint's requests, best first: the router's
 * ranking (src/router/rank.ts), healthy ones first, since a redirect rule has no fail-over behind
 * it; lag does not disqualify (the page sends every kind of request).
 */
export function rankTargets(
  chainId: number,
  fromUrl: string,
  candidates: readonly TargetCandidate[],
  avoidUrls: ReadonlySet<string>,
  policy: RankPolicy = DEFAULT_POLICY,
): TargetCandidate[] {
  const from = normalizeRpcUrl(fromUrl);
  const eligible = candidates.filter(
    (c) =>
      c.chainId === chainId &&
      c.enabled &&
      c.chainVerified === true && // never a URL of another chain, nor one not yet checked
      TIER[c.state] !== undefined &&
      normalizeRpcUrl(c.url) !== from &&
      !avoidUrls.has(normalizeRpcUrl(c.url)) &&
      isSafeTargetUrl(c.url),
  );
  return rankEndpoints(eligible, policy, { lagToleranceBlocks: Number.POSITIVE_INFINITY, healthyFirst: true }).map((ranked) => ranked.view);
}

export interface PlanInput {
  now: number;
  down: readonly DownEndpoint[];
  candidates: readonly TargetCandidate[];
  /** The redirects in force now (their ids and targets are kept when still good). */
  current: readonly RedirectPlan[];
  ruleIdBase: number;
  maxRules: number;
}

/**
 * The redirects that should be in force. A current target stays while it is as good as the best
 * (healthy beside healthy), so rules do not flap between two fine endpoints; it is replaced when it
 * degrades or goes down. Rule ids are stable per page URL and reused from a fixed range.
 */
export function planRedirects(input: PlanInput): RedirectPlan[] {
  const currentByUrl = new Map(input.current.map((r) => [r.url, r]));
  // A down page endpoint is never a target, even if it is also a configured endpoint.
  const avoid = new Set(input.down.map((d) => normalizeRpcUrl(d.url)));
  const used = new Set<number>();
  const plans: RedirectPlan[] = [];
  // Current redirects first (they keep their ids), then new ones oldest outage first.
  const ordered = [...input.down].sort((a, b) => Number(currentByUrl.has(b.url)) - Number(currentByUrl.has(a.url)) || a.since - b.since);
  const drafts: Array<Omit<RedirectPlan, 'ruleId'> & { ruleId?: number }> = [];
  for (const d of ordered) {
    if (d.chainId === undefined) continue;
    const ranked = rankTargets(d.chainId, d.url, input.candidates, avoid);
    const best = ranked[0];
    if (!best) continue;
    const existing = currentByUrl.get(d.url);
    const kept = existing && existing.chainId === d.chainId ? ranked.find((c) => c.id === existing.targetId && c.url === existing.targetUrl) : undefined;
    const target = kept && TIER[kept.state] === TIER[best.state] ? kept : best;
    const draft: Omit<RedirectPlan, 'ruleId'> & { ruleId?: number } = {
      url: d.url,
      chainId: d.chainId,
      targetId: target.id,
      targetUrl: target.url,
      targetLabel: target.label,
      since: existing && existing.chainId === d.chainId ? existing.since : input.now,
      reason: existing?.reason ?? d.reason,
    };
    const id = existing?.ruleId;
    if (id !== undefined && id >= input.ruleIdBase && id < input.ruleIdBase + input.maxRules && !used.has(id)) {
      draft.ruleId = id;
      used.add(id);
    }
    drafts.push(draft);
  }
  let next = input.ruleIdBase;
  for (const draft of drafts) {
    if (draft.ruleId === undefined) {
      while (used.has(next)) next++;
      if (next >= input.ruleIdBase + input.maxRules) continue; // bounded: no free id, no rule
      draft.ruleId = next;
      used.add(next);
    }
    plans.push(draft as RedirectPlan);
  }
  return plans.sort((a, b) => a.ruleId - b.ruleId);
}

// ---------------------------------------------------------------------------------------------
// Rules

/** The shape of a chrome.declarativeNetRequest.Rule that Lifeline writes (plain data). */
export interface RedirectRule {
  id: number;
  priority: number;
  action: { type: 'redirect'; redirect: { url: string } };
  condition: {
    urlFilter?: string;
    regexFilter?: string;
    isUrlFilterCaseSensitive: boolean;
    requestMethods: string[];
    resourceTypes: string[];
    excludedInitiatorDomains: string[];
  };
}

export interface RuleContext {
  /** chrome.runtime.id: Lifeline's own requests (probes, look-ups) are never redirected. */
  extensionId: string;
  /** Origins the user switched Lifeline off for (extension/background/sites.ts). */
  disabledSites: readonly string[];
}

/**
 * Initiator domains to exclude for the switched-off sites. DNR matches initiators by domain (with
 * subdomains) and ignores scheme and port, so switching off `http://localhost:3000` also leaves
 * every other localhost port and `*.localhost` alone: the switch can only ever mean fewer
 * redirects, never more. IPv6 literals are left out (DNR domains cannot express them).
 */
export function disabledDomains(disabledSites: readonly string[]): string[] {
  const out = new Set<string>();
  for (const site of disabledSites) {
    const u = tryParseUrl(site);
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) continue;
    const host = u.hostname.toLowerCase().replace(/\.$/, '');
    if (!host || host.startsWith('[') || !/^[a-z0-9.-]+$/.test(host)) continue;
    out.add(host);
  }
  return [...out].sort();
}

const URL_FILTER_SPECIAL = /[*^|]/;
const escapeRegex = (s: string) => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * The rule for a plan: only POSTs (JSON-RPC), only fetch/XHR-like requests (never navigations),
 * only this exact URL (`|url|`: not other paths or queries of the host), case-sensitive (keys in
 * paths are), never Lifeline's own requests, never from switched-off sites.
 */
export function buildRule(plan: RedirectPlan, context: RuleContext): RedirectRule {
  const exact = URL_FILTER_SPECIAL.test(plan.url) ? { regexFilter: `^${escapeRegex(plan.url)}$` } : { urlFilter: `|${plan.url}|` };
  return {
    id: plan.ruleId,
    priority: 1,
    action: { type: 'redirect', redirect: { url: plan.targetUrl } },
    condition: {
      ...exact,
      isUrlFilterCaseSensitive: true,
      requestMethods: ['post'],
      resourceTypes: ['xmlhttprequest', 'other'],
      excludedInitiatorDomains: [...new Set([context.extensionId, ...disabledDomains(context.disabledSites)])],
    },
  };
}

/** A comparable form of a rule as chrome returns it (defaults filled, lists sorted). */
function canonical(rule: unknown): string {
  const r = (rule ?? {}) as { id?: unknown; priority?: unknown; action?: { type?: unknown; redirect?: { url?: unknown } }; condition?: Record<string, unknown> };
  const c = r.condition ?? {};
  const list = (v: unknown) => (Array.isArray(v) ? [...v].map(String).sort() : []);
  return JSON.stringify({
    id: r.id,
    priority: r.priority ?? 1,
    type: r.action?.type,
    to: r.action?.redirect?.url,
    urlFilter: c.urlFilter ?? null,
    regexFilter: c.regexFilter ?? null,
    caseSensitive: c.isUrlFilterCaseSensitive === true,
    requestMethods: list(c.requestMethods),
    resourceTypes: list(c.resourceTypes),
    excludedInitiatorDomains: list(c.excludedInitiatorDomains),
    // Conditions Lifeline never sets must be absent on its rules.
    others: Object.keys(c)
      .filter((k) => !['urlFilter', 'regexFilter', 'isUrlFilterCaseSensitive', 'requestMethods', 'resourceTypes', 'excludedInitiatorDomains'].includes(k))
      .filter((k) => c[k] !== undefined)
      .sort(),
  });
}

export interface RuleDiff {
  removeRuleIds: number[];
  addRules: RedirectRule[];
}

/**
 * One atomic update from the rules in force to the desired ones, touching only Lifeline's id range:
 * leftovers are removed, changed rules replaced (remove + add of the same id), identical ones kept.
 */
export function diffRules(existing: readonly { id: number }[], desired: readonly RedirectRule[], range: { base: number; size: number }): RuleDiff {
  const inRange = (id: number) => id >= range.base && id < range.base + range.size;
  const wanted = new Map(desired.map((r) => [r.id, r]));
  const removeRuleIds: number[] = [];
  const keep = new Set<number>();
  const seen = new Set<number>();
  for (const rule of existing) {
    if (!inRange(rule.id)) continue;
    const want = wanted.get(rule.id);
    if (want && !seen.has(rule.id) && canonical(rule) === canonical(want)) keep.add(rule.id);
    else removeRuleIds.push(rule.id);
    seen.add(rule.id);
  }
  const addRules = desired.filter((r) => !keep.has(r.id));
  return { removeRuleIds: [...new Set(removeRuleIds)].sort((a, b) => a - b), addRules };
}

// ---------------------------------------------------------------------------------------------
// What people see: timeline events and the list the popup shows

export interface PublishedRedirect {
  chainId: number;
  /** The page endpoint with secrets masked. */
  from: string;
  /** Label of the configured endpoint serving instead. */
  to: string;
  since: number;
  reason: string;
}

export const publishRedirects = (plans: readonly RedirectPlan[]): PublishedRedirect[] =>
  plans.map((p) => ({ chainId: p.chainId, from: maskUrlSecrets(p.url), to: p.targetLabel, since: p.since, reason: p.reason }));

/**
 * Timeline events for the step from `before` to `after`: start, target update, end. `endReason`
 * says why a redirect ended (the endpoint recovered, or no healthy endpoint is left).
 */
export function redirectEvents(
  before: readonly RedirectPlan[],
  after: readonly RedirectPlan[],
  now: number,
  endReason: (plan: RedirectPlan) => string,
  updateReason: (previous: RedirectPlan, next: RedirectPlan) => string,
): TimelineEvent[] {
  const old = new Map(before.map((p) => [p.url, p]));
  const events: TimelineEvent[] = [];
  for (const p of after) {
    const prev = old.get(p.url);
    old.delete(p.url);
    const from = maskUrlSecrets(p.url);
    if (!prev) events.push({ at: now, kind: 'redirect-start', chainId: p.chainId, from, to: p.targetLabel, reason: p.reason });
    else if (prev.targetId !== p.targetId || prev.targetUrl !== p.targetUrl) {
      events.push({ at: now, kind: 'redirect-update', chainId: p.chainId, from, to: p.targetLabel, reason: updateReason(prev, p) });
    }
  }
  for (const p of old.values()) {
    events.push({ at: now, kind: 'redirect-end', chainId: p.chainId, from: maskUrlSecrets(p.url), to: p.targetLabel, reason: endReason(p) });
  }
  return events;
}
