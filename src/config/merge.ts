/**
 * Combines the default registry with the user's configuration into the endpoint list the engine
 * routes over: own endpoints first, disabled ones kept but switched off (so the UI can show and
 * re-enable them), tracking ones hidden on request, and the user's explicit order applied last.
 */
import type { Endpoint } from '../types.ts';
import { recognizeRpcUrl } from '../registry/primaries.ts';
import { hostOf, isLoopbackHost, normalizeRpcUrl } from '../registry/url.ts';
import type { PolicyOverrides } from './policy-overrides.ts';
import type { UserConfig, UserEndpointConfig } from './user-config.ts';

/** chainId → endpoints in rank order (enabled or not). Plain object so it survives messaging. */
export type EffectiveRegistry = Record<number, Endpoint[]>;

/** 32-bit FNV-1a: a short, stable, dependency-free hash; ids only need to be unique per user. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Stable id of an own endpoint: "user:<hash of chain and normalised URL>". */
export function userEndpointId(chainId: number, url: string): string {
  return `user:${fnv1a(`${chainId} ${normalizeRpcUrl(url)}`)}`;
}

/**
 * The Endpoint for an own entry. Unstated fields are inferred: loopback = self-hosted, no
 * tracking; otherwise the recognised provider's infrastructure and `limited` privacy (we cannot
 * know how a third party logs).
 */
export function toUserEndpoint(e: UserEndpointConfig): Endpoint {
  const host = hostOf(e.url) ?? '';
  const loopback = isLoopbackHost(host);
  const rec = loopback ? null : recognizeRpcUrl(e.url);
  const out: Endpoint = {
    id: userEndpointId(e.chainId, e.url),
    chainId: e.chainId,
    url: e.url,
    provider: e.label ?? rec?.provider ?? (loopback ? 'My node' : host),
    infrastructure: e.infrastructure ?? (loopback ? 'self-hosted' : rec?.infrastructure ?? 'unknown'),
    privacy: e.privacy ?? (loopback ? 'none' : 'limited'),
    source: 'user',
    enabled: true,
  };
  if (e.label !== undefined) out.label = e.label;
  return out;
}

/**
 * Finds an endpoint by id or URL. `replaced` maps ids of defaults the user re-added under the
 * same URL to the user's entry, so references written against the default keep working.
 */
function findRef(ref: string, list: readonly Endpoint[], replaced: ReadonlyMap<string, Endpoint>): Endpoint | undefined {
  const byId = list.find((e) => e.id === ref) ?? replaced.get(ref);
  if (byId || !/^https?:\/\//i.test(ref)) return byId;
  const n = normalizeRpcUrl(ref);
  return list.find((e) => e.source === 'user' && normalizeRpcUrl(e.url) === n) ?? list.find((e) => normalizeRpcUrl(e.url) === n);
}

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
    const e = findRef(ref, all, replaced);
    if (e) e.enabled = true;
  }
  // Disabling wins over enabling.
  for (const ref of config?.disabledEndpoints ?? []) {
    const e = findRef(ref, all, replaced);
    if (e) e.enabled = false;
  }
  for (const [ref, infrastructure] of Object.entries(config?.infrastructure ?? {})) {
    const e = findRef(ref, all, replaced);
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
      const e = findRef(ref, list, replaced);
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
