/**
 * Shared engine types. The registry produces `Endpoint`s; health, routing and the extension shell
 * consume them. Pure data: no chrome.*, no DOM.
 */

/** Where an endpoint physically runs; failures correlate within one infrastructure (the seed outage:
 *  one AWS data centre took down everything hosted there). */
export type Infrastructure = 'aws' | 'gcp' | 'azure' | 'cloudflare' | 'hetzner' | 'ovh' | 'decentralised' | 'self-hosted' | 'unknown';

/** Chainlist's privacy label: `none` = no tracking, `limited` = some logging, `yes` = tracks users.
 *  `yes` endpoints are off by default. */
export type PrivacyLabel = 'none' | 'limited' | 'yes';

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
