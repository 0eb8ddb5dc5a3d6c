/**
 * Health you can see: keeps the badge, failover episodes, timeline events, notifications and
 * latency sparklines in step with the engine and wallet health, and answers the popup from cached
 * state (the popup never waits for a probe). Pure decisions live in src/status; this file only
 * gathers inputs, persists state and talks to chrome.* APIs.
 */
import type { PopupStatus, SiteState } from '../protocol/popup';
import { SHELL_POLICY, STATUS_POLICY, TIMELINE_LIMITS } from '../../src/policy/index';
import type { ActiveRedirect } from '../../src/status/assess';
import { isWalletFailingNow } from '../../src/status/assess';
import { restoreEpisodes, stepEpisodes, stepTransitions, type EpisodeState } from '../../src/status/episodes';
import { restoreLatency, sameLatency, sampleLatency, type LatencyHistory } from '../../src/status/latency';
import { assessAll, buildPopupStatus } from '../../src/status/view';
import { getEngine } from './engine-host';
import { chainsInUse } from './chains-in-use';
import { getWalletHealth } from './wallet-reports';
import { backendDown, getWalletEvidence } from './wallet-evidence';
import { readTimeline, recordEvents } from './timeline';
import { session } from './lib/storage';
import { debounce } from './lib/debounce';
import { serialQueue } from './lib/serial-queue';
import { onProbeAlarm } from './lib/alarms';
import { onOwnPageMessage } from './lib/own-pages';
import { showBadge } from './badge';
import { notify, registerNotifications } from './notifications';
import { checkServices, serviceStatuses } from './services';
import { isEnabledFor, setEnabledFor } from './sites';
import { siteOf } from './lib/site';
import { repairInTab } from './repair';
import { ext } from '../platform/browser';

/** The page-traffic redirects in force (extension/background/page-traffic.ts publishes them). */
async function activeRedirects(): Promise<ActiveRedirect[]> {
  const cut = (label: string) => label.slice(0, SHELL_POLICY.redirectLabelMaxChars);
  return (await session.get('activeRedirects')).map((r) => ({ chainId: r.chainId, from: cut(r.from), to: cut(r.to) }));
}

async function gather(now: number) {
  const [engine, inUse, wallets, redirects, evidence, down] = await Promise.all([getEngine(), chainsInUse(now), getWalletHealth(), activeRedirects(), getWalletEvidence(), backendDown()]);
  const { wallets: reported, unguardable } = wallets.view();
  // A wallet is shown failing only on what the worker can vouch for, never on one page's word.
  return { engine, view: engine.healthView(), inUse, walletView: { wallets: evidence.vouchedFor(reported, now, down), unguardable }, redirects };
}

const steps = serialQueue();

/** Latency history and episodes: this module is their only writer, so after one read from
 *  session storage (a restarted worker) memory is the truth and the popup need not read them. */
let stepState: { latency: LatencyHistory; episodes: EpisodeState } | null = null;
async function loadStepState(): Promise<{ latency: LatencyHistory; episodes: EpisodeState }> {
  if (!stepState) {
    const [latency, episodes] = await Promise.all([session.get('latencyHistory'), session.get('episodes')]);
    stepState ??= { latency: restoreLatency(latency), episodes: restoreEpisodes(episodes) };
  }
  return stepState;
}

/** The newest view a background step built; written at most every popupViewStoreIntervalMs,
 *  always the latest one. */
let latestView: PopupStatus | null = null;
const storeViewSoon = debounce(() => session.set('popupStatus', latestView), STATUS_POLICY.popupViewStoreIntervalMs);

type Gathered = Awaited<ReturnType<typeof gather>> & { now: number; latency: LatencyHistory; episodes: EpisodeState };

/** Everything the popup shows, from what a step gathered. The timeline is read after the step
 *  recorded its events, so they are in it. */
async function fullStatus(g: Gathered): Promise<PopupStatus> {
  const [services, timeline] = await Promise.all([serviceStatuses(), readTimeline(STATUS_POLICY.popupTimelineEvents)]);
  return buildPopupStatus({
    now: g.now, view: g.view, endpoints: g.engine.endpoints(), chainsInUse: g.inUse, wallets: g.walletView.wallets,
    unguardable: g.walletView.unguardable, redirects: g.redirects, latency: g.latency, episodes: g.episodes, services, timeline,
  });
}

/** One serialised step: sample latency, advance episodes, record events, notify, set the badge.
 *  Background steps (`storeView`) also keep the popup's view in session storage for a popup
 *  opened while the worker sleeps; a step answering an open popup skips that write, which would
 *  only delay the answer. */
export function refresh({ storeView }: { storeView: boolean }): Promise<PopupStatus> {
  return steps.run(async (): Promise<PopupStatus> => {
    const now = Date.now();
    const [gathered, previous] = await Promise.all([gather(now), loadStepState()]);
    const { view, inUse, walletView, redirects } = gathered;
    const latency = sampleLatency(previous.latency, view.endpoints, now);
    const assessments = assessAll({ now, view, chainsInUse: inUse, wallets: walletView.wallets, redirects });
    const step = stepEpisodes(previous.episodes, assessments, now);
    const transitions = stepTransitions(
      step.state,
      {
        endpoints: view.endpoints.filter((e) => e.enabled),
        wallets: walletView.wallets.map((w) => ({ name: w.wallet.name, chainId: w.chainId, failing: isWalletFailingNow(w, now), lastFailure: w.lastFailure })),
        chainsInUse: new Set(inUse),
      },
      now,
    );
    stepState = { latency, episodes: step.state };
    const events = [...transitions, ...step.events];
    // Written only when they changed: the latency history is the largest thing in session
    // storage, and a popup opened between samples must not pay for rewriting it.
    await Promise.all([
      sameLatency(previous.latency, latency) ? undefined : session.set('latencyHistory', latency),
      JSON.stringify(previous.episodes) === JSON.stringify(step.state) ? undefined : session.set('episodes', step.state),
      events.length > 0 ? recordEvents(...events) : undefined,
      notify(step.notices),
    ]);
    const status = await fullStatus({ ...gathered, now, latency, episodes: step.state });
    if (storeView) {
      latestView = status;
      storeViewSoon();
    }
    await showBadge(status.badge);
    return status;
  });
}

const refreshSoon = debounce(() => refresh({ storeView: true }), STATUS_POLICY.refreshDebounceMs);

/** From cached state: never waits for a probe. */
export async function popupStatus(): Promise<PopupStatus> {
  try {
    return await refresh({ storeView: false });
  } catch {
    // A failed step (storage refused a write) must not leave the popup empty.
    const now = Date.now();
    return fullStatus({ ...(await gather(now)), now, ...(await loadStepState()) });
  }
}

async function probeNow(): Promise<PopupStatus> {
  const engine = await getEngine();
  const inUse = await chainsInUse();
  const all = [...new Set(engine.endpoints().filter((e) => e.enabled).map((e) => e.chainId))];
  const chains = inUse.length > 0 ? inUse.filter((c) => all.includes(c)) : all;
  await Promise.all([Promise.all(chains.map((c) => engine.probeChain(c))), checkServices(true)]);
  // The user just asked: keep what the probe found even if the worker stops within the debounce.
  await session.set('engineSnapshot', engine.snapshot());
  return popupStatus();
}

async function siteState(tabId: number): Promise<SiteState> {
  const tab = await ext.tabs.get(tabId).catch(() => undefined);
  const site = siteOf(tab?.url);
  const web = site !== null && /^https?:/.test(site);
  return { site: web ? site : null, enabled: web ? await isEnabledFor(tab?.url) : true };
}

export function registerStatus(): void {
  registerNotifications();
  // Popup actions come only from Lifeline's own pages, never from a content script in a tab.
  onOwnPageMessage('popupStatus', () => popupStatus());
  onOwnPageMessage('probeNow', () => probeNow());
  onOwnPageMessage('siteState', ({ data }) => siteState(Number(data.tabId)));
  onOwnPageMessage('setSiteEnabled', async ({ data }) => {
    const state = await siteState(Number(data.tabId));
    if (state.site) await setEnabledFor(state.site, data.enabled === true);
    return siteState(Number(data.tabId));
  });
  onOwnPageMessage('timelineEvents', () => readTimeline(TIMELINE_LIMITS.maxEvents));
  onOwnPageMessage('repairWallet', async ({ data }) => {
    const status = await popupStatus();
    const row = status.wallets.find((w) => w.name === data.wallet && w.chainId === data.chainId);
    if (!row?.repair || row.repair.kind !== 'eip3085') return { ok: false, message: 'No repair is needed or possible for this wallet right now.' };
    return repairInTab(Number(data.tabId), row.repair.params, row.name);
  });

  // Recompute when health, wallet health, chains in use or redirects change (all written to
  // session storage, debounced by their owners), and on the probe alarm (episode end holds,
  // services). Module state is lost when the worker stops; everything read here is persisted.
  session.onChange(['engineSnapshot', 'walletHealth', 'chainsInUse', 'activeRedirects'], refreshSoon);
  onProbeAlarm(() => {
    refreshSoon();
    void checkServices().catch(() => undefined);
  });
  refreshSoon();
}
