/**
 * Which page URLs Lifeline tracks and may contact itself, and which configured endpoints may serve
 * as redirect targets. Pure, never throws (inputs come from web pages).
 */
import { isLoopbackHost, tryParseUrl } from '../registry/url.ts';
import { maskUrlSecrets, recognizeRpcUrl } from '../registry/primaries.ts';

export type NetworkClass = 'loopback' | 'private' | 'public';

/** Loopback, private-network (RFC 1918, link-local, ULA, .local, single-label) or public host. */
export function networkClass(hostname: string): NetworkClass {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (isLoopbackHost(h)) return 'loopback';
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0) return 'private';
    if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT
    return 'public';
  }
  if (h.startsWith('[')) {
    // IPv6 literal: unique-local fc00::/7, link-local fe80::/10, IPv4-mapped private ranges.
    return /^\[(f[cd]|fe[89ab])/i.test(h) || h.startsWith('[::ffff:') ? 'private' : 'public';
  }
  if (!h.includes('.') || h.endsWith('.local') || h.endsWith('.internal') || h.endsWith('.lan') || h.endsWith('.home.arpa')) return 'private';
  return 'public';
}

/** A URL Lifeline may track as a page endpoint: http(s), bounded, without user:password@. */
export function trackableUrl(raw: string, maxLength: number): URL | null {
  if (raw.length > maxLength) return null;
  const u = tryParseUrl(raw);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  if (u.username || u.password) return null;
  return u;
}

/**
 * May the worker itself send a request (chain look-up, recovery probe) to a URL a page used?
 * Public hosts: yes. Hosts on this machine or the local network only when the page that used
 * them is there too: a public website must not make Lifeline talk to your router or localhost
 * (the worker is not subject to the page's private-network restrictions).
 */
export function mayContact(url: string, initiatorOrigin: string | undefined, maxLength: number): boolean {
  const target = trackableUrl(url, maxLength);
  if (!target) return false;
  const targetClass = networkClass(target.hostname);
  if (targetClass === 'public') return true;
  const initiator = initiatorOrigin ? tryParseUrl(initiatorOrigin) : null;
  if (!initiator) return false;
  const from = networkClass(initiator.hostname);
  return from === 'loopback' || from === targetClass;
}

/**
 * What the URL itself says: skip (not a plain JSON-RPC endpoint, e.g. Rabby's body-routed API),
 * a chain id (a recognised provider naming its network), or nothing.
 */
export function chainFromUrl(url: string): { skip: true } | { skip: false; chainId?: number } {
  const rec = recognizeRpcUrl(url);
  if (!rec) return { skip: false };
  if (rec.bodyRouted || rec.family === 'rabby' || rec.family === 'debank') return { skip: true };
  return rec.chainId === undefined ? { skip: false } : { skip: false, chainId: rec.chainId };
}

/**
 * A configured endpoint's URL may be a redirect target only if it is https (or http to this
 * machine) and carries no secret: the page sees the final URL of a redirected request
 * (`response.url`), so a user's API key must never be handed to a web page this way.
 */
export function isSafeTargetUrl(raw: string): boolean {
  const u = tryParseUrl(raw);
  if (!u || u.username || u.password) return false;
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) return false;
  if (maskUrlSecrets(raw) !== raw) return false;
  return !(recognizeRpcUrl(raw)?.hasKey ?? false);
}
