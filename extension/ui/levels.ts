/** Colour level (theme.css `.dot.level-*`) of an endpoint's health state, shared by the popup
 *  and the options page so both show a state the same way. */
import type { HealthState } from '../../src/health/tracker';

export function endpointLevel(state: HealthState): 'healthy' | 'failover' | 'outage' | 'unknown' {
  if (state === 'down') return 'outage';
  if (state === 'degraded') return 'failover';
  return state === 'healthy' ? 'healthy' : 'unknown';
}
