/** Colour levels (theme.css `.dot.level-*`) and their words, shared by the popup, the options
 *  page and the welcome page so all show a state the same way. */
import type { HealthState } from '../../src/health/tracker';
import type { ServiceState } from '../../src/status/services';
import type { OverallLevel } from '../../src/status/worst-truth';

export function endpointLevel(state: HealthState): 'healthy' | 'failover' | 'outage' | 'unknown' {
  if (state === 'down') return 'outage';
  if (state === 'degraded') return 'failover';
  return state === 'healthy' ? 'healthy' : 'unknown';
}

export const SERVICE_LEVEL: Record<ServiceState, OverallLevel> = { up: 'healthy', degraded: 'degraded', maintenance: 'degraded', 'rate-limited': 'unknown', down: 'degraded', unknown: 'unknown' };

export const LEVEL_WORDS: Record<OverallLevel, string> = {
  healthy: 'healthy',
  degraded: 'working with fewer endpoints',
  failover: 'failover active',
  outage: 'no healthy endpoint',
  unknown: 'not checked yet',
};

/** What each badge colour means, in the words the welcome page uses. */
export const BADGE_MEANINGS: ReadonlyArray<{ level: OverallLevel; name: string; meaning: string }> = [
  { level: 'healthy', name: 'Green, no text', meaning: 'Every chain and service you use is healthy.' },
  { level: 'degraded', name: 'Yellow, no text', meaning: 'Everything still works, but some endpoints or a wallet or exchange API are down.' },
  { level: 'failover', name: 'Amber with a number', meaning: 'Lifeline is serving reads on that many chains because a provider failed.' },
  { level: 'outage', name: 'Red with "!"', meaning: 'A chain you use has no healthy endpoint left: reads there may fail.' },
  { level: 'unknown', name: 'Grey', meaning: 'Not checked yet, or a chain you use has no fallback configured.' },
];
