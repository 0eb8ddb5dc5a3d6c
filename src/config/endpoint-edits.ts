/**
 * The edits the options page makes to the endpoint part of a configuration: add and remove own
 * endpoints, switch endpoints on and off, move one up or down its chain. Each takes the stored
 * config (null when none is stored) and returns a new one; the input is never changed, so the
 * page can keep showing what the worker last stored until the worker accepts the edit.
 */
import type { Endpoint } from '../types.ts';
import { DEFAULT_ENDPOINTS } from '../registry/defaults.ts';
import { emptyUserConfig, type UserConfig, type UserEndpointConfig } from './schema.ts';
import { userEndpointId } from './user-endpoints.ts';

/** What the edits need to know of an endpoint shown on the page. */
export type EndpointRef = Pick<Endpoint, 'id' | 'url'>;

/** A deep copy to edit (an empty config when none is stored). */
export function editableConfig(config: UserConfig | null | undefined): UserConfig {
  return config ? structuredClone(config) : emptyUserConfig();
}

/** The config without empty lists and maps, so exported files stay minimal. */
export function tidyUserConfig(config: UserConfig): UserConfig {
  const c = structuredClone(config);
  if (c.disabledEndpoints?.length === 0) delete c.disabledEndpoints;
  if (c.enabledEndpoints?.length === 0) delete c.enabledEndpoints;
  if (c.endpoints?.length === 0) delete c.endpoints;
  if (c.order) {
    for (const [k, refs] of Object.entries(c.order)) if (refs.length === 0) delete c.order[k];
    if (Object.keys(c.order).length === 0) delete c.order;
  }
  if (c.infrastructure && Object.keys(c.infrastructure).length === 0) delete c.infrastructure;
  if (c.policy && Object.keys(c.policy).length === 0) delete c.policy;
  if (c.chainPolicy) {
    for (const [k, overrides] of Object.entries(c.chainPolicy)) if (Object.keys(overrides).length === 0) delete c.chainPolicy[k];
    if (Object.keys(c.chainPolicy).length === 0) delete c.chainPolicy;
  }
  if (c.privacy && Object.keys(c.privacy).length === 0) delete c.privacy;
  return c;
}

/** Drops the given references (exact ids or URLs) from the on/off lists of a config being edited. */
function dropFromOnOffLists(c: UserConfig, refs: readonly string[]): void {
  const keep = (s: string) => !refs.includes(s);
  if (c.disabledEndpoints) c.disabledEndpoints = c.disabledEndpoints.filter(keep);
  if (c.enabledEndpoints) c.enabledEndpoints = c.enabledEndpoints.filter(keep);
}

/** Drops every reference (exact ids or URLs) from the lists and maps of a config being edited. */
function dropReferences(c: UserConfig, refs: readonly string[]): void {
  dropFromOnOffLists(c, refs);
  if (c.order) for (const [k, list] of Object.entries(c.order)) c.order[k] = list.filter((s) => !refs.includes(s));
  if (c.infrastructure) for (const r of refs) delete c.infrastructure[r];
}

/**
 * The chain id typed into the add form as a number, or null unless it is a positive whole number
 * written in decimal digits.
 */
export function parseChainIdInput(text: string): number | null {
  const id = Number(text);
  return /^[1-9][0-9]*$/.test(text.trim()) && Number.isSafeInteger(id) ? id : null;
}

/** Appends an own endpoint; a label that is empty after trimming is left out. */
export function addUserEndpoint(config: UserConfig | null, entry: { chainId: number; url: string; label?: string }): UserConfig {
  const next = editableConfig(config);
  const label = entry.label?.trim() ?? '';
  const added: UserEndpointConfig = { chainId: entry.chainId, url: entry.url, ...(label ? { label } : {}) };
  next.endpoints = [...(next.endpoints ?? []), added];
  return next;
}

/** Removes an own endpoint and every reference to it, so nothing dangles in the file. */
export function removeUserEndpoint(config: UserConfig | null, endpoint: EndpointRef): UserConfig {
  const next = editableConfig(config);
  next.endpoints = (next.endpoints ?? []).filter((x) => userEndpointId(x.chainId, x.url) !== endpoint.id);
  dropReferences(next, [endpoint.id, endpoint.url]);
  return next;
}

/**
 * Switches an endpoint on or off. Off lists its id in `disabledEndpoints`; on removes it from
 * there and, for a default that is off by default (it tracks users), lists it in
 * `enabledEndpoints`. Its place in `order` and its infrastructure correction stay as they are.
 */
export function setEndpointEnabled(
  config: UserConfig | null,
  endpoint: EndpointRef & Pick<Endpoint, 'source'>,
  enabled: boolean,
  defaults: readonly Endpoint[] = DEFAULT_ENDPOINTS,
): UserConfig {
  const next = editableConfig(config);
  dropFromOnOffLists(next, [endpoint.id, endpoint.url]);
  if (!enabled) {
    next.disabledEndpoints = [...(next.disabledEndpoints ?? []), endpoint.id];
  } else if (endpoint.source === 'default' && defaults.find((d) => d.id === endpoint.id)?.enabled === false) {
    next.enabledEndpoints = [...(next.enabledEndpoints ?? []), endpoint.id];
  }
  return next;
}

/**
 * Swaps the endpoint at `index` of a chain's shown list (`list`, in rank order) with its
 * neighbour above (`delta` -1) or below (+1); null when there is no such neighbour. Stored as
 * the shortest `order` prefix that yields the new list, so endpoints the user never moved keep
 * following the registry's order as it changes between versions.
 */
export function moveEndpoint(
  config: UserConfig | null,
  chainId: number,
  list: readonly EndpointRef[],
  index: number,
  delta: -1 | 1,
): UserConfig | null {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return null;
  const next = editableConfig(config);
  const key = String(chainId);
  const previous = next.order?.[key] ?? [];
  const listed = (e: EndpointRef) => previous.includes(e.id) || previous.includes(e.url);
  let orderedCount = 0;
  while (orderedCount < list.length && listed(list[orderedCount]!)) orderedCount++;
  const ids = list.map((e) => e.id);
  [ids[index], ids[target]] = [ids[target]!, ids[index]!];
  const prefix = ids.slice(0, Math.max(orderedCount, index + 1, target + 1));
  // Entries for endpoints not listed right now (e.g. hidden tracking ones) are kept after it.
  const present = new Set(list.flatMap((e) => [e.id, e.url]));
  next.order = { ...(next.order ?? {}), [key]: [...prefix, ...previous.filter((r) => !present.has(r))] };
  return next;
}
