/**
 * The user's own endpoints: which URLs are acceptable, the stable id each gets, and the
 * `Endpoint` the engine routes over, with unstated fields inferred.
 */
import type { Endpoint } from '../types.ts';
import { CONFIG_POLICY } from '../policy/config.ts';
import { checkDenylist } from '../registry/denylist.ts';
import { recognizeRpcUrl } from '../registry/primaries.ts';
import { hostOf, isLoopbackHost, normalizeRpcUrl, tryParseUrl } from '../registry/url.ts';
import type { UserEndpointConfig } from './schema.ts';

/** Checks a URL for a user endpoint; returns the reason it is refused, or null. */
export function checkEndpointUrl(url: string): string | null {
  const maxLength = CONFIG_POLICY.maxEndpointUrlLength;
  if (url.length === 0) return 'must not be empty';
  if (url.length > maxLength) return `must be at most ${maxLength} characters`;
  const u = tryParseUrl(url);
  if (!u) return 'is not a valid URL (expected e.g. https://rpc.example.com)';
  if (u.protocol === 'ws:' || u.protocol === 'wss:') return 'must be an http(s) JSON-RPC URL; WebSocket URLs are not supported';
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `must be https (got ${u.protocol.replace(/:$/, '')}:)`;
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    return 'must be https (http is allowed only for loopback hosts such as 127.0.0.1, localhost, [::1])';
  }
  // fetch() refuses URLs with embedded credentials, so such an endpoint could never be called.
  if (u.username || u.password) {
    return 'must not contain credentials (user:password@); browsers refuse to fetch such URLs — put the key in the path or query if the provider supports it';
  }
  const denied = checkDenylist(url);
  if (denied) return `is not usable: ${denied.reason}`;
  return null;
}

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
