/**
 * Endpoints that must never be shipped or accepted: dead or key-gated although Chainlist (or old
 * wallet configs) may still list them. Used by the default-registry tests and by config
 * validation, so both enforce exactly the same rules.
 */
import { pathSegments, tryParseUrl } from './url.ts';

export interface DenyRule {
  /** Stable id, used in messages and tests. */
  id: string;
  /** Why the endpoint is refused; shown to the user. */
  reason: string;
  /** Decides on a parsed URL with a lower-cased hostname. */
  matches(u: URL, host: string): boolean;
}

export interface DenyMatch {
  rule: string;
  reason: string;
}

const hostIs = (host: string, name: string): boolean => host === name;
const hostUnder = (host: string, domain: string): boolean => host === domain || host.endsWith(`.${domain}`);

export const DENY_RULES: readonly DenyRule[] = [
  {
    id: 'blastapi',
    reason: 'Blast API shut down on 2025-10-31 (*.public.blastapi.io, *.blastapi.io)',
    matches: (_u, host) => hostUnder(host, 'blastapi.io'),
  },
  {
    id: 'polygon-rpc.com',
    reason: 'polygon-rpc.com ended public access on 2026-02-16',
    matches: (_u, host) => hostUnder(host, 'polygon-rpc.com'),
  },
  {
    id: 'ankr-keyless',
    // With a key (rpc.ankr.com/<chain>/<key>) Ankr still works, so only the keyless form is refused.
    reason: 'keyless rpc.ankr.com needs an API key since 2025-03 (use https://rpc.ankr.com/<chain>/<your key>)',
    matches: (u, host) => hostIs(host, 'rpc.ankr.com') && pathSegments(u).length < 2,
  },
  {
    id: 'llamarpc',
    reason: '*.llamarpc.com was removed from Chainlist in 2026-05 and is not reliable',
    matches: (_u, host) => hostUnder(host, 'llamarpc.com'),
  },
  {
    id: 'grove-legacy',
    reason: 'the old Grove gateway *.rpc.grove.city/v1/01fdb492 was replaced by *.api.pocket.network in 2025-11',
    matches: (u, host) => host.endsWith('.rpc.grove.city') && /^\/v1\/01fdb492(\/|$)/i.test(u.pathname),
  },
];

/** The deny rule a URL hits, or null. Unparseable URLs return null (validation reports them). */
export function checkDenylist(url: string): DenyMatch | null {
  const u = tryParseUrl(url.trim());
  if (!u) return null;
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  for (const rule of DENY_RULES) {
    if (rule.matches(u, host)) return { rule: rule.id, reason: rule.reason };
  }
  return null;
}
