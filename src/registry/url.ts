/**
 * Small URL helpers shared by the registry, the primaries recogniser and config validation.
 * Pure functions that never throw: they run on user input and on every observed request.
 */

/** Parses a URL, returning null instead of throwing. */
export function tryParseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * True for hosts that can only reach this machine: `localhost` (and `*.localhost`, which browsers
 * resolve to loopback), 127.0.0.0/8 and [::1]. Only these may use plain http: traffic never
 * leaves the machine, so there is nothing to intercept.
 */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '[::1]' || h === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255);
}

/** Lower-cased hostname without a trailing dot, or null when the URL does not parse. */
export function hostOf(raw: string): string | null {
  const u = tryParseUrl(raw);
  return u ? u.hostname.toLowerCase().replace(/\.$/, '') : null;
}

/**
 * Canonical form used to compare two endpoint URLs: lower-case scheme and host, default port
 * dropped (WHATWG URL does that), no trailing slash, no fragment. Path and query keep their case
 * because keys in them are case-sensitive.
 */
export function normalizeRpcUrl(raw: string): string {
  const u = tryParseUrl(raw.trim());
  if (!u) return raw.trim();
  const path = u.pathname.replace(/\/+$/, '');
  return `${u.protocol}//${u.host.toLowerCase()}${path}${u.search}`;
}

/** Non-empty path segments, percent-decoded where possible. */
export function pathSegments(u: URL): string[] {
  return u.pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/**
 * Heuristic for "this looks like an API key / token / account id": long hex, UUIDs, and long
 * mixed letter+digit strings (base58/base62-ish). Plain words such as `ethereum-sepolia-testnet`,
 * `mainnet` or `v1` do not match, so public paths stay readable.
 */
export function looksLikeSecret(segment: string): boolean {
  const s = segment.trim();
  if (/^(0x)?[0-9a-f]{16,}$/i.test(s)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) return true;
  if (/^[A-Za-z0-9_]{16,}$/.test(s)) {
    const digits = s.replace(/[^0-9]/g, '').length;
    const letters = s.replace(/[^A-Za-z]/g, '').length;
    if (digits >= 3 && letters >= 3) return true;
    // Base62 keys can have few digits; mixed case plus a digit over 20 chars is not a word.
    if (s.length >= 20 && digits >= 1 && /[a-z]/.test(s) && /[A-Z]/.test(s)) return true;
    return s.length >= 32;
  }
  return false;
}
