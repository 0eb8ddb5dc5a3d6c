/**
 * The popup's view as the worker last stored it (session storage, written by
 * extension/background/status.ts on every refresh). Shown at once when the popup opens, so a
 * sleeping worker's start-up is not on the first render; the worker's fresh answer replaces it.
 * Only Lifeline's worker writes this key, but a build from an older version may have left
 * another shape: anything that does not look like a PopupStatus is ignored.
 */
import type { PopupStatus } from '../protocol/popup';
import { STATUS_POLICY } from '../../src/policy';

export const CACHED_STATUS_KEY = 'popupStatus';

export function cachedStatus(raw: unknown, now: number): PopupStatus | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Partial<Record<keyof PopupStatus, unknown>>;
  const arrays = [s.chains, s.wallets, s.unguardable, s.services, s.timeline].every(Array.isArray);
  if (!arrays || typeof s.generatedAt !== 'number' || typeof s.line !== 'string' || typeof s.level !== 'string') return null;
  // Too old (or from a clock that jumped) to show even for a moment: the fresh answer is on
  // its way, wait for it.
  if (Math.abs(now - s.generatedAt) > STATUS_POLICY.popupCacheMaxAgeMs) return null;
  return raw as PopupStatus;
}
