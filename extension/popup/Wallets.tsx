import { ext } from '../platform/browser';
import { useState } from 'preact/hooks';
import { sendMessage } from '../messages';
import type { PopupStatus } from '../protocol/popup';
import type { WalletRow } from '../../src/status/view';
import { worstLevelAbout, type Finding, type OverallLevel } from '../../src/status/worst-truth';
import { formatAge, formatClock, formatInteger, formatMs } from '../../src/status/format';
import { CopyUrl } from './CopyUrl';
import { errorText } from './requests';

export function Wallets({ wallets, unguardable, now, tabId, findings }: { wallets: WalletRow[]; unguardable: PopupStatus['unguardable']; now: number; tabId: number | null; findings: Finding[] }) {
  return (
    <section aria-labelledby="wallets-heading">
      <h2 id="wallets-heading">Wallets</h2>
      {wallets.length === 0 ? <p class="muted small">No wallet reads seen yet.</p> : null}
      <ul class="plain">
        {wallets.map((w) => <WalletItem key={`${w.name}|${w.chainId}`} w={w} now={now} tabId={tabId} findings={findings} />)}
      </ul>
      {unguardable.map((u) => (
        <p key={`${u.wallet}|${u.site}`} class="small muted">
          {u.wallet} on {u.site} could not be guarded: {u.reason}
        </p>
      ))}
    </section>
  );
}

function WalletItem({ w, now, tabId, findings }: { w: WalletRow; now: number; tabId: number | null; findings: Finding[] }) {
  const uncovered = w.chainId !== null && w.fallbacks === 0;
  const own: OverallLevel = w.failingSince ? (uncovered ? 'outage' : 'failover') : uncovered || w.chainId === null ? 'unknown' : 'healthy';
  // A failing wallet is only as well off as its chain: with no usable endpoint there, nothing
  // serves its reads, and the headline says so in red.
  const subjects = [`wallet:${w.name}|${w.chainId ?? 'unknown'}`, ...(w.failingSince && w.chainId !== null ? [`chain:${w.chainId}`] : [])];
  const level = worstLevelAbout(findings, subjects, own);
  return (
    <li data-testid={`wallet-${w.chainId ?? 'unknown'}`} data-level={level} class="wallet">
      <div class="row">
        <span class={`dot level-${level}`} aria-hidden="true" />
        <strong>{w.name}</strong> <span class="muted small">on {w.chainName}</span>
      </div>
      {w.chainId === null ? (
        <div class="small muted" data-testid="chain-not-known">The wallet has not said which chain it is on yet; Lifeline can help once it does.</div>
      ) : uncovered ? (
        <div class="small" data-testid="no-fallback">
          {w.chainName} — no fallback configured; <OptionsLink>add one in Options</OptionsLink>
        </div>
      ) : null}
      <div class="small">
        {w.failingSince
          ? `Own RPC failing since ${formatClock(w.failingSince)} (${formatAge(w.failingSince, now)})${w.lastFailure ? `: ${w.lastFailure}` : ''}${w.servedVia ? `; Lifeline serving reads via ${w.servedVia}` : ''}`
          : w.unconfirmedSites
            ? `${w.unconfirmedSites === 1 ? 'One site reports' : `${formatInteger(w.unconfirmedSites)} sites report`} failed reads; not confirmed by Lifeline (no read of it needed serving)`
            : `Own RPC answering${w.latencyP50Ms !== null ? ` (p50 ${formatMs(w.latencyP50Ms)})` : ''}`}
      </div>
      <div class="small muted">
        {formatInteger(w.answered)} answered by the wallet · {formatInteger(w.servedByLifeline)} served by Lifeline · {formatInteger(w.failed)} failed
      </div>
      {w.repair ? <Repair wallet={w} tabId={tabId} /> : null}
    </li>
  );
}

/** A link to the options page; opened through the extension API so the popup need not know
 *  whether options open in a tab. */
export function OptionsLink({ children }: { children: preact.ComponentChildren }) {
  return (
    <a
      href={ext.runtime.getURL('extension/options/index.html')}
      data-testid="options-link"
      onClick={(e) => {
        e.preventDefault();
        void ext.runtime.openOptionsPage();
      }}
    >
      {children}
    </a>
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
