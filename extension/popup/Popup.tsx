/**
 * The popup: a composition of one component per part, so a new part is a one-line insert here.
 * Requests start at module load (requests.ts); the first frame can show the popup's own last
 * view, then the worker's stored view, then its fresh answer.
 */
import { useEffect, useState } from 'preact/hooks';
import { sendMessage, type WorkerStatus } from '../messages';
import type { PopupStatus, SiteState } from '../protocol/popup';
import { formatClock } from '../../src/status/format';
import { Headline } from './Headline';
import { Chains } from './Chains';
import { Wallets } from './Wallets';
import { Services } from './Services';
import { Timeline } from './Timeline';
import { Verification } from './Verification';
import { HostPermission } from './HostPermission';
import { errorText, firstPaint, keepViewAfterPaint, type PopupRequests } from './requests';
import { newerView } from './cached-status';
import { ext } from '../platform/browser';

export { startRequests, type PopupRequests } from './requests';

export function Popup({ requests }: { requests: PopupRequests }) {
  const [worker, setWorker] = useState<WorkerStatus | null>(null);
  const [status, setStatus] = useState<PopupStatus | null>(requests.pageView);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tabId, setTabId] = useState<number | null>(null);
  const [site, setSite] = useState<SiteState | null>(null);
  const [fresh, setFresh] = useState(false);
  // The first frame holds the headline and the chain headers; the rest follows a frame later,
  // so what most users read is on screen as early as the page can paint.
  const [details, setDetails] = useState(false);

  useEffect(() => {
    let answered = false;
    // Marks for bench/popup.ts: the first status on screen (stored or fresh), and the fresh one.
    const rendered = (mark: string) => requestAnimationFrame(() => {
      if (performance.getEntriesByName('lifeline-status-rendered').length === 0) performance.mark('lifeline-status-rendered');
      performance.mark(mark);
    });
    void firstPaint.then(() => setDetails(true));
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
        // Marked once the details are on screen too: the bench and the tests read them then.
        void firstPaint.then(() => rendered('lifeline-fresh-rendered'));
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
          {status && !fresh ? ` · showing the view of ${formatClock(status.generatedAt)}, updating…` : ''}
        </p>
      </header>
      <Headline status={status} />
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
          <Chains chains={status.chains} now={status.generatedAt} details={details} findings={status.findings} />
          {details ? (
            <>
              <Wallets wallets={status.wallets} unguardable={status.unguardable} now={status.generatedAt} tabId={tabId} findings={status.findings} />
              <Services services={status.services} now={status.generatedAt} />
              <Timeline status={status} />
              <Verification />
            </>
          ) : null}
        </>
      ) : null}
    </main>
  );
}
