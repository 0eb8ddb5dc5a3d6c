/**
 * The first-run page, opened once when Lifeline is installed: what it does, what it never
 * does, what the badge says, where the settings are, and the live state of the chains it
 * already sees (the same view and words as the popup).
 */
import { ext, type Browser } from '../platform/browser';
import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '../messages';
import type { PopupStatus } from '../protocol/popup';
import { BADGE_COLORS } from '../../src/status/worst-truth';
import { formatShare } from '../../src/status/format';
import { BADGE_MEANINGS, LEVEL_WORDS } from '../ui/levels';
import { Headline } from '../popup/Headline';
import { CACHED_STATUS_KEY, cachedStatus } from '../popup/cached-status';

export function Welcome() {
  const [status, setStatus] = useState<PopupStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () => sendMessage('popupStatus').then((s) => { setStatus(s); setError(null); }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    void load();
    // The worker stores a fresh view after each background step: show it as it comes, without
    // asking the worker for another.
    const onChanged = (changes: Record<string, Browser.Storage.StorageChange>, area: string) => {
      const stored = area === 'session' && CACHED_STATUS_KEY in changes ? cachedStatus(changes[CACHED_STATUS_KEY]!.newValue, Date.now()) : null;
      if (stored) setStatus(stored);
    };
    ext.storage.onChanged.addListener(onChanged);
    return () => ext.storage.onChanged.removeListener(onChanged);
  }, []);

  const seen = status?.chains.filter((c) => c.inUse || c.level !== 'unknown') ?? [];
  return (
    <main class="welcome">
      <h1>Welcome to Lifeline</h1>
      <p>
        Lifeline keeps your wallet and the dApps you use working when their RPC or API provider goes down. It checks the endpoints it knows, notices
        when your wallet's or a site's provider stops answering, and serves those reads from a healthy, independent endpoint until it is back.
      </p>

      <h2>What it never does</h2>
      <ul>
        <li>It never signs anything and never asks you to: account and signature requests always go to your wallet untouched.</li>
        <li>It never sees or stores your keys or recovery phrase.</li>
        <li>No telemetry: it contacts only the RPC endpoints and the public status APIs listed in its options, never a server of its own.</li>
        <li>It never changes your wallet's settings by itself: adding a healthy RPC to your wallet happens only when you click and your wallet confirms.</li>
      </ul>

      <h2>What the toolbar badge means</h2>
      <ul class="plain badges" aria-label="Badge colours">
        {BADGE_MEANINGS.map((b) => (
          <li key={b.level} data-level={b.level}>
            <span class="swatch" style={{ background: BADGE_COLORS[b.level] }} aria-hidden="true" />
            <span><strong>{b.name}</strong>: {b.meaning}</span>
          </li>
        ))}
      </ul>
      <p class="small muted">Hover over the icon for the reason in words; click it for the details. Pin it from the puzzle-piece menu to keep it in sight.</p>

      <h2>Settings</h2>
      <p>
        Your own endpoints, which endpoints to use first, notifications and engine tuning are in the options.{' '}
        <button type="button" onClick={() => void ext.runtime.openOptionsPage()}>Open options</button>
      </p>

      <h2 id="live-heading">What Lifeline sees now</h2>
      <section aria-labelledby="live-heading" data-testid="welcome-live">
        {error ? <p role="alert">The background service did not answer: {error}</p> : null}
        <Headline status={status} />
        {status && seen.length === 0 ? <p class="small muted">No chain checked yet: the first checks run within a minute.</p> : null}
        {seen.length > 0 ? (
          <ul class="plain" aria-label="Chains">
            {seen.map((c) => {
              const healthy = c.endpoints.filter((e) => e.state === 'healthy').length;
              return (
                <li key={c.chainId} class="row small" data-testid={`welcome-chain-${c.chainId}`} data-level={c.level}>
                  <span class={`dot level-${c.level}`} aria-hidden="true" />
                  <strong>{c.name}</strong>
                  <span class="muted">
                    {c.inUse ? 'in use, ' : ''}{LEVEL_WORDS[c.level]}, {formatShare(healthy, c.endpoints.length)} endpoints healthy
                  </span>
                </li>
              );
            })}
          </ul>
        ) : null}
      </section>
    </main>
  );
}
