/**
 * Combines the default registry with the user's configuration into the endpoint list the engine
 * routes over: own endpoints first, disabled ones kept but switched off (so the UI can show and
 * re-enable them), tracking ones hidden on request, and the user's explicit order applied last.
 */
import type { Endpoint } from '../types.ts';
import { normalizeRpcUrl } from '../registry/url.ts';
import type { PolicyOverrides } from './policy-overrides.ts';
import { resolveEndpointRef } from './references.ts';
import type { UserConfig } from './schema.ts';
import { toUserEndpoint } from './user-endpoints.ts';

/** chainId → endpoints in rank order (enabled or not). Plain object so it survives messaging. */
export type EffectiveRegistry = Record<number, Endpoint[]>;

/**
 * Effective endpoints per chain. Expects a validated config; unknown references are ignored.
 * Does not mutate its inputs.
 */
export function mergeRegistry(defaults: readonly Endpoint[], config?: UserConfig): EffectiveRegistry {
  const own = (config?.endpoints ?? []).map(toUserEndpoint);
  const ownByUrl = new Map(own.map((e) => [`${e.chainId} ${normalizeRpcUrl(e.url)}`, e]));
  const replaced = new Map<string, Endpoint>();

  // Own entries first; a default with the same URL is replaced by the user's entry.
  let all: Endpoint[] = [...own];
  for (const d of defaults) {
    const mine = ownByUrl.get(`${d.chainId} ${normalizeRpcUrl(d.url)}`);
    if (mine) replaced.set(d.id, mine);
    else all.push({ ...d });
  }
  // Deduplicate own entries listed twice (validation rejects it; merge stays total).
  const seenIds = new Set<string>();
  all = all.filter((e) => (seenIds.has(e.id) ? false : (seenIds.add(e.id), true)));

  for (const ref of config?.enabledEndpoints ?? []) {
    const e = resolveEndpointRef(ref, all, replaced);
    if (e) e.enabled = true;
  }
  // Disabling wins over enabling.
  for (const ref of config?.disabledEndpoints ?? []) {
    const e = resolveEndpointRef(ref, all, replaced);
    if (e) e.enabled = false;
  }
  for (const [ref, infrastructure] of Object.entries(config?.infrastructure ?? {})) {
    const e = resolveEndpointRef(ref, all, replaced);
    if (e) e.infrastructure = infrastructure;
  }
  if (config?.privacy?.hideTracking) all = all.filter((e) => e.privacy !== 'yes');

  const out: EffectiveRegistry = {};
  for (const e of all) (out[e.chainId] ??= []).push(e);

  for (const [key, refs] of Object.entries(config?.order ?? {})) {
    const chainId = Number(key);
    const list = out[chainId];
    if (!list) continue;
    const first: Endpoint[] = [];
    for (const ref of refs) {
      const e = resolveEndpointRef(ref, list, replaced);
      if (e && e.chainId === chainId && !first.includes(e)) first.push(e);
    }
    out[chainId] = [...first, ...list.filter((e) => !first.includes(e))];
  }
  return out;
}

/** The policy overrides in force for one chain: global ones, then the chain's own. */
export function effectivePolicyOverrides(config: UserConfig | undefined, chainId: number): PolicyOverrides {
  return { ...(config?.policy ?? {}), ...(config?.chainPolicy?.[String(chainId)] ?? {}) };
}
