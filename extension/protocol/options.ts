/** Messages of the options page (configuration, endpoint checks). Part of the one protocol in
 *  extension/messages.ts. The worker is the authority: it validates every document it stores
 *  (extension/background/options.ts) and refuses senders that are not Lifeline's own pages. */
import type { EffectiveRegistry } from '../../src/config/merge';
import type { ConfigIssue, UserConfig } from '../../src/config/schema';
import type { ChainVerification } from '../../src/config/verify-chain';

export interface OptionsState {
  /** The stored configuration serialized (docs/config.md), or null when none is stored. */
  text: string | null;
  config: UserConfig | null;
  /** The effective endpoint list per chain (own endpoints first, disabled ones kept). */
  endpoints: EffectiveRegistry;
  /** Chain id → name, for every chain that has endpoints. */
  chainNames: Record<number, string>;
  notificationsEnabled: boolean;
}

export type SaveConfigAnswer =
  | { ok: true; state: OptionsState; warnings: ConfigIssue[] }
  | { ok: false; errors: ConfigIssue[]; warnings: ConfigIssue[] };

export interface OptionsProtocol {
  /** The stored configuration and the effective endpoints it yields. */
  getConfig(): OptionsState;
  /** Validates `text` (parseUserConfig) and stores it only when valid; otherwise nothing changes. */
  saveConfig(request: { text: string }): SaveConfigAnswer;
  /** Asks the endpoint which chain it serves (eth_chainId), from the worker. */
  verifyEndpoint(request: { chainId: number; url: string }): ChainVerification;
  /** Failover notifications on or off. */
  setNotifications(request: { enabled: boolean }): OptionsState;
}
