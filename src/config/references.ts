/**
 * How the configuration file refers to an endpoint: by id (`1:drpc`, `user:<hash>`) or, for
 * convenience, by URL. Validation (is the reference known?) and merging (which endpoint does it
 * change?) must agree on what a reference means, so both ask this one function.
 */
import type { Endpoint } from '../types.ts';
import { normalizeRpcUrl } from '../registry/url.ts';

/**
 * The endpoint `ref` names within `known`, or undefined. An id matches exactly; an http(s) URL
 * matches by normalised URL, an own endpoint first (an own entry replaces the default with the
 * same URL). `replaced` maps ids of defaults the user re-added under the same URL to the user's
 * entry, so references written against the default keep working.
 */
export function resolveEndpointRef(
  ref: string,
  known: readonly Endpoint[],
  replaced: ReadonlyMap<string, Endpoint> = new Map(),
): Endpoint | undefined {
  const byId = known.find((e) => e.id === ref) ?? replaced.get(ref);
  if (byId || !/^https?:\/\//i.test(ref)) return byId;
  const url = normalizeRpcUrl(ref);
  return known.find((e) => e.source === 'user' && normalizeRpcUrl(e.url) === url) ??
    known.find((e) => normalizeRpcUrl(e.url) === url);
}
