/**
 * The worker's single engine instance. Built lazily from the default registry merged with the
 * user's configuration, restored from the last health snapshot (the worker may have been stopped
 * mid-outage: breakers and latency history must survive that), and rebuilt when the
 * configuration changes.
 */
import { createEngineSet, type EngineSet } from '../../src/engine/engine-set';
import { DEFAULT_ENDPOINTS } from '../../src/registry/defaults';
import { effectivePolicyOverrides, mergeRegistry } from '../../src/config/merge';
import type { UserConfig } from '../../src/config/schema';
import { validateUserConfig } from '../../src/config/validate';
import { toEnginePolicyPatch } from '../../src/config/policy-overrides';
import { SHELL_POLICY } from '../../src/policy/index';
import { local, session } from './lib/storage';
import { debounce } from './lib/debounce';
import { recordVerificationFailure } from './verification';
import { proveCall } from '../../src/verify/call';

let engine: Promise<EngineSet> | null = null;

/** The stored configuration, or undefined when none is stored or it no longer validates. */
export async function loadConfig(): Promise<UserConfig | undefined> {
  const stored = await local.get('userConfig');
  if (stored === null || stored === undefined) return undefined;
  const checked = validateUserConfig(stored);
  // A stored file was validated when saved; if a newer version rejects it, fall back to defaults
  // rather than running with half a configuration.
  return checked.ok ? checked.config : undefined;
}

function endpointsFor(config: UserConfig | undefined) {
  return Object.values(mergeRegistry(DEFAULT_ENDPOINTS, config)).flat();
}

async function build(previous?: EngineSet): Promise<EngineSet> {
  const [config, stored] = await Promise.all([loadConfig(), previous ? undefined : session.get('engineSnapshot')]);
  const snapshot = previous ? previous.snapshot() : stored;
  // One engine per chain, so the configuration's chainPolicy applies to its chain only.
  return createEngineSet({
    endpoints: endpointsFor(config),
    policyFor: (chainId) => toEnginePolicyPatch(effectivePolicyOverrides(config, chainId)),
    snapshot: snapshot ?? undefined,
    ...(config?.verification ? { verification: config.verification } : {}),
    onVerificationFailed: recordVerificationFailure,
    // A service worker may not import() (Chromium refuses it there): the EVM is bundled with it.
    loadCallProver: async () => proveCall,
  });
}

export function getEngine(): Promise<EngineSet> {
  engine ??= build();
  return engine;
}

/** Call after anything that changed health; coalesced into one storage write. */
export const persistEngineSoon = debounce(async () => {
  const current = await getEngine();
  await session.set('engineSnapshot', current.snapshot());
}, SHELL_POLICY.engineSnapshotIntervalMs);

/** Rebuild on configuration changes (options page, import): new endpoints and policy, same
 *  health history for endpoints that did not change. */
export function watchConfig(): void {
  local.onChange(['userConfig'], () => {
    const previous = getEngine();
    engine = previous.then((current) => build(current));
  });
}
