/**
 * The shape of the user's configuration file (docs/config.md): own endpoints, disabled/enabled
 * defaults, per-chain order, infrastructure corrections, policy overrides and a privacy filter.
 * Types and the key lists validation and serialization share; no logic beyond trivial helpers.
 */
import type { Infrastructure, PrivacyLabel } from '../types.ts';
import type { PolicyOverrides } from './policy-overrides.ts';
import type { VerificationMode } from '../policy/verify.ts';

/** The one version this Lifeline reads and writes; another version has another schema. */
export const USER_CONFIG_VERSION = 1;

export interface UserEndpointConfig {
  chainId: number;
  /** https, or http to a loopback host. May carry the user's own API key. */
  url: string;
  label?: string;
  infrastructure?: Infrastructure;
  privacy?: PrivacyLabel;
}

export interface UserConfig {
  version: 1;
  /** The user's own endpoints; they rank before the defaults of their chain. */
  endpoints?: UserEndpointConfig[];
  /** Endpoint ids (or URLs of own endpoints) to turn off. */
  disabledEndpoints?: string[];
  /** Default endpoint ids that are off by default (tracking) to turn on. */
  enabledEndpoints?: string[];
  /** Per chain (key: decimal chain id), endpoint ids or own URLs to rank first, in this order. */
  order?: Record<string, string[]>;
  /**
   * Corrections of where endpoints run (key: endpoint id or own URL). Failures correlate within
   * one infrastructure, and the shipped tags are `unknown` unless publicly known.
   */
  infrastructure?: Record<string, Infrastructure>;
  /** Engine knob overrides for all chains. */
  policy?: PolicyOverrides;
  /** Engine knob overrides per chain (key: decimal chain id); win over `policy`. */
  chainPolicy?: Record<string, PolicyOverrides>;
  privacy?: {
    /** Hide endpoints labelled as tracking users entirely (they cannot be enabled). */
    hideTracking?: boolean;
  };
  /** Which reads are proven against the chain's own commitments: off, relayed (default) or all. */
  verification?: VerificationMode;
}

/** Top-level keys, in the order serialization writes them. */
export const TOP_KEYS = ['version', 'endpoints', 'disabledEndpoints', 'enabledEndpoints', 'order', 'infrastructure', 'policy', 'chainPolicy', 'privacy', 'verification'] as const satisfies readonly (keyof UserConfig)[];
/** Keys of one own endpoint, in the order serialization writes them. */
export const ENDPOINT_KEYS = ['chainId', 'url', 'label', 'infrastructure', 'privacy'] as const satisfies readonly (keyof UserEndpointConfig)[];
export const PRIVACY_KEYS = ['hideTracking'] as const satisfies readonly (keyof NonNullable<UserConfig['privacy']>)[];

export interface ConfigIssue {
  /** Where, e.g. `endpoints[0].url`; '' for the whole file. */
  path: string;
  message: string;
  /** For JSON syntax errors. */
  line?: number;
  column?: number;
}

export type ConfigValidation =
  | { ok: true; config: UserConfig; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

export function formatIssue(issue: ConfigIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function emptyUserConfig(): UserConfig {
  return { version: USER_CONFIG_VERSION };
}
