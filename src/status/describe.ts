/** Timeline events in words, for the popup (kept apart from view.ts so the popup bundle stays small). */
import type { TimelineEvent } from './timeline.ts';
import { chainName } from '../registry/chains.ts';


/** One line per timeline event, for the popup. */
export function describeEvent(e: TimelineEvent): string {
  const chain = e.chainId === null ? '' : `${chainName(e.chainId)}: `;
  const reason = e.reason ? ` (${e.reason})` : '';
  switch (e.kind) {
    case 'failover-start': return `${chain}failover started${e.reason ? ` — ${e.reason}` : ''}`;
    case 'failover-end': return `${chain}failover ended${e.reason ? ` — ${e.reason}` : ''}`;
    case 'redirect-start': return `${chain}redirecting ${e.from ?? 'page RPC'} to ${e.to ?? 'a healthy endpoint'}${reason}`;
    case 'redirect-update': return `${chain}redirect now goes to ${e.to ?? 'another endpoint'}${reason}`;
    case 'redirect-end': return `${chain}redirect of ${e.from ?? 'page RPC'} ended${reason}`;
    case 'endpoint-down': return `${chain}${e.from ?? 'endpoint'} down${reason}`;
    case 'endpoint-up': return `${chain}${e.from ?? 'endpoint'} back up`;
    case 'wallet-failing': return `${chain}${e.from ?? 'wallet'}'s RPC failing${reason}`;
    case 'wallet-recovered': return `${chain}${e.from ?? 'wallet'}'s RPC answering again`;
    case 'service-down': return `${e.from ?? 'a service'} unavailable${reason}`;
    case 'service-up': return `${e.from ?? 'a service'} back up`;
    case 'answer-failed-verification': return `${chain}${e.from ?? 'endpoint'}'s answer failed verification${reason}`;
    default: return `${chain}${String(e.kind)}${reason}`;
  }
}
