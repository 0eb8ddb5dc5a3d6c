/**
 * Shared engine types. The registry produces `Endpoint`s; health, routing and the extension shell
 * consume them. Pure data: no chrome.*, no DOM. The closed vocabularies are runtime lists (config
 * validation checks against them) with their types derived, so the two cannot drift apart.
 */

/** A JSON object (not an array, not null): the first check on any stored or received value. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where an endpoint physically runs; failures correlate within one infrastructure (the seed outage:
 *  one AWS data centre took down everything hosted there). */
export const INFRASTRUCTURES = ['aws', 'gcp', 'azure', 'cloudflare', 'hetzner', 'ovh', 'decentralised', 'self-hosted', 'unknown'] as const;
export type Infrastructure = (typeof INFRASTRUCTURES)[number];

/** Chainlist's privacy label: `none` = no tracking, `limited` = some logging, `yes` = tracks users.
 *  `yes` endpoints are off by default. */
export const PRIVACY_LABELS = ['none', 'limited', 'yes'] as const;
export type PrivacyLabel = (typeof PRIVACY_LABELS)[number];

export interface Endpoint {
  /** Stable id, unique across chains (e.g. "1:publicnode"; user endpoints "user:<hash>"). */
  id: string;
  chainId: number;
  /** https URL, or http to a loopback host (own nodes, tests). */
  url: string;
  /** Human name of the operator ("PublicNode", "dRPC", "My node"). */
  provider: string;
  infrastructure: Infrastructure;
  privacy: PrivacyLabel;
  /** `user` endpoints come from the user's configuration and rank first. */
  source: 'default' | 'user';
  enabled: boolean;
  /** Shown in the UI; defaults to provider. */
  label?: string;
}
