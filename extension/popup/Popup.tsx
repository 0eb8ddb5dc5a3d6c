import { useEffect, useState } from 'preact/hooks';
import { sendMessage, type WorkerStatus } from '../messages';
import type { PopupStatus, SiteState } from '../protocol/popup';
import type { ChainStatus, EndpointRow, WalletRow } from '../../src/status/view';
import { describeEvent } from '../../src/status/describe';
import type { ServiceStatus } from '../../src/status/services';
import { Sparkline } from './Sparkline';
import { Verification } from './Verification';
import { CACHED_STATUS_KEY, cachedStatus, keepPageView, newerView, readPageView } from './cached-status';
import { endpointLevel } from '../ui/levels';
import { downloadText } from '../ui/download';
import { ext } from '../platform/browser';
import { HostPermission } from './HostPermission';

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The tab the popup acts on: `?tab=<id>` when the popup is opened as a page (tests, the
 *  notification click), else the active tab of the current window. */
async function targetTabId(): Promise<number | null> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param !== null && /^\d+$/.test(param)) return Number(param);
  try {
    const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
    if (!tab?.id || tab.url?.startsWith(ext.runtime.getURL(''))) return null;
    return tab.id;
  } catch {
    return null;
  }
}

export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} d ago`;
}

// One formatter for every time shown: toLocaleTimeString with options builds a new one per call,
// which cost ~30 ms of the popup's first render for the 50 timeline rows (bench/popup.ts).
const TIME_FORMAT = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const time = (at: number) => TIME_FORMAT.format(at);

/** Asked for at module load, before Preact's first render and paint: the worker's answer is
 *  the popup's critical path, and effects only run after the first paint. */
export interface PopupRequests {
  worker: Promise<WorkerStatus>;
  status: Promise<PopupStatus>;
  /** The worker's last stored view, readable while the worker sleeps. */
  cached: Promise<PopupStatus | null>;
  /** The popup's own last view, read synchronously: on the first frame. */
  pageView: PopupStatus | null;
  tabId: Promise<number | null>;
}

export function startRequests(): PopupRequests {
  performance.mark('lifeline-requests-sent');
  // Messages first: waking a stopped worker is the longest wait, so it starts before anything.
  const worker = sendMessage('ping');
  const status = sendMessage('popupStatus');
  const cached = ext.storage.session.get(CACHED_STATUS_KEY).then(
    (stored) => {
      performance.mark('lifeline-cached-read');
      return cachedStatus(stored[CACHED_STATUS_KEY], Date.now());
    },
    () => null,
  );
  return { worker, status, cached, pageView: readPageView(localStorage, Date.now()), tabId: targetTabId() };
}

/** Keeps the view for the next open once this one is on screen: serialising ~100 KB is not
 *  worth delaying the frame the user is waiting for. */
function keepViewAfterPaint(status: PopupStatus): void {
  requestAnimationFrame(() => setTimeout(() => {
    keepPageView(localStorage, status);
    performance.mark('lifeline-page-view-kept');
  }, 0));
}

export function Popup({ requests }: { requests: PopupRequests }) {
  const [worker, setWorker] = useState<WorkerStatus | null>(null);
  const [status, setStatus] = useState<PopupStatus | null>(requests.pageView);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tabId, setTabId] = useState<number | null>(null);
  const [site, setSite] = useState<SiteState | null>(null);

  const [fresh, setFresh] = useState(false);

  useEffect(() => {
    let answered = false;
    // Marks for bench/popup.ts: the first status on screen (stored or fresh), and the fresh one.
    const rendered = (mark: string) => requestAnimationFrame(() => {
      if (performance.getEntriesByName('lifeline-status-rendered').length === 0) performance.mark('lifeline-status-rendered');
      performance.mark(mark);
    });
    requests.worker.then(setWorker, (e: unknown) => setError(errorText(e)));
    void requests.cached.then((stored) => {
      // Before the fresh answer only the page's own view can be on screen: keep it if newer.
      if (stored === null || answered || newerView(requests.pageView, stored) !== stored) return;
      setStatus(stored);
      rendered('lifeline-cached-rendered');
    });
    requests.status.then(
      (s) => {
        answered = true;
        performance.mark('lifeline-status-received');
        setStatus(s);
        setFresh(true);
        rendered('lifeline-fresh-rendered');
        keepViewAfterPaint(s);
      },
      (e: unknown) => setError(errorText(e)),
    );
    void requests.tabId.then((id) => {
      setTabId(id);
      if (id !== null) sendMessage('siteState', { tabId: id }).then(setSite, () => setSite(null));
    });
  }, [requests]);

  const probe = async () => {
    setBusy(true);
    try {
      const probed = await sendMessage('probeNow');
      setStatus(probed);
      keepViewAfterPaint(probed);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const toggleSite = async () => {
    if (tabId === null || !site?.site) return;
    setSite(await sendMessage('setSiteEnabled', { tabId, enabled: !site.enabled }));
  };

  return (
    <main aria-busy={!fresh && !error}>
      <header class="top">
        <h1>Lifeline</h1>
        <p class="muted small" data-testid="worker-status">
          {error ? `Background service unreachable: ${error}` : worker ? `Running v${worker.version}` : 'Connecting…'}
          {status && !fresh ? ` · showing the view of ${time(status.generatedAt)}, updating…` : ''}
        </p>
      </header>
      <p role="status" aria-live="polite" data-testid="status-line" class={`status-line level-${status?.level ?? 'unknown'}`}>
        {status ? status.line : 'Loading health…'}
      </p>
      <HostPermission />
      <div class="actions">
        <button type="button" onClick={probe} disabled={busy} aria-label="Probe now: check every endpoint of the chains in use and the services">
          {busy ? 'Probing…' : 'Probe now'}
        </button>
        {site?.site ? (
          <button type="button" onClick={toggleSite} data-testid="site-switch" aria-label={`${site.enabled ? 'Switch Lifeline off' : 'Switch Lifeline on'} for ${site.site}`}>
            {site.enabled ? 'Switch Lifeline off for this site' : 'Switch Lifeline on for this site'}
          </button>
        ) : null}
        <button type="button" onClick={() => ext.runtime.openOptionsPage()} aria-label="Open options">
          Open options
        </button>
      </div>
      {status ? (
        <>
          <Chains chains={status.chains} now={status.generatedAt} />
          <Wallets wallets={status.wallets} unguardable={status.unguardable} now={status.generatedAt} tabId={tabId} />
          <Services services={status.services} now={status.generatedAt} />
          <Timeline status={status} />
          <Verification />
        </>
      ) : null}
    </main>
  );
}

function Collapsible(props: { id: string; title: string; open: boolean; badge?: string; level?: string; children: preact.ComponentChildren }) {
  // Follows the status (a failover opens it) until the user toggles it; the first status shown
  // may be the stored view, so the initial value alone would go stale.
  const [chosen, setOpen] = useState<boolean | null>(null);
  const open = chosen ?? props.open;
  const panel = `panel-${props.id}`;
  return (
    <section class="collapsible" data-testid={`section-${props.id}`}>
      <h3>
        <button type="button" class="disclosure" aria-expanded={open} aria-controls={panel} onClick={() => setOpen(!open)}>
          <span aria-hidden="true" class="chevron">{open ? '▾' : '▸'}</span>
          {props.level ? <span class={`dot level-${props.level}`} aria-hidden="true" /> : null}
          <span class="title">{props.title}</span>
          {props.badge ? <span class="muted small"> — {props.badge}</span> : null}
        </button>
      </h3>
      <div id={panel} hidden={!open}>
        {props.children}
      </div>
    </section>
  );
}

const LEVEL_WORDS: Record<string, string> = { healthy: 'healthy', failover: 'failover active', outage: 'no healthy endpoint', unknown: 'not checked yet' };

function Chains({ chains, now }: { chains: ChainStatus[]; now: number }) {
  const used = chains.filter((c) => c.inUse);
  const idle = chains.filter((c) => !c.inUse);
  return (
    <section aria-labelledby="chains-heading">
      {/* Rendered only with a status: its paint time (Element Timing) is when the first status
          reached the screen, which bench/popup.ts reports. */}
      <h2 id="chains-heading" elementtiming="lifeline-status">Chains</h2>
      {used.length === 0 ? <p class="muted small">No chain in use in the last hour.</p> : null}
      {used.map((c) => <ChainSection key={c.chainId} chain={c} now={now} open />)}
      {idle.length > 0 ? (
        <Collapsible id="idle-chains" title={`Not in use (${idle.length})`} open={false}>
          {idle.map((c) => <ChainSection key={c.chainId} chain={c} now={now} open={false} />)}
        </Collapsible>
      ) : null}
    </section>
  );
}

function ChainSection({ chain, now, open }: { chain: ChainStatus; now: number; open: boolean }) {
  const healthy = chain.endpoints.filter((e) => e.state === 'healthy').length;
  const summary = `${LEVEL_WORDS[chain.level] ?? chain.level}, ${healthy}/${chain.endpoints.length} healthy`;
  return (
    <Collapsible id={`chain-${chain.chainId}`} title={chain.name} open={open} badge={summary} level={chain.level}>
      {chain.episode ? (
        <p class="small" data-testid={`episode-${chain.chainId}`}>
          Failover since {time(chain.episode.since)} ({ago(chain.episode.since, now)}): {chain.episode.why}
        </p>
      ) : chain.recovered ? (
        <p class="small muted" data-testid={`recovered-${chain.chainId}`}>
          Recovered {ago(chain.recovered.endedAt, now)} after a failover that began at {time(chain.recovered.since)}.
        </p>
      ) : null}
      <ul class="endpoints" aria-label={`${chain.name} endpoints`}>
        {chain.endpoints.map((e) => <EndpointItem key={e.id} e={e} />)}
      </ul>
      {chain.walletRpcUrl ? (
        <div class="wallet-rpc small">
          <p class="muted">A healthy RPC to give your wallet by hand when its own provider is down:</p>
          <CopyUrl url={chain.walletRpcUrl} chainName={chain.name} testId={`wallet-rpc-${chain.chainId}`} />
        </div>
      ) : null}
    </Collapsible>
  );
}

function EndpointItem({ e }: { e: EndpointRow }) {
  const facts = [
    e.p50Ms !== undefined ? `p50 ${e.p50Ms} ms` : null,
    e.lagBlocks !== undefined ? (e.lagBlocks === 0 ? 'in sync' : `${e.lagBlocks} blocks behind`) : null,
    e.infrastructure !== 'unknown' ? e.infrastructure : 'infrastructure unknown',
    `privacy: ${e.privacy === 'none' ? 'no tracking' : e.privacy === 'yes' ? 'tracks users' : e.privacy}`,
  ].filter(Boolean);
  return (
    <li class={`endpoint state-${e.state}`} data-testid={`endpoint-${e.id}`} data-state={e.state}>
      <div class="row">
        <span class={`dot level-${endpointLevel(e.state)}`} aria-hidden="true" />
        <strong>{e.label}</strong>
        {e.inUse ? <span class="pill" data-testid="in-use">in use</span> : null}
        <span class="muted small state">{e.state}</span>
        <Sparkline line={e.sparkline} />
      </div>
      {/* A healthy endpoint's reason is its p50, already among the facts. */}
      {e.state !== 'healthy' ? <div class="small muted">{e.reason}</div> : null}
      <div class="small muted">{facts.join(' · ')}</div>
    </li>
  );
}

function Wallets({ wallets, unguardable, now, tabId }: { wallets: WalletRow[]; unguardable: PopupStatus['unguardable']; now: number; tabId: number | null }) {
  return (
    <section aria-labelledby="wallets-heading">
      <h2 id="wallets-heading">Wallets</h2>
      {wallets.length === 0 ? <p class="muted small">No wallet reads seen yet.</p> : null}
      <ul class="plain">
        {wallets.map((w) => (
          <li key={`${w.name}|${w.chainId}`} data-testid={`wallet-${w.chainId}`} class="wallet">
            <div class="row">
              <span class={`dot level-${w.failingSince ? 'failover' : 'healthy'}`} aria-hidden="true" />
              <strong>{w.name}</strong> <span class="muted small">on {w.chainName}</span>
            </div>
            <div class="small">
              {w.failingSince
                ? `Own RPC failing since ${time(w.failingSince)} (${ago(w.failingSince, now)})${w.lastFailure ? `: ${w.lastFailure}` : ''}${w.servedVia ? `; Lifeline serving reads via ${w.servedVia}` : ''}`
                : w.unconfirmedSites
                  ? `${w.unconfirmedSites === 1 ? 'One site reports' : `${w.unconfirmedSites} sites report`} failed reads; not confirmed by Lifeline (no read of it needed serving)`
                  : `Own RPC answering${w.latencyP50Ms !== null ? ` (p50 ${w.latencyP50Ms} ms)` : ''}`}
            </div>
            <div class="small muted">
              {w.answered} answered by the wallet · {w.servedByLifeline} served by Lifeline · {w.failed} failed
            </div>
            {w.repair ? <Repair wallet={w} tabId={tabId} /> : null}
          </li>
        ))}
      </ul>
      {unguardable.map((u) => (
        <p key={`${u.wallet}|${u.site}`} class="small muted">
          {u.wallet} on {u.site} could not be guarded: {u.reason}
        </p>
      ))}
    </section>
  );
}

/** A healthy RPC URL with a Copy button, for giving it to a wallet by hand. */
function CopyUrl({ url, chainName, testId }: { url: string; chainName: string; testId: string }) {
  const [result, setResult] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setResult('Copied.');
    } catch {
      setResult('Copy failed: select the URL and copy it by hand.');
    }
  };
  return (
    <>
      <div class="row">
        <code class="url" data-testid={testId}>{url}</code>
        <button type="button" onClick={copy} aria-label={`Copy the healthy RPC URL for ${chainName}`}>Copy</button>
      </div>
      {result ? <p class="small" role="status">{result}</p> : null}
    </>
  );
}

function Repair({ wallet, tabId }: { wallet: WalletRow; tabId: number | null }) {
  const repair = wallet.repair!;
  const [result, setResult] = useState<string | null>(null);
  if (repair.kind === 'rabby') {
    return (
      <div class="repair" data-testid="repair">
        <p class="small"><strong>Fix it in Rabby:</strong> give Rabby a healthy RPC for {wallet.chainName}.</p>
        <ol class="small">{repair.steps.map((s) => <li key={s}>{s}</li>)}</ol>
        <CopyUrl url={repair.url} chainName={wallet.chainName} testId="repair-url" />
      </div>
    );
  }
  const add = async () => {
    if (tabId === null) return setResult('Open the site where you use the wallet, then try again.');
    setResult('Confirm in your wallet…');
    const answer = await sendMessage('repairWallet', { tabId, chainId: repair.chainId, wallet: wallet.name }).catch((e: unknown) => ({ ok: false, message: errorText(e) }));
    setResult(answer.message);
  };
  return (
    <div class="repair" data-testid="repair">
      <p class="small">{wallet.name}'s own RPC keeps failing. Add a healthy one ({repair.url}) so it works without Lifeline too.</p>
      <button type="button" onClick={add} aria-label={`Add a healthy RPC for ${wallet.chainName} to ${wallet.name}`}>Add a healthy RPC to your wallet</button>
      {result ? <p class="small" role="status" data-testid="repair-result">{result}</p> : null}
    </div>
  );
}

const SERVICE_LEVEL: Record<ServiceStatus['state'], string> = { up: 'healthy', degraded: 'failover', maintenance: 'failover', 'rate-limited': 'unknown', down: 'outage', unknown: 'unknown' };

function Services({ services, now }: { services: ServiceStatus[]; now: number }) {
  const bad = services.filter((s) => s.state === 'down' || s.state === 'maintenance' || s.state === 'degraded').length;
  return (
    <Collapsible id="services" title="Services" open={bad > 0} badge={bad > 0 ? `${bad} with problems` : 'wallet and exchange APIs'}>
      <ul class="plain">
        {services.map((s) => (
          <li key={s.id} data-testid={`service-${s.id}`} data-state={s.state}>
            <div class="row">
              <span class={`dot level-${SERVICE_LEVEL[s.state]}`} aria-hidden="true" />
              <strong>{s.name}</strong> <span class="muted small">{s.state}</span>
            </div>
            <div class="small">{s.detail}{s.checkedAt ? ` · checked ${ago(s.checkedAt, now)}` : ''}</div>
            <div class="small muted">Used by {s.usedBy}</div>
            {s.id === 'rabby' && (s.state === 'down' || s.state === 'degraded') ? (
              <p class="small" data-testid="rabby-hint">
                Without a custom RPC, Rabby reads balances and the chain state it needs to send transactions through this API. Until it is back, set a custom
                RPC in Rabby (More → Settings → Custom RPC) for each chain you use: copy a healthy one under Chains above.
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </Collapsible>
  );
}

function Timeline({ status }: { status: PopupStatus }) {
  const [exported, setExported] = useState<string | null>(null);
  /** The whole week as JSON, each event with its time and the words the popup shows: something
   *  a user can attach to a support request or an outage report. */
  const exportTimeline = async () => {
    try {
      const events = await sendMessage('timelineEvents');
      const file = { exportedAt: new Date().toISOString(), events: events.map((e) => ({ time: new Date(e.at).toISOString(), text: describeEvent(e), ...e })) };
      downloadText(`${JSON.stringify(file, null, 2)}\n`, `lifeline-timeline-${new Date().toISOString().slice(0, 10)}.json`);
      setExported(`Exported ${events.length} event${events.length === 1 ? '' : 's'}.`);
    } catch (e) {
      setExported(`Export failed: ${errorText(e)}`);
    }
  };
  return (
    <Collapsible id="timeline" title="Timeline" open={status.level !== 'healthy' || status.chains.some((c) => c.recovered)} badge={`${status.timeline.length} events`}>
      {status.timeline.length === 0 ? <p class="muted small">Nothing has happened yet.</p> : null}
      <div class="row">
        <button type="button" onClick={exportTimeline} aria-label="Export timeline: the last 7 days of events as a JSON file">Export timeline</button>
        {exported ? <span class="small muted" role="status">{exported}</span> : null}
      </div>
      <ol class="plain timeline" aria-label="Events, newest first">
        {status.timeline.map((e, i) => (
          <li key={`${e.at}-${i}`} class="small" data-kind={e.kind}>
            <time dateTime={new Date(e.at).toISOString()}>{time(e.at)}</time> {describeEvent(e)}
          </li>
        ))}
      </ol>
    </Collapsible>
  );
}
