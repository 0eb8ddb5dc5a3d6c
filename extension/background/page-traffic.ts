/**
 * Fails over web pages' own RPC traffic. webRequest (non-blocking) shows each page's
 * JSON-RPC requests and how they ended; a page endpoint whose breaker opens is redirected by a
 * declarativeNetRequest rule to the chain's best healthy configured endpoint, until a probe from
 * this worker finds the original alive again.
 *
 * Thin shell: decisions live in src/page-traffic (sniffing, tracker with hang timers, planning,
 * rules, diffing). Page endpoints are tracked beside the engine, never inside it, so a URL a page
 * used never becomes a fallback for other sites; outcomes for URLs that are also configured
 * endpoints are fed to the engine too. Raw page URLs (which may hold a site's API key) stay in
 * chrome.storage.session and in the rules; everything shown or logged is masked.
 */
import {
  CHAIN_ID_REQUEST, buildRule, chainFromUrl, checkAnswer, checkUnanswered, createPageTracker, hasEvmMethod, mayContact, parseChainIdAnswer, planRedirects,
  publishRedirects, redirectEvents, sniffJsonRpc, trackableUrl,
  type ChainLookupResult, type CheckResult, type PublishedRedirect, type RedirectPlan, type RedirectRule, type TargetCandidate, type TrackerChange,
} from '../../src/page-traffic';
import { HttpTimeoutError, JSON_HEADERS, httpRequest } from '../../src/net/http';
import { PAGE_TRAFFIC, resolvePolicy } from '../../src/policy/index';
import { normalizeRpcUrl } from '../../src/registry/url';
import { systemClock } from '../../src/clock';
import type { ObservedOutcome } from '../../src/index';
import { getEngine, persistEngineSoon } from './engine-host';
import { noteChainInUse } from './chains-in-use';
import { recordEvents } from './timeline';
import { reconcileRules } from './dnr';
import { local, session, type PageTrafficState, type SessionState } from './lib/storage';
import { debounce } from './lib/debounce';
import { serialQueue } from './lib/serial-queue';
import { onProbeAlarm } from './lib/alarms';
import { ext, ownInitiatorDomain, rawRequestBody, requestSite, type Browser } from '../platform/browser';

let disabledSites: string[] = [];
let redirects: RedirectPlan[] = [];
let lastAppliedRules = '';
let lastPublished = '';
/** Normalised URL → configured endpoints (ids, chain) of the current engine. */
let configured = new Map<string, { ids: string[]; chainIds: Set<number> }>();

const tracker = createPageTracker({
  clock: systemClock,
  // The engine's default policy: its breaker numbers say when a page endpoint is down.
  policy: resolvePolicy(),
  limits: PAGE_TRAFFIC,
  onChange: (change) => handleChange(change),
  onProbeDue: (urls) => {
    for (const url of urls) void probeRecovery(url);
  },
  onCheckDue: (url, timeoutMs, urgent) => void runCheck(url, timeoutMs, urgent),
});

// ---------------------------------------------------------------------------------------------
// Start-up: events may arrive before persisted state is loaded; they wait in a short backlog.

let ready = false;
const backlog: Array<() => void> = [];

function whenReady(fn: () => void): void {
  if (ready) {
    try {
      fn();
    } catch {
      // A malformed event must never break the listener.
    }
    return;
  }
  if (backlog.length < PAGE_TRAFFIC.startupBacklog) backlog.push(fn);
}

async function start(): Promise<void> {
  try {
    const [sites, state] = await Promise.all([local.get('disabledSites'), session.get('pageTraffic')]);
    disabledSites = sites;
    if (state) {
      tracker.restore(state.tracker);
      redirects = state.redirects;
    }
    await refreshConfigured();
  } catch {
    // Storage unavailable: start empty; reconciliation below still clears leftover rules.
  }
  ready = true;
  for (const fn of backlog.splice(0)) whenReady(fn);
  // Through the same queue as every later update, so two never interleave (no doubled events).
  await updates.run(() => update(true)).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// The engine's configured endpoints (to tell a page URL's chain and feed the engine's health)

async function refreshConfigured(): Promise<void> {
  const engine = await getEngine();
  const map = new Map<string, { ids: string[]; chainIds: Set<number> }>();
  for (const e of engine.endpoints()) {
    const key = normalizeRpcUrl(e.url);
    const entry = map.get(key) ?? { ids: [], chainIds: new Set<number>() };
    entry.ids.push(e.id);
    entry.chainIds.add(e.chainId);
    map.set(key, entry);
  }
  configured = map;
}

function configuredChain(url: string): number | undefined {
  const entry = configured.get(normalizeRpcUrl(url));
  return entry && entry.chainIds.size === 1 ? [...entry.chainIds][0] : undefined;
}

async function feedEngine(url: string, outcome: ObservedOutcome): Promise<void> {
  const entry = configured.get(normalizeRpcUrl(url));
  if (!entry) return;
  const engine = await getEngine();
  let recorded = false;
  for (const id of entry.ids) recorded = engine.recordOutcome(id, outcome) || recorded;
  if (recorded) persistEngineSoon();
}

// ---------------------------------------------------------------------------------------------
// Observation

const isExtensionInitiator = (initiator: string | undefined) => initiator !== undefined && /^[a-z-]+-extension:/.test(initiator);

function siteSwitchedOff(initiator: string | undefined): boolean {
  return initiator !== undefined && disabledSites.includes(initiator);
}

function onBeforeRequest(details: Browser.WebRequest.OnBeforeRequestDetailsType): void {
  const initiator = requestSite(details);
  if (details.tabId < 0 || details.method !== 'POST' || isExtensionInitiator(initiator)) return;
  whenReady(() => {
    if (siteSwitchedOff(initiator)) return;
    const url = details.url;
    if (!trackableUrl(url, PAGE_TRAFFIC.maxUrlLength)) return;
    const fromUrl = chainFromUrl(url);
    if (fromUrl.skip) return;
    const configuredChainId = configuredChain(url);
    const knownRpc = tracker.isTracked(url) || fromUrl.chainId !== undefined || configuredChainId !== undefined;
    const sniff = sniffJsonRpc(rawRequestBody(details), PAGE_TRAFFIC.maxSniffBytes);
    const isRpc = sniff.kind === 'jsonrpc' ? knownRpc || hasEvmMethod(sniff.methods) : sniff.kind === 'unreadable' && knownRpc;
    if (!isRpc) return;
    const chainId = fromUrl.chainId ?? configuredChainId;
    const meta = {
      contactAllowed: mayContact(url, initiator, PAGE_TRAFFIC.maxUrlLength),
      ...(chainId === undefined ? {} : { chainId, chainSource: fromUrl.chainId !== undefined ? ('url' as const) : ('config' as const) }),
    };
    const isNew = !tracker.isTracked(url);
    const state = tracker.begin(details.requestId, url, meta);
    if (state?.chainId !== undefined) noteChainInUse(state.chainId);
    if (tracker.needsChainLookup(url)) void lookUpChain(url);
    if (isNew) persistSoon();
  });
}

function onBeforeRedirect(details: Browser.WebRequest.OnBeforeRedirectDetailsType): void {
  if (details.tabId < 0) return;
  whenReady(() => tracker.redirected(details.requestId));
}

function latencyOf(requestId: string, timeStamp: number): number {
  const started = tracker.startedAt(requestId);
  return started === undefined ? 0 : Math.max(0, timeStamp - started);
}

function onCompleted(details: Browser.WebRequest.OnCompletedDetailsType): void {
  if (details.tabId < 0) return;
  whenReady(() => {
    const retryAfter = details.responseHeaders?.find((h) => h.name.toLowerCase() === 'retry-after')?.value ?? null;
    tracker.finish(details.requestId, details.url, { kind: 'completed', statusCode: details.statusCode, retryAfter, latencyMs: latencyOf(details.requestId, details.timeStamp) });
  });
}

function onErrorOccurred(details: Browser.WebRequest.OnErrorOccurredDetailsType): void {
  if (details.tabId < 0) return;
  whenReady(() => tracker.finish(details.requestId, details.url, { kind: 'error', error: String(details.error), latencyMs: latencyOf(details.requestId, details.timeStamp) }));
}

function handleChange(change: TrackerChange): void {
  if (change.source === 'request') void feedEngine(change.url, change.outcome).catch(() => undefined);
  // Failures and transitions must survive a worker stop; a healthy endpoint's successes ride along
  // with the next write.
  if (change.outcome.kind !== 'success' || change.transition) persistSoon();
  if (change.transition) scheduleUpdate();
}

// ---------------------------------------------------------------------------------------------
// The worker's own requests to page endpoints: chain look-ups, checks and recovery probes. Excluded from
// Lifeline's rules (excludedInitiatorDomains: [runtime id]) and never following redirects, so a
// dead endpoint can't look alive through a fallback.

let contactsInFlight = 0;
const contactQueue: Array<() => void> = [];

/** `urgent` (a check a page's request waits on) goes to the front of the queue. */
async function withContactSlot<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
  if (contactsInFlight >= PAGE_TRAFFIC.maxConcurrentContacts) {
    await new Promise<void>((resolve) => (urgent ? contactQueue.unshift(resolve) : contactQueue.push(resolve)));
  }
  contactsInFlight++;
  try {
    return await fn();
  } finally {
    contactsInFlight--;
    contactQueue.shift()?.();
  }
}

/** Asks a page endpoint for its chain id. */
function askChainId(url: string): Promise<ChainLookupResult & { detail?: string }> {
  return withContactSlot(async () => {
    try {
      const answer = await httpRequest({
        url, method: 'POST', headers: JSON_HEADERS, body: CHAIN_ID_REQUEST, redirect: 'error',
        timeoutMs: PAGE_TRAFFIC.contactTimeoutMs, maxBytes: PAGE_TRAFFIC.maxContactResponseBytes,
      });
      const result = parseChainIdAnswer(answer.status, answer.text);
      return result.kind === 'failed' ? { ...result, detail: `HTTP ${answer.status}` } : result;
    } catch (error) {
      // An over-long answer counts as a failed connection, like any answer that is not one.
      return { kind: 'failed', detail: error instanceof HttpTimeoutError ? 'no answer' : 'connection failed' };
    }
  });
}

async function lookUpChain(url: string): Promise<void> {
  tracker.startChainLookup(url);
  const result = await askChainId(url);
  tracker.finishChainLookup(url, result);
  persistSoon();
  if (result.kind === 'chain') {
    noteChainInUse(result.chainId);
    if (tracker.down().some((d) => d.url === url)) scheduleUpdate();
  }
}

/** Is this up endpoint answering? eth_chainId within its hang threshold (tracker.onCheckDue). */
async function runCheck(url: string, timeoutMs: number, urgent: boolean): Promise<void> {
  const result = await withContactSlot(async (): Promise<CheckResult> => {
    try {
      const answer = await httpRequest({
        url, method: 'POST', headers: JSON_HEADERS, body: CHAIN_ID_REQUEST, redirect: 'error',
        timeoutMs, maxBytes: PAGE_TRAFFIC.maxContactResponseBytes,
      });
      return checkAnswer(answer.status, answer.text, answer.headers.get('retry-after'), Date.now());
    } catch (error) {
      // An over-long answer counts as a failed connection, like any answer that is not one.
      return checkUnanswered(error instanceof HttpTimeoutError, timeoutMs);
    }
  }, urgent);
  const change = tracker.recordCheck(url, result);
  if (result.kind === 'alive' && result.chainId !== undefined && tracker.endpoint(url)?.chainId === undefined) {
    tracker.finishChainLookup(url, { kind: 'chain', chainId: result.chainId });
    noteChainInUse(result.chainId);
    persistSoon();
  }
  if (change) persistSoon();
}

async function probeRecovery(url: string): Promise<void> {
  const expected = tracker.endpoint(url)?.chainId;
  const result = await askChainId(url);
  if (result.kind === 'chain' && expected === undefined) tracker.finishChainLookup(url, result);
  const ok = result.kind === 'chain' && (expected === undefined || result.chainId === expected);
  const detail = result.kind === 'chain' && !ok ? `answers chain ${result.chainId}` : result.detail;
  tracker.recordProbe(url, ok, detail);
  persistSoon();
  if (result.kind === 'chain' && expected === undefined) scheduleUpdate();
}

// ---------------------------------------------------------------------------------------------
// Desired redirects → rules, persisted state, timeline

const lastChainProbe = new Map<number, number>();

function askEngineToProbe(chainId: number): void {
  const now = Date.now();
  if (now - (lastChainProbe.get(chainId) ?? 0) < PAGE_TRAFFIC.targetProbeMinGapMs) return;
  lastChainProbe.set(chainId, now);
  void getEngine()
    .then((engine) => engine.probeChain(chainId))
    .then(() => {
      persistEngineSoon();
      scheduleUpdate();
    })
    .catch(() => undefined);
}

/** Updates run one at a time (two never interleave: no doubled events); at most one waits. */
const updates = serialQueue();
let updateQueued = false;

function scheduleUpdate(): void {
  if (updateQueued) return;
  updateQueued = true;
  void updates.run(() => {
    updateQueued = false;
    return update(false);
  }).catch(() => undefined);
}

async function update(force: boolean): Promise<void> {
  const engine = await getEngine();
  const view = engine.healthView();
  // Whole views: the redirect target is ranked on everything the router ranks on.
  const candidates: readonly TargetCandidate[] = view.endpoints;
  const now = Date.now();
  const down = tracker.down();
  const before = redirects;
  const plans = planRedirects({ now, down, candidates, current: before, ruleIdBase: PAGE_TRAFFIC.ruleIdBase, maxRules: PAGE_TRAFFIC.maxRules });
  for (const d of down) {
    if (d.chainId !== undefined && !plans.some((p) => p.url === d.url)) askEngineToProbe(d.chainId);
  }
  const rules: RedirectRule[] = plans.map((p) => buildRule(p, { extensionId: ownInitiatorDomain(), disabledSites }));
  redirects = plans;
  const published = publishRedirects(plans);
  // Desired state first: a worker stopped between the two steps reconciles from it on start.
  await persistNow(published);
  const rulesKey = JSON.stringify(rules);
  if (force || rulesKey !== lastAppliedRules) {
    const result = await reconcileRules(rules);
    lastAppliedRules = result.ok ? rulesKey : '';
  }
  const byId = new Map(view.endpoints.map((e) => [e.id, e]));
  const events = redirectEvents(
    before,
    plans,
    now,
    (plan) => (down.some((d) => d.url === plan.url) ? 'no healthy endpoint left on this chain' : 'recovered'),
    (previous) => {
      const old = byId.get(previous.targetId);
      return old && old.state !== 'healthy' ? `${previous.targetLabel} ${old.state} (${old.reason})` : `${previous.targetLabel} no longer the best`;
    },
  );
  if (events.length > 0) await recordEvents(...events);
}

// ---------------------------------------------------------------------------------------------
// Persistence (session storage: raw URLs never reach disk or other contexts)

function snapshotState(): PageTrafficState {
  return { version: 1, tracker: tracker.snapshot(), redirects };
}

/** A failed write (storage full, shutting down) costs freshness after a restart, not correctness now. */
async function persistNow(published?: PublishedRedirect[]): Promise<void> {
  const items: Partial<SessionState> = { pageTraffic: snapshotState() };
  if (published) {
    const key = JSON.stringify(published);
    if (key !== lastPublished) {
      items.activeRedirects = published;
      lastPublished = key;
    }
  }
  await session.setMany(items);
}

const persistSoon = debounce(() => persistNow(), PAGE_TRAFFIC.persistDebounceMs);

// ---------------------------------------------------------------------------------------------

const recomputeSoon = debounce(() => {
  if (redirects.length > 0 || tracker.down().length > 0) scheduleUpdate();
}, PAGE_TRAFFIC.recomputeDebounceMs);

export function registerPageTraffic(): void {
  const filter: Browser.WebRequest.RequestFilter = { urls: ['http://*/*', 'https://*/*'], types: ['xmlhttprequest', 'other'] };
  ext.webRequest.onBeforeRequest.addListener((details) => {
    onBeforeRequest(details);
    return undefined; // observe only: never blocks or changes a request
  }, filter, ['requestBody']);
  ext.webRequest.onBeforeRedirect.addListener(onBeforeRedirect, filter);
  ext.webRequest.onCompleted.addListener(onCompleted, filter, ['responseHeaders']);
  ext.webRequest.onErrorOccurred.addListener(onErrorOccurred, filter);

  local.onChange(['disabledSites', 'userConfig'], (changed) => {
    if (changed.disabledSites) {
      disabledSites = changed.disabledSites;
      scheduleUpdate();
    }
    if ('userConfig' in changed) {
      // engine-host rebuilds the engine in its own listener; read the new one after it.
      setTimeout(() => void refreshConfigured().then(scheduleUpdate, () => undefined), 0);
    }
  });
  session.onChange(['engineSnapshot'], recomputeSoon);
  // Backstop for the in-memory probe timers (lost when the worker stops): the probe alarm wakes
  // the worker every 30 s; due recovery probes run then.
  onProbeAlarm(() => {
    whenReady(() => {
      for (const url of tracker.takeDueProbes()) void probeRecovery(url);
      recomputeSoon();
    });
  });
  void start();
}
