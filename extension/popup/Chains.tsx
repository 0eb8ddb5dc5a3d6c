import type { ChainStatus, EndpointRow } from '../../src/status/view';
import { worstLevelAbout, type Finding, type OverallLevel } from '../../src/status/worst-truth';
import { DISPLAY_FORMAT } from '../../src/policy/index';
import { formatAge, formatClock, formatCount, formatMs, formatShare } from '../../src/status/format';
import { endpointLevel, LEVEL_WORDS } from '../ui/levels';
import { Collapsible } from './Collapsible';
import { CopyUrl } from './CopyUrl';
import { LatencyChart } from './LatencyChart';

/** `details`: false on the first frame, which shows each chain's header only. */
export function Chains({ chains, now, details, findings }: { chains: ChainStatus[]; now: number; details: boolean; findings: Finding[] }) {
  // A chain's dot says what the headline says of it: "2 of 9 endpoints healthy" is yellow there
  // and here, even though the chain itself still works.
  const levelOf = (c: ChainStatus): OverallLevel => worstLevelAbout(findings, [`chain:${c.chainId}`], c.level);
  const used = chains.filter((c) => c.inUse);
  const idle = chains.filter((c) => !c.inUse);
  // A few chains in use are open; past that only those with a problem, so the popup stays short.
  const openAll = used.length <= DISPLAY_FORMAT.popupOpenChainsMax;
  return (
    <section aria-labelledby="chains-heading">
      {/* Rendered only with a status: its paint time (Element Timing) is when the first status
          reached the screen, which bench/popup.ts reports. */}
      <h2 id="chains-heading" elementtiming="lifeline-status">Chains</h2>
      {used.length === 0 ? <p class="muted small">No chain in use in the last hour.</p> : null}
      {used.map((c) => <ChainSection key={c.chainId} chain={c} level={levelOf(c)} now={now} open={openAll || levelOf(c) !== 'healthy'} details={details} />)}
      {idle.length > 0 ? (
        <Collapsible id="idle-chains" title={`Not in use (${formatCount(idle.length, 'chain')})`} open={false}>
          {idle.map((c) => <ChainSection key={c.chainId} chain={c} level={c.level} now={now} open={false} details={details} />)}
        </Collapsible>
      ) : null}
    </section>
  );
}

function ChainSection({ chain, level, now, open, details }: { chain: ChainStatus; level: OverallLevel; now: number; open: boolean; details: boolean }) {
  const healthy = chain.endpoints.filter((e) => e.state === 'healthy').length;
  const summary = chain.endpoints.length === 0 ? 'no endpoint configured' : `${LEVEL_WORDS[level]}, ${formatShare(healthy, chain.endpoints.length)} healthy`;
  return (
    <Collapsible id={`chain-${chain.chainId}`} title={chain.name} open={open} badge={summary} level={level}>
      {!details ? null : chain.episode ? (
        <p class="small" data-testid={`episode-${chain.chainId}`}>
          Failover since {formatClock(chain.episode.since)} ({formatAge(chain.episode.since, now)}): {chain.episode.why}
        </p>
      ) : chain.recovered ? (
        <p class="small muted" data-testid={`recovered-${chain.chainId}`}>
          Recovered {formatAge(chain.recovered.endedAt, now)} after a failover that began at {formatClock(chain.recovered.since)}.
        </p>
      ) : null}
      {details ? (
        <ul class="endpoints" aria-label={`${chain.name} endpoints`}>
          {chain.endpoints.map((e) => <EndpointItem key={e.id} e={e} charted={chain.inUse} />)}
        </ul>
      ) : null}
      {details && chain.walletRpcUrl ? (
        <div class="wallet-rpc small">
          <p class="muted">A healthy RPC to give your wallet by hand when its own provider is down:</p>
          <CopyUrl url={chain.walletRpcUrl} chainName={chain.name} testId={`wallet-rpc-${chain.chainId}`} />
        </div>
      ) : null}
    </Collapsible>
  );
}

const PRIVACY_WORDS: Record<string, string> = { none: 'no tracking', yes: 'tracks users', limited: 'limited logging', unknown: 'unknown' };

/** `charted`: chains in use carry a latency chart; idle ones are probed too rarely to draw one. */
function EndpointItem({ e, charted }: { e: EndpointRow; charted: boolean }) {
  const facts = [
    e.p50Ms !== undefined ? `p50 ${formatMs(e.p50Ms)}` : null,
    e.lagBlocks !== undefined ? (e.lagBlocks === 0 ? 'in sync' : `${formatCount(e.lagBlocks, 'block')} behind`) : null,
    e.infrastructure !== 'unknown' ? e.infrastructure : 'infrastructure unknown',
    `privacy: ${PRIVACY_WORDS[e.privacy] ?? e.privacy}`,
  ].filter(Boolean);
  return (
    <li class={`endpoint state-${e.state}`} data-testid={`endpoint-${e.id}`} data-state={e.state}>
      <div class="row">
        <span class={`dot level-${endpointLevel(e.state)}`} aria-hidden="true" />
        <strong>{e.label}</strong>
        {e.inUse ? <span class="pill" data-testid="in-use">in use</span> : null}
        <span class="muted small state">{e.state}</span>
      </div>
      {/* A healthy endpoint's reason is its p50, already among the facts. */}
      {e.state !== 'healthy' ? <div class="small muted">{e.reason}</div> : null}
      <div class="small muted">{facts.join(' · ')}</div>
      {charted ? <LatencyChart chart={e.chart} /> : null}
    </li>
  );
}
